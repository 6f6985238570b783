"""Writes to the partnership part. Each function runs in one transaction and writes its own audit event."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import (
    ArrangementParticipation,
    Council,
    Partnership,
    PartnershipMembership,
    Service,
    SharedServiceArrangement,
    StaffMember,
    StaffRole,
    Team,
    TeamMembership,
)
from outstanding.partnership.roles import REGISTERED_SOCIAL_WORK_ROLES, Role
from outstanding.partnership.rules import Period, first_overlap, intersect, sharing_shortfalls

Actor = AbstractBaseUser | None


def _period(start_date: date, end_date: date | None) -> Period:
    try:
        return Period(start_date, end_date)
    except ValueError as error:
        raise ValidationError(str(error)) from error


@transaction.atomic
def council_create(
    *, actor: Actor, name: str, slug: str, la_code: str, ons_code: str, child_population: int | None = None
) -> Council:
    council = Council(
        name=name, slug=slug, la_code=la_code, ons_code=ons_code, child_population=child_population
    )
    council.full_clean()
    council.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=council,
        council_id=council.pk,
        summary=f"Added council {name} (LA {la_code})",
    )
    return council


@transaction.atomic
def partnership_create(*, actor: Actor, name: str, slug: str) -> Partnership:
    partnership = Partnership(name=name, slug=slug)
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=partnership, summary=f"Added partnership {name}"
    )
    return partnership


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    partnership: Partnership,
    council: Council,
    start_date: date,
    end_date: date | None = None,
) -> PartnershipMembership:
    new = _period(start_date, end_date)
    existing = PartnershipMembership.objects.select_for_update().filter(
        partnership=partnership, council=council
    )
    clash = first_overlap(new, [Period(m.start_date, m.end_date) for m in existing])
    if clash is not None:
        raise ValidationError(
            f"{council} is already a member of {partnership} from {clash.start:%d %b %Y}"
            + (f" to {clash.end:%d %b %Y}" if clash.end else "")
            + ": memberships of one council can't overlap."
        )
    membership = PartnershipMembership.objects.create(
        partnership=partnership, council=council, start_date=start_date, end_date=end_date
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=membership,
        council_id=council.pk,
        summary=f"{council} joined {partnership} on {start_date:%d %b %Y}",
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor: Actor, membership: PartnershipMembership, end_date: date
) -> PartnershipMembership:
    """A council leaves a partnership: its part in every shared service ends with its membership."""
    membership = PartnershipMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None and membership.end_date <= end_date:
        raise ValidationError(f"This membership already ends on {membership.end_date:%d %b %Y}.")
    _period(membership.start_date, end_date)
    before = membership.end_date
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    touched = set()
    for participation in ArrangementParticipation.objects.select_for_update().filter(
        arrangement__partnership=membership.partnership, council=membership.council
    ):
        if participation.start_date > end_date:
            raise ValidationError(
                f"{membership.council} is due to join the shared {participation.arrangement.service} after "
                f"{end_date:%d %b %Y}: change that arrangement first."
            )
        if participation.end_date is None or participation.end_date > end_date:
            participation.end_date = end_date
            participation.save(update_fields=["end_date"])
            touched.add(participation.arrangement)
    for arrangement in touched:
        arrangement_check(arrangement=arrangement)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=membership,
        council_id=membership.council_id,
        summary=f"{membership.council} leaves {membership.partnership} after {end_date:%d %b %Y}",
        changes={"end_date": [str(before) if before else None, str(end_date)]},
    )
    return membership


def arrangement_check(*, arrangement: SharedServiceArrangement) -> None:
    """Raise ValidationError unless at least two member councils share the service on every day of it."""
    period = Period(arrangement.start_date, arrangement.end_date)
    by_council: dict[str, list[Period]] = {}
    memberships = list(PartnershipMembership.objects.filter(partnership=arrangement.partnership))
    for p in arrangement.participations.all():
        taking_part = Period(p.start_date, p.end_date)
        for m in memberships:
            if m.council_id == p.council_id:
                cut = intersect(taking_part, Period(m.start_date, m.end_date))
                if cut is not None:
                    by_council.setdefault(str(p.council_id), []).append(cut)
    shortfalls = sharing_shortfalls(period, by_council)
    if shortfalls:
        first = shortfalls[0]
        until = f" to {first.end:%d %b %Y}" if first.end else " onwards"
        raise ValidationError(
            f"A shared {arrangement.service} needs at least two member councils on every day, but from "
            f"{first.start:%d %b %Y}{until} it has {first.councils}."
        )


@transaction.atomic
def arrangement_create(
    *,
    actor: Actor,
    partnership: Partnership,
    service: Service,
    start_date: date,
    end_date: date | None = None,
    councils: Sequence[Council | tuple[Council, date, date | None]],
) -> SharedServiceArrangement:
    """Share `service` between `councils` (each for the whole arrangement, or with its own dates)."""
    period = _period(start_date, end_date)
    arrangement = SharedServiceArrangement.objects.create(
        partnership=partnership, service=service, start_date=start_date, end_date=end_date
    )
    for entry in councils:
        council, c_start, c_end = entry if isinstance(entry, tuple) else (entry, start_date, end_date)
        taking_part = _period(c_start, c_end)
        if not period.covers(taking_part):
            raise ValidationError(
                f"{council}'s part in the shared {service} must fall within the arrangement."
            )
        ArrangementParticipation.objects.create(
            arrangement=arrangement, council=council, start_date=c_start, end_date=c_end
        )
    arrangement_check(arrangement=arrangement)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=arrangement,
        summary=f"{partnership} shares {service} from {start_date:%d %b %Y}",
        changes={"councils": sorted(str(c[0] if isinstance(c, tuple) else c) for c in councils)},
    )
    return arrangement


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    name: str,
    kind: Team.Kind,
    services: Iterable[Service],
    council: Council | None = None,
    arrangement: SharedServiceArrangement | None = None,
) -> Team:
    if (council is None) == (arrangement is None):
        raise ValidationError("A team belongs either to one council or to one shared service.")
    services = list(services)
    if arrangement is not None and any(s.pk != arrangement.service_id for s in services):
        raise ValidationError(f"A team of the shared {arrangement.service} can only work that service.")
    team = Team(name=name, kind=kind, council=council, arrangement=arrangement)
    team.full_clean()
    team.save()
    team.services.set(services)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=team,
        council_id=council.pk if council else None,
        summary=f"Added team {name}",
    )
    return team


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[Role],
    employing_council: Council | None,
    job_title: str = "",
    swe_registration_number: str | None = None,
    password_hash: str | None = None,
) -> StaffMember:
    """A new member of staff and their sign-in; without `password_hash` they can't sign in yet."""
    roles = set(roles)
    if not roles:
        raise ValidationError("A member of staff needs at least one role.")
    if roles & REGISTERED_SOCIAL_WORK_ROLES and not swe_registration_number:
        names = ", ".join(sorted(Role(r).label.lower() for r in roles & REGISTERED_SOCIAL_WORK_ROLES))
        raise ValidationError(f"A {names} must have a Social Work England registration number.")
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError(f"The sign-in name {username} is already taken.")
    user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
    # System administrators keep the reference data (councils, services) in Django's admin, and nothing else.
    user.is_staff = Role.SYSTEM_ADMINISTRATOR in roles
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    staff = StaffMember(
        user=user,
        employing_council=employing_council,
        job_title=job_title,
        swe_registration_number=swe_registration_number or None,
    )
    staff.full_clean()
    staff.save()
    StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in sorted(roles)])
    if user.is_staff:
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="partnership",
                content_type__model__in=["council", "service"],
                codename__regex=r"^(add|change|view)_",
            )
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=staff,
        council_id=employing_council.pk if employing_council else None,
        summary=f"Added staff member {staff.full_name} ({', '.join(Role(r).label for r in sorted(roles))})",
    )
    return staff


@transaction.atomic
def team_membership_add(
    *,
    actor: Actor,
    staff: StaffMember,
    team: Team,
    start_date: date,
    end_date: date | None = None,
    is_manager: bool = False,
) -> TeamMembership:
    new = _period(start_date, end_date)
    existing = TeamMembership.objects.select_for_update().filter(staff=staff, team=team)
    clash = first_overlap(new, [Period(m.start_date, m.end_date) for m in existing])
    if clash is not None:
        raise ValidationError(
            f"{staff} is already in {team} from {clash.start:%d %b %Y}: team memberships can't overlap."
        )
    membership = TeamMembership.objects.create(
        staff=staff, team=team, start_date=start_date, end_date=end_date, is_manager=is_manager
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=membership,
        council_id=team.council_id,
        summary=f"{staff} joined {team} on {start_date:%d %b %Y}" + (" as manager" if is_manager else ""),
    )
    return membership
