"""The one access policy: may this member of staff do this, today? Deny by default.

Every view, export and API endpoint asks here. Who may see a child's record is decided by the council
responsible for the child, the teams the member of staff works in on the day (a council's own team reaches
that council's children; a shared service's team reaches partner councils' children only while that service
works with them), and their roles. A restricted record is seen only by the people named on it, or by someone
who would otherwise have access and breaks the glass, giving a reason.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from outstanding.partnership.roles import Role

AnyUser = AbstractBaseUser | AnonymousUser

# Roles that work cases and so may change a child's record; others in scope may only read it.
CASEWORK_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MASH_OFFICER, Role.INDEPENDENT_REVIEWING_OFFICER}
)
# Roles that see their whole employing council's children without being in a team.
COUNCIL_WIDE_ROLES = frozenset({Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST})
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})


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


@dataclass(frozen=True)
class Scope:
    """The children a member of staff can reach on one day, before restrictions."""

    councils: frozenset[int]  # every child of these councils
    council_services: frozenset[tuple[int, int]]  # (council, service): children that service works with
    may_change: bool

    @property
    def empty(self) -> bool:
        return not self.councils and not self.council_services


NO_SCOPE = Scope(frozenset(), frozenset(), False)


def scope_of(user: AnyUser, on: date) -> Scope:
    roles = roles_of(user)
    if not roles & (CASEWORK_ROLES | COUNCIL_WIDE_ROLES):
        return NO_SCOPE  # a system administrator keeps the system, not the casework
    if partner_agency_of(user) is not None:
        # a police, health or education officer in the MASH sees their own agency's checks only
        return NO_SCOPE
    staff = user.staff
    cache_key = f"_scope_{on.isoformat()}"
    if hasattr(staff, cache_key):
        return getattr(staff, cache_key)
    councils: set[int] = set()
    council_services: set[tuple[int, int]] = set()
    memberships = staff.team_memberships.on(on).select_related("team__arrangement")
    for membership in memberships:
        team = membership.team
        if team.council_id:
            councils.add(team.council_id)
        else:
            for p in team.arrangement.participations.on(on):
                council_services.add((p.council_id, team.arrangement.service_id))
    if roles & COUNCIL_WIDE_ROLES and staff.employing_council_id:
        councils.add(staff.employing_council_id)
    scope = Scope(frozenset(councils), frozenset(council_services), bool(roles & CASEWORK_ROLES))
    setattr(staff, cache_key, scope)
    return scope


def _involved_with(service_id: int, on: date) -> Exists:
    involvement = apps.get_model("people", "Involvement")
    return Exists(involvement.objects.open_on(on).filter(child=OuterRef("pk"), service_id=service_id))


def in_scope_q(scope: Scope, on: date) -> Q:
    """Children (a Child queryset filter) within `scope`, ignoring restrictions."""
    q = Q(responsible_council_id__in=scope.councils) if scope.councils else Q(pk__in=[])
    for council_id, service_id in sorted(scope.council_services):
        if council_id not in scope.councils:
            q |= Q(responsible_council_id=council_id) & _involved_with(service_id, on)
    return q


def unlocked_q(user: AnyUser) -> Q:
    """Restricted children this user is named on, or has broken the glass for and it hasn't run out."""
    staff = user.staff
    named = apps.get_model("people", "NamedAccess").objects.filter(
        child=OuterRef("pk"), staff=staff, ended_at__isnull=True
    )
    glass = apps.get_model("people", "BreakGlassAccess").objects.filter(
        child=OuterRef("pk"), staff=staff, expires_at__gt=timezone.now()
    )
    return Exists(named) | Exists(glass)


def visible_children_q(user: AnyUser, on: date) -> Q:
    """The one filter for every list of children: in scope, and not restricted unless unlocked."""
    scope = scope_of(user, on)
    if scope.empty:
        return Q(pk__in=[])
    return in_scope_q(scope, on) & (Q(restricted=False) | unlocked_q(user))


def restricted_in_search() -> bool:
    """Whether a restricted child the searcher can't open still shows, masked, in search results.

    Off by default: even the existence of an adoption or a high-profile case is not everyone's business.
    """
    return getattr(settings, "OUTSTANDING_RESTRICTED_IN_SEARCH", False)


@dataclass(frozen=True)
class ChildAccess:
    can_view: bool
    can_change: bool
    can_break_glass: bool  # in scope but restricted, and not named
    whole_record: bool  # False: a shared service's staff see only their service's work
    service_ids: frozenset[int]  # the services whose work they may see where not the whole record
    reason: str

    @property
    def in_scope(self) -> bool:
        return self.can_view or self.can_break_glass


DENIED = ChildAccess(False, False, False, False, frozenset(), "")


