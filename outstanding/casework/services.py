"""Writes for casework alongside every step. Each runs in one transaction with its audit and chronology."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.casework.models import (
    Assessment,
    CaseNote,
    CaseNoteAddition,
    CaseNoteVersion,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    CuratedChronology,
    CuratedEntry,
    EpisodeClosure,
    PlanReview,
    Risk,
    RiskReview,
    StrategyDiscussion,
    Visit,
)
from outstanding.codes import CIN
from outstanding.partnership.models import Service
from outstanding.people.models import Child, ChronologyEvent
from outstanding.people.services import chronology_record
from outstanding.timescales import EventKind


class NoteIsFinal(ValidationError):
    """A finalised note is never changed; it can only be added to."""


def _staff(actor: AbstractBaseUser):
    staff = getattr(actor, "staff", None)
    if staff is None:
        raise PermissionDenied("Only members of staff write casework records.")
    return staff


def _require_change(actor: AbstractBaseUser, child: Child) -> policy.ChildAccess:
    access = policy.child_access(actor, child, timezone.localdate())
    if not access.can_change:
        raise PermissionDenied("You can't add to this child's record.")
    return access


def _note_service(actor: AbstractBaseUser, access: policy.ChildAccess) -> Service | None:
    """The service a note belongs to: for a shared service's worker, theirs, so partners see their own."""
    if access.whole_record or not access.service_ids:
        return None
    return Service.objects.get(pk=min(access.service_ids))


@transaction.atomic
def note_draft_save(
    *,
    actor: AbstractBaseUser,
    text: str,
    note: CaseNote | None = None,
    children: list[Child] | None = None,
    kind: str = "",
    occurred_on: date | None = None,
    title: str = "",
    significant: bool = False,
    autosave: bool = False,
    ip_address: str | None = None,
) -> CaseNote:
    """Start a note or save its draft again. Every explicit save is a new version; an autosave refreshes the
    latest autosaved version, so a long typing session doesn't leave hundreds of versions."""
    staff = _staff(actor)
    if note is None:
        if not children:
            raise ValidationError({"children": "Choose the child (or children) this note is about."})
        councils = {c.responsible_council_id for c in children}
        if len(councils) > 1:
            raise ValidationError({"children": "One note can cover children of one council only."})
        accesses = [_require_change(actor, c) for c in children]
        errors = {}
        if kind not in CaseNote.Kind.values:
            errors["kind"] = "Choose the type of note."
        if occurred_on is None:
            errors["occurred_on"] = "Enter the date of the visit, call or meeting."
        elif occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date can't be in the future."
        if not title.strip():
            errors["title"] = "Give the note a short title."
        if errors:
            raise ValidationError(errors)
        note = CaseNote.objects.create(
            council_id=councils.pop(),
            service=_note_service(actor, accesses[0]),
            author=staff,
            kind=kind,
            occurred_on=occurred_on,
            title=title.strip(),
            significant=significant,
        )
        note.children.set(children)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=note,
            council_id=note.council_id,
            summary=f"Started a {note.get_kind_display().lower()} note for {len(children)} child(ren)",
            ip_address=ip_address,
        )
    else:
        note = CaseNote.objects.select_for_update().get(pk=note.pk)
        if note.is_final:
            raise NoteIsFinal("This note is finalised: it can't be changed, only added to.")
        if note.author_id != staff.pk:
            raise PermissionDenied("Only the author can change a draft note.")
        for child in note.children.all():
            _require_change(actor, child)
    latest = note.versions.order_by("-number").first()
    if autosave and latest is not None and latest.autosaved and latest.saved_by_id == staff.pk:
        latest.text = text
        latest.save(update_fields=["text", "saved_at"])
    else:
        CaseNoteVersion.objects.create(
            note=note,
            number=(latest.number + 1 if latest else 1),
            text=text,
            saved_by=staff,
            autosaved=autosave,
        )
    return note


