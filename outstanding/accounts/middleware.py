"""Ends a signed-in session after a spell without any request (a shared office, an unlocked laptop)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record

LAST_SEEN = "outstanding:last-seen"


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN, now)
            timeout = settings.OUTSTANDING_IDLE_TIMEOUT_SECONDS
            if now - last_seen > timeout:
                user = request.user
                logout(request)
                audit_record(
                    actor=user,
                    action=AuditEvent.Action.SESSION_EXPIRED,
                    summary=f"Signed out after {timeout // 60} minutes without activity",
                    ip_address=request.META.get("REMOTE_ADDR"),
                )
                messages.info(
                    request,
                    f"You were signed out after {timeout // 60} minutes without activity. Sign in again.",
                )
                return redirect_to_login(request.get_full_path())
            request.session[LAST_SEEN] = now
        return self.get_response(request)
