"""Clock evaluation: one test or more per row of timescales.md, plus statuses, explanations and bad input."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from outstanding.timescales import (
    RULES,
    Case,
    Clock,
    CouncilTimescaleSettings,
    Deadline,
    Event,
    EventKind,
    Scope,
    Status,
    TimescaleEngine,
    Unit,
    evaluate_case,
    get_rule,
)

K = EventKind


def ev(kind: str, on: date, key: str | None = None, **facts: Any) -> Event:
    return Event(kind, on, key, facts)


def clocks(
    events: list[Event],
    as_of: date,
    rule: str,
    born_on: date | None = None,
    settings: CouncilTimescaleSettings | None = None,
) -> list[Clock]:
    case = Case("child-1", events, born_on)
    found = evaluate_case(case, as_of, settings) if settings else evaluate_case(case, as_of)
    return [clock for clock in found if clock.rule.name == rule]


def only(events: list[Event], as_of: date, rule: str, **kwargs: Any) -> Clock:
    found = clocks(events, as_of, rule, **kwargs)
    assert len(found) == 1, found
    return found[0]


# --- every row of timescales.md has a rule --------------------------------------------------------

ROWS = {
    "Decision on a referral": ["referral_decision"],
    "Partners' information at the front door": ["partner_information"],
    "Child and family assessment": ["assessment"],
    "Initial child protection conference": ["initial_cp_conference"],
    "First core group": ["first_core_group"],
    "First child protection review conference": ["first_cp_review"],
    "Later review conferences": ["later_cp_reviews"],
    "Child protection statutory visits": ["cp_visits", "cp_seen_alone"],
    "Child in need visits": ["cin_visits"],
    "Children in care: first visit": ["cic_first_visit"],
    "Children in care: later visits": ["cic_visits"],
    "Children in care: first review": ["cic_first_review"],
    "Second review": ["cic_second_review"],
    "Later reviews": ["cic_later_reviews"],
    "Health assessment, dental check": ["health_assessment", "dental_check"],
    "Return home interview after a missing episode": ["return_home_interview"],
    "Pathway plan review": ["pathway_plan_review"],
    "Personal adviser contact with a care leaver": ["care_leaver_contact"],
    "Adoption A1": ["adoption_a1"],
    "Adoption A2": ["adoption_a2"],
}


def test_every_row_of_timescales_md_is_a_rule_and_every_rule_a_row() -> None:
    # The shared domain folder sits beside the repository (in CI too); the names below are its rows.
    root = Path(__file__).resolve().parents[2]
    tables = [root.parent / "shared" / "domain" / "timescales.md", Path("/work/shared/domain/timescales.md")]
    for table in tables:
        if table.exists():
            text = table.read_text()
            for row in ROWS:
                assert f"| {row}" in text, row
            break
    named = [name for names in ROWS.values() for name in names]
    assert sorted(named) == sorted(rule.name for rule in RULES)


@pytest.mark.parametrize(
    ("name", "deadline", "scope"),
    [
        ("referral_decision", Deadline(1, Unit.WORKING_DAYS), Scope.NATIONAL),
        ("assessment", Deadline(45, Unit.WORKING_DAYS), Scope.NATIONAL),
        ("initial_cp_conference", Deadline(15, Unit.WORKING_DAYS), Scope.NATIONAL),
        ("first_core_group", Deadline(10, Unit.WORKING_DAYS), Scope.LOCAL),
        ("first_cp_review", Deadline(3, Unit.MONTHS), Scope.NATIONAL),
        ("later_cp_reviews", Deadline(6, Unit.MONTHS), Scope.NATIONAL),
        ("cp_visits", Deadline(10, Unit.WORKING_DAYS), Scope.LOCAL),
        ("cin_visits", Deadline(20, Unit.WORKING_DAYS), Scope.LOCAL),
        ("cic_first_visit", Deadline(1, Unit.WEEKS), Scope.NATIONAL),
        ("cic_first_review", Deadline(20, Unit.WORKING_DAYS), Scope.NATIONAL),
        ("cic_second_review", Deadline(3, Unit.MONTHS), Scope.NATIONAL),
        ("cic_later_reviews", Deadline(6, Unit.MONTHS), Scope.NATIONAL),
        ("return_home_interview", Deadline(72, Unit.HOURS), Scope.NATIONAL),
        ("pathway_plan_review", Deadline(6, Unit.MONTHS), Scope.NATIONAL),
        ("care_leaver_contact", Deadline(8, Unit.WEEKS), Scope.LOCAL),
        ("adoption_a1", Deadline(426, Unit.DAYS), Scope.NATIONAL),
        ("adoption_a2", Deadline(121, Unit.DAYS), Scope.NATIONAL),
    ],
)
def test_rule_deadlines_match_timescales_md(name: str, deadline: Deadline, scope: Scope) -> None:
    rule = get_rule(name)
    assert rule.scope is scope
    if rule.setting:  # local: the default lives in the settings
        assert getattr(CouncilTimescaleSettings(), rule.setting) == deadline
    else:
        assert rule.deadline == deadline


def test_the_package_imports_no_django() -> None:
    package = Path(__file__).resolve().parents[2] / "outstanding" / "timescales"
    modules = sorted(package.glob("*.py"))
    assert modules
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), module


# --- referral, assessment, conference -------------------------------------------------------------


def test_referral_decision_across_the_state_funeral() -> None:
    referral = ev(K.REFERRAL, date(2022, 9, 16))
    clock = only(
        [referral, ev(K.REFERRAL_DECISION, date(2022, 9, 20))], date(2022, 10, 1), "referral_decision"
    )
    assert (clock.due, clock.status) == (date(2022, 9, 20), Status.MET_IN_TIME)
    assert "1 bank holiday skipped" in clock.explanation
    late = only(
        [referral, ev(K.REFERRAL_DECISION, date(2022, 9, 21))], date(2022, 10, 1), "referral_decision"
    )
    assert (late.status, late.days_late, late.working_days_late) == (Status.MET_LATE, 1, 1)


def test_assessment_due_explained_in_one_line() -> None:
    clock = only([ev(K.REFERRAL, date(2025, 1, 6))], date(2025, 1, 20), "assessment")
    assert clock.status is Status.DUE
    assert clock.explanation == "Due 10 Mar 2025: 45 working days after referral on 6 Jan 2025"


def test_assessment_across_easter_and_may_names_the_bank_holidays_skipped() -> None:
    clock = only([ev(K.REFERRAL, date(2025, 4, 1))], date(2025, 4, 2), "assessment")
    assert clock.due == date(2025, 6, 9)
    assert clock.explanation == (
        "Due 9 Jun 2025: 45 working days after referral on 1 Apr 2025; 4 bank holidays skipped"
    )


def test_assessment_statuses_over_time() -> None:
    events = [ev(K.REFERRAL, date(2025, 1, 6))]
    assert only(events, date(2025, 2, 28), "assessment").status is Status.DUE
    assert only(events, date(2025, 3, 3), "assessment").status is Status.DUE_SOON  # 5 working days left
    assert only(events, date(2025, 3, 10), "assessment").status is Status.DUE_SOON  # due today
    overdue = only(events, date(2025, 3, 12), "assessment")
    assert (overdue.status, overdue.days_late, overdue.working_days_late) == (Status.OVERDUE, 2, 2)
    assert overdue.explanation.startswith(
        "Overdue by 2 days: due 10 Mar 2025, 45 working days after referral"
    )
    in_time = only([*events, ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 10))], date(2025, 4, 1), "assessment")
    assert in_time.status is Status.MET_IN_TIME and in_time.days_late is None
    late = only([*events, ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 17))], date(2025, 4, 1), "assessment")
    assert (late.status, late.days_late, late.working_days_late) == (Status.MET_LATE, 7, 5)
    assert late.explanation.startswith(
        "Met 7 days (5 working days) late: assessment authorised on 17 Mar 2025"
    )


def test_events_after_as_of_have_not_happened_yet() -> None:
    events = [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.ASSESSMENT_AUTHORISED, date(2025, 2, 1))]
    assert only(events, date(2025, 1, 31), "assessment").status is Status.DUE
    assert clocks(events, date(2025, 1, 5), "assessment") == []


def test_referral_closed_with_no_further_action_needs_no_assessment() -> None:
    events = [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.REFERRAL_NFA, date(2025, 1, 6))]
    clock = only(events, date(2025, 6, 1), "assessment")
    assert clock.status is Status.NOT_APPLICABLE
    assert clock.explanation.startswith("Not applicable: referral closed, no further action on 6 Jan 2025")


def test_keys_pair_each_referral_with_its_own_assessment() -> None:
    events = [
        ev(K.REFERRAL, date(2025, 1, 6), "R1"),
        ev(K.REFERRAL, date(2025, 1, 13), "R2"),
        ev(K.ASSESSMENT_AUTHORISED, date(2025, 1, 20), "R2"),
        ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 20), "R1"),
    ]
    first, second = clocks(events, date(2025, 4, 1), "assessment")
    assert (first.key, first.met, first.status) == ("R1", date(2025, 3, 20), Status.MET_LATE)
    assert (second.key, second.met, second.status) == ("R2", date(2025, 1, 20), Status.MET_IN_TIME)


def test_initial_conference_15_working_days_from_the_strategy_discussion() -> None:
    s47 = ev(K.SECTION_47_STARTED, date(2024, 12, 11))
    clock = only(
        [s47, ev(K.INITIAL_CP_CONFERENCE, date(2025, 1, 6))], date(2025, 2, 1), "initial_cp_conference"
    )
    assert (clock.due, clock.status) == (date(2025, 1, 6), Status.MET_IN_TIME)
    assert "3 bank holidays skipped" in clock.explanation
    dropped = only(
        [s47, ev(K.ICPC_NOT_REQUIRED, date(2024, 12, 20))], date(2025, 2, 1), "initial_cp_conference"
    )
    assert dropped.status is Status.NOT_APPLICABLE


# --- child protection -----------------------------------------------------------------------------


def test_core_group_and_review_conferences() -> None:
    events = [
        ev(K.CP_PLAN_STARTED, date(2024, 11, 29)),
        ev(K.CORE_GROUP_MEETING, date(2024, 12, 16)),
        ev(K.CP_REVIEW_CONFERENCE, date(2025, 2, 27)),
        ev(K.CP_REVIEW_CONFERENCE, date(2025, 8, 29)),
    ]
    core = only(events, date(2025, 9, 1), "first_core_group")
    assert (core.due, core.status, core.days_late) == (date(2024, 12, 13), Status.MET_LATE, 3)
    first = only(events, date(2025, 9, 1), "first_cp_review")
    assert (first.due, first.status) == (date(2025, 2, 28), Status.MET_IN_TIME)  # 29 Nov + 3 months
    later = clocks(events, date(2025, 9, 1), "later_cp_reviews")
    assert [(c.started, c.due, c.status) for c in later] == [
        (date(2025, 2, 27), date(2025, 8, 27), Status.MET_LATE),
        (date(2025, 8, 29), date(2026, 2, 28), Status.DUE),  # 29 Aug + 6 months: end of February
    ]


def test_a_council_can_set_its_own_core_group_timescale() -> None:
    events = [ev(K.CP_PLAN_STARTED, date(2024, 11, 29))]
    settings = CouncilTimescaleSettings(first_core_group=Deadline(5, Unit.WORKING_DAYS))
    assert only(events, date(2024, 12, 1), "first_core_group", settings=settings).due == date(2024, 12, 6)


def test_later_reviews_not_started_until_the_first_review() -> None:
    events = [ev(K.CP_PLAN_STARTED, date(2025, 1, 6))]
    clock = only(events, date(2025, 2, 1), "later_cp_reviews")
    assert clock.status is Status.NOT_STARTED and clock.due is None
    assert "not yet recorded" in clock.explanation


def test_cp_visits_chain_from_plan_start_and_stop_when_the_plan_ends() -> None:
    events = [
        ev(K.CP_PLAN_STARTED, date(2024, 12, 2)),
        ev(K.CP_VISIT, date(2024, 12, 10), seen_alone=False),
        ev(K.CP_VISIT, date(2024, 12, 30), seen_alone=True),
        ev(K.CP_PLAN_ENDED, date(2025, 1, 6)),
        ev(K.CP_VISIT, date(2025, 3, 1), seen_alone=True),  # after the plan ended: starts nothing
    ]
    found = clocks(events, date(2025, 4, 1), "cp_visits")
    assert [(c.started, c.due, c.status) for c in found] == [
        (date(2024, 12, 2), date(2024, 12, 16), Status.MET_IN_TIME),
        (date(2024, 12, 10), date(2024, 12, 24), Status.MET_LATE),
        (date(2024, 12, 30), date(2025, 1, 14), Status.NOT_APPLICABLE),
    ]
    assert found[2].ended == date(2025, 1, 6)


def test_a_visit_missed_before_the_plan_ended_stays_overdue() -> None:
    events = [ev(K.CP_PLAN_STARTED, date(2025, 1, 6)), ev(K.CP_PLAN_ENDED, date(2025, 2, 3))]
    clock = only(events, date(2025, 4, 1), "cp_visits")
    assert (clock.status, clock.days_late, clock.ended) == (Status.OVERDUE, 14, date(2025, 2, 3))
    assert not clock.is_open
    assert clock.explanation.startswith("Not met: child protection plan end on 3 Feb 2025, 14 days")


def test_child_seen_alone_at_least_every_other_visit() -> None:
    events = [
        ev(K.CP_PLAN_STARTED, date(2024, 12, 2)),
        ev(K.CP_VISIT, date(2024, 12, 10), seen_alone=False),
        ev(K.CP_VISIT, date(2024, 12, 20), seen_alone=True),  # second visit: in time
        ev(K.CP_VISIT, date(2025, 1, 3), seen_alone=False),
        ev(K.CP_VISIT, date(2025, 1, 15), seen_alone=False),  # second since seen alone: missed
        ev(K.CP_VISIT, date(2025, 1, 28), seen_alone=True),
    ]
    found = clocks(events, date(2025, 2, 3), "cp_seen_alone")
    assert [(c.started, c.due, c.met, c.status) for c in found] == [
        (date(2024, 12, 2), date(2024, 12, 20), date(2024, 12, 20), Status.MET_IN_TIME),
        (date(2024, 12, 20), date(2025, 1, 15), date(2025, 1, 28), Status.MET_LATE),
        (date(2025, 1, 28), date(2025, 2, 25), None, Status.DUE),  # projected: two 10-day visits on
    ]
    assert found[2].projected
    assert "if visits keep to timescale" in found[2].explanation
    assert "second visit after the statutory visit on 28 Jan 2025" in found[2].explanation


def test_cin_visits_default_20_working_days_and_council_setting() -> None:
    events = [ev(K.CIN_PLAN_STARTED, date(2025, 1, 6)), ev(K.CIN_VISIT, date(2025, 2, 3))]
    first, second = clocks(events, date(2025, 2, 5), "cin_visits")
    assert (first.due, first.status) == (date(2025, 2, 3), Status.MET_IN_TIME)
    assert (second.due, second.status) == (date(2025, 3, 3), Status.DUE)
    settings = CouncilTimescaleSettings(cin_visits=Deadline(6, Unit.WEEKS))
    first, second = clocks(events, date(2025, 2, 5), "cin_visits", settings=settings)
    assert (first.due, second.due) == (date(2025, 2, 17), date(2025, 3, 17))


# --- children in care -----------------------------------------------------------------------------


def in_care(*extra: Event, intended_until_18: bool = False) -> list[Event]:
    return [
        ev(K.BECAME_LOOKED_AFTER, date(2023, 1, 9)),
        ev(K.PLACEMENT_STARTED, date(2023, 1, 9), intended_until_18=intended_until_18),
        *extra,
    ]


def test_first_visit_within_a_week_of_each_placement() -> None:
    events = in_care(
        ev(K.CIC_VISIT, date(2023, 1, 16)),
        ev(K.PLACEMENT_STARTED, date(2023, 3, 1)),
        ev(K.PLACEMENT_STARTED, date(2023, 3, 5)),  # moved again before anyone visited
        ev(K.CIC_VISIT, date(2023, 3, 14)),
    )
    found = clocks(events, date(2023, 4, 1), "cic_first_visit")
    assert [(c.started, c.due, c.status) for c in found] == [
        (date(2023, 1, 9), date(2023, 1, 16), Status.MET_IN_TIME),
        (date(2023, 3, 1), date(2023, 3, 8), Status.NOT_APPLICABLE),
        (date(2023, 3, 5), date(2023, 3, 12), Status.MET_LATE),
    ]


@pytest.mark.parametrize(
    ("intended_until_18", "previous_visit", "due"),
    [
        (True, date(2023, 6, 1), date(2023, 7, 13)),  # first year of the placement: 6 weeks
        (True, date(2024, 2, 1), date(2024, 5, 1)),  # after a year, meant to last to 18: 3 months
        (False, date(2024, 2, 1), date(2024, 3, 14)),  # after a year, not meant to last: 6 weeks
        (True, date(2024, 1, 8), date(2024, 2, 19)),  # one day short of a year: still 6 weeks
        (True, date(2024, 1, 9), date(2024, 4, 9)),  # a year to the day: 3 months
    ],
)
def test_later_visits_depend_on_the_age_and_intention_of_the_placement(
    intended_until_18: bool, previous_visit: date, due: date
) -> None:
    events = in_care(ev(K.CIC_VISIT, previous_visit), intended_until_18=intended_until_18)
    clock = only(events, previous_visit, "cic_visits")
    assert clock.due == due
    if due.month - previous_visit.month in (3, -9):
        assert (
            "because the placement is over a year old and is intended to last until 18" in clock.explanation
        )


def test_looked_after_reviews_20_working_days_then_3_then_6_months() -> None:
    events = in_care(
        ev(K.CIC_REVIEW, date(2023, 2, 3)),
        ev(K.CIC_REVIEW, date(2023, 5, 3)),
        ev(K.CIC_REVIEW, date(2023, 11, 3)),
    )
    first = only(events, date(2024, 1, 1), "cic_first_review")
    second = only(events, date(2024, 1, 1), "cic_second_review")
    later = clocks(events, date(2024, 1, 1), "cic_later_reviews")
    assert (first.due, first.status) == (date(2023, 2, 6), Status.MET_IN_TIME)
    assert (second.due, second.status) == (date(2023, 5, 3), Status.MET_IN_TIME)
    assert [(c.due, c.status) for c in later] == [
        (date(2023, 11, 3), Status.MET_IN_TIME),
        (date(2024, 5, 3), Status.DUE),
    ]
    assert only(in_care(), date(2023, 1, 20), "cic_second_review").status is Status.NOT_STARTED


def test_a_new_period_of_care_starts_the_reviews_again() -> None:
    events = in_care(
        ev(K.CIC_REVIEW, date(2023, 2, 3)),
        ev(K.CEASED_LOOKED_AFTER, date(2023, 3, 1)),
        ev(K.BECAME_LOOKED_AFTER, date(2024, 6, 3)),
    )
    found = clocks(events, date(2024, 6, 10), "cic_first_review")
    assert [(c.started, c.status) for c in found] == [
        (date(2023, 1, 9), Status.MET_IN_TIME),
        (date(2024, 6, 3), Status.DUE),
    ]
    second = clocks(events, date(2024, 6, 10), "cic_second_review")
    assert [c.status for c in second] == [Status.NOT_APPLICABLE, Status.NOT_STARTED]


def test_health_assessments_six_monthly_under_five_then_yearly_and_dental_yearly() -> None:
    events = in_care(
        ev(K.HEALTH_ASSESSMENT, date(2023, 2, 1)),
        ev(K.HEALTH_ASSESSMENT, date(2023, 8, 1)),
        ev(K.DENTAL_CHECK, date(2023, 2, 28)),
    )
    born = date(2018, 5, 1)  # turns 5 on 1 May 2023
    first, second = clocks(events, date(2023, 9, 1), "health_assessment", born_on=born)
    assert (first.due, first.status) == (date(2023, 8, 1), Status.MET_IN_TIME)
    assert "because the child was under 5" in first.explanation
    assert second.due == date(2024, 8, 1)
    assert only(events, date(2023, 9, 1), "dental_check").due == date(2024, 2, 28)


# --- hours-based clocks ------------------------------------------------------------------------


def test_return_home_interview_within_72_hours() -> None:
    returned = ev(K.MISSING_EPISODE_ENDED, datetime(2025, 4, 4, 22, 0))
    clock = only(
        [returned, ev(K.RETURN_HOME_INTERVIEW, datetime(2025, 4, 7, 21, 0))],
        date(2025, 4, 10),
        "return_home_interview",
    )
    assert (clock.due, clock.status) == (datetime(2025, 4, 7, 22, 0), Status.MET_IN_TIME)
    open_clock = only([returned], datetime(2025, 4, 7, 21, 0), "return_home_interview")
    assert open_clock.status is Status.DUE_SOON
    late = only([returned], datetime(2025, 4, 8, 1, 0), "return_home_interview")
    assert (late.status, late.hours_late) == (Status.OVERDUE, 3.0)


def test_hours_based_clocks_need_a_time() -> None:
    with pytest.raises(ValueError, match="needs a date and time"):
        evaluate_case(Case("c", [ev(K.MISSING_EPISODE_ENDED, date(2025, 4, 4))]), date(2025, 4, 10))


@pytest.mark.parametrize(
    ("rating", "due"),
    [
        ("red", datetime(2025, 1, 6, 12, 0)),  # 4 working hours from 16:00 Friday
        ("amber", datetime(2025, 1, 6, 16, 0)),  # 1 working day = 8 opening hours
        ("green", datetime(2025, 1, 8, 16, 0)),
    ],
)
def test_partner_information_by_urgency_rating(rating: str, due: datetime) -> None:
    rated = ev(K.CONTACT_RATED, datetime(2025, 1, 3, 16, 0), rating=rating)
    clock = only([rated], date(2025, 1, 3), "partner_information")
    assert (clock.due, clock.status) == (due, Status.DUE)
    assert f"(rated {rating})" in clock.explanation
    assert "counting 09:00-17:00 on working days" in clock.explanation


def test_merton_partner_information_2_6_24_hours() -> None:
    merton = CouncilTimescaleSettings(
        partner_information={
            "red": Deadline(2, Unit.WORKING_HOURS),
            "amber": Deadline(6, Unit.WORKING_HOURS),
            "green": Deadline(24, Unit.WORKING_HOURS),
        }
    )
    events = [
        ev(K.CONTACT_RATED, datetime(2025, 1, 6, 10, 0), "C1", rating="red"),
        ev(K.PARTNER_INFORMATION_COMPLETE, datetime(2025, 1, 6, 12, 30), "C1"),
        ev(K.CONTACT_RATED, datetime(2025, 1, 6, 10, 0), "C2", rating="green"),
        ev(K.PARTNER_INFORMATION_COMPLETE, datetime(2025, 1, 8, 17, 0), "C2"),
    ]
    red, green = clocks(events, date(2025, 1, 10), "partner_information", settings=merton)
    assert (red.due, red.status, red.hours_late) == (datetime(2025, 1, 6, 12, 0), Status.MET_LATE, 0.5)
    assert "Met 30 working minutes late" in red.explanation
    assert (green.due, green.status) == (datetime(2025, 1, 9, 10, 0), Status.MET_IN_TIME)


def test_an_unknown_rating_is_a_clear_error() -> None:
    rated = ev(K.CONTACT_RATED, datetime(2025, 1, 3, 16, 0), rating="purple")
    with pytest.raises(ValueError, match="'purple', for which the council has no"):
        evaluate_case(Case("c", [rated]), date(2025, 1, 6))


# --- care leavers and adoption --------------------------------------------------------------------


def test_pathway_plan_reviews_and_personal_adviser_contact() -> None:
    events = [
        ev(K.PATHWAY_PLAN_STARTED, date(2024, 8, 31)),
        ev(K.PATHWAY_PLAN_REVIEW, date(2025, 3, 3)),
        ev(K.BECAME_CARE_LEAVER, date(2025, 1, 10)),
        ev(K.CARE_LEAVER_CONTACT, date(2025, 3, 10)),
    ]
    first, second = clocks(events, date(2025, 3, 20), "pathway_plan_review")
    assert (first.due, first.status, first.days_late) == (date(2025, 2, 28), Status.MET_LATE, 3)
    assert (second.due, second.status) == (date(2025, 9, 3), Status.DUE)
    first, second = clocks(events, date(2025, 3, 20), "care_leaver_contact")
    assert (first.due, first.status) == (date(2025, 3, 7), Status.MET_LATE)
    assert second.due == date(2025, 5, 5)


def test_adoption_a1_only_for_children_with_an_adoption_decision_and_a2() -> None:
    events = in_care(
        ev(K.ADOPTION_DECISION, date(2023, 6, 1)),
        ev(K.PLACEMENT_ORDER, date(2023, 9, 1)),
        ev(K.MATCHED_WITH_ADOPTERS, date(2024, 1, 15)),
        ev(K.PLACED_FOR_ADOPTION, date(2024, 2, 1)),
    )
    a1 = only(events, date(2024, 3, 1), "adoption_a1")
    assert (a1.due, a1.status) == (date(2024, 3, 10), Status.MET_IN_TIME)  # 9 Jan 2023 + 426 days
    a2 = only(events, date(2024, 3, 1), "adoption_a2")
    assert (a2.due, a2.status, a2.days_late) == (date(2023, 12, 31), Status.MET_LATE, 15)
    assert clocks(in_care(), date(2024, 3, 1), "adoption_a1") == []


# --- bad input ------------------------------------------------------------------------------------


def test_bad_input_raises_clear_errors() -> None:
    with pytest.raises(ValueError, match="Unknown timescale rule 'assesment'"):
        get_rule("assesment")
    with pytest.raises(ValueError, match="unknown event kind 'referal'"):
        evaluate_case(Case("c", [Event("referal", date(2025, 1, 6))]), date(2025, 2, 1))
    with pytest.raises(ValueError, match="at least 1"):
        Deadline(-2, Unit.WORKING_DAYS)
    with pytest.raises(ValueError, match="as_of must be a date"):
        evaluate_case(Case("c", []), "2025-01-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be in days, weeks or months"):
        CouncilTimescaleSettings(cp_visits=Deadline(4, Unit.HOURS))
    with pytest.raises(ValueError, match="mix dates and date-times"):
        evaluate_case(
            Case("c", [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.REFERRAL, datetime(2025, 1, 7, 9))]),
            date(2025, 2, 1),
        )


def test_engine_evaluates_many_children_and_a_replaced_rule() -> None:
    import dataclasses

    old_a1 = dataclasses.replace(get_rule("adoption_a1"), deadline=Deadline(547, Unit.DAYS))
    engine = TimescaleEngine(rules=[old_a1])
    cases = [
        Case(
            "A",
            in_care(ev(K.ADOPTION_DECISION, date(2023, 6, 1)), ev(K.PLACED_FOR_ADOPTION, date(2024, 5, 1))),
        ),
        Case("B", [ev(K.REFERRAL, date(2025, 1, 6))]),
    ]
    result = engine.evaluate_many(cases, date(2024, 6, 1))
    assert [(c.due, c.status) for c in result["A"]] == [(date(2024, 7, 9), Status.MET_IN_TIME)]
    assert result["B"] == []  # not yet referred on 1 Jun 2024, and only the A1 rule was given


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2024, 10, 15), 3, date(2025, 1, 15)),
    ],
)
def test_months_are_calendar_months_with_the_end_of_month_handled(
    start: date, months: int, expected: date
) -> None:
    from outstanding.timescales import add_months

    assert add_months(start, months) == expected


def test_many_children_at_once_match_one_at_a_time() -> None:
    engine = TimescaleEngine()
    cases = [
        Case("A", [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 1))]),
        Case("B", in_care(ev(K.CIC_VISIT, date(2023, 1, 12)), ev(K.CIC_REVIEW, date(2023, 2, 1)))),
        Case(
            "C", [ev(K.CP_PLAN_STARTED, date(2024, 6, 3)), ev(K.CP_VISIT, date(2024, 6, 10), seen_alone=True)]
        ),
    ]
    together = engine.evaluate_many(cases, date(2025, 3, 31))
    for case in cases:
        assert together[case.child] == engine.evaluate(case, date(2025, 3, 31))
    assert [c.status for c in together["A"]] == [Status.OVERDUE, Status.MET_IN_TIME]  # no decision recorded