@transaction.atomic
def note_finalise(*, actor: AbstractBaseUser, note: CaseNote, ip_address: str | None = None) -> CaseNote:
    staff = _staff(actor)
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if note.is_final:
        raise NoteIsFinal("This note is already finalised.")
    if note.author_id != staff.pk:
        raise PermissionDenied("Only the author can finalise a note.")
    current = note.versions.order_by("-number").first()
    if current is None or not current.text.strip():
        raise ValidationError({"text": "Write the note before finalising it."})
    children = list(note.children.all())
    for child in children:
        _require_change(actor, child)
    note.finalised_at = timezone.now()
    note.save(update_fields=["finalised_at"])
    if note.significant:
        for child in children:
            chronology_record(
                actor=actor,
                child=child,
                kind="case_note",
                occurred_on=note.occurred_on,
                summary=f"{note.get_kind_display()}: {note.title}",
                service=note.service,
                source=note,
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=note,
        council_id=note.council_id,
        summary=f"Finalised note {note.pk} ({len(children)} child(ren))",
        ip_address=ip_address,
    )
    return note


@transaction.atomic
def note_add_to(
    *, actor: AbstractBaseUser, note: CaseNote, text: str, ip_address: str | None = None
) -> CaseNoteAddition:
    staff = _staff(actor)
    if not note.is_final:
        raise ValidationError("A draft note can be changed directly; additions are for finalised notes.")
    if not text.strip():
        raise ValidationError({"text": "Write what you are adding."})
    for child in note.children.all():
        _require_change(actor, child)
    addition = CaseNoteAddition.objects.create(note=note, text=text.strip(), author=staff)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=note,
        council_id=note.council_id,
        summary=f"Added to finalised note {note.pk}",
        ip_address=ip_address,
    )
    return addition


@transaction.atomic
def risk_record(
    *,
    actor: AbstractBaseUser,
    child: Child,
    kind: str,
    level: int,
    identified_on: date,
    description: str = "",
) -> Risk:
    staff = _staff(actor)
    _whole_record_change(actor, child)
    errors = {}
    if kind not in Risk.Kind.values:
        errors["kind"] = "Choose the type of risk."
    if level not in Risk.Level.values:
        errors["level"] = "Choose the level of risk."
    if identified_on > timezone.localdate():
        errors["identified_on"] = "The date identified can't be in the future."
    if errors:
        raise ValidationError(errors)
    risk = Risk.objects.create(
        child=child,
        kind=kind,
        level=level,
        identified_on=identified_on,
        description=description,
        identified_by=staff,
    )
    chronology_record(
        actor=actor,
        child=child,
        kind="risk_identified",
        occurred_on=identified_on,
        summary=f"Risk identified: {risk.get_kind_display()} ({risk.get_level_display().lower()})",
        source=risk,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=risk,
        council_id=child.responsible_council_id,
        summary=f"Recorded risk: {risk.get_kind_display()}",
    )
    return risk