def child_access(user: AnyUser, child, on: date) -> ChildAccess:
    """What `user` may do with one child's record on `on`."""
    scope = scope_of(user, on)
    if scope.empty:
        return replace(DENIED, reason="You don't work with children's records.")
    council_id = child.responsible_council_id
    whole = council_id in scope.councils
    open_services = set(child.involvements.open_on(on).values_list("service_id", flat=True))
    services = frozenset(s for c, s in scope.council_services if c == council_id and s in open_services)
    if not whole and not services:
        return replace(
            DENIED,
            reason="This child is not your council's, nor being worked by a shared service you are in.",
        )
    if child.restricted:
        model = type(child)
        if not model.objects.filter(pk=child.pk).filter(unlocked_q(user)).exists():
            return ChildAccess(
                False,
                False,
                True,
                whole,
                services,
                "This is a restricted record: only named people may open it.",
            )
    return ChildAccess(True, scope.may_change, False, whole, services, "")


def may_see_who_looked(user: AnyUser, access: ChildAccess) -> bool:
    """A child's audit trail: managers who may open the record."""
    return access.can_view and access.whole_record and has_role(user, *MANAGER_ROLES)


def may_merge(user: AnyUser, first: ChildAccess, second: ChildAccess) -> bool:
    """A team manager who can change both whole records (not a shared service's partial view of them)."""
    return has_role(user, Role.TEAM_MANAGER) and all(a.can_change and a.whole_record for a in (first, second))


def may_record_child(user: AnyUser, council_id: int, on: date) -> bool:
    """Record a new child for `council_id`: its caseworkers, or those of a shared front door covering it."""
    scope = scope_of(user, on)
    if not scope.may_change:
        return False
    if council_id in scope.councils:
        return True
    front_door = (
        apps.get_model("partnership", "Service")
        .objects.filter(code="front-door")
        .values_list("pk", flat=True)
    )
    return any((council_id, s) in scope.council_services for s in front_door)


def may_see_staff_activity(user: AnyUser, staff, on: date) -> bool:
    """A member of staff's record of opened records: their team managers, their council's heads of service,
    and system administrators."""
    me = getattr(user, "staff", None) if user.is_authenticated else None
    if me is None:
        return False
    roles = roles_of(user)
    if Role.SYSTEM_ADMINISTRATOR in roles:
        return True
    if Role.HEAD_OF_SERVICE in roles and me.employing_council_id == staff.employing_council_id:
        return True
    if Role.TEAM_MANAGER in roles:
        managed = set(me.team_memberships.on(on).filter(is_manager=True).values_list("team_id", flat=True))
        return staff.team_memberships.on(on).filter(team_id__in=managed).exists()
    return False


# --- The front door (MASH) --------------------------------------------------------------------------------
# A MASH team screens contacts for the councils it serves on the day: a council's own MASH for that council, a
# shared MASH for every council taking part in the arrangement then. Partner agencies' officers in the MASH
# (police, health, education) see and record only their own agency's checks.

FRONT_DOOR_ROLES = frozenset({Role.MASH_OFFICER, Role.TEAM_MANAGER})


def partner_agency_of(user: AnyUser) -> str | None:
    """The partner agency a MASH officer is seconded from (e.g. "police"); None for councils' own staff."""
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return None
    if not hasattr(staff, "_partner_agency"):
        officer = apps.get_model("frontdoor", "PartnerAgencyOfficer")
        staff._partner_agency = officer.objects.filter(staff=staff).values_list("agency", flat=True).first()
    return staff._partner_agency


def mash_councils(team, on: date) -> frozenset[int]:
    """The councils whose contacts a MASH team screens on `on`."""
    if team.council_id:
        return frozenset({team.council_id})
    return frozenset(team.arrangement.participations.on(on).values_list("council_id", flat=True))


def front_door_reach(user: AnyUser, on: date) -> dict[int, frozenset[int]]:
    """For each MASH team the user works in on `on`: the councils it serves that day."""
    if not roles_of(user) & FRONT_DOOR_ROLES:
        return {}
    staff = user.staff
    cache_key = f"_front_door_{on.isoformat()}"
    if not hasattr(staff, cache_key):
        memberships = (
            staff.team_memberships.on(on).filter(team__kind="mash").select_related("team__arrangement")
        )
        setattr(staff, cache_key, {m.team_id: mash_councils(m.team, on) for m in memberships})
    return getattr(staff, cache_key)


def own_mash_councils(user: AnyUser, on: date) -> frozenset[int]:
    """The councils whose own MASH team the user works in on `on`: they work every contact of that council,
    including those left in a shared MASH the council no longer takes part in."""
    if partner_agency_of(user) is not None or not roles_of(user) & FRONT_DOOR_ROLES:
        return frozenset()
    return frozenset(
        user.staff.team_memberships.on(on)
        .filter(team__kind="mash", team__council__isnull=False)
        .values_list("team__council_id", flat=True)
    )


def own_front_door_councils(user: AnyUser, on: date) -> frozenset[int]:
    """The councils whose contacts the user sees as that council's own staff, wherever they were screened:
    its own MASH team, and its heads of service (who read, not work, them)."""
    councils = set(own_mash_councils(user, on))
    if has_role(user, Role.HEAD_OF_SERVICE) and partner_agency_of(user) is None:
        council_id = user.staff.employing_council_id
        if council_id:
            councils.add(council_id)
    return frozenset(councils)


