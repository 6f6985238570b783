"""Pages of the shell: home per role, and the administrators' lists. Thin: selectors decide what is shown."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from outstanding.access import policy
from outstanding.accounts.models import SignInThrottle
from outstanding.accounts.services import SignInRefused, account_unlock
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership import selectors
from outstanding.partnership.models import Council, Team
from outstanding.partnership.roles import Role
from outstanding.people import selectors as people_selectors

View = Callable[..., HttpResponse]


def client_address(request: HttpRequest) -> str | None:
    """Where a request came from, for the audit log."""
    return request.META.get("REMOTE_ADDR")


def error_summary(error: ValidationError) -> list[dict[str, str]]:
    """A ValidationError as GOV.UK error-summary entries, each linking to its field."""
    if hasattr(error, "error_dict"):
        return [{"text": m, "href": f"#{field}"} for field, msgs in error.message_dict.items() for m in msgs]
    return [{"text": m, "href": "#main-content"} for m in error.messages]


def staff_required(view: View) -> View:
    """Signed in as a member of staff with a role; anyone else is sent to sign in or refused."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.may_use_system(request.user):
            raise PermissionDenied("This sign-in has no role in Outstanding. Ask a system administrator.")
        return view(request, *args, **kwargs)

    return wrapped


def administrator_required(view: View) -> View:
    @staff_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not policy.may_administer(request.user):
            raise PermissionDenied("Only system administrators can use this page.")
        return view(request, *args, **kwargs)

    return wrapped


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    items = [("Home", "web:home")]
    today = timezone.localdate()
    if not policy.scope_of(request.user, timezone.localdate()).empty:
        items.append(("Find a child", "people:search"))
    if policy.may_use_mash_queue(request.user, today) or policy.may_see_partner_checks(request.user, today):
        items.append(("MASH queue", "frontdoor:queue"))
    if policy.returns_councils(request.user):
        items.append(("DfE returns", "returns:home"))
    if policy.may_administer(request.user):
        items += [("Councils", "web:councils"), ("Teams", "web:teams"), ("Staff", "web:staff")]
    return [
        {"text": text, "href": reverse(name), "active": request.resolver_match.view_name == name}
        for text, name in items
    ]


def page(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    return render(request, template, {"navigation": navigation(request), **context}, status=status)


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roles = policy.roles_of(request.user)
    teams = selectors.my_teams(user=request.user, on=today)
    managed = [
        (m.team, selectors.team_colleagues(user=request.user, on=today, team=m.team))
        for m in teams
        if m.is_manager
    ]
    overview = None
    if roles & {Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST}:
        overview = selectors.council_overview(user=request.user, on=today)
    return page(
        request,
        "web/home.html",
        {
            "staff": request.user.staff,
            "roles": sorted(roles, key=lambda r: r.label),
            "Role": Role,
            "today": today,
            "served": selectors.councils_served(user=request.user, on=today),
            "managed": managed,
            "overview": overview,
            "break_glass": list(people_selectors.break_glass_uses(user=request.user)[:50]),
        },
    )


@require_GET
@administrator_required
def councils(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return page(
        request, "web/councils.html", {"councils": selectors.council_list(user=request.user, on=today)}
    )


@require_GET
@administrator_required
def teams(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    council = None
    if request.GET.get("council"):
        council = get_object_or_404(Council, slug=request.GET["council"])
    return page(
        request,
        "web/teams.html",
        {
            "teams": selectors.team_list(user=request.user, on=today, council=council),
            "council": council,
            "councils": Council.objects.all(),
        },
    )


@require_GET
@administrator_required
def staff(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    team = None
    if request.GET.get("team", "").isdigit():
        team = get_object_or_404(Team, pk=int(request.GET["team"]))
    locked = set(
        SignInThrottle.objects.filter(locked_until__gt=timezone.now()).values_list("username", flat=True)
    )
    return page(
        request,
        "web/staff.html",
        {
            "staff": selectors.staff_list(user=request.user, on=today, team=team),
            "team": team,
            "locked": locked,
        },
    )


@require_POST
@administrator_required
def unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    try:
        account_unlock(actor=request.user, username=username, ip_address=request.META.get("REMOTE_ADDR"))
    except SignInRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{username} can sign in again.")
    return redirect("web:staff")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else "You don't have access to this page."
    context = {"reason": reason}
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.ACCESS_DENIED,
            summary=f"Refused {request.method} {request.path[:200]}: {reason}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    if request.user.is_authenticated and policy.may_use_system(request.user):
        return page(request, "web/forbidden.html", context, status=403)
    return render(request, "web/forbidden.html", context, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/not_found.html", {}, status=404)
