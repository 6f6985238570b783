"""Reads for casework: each takes the acting user and the child's access, and shows only what they may see."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.casework.models import (
    Assessment,
    CaseNote,
    CaseNoteVersion,
    CuratedChronology,
    Risk,
    RiskReview,
)
from outstanding.clocks.selectors import clocks_for_viewer, due_day
from outstanding.partnership.models import Council, TeamMembership
from outstanding.people.models import Child, Involvement
from outstanding.people.selectors import NO_RECORD
from outstanding.timescales import EVENT_LABELS, Status


def _scoped(queryset: QuerySet, access: policy.ChildAccess, field: str = "service_id") -> QuerySet:
    if not access.can_view:
        return queryset.none()
    if access.whole_record:
        return queryset
    return queryset.filter(**{f"{field}__in": access.service_ids})


def child_notes(*, user: AbstractBaseUser, child: Child, access: policy.ChildAccess) -> QuerySet[CaseNote]:
    """Finalised notes, and the viewer's own drafts: a draft is its author's until finalised."""
    notes = _scoped(child.case_notes.all(), access).select_related("author__user")
    staff = getattr(user, "staff", None)
    return notes.filter(finalised_at__isnull=False) | notes.filter(author=staff)


def note_for(
    *, user: AbstractBaseUser, note_id: int, audit: bool = True, ip_address: str | None = None
) -> tuple[CaseNote, list[CaseNoteVersion], set[int]]:
    """One note with every version, and the children it covers whom the user may open (others are shown
    without their names). The user must reach at least one child, within the note's service if their reach
    is a shared service's. A draft is its author's alone. Every refusal reads like a missing note."""
    note = (
        CaseNote.objects.select_related("author__user")
        .prefetch_related("children__person")
        .filter(pk=note_id)
        .first()
    )
    refused = PermissionDenied(NO_RECORD)
    if note is None or (not note.is_final and note.author.user_id != user.pk):
        raise refused
    today = timezone.localdate()
    openable = set()
    for child in note.children.all():
        access = policy.child_access(user, child, today)
        if access.can_view and (access.whole_record or note.service_id in access.service_ids):
            openable.add(child.pk)
    if not openable:
        raise refused
    if audit:
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            obj=note,
            council_id=note.council_id,
            summary=f"Read note {note.pk} ({note.get_kind_display().lower()}, {note.occurred_on:%d %b %Y})",
            ip_address=ip_address,
        )
    return note, list(note.versions.select_related("saved_by__user")), openable


class ChronologyRow(NamedTuple):
    pk: int
    occurred_on: date
    label: str
    summary: str
    service: str
    link: str  # where the record behind it is, or ""


_PROTECTION_RECORDS = {
    "casework.StrategyDiscussion",
    "casework.ChildProtectionConference",
    "casework.ChildProtectionPlan",
    "casework.Visit",
}


def _link(child_id: int, source_type: str, source_id: str) -> str:
    """Where the record behind a chronology entry is shown."""
    if source_type == "casework.CaseNote":
        return reverse("casework:note", args=[source_id])
    if source_type == "casework.Assessment":
        return reverse("casework:assessment", args=[source_id])
    if source_type == "casework.Risk":
        return reverse("casework:risks", args=[child_id]) + f"#risk-{source_id}"
    if source_type in _PROTECTION_RECORDS:
        return reverse("casework:protection", args=[child_id])
    if source_type == "frontdoor.Contact":
        return reverse("frontdoor:contact", args=[source_id])
    return ""


KIND_LABELS = {
    **EVENT_LABELS,
    "case_note": "Case note",
    "risk_identified": "Risk identified",
    "contact": "Contact",
}


def child_chronology(
    *, user: AbstractBaseUser, child: Child, access: policy.ChildAccess, kinds: list[str] | None = None
) -> list[ChronologyRow]:
    """The child's significant events in date order, each with its source; one query whatever the length.

    Plain rows rather than model objects: a chronology for court can run to thousands of entries.
    """
    events = _scoped(child.chronology.all(), access)
    if kinds:
        events = events.filter(kind__in=kinds)
    fields = ("pk", "occurred_on", "kind", "summary", "service__name", "source_type", "source_id")
    return [
        ChronologyRow(
            pk,
            on,
            KIND_LABELS.get(kind, kind.replace("_", " ").capitalize()),
            summary,
            service or "",
            _link(child.pk, source_type, source_id),
        )
        for pk, on, kind, summary, service, source_type, source_id in events.values_list(*fields)
    ]


def child_risks(*, user: AbstractBaseUser, child: Child, access: policy.ChildAccess) -> QuerySet[Risk]:
    if not (access.can_view and access.whole_record):
        return Risk.objects.none()
    return child.risks.select_related("identified_by__user").prefetch_related("reviews")


def curated_for(
    *, user: AbstractBaseUser, curated_id: int, export: bool = False, ip_address: str | None = None
) -> CuratedChronology:
    """A chronology prepared for conference or court: the council's own work, for whole-record viewers."""
    curated = (
        CuratedChronology.objects.select_related(
            "child__person", "child__responsible_council", "prepared_by__user"
        )
        .prefetch_related(Prefetch("entries__event"))
        .filter(pk=curated_id)
        .first()
    )
    access = policy.child_access(user, curated.child, timezone.localdate()) if curated else None
    if access is None or not (access.can_view and access.whole_record):
        raise PermissionDenied(NO_RECORD)
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW,
        obj=curated.child,
        council_id=curated.child.responsible_council_id,
        summary=f"{'Downloaded' if export else 'Read'} the chronology '{curated.title}'",
        ip_address=ip_address,
    )
    return curated