@transaction.atomic
def risk_review(
    *, actor: AbstractBaseUser, risk: Risk, reviewed_on: date, level: int, note: str = "", close: bool = False
) -> RiskReview:
    staff = _staff(actor)
    _whole_record_change(actor, risk.child)
    if risk.closed_on is not None:
        raise ValidationError("This risk was closed; record a new one if it has returned.")
    if reviewed_on < risk.identified_on or reviewed_on > timezone.localdate():
        raise ValidationError(
            {"reviewed_on": "A review falls between the day the risk was identified and today."}
        )
    if level not in Risk.Level.values:
        raise ValidationError({"level": "Choose the level of risk."})
    review = RiskReview.objects.create(
        risk=risk, reviewed_on=reviewed_on, level=level, note=note, reviewed_by=staff
    )
    if close:
        risk.closed_on = reviewed_on
        risk.save(update_fields=["closed_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=risk,
        council_id=risk.child.responsible_council_id,
        summary=f"Reviewed risk {risk.get_kind_display()}: now {review.get_level_display().lower()}"
        + (" and closed" if close else ""),
    )
    return review


@transaction.atomic
def curated_chronology_save(
    *,
    actor: AbstractBaseUser,
    child: Child,
    purpose: str,
    title: str,
    analysis: str,
    entries: dict[int, str],
    curated: CuratedChronology | None = None,
) -> CuratedChronology:
    """Create or update a curated chronology: the chosen events (id -> comment) and the overall analysis."""
    staff = _staff(actor)
    _whole_record_change(actor, child)
    if curated is not None and curated.finalised_at:
        raise ValidationError("This chronology is finalised; start a new one to change it.")
    if purpose not in CuratedChronology.Purpose.values or not title.strip():
        raise ValidationError({"title": "Give the chronology a title and say what it is for."})
    events = ChronologyEvent.objects.filter(child=child, pk__in=entries)
    if events.count() != len(entries):
        raise ValidationError({"entries": "Choose events from this child's chronology only."})
    if curated is None:
        curated = CuratedChronology.objects.create(
            child=child, purpose=purpose, title=title.strip(), analysis=analysis, prepared_by=staff
        )
    else:
        curated.purpose, curated.title, curated.analysis = purpose, title.strip(), analysis
        curated.save(update_fields=["purpose", "title", "analysis"])
        curated.entries.all().delete()
    CuratedEntry.objects.bulk_create(
        [CuratedEntry(chronology=curated, event_id=pk, comment=comment) for pk, comment in entries.items()]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Prepared chronology '{curated.title}' ({len(entries)} entries)",
    )
    return curated


@transaction.atomic
def curated_chronology_finalise(*, actor: AbstractBaseUser, curated: CuratedChronology) -> CuratedChronology:
    _whole_record_change(actor, curated.child)
    if curated.finalised_at:
        raise ValidationError("This chronology is already finalised.")
    if not curated.entries.exists():
        raise ValidationError("Choose at least one event before finalising.")
    curated.finalised_at = timezone.now()
    curated.save(update_fields=["finalised_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=curated.child,
        council_id=curated.child.responsible_council_id,
        summary=f"Finalised chronology '{curated.title}'",
    )
    return curated


_ASSESSMENT_FIELDS = (
    "child_seen_on",
    "child_seen_alone_on",
    "childs_views",
    "factors",
    "analysis",
    "outcome",
)
NO_FACTORS = "21"  # the census code for "no factors identified": never alongside another factor


@transaction.atomic
def assessment_start(
    *, actor: AbstractBaseUser, child: Child, started_on: date, referral=None, ip_address: str | None = None
) -> Assessment:
    staff = _staff(actor)
    access = _require_change(actor, child)
    if not access.whole_record:
        raise PermissionDenied("Assessments are the council's own work on the child.")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "An assessment can't start in the future."})
    if referral is not None and referral.child_id != child.pk:
        raise ValidationError("That referral is about another child.")
    if referral is not None and referral.assessments.exists():
        raise ValidationError("This referral already has an assessment: carry on with that one.")
    assessment = Assessment.objects.create(
        child=child,
        referral=referral,
        council_id=child.responsible_council_id,
        author=staff,
        started_on=started_on,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=assessment,
        council_id=assessment.council_id,
        summary=f"Started an assessment of {child.person.full_name}",
        ip_address=ip_address,
    )
    return assessment


@transaction.atomic
def assessment_save(
    *, actor: AbstractBaseUser, assessment: Assessment, autosave: bool = False, **fields
) -> Assessment:
    """Save what has been written so far (as it is typed, or on purpose). Only a draft changes."""
    staff = _staff(actor)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError("This assessment has been submitted: a manager can return it for changes.")
    if assessment.author_id != staff.pk:
        raise PermissionDenied("Only the worker doing the assessment changes it.")
    _require_change(actor, assessment.child)
    unknown = set(fields) - set(_ASSESSMENT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown assessment fields: {', '.join(sorted(unknown))}.")
    errors = {}
    for name in ("child_seen_on", "child_seen_alone_on"):
        day = fields.get(name)
        if day and (day < assessment.started_on or day > timezone.localdate()):
            errors[name] = "The date must fall between the start of the assessment and today."
    factors = fields.get("factors")
    if factors is not None:
        unknown_codes = set(factors) - CIN.ASSESSMENT_FACTORS.all()
        if unknown_codes:
            errors["factors"] = f"Unknown factor codes: {', '.join(sorted(unknown_codes))}."
        elif NO_FACTORS in factors and len(factors) > 1:
            errors["factors"] = "'No factors identified' can't be chosen with other factors."
    if fields.get("outcome") and fields["outcome"] not in Assessment.Outcome.values:
        errors["outcome"] = "Choose what happens next."
    if errors and not autosave:
        raise ValidationError(errors)
    for name, value in fields.items():
        if name not in errors:
            setattr(assessment, name, sorted(value) if name == "factors" else value)
    assessment.save()
    if not autosave:  # saves as one types are the author's own draft; a deliberate save is a change
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=assessment,
            council_id=assessment.council_id,
            summary="Saved the draft assessment",
        )
    return assessment


