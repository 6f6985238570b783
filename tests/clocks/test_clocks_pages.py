"""Timescale pages: a child's clocks from its chronology, and a team's overdue and due-soon list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outstanding.audit.models import AuditEvent
from outstanding.clocks.models import CouncilTimescaleSetting
from outstanding.clocks.selectors import child_clocks, settings_for, team_due
from outstanding.partnership.models import Service
from outstanding.partnership.roles import Role
from outstanding.people import services
from outstanding.people.models import Child
from outstanding.timescales import EventKind, Status, WorkingDayCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(make_child, involve):
    """A Westminster child referred 30 working days ago, assessment not yet authorised."""
    child = make_child()
    involve(child)
    start = WorkingDayCalendar.england().subtract_working_days(timezone.localdate(), 30)
    services.chronology_record(
        actor=None,
        child=child,
        kind=EventKind.REFERRAL,
        occurred_on=start,
        summary="Referral",
        service=Service.objects.get(code="assessment"),
    )
    return child, start


def test_a_childs_clocks_come_from_its_chronology(referred, social_worker):
    child, start = referred
    from outstanding.access import policy

    access = policy.child_access(social_worker.user, child, timezone.localdate())
    clocks = {c.rule.name: c for c in child_clocks(user=social_worker.user, child=child, access=access)}
    assessment = clocks["assessment"]
    assert assessment.started == start
    assert assessment.due == WorkingDayCalendar.england().add_working_days(start, 45)
    assert assessment.status == Status.DUE
    assert "45 working days after referral" in assessment.explanation
    assert clocks["referral_decision"].status == Status.OVERDUE  # no decision recorded


def test_child_timescales_page(referred, social_worker, client, sign_in):
    child, _ = referred
    sign_in(social_worker)
    page = client.get(f"/children/{child.pk}/timescales/").content.decode()
    assert "Child and family assessment" in page
    assert "45 working days after referral" in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_id=str(child.pk)).exists()


def test_shared_service_staff_dont_see_the_wider_clocks(referred, mash_officer, client, sign_in):
    child, _ = referred
    from outstanding.people.services import involvement_open

    involvement_open(
        actor=None,
        child=child,
        service=Service.objects.get(code="front-door"),
        team=mash_officer.team_memberships.get().team,
        start_date=timezone.localdate(),
    )
    sign_in(mash_officer)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    assert client.get(f"/children/{child.pk}/timescales/").status_code == 403


def test_team_view_lists_overdue_and_due_soon_soonest_first(
    referred, make_child, involve, team_manager, world
):
    child, _ = referred
    later = make_child(first_name="Later")
    involve(later)
    services.chronology_record(
        actor=None,
        child=later,
        kind=EventKind.REFERRAL,
        occurred_on=timezone.localdate() - timedelta(days=1),
        summary="Referral",
    )
    items = team_due(user=team_manager.user, team=world["locality"])
    rules = [(i.child.pk, i.clock.rule.name) for i in items]
    assert (child.pk, "referral_decision") in rules
    assert (child.pk, "assessment") not in rules  # due in 15 working days: beyond the 10-day horizon
    dues = [i.clock.due for i in items]
    assert dues == sorted(dues)
    assert AuditEvent.objects.filter(object_type="partnership.Team", action=AuditEvent.Action.VIEW).exists()


def test_only_the_teams_members_and_head_of_service_see_its_list(world, make_staff):
    outsider = make_staff(Role.TEAM_MANAGER, team=world["mash"], manager=True)
    with pytest.raises(PermissionDenied):
        team_due(user=outsider.user, team=world["locality"])
    head = make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"])
    assert team_due(user=head.user, team=world["locality"]) == []
    other_head = make_staff(Role.HEAD_OF_SERVICE, council=world["kensington-chelsea"])
    with pytest.raises(PermissionDenied):
        team_due(user=other_head.user, team=world["locality"])


def test_a_councils_own_settings_change_the_dates(world):
    assert settings_for(world["westminster"]).cp_visits.amount == 10
    CouncilTimescaleSetting.objects.create(
        council=world["westminster"],
        cp_visit_working_days=15,
        closed_christmas_to_new_year=True,
        extra_closure_days=["2025-06-02"],
    )
    saved = settings_for(world["westminster"])
    assert saved.cp_visits.amount == 15
    assert date(2025, 6, 2) in saved.closure_days and date(2025, 12, 29) in saved.closure_days


def test_demo_gives_a_team_manager_a_realistic_list(db):
    from outstanding.demo.generator import generate_demo
    from outstanding.partnership.models import StaffMember

    generate_demo(partnership="tri-borough", seed=42, scale=0.2)
    manager = StaffMember.objects.get(user__username="team-manager.westminster")
    team = manager.team_memberships.get().team
    items = team_due(user=manager.user, team=team)
    statuses = {i.clock.status for i in items}
    assert Status.OVERDUE in statuses and (Status.DUE in statuses or Status.DUE_SOON in statuses)
    assert Child.objects.filter(chronology__isnull=False).distinct().count() > 100


def test_a_shared_teams_list_shows_only_clocks_its_own_service_drives(
    make_child, involve, mash_officer, world
):
    child = make_child("kensington-chelsea")
    involve(child, mash=True)
    cp = Service.objects.get(code="child-protection")
    services.chronology_record(
        actor=None,
        child=child,
        kind=EventKind.CP_PLAN_STARTED,
        occurred_on=date(2025, 1, 6),
        summary="CP plan",
        service=cp,
    )
    items = team_due(user=mash_officer.user, team=world["mash"])
    assert not [i for i in items if i.child.pk == child.pk and "protection" in i.clock.rule.title.lower()]
    assert AuditEvent.objects.filter(object_id=str(child.pk), action=AuditEvent.Action.VIEW).exists()
