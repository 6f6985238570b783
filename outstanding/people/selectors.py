"""Reads about people. Each takes the acting user, returns only what they may see, and audits the look."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import StaffMember, TeamMembership
from outstanding.people import names
from outstanding.people.identifiers import normalise_nhs_number
from outstanding.people.models import Address, BreakGlassAccess, Child, Involvement, Relationship
from outstanding.people.services import normalise_postcode

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class SearchTerms:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.nhs_number or self.upn or self.postcode)

    def describe(self) -> str:
        parts = [
            f"name {self.name!r}" if self.name else "",
            f"born {self.date_of_birth}" if self.date_of_birth else "",
        ]
        parts += [
            f"NHS number {self.nhs_number}" if self.nhs_number else "",
            f"UPN {self.upn}" if self.upn else "",
        ]
        parts += [f"postcode {self.postcode}" if self.postcode else ""]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class SearchResult:
    child: Child | None  # None when the row is a masked restricted record
    restricted_masked: bool = False


def _matching(terms: SearchTerms) -> Q:
    q = Q(person__merged_into__isnull=True)
    if terms.name.strip():
        first, last = names.split_query(terms.name)
        last_q = Q(person__last_name_key=names.sound_key(last)) | Q(
            person__last_name_folded__startswith=names.fold(last)
        )
        q &= last_q
        if first:
            # "Jon" finds John (sounds alike) and Jonathan (starts alike)
            q &= Q(person__first_name_key=names.sound_key(first)) | Q(person__first_name__istartswith=first)
    if terms.date_of_birth:
        q &= Q(person__date_of_birth=terms.date_of_birth) | Q(expected_date_of_birth=terms.date_of_birth)
    if terms.nhs_number:
        q &= Q(person__nhs_number=normalise_nhs_number(terms.nhs_number))
    if terms.upn:
        q &= Q(upn=terms.upn.strip().upper())
    if terms.postcode:
        # any address the child has had; an EXISTS keeps one row per child without DISTINCT
        postcode = normalise_postcode(terms.postcode)
        q &= Exists(Address.objects.filter(person_id=OuterRef("person_id"), postcode=postcode))
    return q


def child_search(
    *, user: AbstractBaseUser, terms: SearchTerms, on: date | None = None, ip_address: str | None = None
) -> list[SearchResult]:
    """Children matching every term given, that the user may see, closest names first. Audited."""
    on = on or timezone.localdate()
    if terms.empty:
        return []
    matching = Child.objects.filter(_matching(terms))
    visible = matching.filter(policy.visible_children_q(user, on)).select_related(
        "person", "responsible_council"
    )
    if terms.name.strip():
        # exact spellings first, in the database, so a common surname can't push them past the limit
        first, last = names.split_query(terms.name)
        visible = visible.annotate(
            exact_last=Case(When(person__last_name_folded=names.fold(last), then=0), default=1),
            exact_first=Case(When(person__first_name__iexact=first, then=0), default=1),
        ).order_by("exact_last", "exact_first", "person__last_name", "person__first_name")
    found = list(visible[: SEARCH_LIMIT * 4])
    if terms.name.strip():
        first, last = names.split_query(terms.name)
        found.sort(
            key=lambda c: (
                -(
                    2 * names.likeness(last, c.person.last_name)
                    + (names.likeness(first, c.person.first_name) if first else 0)
                )
            )
        )
    results = [SearchResult(child=c) for c in found[:SEARCH_LIMIT]]
    if policy.restricted_in_search():
        scope = policy.scope_of(user, on)
        masked = (
            matching.filter(policy.in_scope_q(scope, on), restricted=True)
            .exclude(pk__in=[c.pk for c in found])
            .count()
            if not scope.empty
            else 0
        )
        results += [SearchResult(child=None, restricted_masked=True)] * masked
    audit_record(
        actor=user,
        action=AuditEvent.Action.SEARCH,
        summary=f"Searched for {terms.describe()}: {len(results)} found",
        ip_address=ip_address,
    )
    return results


def likely_duplicates(
    *,
    user: AbstractBaseUser,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    nhs_number: str = "",
    council_id: int | None = None,
) -> list[Child]:
    """Children already recorded who may be the one about to be recorded: the same NHS number, or a name that
    sounds the same with the same date of birth.

    Looks beyond the user's own view, since a duplicate hidden from them is still a duplicate; the page shows
    them only that one exists unless they may open it.
    """
    q = Q(pk__in=[])
    if nhs_number:
        q |= Q(person__nhs_number=normalise_nhs_number(nhs_number))
    if date_of_birth:
        q |= Q(
            person__last_name_key=names.sound_key(last_name),
            person__first_name_key=names.sound_key(first_name),
            person__date_of_birth=date_of_birth,
        )
    candidates = Child.objects.filter(q, person__merged_into__isnull=True).select_related("person")
    if council_id is not None:
        candidates = candidates.filter(responsible_council_id=council_id)
    return list(candidates[:10])


NO_RECORD = "There is no record you can open with that number."


def child_for_viewing(
    *, user: AbstractBaseUser, child_id: int, ip_address: str | None = None, restricted_page: bool = False
) -> tuple[Child, policy.ChildAccess]:
    """One child's record, if the user may open it. Every look is audited, and every refusal.

    A refusal reads the same whether or not the record exists, so it confirms nothing. Only the summary page
    asks with `restricted_page`, to offer break-glass on a restricted record to someone who would otherwise
    reach it; it gets the record back without its details being shown.
    """
    child = Child.objects.select_related("person", "responsible_council").filter(pk=child_id).first()
    if child is None:
        raise PermissionDenied(NO_RECORD)
    access = policy.child_access(user, child, timezone.localdate())
    if not access.can_view:
        audit_record(
            actor=user,
            action=AuditEvent.Action.ACCESS_DENIED,
            obj=child,
            council_id=child.responsible_council_id,
            summary="Refused a restricted record (break-glass offered)"
            if access.can_break_glass
            else "Refused a child's record",
            ip_address=ip_address,
        )
        if restricted_page and access.can_break_glass:
            return child, access
        raise PermissionDenied(NO_RECORD)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Viewed the record of {child.person.full_name}",
        ip_address=ip_address,
    )
    return child, access


@dataclass(frozen=True)
class RelatedPerson:
    relationship: Relationship
    name: str  # masked where the relative is a child whose record the viewer can't open
    child_id: int | None  # set where the viewer may open the relative's own record


def child_relationships(*, user: AbstractBaseUser, child: Child) -> list[RelatedPerson]:
    """The family and network around a child. A relative who is a child with a record of their own is named
    only if the viewer may open that record: a sibling in adoption stays hidden."""
    relationships = list(child.relationships.select_related("person__child").order_by("kind"))
    related_children = [r.person_id for r in relationships if hasattr(r.person, "child")]
    openable = set(
        Child.objects.filter(pk__in=related_children)
        .filter(policy.visible_children_q(user, timezone.localdate()))
        .values_list("pk", flat=True)
    )
    rows = []
    for r in relationships:
        if r.person_id in related_children and r.person_id not in openable:
            rows.append(RelatedPerson(r, "A child whose record you can't open", None))
        else:
            rows.append(
                RelatedPerson(r, r.person.full_name, r.person_id if r.person_id in openable else None)
            )
    return rows


def child_involvements(
    *, user: AbstractBaseUser, child: Child, access: policy.ChildAccess
) -> QuerySet[Involvement]:
    """The services' work with the child this viewer may see: all of it, or only their shared service's."""
    if not access.can_view:
        return Involvement.objects.none()
    involvements = child.involvements.select_related("service", "team", "allocated_worker__user")
    if not access.whole_record:
        involvements = involvements.filter(service_id__in=access.service_ids)
    return involvements


def child_audit_trail(
    *, user: AbstractBaseUser, child: Child, access: policy.ChildAccess
) -> QuerySet[AuditEvent]:
    """Who has looked at or changed this child's record (for managers)."""
    if not policy.may_see_who_looked(user, access):
        raise PermissionDenied("Only managers who can open this record can see who has looked at it.")
    return AuditEvent.objects.filter(object_type=Child._meta.label, object_id=str(child.pk))