@transaction.atomic
def assessment_submit(*, actor: AbstractBaseUser, assessment: Assessment) -> Assessment:
    staff = _staff(actor)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.author_id != staff.pk or assessment.status != Assessment.Status.DRAFT:
        raise PermissionDenied("Only the worker doing a draft assessment submits it.")
    missing = {}
    if not assessment.child_seen_on:
        missing["child_seen_on"] = "Enter the date the child was seen."
    if not assessment.childs_views.strip():
        missing["childs_views"] = (
            "Record the child's views, wishes and feelings, in their words where you can."
        )
    if not assessment.factors:
        missing["factors"] = "Choose the factors identified (or 'no factors identified')."
    if not assessment.analysis.strip():
        missing["analysis"] = "Write your analysis."
    if not assessment.outcome:
        missing["outcome"] = "Choose what happens next."
    if missing:
        raise ValidationError(missing)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.returned_reason = ""
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=assessment,
        council_id=assessment.council_id,
        summary="Submitted the assessment for a manager's authorisation",
    )
    return assessment


def _require_manager(actor: AbstractBaseUser, assessment: Assessment) -> None:
    access = _require_change(actor, assessment.child)
    if not (policy.has_role(actor, policy.Role.TEAM_MANAGER) and access.whole_record):
        raise PermissionDenied("A team manager who can change this child's record authorises assessments.")
    me = _staff(actor)
    if assessment.author_id == me.pk:
        raise PermissionDenied("An assessment is authorised by a manager other than its author.")
    today = timezone.localdate()
    managed = me.team_memberships.on(today).filter(is_manager=True).values("team_id")
    if not assessment.author.team_memberships.on(today).filter(team_id__in=managed).exists():
        raise PermissionDenied("An assessment is authorised by the manager of the worker's team.")


