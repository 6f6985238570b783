from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from outstanding.accounts.services import SignInRefused, sign_in_check
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.web.views import client_address as _client_address


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    error = None
    username = request.POST.get("username", "")
    if request.method == "POST":
        try:
            user = sign_in_check(
                username=username,
                password=request.POST.get("password", ""),
                ip_address=_client_address(request),
            )
        except SignInRefused as refused:
            error = str(refused)
        else:
            login(request, user)
            audit_record(
                actor=user,
                action=AuditEvent.Action.SIGN_IN,
                summary="Signed in",
                ip_address=_client_address(request),
            )
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/sign_in.html",
        {"error": error, "username": username, "next": request.GET.get("next", request.POST.get("next", ""))},
        status=400 if error else 200,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.SIGN_OUT,
            summary="Signed out",
            ip_address=_client_address(request),
        )
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")