@dataclass(frozen=True)
class ActivityRow:
    event: AuditEvent
    summary: str  # masked where it names a child the viewer may not open
    child_id: int | None  # set where the viewer may open the child's record


MASKED = "A child's record (not one you may open)"


def staff_activity(*, user: AbstractBaseUser, staff: StaffMember, limit: int = 500) -> list[ActivityRow]:
    """What records a member of staff opened, searched for or changed, as far as the viewer may know it.

    An event about a child the viewer may not open is shown without the child's name; search terms, which
    may name anyone, are shown only to viewers who reach every council the search could have reached.
    """
    if not policy.may_see_staff_activity(user, staff, timezone.localdate()):
        raise PermissionDenied("Only their managers, their head of service or an administrator can see this.")
    events = list(
        AuditEvent.objects.filter(actor_id=staff.user_id).exclude(
            action__in=[AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_OUT]
        )[:limit]
    )
    child_label = Child._meta.label
    mentioned = {int(e.object_id) for e in events if e.object_type == child_label and e.object_id.isdigit()}
    openable = set(
        Child.objects.filter(pk__in=mentioned)
        .filter(policy.visible_children_q(user, timezone.localdate()))
        .values_list("pk", flat=True)
    )
    own_councils = policy.scope_of(user, timezone.localdate()).councils
    rows = []
    for e in events:
        if e.object_type == child_label and e.object_id.isdigit():
            child_id = int(e.object_id)
            ok = child_id in openable
            rows.append(ActivityRow(e, e.summary if ok else MASKED, child_id if ok else None))
        elif e.action == AuditEvent.Action.SEARCH and not (e.council_id and e.council_id in own_councils):
            rows.append(ActivityRow(e, "Searched for children (the terms are not shown to you)", None))
        else:
            rows.append(ActivityRow(e, e.summary, None))
    return rows


def break_glass_uses(*, user: AbstractBaseUser, days: int = 30) -> list[BreakGlassAccess]:
    """Recent break-glass uses for a manager to question: by the people they manage, and, for a head of
    service, on their council's children. Listing them is itself audited."""
    staff = getattr(user, "staff", None)
    roles = policy.roles_of(user)
    if staff is None or not roles & policy.MANAGER_ROLES:
        return []
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=days)
    managed_teams = staff.team_memberships.on(today).filter(is_manager=True).values("team_id")
    managed_staff = StaffMember.objects.filter(
        team_memberships__in=TeamMembership.objects.on(today).filter(team_id__in=managed_teams)
    ).values("pk")
    whose = Q(staff_id__in=managed_staff)
    if policy.Role.HEAD_OF_SERVICE in roles and staff.employing_council_id:
        whose |= Q(child__responsible_council_id=staff.employing_council_id)
    uses = list(
        BreakGlassAccess.objects.filter(whose, granted_at__gte=since).select_related(
            "child__person", "staff__user"
        )
    )
    if uses:
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            summary=f"Viewed {len(uses)} break-glass use(s) to review",
            changes={"children": sorted({u.child_id for u in uses})},
        )
    return uses