@transaction.atomic
def assessment_authorise(
    *, actor: AbstractBaseUser, assessment: Assessment, on: date | None = None
) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_manager(actor, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be authorised.")
    on = on or timezone.localdate()
    assessment.status = Assessment.Status.AUTHORISED
    assessment.authorised_by = _staff(actor)
    assessment.authorised_on = on
    assessment.save()
    key = f"referral-{assessment.referral_id}" if assessment.referral_id else ""
    chronology_record(
        actor=actor,
        child=assessment.child,
        kind=EventKind.ASSESSMENT_AUTHORISED,
        occurred_on=on,
        summary=f"Assessment authorised: {assessment.get_outcome_display().lower()}"
        + (f"; factors {', '.join(assessment.factors)}" if assessment.factors else ""),
        key=key,
        facts={"factors": assessment.factors, "outcome": assessment.outcome},
        source=assessment,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=assessment,
        council_id=assessment.council_id,
        summary=f"Authorised the assessment ({assessment.get_outcome_display()})",
    )
    return assessment


@transaction.atomic
def assessment_return(*, actor: AbstractBaseUser, assessment: Assessment, reason: str) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_manager(actor, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs to change."})
    assessment.status = Assessment.Status.DRAFT
    assessment.returned_reason = reason.strip()
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=assessment,
        council_id=assessment.council_id,
        summary="Returned the assessment for changes",
    )
    return assessment


AGENCIES = ("social-care", "police", "health", "education", "probation", "housing", "referrer", "other")


def _whole_record_change(actor: AbstractBaseUser, child: Child) -> None:
    access = _require_change(actor, child)
    if not access.whole_record:
        raise PermissionDenied("Child protection is the council's own work on the child.")


def _past_date(day: date | None, field: str, label: str) -> dict[str, str]:
    if day is None:
        return {field: f"Enter the {label}."}
    if day > timezone.localdate():
        return {field: f"The {label} can't be in the future."}
    return {}


@transaction.atomic
def strategy_discussion_record(
    *,
    actor: AbstractBaseUser,
    child: Child,
    held_on: date | None,
    agencies: list[str],
    decision: str,
    reason: str = "",
) -> StrategyDiscussion:
    _whole_record_change(actor, child)
    errors = _past_date(held_on, "held_on", "date of the discussion")
    if not agencies or set(agencies) - set(AGENCIES):
        errors["agencies"] = "Choose the agencies that took part."
    if decision not in StrategyDiscussion.Decision.values:
        errors["decision"] = "Choose whether to start a section 47 enquiry."
    if errors:
        raise ValidationError(errors)
    discussion = StrategyDiscussion.objects.create(
        child=child,
        held_on=held_on,
        agencies=sorted(set(agencies)),
        decision=decision,
        reason=reason,
        recorded_by=_staff(actor),
    )
    if decision == StrategyDiscussion.Decision.START_SECTION_47:
        chronology_record(
            actor=actor,
            child=child,
            kind=EventKind.SECTION_47_STARTED,
            occurred_on=held_on,
            summary="Strategy discussion: section 47 enquiry started",
            key=f"s47-{discussion.pk}",
            source=discussion,
        )
    else:
        chronology_record(
            actor=actor,
            child=child,
            kind="strategy_discussion",
            occurred_on=held_on,
            summary="Strategy discussion: no section 47 enquiry",
            source=discussion,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=discussion,
        council_id=child.responsible_council_id,
        summary=f"Recorded a strategy discussion: {discussion.get_decision_display().lower()}",
    )
    return discussion


@transaction.atomic
def section_47_conclude(
    *, actor: AbstractBaseUser, discussion: StrategyDiscussion, outcome: str, on: date | None
) -> StrategyDiscussion:
    discussion = StrategyDiscussion.objects.select_for_update().get(pk=discussion.pk)
    _whole_record_change(actor, discussion.child)
    if discussion.decision != StrategyDiscussion.Decision.START_SECTION_47 or discussion.outcome:
        raise ValidationError("Only an open section 47 enquiry can be concluded.")
    errors = _past_date(on, "outcome_on", "date the enquiry ended")
    if on and on < discussion.held_on:
        errors["outcome_on"] = "The enquiry can't end before the strategy discussion."
    if outcome not in StrategyDiscussion.Outcome.values:
        errors["outcome"] = "Choose the outcome of the enquiry."
    elif discussion.conferences.exists() and outcome != StrategyDiscussion.Outcome.SUBSTANTIATED_ICPC:
        errors["outcome"] = "An initial conference has already been held for this enquiry."
    if errors:
        raise ValidationError(errors)
    discussion.outcome, discussion.outcome_on = outcome, on
    discussion.save(update_fields=["outcome", "outcome_on"])
    if outcome != StrategyDiscussion.Outcome.SUBSTANTIATED_ICPC:
        # no conference: the 15-working-day clock stops
        chronology_record(
            actor=actor,
            child=discussion.child,
            kind=EventKind.ICPC_NOT_REQUIRED,
            occurred_on=on,
            summary=f"Section 47 enquiry ended: {discussion.get_outcome_display().lower()}",
            key=f"s47-{discussion.pk}",
            source=discussion,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=discussion,
        council_id=discussion.child.responsible_council_id,
        summary=f"Concluded the section 47 enquiry: {discussion.get_outcome_display()}",
    )
    return discussion


@transaction.atomic
def initial_conference_record(
    *,
    actor: AbstractBaseUser,
    discussion: StrategyDiscussion,
    held_on: date | None,
    agencies: list[str],
    decision: str,
    category: str = "",
) -> ChildProtectionConference:
    """The initial conference after a section 47 enquiry; a plan starts the same day when it decides so."""
    discussion = StrategyDiscussion.objects.select_for_update().get(pk=discussion.pk)
    child = discussion.child
    _whole_record_change(actor, child)
    errors = _past_date(held_on, "held_on", "date of the conference")
    if decision not in (ChildProtectionConference.Decision.PLAN, ChildProtectionConference.Decision.NO_PLAN):
        errors["decision"] = "Choose the conference's decision."
    if decision == ChildProtectionConference.Decision.PLAN and category not in CIN.CATEGORY_OF_ABUSE:
        errors["category"] = "Choose the category of abuse for the plan."
    if held_on and held_on < discussion.held_on:
        errors["held_on"] = "The conference can't come before the strategy discussion."
    if discussion.conferences.filter(kind=ChildProtectionConference.Kind.INITIAL).exists():
        errors["held_on"] = "This enquiry already has its initial conference."
    if discussion.decision != StrategyDiscussion.Decision.START_SECTION_47 or discussion.outcome not in (
        "",
        StrategyDiscussion.Outcome.SUBSTANTIATED_ICPC,
    ):
        errors["decision"] = "An initial conference follows a section 47 enquiry that found one is needed."
    if errors:
        raise ValidationError(errors)
    plan = None
    if decision == ChildProtectionConference.Decision.PLAN:
        if child.protection_plans.filter(ended_on__isnull=True).exists():
            raise ValidationError({"decision": "The child already has a child protection plan."})
        plan = ChildProtectionPlan.objects.create(
            child=child, started_on=held_on, initial_category=category, latest_category=category
        )
    conference = ChildProtectionConference.objects.create(
        child=child,
        kind=ChildProtectionConference.Kind.INITIAL,
        held_on=held_on,
        agencies=sorted(set(agencies)),
        decision=decision,
        category=category if plan else "",
        strategy_discussion=discussion,
        plan=plan,
        recorded_by=_staff(actor),
    )
    chronology_record(
        actor=actor,
        child=child,
        kind=EventKind.INITIAL_CP_CONFERENCE,
        occurred_on=held_on,
        summary=f"Initial child protection conference: {conference.get_decision_display().lower()}",
        key=f"s47-{discussion.pk}",
        source=conference,
    )
    if plan is not None:
        chronology_record(
            actor=actor,
            child=child,
            kind=EventKind.CP_PLAN_STARTED,
            occurred_on=held_on,
            summary=f"Child protection plan started ({CIN.CATEGORY_OF_ABUSE.describe(category)})",
            key=f"plan-{plan.pk}",
            facts={"category": category, "previous_plans": plan.previous_plans},
            source=plan,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=conference,
        council_id=child.responsible_council_id,
        summary=f"Recorded the initial conference: {conference.get_decision_display().lower()}",
    )
    return conference


@transaction.atomic
def visit_record(
    *,
    actor: AbstractBaseUser,
    child: Child,
    kind: str,
    visited_on: date | None,
    child_seen: bool,
    seen_alone: bool,
    childs_views: str = "",
) -> Visit:
    _whole_record_change(actor, child)
    errors = _past_date(visited_on, "visited_on", "date of the visit")
    if kind not in Visit.Kind.values:
        errors["kind"] = "Choose the kind of visit."
    if seen_alone and not child_seen:
        errors["seen_alone"] = "A child not seen can't have been seen alone."
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        child=child,
        kind=kind,
        visited_on=visited_on,
        child_seen=child_seen,
        seen_alone=seen_alone,
        childs_views=childs_views,
        recorded_by=_staff(actor),
    )
    event = {
        Visit.Kind.CHILD_PROTECTION: EventKind.CP_VISIT,
        Visit.Kind.CHILD_IN_NEED: EventKind.CIN_VISIT,
        Visit.Kind.CHILD_IN_CARE: EventKind.CIC_VISIT,
    }[kind]
    seen = "seen alone" if seen_alone else "seen" if child_seen else "not seen"
    chronology_record(
        actor=actor,
        child=child,
        kind=event,
        occurred_on=visited_on,
        summary=f"{visit.get_kind_display()}: child {seen}",
        facts={"seen_alone": seen_alone, "seen": child_seen},
        source=visit,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=visit,
        council_id=child.responsible_council_id,
        summary=f"Recorded a {visit.get_kind_display().lower()}",
    )
    return visit


