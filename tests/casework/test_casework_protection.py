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
