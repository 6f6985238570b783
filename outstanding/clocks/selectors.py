"""Statutory clocks read from children's chronologies: one child's, and what is due across a team."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.clocks.models import CouncilTimescaleSetting
from outstanding.partnership.models import Council, Team
from outstanding.partnership.roles import Role
from outstanding.people.models import Child, ChronologyEvent
from outstanding.timescales import (
    EVENT_KINDS,
    Case,
    Clock,
    CouncilTimescaleSettings,
    Deadline,
    Event,
    Status,
    Unit,
    WorkingDayCalendar,
    christmas_closure_days,
    engine_for,
)

OPEN = (Status.OVERDUE, Status.DUE_SOON, Status.DUE)
TEAM_HORIZON_WORKING_DAYS = 10


def settings_for(council: Council) -> CouncilTimescaleSettings:
    """The council's local timescales: its saved settings, or the timescales.md defaults."""
    saved = CouncilTimescaleSetting.objects.filter(council=council).first()
    if saved is None:
        return CouncilTimescaleSettings()
    closures = {date.fromisoformat(d) for d in saved.extra_closure_days}
    if saved.closed_christmas_to_new_year:
        closures |= christmas_closure_days(2010, 2035)
    return CouncilTimescaleSettings(
        closure_days=frozenset(closures),
        first_core_group=Deadline(saved.first_core_group_working_days, Unit.WORKING_DAYS),
        cp_visits=Deadline(saved.cp_visit_working_days, Unit.WORKING_DAYS),
        cin_visits=Deadline(saved.cin_visit_working_days, Unit.WORKING_DAYS),
        care_leaver_contact=Deadline(saved.care_leaver_contact_weeks, Unit.WEEKS),
    )


def _case(child: Child, events: list[ChronologyEvent]) -> Case:
    return Case(
        child=str(child.pk),
        events=[
            Event(e.kind, e.occurred_at or e.occurred_on, e.key or None, e.facts or {})
            for e in events
            if e.kind in EVENT_KINDS  # a case note or an address change starts no clock
        ],
        born_on=child.person.date_of_birth,
    )


def child_clocks(
    *, user: AbstractBaseUser, child: Child, access: policy.ChildAccess, as_of: date | None = None
) -> list[Clock]:
    """Every clock that applies to the child, open ones first. Only for those who may see the whole record."""
    if not (access.can_view and access.whole_record):
        raise PermissionDenied("Only those who can open the whole record can see its timescales.")
    as_of = as_of or timezone.localdate()
    events = list(child.chronology.all())
    clocks = engine_for(settings_for(child.responsible_council)).evaluate(_case(child, events), as_of)
    return sorted(clocks, key=lambda c: (not c.is_open, _sort_day(c.due), c.rule.title))


def clocks_by_child(
    children: list[Child], as_of: date, only_services: dict[int, frozenset[int]] | None = None
) -> dict[int, list[Clock]]:
    """Every clock of many children, with their events in one query and each council's settings read once.

    `only_services` limits a child's events to some services' (a shared service's staff see only their own
    service's work, so only the clocks it drives).
    """
    only_services = only_services or {}
    events: dict[int, list[ChronologyEvent]] = {}
    for event in ChronologyEvent.objects.filter(child__in=children).order_by("occurred_on", "id"):
        allowed = only_services.get(event.child_id)
        if allowed is None or event.service_id in allowed:
            events.setdefault(event.child_id, []).append(event)
    engines = {}
    clocks = {}
    for child in children:
        council_id = child.responsible_council_id
        if council_id not in engines:
            engines[council_id] = engine_for(settings_for(child.responsible_council))
        clocks[child.pk] = engines[council_id].evaluate(_case(child, events.get(child.pk, [])), as_of)
    return clocks


def clocks_for_viewer(user: AbstractBaseUser, children: list[Child], as_of: date) -> dict[int, list[Clock]]:
    """The clocks each child's viewer may see: all of them, or for a shared service's staff only those their
    own service's work drives. Every list of clocks goes through here."""
    accesses = {child.pk: policy.child_access(user, child, as_of) for child in children}
    partial = {pk: access.service_ids for pk, access in accesses.items() if not access.whole_record}
    return clocks_by_child(children, as_of, only_services=partial)


def due_day(clock: Clock) -> date:
    """The day a clock is due (hours-based clocks are due at a time on it); far in the future if never."""
    return _sort_day(clock.due)


@dataclass(frozen=True)
class DueItem:
    child: Child
    clock: Clock
    worker: str


def _may_see_team(user: AbstractBaseUser, team: Team, on: date) -> bool:
    staff = getattr(user, "staff", None)
    if staff is None:
        return False
    if staff.team_memberships.on(on).filter(team=team).exists():
        return True
    return bool(
        policy.has_role(user, Role.HEAD_OF_SERVICE)
        and team.council_id
        and team.council_id == staff.employing_council_id
    )


def team_due(
    *, user: AbstractBaseUser, team: Team, as_of: date | None = None, ip_address: str | None = None
) -> list[DueItem]:
    """Clocks overdue, or due within the next 10 working days, for the children the team works with.

    Soonest first. For the team's members and its council's head of service; children the viewer can't open
    are left out.
    """
    as_of = as_of or timezone.localdate()
    if not _may_see_team(user, team, as_of):
        raise PermissionDenied("You can see the timescales of your own teams only.")
    horizon = WorkingDayCalendar.england().add_working_days(as_of, TEAM_HORIZON_WORKING_DAYS)
    involvements = (
        team.involvements.open_on(as_of)
        .select_related("child__person", "child__responsible_council", "allocated_worker__user")
        .filter(child__in=Child.objects.filter(policy.visible_children_q(user, as_of)))
    )
    by_child = {i.child_id: i for i in involvements}
    items: list[DueItem] = []
    clocks = clocks_for_viewer(user, [i.child for i in by_child.values()], as_of)
    for child_id, involvement in by_child.items():
        for clock in clocks[child_id]:
            if clock.status in OPEN and clock.is_open and due_day(clock) <= horizon:
                worker = involvement.allocated_worker
                items.append(
                    DueItem(involvement.child, clock, worker.full_name if worker else "Not allocated")
                )
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=team,
        council_id=team.council_id,
        summary=f"Viewed timescales due for {team} ({len(by_child)} children)",
        ip_address=ip_address,
    )
    # and each child's own "who looked" page shows that their timescales were seen on this list
    for involvement in by_child.values():
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            obj=involvement.child,
            council_id=involvement.child.responsible_council_id,
            summary=f"Saw this child's timescales on {team}'s list",
            ip_address=ip_address,
        )
    return sorted(items, key=lambda i: (_sort_day(i.clock.due), i.child.person.last_name))


def _sort_day(value: date | datetime | None) -> date:
    if value is None:
        return date.max
    return value.date() if isinstance(value, datetime) else value
