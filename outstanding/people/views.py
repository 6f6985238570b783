"""Pages about children: find, record, open, break the glass, who looked, merge. Thin views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.codes import CIN, CodeTable
from outstanding.partnership.models import Council, StaffMember, Team
from outstanding.people import selectors, services
from outstanding.people.forms import ChildForm, date_from
from outstanding.people.models import Child
from outstanding.web.views import client_address as _ip
from outstanding.web.views import error_summary as _errors
from outstanding.web.views import page, staff_required


def _described(table: CodeTable, codes: list[str]) -> str:
    """DfE codes with their descriptions, e.g. "MWBC (White and Black Caribbean)"."""
    return ", ".join(f"{c} ({table.describe(c)})" if c in table else c for c in codes if c)


@require_http_methods(["GET"])
@staff_required
def search(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    results = None
    terms = None
    if request.GET:
        try:
            terms = selectors.SearchTerms(
                name=request.GET.get("name", "").strip(),
                date_of_birth=date_from(request.GET, "dob", label="date of birth"),
                nhs_number=request.GET.get("nhs_number", "").strip(),
                upn=request.GET.get("upn", "").strip(),
                postcode=request.GET.get("postcode", "").strip(),
            )
            if terms.empty:
                errors.append(
                    {"text": "Enter a name, date of birth, NHS number, UPN or postcode.", "href": "#name"}
                )
            else:
                results = selectors.child_search(user=request.user, terms=terms, ip_address=_ip(request))
        except ValidationError as error:
            errors = _errors(error)
    return page(
        request,
        "people/search.html",
        {"errors": errors, "results": results, "query": request.GET, "terms": terms},
        status=400 if errors else 200,
    )


@require_http_methods(["GET"])
@staff_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = selectors.child_for_viewing(
        user=request.user, child_id=pk, ip_address=_ip(request), restricted_page=True
    )
    if child.person.merged_into_id:
        messages.info(request, "That record was merged into this one.")
        return redirect("people:summary", pk=child.person.merged_into_id)
    if not access.can_view:
        return page(request, "people/restricted.html", {"child_id": child.pk, "access": access}, status=403)
    today = timezone.localdate()
    return page(
        request,
        "people/summary.html",
        {
            "child": child,
            "person": child.person,
            "access": access,
            "today": today,
            "addresses": list(child.person.addresses.all()),
            "relationships": selectors.child_relationships(user=request.user, child=child),
            "involvements": list(selectors.child_involvements(user=request.user, child=child, access=access)),
            "may_see_audit": policy.may_see_who_looked(request.user, access),
            "may_merge": policy.may_merge(request.user, access, access),
            "assessments": list(child.assessments.all()) if access.whole_record else [],
            "ethnicity": _described(CIN.ETHNICITY, [child.ethnicity]),
            "disabilities": _described(CIN.DISABILITY, child.disabilities),
        },
    )


@require_POST
@staff_required
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    child = Child.objects.select_related("person").filter(pk=pk).first()
    if child is None:
        raise PermissionDenied(selectors.NO_RECORD)
    try:
        services.break_glass(
            actor=request.user, child=child, reason=request.POST.get("reason", ""), ip_address=_ip(request)
        )
    except PermissionDenied:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.ACCESS_DENIED,
            obj=child,
            council_id=child.responsible_council_id,
            summary="Refused break-glass on a child's record",
            ip_address=_ip(request),
        )
        raise PermissionDenied(selectors.NO_RECORD) from None
    except ValidationError as error:
        access = policy.child_access(request.user, child, timezone.localdate())
        return page(
            request,
            "people/restricted.html",
            {
                "child_id": child.pk,
                "access": access,
                "errors": _errors(error),
                "reason": request.POST.get("reason", ""),
            },
            status=400,
        )
    messages.success(
        request, "You have opened a restricted record. Your reason has been recorded and managers can see it."
    )
    return redirect("people:summary", pk=child.pk)


@require_http_methods(["GET"])
@staff_required
def audit_trail(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = selectors.child_for_viewing(user=request.user, child_id=pk, ip_address=_ip(request))
    events = selectors.child_audit_trail(user=request.user, child=child, access=access)
    return page(request, "people/audit_trail.html", {"child": child, "events": events[:500]})


@require_http_methods(["GET"])
@staff_required
def staff_activity(request: HttpRequest, pk: int) -> HttpResponse:
    staff = StaffMember.objects.select_related("user").filter(pk=pk).first()
    if staff is None:
        raise PermissionDenied("Only their managers, their head of service or an administrator can see this.")
    rows = selectors.staff_activity(user=request.user, staff=staff)
    return page(request, "people/staff_activity.html", {"staff": staff, "rows": rows})


def _front_door_team(request: HttpRequest, council: Council) -> Team | None:
    """The shared MASH team through which the user records a partner council's child, if that is how."""
    today = timezone.localdate()
    if council.pk in policy.scope_of(request.user, today).councils:
        return None
    reach = policy.front_door_reach(request.user, today)
    team_id = next((team for team, councils in sorted(reach.items()) if council.pk in councils), None)
    return Team.objects.get(pk=team_id) if team_id else None


