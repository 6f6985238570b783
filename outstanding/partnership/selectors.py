"""Reads from the partnership part. Each takes the acting user and returns only what that user may see."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet

from outstanding.access import policy
from outstanding.partnership.models import (
    ArrangementParticipation,
    Council,
    StaffMember,
    Team,
    TeamMembership,
)
from outstanding.partnership.roles import Role


def _require_administrator(user: AbstractBaseUser) -> None:
    if not policy.may_administer(user):
        raise PermissionDenied("Only system administrators can see the councils, teams and staff lists.")


def council_list(*, user: AbstractBaseUser, on: date) -> QuerySet[Council]:
    _require_administrator(user)
    return Council.objects.annotate(
        team_count=Count("teams", distinct=True), staff_count=Count("employees", distinct=True)
    ).prefetch_related("partnership_memberships__partnership")


def team_list(*, user: AbstractBaseUser, on: date, council: Council | None = None) -> QuerySet[Team]:
    _require_administrator(user)
    teams = Team.objects.select_related("council", "arrangement__service", "arrangement__partnership")
    if council is not None:
        teams = teams.filter(Q(council=council) | Q(arrangement__participations__council=council)).distinct()
    return teams.annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__start_date__lte=on)
            & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
            distinct=True,
        )
    ).prefetch_related("services")


def staff_list(*, user: AbstractBaseUser, on: date, team: Team | None = None) -> QuerySet[StaffMember]:
    _require_administrator(user)
    staff = StaffMember.objects.select_related("user", "employing_council").prefetch_related(
        "roles",
        Prefetch(
            "team_memberships",
            queryset=TeamMembership.objects.on(on).select_related("team"),
            to_attr="current_memberships",
        ),
    )
    if team is not None:
        staff = staff.filter(team_memberships__in=TeamMembership.objects.on(on).filter(team=team)).distinct()
    return staff


def my_teams(*, user: AbstractBaseUser, on: date) -> list[TeamMembership]:
    """The signed-in member of staff's own teams today (anyone may see their own)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return []
    return list(
        TeamMembership.objects.on(on)
        .filter(staff=staff)
        .select_related("team__council", "team__arrangement__service", "team__arrangement__partnership")
    )


def team_colleagues(*, user: AbstractBaseUser, on: date, team: Team) -> list[TeamMembership]:
    """Members of one of the user's own teams today; a manager's view of who they manage."""
    if not any(m.team_id == team.pk for m in my_teams(user=user, on=on)):
        raise PermissionDenied("You can only see the members of your own teams.")
    return list(
        TeamMembership.objects.on(on)
        .filter(team=team)
        .select_related("staff__user")
        .prefetch_related("staff__roles")
        .order_by("-is_manager", "staff__user__last_name")
    )


def councils_served(*, user: AbstractBaseUser, on: date) -> list[tuple[Team, list[Council]]]:
    """For each of the user's teams today, the councils whose children it works for on that day."""
    served = []
    for membership in my_teams(user=user, on=on):
        team = membership.team
        if team.council_id:
            served.append((team, [team.council]))
        else:
            councils = [p.council for p in team.arrangement.participations.on(on).select_related("council")]
            served.append((team, sorted(councils, key=lambda c: c.name)))
    return served


def council_overview(*, user: AbstractBaseUser, on: date) -> tuple[Council, QuerySet[Team]] | None:
    """A head of service's or analyst's own council and every team working for it today."""
    if not policy.has_role(user, Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST):
        raise PermissionDenied("Only heads of service and performance analysts see the council overview.")
    council = user.staff.employing_council
    if council is None:
        return None
    shared = ArrangementParticipation.objects.on(on).filter(council=council).values("arrangement")
    teams = (
        Team.objects.filter(Q(council=council) | Q(arrangement__in=shared))
        .select_related("arrangement__service", "arrangement__partnership", "council")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=on)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
                distinct=True,
            )
        )
        .order_by("kind", "name")
    )
    return council, teams
