"""Strategy discussions, section 47 enquiries, conferences, plans and visits, and the clocks they drive."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outstanding.casework import services
from outstanding.clocks.selectors import clocks_by_child
from outstanding.timescales import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(make_child, social_worker):
    child = make_child()
    return services.strategy_discussion_record(
        actor=social_worker.user,
        child=child,
        held_on=timezone.localdate() - timedelta(days=2),
        agencies=["police", "social-care"],
        decision="section-47",
    )


def clock(child, name):
    return next(c for c in clocks_by_child([child], timezone.localdate())[child.pk] if c.rule.name == name)


def test_a_section_47_starts_the_15_day_conference_clock(discussion):
    assert clock(discussion.child, "initial_cp_conference").status in (Status.DUE, Status.DUE_SOON)


def test_the_initial_conference_makes_a_plan_and_stops_the_clock(discussion, social_worker):
    conference = services.initial_conference_record(
        actor=social_worker.user,
        discussion=discussion,
        held_on=timezone.localdate(),
        agencies=["health"],
        decision="plan",
        category="NEG",
    )
    assert conference.plan.initial_category == "NEG" and conference.plan.previous_plans == 0
    assert clock(discussion.child, "initial_cp_conference").status == Status.MET_IN_TIME
    with pytest.raises(ValidationError, match="already has its initial conference"):
        services.initial_conference_record(
            actor=social_worker.user,
            discussion=discussion,
            held_on=timezone.localdate(),
            agencies=["health"],
            decision="plan",
            category="NEG",
        )


def test_no_conference_needed_ends_the_clock(discussion, social_worker):
    services.section_47_conclude(
        actor=social_worker.user, discussion=discussion, outcome="not-substantiated", on=timezone.localdate()
    )
    assert clock(discussion.child, "initial_cp_conference").status == Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"decision": "plan", "category": ""}, "category"), ({"decision": "maybe"}, "decision")],
)
def test_bad_conference_input(discussion, social_worker, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.initial_conference_record(
            actor=social_worker.user,
            discussion=discussion,
            held_on=timezone.localdate(),
            agencies=[],
            **kwargs,
        )
    assert field in error.value.message_dict
    assert not discussion.child.protection_plans.exists()


def test_visits_need_a_real_date_and_sense(make_child, social_worker):
    child = make_child()
    with pytest.raises(ValidationError, match="can't have been seen alone"):
        services.visit_record(
            actor=social_worker.user,
            child=child,
            kind="cp",
            visited_on=timezone.localdate(),
            child_seen=False,
            seen_alone=True,
        )
    with pytest.raises(ValidationError, match="future"):
        services.visit_record(
            actor=social_worker.user,
            child=child,
            kind="cp",
            visited_on=timezone.localdate() + timedelta(days=1),
            child_seen=True,
            seen_alone=False,
        )


def test_shared_service_staff_cannot_record_protection_work(make_child, involve, mash_officer):
    child = make_child("kensington-chelsea")
    involve(child, mash=True)
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=mash_officer.user,
            child=child,
            kind="cp",
            visited_on=timezone.localdate(),
            child_seen=True,
            seen_alone=True,
        )


def test_child_in_need_plans_reviews_and_endings(make_child, social_worker, client, sign_in):
    child = make_child()
    today = timezone.localdate()
    sign_in(social_worker)
    day = {"cin_on-day": today.day, "cin_on-month": today.month, "cin_on-year": today.year}
    assert client.post(f"/children/{child.pk}/protection/", {"form": "cin-start", **day}).status_code == 302
    assert clock(child, "cin_visits").status in (Status.DUE, Status.DUE_SOON)
    review = {
        "form": "review",
        "kind": "cin-review",
        "review_on-day": today.day,
        "review_on-month": today.month,
        "review_on-year": today.year,
    }
    assert client.post(f"/children/{child.pk}/protection/", review).status_code == 302
    bad_end = {
        "form": "plan-end",
        "which": "cin",
        "ended_on-day": today.day,
        "ended_on-month": today.month,
        "ended_on-year": today.year,
        "reason": "",
    }
    response = client.post(f"/children/{child.pk}/protection/", bad_end)
    assert response.status_code == 400 and "Say why the plan is ending." in response.content.decode()
    client.post(f"/children/{child.pk}/protection/", {**bad_end, "reason": "Needs met"})
    plan = child.cin_plans.get()
    assert plan.ended_on == today and plan.end_reason == "Needs met" and plan.reviews.count() == 1


def test_a_review_conference_changes_the_latest_category(discussion, social_worker):
    conference = services.initial_conference_record(
        actor=social_worker.user,
        discussion=discussion,
        held_on=timezone.localdate(),
        agencies=["health"],
        decision="plan",
        category="NEG",
    )
    services.plan_review_record(
        actor=social_worker.user,
        child=discussion.child,
        kind="cp-review",
        held_on=timezone.localdate(),
        category="EMO",
    )
    conference.plan.refresh_from_db()
    assert (conference.plan.initial_category, conference.plan.latest_category) == ("NEG", "EMO")
    with pytest.raises(ValidationError, match="no open child in need plan"):
        services.plan_review_record(
            actor=social_worker.user, child=discussion.child, kind="cin-review", held_on=timezone.localdate()
        )


def test_closing_an_episode_needs_its_plans_ended_and_a_census_reason(make_child, social_worker):
    from outstanding.frontdoor.models import Referral

    child = make_child()
    referral = Referral.objects.create(
        child=child,
        council=child.responsible_council,
        referral_date=timezone.localdate() - timedelta(days=60),
        source="2A",
        assessment_due_on=timezone.localdate(),
    )
    services.cin_plan_start(actor=social_worker.user, child=child, started_on=timezone.localdate())
    with pytest.raises(ValidationError, match="End the child's open plans"):
        services.episode_close(
            actor=social_worker.user, referral=referral, closed_on=timezone.localdate(), reason="RC7"
        )
    services.plan_end(
        actor=social_worker.user, child=child, which="cin", ended_on=timezone.localdate(), reason="Met"
    )
    with pytest.raises(ValidationError, match="reason for closure"):
        services.episode_close(
            actor=social_worker.user, referral=referral, closed_on=timezone.localdate(), reason="X"
        )
    services.episode_close(
        actor=social_worker.user, referral=referral, closed_on=timezone.localdate(), reason="RC7"
    )
    referral.refresh_from_db()
    assert referral.closed_on == timezone.localdate() and referral.closure.reason == "RC7"
    assert child.chronology.filter(kind="episode_closed").exists()
    with pytest.raises(ValidationError, match="already closed"):
        services.episode_close(
            actor=social_worker.user, referral=referral, closed_on=timezone.localdate(), reason="RC7"
        )