@transaction.atomic
def cin_plan_start(*, actor: AbstractBaseUser, child: Child, started_on: date | None) -> ChildInNeedPlan:
    _whole_record_change(actor, child)
    errors = _past_date(started_on, "started_on", "start date of the plan")
    if child.cin_plans.filter(ended_on__isnull=True).exists():
        errors["started_on"] = "The child already has a child in need plan."
    if errors:
        raise ValidationError(errors)
    plan = ChildInNeedPlan.objects.create(child=child, started_on=started_on, recorded_by=_staff(actor))
    chronology_record(
        actor=actor,
        child=child,
        kind=EventKind.CIN_PLAN_STARTED,
        occurred_on=started_on,
        summary="Child in need plan started",
        key=f"cin-plan-{plan.pk}",
        source=plan,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=plan,
        council_id=child.responsible_council_id,
        summary="Started a child in need plan",
    )
    return plan


@transaction.atomic
def plan_review_record(
    *,
    actor: AbstractBaseUser,
    child: Child,
    kind: str,
    held_on: date | None,
    category: str = "",
    notes: str = "",
) -> PlanReview:
    """A child in need plan review, a core group, or a review conference (which may change the category)."""
    _whole_record_change(actor, child)
    errors = _past_date(held_on, "review_on", "date of the meeting")
    cin_plan = child.cin_plans.filter(ended_on__isnull=True).first()
    cp_plan = child.protection_plans.filter(ended_on__isnull=True).first()
    if kind == PlanReview.Kind.CIN_REVIEW and cin_plan is None:
        errors["kind"] = "The child has no open child in need plan."
    elif kind in (PlanReview.Kind.CORE_GROUP, PlanReview.Kind.CP_REVIEW_CONFERENCE) and cp_plan is None:
        errors["kind"] = "The child has no open child protection plan."
    elif kind not in PlanReview.Kind.values:
        errors["kind"] = "Choose the kind of meeting."
    if category and category not in CIN.CATEGORY_OF_ABUSE:
        errors["category"] = "Choose a category of abuse."
    plan = cin_plan if kind == PlanReview.Kind.CIN_REVIEW else cp_plan
    if plan is not None and held_on and held_on < plan.started_on:
        errors["review_on"] = "The meeting can't come before the plan started."
    if errors:
        raise ValidationError(errors)
    review = PlanReview.objects.create(
        child=child,
        kind=kind,
        held_on=held_on,
        notes=notes,
        category=category,
        recorded_by=_staff(actor),
        cin_plan=cin_plan if kind == PlanReview.Kind.CIN_REVIEW else None,
        cp_plan=cp_plan if kind != PlanReview.Kind.CIN_REVIEW else None,
    )
    if kind == PlanReview.Kind.CP_REVIEW_CONFERENCE and category:
        cp_plan.latest_category = category
        cp_plan.save(update_fields=["latest_category"])
    event = {
        PlanReview.Kind.CIN_REVIEW: "plan_review",
        PlanReview.Kind.CORE_GROUP: EventKind.CORE_GROUP_MEETING,
        PlanReview.Kind.CP_REVIEW_CONFERENCE: EventKind.CP_REVIEW_CONFERENCE,
    }[kind]
    chronology_record(
        actor=actor,
        child=child,
        kind=event,
        occurred_on=held_on,
        summary=review.get_kind_display(),
        source=review,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=review,
        council_id=child.responsible_council_id,
        summary=f"Recorded a {review.get_kind_display().lower()}",
    )
    return review


