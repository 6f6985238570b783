"""The one access policy: may this member of staff do this, today? Deny by default.

Every view, export and API endpoint asks here. Later parts add the record-level questions (may this person see
this child's record?); the foundation answers the role questions.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from outstanding.partnership.roles import Role

AnyUser = AbstractBaseUser | AnonymousUser


def roles_of(user: AnyUser) -> set[Role]:
    """The roles the user holds; none for anonymous users or sign-ins with no staff record."""
    if not user.is_authenticated or not user.is_active:
        return set()
    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    return staff.role_set()


def has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def may_administer(user: AnyUser) -> bool:
    """Councils, teams and staff lists, and reference data."""
    return has_role(user, Role.SYSTEM_ADMINISTRATOR)


def may_use_system(user: AnyUser) -> bool:
    """Signed in, active, and a member of staff with at least one role."""
    return bool(roles_of(user))
