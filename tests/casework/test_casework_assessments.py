"""Child and family assessments: drafts save as typed, the child's views are required, a manager authorises,
and authorising stops the 45-working-day clock."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outstanding.casework import services
from outstanding.casework.models import Assessment
from outstanding.people.models import ChronologyEvent
from outstanding.timescales import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(make_child, social_worker):
    child = make_child()
    return services.assessment_start(
        actor=social_worker.user, child=child, started_on=timezone.localdate() - timedelta(days=10)
    )


def test_submitting_needs_the_childs_views_and_the_rest(assessment, social_worker):
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=social_worker.user, assessment=assessment)
    assert "child's views" in str(error.value) and "seen" in str(error.value)


def test_factors_are_census_codes_and_no_factors_stands_alone(assessment, social_worker):
    with pytest.raises(ValidationError, match="Unknown factor codes: 99Z"):
        services.assessment_save(actor=social_worker.user, assessment=assessment, factors=["99Z"])
    with pytest.raises(ValidationError, match="can't be chosen with other factors"):
        services.assessment_save(actor=social_worker.user, assessment=assessment, factors=["21", "3A"])


def fill(assessment, worker):
    return services.assessment_save(
        actor=worker.user,
        assessment=assessment,
        child_seen_on=assessment.started_on,
        child_seen_alone_on=assessment.started_on,
        childs_views="I want my mum to stop shouting.",
        factors=["3A", "11A"],
        analysis="Domestic abuse in the home; concerns about exploitation.",
        outcome="strategy-discussion",
    )


def test_a_manager_authorises_and_the_chronology_records_it(assessment, social_worker, team_manager):
    fill(assessment, social_worker)
    services.assessment_submit(actor=social_worker.user, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(actor=social_worker.user, assessment=assessment)
    services.assessment_authorise(actor=team_manager.user, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    event = ChronologyEvent.objects.get(kind=EventKind.ASSESSMENT_AUTHORISED, child=assessment.child)
    assert event.facts["factors"] == ["11A", "3A"]
    with pytest.raises(ValidationError, match="has been submitted"):
        services.assessment_save(actor=social_worker.user, assessment=assessment, analysis="changed")


def test_a_manager_can_return_it_with_reasons(assessment, social_worker, team_manager):
    fill(assessment, social_worker)
    services.assessment_submit(actor=social_worker.user, assessment=assessment)
    services.assessment_return(actor=team_manager.user, assessment=assessment, reason="Say more about dad.")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT and "dad" in assessment.returned_reason


def test_autosave_keeps_what_it_can_and_never_refuses(assessment, social_worker, client, sign_in):
    sign_in(social_worker)
    response = client.post(
        f"/assessments/{assessment.pk}/save/",
        {"autosave": "1", "childs_views": "She likes school.", "child_seen_on-day": "40", "factors": ["3A"]},
    )
    assert response.status_code == 200 and "saved_at" in response.json()
    assessment.refresh_from_db()
    assert assessment.childs_views == "She likes school." and assessment.factors == ["3A"]
    assert assessment.child_seen_on is None  # the half-typed date waits for the worker


def test_the_assessment_page_shows_its_referrals_clock(make_child, social_worker, client, sign_in):
    from outstanding.frontdoor.models import Referral
    from outstanding.people.services import chronology_record

    child = make_child()
    referred_on = timezone.localdate() - timedelta(days=3)
    old = Referral.objects.create(
        child=child,
        council=child.responsible_council,
        referral_date=referred_on - timedelta(days=400),
        source="2A",
        assessment_due_on=referred_on,
        closed_on=referred_on - timedelta(days=300),
    )
    referral = Referral.objects.create(
        child=child,
        council=child.responsible_council,
        referral_date=referred_on,
        source="2A",
        assessment_due_on=referred_on,
    )
    chronology_record(
        actor=None,
        child=child,
        kind=EventKind.REFERRAL,
        occurred_on=referred_on,
        summary="Referral",
        key=f"referral-{referral.pk}",
    )
    sign_in(social_worker)
    response = client.post(f"/children/{child.pk}/assessments/new/")
    assert Assessment.objects.get().referral == referral  # the open episode's, never the closed one
    assert old.assessments.count() == 0
    page = client.get(response.url).content.decode()
    assert "45 working days after referral" in page


def test_a_future_start_is_refused(make_child, social_worker):
    with pytest.raises(ValidationError, match="can't start in the future"):
        services.assessment_start(actor=social_worker.user, child=make_child(), started_on=date(2099, 1, 1))


def test_submitted_assessments_wait_in_the_managers_work_tray(
    assessment, social_worker, team_manager, client, sign_in
):
    fill(assessment, social_worker)
    services.assessment_submit(actor=social_worker.user, assessment=assessment)
    sign_in(team_manager)
    page = client.get("/work-tray/").content.decode()
    assert f"/assessments/{assessment.pk}/" in page and "Waiting for you to authorise (1)" in page


def test_only_the_workers_own_manager_authorises(assessment, social_worker, world, make_staff):
    from outstanding.partnership.roles import Role

    fill(assessment, social_worker)
    services.assessment_submit(actor=social_worker.user, assessment=assessment)
    from outstanding.partnership import services as partnership_services
    from outstanding.partnership.models import Service, Team

    south = partnership_services.team_create(
        actor=None,
        name="South team",
        kind=Team.Kind.LOCALITY,
        services=[Service.objects.get(code="assessment")],
        council=world["westminster"],
    )
    other_manager = make_staff(Role.TEAM_MANAGER, team=south, manager=True)  # same council, another team
    with pytest.raises(PermissionDenied, match="manager of the worker's team"):
        services.assessment_authorise(actor=other_manager.user, assessment=assessment)
