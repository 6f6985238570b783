"""Casework pages: notes (drafts autosave; finalised notes only added to), chronology, curated chronologies,
risks. Thin: services and selectors hold the rules."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outstanding.access import policy
from outstanding.casework import selectors, services
from outstanding.casework.models import (
    Assessment,
    CaseNote,
    CuratedChronology,
    PlanReview,
    Risk,
    StrategyDiscussion,
    Visit,
)
from outstanding.clocks.selectors import clocks_by_child
from outstanding.codes import CIN
from outstanding.people import selectors as people_selectors
from outstanding.people.forms import date_from
from outstanding.people.models import Child, Relationship
from outstanding.web.views import client_address as _ip
from outstanding.web.views import error_summary as _errors
from outstanding.web.views import page, staff_required


def _saved(at: datetime) -> JsonResponse:
    """An autosave's answer: when, for the worker, and the server's mark the page's device copy builds on."""
    return JsonResponse(
        {"saved_at": timezone.localtime(at).strftime("%H:%M:%S"), "saved_at_ms": int(at.timestamp() * 1000)}
    )


def _int(value: object) -> int:
    """A record number from a form; 0 (which matches nothing) for anything else."""
    text = str(value or "")
    return int(text) if text.isdigit() else 0


def _open(request: HttpRequest, pk: int, *, audit: bool = True) -> tuple[Child, policy.ChildAccess]:
    """The child's record if the user may open it. A look is audited; a save through autosave is audited by
    the service that writes it, so its many quiet checks don't flood the child's "who looked" page."""
    if audit:
        return people_selectors.child_for_viewing(user=request.user, child_id=pk, ip_address=_ip(request))
    child = Child.objects.select_related("person", "responsible_council").filter(pk=pk).first()
    access = policy.child_access(request.user, child, timezone.localdate()) if child else None
    if access is None or not access.can_view:
        raise PermissionDenied(people_selectors.NO_RECORD)
    return child, access


def _whole(request: HttpRequest, pk: int, *, audit: bool = True) -> tuple[Child, policy.ChildAccess]:
    """The council's own work on a child: refused, like a missing record, to a shared service's staff."""
    child, access = _open(request, pk, audit=audit)
    if not access.whole_record:
        raise PermissionDenied(people_selectors.NO_RECORD)
    return child, access


