"""Front-door pages: the MASH queue, record a contact, screen, partner checks, decide, authorise, the
front-door dashboard. Thin: the services check and write, the selectors decide what is shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from outstanding.access import policy
from outstanding.codes import CIN
from outstanding.frontdoor import dashboard as figures
from outstanding.frontdoor import forms, selectors, services
from outstanding.frontdoor.models import Agency, Contact
from outstanding.partnership.models import Council, Team
from outstanding.people.models import Person, Relationship
from outstanding.web.views import client_address as _ip
from outstanding.web.views import page, staff_required

ADULT_KINDS = [
    (k.value, k.label)
    for k in Relationship.Kind
    if k not in (Relationship.Kind.SIBLING, Relationship.Kind.PROFESSIONAL)
]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_http_methods(["GET"])
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    if not policy.may_use_mash_queue(request.user, timezone.localdate()):
        if policy.may_see_partner_checks(request.user, timezone.localdate()):
            return redirect("frontdoor:checks")
        raise PermissionDenied("The MASH queue is for the staff of a MASH.")
    found = selectors.mash_queue(
        user=request.user,
        council_id=_int(request.GET.get("council")),
        rating=request.GET.get("rating", "")
        if request.GET.get("rating") in {*Contact.Rating, "unrated"}
        else "",
        status=request.GET.get("status", "") if request.GET.get("status") in Contact.OPEN_STATUSES else "",
        order="oldest" if request.GET.get("order") == "oldest" else "urgent",
        page=_int(request.GET.get("page")) or 1,
        ip_address=_ip(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        "frontdoor/queue.html",
        {
            "queue": found,
            "query": request.GET,
            "base_query": query.urlencode(),
            "ratings": Contact.Rating,
            "statuses": [(s, Contact.Status(s).label) for s in Contact.OPEN_STATUSES],
            "may_record": bool(_places(request)),
            "may_see_dashboard": any(
                policy.may_see_front_door_figures(request.user, c.pk, timezone.localdate())
                for c in found.councils
            ),
        },
    )


def _places(request: HttpRequest) -> list[tuple[str, Team, Council]]:
    """Where this worker may record a contact: (value, MASH team, council) per council each MASH serves."""
    reach = policy.front_door_reach(request.user, timezone.localdate())
    teams = {t.pk: t for t in Team.objects.filter(pk__in=reach)}
    councils = {c.pk: c for c in Council.objects.filter(pk__in=set().union(*reach.values()) if reach else [])}
    places = [
        (f"{team_id}:{council_id}", teams[team_id], councils[council_id])
        for team_id, served in reach.items()
        for council_id in served
        if policy.may_record_contact(request.user, teams[team_id], council_id, timezone.localdate())
    ]
    return sorted(places, key=lambda p: (p[1].name, p[2].name))


@require_http_methods(["GET", "POST"])
@staff_required
def contact_new(request: HttpRequest) -> HttpResponse:
    places = _places(request)
    if not places:
        raise PermissionDenied("Only a MASH's council staff record contacts.")
    data = request.POST if request.method == "POST" else {}
    read = forms.read_contact(data) if request.method == "POST" else forms.ContactInput()
    errors: list[dict[str, str]] = []
    duplicates: dict[int, list] = {}
    choosable: set[int] = set()
    if request.method == "POST" and data.get("action") == "save":
        place = next((p for p in places if p[0] == data.get("place")), None)
        if place is None:
            read.errors["place"] = "Choose the council whose children the contact is about."
        if read.errors:
            errors = [
                {"text": m, "href": f"#{k}-day" if k.endswith(forms.DATE_FIELDS) else f"#{k}"}
                for k, m in read.errors.items()
            ]
        else:
            _, team, council = place
            try:
                contact = services.contact_record(
                    actor=request.user,
                    mash_team=team,
                    council=council,
                    received_at=read.received_at,
                    source=data.get("source", ""),
                    referrer=services.Referrer(
                        name=data.get("referrer_name", ""),
                        organisation=data.get("referrer_organisation", ""),
                        phone=data.get("referrer_phone", ""),
                        email=data.get("referrer_email", ""),
                    ),
                    concern=data.get("concern", ""),
                    consent=data.get("consent", ""),
                    consent_reason=data.get("consent_reason", ""),
                    children=read.children,
                    adults=read.adults,
                    ip_address=_ip(request),
                )
            except services.LikelyDuplicates as found:
                duplicates = found.matches
                errors = forms.error_list(found)
                # only records the worker may open (or will, through this contact) are named and offered
                choosable = {
                    d.pk
                    for matches in duplicates.values()
                    for d in matches
                    if policy.may_add_child_to_contact(request.user, d, team, timezone.localdate())
                }
            except ValidationError as error:
                errors = forms.error_list(error)
            else:
                messages.success(request, f"Contact {contact.pk} has been recorded and is in the MASH queue.")
                return redirect("frontdoor:contact", pk=contact.pk)
    return page(
        request,
        "frontdoor/contact_new.html",
        {
            "places": places,
            "data": data,
            "read": read,
            "errors": errors,
            "field_errors": forms.field_errors(errors),
            "duplicates": duplicates,
            "choosable": choosable,
            "sources": list(CIN.REFERRAL_SOURCE),
            "consents": Contact.Consent.choices,
            "sexes": Person.Sex.choices,
            "adult_kinds": ADULT_KINDS,
            "now": timezone.localtime(),
        },
        status=400 if errors else 200,
    )


def _contact_page(request: HttpRequest, pk: int, *, errors=None, status: int = 200, **extra) -> HttpResponse:
    view = selectors.contact_for_viewing(user=request.user, contact_id=pk, ip_address=_ip(request))
    asked = {c.agency for c in view.checks}
    return page(
        request,
        "frontdoor/contact.html",
        {
            "view": view,
            "contact": view.contact,
            "errors": errors or [],
            "field_errors": forms.field_errors(errors or []),
            "source": services.source_label(view.contact.source),
            "more_agencies": [a for a in Agency if a.value not in asked],
            "now": timezone.now(),
            **extra,
        },
        status=status,
    )


@require_http_methods(["GET"])
@staff_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_page(request, pk)


@require_POST
@staff_required
def contact_take(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contact_for_work(user=request.user, contact_id=pk, ip_address=_ip(request))
    try:
        services.contact_take(actor=request.user, contact=found)
    except ValidationError as error:
        return _contact_page(request, pk, errors=forms.error_list(error), status=400)
    messages.success(request, "The contact is yours now.")
    return redirect("frontdoor:contact", pk=pk)


@require_http_methods(["GET", "POST"])
@staff_required
def contact_screen(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contact_for_viewing(user=request.user, contact_id=pk, ip_address=_ip(request)).contact
    if not policy.may_screen_contact(request.user, found, timezone.localdate()):
        raise PermissionDenied("Only the MASH's council staff screen contacts.")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.contact_screen(
                actor=request.user,
                contact=found,
                threshold=_int(request.POST.get("threshold")),
                rating=request.POST.get("rating", ""),
                agencies=request.POST.getlist("agencies"),
                notes=request.POST.get("notes", ""),
                ip_address=_ip(request),
            )
        except ValidationError as error:
            errors = forms.error_list(error)
        else:
            messages.success(request, "The contact has been rated and the partner agencies asked.")
            return redirect("frontdoor:contact", pk=pk)
    setting = services.deadlines.council_setting(found.council)
    return page(
        request,
        "frontdoor/screen.html",
        {
            "contact": found,
            "errors": errors,
            "field_errors": forms.field_errors(errors),
            "data": request.POST,
            "thresholds": Contact.Threshold.choices,
            "ratings": [
                (r.value, r.label, services.deadlines.deadline_text(setting, r.value)) for r in Contact.Rating
            ],
            "agencies": Agency.choices,
        },
        status=400 if errors else 200,
    )


@require_POST
@staff_required
def check_request(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contact_for_work(user=request.user, contact_id=pk, ip_address=_ip(request))
    try:
        services.partner_check_request(
            actor=request.user,
            contact=found,
            agency=request.POST.get("agency", ""),
            question=request.POST.get("question", ""),
        )
    except ValidationError as error:
        return _contact_page(request, pk, errors=forms.error_list(error), status=400)
    messages.success(request, "The agency has been asked.")
    return redirect("frontdoor:contact", pk=pk)


@require_http_methods(["GET", "POST"])
@staff_required
def check_record(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    view = selectors.contact_for_viewing(user=request.user, contact_id=pk, ip_address=_ip(request))
    check = next((c for c in view.checks if c.pk == check_pk), None)
    if check is None or check.pk not in view.recordable_checks:
        raise PermissionDenied("You can't record this check.")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        held = {"yes": True, "no": False}.get(request.POST.get("information_held", ""))
        try:
            services.partner_check_record(
                actor=request.user,
                check=check,
                information_held=held,
                findings=request.POST.get("findings", ""),
                ip_address=_ip(request),
            )
        except ValidationError as error:
            errors = forms.error_list(error)
        else:
            messages.success(request, f"The {check.get_agency_display().lower()} check has been recorded.")
            if view.limited:
                return redirect("frontdoor:checks")
            return redirect("frontdoor:contact", pk=pk)
    return page(
        request,
        "frontdoor/check.html",
        {
            "view": view,
            "contact": view.contact,
            "check": check,
            "errors": errors,
            "field_errors": forms.field_errors(errors),
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def contact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.contact_for_viewing(user=request.user, contact_id=pk, ip_address=_ip(request))
    found = view.contact
    if not view.may_screen:
        raise PermissionDenied("Only the MASH's council staff decide on contacts.")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        team = Team.objects.filter(pk=_int(request.POST.get("next_team"))).first()
        try:
            found = services.contact_decide(
                actor=request.user,
                contact=found,
                outcome=request.POST.get("outcome", ""),
                reason=request.POST.get("reason", ""),
                next_team=team,
                ip_address=_ip(request),
            )
        except ValidationError as error:
            errors = forms.error_list(error)
        else:
            if found.status == Contact.Status.AWAITING_AUTHORISATION:
                messages.success(
                    request, "The decision is recorded and waits for a MASH manager's authorisation."
                )
            else:
                messages.success(request, f"Decided: {found.get_outcome_display()}.")
            return redirect("frontdoor:contact", pk=pk)
    teams = {o: services.next_step_teams(found, o) for o in services.NEXT_SERVICE}
    return page(
        request,
        "frontdoor/decide.html",
        {
            "view": view,
            "contact": found,
            "errors": errors,
            "field_errors": forms.field_errors(errors),
            "data": request.POST,
            "outcomes": Contact.Outcome.choices,
            "teams": sorted({t for ts in teams.values() for t in ts}, key=lambda t: t.name),
            "waiting": [c for c in view.checks if not c.is_returned],
        },
        status=400 if errors else 200,
    )


@require_POST
@staff_required
def contact_authorise(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contact_for_work(user=request.user, contact_id=pk, ip_address=_ip(request))
    try:
        services.contact_authorise(actor=request.user, contact=found, ip_address=_ip(request))
    except ValidationError as error:
        return _contact_page(request, pk, errors=forms.error_list(error), status=400)
    messages.success(request, "The decision is authorised and its next step has started.")
    return redirect("frontdoor:contact", pk=pk)


@require_http_methods(["GET"])
@staff_required
def checks(request: HttpRequest) -> HttpResponse:
    waiting = selectors.partner_checks_waiting(user=request.user)
    return page(
        request,
        "frontdoor/checks.html",
        {"checks": waiting, "agency": Agency(policy.partner_agency_of(request.user)), "now": timezone.now()},
    )


@require_http_methods(["GET"])
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = figures.front_door_dashboard(
        user=request.user, council_id=_int(request.GET.get("council")), ip_address=_ip(request)
    )
    return page(request, "frontdoor/dashboard.html", {"board": board})