def _councils_for_new_child(request: HttpRequest) -> list[Council]:
    today = timezone.localdate()
    return [c for c in Council.objects.all() if policy.may_record_child(request.user, c.pk, today)]


@require_http_methods(["GET", "POST"])
@staff_required
def create(request: HttpRequest) -> HttpResponse:
    councils = _councils_for_new_child(request)
    if not councils:
        raise PermissionDenied("You can't record new children.")
    form = ChildForm(request.POST or None)
    errors: list[dict[str, str]] = []
    duplicates: list[Child] = []
    if request.method == "POST":
        council = next((c for c in councils if str(c.pk) == request.POST.get("council")), None)
        if council is None:
            errors.append({"text": "Choose the council responsible for the child.", "href": "#council"})
        if form.is_valid() and council is not None:
            data = form.cleaned_data
            duplicates = selectors.likely_duplicates(
                user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                nhs_number=data["nhs_number"],
                council_id=council.pk,
            )
            if duplicates:
                audit_record(
                    actor=request.user,
                    action=AuditEvent.Action.SEARCH,
                    council_id=council.pk,
                    summary=f"Duplicate check before recording a child: {len(duplicates)} possible match(es)",
                    changes={"possible_matches": [d.pk for d in duplicates]},
                    ip_address=_ip(request),
                )
            if duplicates and not data["confirm_new"]:
                errors.append(
                    {
                        "text": "This child may already be recorded: check the records below.",
                        "href": "#duplicates",
                    }
                )
            else:
                try:
                    child = services.child_create(
                        actor=request.user,
                        details=services.NewPerson(
                            first_name=data["first_name"],
                            last_name=data["last_name"],
                            date_of_birth=data["date_of_birth"],
                            sex=data["sex"],
                            nhs_number=data["nhs_number"],
                        ),
                        responsible_council=council,
                        known_since=timezone.localdate(),
                        expected_date_of_birth=data["expected_date_of_birth"],
                        upn=data["upn"],
                        ethnicity=data["ethnicity"],
                        address={
                            "line_1": data["line_1"],
                            "postcode": data["postcode"],
                            "start_date": timezone.localdate(),
                        }
                        if data["line_1"]
                        else None,
                        ip_address=_ip(request),
                        front_door_team=_front_door_team(request, council),
                    )
                except ValidationError as error:
                    errors = _errors(error)
                else:
                    messages.success(request, f"{child.person.full_name} has been recorded.")
                    return redirect("people:summary", pk=child.pk)
        else:
            errors += [{"text": e, "href": f"#{f}"} for f, msgs in form.errors.items() for e in msgs]
            errors += [{"text": m, "href": f"#{f}-day"} for f, m in getattr(form, "date_errors", {}).items()]
    today = timezone.localdate()
    visible = {c.pk for c in duplicates if policy.child_access(request.user, c, today).can_view}
    return page(
        request,
        "people/create.html",
        {
            "form": form,
            "errors": errors,
            "councils": councils,
            "duplicates": duplicates,
            "visible": visible,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    keep, access = selectors.child_for_viewing(user=request.user, child_id=pk, ip_address=_ip(request))
    if not policy.may_merge(request.user, access, access):
        raise PermissionDenied("Only a team manager who can change this record can merge into it.")
    errors: list[dict[str, str]] = []
    other = None
    if request.method == "POST":
        other_id = request.POST.get("duplicate", "").strip()
        if not other_id.isdigit():
            errors.append({"text": "Enter the record number of the duplicate.", "href": "#duplicate"})
        else:
            try:
                other, _ = selectors.child_for_viewing(
                    user=request.user, child_id=int(other_id), ip_address=_ip(request)
                )
                if request.POST.get("confirm") == "yes":
                    services.child_merge(
                        actor=request.user, keep=keep, duplicate=other, ip_address=_ip(request)
                    )
                    messages.success(
                        request, f"Record {other.pk} has been merged into this one. Nothing was lost."
                    )
                    return redirect("people:summary", pk=keep.pk)
            except (ValidationError, PermissionDenied) as error:
                errors = (
                    _errors(error)
                    if isinstance(error, ValidationError)
                    else [{"text": str(error), "href": "#duplicate"}]
                )
                other = None
    return page(
        request,
        "people/merge.html",
        {"child": keep, "other": other, "errors": errors},
        status=400 if errors else 200,
    )