@require_GET
@staff_required
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = _open(request, pk)
    return page(
        request,
        "casework/notes.html",
        {
            "child": child,
            "notes": selectors.child_notes(user=request.user, child=child, access=access),
            "access": access,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = _open(request, pk)
    if not access.can_change:
        raise PermissionDenied("You can't add to this child's record.")
    today = timezone.localdate()
    siblings = [
        r.person.child
        for r in child.relationships.filter(
            kind=Relationship.Kind.SIBLING, person__child__isnull=False
        ).select_related("person__child")
        if policy.child_access(request.user, r.person.child, today).can_change
    ]
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        chosen = [child] + [s for s in siblings if str(s.pk) in request.POST.getlist("siblings")]
        try:
            note = services.note_draft_save(
                actor=request.user,
                children=chosen,
                kind=request.POST.get("kind", ""),
                occurred_on=date_from(request.POST, "occurred_on", required=True, label="date"),
                title=request.POST.get("title", ""),
                significant=request.POST.get("significant") == "yes",
                text=request.POST.get("text", ""),
                ip_address=_ip(request),
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            return redirect("casework:note", pk=note.pk)
    return page(
        request,
        "casework/note_new.html",
        {
            "child": child,
            "siblings": siblings,
            "kinds": CaseNote.Kind.choices,
            "errors": errors,
            "data": request.POST,
            "today": today,
        },
        status=400 if errors else 200,
    )


@require_GET
@staff_required
def note(request: HttpRequest, pk: int) -> HttpResponse:
    note, versions, openable = selectors.note_for(user=request.user, note_id=pk, ip_address=_ip(request))
    editable = not note.is_final and note.author.user_id == request.user.pk
    current = versions[-1] if versions else None
    return page(
        request,
        "casework/note.html",
        {
            "note": note,
            "versions": versions,
            "current": current,
            "editable": editable,
            "additions": note.additions.select_related("author__user"),
            "openable": openable,
        },
    )


@require_POST
@staff_required
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    note, _, _ = selectors.note_for(user=request.user, note_id=pk, audit=False)
    autosave = request.POST.get("autosave") == "1"
    try:
        note = services.note_draft_save(
            actor=request.user, note=note, text=request.POST.get("text", ""), autosave=autosave
        )
    except services.NoteIsFinal as refused:
        if autosave:
            return JsonResponse({"error": refused.messages[0]}, status=409)
        messages.error(request, refused.messages[0])
        return redirect("casework:note", pk=note.pk)
    if autosave:
        return _saved(note.versions.order_by("-number").first().saved_at)
    messages.success(request, "Draft saved.")
    return redirect("casework:note", pk=note.pk)


@require_POST
@staff_required
def note_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    note, _, _ = selectors.note_for(user=request.user, note_id=pk, audit=False)
    try:
        services.note_finalise(actor=request.user, note=note, ip_address=_ip(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Note finalised. It can no longer be changed, only added to.")
    return redirect("casework:note", pk=note.pk)


@require_POST
@staff_required
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    note, _, _ = selectors.note_for(user=request.user, note_id=pk, audit=False)
    try:
        services.note_add_to(
            actor=request.user, note=note, text=request.POST.get("text", ""), ip_address=_ip(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Your addition has been recorded.")
    return redirect("casework:note", pk=note.pk)


@require_GET
@staff_required
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = _open(request, pk)
    kinds = [k for k in request.GET.getlist("kind") if k]
    rows = selectors.child_chronology(user=request.user, child=child, access=access, kinds=kinds)
    all_kinds = sorted(set(child.chronology.values_list("kind", flat=True))) if access.whole_record else []
    return page(
        request,
        "casework/chronology.html",
        {
            "child": child,
            "rows": rows,
            "kinds": [(k, selectors.KIND_LABELS.get(k, k)) for k in all_kinds],
            "chosen": kinds,
            "access": access,
            "curated": child.curated_chronologies.all() if access.whole_record else [],
            "purposes": CuratedChronology.Purpose.choices,
        },
    )


@require_POST
@staff_required
def curate(request: HttpRequest, pk: int) -> HttpResponse:
    child, _ = _whole(request, pk)
    entries = {int(e): "" for e in request.POST.getlist("event") if e.isdigit()}
    try:
        curated = services.curated_chronology_save(
            actor=request.user,
            child=child,
            purpose=request.POST.get("purpose", ""),
            title=request.POST.get("title", ""),
            analysis="",
            entries=entries,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:chronology", pk=child.pk)
    return redirect("casework:curated", pk=curated.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def curated(request: HttpRequest, pk: int) -> HttpResponse:
    curated = selectors.curated_for(
        user=request.user,
        curated_id=pk,
        export=bool(request.GET.get("download")),
        ip_address=_ip(request),
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "finalise":
                services.curated_chronology_finalise(actor=request.user, curated=curated)
                messages.success(request, "Chronology finalised.")
            else:
                comments = {
                    e.event_id: request.POST.get(f"comment-{e.event_id}", "") for e in curated.entries.all()
                }
                services.curated_chronology_save(
                    actor=request.user,
                    child=curated.child,
                    purpose=curated.purpose,
                    title=request.POST.get("title", curated.title),
                    analysis=request.POST.get("analysis", ""),
                    entries=comments,
                    curated=curated,
                )
                messages.success(request, "Chronology saved.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("casework:curated", pk=curated.pk)
    template = "casework/curated_print.html" if request.GET.get("print") else "casework/curated.html"
    response = page(request, template, {"curated": curated, "child": curated.child})
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="chronology-{curated.child_id}-{curated.pk}.html"'
        )
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def risks(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = _whole(request, pk)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.risk_record(
                actor=request.user,
                child=child,
                kind=request.POST.get("kind", ""),
                level=_int(request.POST.get("level")),
                identified_on=date_from(
                    request.POST, "identified_on", required=True, label="date identified"
                ),
                description=request.POST.get("description", ""),
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, "Risk recorded.")
            return redirect("casework:risks", pk=child.pk)
    return page(
        request,
        "casework/risks.html",
        {
            "child": child,
            "access": access,
            "risks": selectors.child_risks(user=request.user, child=child, access=access),
            "kinds": Risk.Kind.choices,
            "levels": Risk.Level.choices,
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


@require_POST
@staff_required
def risk_review(request: HttpRequest, pk: int) -> HttpResponse:
    risk = Risk.objects.select_related("child").filter(pk=pk).first()
    if risk is None:
        raise PermissionDenied(people_selectors.NO_RECORD)
    _whole(request, risk.child_id, audit=False)
    try:
        services.risk_review(
            actor=request.user,
            risk=risk,
            reviewed_on=timezone.localdate(),
            level=_int(request.POST.get("level")),
            note=request.POST.get("note", ""),
            close=request.POST.get("close") == "yes",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Review recorded.")
    return redirect("casework:risks", pk=risk.child_id)


@require_GET
@staff_required
def work_tray(request: HttpRequest) -> HttpResponse:
    tray = selectors.work_tray(user=request.user)
    return page(request, "casework/work_tray.html", {"tray": tray})


def _assessment_for(request: HttpRequest, pk: int, *, audit: bool = True) -> Assessment:
    assessment = (
        Assessment.objects.select_related("child__person", "author__user", "referral").filter(pk=pk).first()
    )
    if assessment is None:
        raise PermissionDenied(people_selectors.NO_RECORD)
    _whole(request, assessment.child_id, audit=audit)  # assessments are the council's own work
    return assessment


@require_POST
@staff_required
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    child, _ = _whole(request, pk)
    # the open episode's referral, if it has no assessment yet; never an old, closed one
    referral = (
        child.referrals.filter(closed_on__isnull=True, assessments__isnull=True)
        .order_by("-referral_date")
        .first()
    )
    try:
        assessment = services.assessment_start(
            actor=request.user,
            child=child,
            referral=referral,
            started_on=timezone.localdate(),
            ip_address=_ip(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:summary", pk=child.pk)
    return redirect("casework:assessment", pk=assessment.pk)


@require_GET
@staff_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    clocks = clocks_by_child([assessment.child], timezone.localdate())[assessment.child_id]
    key = f"referral-{assessment.referral_id}" if assessment.referral_id else None
    clock = next((c for c in clocks if c.rule.name == "assessment" and key and c.key == key), None)
    staff = getattr(request.user, "staff", None)
    return page(
        request,
        "casework/assessment.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "clock": clock,
            "editable": assessment.status == Assessment.Status.DRAFT
            and assessment.author_id == getattr(staff, "pk", None),
            "may_authorise": assessment.status == Assessment.Status.SUBMITTED
            and policy.has_role(request.user, policy.Role.TEAM_MANAGER)
            and assessment.author_id != getattr(staff, "pk", None),
            "factors": [
                (c.code, c.description)
                for c in CIN.ASSESSMENT_FACTORS
                if c.valid_in(timezone.localdate().year)
            ],
            "outcomes": Assessment.Outcome.choices,
        },
    )


def _assessment_fields(request: HttpRequest, autosave: bool) -> dict:
    fields = {
        "childs_views": request.POST.get("childs_views", ""),
        "analysis": request.POST.get("analysis", ""),
        "outcome": request.POST.get("outcome", ""),
        "factors": request.POST.getlist("factors"),
    }
    for name, label in (
        ("child_seen_on", "date the child was seen"),
        ("child_seen_alone_on", "date seen alone"),
    ):
        try:
            fields[name] = date_from(request.POST, name, label=label)
        except ValidationError:
            if not autosave:
                raise
    return fields


@require_POST
@staff_required
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk, audit=False)
    autosave = request.POST.get("autosave") == "1"
    try:
        assessment = services.assessment_save(
            actor=request.user,
            assessment=assessment,
            autosave=autosave,
            **_assessment_fields(request, autosave),
        )
        if request.POST.get("action") == "submit":
            services.assessment_submit(actor=request.user, assessment=assessment)
            messages.success(request, "Sent to your manager to authorise.")
            return redirect("casework:assessment", pk=assessment.pk)
    except ValidationError as error:
        if autosave:
            return JsonResponse({"error": error.messages[0]}, status=409)
        for message in error.messages:
            messages.error(request, message)
        return redirect("casework:assessment", pk=assessment.pk)
    if autosave:
        return _saved(assessment.saved_at)
    messages.success(request, "Draft saved.")
    return redirect("casework:assessment", pk=assessment.pk)


@require_POST
@staff_required
def assessment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk, audit=False)
    try:
        if request.POST.get("action") == "authorise":
            services.assessment_authorise(actor=request.user, assessment=assessment)
            messages.success(request, "Assessment authorised.")
        else:
            services.assessment_return(
                actor=request.user, assessment=assessment, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Returned to the worker with your reasons.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("casework:assessment", pk=assessment.pk)


@require_GET
@staff_required
def risk_outcomes(request: HttpRequest) -> HttpResponse:
    council, outcomes = selectors.risk_outcomes(user=request.user)
    return page(request, "casework/risk_outcomes.html", {"council": council, "outcomes": outcomes})


@require_http_methods(["GET", "POST"])
@staff_required
def protection(request: HttpRequest, pk: int) -> HttpResponse:
    """Strategy discussions and section 47 enquiries, conferences and plans, and visits, on one page."""
    child, _ = _whole(request, pk)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = request.POST.get("form")
        try:
            if form == "strategy":
                services.strategy_discussion_record(
                    actor=request.user,
                    child=child,
                    held_on=date_from(request.POST, "held_on", label="date of the discussion"),
                    agencies=request.POST.getlist("agencies"),
                    decision=request.POST.get("decision", ""),
                    reason=request.POST.get("reason", ""),
                )
            elif form == "s47-outcome":
                discussion = _discussion(child, request.POST.get("discussion"))
                services.section_47_conclude(
                    actor=request.user,
                    discussion=discussion,
                    outcome=request.POST.get("outcome", ""),
                    on=date_from(request.POST, "outcome_on", label="date the enquiry ended"),
                )
            elif form == "icpc":
                discussion = _discussion(child, request.POST.get("discussion"))
                services.initial_conference_record(
                    actor=request.user,
                    discussion=discussion,
                    held_on=date_from(request.POST, "icpc_on", label="date of the conference"),
                    agencies=request.POST.getlist("agencies"),
                    decision=request.POST.get("decision", ""),
                    category=request.POST.get("category", ""),
                )
            elif form == "visit":
                services.visit_record(
                    actor=request.user,
                    child=child,
                    kind=request.POST.get("kind", ""),
                    visited_on=date_from(request.POST, "visited_on", label="date of the visit"),
                    child_seen=request.POST.get("child_seen") == "yes",
                    seen_alone=request.POST.get("seen_alone") == "yes",
                    childs_views=request.POST.get("childs_views", ""),
                )
            elif form == "cin-start":
                services.cin_plan_start(
                    actor=request.user,
                    child=child,
                    started_on=date_from(request.POST, "cin_on", label="start date"),
                )
            elif form == "review":
                services.plan_review_record(
                    actor=request.user,
                    child=child,
                    kind=request.POST.get("kind", ""),
                    held_on=date_from(request.POST, "review_on", label="date of the meeting"),
                    category=request.POST.get("category", ""),
                    notes=request.POST.get("notes", ""),
                )
            elif form == "plan-end":
                services.plan_end(
                    actor=request.user,
                    child=child,
                    which=request.POST.get("which", ""),
                    ended_on=date_from(request.POST, "ended_on", label="end date"),
                    reason=request.POST.get("reason", ""),
                )
            elif form == "close":
                referral = child.referrals.filter(pk=_int(request.POST.get("referral"))).first()
                if referral is None:
                    raise ValidationError({"referral": "Choose the episode to close."})
                services.episode_close(
                    actor=request.user,
                    referral=referral,
                    closed_on=date_from(request.POST, "closed_on", label="closure date"),
                    reason=request.POST.get("reason", ""),
                )
            else:
                raise ValidationError("Choose what to record.")
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, "Recorded.")
            return redirect("casework:protection", pk=child.pk)
    return page(
        request,
        "casework/protection.html",
        {
            "child": child,
            "discussions": child.strategy_discussions.prefetch_related("conferences"),
            "plans": child.protection_plans.all(),
            "cin_plans": child.cin_plans.all(),
            "reviews": child.plan_reviews.all()[:50],
            "review_kinds": PlanReview.Kind.choices,
            "open_referrals": child.referrals.filter(closed_on__isnull=True),
            "closure_reasons": [(c.code, c.description) for c in CIN.REASON_FOR_CLOSURE],
            "visits": child.visits.all()[:50],
            "agencies": services.AGENCIES,
            "decisions": StrategyDiscussion.Decision.choices,
            "outcomes": StrategyDiscussion.Outcome.choices,
            "categories": [(c.code, c.description) for c in CIN.CATEGORY_OF_ABUSE],
            "visit_kinds": Visit.Kind.choices,
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


def _discussion(child: Child, value: object) -> StrategyDiscussion:
    discussion = child.strategy_discussions.filter(pk=_int(value)).first()
    if discussion is None:
        raise ValidationError({"discussion": "Choose the strategy discussion."})
    return discussion
