"""CIN census rules: tests for outstanding/returns/rules/cin_more.py."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.testing import flagged, flagged_by_table

D = dt.date


def cin(code: int | str, data: dict, year: str = "2025-26") -> list[int]:
    return flagged("cin", code, data, year)


def cin_tables(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    """For a rule flagging rows in more than one table: the rows (0-based indexes) it flags, by table."""
    return flagged_by_table("cin", code, data, year)


def test_8770Q_upn_for_a_child_of_school_age() -> None:
    children = [
        {"LAchildID": "A", "PersonBirthDate": D(2015, 1, 1), "UPN": "A123456789012"},
        {"LAchildID": "B", "PersonBirthDate": D(2015, 1, 1), "UPNunknown": "UN2"},
        {"LAchildID": "C", "PersonBirthDate": D(2015, 1, 1)},  # nothing given
        {"LAchildID": "D", "PersonBirthDate": D(2015, 1, 1), "UPNunknown": "UN1"},  # "not of school age"
        {"LAchildID": "E", "PersonBirthDate": D(2022, 8, 31)},  # 4 by 31 August 2026: school age
        {"LAchildID": "F", "PersonBirthDate": D(2022, 9, 1)},  # too young
        {"LAchildID": "G", "PersonBirthDate": D(2015, 1, 1)},  # referral with no further action only
    ]
    details = [{"LAchildID": c, "CINdetailsID": i, "ReferralNFA": c == "G"} for i, c in enumerate("ABCDEFG")]
    data = {"ChildIdentifiers": children, "CINdetails": details}
    assert cin("8770Q", data) == [2, 3, 4]
    # A year earlier the cut-off is 31 August 2021.
    assert cin("8770Q", data, year="2024-25") == [2, 3]


def test_8896_two_open_assessments_in_an_episode() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 6, 1)},
        {
            "LAchildID": "A",
            "CINdetailsID": 1,
            "AssessmentActualStartDate": D(2025, 4, 1),
            "AssessmentAuthorisationDate": D(2025, 4, 20),
        },
        {"LAchildID": "A", "CINdetailsID": 2, "AssessmentActualStartDate": D(2025, 7, 1)},
    ]
    assert cin(8896, {"Assessments": rows}) == [0, 1]
    assert cin(8896, {"Assessments": rows[1:]}) == []


def _assessment(i: int, authorised: dt.date | None, child: str = "A") -> dict:
    return {
        "LAchildID": child,
        "CINdetailsID": 1,
        "AssessmentID": i,
        "AssessmentActualStartDate": D(2025, 1, 1),
        "AssessmentAuthorisationDate": authorised,
    }


def test_8897_factors_missing_from_a_completed_assessment() -> None:
    assessments = [
        _assessment(1, D(2025, 5, 1)),  # valid factors
        _assessment(2, D(2025, 5, 1)),  # no factors
        _assessment(3, D(2025, 5, 1)),  # one invalid factor
        _assessment(4, D(2025, 3, 1)),  # completed last year: not checked
        _assessment(5, None),  # not completed
        _assessment(6, D(2025, 5, 1)),  # legacy code, still valid
        _assessment(7, D(2025, 5, 1)),  # an empty <AssessmentFactors/> beside a valid one
        _assessment(8, D(2025, 5, 1)),  # only an empty <AssessmentFactors/>
    ]
    factors = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "21"},
        {"LAchildID": "A", "AssessmentID": 3, "AssessmentFactors": "2B"},
        {"LAchildID": "A", "AssessmentID": 3, "AssessmentFactors": "99Z"},
        {"LAchildID": "A", "AssessmentID": 4, "AssessmentFactors": "99Z"},
        {"LAchildID": "A", "AssessmentID": 6, "AssessmentFactors": "18A"},
        {"LAchildID": "A", "AssessmentID": 7, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 7, "AssessmentFactors": None},
        {"LAchildID": "A", "AssessmentID": 8, "AssessmentFactors": None},
    ]
    data = {"Assessments": assessments, "AssessmentFactors": factors}
    # Each factor "must be present and a valid code": an empty one is flagged, as is its assessment.
    assert cin_tables(8897, data) == {"Assessments": [1, 2, 6, 7], "AssessmentFactors": [3, 7, 8]}
    assert cin_tables(8897, {"Assessments": assessments[:1], "AssessmentFactors": factors}) == {}


def test_8899Q_disabled_child_without_disability_factor() -> None:
    assessments = [
        _assessment(1, D(2025, 5, 1)),  # 5A recorded with another factor
        _assessment(2, D(2025, 5, 1)),  # no disability factor
        _assessment(3, None),  # not completed
        _assessment(4, D(2025, 5, 1), child="B"),  # child B has no disability
    ]
    factors = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "5A"},
        {"LAchildID": "A", "AssessmentID": 2, "AssessmentFactors": "1A"},
        {"LAchildID": "B", "AssessmentID": 4, "AssessmentFactors": "1A"},
    ]
    disabilities = [
        {"LAchildID": "A", "Disability": "MOB"},
        {"LAchildID": "B", "Disability": "NONE"},
        {"LAchildID": "A", "Disability": "HAND"},
        {"LAchildID": "C", "Disability": "VIS"},  # no assessment
    ]
    data = {"Assessments": assessments, "AssessmentFactors": factors, "Disabilities": disabilities}
    # The assessment, and the child's disabilities (not NONE) that call for the factor.
    assert cin_tables("8899Q", data) == {"Assessments": [1], "Disabilities": [0, 2]}
    assert cin_tables("8899Q", {**data, "Disabilities": disabilities[1:2]}) == {}


def test_8905_initial_category_of_abuse() -> None:
    rows = [
        {"LAchildID": "A", "InitialCategoryOfAbuse": "NEG"},
        {"LAchildID": "A", "InitialCategoryOfAbuse": "XYZ"},
        {"LAchildID": "A"},
    ]
    assert cin(8905, {"ChildProtectionPlans": rows}) == [1, 2]
    assert cin(8905, {"ChildProtectionPlans": rows[:1]}) == []


def test_8910_latest_category_of_abuse() -> None:
    rows = [
        {"LAchildID": "A", "LatestCategoryOfAbuse": "MUL"},
        {"LAchildID": "A", "LatestCategoryOfAbuse": "neg"},
        {"LAchildID": "A"},
    ]
    assert cin(8910, {"ChildProtectionPlans": rows}) == [1, 2]
    assert cin(8910, {"ChildProtectionPlans": rows[:1]}) == []


def _deaths() -> list[dict]:
    return [
        {"LAchildID": "A", "PersonDeathDate": D(2025, 6, 1)},
        {"LAchildID": "B", "PersonDeathDate": D(2025, 6, 1)},
        {"LAchildID": "C"},
    ]


def test_8915_plan_starts_after_death() -> None:
    plans = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 6, 1)},
        {"LAchildID": "B", "CPPstartDate": D(2025, 6, 2)},
        {"LAchildID": "C", "CPPstartDate": D(2025, 6, 2)},
    ]
    data = {"ChildIdentifiers": _deaths(), "ChildProtectionPlans": plans}
    assert cin_tables(8915, data) == {"ChildProtectionPlans": [1], "ChildIdentifiers": [1]}
    assert cin_tables(8915, {**data, "ChildProtectionPlans": [plans[0], plans[2]]}) == {}


def test_8920_plan_ends_after_death() -> None:
    plans = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 1)},
        {"LAchildID": "B", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 2)},
        {"LAchildID": "B", "CPPstartDate": D(2025, 5, 1)},
        {"LAchildID": "C", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 2)},
    ]
    data = {"ChildIdentifiers": _deaths(), "ChildProtectionPlans": plans}
    assert cin_tables(8920, data) == {"ChildProtectionPlans": [1], "ChildIdentifiers": [1]}
    assert cin_tables(8920, {**data, "ChildProtectionPlans": [plans[0], plans[2]]}) == {}


def test_8930_plan_end_in_census_year() -> None:
    rows = [
        {"LAchildID": "A", "CPPendDate": D(2025, 4, 1)},
        {"LAchildID": "A", "CPPendDate": D(2025, 3, 31)},
        {"LAchildID": "A", "CPPendDate": D(2026, 4, 1)},
        {"LAchildID": "A"},
    ]
    assert cin(8930, {"ChildProtectionPlans": rows}) == [1, 2]
    assert cin(8930, {"ChildProtectionPlans": rows}, year="2024-25") == [0, 2]