@dataclass(frozen=True)
class TrayChild:
    child: Child
    involvement_service: str
    overdue: int
    due_soon: int
    next_due: date | None


@dataclass(frozen=True)
class WorkTray:
    children: list[TrayChild]
    drafts: list[CaseNote]
    draft_assessments: list[Assessment]
    to_authorise: list[Assessment]  # for managers: their team's assessments waiting


def work_tray(*, user: AbstractBaseUser, as_of: date | None = None) -> WorkTray:
    """A worker's own children (open allocations), what is overdue or due soon for each, and drafts."""
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("Only members of staff have a work tray.")
    as_of = as_of or timezone.localdate()
    allocations = (
        Involvement.objects.open_on(as_of)
        .filter(allocated_worker=staff)
        .filter(child__in=Child.objects.filter(policy.visible_children_q(user, as_of)))
        .select_related("child__person", "child__responsible_council", "service")
    )
    by_child = {i.child_id: i for i in allocations}
    clocks = clocks_for_viewer(user, [i.child for i in by_child.values()], as_of)
    rows = []
    for child_id, involvement in by_child.items():
        open_clocks = [c for c in clocks[child_id] if c.is_open]
        rows.append(
            TrayChild(
                child=involvement.child,
                involvement_service=involvement.service.name,
                overdue=sum(c.status == Status.OVERDUE for c in open_clocks),
                due_soon=sum(c.status == Status.DUE_SOON for c in open_clocks),
                next_due=min((due_day(c) for c in open_clocks if c.due), default=None),
            )
        )
    rows.sort(key=lambda r: (-r.overdue, -r.due_soon, r.next_due or date.max, r.child.person.last_name))
    visible = Child.objects.filter(policy.visible_children_q(user, as_of))
    # a draft whose child the worker may no longer open (restricted since, or moved away) is not shown
    drafts = list(
        CaseNote.objects.filter(author=staff, finalised_at__isnull=True)
        .exclude(children__in=Child.objects.exclude(pk__in=visible.values("pk")))
        .prefetch_related("children__person")
    )
    managed_teams = staff.team_memberships.on(as_of).filter(is_manager=True).values("team_id")
    their_staff = TeamMembership.objects.on(as_of).filter(team_id__in=managed_teams).values("staff_id")
    to_authorise = (
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, author_id__in=their_staff, child__in=visible
        )
        .exclude(author=staff)
        .select_related("child__person", "author__user")
    )
    draft_assessments = Assessment.objects.filter(
        author=staff, status=Assessment.Status.DRAFT, child__in=visible
    ).select_related("child__person")
    return WorkTray(rows, drafts, list(draft_assessments), list(to_authorise))


SMALL_NUMBER = 5


@dataclass(frozen=True)
class RiskOutcome:
    kind: str
    label: str
    reviewed: int
    fell: int
    same: int
    rose: int

    @property
    def suppressed(self) -> bool:
        """Too few to show without risking that a child is recognised (the DfE's convention: under 5)."""
        return self.reviewed < SMALL_NUMBER

    @property
    def fell_share(self) -> float:
        return 100 * self.fell / self.reviewed if self.reviewed else 0.0


def risk_outcomes(*, user: AbstractBaseUser) -> tuple[Council, list[RiskOutcome]]:
    """For leaders: of the risks reviewed since they were identified, how many fell, stayed or rose, by type,
    for the viewer's own council. Counts only: no child is named."""
    staff = getattr(user, "staff", None)
    if not policy.has_role(user, policy.Role.HEAD_OF_SERVICE, policy.Role.PERFORMANCE_ANALYST) or not getattr(
        staff, "employing_council_id", None
    ):
        raise PermissionDenied("Heads of service and performance analysts see their council's risk outcomes.")
    council = staff.employing_council
    latest = (
        RiskReview.objects.filter(risk=OuterRef("pk")).order_by("-reviewed_on", "-id").values("level")[:1]
    )
    rows = (
        Risk.objects.filter(child__responsible_council=council, child__restricted=False)
        .annotate(latest=Subquery(latest))
        .filter(latest__isnull=False)
        .values_list("kind", "level", "latest")
    )
    counts: dict[str, list[int]] = {}
    for kind, first, last in rows:
        tally = counts.setdefault(kind, [0, 0, 0])
        tally[0 if last < first else 1 if last == first else 2] += 1
    labels = dict(Risk.Kind.choices)
    outcomes = [
        RiskOutcome(kind, labels.get(kind, kind), sum(t), t[0], t[1], t[2])
        for kind, t in sorted(counts.items())
    ]
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        council_id=council.pk,
        summary="Viewed risk outcomes by type",
    )
    return council, outcomes