@transaction.atomic
def plan_end(
    *, actor: AbstractBaseUser, child: Child, which: str, ended_on: date | None, reason: str
) -> None:
    """End the child's open child protection plan ("cp") or child in need plan ("cin"), with the reason."""
    _whole_record_change(actor, child)
    plans = {"cp": child.protection_plans, "cin": child.cin_plans}
    if which not in plans:
        raise ValidationError({"which": "Choose the plan to end."})
    plan = plans[which].select_for_update().filter(ended_on__isnull=True).first()
    errors = _past_date(ended_on, "ended_on", "end date")
    if plan is None:
        errors["which"] = "The child has no open plan of that kind."
    elif ended_on and ended_on < plan.started_on:
        errors["ended_on"] = "A plan can't end before it started."
    if not reason.strip():
        errors["reason"] = "Say why the plan is ending."
    if errors:
        raise ValidationError(errors)
    plan.ended_on, plan.end_reason = ended_on, reason.strip()
    plan.save(update_fields=["ended_on", "end_reason"])
    kind = EventKind.CP_PLAN_ENDED if which == "cp" else EventKind.CIN_PLAN_ENDED
    chronology_record(
        actor=actor,
        child=child,
        kind=kind,
        occurred_on=ended_on,
        summary=f"{'Child protection' if which == 'cp' else 'Child in need'} plan ended: {reason.strip()}",
        source=plan,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        council_id=child.responsible_council_id,
        summary=f"Ended the plan: {reason.strip()}",
    )


