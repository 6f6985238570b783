"""National measures over many children, with numerators and denominators."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from outstanding.timescales import Case, Event, EventKind, ReportingPeriod, evaluate_cases

K = EventKind
YEAR = ReportingPeriod(date(2024, 4, 1), date(2025, 3, 31))


def ev(kind: str, on: date, **facts: Any) -> Event:
    return Event(kind, on, None, facts)


def measures(cases: list[Case]) -> dict[str, tuple[int, int, float | None]]:
    result = evaluate_cases(cases, YEAR)
    return {m.name: (m.numerator, m.denominator, m.value) for m in result.measures}


def test_assessments_and_conferences_within_timescale() -> None:
    cases = [
        Case("in time", [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 10))]),
        Case("late", [ev(K.REFERRAL, date(2025, 1, 6)), ev(K.ASSESSMENT_AUTHORISED, date(2025, 3, 11))]),
        Case("last year", [ev(K.REFERRAL, date(2024, 1, 8)), ev(K.ASSESSMENT_AUTHORISED, date(2024, 2, 1))]),
        Case("open", [ev(K.REFERRAL, date(2025, 3, 1))]),
        Case(
            "icpc",
            [ev(K.SECTION_47_STARTED, date(2024, 12, 11)), ev(K.INITIAL_CP_CONFERENCE, date(2025, 1, 6))],
        ),
    ]
    found = measures(cases)
    assert found["assessments_within_45_working_days"] == (1, 2, 50.0)
    assert found["icpcs_within_15_working_days"] == (1, 1, 100.0)
    assert found["re_referrals_within_12_months"] == (0, 3, 0.0)


def test_re_referrals_repeat_plans_and_long_plans() -> None:
    cases = [
        Case("rereferred", [ev(K.REFERRAL, date(2024, 5, 1)), ev(K.REFERRAL, date(2025, 4, 30))]),
        Case("within a year", [ev(K.REFERRAL, date(2024, 2, 1)), ev(K.REFERRAL, date(2025, 1, 31))]),
        Case("just over", [ev(K.REFERRAL, date(2023, 6, 1)), ev(K.REFERRAL, date(2024, 6, 2))]),
        Case(
            "second plan",
            [
                ev(K.CP_PLAN_STARTED, date(2020, 1, 6)),
                ev(K.CP_PLAN_ENDED, date(2022, 3, 1)),
                ev(K.CP_PLAN_STARTED, date(2024, 9, 1)),
            ],
        ),
        Case("long plan", [ev(K.CP_PLAN_STARTED, date(2022, 6, 1)), ev(K.CP_PLAN_ENDED, date(2024, 6, 1))]),
        Case("short plan", [ev(K.CP_PLAN_STARTED, date(2024, 4, 2)), ev(K.CP_PLAN_ENDED, date(2024, 12, 1))]),
    ]
    found = measures(cases)
    # Referrals in the year: 1 May 2024 (first), 31 Jan 2025 (within 12 months of 1 Feb 2024), 2 Jun 2024
    # (12 months and a day after 1 Jun 2023). 30 Apr 2025 is after the year.
    assert found["re_referrals_within_12_months"] == (1, 3, 33.3)
    assert found["repeat_cp_plans"] == (1, 2, 50.0)
    assert found["cp_plans_lasting_2_years"] == (1, 2, 50.0)


def test_children_in_care_placements_and_stability() -> None:
    born = date(2012, 1, 1)
    cases = [
        Case(
            "three placements",
            [
                ev(K.BECAME_LOOKED_AFTER, date(2023, 1, 1)),
                ev(K.PLACEMENT_STARTED, date(2023, 1, 1)),
                ev(K.PLACEMENT_STARTED, date(2024, 6, 1)),
                ev(K.PLACEMENT_STARTED, date(2025, 1, 1)),
            ],
            born,
        ),
        Case(
            "stable",
            [ev(K.BECAME_LOOKED_AFTER, date(2020, 1, 1)), ev(K.PLACEMENT_STARTED, date(2022, 1, 1))],
            born,
        ),
        Case(
            "left care",
            [
                ev(K.BECAME_LOOKED_AFTER, date(2020, 1, 1)),
                ev(K.PLACEMENT_STARTED, date(2020, 1, 1)),
                ev(K.CEASED_LOOKED_AFTER, date(2024, 12, 1)),
            ],
            born,
        ),
        Case(
            "moved recently",
            [
                ev(K.BECAME_LOOKED_AFTER, date(2021, 1, 1)),
                ev(K.PLACEMENT_STARTED, date(2021, 1, 1)),
                ev(K.PLACEMENT_STARTED, date(2024, 1, 1)),
            ],
            born,
        ),
    ]
    found = measures(cases)
    assert found["cic_3_or_more_placements"] == (1, 3, 33.3)
    assert found["cic_placement_stability"] == (1, 2, 50.0)  # "three placements" is under 2.5 years in care


def test_care_leavers_latest_status_in_the_year() -> None:
    def leaver(name: str, **facts: bool) -> Case:
        return Case(
            name,
            [ev(K.BECAME_CARE_LEAVER, date(2023, 1, 1)), ev(K.CARE_LEAVER_STATUS, date(2024, 9, 1), **facts)],
        )

    cases = [
        leaver("all good", in_touch=True, accommodation_suitable=True, in_education_employment_training=True),
        leaver(
            "in touch only",
            in_touch=True,
            accommodation_suitable=False,
            in_education_employment_training=False,
        ),
        leaver("lost touch", in_touch=False),
        Case("no status", [ev(K.BECAME_CARE_LEAVER, date(2023, 1, 1))]),
    ]
    found = measures(cases)
    assert found["care_leavers_in_touch"] == (2, 3, 66.7)
    assert found["care_leavers_suitable_accommodation"] == (1, 3, 33.3)
    assert found["care_leavers_in_education_employment_training"] == (1, 3, 33.3)


def test_adoption_averages_and_explanations() -> None:
    def adopted(name: str, entered: date, order: date, matched: date, placed: date) -> Case:
        return Case(
            name,
            [
                ev(K.BECAME_LOOKED_AFTER, entered),
                ev(K.ADOPTION_DECISION, entered),
                ev(K.PLACEMENT_ORDER, order),
                ev(K.MATCHED_WITH_ADOPTERS, matched),
                ev(K.PLACED_FOR_ADOPTION, placed),
            ],
        )

    cases = [
        adopted("one", date(2023, 6, 1), date(2024, 1, 1), date(2024, 5, 1), date(2024, 6, 1)),  # 366, 121
        adopted("two", date(2023, 1, 1), date(2023, 12, 1), date(2024, 12, 1), date(2025, 1, 1)),  # 731, 366
    ]
    result = evaluate_cases(cases, YEAR)
    by_name = {m.name: m for m in result.measures}
    a1, a2 = by_name["adoption_a1_average_days"], by_name["adoption_a2_average_days"]
    assert (a1.numerator, a1.denominator, a1.value) == (366 + 731, 2, 548.5)
    assert (a2.numerator, a2.denominator, a2.value) == (121 + 366, 2, 243.5)
    assert a1.explanation == (
        "Adoption A1: average days from entering care to moving in with adopters: 548.5 days on average "
        "(1,097 days over 2 children who moved in with adopters in 1 Apr 2024 to 31 Mar 2025)"
    )
    assessments = by_name["assessments_within_45_working_days"]
    assert assessments.value is None
    assert "no assessments authorised" in assessments.explanation
    assert set(result.clocks) == {"one", "two"}


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        ReportingPeriod(date(2025, 3, 31), date(2024, 4, 1))
