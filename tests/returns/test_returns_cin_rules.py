"""CIN census rules: for each, rows that pass and rows that fail (indexes are rows of the flagged table)."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.testing import flagged

D = dt.date


def cin(code: int | str, data: dict, year: str = "2025-26") -> list[int]:
    return flagged("cin", code, data, year)


def test_100_reference_date() -> None:
    assert cin(100, {"Header": [{"ReferenceDate": D(2026, 3, 31)}]}) == []
    assert cin(100, {"Header": [{"ReferenceDate": D(2025, 3, 31)}]}) == [0]
    assert cin(100, {"Header": [{"Year": "2026"}]}) == [0]
    assert cin(100, {"Header": [{"ReferenceDate": D(2025, 3, 31)}]}, year="2024-25") == []


def test_8500_child_id_missing() -> None:
    assert cin(8500, {"ChildIdentifiers": [{"LAchildID": "A"}, {"UPN": "x"}]}) == [1]


def test_8510_child_id_unique() -> None:
    rows = [{"LAchildID": "A"}, {"LAchildID": "B"}, {"LAchildID": "A"}]
    assert cin(8510, {"ChildIdentifiers": rows}) == [0, 2]
    assert cin(8510, {"ChildIdentifiers": rows[:2]}) == []


def test_8520_birth_after_census() -> None:
    rows = [
        {"LAchildID": "A", "PersonBirthDate": D(2026, 3, 31)},
        {"LAchildID": "B", "PersonBirthDate": D(2026, 4, 1)},
        {"LAchildID": "C"},
    ]
    assert cin(8520, {"ChildIdentifiers": rows}) == [1]


def test_8525_one_birth_date() -> None:
    rows = [
        {"LAchildID": "A", "PersonBirthDate": D(2020, 1, 1)},
        {"LAchildID": "B", "ExpectedPersonBirthDate": D(2026, 5, 1)},
        {"LAchildID": "C", "PersonBirthDate": D(2020, 1, 1), "ExpectedPersonBirthDate": D(2020, 1, 1)},
        {"LAchildID": "D"},
    ]
    assert cin(8525, {"ChildIdentifiers": rows}) == [2, 3]


def test_8540_disability_missing_or_invalid() -> None:
    children = [{"LAchildID": c, "PersonBirthDate": D(2015, 1, 1)} for c in "ABCD"]
    details = [{"LAchildID": c, "CINdetailsID": i, "ReferralNFA": c == "D"} for i, c in enumerate("ABCD")]
    disabilities = [
        {"LAchildID": "A", "Disability": "NONE"},
        {"LAchildID": "B", "Disability": "XYZ"},
        {"LAchildID": "B", "Disability": "MOB"},
    ]
    data = {"ChildIdentifiers": children, "CINdetails": details, "Disabilities": disabilities}
    # A valid; B has an invalid code; C has none; D's referral was NFA so it is not checked.
    assert cin(8540, data) == [1, 2]


def test_8590_child_without_episode() -> None:
    data = {
        "ChildIdentifiers": [{"LAchildID": "A"}, {"LAchildID": "B"}],
        "CINdetails": [{"LAchildID": "A", "CINdetailsID": 1}],
    }
    assert cin(8590, data) == [1]


def test_8600_referral_date() -> None:
    rows = [
        {"LAchildID": "A", "CINreferralDate": D(2026, 3, 31)},
        {"LAchildID": "B", "CINreferralDate": D(2026, 4, 1)},
        {"LAchildID": "C"},
    ]
    assert cin(8600, {"CINdetails": rows}) == [1, 2]


def test_8606_referral_long_before_birth() -> None:
    children = [
        {"LAchildID": "A", "PersonBirthDate": D(2025, 12, 1)},
        {"LAchildID": "B", "ExpectedPersonBirthDate": D(2026, 6, 1)},
    ]
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINreferralDate": D(2025, 12, 1) - dt.timedelta(280)},
        {"LAchildID": "B", "CINdetailsID": 2, "CINreferralDate": D(2026, 6, 1) - dt.timedelta(281)},
    ]
    assert cin(8606, {"ChildIdentifiers": children, "CINdetails": details}) == [1]


def test_8608_assessment_dates_in_order() -> None:
    rows = [
        {
            "LAchildID": "A",
            "AssessmentActualStartDate": D(2025, 5, 1),
            "AssessmentAuthorisationDate": D(2025, 5, 1),
        },
        {
            "LAchildID": "A",
            "AssessmentActualStartDate": D(2025, 5, 2),
            "AssessmentAuthorisationDate": D(2025, 5, 1),
        },
        {"LAchildID": "A", "AssessmentActualStartDate": D(2025, 5, 2)},
    ]
    assert cin(8608, {"Assessments": rows}) == [1]


def test_8610_primary_need_missing() -> None:
    rows = [
        {"LAchildID": "A", "ReferralNFA": False},
        {"LAchildID": "B", "ReferralNFA": False, "PrimaryNeedCode": "N1"},
        {"LAchildID": "C", "ReferralNFA": True},
    ]
    assert cin(8610, {"CINdetails": rows}) == [0]


def test_1103_assessment_before_referral() -> None:
    details = [{"LAchildID": "A", "CINdetailsID": 1, "CINreferralDate": D(2025, 6, 1)}]
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 5, 31)},
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 6, 1)},
    ]
    assert cin(1103, {"CINdetails": details, "Assessments": rows}) == [0]


def test_8565_activity_after_closure() -> None:
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINclosureDate": D(2025, 9, 1)},
        {"LAchildID": "A", "CINdetailsID": 2, "CINclosureDate": D(2025, 9, 1)},
        {
            "LAchildID": "A",
            "CINdetailsID": 3,
            "CINclosureDate": D(2025, 9, 1),
            "DateOfInitialCPC": D(2025, 9, 2),
        },
        {"LAchildID": "A", "CINdetailsID": 4},
    ]
    plans = [
        {
            "LAchildID": "A",
            "CINdetailsID": 2,
            "CINPlanStartDate": D(2025, 8, 1),
            "CINPlanEndDate": D(2025, 9, 5),
        },
        {"LAchildID": "A", "CINdetailsID": 4, "CINPlanStartDate": D(2025, 8, 1)},
    ]
    assess = [{"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 9, 1)}]
    data = {"CINdetails": details, "CINplanDates": plans, "Assessments": assess}
    assert cin(8565, data) == [1, 2]


def test_8614_factors_only_for_completed_assessment() -> None:
    assess = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentActualStartDate": D(2025, 5, 1)},
        {
            "LAchildID": "A",
            "AssessmentID": 2,
            "AssessmentActualStartDate": D(2025, 5, 1),
            "AssessmentAuthorisationDate": D(2025, 6, 1),
        },
        {"LAchildID": "A", "AssessmentID": 3, "AssessmentActualStartDate": D(2025, 5, 1)},
    ]
    factors = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 2, "AssessmentFactors": "2B"},
    ]
    assert cin(8614, {"Assessments": assess, "AssessmentFactors": factors}) == [0]


def test_8620_closure_in_census_year() -> None:
    rows = [
        {"LAchildID": "A", "CINclosureDate": D(2025, 4, 1)},
        {"LAchildID": "A", "CINclosureDate": D(2026, 3, 31)},
        {"LAchildID": "A", "CINclosureDate": D(2025, 3, 31)},
        {"LAchildID": "A"},
        {"LAchildID": "A", "CINclosureDate": D(2026, 4, 1)},
    ]
    assert cin(8620, {"CINdetails": rows}) == [2, 4]


def test_8640_reason_for_closure_code() -> None:
    rows = [
        {"LAchildID": "A", "ReasonForClosure": "RC9"},
        {"LAchildID": "A", "ReasonForClosure": "RC10"},
        {"LAchildID": "A"},
    ]
    assert cin(8640, {"CINdetails": rows}) == [1]


def test_8650_primary_need_code() -> None:
    rows = [
        {"LAchildID": "A", "PrimaryNeedCode": "N0"},
        {"LAchildID": "A", "PrimaryNeedCode": "N10"},
        {"LAchildID": "A"},
    ]
    assert cin(8650, {"CINdetails": rows}) == [1]


def test_8715_icpc_in_census_year() -> None:
    rows = [
        {"LAchildID": "A", "DateOfInitialCPC": D(2025, 4, 1)},
        {"LAchildID": "A", "DateOfInitialCPC": D(2025, 3, 1)},
        {"LAchildID": "A"},
    ]
    assert cin(8715, {"Section47": rows}) == [1]


def test_8720_cpp_start() -> None:
    rows = [
        {"LAchildID": "A", "CPPstartDate": D(2020, 1, 1)},
        {"LAchildID": "A", "CPPstartDate": D(2026, 4, 1)},
        {"LAchildID": "A"},
    ]
    assert cin(8720, {"ChildProtectionPlans": rows}) == [1, 2]


def test_8740_open_s47_started_in_year() -> None:
    rows = [
        {"LAchildID": "A", "S47ActualStartDate": D(2025, 4, 1), "ICPCnotRequired": False},
        {"LAchildID": "A", "S47ActualStartDate": D(2025, 3, 31), "ICPCnotRequired": False},
        {"LAchildID": "A", "S47ActualStartDate": D(2025, 3, 31), "ICPCnotRequired": True},
        {
            "LAchildID": "A",
            "S47ActualStartDate": D(2025, 3, 1),
            "ICPCnotRequired": False,
            "DateOfInitialCPC": D(2025, 3, 20),
        },
    ]
    assert cin(8740, {"Section47": rows}) == [1]