def may_use_mash_queue(user: AnyUser, on: date) -> bool:
    """The queue of contacts: a MASH's council staff (partner agencies' officers have their checks list),
    and a council's heads of service, for their council's contacts."""
    if partner_agency_of(user) is not None:
        return False
    return bool(front_door_reach(user, on)) or bool(own_front_door_councils(user, on))


def may_see_partner_checks(user: AnyUser, on: date) -> bool:
    return bool(front_door_reach(user, on)) and partner_agency_of(user) is not None


def may_record_contact(user: AnyUser, team, council_id: int, on: date) -> bool:
    """A contact about a council's children, in a MASH: its council staff, while it serves that council."""
    return partner_agency_of(user) is None and council_id in front_door_reach(user, on).get(team.pk, ())


def may_see_contact(user: AnyUser, contact, on: date) -> bool:
    """Anyone in the contact's MASH while it serves the contact's council; a partner agency's officer only
    where their agency has been asked about the contact (and then sees a part of it)."""
    agency = partner_agency_of(user)
    if agency is None and contact.council_id in own_front_door_councils(user, on):
        return True  # the council's own front door: its contacts are never out of its staff's reach
    if contact.council_id not in front_door_reach(user, on).get(contact.mash_team_id, ()):
        return False
    if agency is None:
        return True
    return contact.partner_checks.filter(agency=agency).exists()


def may_screen_contact(user: AnyUser, contact, on: date) -> bool:
    """Rate, ask partners, take, decide: the MASH's council staff, while it serves the contact's council; and
    the council's own MASH team, always."""
    if partner_agency_of(user) is not None or not roles_of(user) & FRONT_DOOR_ROLES:
        return False
    if contact.council_id in own_mash_councils(user, on):
        return True
    return contact.council_id in front_door_reach(user, on).get(contact.mash_team_id, ())


def may_authorise_contact_decision(user: AnyUser, contact, on: date) -> bool:
    """A manager of the contact's MASH (or of the council's own MASH), never the one who made the decision."""
    if not (has_role(user, Role.TEAM_MANAGER) and may_screen_contact(user, contact, on)):
        return False
    if contact.decided_by_id is not None and contact.decided_by_id == user.staff.pk:
        return False  # a second pair of eyes: nobody authorises their own decision
    managed = user.staff.team_memberships.on(on).filter(is_manager=True)
    if managed.filter(team__kind="mash", team__council_id=contact.council_id).exists():
        return True  # a manager of the council's own MASH
    return managed.filter(team_id=contact.mash_team_id).exists()


def may_record_partner_check(
    user: AnyUser, contact, agency: str, represented: frozenset[str], on: date
) -> bool:
    """An agency's own officer records its check; council staff record the answers of agencies not in the MASH
    (`represented`: the agencies with an officer in the contact's MASH that day)."""
    if not may_see_contact(user, contact, on):
        return False
    mine = partner_agency_of(user)
    if mine is not None:
        return mine == agency
    return agency not in represented


def may_see_front_door_figures(user: AnyUser, council_id: int, on: date) -> bool:
    """A council's heads of service and analysts; the managers of a MASH serving it."""
    roles = roles_of(user)
    if roles & COUNCIL_WIDE_ROLES and user.staff.employing_council_id == council_id:
        return True
    if Role.TEAM_MANAGER in roles and partner_agency_of(user) is None:
        return any(council_id in councils for councils in front_door_reach(user, on).values())
    return False


def may_add_child_to_contact(user: AnyUser, child, team, on: date) -> bool:
    """Name an existing child on a contact recorded in `team`: a child of a council the MASH serves whose
    record the worker may open, or will open once the contact gives the MASH its reach; never a restricted
    record the worker is not named on (nor has broken the glass for)."""
    if not may_record_contact(user, team, child.responsible_council_id, on):
        return False
    if child.restricted:
        return type(child).objects.filter(pk=child.pk).filter(unlocked_q(user)).exists()
    return True


def children_shown_on_contacts(user: AnyUser, children, on: date) -> set[int]:
    """Which of these children, named on contacts the user may see, are shown by name: those whose record
    they may open. A partner agency's officer opens no record, but checks the unrestricted children their
    agency was asked about."""
    ids = {c.pk for c in children}
    if not ids:
        return set()
    model = apps.get_model("people", "Child")
    found = model.objects.filter(pk__in=ids)
    if partner_agency_of(user) is not None:
        found = found.filter(Q(restricted=False) | unlocked_q(user))
    else:
        found = found.filter(visible_children_q(user, on))
    return set(found.values_list("pk", flat=True))


# Roles that prepare and check a council's DfE returns.
RETURNS_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.HEAD_OF_SERVICE})


def returns_councils(user: AnyUser) -> frozenset[int]:
    """The councils whose DfE returns the user may check: a performance analyst's or head of service's
    own employing council. Each council's returns are its own, even inside a partnership."""
    if not roles_of(user) & RETURNS_ROLES or partner_agency_of(user) is not None:
        return frozenset()
    council_id = user.staff.employing_council_id
    return frozenset({council_id}) if council_id else frozenset()


def may_check_returns(user: AnyUser, council_id: int) -> bool:
    return council_id in returns_councils(user)