@transaction.atomic
def episode_close(
    *, actor: AbstractBaseUser, referral, closed_on: date | None, reason: str
) -> EpisodeClosure:
    """Close the children in need episode a referral opened. Open plans must end first; the council's open
    work with the child ends with it. A later referral starts a new episode."""
    child = referral.child
    _whole_record_change(actor, child)
    errors = _past_date(closed_on, "closed_on", "closure date")
    if reason not in CIN.REASON_FOR_CLOSURE:
        errors["reason"] = "Choose the reason for closure."
    if hasattr(referral, "closure") or referral.closed_on:
        errors["reason"] = "This episode is already closed."
    if closed_on and closed_on < referral.referral_date:
        errors["closed_on"] = "An episode can't close before its referral."
    if (
        child.protection_plans.filter(ended_on__isnull=True).exists()
        or child.cin_plans.filter(ended_on__isnull=True).exists()
    ):
        errors["reason"] = "End the child's open plans before closing the episode."
    if errors:
        raise ValidationError(errors)
    closure = EpisodeClosure.objects.create(
        referral=referral, closed_on=closed_on, reason=reason, closed_by=_staff(actor)
    )
    type(referral).objects.filter(pk=referral.pk).update(closed_on=closed_on)
    for involvement in child.involvements.filter(
        end_date__isnull=True, team__council_id=child.responsible_council_id
    ):
        involvement.end_date = max(closed_on, involvement.start_date)
        involvement.save(update_fields=["end_date"])
    chronology_record(
        actor=actor,
        child=child,
        kind="episode_closed",
        occurred_on=closed_on,
        summary=f"Case closed: {CIN.REASON_FOR_CLOSURE.describe(reason)} ({reason})",
        source=closure,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Closed the episode from {referral.referral_date:%d %b %Y} ({reason})",
    )
    return closure


# The order tables load in, each after those it points at.
_BULK_ORDER = (
    "Assessment",
    "StrategyDiscussion",
    "ChildProtectionPlan",
    "ChildProtectionConference",
    "ChildInNeedPlan",
    "PlanReview",
    "Visit",
    "Risk",
    "RiskReview",
    "CaseNote",
    "CaseNoteVersion",
)


@transaction.atomic
def casework_bulk_load(
    *, actor: AbstractBaseUser | None, rows: list, note_children: list, source: str
) -> dict:
    """Load many casework records at once (an import, or the demo), in dependency order, with one audit
    event per council. `note_children` pairs each note with the children it covers."""
    by_model: dict[str, list] = {}
    for row in rows:
        by_model.setdefault(type(row).__name__, []).append(row)
    unknown = set(by_model) - set(_BULK_ORDER)
    if unknown:
        raise ValidationError(f"Can't bulk-load {', '.join(sorted(unknown))}.")
    for name in _BULK_ORDER:
        if name in by_model:
            type(by_model[name][0]).objects.bulk_create(by_model[name], batch_size=2000)
    through = CaseNote.children.through
    through.objects.bulk_create(
        [
            through(casenote_id=note.pk, child_id=child.pk)
            for note, children in note_children
            for child in children
        ],
        batch_size=2000,
    )
    councils = sorted(
        {row.child.responsible_council_id for row in rows if hasattr(row, "child_id") and row.child_id}
    )
    for council_id in councils:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            council_id=council_id,
            summary=f"Loaded casework records from {source}",
        )
    return {name: len(items) for name, items in by_model.items()}
