"""Timescale pages: one child's clocks, and what is overdue or due soon across a team."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from outstanding.clocks import selectors
from outstanding.partnership.models import Team
from outstanding.people import selectors as people_selectors
from outstanding.web.views import page, staff_required


@require_GET
@staff_required
def child_clocks(request: HttpRequest, pk: int) -> HttpResponse:
    child, access = people_selectors.child_for_viewing(
        user=request.user, child_id=pk, ip_address=request.META.get("REMOTE_ADDR")
    )
    if not access.can_view:
        raise PermissionDenied("This is a restricted record: open it from its summary page first.")
    clocks = selectors.child_clocks(user=request.user, child=child, access=access)
    return page(
        request, "clocks/child.html", {"child": child, "clocks": clocks, "today": timezone.localdate()}
    )


@require_GET
@staff_required
def team_due(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    items = selectors.team_due(user=request.user, team=team, ip_address=request.META.get("REMOTE_ADDR"))
    return page(
        request,
        "clocks/team.html",
        {
            "team": team,
            "items": items,
            "today": timezone.localdate(),
            "horizon": selectors.TEAM_HORIZON_WORKING_DAYS,
        },
    )
