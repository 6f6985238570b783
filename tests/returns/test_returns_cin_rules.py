"""CIN census rules: for each, rows that pass and rows that fail (indexes are rows of the flagged table)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from outstanding.returns.calendar import calendar
from outstanding.returns.synthetic import write_cin_xml
from outstanding.returns.testing import flagged, flagged_by_table
from outstanding.returns.validate import validate_cin

D = dt.date


def cin(code: int | str, data: dict, year: str = "2025-26") -> list[int]:
    return flagged("cin", code, data, year)


def cin_tables(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    """For a rule flagging rows in more than one table: the rows (0-based indexes) it flags, by table."""
    return flagged_by_table("cin", code, data, year)


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
    assert cin_tables(8540, data) == {"ChildIdentifiers": [1, 2], "Disabilities": [1]}
    assert cin_tables(8540, {**data, "ChildIdentifiers": children[:1]}) == {}


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
    assess = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 9, 1)},
        {"LAchildID": "A", "CINdetailsID": 3, "AssessmentAuthorisationDate": D(2025, 9, 3)},
    ]
    data = {"CINdetails": details, "CINplanDates": plans, "Assessments": assess}
    # Episode 2's plan ends after its closure, episode 3 has a conference and an assessment after it.
    assert cin_tables(8565, data) == {"CINdetails": [1, 2], "CINplanDates": [0], "Assessments": [1]}
    assert cin_tables(8565, {"CINdetails": details[:2], "Assessments": assess[:1]}) == {}


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


def _episode(**values: object) -> dict:
    return {"LAchildID": "A", "CINdetailsID": 1, **values}


def test_1104_icpc_before_referral() -> None:
    details = [_episode(CINreferralDate=D(2025, 6, 1))]
    s47 = [_episode(DateOfInitialCPC=D(2025, 5, 31)), _episode(DateOfInitialCPC=D(2025, 6, 1)), _episode()]
    assert cin(1104, {"CINdetails": details, "Section47": s47}) == [0]


def test_1105_plan_before_referral() -> None:
    details = [_episode(CINreferralDate=D(2025, 6, 1))]
    plans = [_episode(CPPstartDate=D(2025, 5, 31)), _episode(CPPstartDate=D(2025, 7, 1))]
    assert cin(1105, {"CINdetails": details, "ChildProtectionPlans": plans}) == [0]


def test_8630_closure_before_referral() -> None:
    rows = [
        _episode(CINreferralDate=D(2025, 6, 1), CINclosureDate=D(2025, 5, 31)),
        _episode(CINreferralDate=D(2025, 6, 1), CINclosureDate=D(2025, 6, 1)),
        _episode(CINreferralDate=D(2025, 6, 1)),
    ]
    assert cin(8630, {"CINdetails": rows}) == [0]


def test_8615_s47_start_needed_before_icpc() -> None:
    rows = [
        _episode(S47ActualStartDate=D(2025, 6, 1), DateOfInitialCPC=D(2025, 6, 10)),
        _episode(S47ActualStartDate=D(2025, 6, 11), DateOfInitialCPC=D(2025, 6, 10)),
        _episode(DateOfInitialCPC=D(2025, 6, 10)),
        _episode(S47ActualStartDate=D(2025, 6, 11)),
    ]
    assert cin(8615, {"Section47": rows}) == [1, 2]


def _upns(*values: str | None, field: str = "UPN") -> dict:
    return {"ChildIdentifiers": [{"LAchildID": str(i), field: v} for i, v in enumerate(values)]}


def test_1510_upn_check_letter() -> None:
    from outstanding.returns.synthetic import upn_check_letter

    body = "201000100012"
    good = upn_check_letter(body) + body
    wrong = ("B" if good[0] == "A" else "A") + body
    temporary = upn_check_letter("20100010001A") + "20100010001A"
    assert cin(1510, _upns(good, wrong, temporary, None, "short")) == [1]


def test_1520_upn_unique() -> None:
    assert cin(1520, _upns("X1", "X2", "X1", None, None)) == [0, 2]


def test_1530_upn_la_code() -> None:
    assert cin(1530, _upns("A201000100012", "A942000100012", "A999000100012", "A00500010001")) == [2]


def test_1540_upn_numeric_5_to_12() -> None:
    assert cin(1540, _upns("A201000100012", "A2010001X0012", "A201")) == [1, 2]


def test_1550_upn_character_13() -> None:
    assert cin(1550, _upns("A201000100012", "A20100010001A", "A20100010001I", "A20100010001S")) == [2, 3]


def test_1560Q_former_upn_format() -> None:
    rows = _upns("A201000100012", "A20100010001Z", "A2010001000", "1201000100012", None, field="FormerUPN")
    assert cin("1560Q", rows) == [2, 3]


def test_2883_more_plans_than_conferences() -> None:
    header = [{"ReferenceDate": D(2026, 3, 31)}]
    plans = [_episode(CPPstartDate=D(2025, 6, 1)), _episode(CPPstartDate=D(2025, 7, 1))]
    one = {
        "Header": header,
        "ChildProtectionPlans": plans,
        "Section47": [_episode(DateOfInitialCPC=D(2025, 6, 1))],
    }
    assert cin(2883, one) == [0]
    two = {**one, "CINdetails": [_episode(DateOfInitialCPC=D(2025, 7, 1))]}
    assert cin(2883, two) == []


def test_2884_icpc_recorded_twice() -> None:
    details = [_episode(DateOfInitialCPC=D(2025, 6, 1)), {"LAchildID": "A", "CINdetailsID": 2}]
    s47 = [
        _episode(DateOfInitialCPC=D(2025, 6, 1)),
        _episode(DateOfInitialCPC=D(2025, 7, 1)),
        {"LAchildID": "A", "CINdetailsID": 2, "DateOfInitialCPC": D(2025, 6, 1)},
    ]
    # Episode 2's enquiry repeats the conference recorded on episode 1's details: the same child's conference.
    assert cin_tables(2884, {"CINdetails": details, "Section47": s47}) == {
        "Section47": [0, 2],
        "CINdetails": [0],
    }
    assert cin_tables(2884, {"CINdetails": details, "Section47": s47[1:2]}) == {}


def test_2885_plan_starts_on_the_conference_day() -> None:
    details = [
        _episode(),
        {"LAchildID": "B", "CINdetailsID": 2, "DateOfInitialCPC": D(2025, 8, 1)},
        {"LAchildID": "C", "CINdetailsID": 3, "DateOfInitialCPC": D(2025, 8, 1)},
    ]
    s47 = [_episode(DateOfInitialCPC=D(2025, 6, 1)), {"LAchildID": "C", "CINdetailsID": 3}]
    plans = [
        _episode(CPPstartDate=D(2025, 6, 1)),  # matches the S47 conference
        _episode(CPPstartDate=D(2025, 6, 2)),  # matches nothing
        {"LAchildID": "B", "CINdetailsID": 2, "CPPstartDate": D(2025, 8, 1)},  # no S47: CINdetails conference
        {"LAchildID": "C", "CINdetailsID": 3, "CPPstartDate": D(2025, 8, 1)},  # has an S47, so not CINdetails
        _episode(CPPstartDate=D(2024, 6, 2)),  # before the census year: not checked
    ]
    assert cin(2885, {"CINdetails": details, "Section47": s47, "ChildProtectionPlans": plans}) == [1, 3]


def test_4000_plan_for_nfa_referral() -> None:
    details = [_episode(ReferralNFA=True), {"LAchildID": "A", "CINdetailsID": 2, "ReferralNFA": False}]
    plans = [_episode(CINPlanStartDate=D(2025, 6, 1)), {"LAchildID": "A", "CINdetailsID": 2}]
    assert cin(4000, {"CINdetails": details, "CINplanDates": plans}) == [0]


def test_4001_cin_plan_alongside_open_cpp() -> None:
    cpp = [
        _episode(CPPstartDate=D(2025, 6, 1)),
        {"LAchildID": "A", "CINdetailsID": 2, "CPPendDate": D(2025, 7, 1)},
    ]
    plans = [
        _episode(CINPlanStartDate=D(2025, 5, 1)),
        _episode(CINPlanStartDate=D(2025, 5, 1), CINPlanEndDate=D(2025, 5, 31)),
        {"LAchildID": "A", "CINdetailsID": 2, "CINPlanStartDate": D(2025, 8, 1)},
    ]
    data = {"ChildProtectionPlans": cpp, "CINplanDates": plans}
    assert cin_tables(4001, data) == {"CINplanDates": [0], "ChildProtectionPlans": [0]}
    assert cin_tables(4001, {"ChildProtectionPlans": cpp[1:], "CINplanDates": plans}) == {}


def test_8730_previous_plans_missing() -> None:
    rows = [
        _episode(NumberOfPreviousCPP=0),
        _episode(),
        _episode(NumberOfPreviousCPP=-1),
        _episode(NumberOfPreviousCPP=3),
    ]
    assert cin(8730, {"ChildProtectionPlans": rows}) == [1, 2]


def test_8736_open_assessment_started_in_year() -> None:
    rows = [
        _episode(AssessmentActualStartDate=D(2025, 4, 1)),
        _episode(AssessmentActualStartDate=D(2025, 3, 31)),
        _episode(AssessmentActualStartDate=D(2025, 3, 31), AssessmentAuthorisationDate=D(2025, 4, 2)),
    ]
    assert cin(8736, {"Assessments": rows}) == [1]


def test_8790_none_with_other_disabilities() -> None:
    rows = [
        {"LAchildID": "A", "Disability": "NONE"},
        {"LAchildID": "A", "Disability": "MOB"},
        {"LAchildID": "B", "Disability": "NONE"},
        {"LAchildID": "C", "Disability": "MOB"},
        {"LAchildID": "C", "Disability": "HAND"},
    ]
    assert cin(8790, {"Disabilities": rows}) == [1]


def test_8794_repeated_disability() -> None:
    rows = [
        {"LAchildID": "A", "Disability": "MOB"},
        {"LAchildID": "A", "Disability": "MOB"},
        {"LAchildID": "B", "Disability": "MOB"},
        {"LAchildID": "B", "Disability": "HAND"},
    ]
    assert cin(8794, {"Disabilities": rows}) == [0, 1]


def test_8805_closure_without_reason() -> None:
    rows = [
        _episode(CINclosureDate=D(2025, 6, 1), ReasonForClosure="RC1"),
        _episode(CINclosureDate=D(2025, 6, 1)),
        _episode(ReasonForClosure="RC1"),
    ]
    assert cin(8805, {"CINdetails": rows}) == [1]


def test_8810_reason_without_closure() -> None:
    rows = [
        _episode(CINclosureDate=D(2025, 6, 1), ReasonForClosure="RC1"),
        _episode(CINclosureDate=D(2025, 6, 1)),
        _episode(ReasonForClosure="RC1"),
    ]
    assert cin(8810, {"CINdetails": rows}) == [2]


def test_8815_more_than_one_open_episode() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReferralNFA": False},
        {"LAchildID": "A", "CINdetailsID": 2, "ReferralNFA": False},
        {"LAchildID": "B", "CINdetailsID": 3, "ReferralNFA": False},
        {"LAchildID": "B", "CINdetailsID": 4, "ReferralNFA": True},
        {"LAchildID": "B", "CINdetailsID": 5, "ReferralNFA": True},
        {"LAchildID": "C", "CINdetailsID": 6, "ReferralNFA": False, "CINclosureDate": D(2025, 6, 1)},
        {"LAchildID": "C", "CINdetailsID": 7, "ReferralNFA": False},
    ]
    assert cin(8815, {"CINdetails": rows}) == [0, 1]


def test_8831_activity_on_nfa_referral() -> None:
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReferralNFA": True},
        {"LAchildID": "B", "CINdetailsID": 2, "ReferralNFA": True},
        {"LAchildID": "C", "CINdetailsID": 3, "ReferralNFA": True, "DateOfInitialCPC": D(2025, 6, 1)},
        {"LAchildID": "D", "CINdetailsID": 4, "ReferralNFA": False},
        {"LAchildID": "E", "CINdetailsID": 5, "ReferralNFA": True},
    ]
    assess = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 6, 1)},
        {"LAchildID": "D", "CINdetailsID": 4, "AssessmentActualStartDate": D(2025, 6, 1)},
    ]
    s47 = [{"LAchildID": "B", "CINdetailsID": 2, "S47ActualStartDate": D(2025, 6, 1)}]
    data = {"CINdetails": details, "Assessments": assess, "Section47": s47}
    assert cin_tables(8831, data) == {"CINdetails": [0, 1, 2], "Assessments": [0], "Section47": [0]}
    assert cin_tables(8831, {"CINdetails": details[3:], "Assessments": assess}) == {}


def test_8832_cpp_on_nfa_referral() -> None:
    details = [_episode(ReferralNFA=True), {"LAchildID": "A", "CINdetailsID": 2, "ReferralNFA": False}]
    plans = [_episode(CPPstartDate=D(2025, 6, 1)), {"LAchildID": "A", "CINdetailsID": 2}]
    assert cin(8832, {"CINdetails": details, "ChildProtectionPlans": plans}) == [0]


def test_8866_referral_source() -> None:
    rows = [
        _episode(CINreferralDate=D(2025, 6, 1), ReferralSource="1A"),
        _episode(CINreferralDate=D(2025, 6, 1), ReferralSource="1Z"),
        _episode(CINreferralDate=D(2025, 6, 1)),
        _episode(CINreferralDate=D(2012, 6, 1)),
    ]
    assert cin(8866, {"CINdetails": rows}) == [1, 2]


def test_8867_closed_with_incomplete_assessment() -> None:
    details = [
        _episode(CINclosureDate=D(2025, 9, 1)),
        {"LAchildID": "B", "CINdetailsID": 2, "CINclosureDate": D(2025, 9, 1)},
        {"LAchildID": "C", "CINdetailsID": 3},
    ]
    assess = [
        _episode(AssessmentActualStartDate=D(2025, 6, 1)),
        {"LAchildID": "B", "CINdetailsID": 2, "AssessmentAuthorisationDate": D(2025, 7, 1)},
        {"LAchildID": "C", "CINdetailsID": 3},
    ]
    assert cin(8867, {"CINdetails": details, "Assessments": assess}) == [0]


def test_8868_closed_with_open_s47() -> None:
    details = [
        _episode(CINclosureDate=D(2025, 9, 1)),
        {"LAchildID": "B", "CINdetailsID": 2, "CINclosureDate": D(2025, 9, 1)},
        {"LAchildID": "C", "CINdetailsID": 3, "CINclosureDate": D(2025, 9, 1)},
        {"LAchildID": "D", "CINdetailsID": 4, "CINclosureDate": D(2025, 9, 1)},
    ]
    s47 = [
        _episode(ICPCnotRequired=False),
        {"LAchildID": "B", "CINdetailsID": 2, "ICPCnotRequired": True},
        {"LAchildID": "C", "CINdetailsID": 3, "DateOfInitialCPC": D(2025, 6, 1), "ICPCnotRequired": False},
    ]
    assert cin(8868, {"CINdetails": details, "Section47": s47}) == [0]


def test_8869_factor_21_alone() -> None:
    rows = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "21"},
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 2, "AssessmentFactors": "1A"},
        {"LAchildID": "B", "AssessmentID": 3, "AssessmentFactors": "21"},
    ]
    assert cin(8869, {"AssessmentFactors": rows}) == [1]


def test_8840_plan_starts_and_ends_same_day() -> None:
    rows = [
        _episode(CPPstartDate=D(2025, 6, 1), CPPendDate=D(2025, 6, 1)),
        _episode(CPPstartDate=D(2025, 6, 1), CPPendDate=D(2025, 6, 2)),
        _episode(CPPstartDate=D(2025, 6, 1)),
    ]
    assert cin(8840, {"ChildProtectionPlans": rows}) == [0]


# --- Council-level queries, Section 47, CIN plans (rules/cin_plans.py) ---------------------------------

HEADER = [{"ReferenceDate": D(2026, 3, 31)}]


def test_2886Q_sex_not_recorded() -> None:
    known = [{"LAchildID": f"K{i}", "Sex": "F"} for i in range(49)]
    unborn = [{"LAchildID": "U1", "Sex": "U", "ExpectedPersonBirthDate": D(2026, 5, 1)}]
    one_unknown = [*known, *unborn, {"LAchildID": "X", "Sex": "U"}]  # 1 in 51: under 2%
    assert cin("2886Q", {"Header": HEADER, "ChildIdentifiers": one_unknown}) == []
    two_unknown = [*one_unknown, {"LAchildID": "Y"}]  # 2 in 52: over 2%
    assert cin("2886Q", {"Header": HEADER, "ChildIdentifiers": two_unknown}) == [0]


def test_2887Q_few_disability_codes() -> None:
    codes = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR"]
    seven = [{"LAchildID": f"C{i}", "Disability": c} for i, c in enumerate(codes)]
    seven += [{"LAchildID": "N", "Disability": "NONE"}, {"LAchildID": "D", "Disability": "MOB"}]
    assert cin("2887Q", {"Header": HEADER, "Disabilities": seven}) == [0]
    eight = [*seven, {"LAchildID": "E", "Disability": "VIS"}]
    assert cin("2887Q", {"Header": HEADER, "Disabilities": eight}) == []


def test_2888Q_one_disability_each() -> None:
    single = [
        {"LAchildID": "A", "Disability": "MOB"},
        {"LAchildID": "B", "Disability": "NONE"},
        {"LAchildID": "C", "Disability": "VIS"},
    ]
    assert cin("2888Q", {"Header": HEADER, "Disabilities": single}) == [0]
    multiple = [*single, {"LAchildID": "A", "Disability": "HEAR"}]
    assert cin("2888Q", {"Header": HEADER, "Disabilities": multiple}) == []


def test_2889_s47_before_referral() -> None:
    details = [{"LAchildID": "A", "CINdetailsID": 1, "CINreferralDate": D(2025, 6, 1)}]
    s47 = [
        {"LAchildID": "A", "CINdetailsID": 1, "S47ActualStartDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "S47ActualStartDate": D(2025, 5, 31)},
        {"LAchildID": "A", "CINdetailsID": 1},
    ]
    assert cin(2889, {"CINdetails": details, "Section47": s47}) == [1]


def test_2990_activity_after_rc8() -> None:
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReasonForClosure": "RC8"},
        {"LAchildID": "A", "CINdetailsID": 2, "ReasonForClosure": "RC8"},
        {"LAchildID": "A", "CINdetailsID": 3, "ReasonForClosure": "RC8", "DateOfInitialCPC": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 4, "ReasonForClosure": "RC8"},
        {"LAchildID": "A", "CINdetailsID": 5, "ReasonForClosure": "RC7"},
    ]
    s47 = [{"LAchildID": "A", "CINdetailsID": 2, "S47ActualStartDate": D(2025, 6, 1)}]
    plans = [{"LAchildID": "A", "CINdetailsID": 4, "CINPlanStartDate": D(2025, 6, 1)}]
    cpp = [{"LAchildID": "A", "CINdetailsID": 5, "CPPstartDate": D(2025, 6, 1)}]
    data = {"CINdetails": details, "Section47": s47, "CINplanDates": plans, "ChildProtectionPlans": cpp}
    assert cin(2990, data) == [1, 2, 3]


def test_2991Q_s47_without_assessment() -> None:
    details = [{"LAchildID": "A", "CINdetailsID": i} for i in (1, 2, 3)]
    s47 = [{"LAchildID": "A", "CINdetailsID": i, "S47ActualStartDate": D(2025, 6, 1)} for i in (1, 2)]
    assess = [{"LAchildID": "A", "CINdetailsID": 1, "AssessmentID": 1}]
    assert cin("2991Q", {"CINdetails": details, "Section47": s47, "Assessments": assess}) == [1]


def test_4003_review_during_cin_plan() -> None:
    plans = [
        {
            "LAchildID": "A",
            "CINdetailsID": 1,
            "CINPlanStartDate": D(2025, 5, 1),
            "CINPlanEndDate": D(2025, 6, 1),
        },
        {"LAchildID": "B", "CINdetailsID": 2, "CINPlanStartDate": D(2025, 9, 1)},
    ]
    cpp = [
        {
            "LAchildID": "A",
            "CINdetailsID": 1,
            "CPPID": 1,
            "CPPstartDate": D(2025, 4, 1),
            "CPPendDate": D(2025, 5, 1),
        },
        {
            "LAchildID": "B",
            "CINdetailsID": 2,
            "CPPID": 2,
            "CPPstartDate": D(2025, 4, 1),
            "CPPendDate": D(2025, 9, 1),
        },
    ]
    reviews = [
        {"LAchildID": "A", "CINdetailsID": 1, "CPPID": 1, "CPPreviewDate": D(2025, 4, 20)},  # before the plan
        {"LAchildID": "A", "CINdetailsID": 1, "CPPID": 1, "CPPreviewDate": D(2025, 5, 1)},  # on the CPP end
        {"LAchildID": "A", "CINdetailsID": 1, "CPPID": 1, "CPPreviewDate": D(2025, 5, 20)},  # during the plan
        {
            "LAchildID": "B",
            "CINdetailsID": 2,
            "CPPID": 2,
            "CPPreviewDate": D(2025, 10, 1),
        },  # during open plan
    ]
    data = {"CINplanDates": plans, "ChildProtectionPlans": cpp, "Reviews": reviews}
    assert cin(4003, data) == [2, 3]


def test_4004_two_open_cin_plans() -> None:
    plans = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 2, "CINPlanStartDate": D(2025, 5, 1)},
        {
            "LAchildID": "A",
            "CINdetailsID": 2,
            "CINPlanStartDate": D(2025, 4, 1),
            "CINPlanEndDate": D(2025, 5, 1),
        },
    ]
    assert cin(4004, {"CINplanDates": plans}) == [0, 1]


def test_4008_cin_plan_after_death() -> None:
    children = [{"LAchildID": "A", "PersonDeathDate": D(2025, 6, 1)}, {"LAchildID": "B"}]
    plans = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 6, 2)},
        {"LAchildID": "B", "CINdetailsID": 2, "CINPlanStartDate": D(2025, 6, 2)},
    ]
    data = {"ChildIdentifiers": children, "CINplanDates": plans}
    assert cin_tables(4008, data) == {"CINplanDates": [1], "ChildIdentifiers": [0]}
    assert cin_tables(4008, {**data, "CINplanDates": [plans[0], plans[2]]}) == {}


def test_4009_cin_plan_ends_after_death() -> None:
    children = [{"LAchildID": "A", "PersonDeathDate": D(2025, 6, 1)}]
    plans = [
        {
            "LAchildID": "A",
            "CINdetailsID": 1,
            "CINPlanStartDate": D(2025, 5, 1),
            "CINPlanEndDate": D(2025, 6, 1),
        },
        {
            "LAchildID": "A",
            "CINdetailsID": 1,
            "CINPlanStartDate": D(2025, 5, 1),
            "CINPlanEndDate": D(2025, 6, 2),
        },
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 5, 1)},
    ]
    data = {"ChildIdentifiers": children, "CINplanDates": plans}
    assert cin_tables(4009, data) == {"CINplanDates": [1], "ChildIdentifiers": [0]}
    assert cin_tables(4009, {**data, "CINplanDates": [plans[0], plans[2]]}) == {}


def test_4010_cin_plan_start() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2020, 1, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2026, 4, 1)},
        {"LAchildID": "A", "CINPlanEndDate": D(2025, 5, 1)},
    ]
    assert cin(4010, {"CINplanDates": plans}) == [1, 2]


def test_4011_cin_plan_end_before_start() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 2), "CINPlanEndDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 2)},
    ]
    assert cin(4011, {"CINplanDates": plans}) == [1]


def test_4012Q_cin_plan_same_day() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 5, 2)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1)},
    ]
    assert cin("4012Q", {"CINplanDates": plans}) == [0]


def test_4013_cin_plan_end_in_year() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2024, 5, 1), "CINPlanEndDate": D(2025, 4, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2024, 5, 1), "CINPlanEndDate": D(2025, 3, 31)},
        {"LAchildID": "A", "CINPlanStartDate": D(2024, 5, 1)},
    ]
    assert cin(4013, {"CINplanDates": plans}) == [1]


def test_4014_overlapping_cin_plans() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 20), "CINPlanEndDate": D(2025, 7, 1)},
        {"LAchildID": "B", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 6, 1)},
        {"LAchildID": "B", "CINPlanStartDate": D(2025, 6, 2)},
        {"LAchildID": "C", "CINPlanStartDate": D(2025, 5, 1)},
        {"LAchildID": "C", "CINPlanStartDate": D(2025, 9, 1), "CINPlanEndDate": D(2025, 10, 1)},
    ]
    assert cin(4014, {"CINplanDates": plans}) == [1, 5]


def test_4015_cin_plan_before_referral() -> None:
    details = [{"LAchildID": "A", "CINdetailsID": 1, "CINreferralDate": D(2025, 6, 1)}]
    plans = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "CINPlanStartDate": D(2025, 5, 31)},
    ]
    assert cin(4015, {"CINdetails": details, "CINplanDates": plans}) == [1]


def test_4016_cin_plan_starts_during_cpp() -> None:
    cpp = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 9, 1)},
    ]
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 4, 20)},  # before
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1)},  # on the CPP start
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 6, 1)},  # on the CPP end: allowed
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 10, 1)},  # during the open CPP
        {"LAchildID": "B", "CINPlanStartDate": D(2025, 10, 1)},  # another child
    ]
    assert cin(4016, {"ChildProtectionPlans": cpp, "CINplanDates": plans}) == [1, 3]


def test_4017_cpp_starts_during_cin_plan() -> None:
    plans = [
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 5, 1), "CINPlanEndDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINPlanStartDate": D(2025, 9, 1)},
    ]
    cpp = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 4, 20)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 15)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 9, 1)},
    ]
    assert cin(4017, {"ChildProtectionPlans": cpp, "CINplanDates": plans}) == [1, 3]


# --- Children, deaths, NFA referrals, open assessments (rules/cin_children.py) -----------------------


def test_4180_sex() -> None:
    rows = [{"LAchildID": "A", "Sex": s} for s in ("M", "F", "U", "1", None)]
    assert cin(4180, {"ChildIdentifiers": rows}) == [3, 4]
    assert cin(4180, {"ChildIdentifiers": rows}, year="2024-25") == [3, 4]


def test_4220_ethnicity() -> None:
    rows = [{"LAchildID": "A", "Ethnicity": e} for e in ("WBRI", "REFU", "XXXX", None)]
    assert cin(4220, {"ChildCharacteristics": rows}) == [2, 3]


def test_8530Q_expected_birth_range() -> None:
    dates = [D(2026, 3, 1), D(2026, 12, 31), D(2026, 2, 28), D(2027, 1, 1), None]
    rows = [{"LAchildID": "A", "ExpectedPersonBirthDate": d} for d in dates]
    assert cin("8530Q", {"ChildIdentifiers": rows}) == [2, 3]


def test_8535Q_death_before_birth() -> None:
    rows = [
        {"LAchildID": "A", "PersonBirthDate": D(2020, 1, 1), "PersonDeathDate": D(2020, 1, 1)},
        {"LAchildID": "B", "PersonBirthDate": D(2020, 1, 2), "PersonDeathDate": D(2020, 1, 1)},
        {"LAchildID": "C", "PersonBirthDate": D(2020, 1, 2)},
    ]
    assert cin("8535Q", {"ChildIdentifiers": rows}) == [1]


def test_8545Q_death_in_census_year() -> None:
    dates = [D(2025, 4, 1), D(2026, 3, 31), D(2025, 3, 31), D(2026, 4, 1), None]
    rows = [{"LAchildID": "A", "PersonDeathDate": d} for d in dates]
    assert cin("8545Q", {"ChildIdentifiers": rows}) == [2, 3]


def test_8555_referral_after_death() -> None:
    children = [{"LAchildID": "A", "PersonDeathDate": D(2025, 6, 1)}, {"LAchildID": "B"}]
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "CINreferralDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 2, "CINreferralDate": D(2025, 6, 2)},
        {"LAchildID": "B", "CINdetailsID": 3, "CINreferralDate": D(2025, 6, 2)},
    ]
    data = {"ChildIdentifiers": children, "CINdetails": details}
    assert cin_tables(8555, data) == {"CINdetails": [1], "ChildIdentifiers": [0]}
    assert cin_tables(8555, {**data, "CINdetails": [details[0], details[2]]}) == {}


def test_8585Q_died_without_death_date() -> None:
    children = [{"LAchildID": "A", "PersonDeathDate": D(2025, 6, 1)}, {"LAchildID": "B"}]
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReasonForClosure": "RC2"},
        {"LAchildID": "B", "CINdetailsID": 2, "ReasonForClosure": "RC2"},
        {"LAchildID": "B", "CINdetailsID": 3, "ReasonForClosure": "RC1"},
    ]
    assert cin("8585Q", {"ChildIdentifiers": children, "CINdetails": details}) == [1]


def test_8568_referral_nfa_flag() -> None:
    rows = [{"LAchildID": "A", "ReferralNFA": v} for v in ("true", "0", None)]
    assert cin(8568, {"CINdetails": rows}) == [2]


def test_8569_old_referral_not_nfa() -> None:
    # 1 April 2025 is a Tuesday: one working day before is Monday 31 March.
    rows = [
        {"LAchildID": "A", "CINreferralDate": D(2025, 3, 31), "ReferralNFA": True},
        {"LAchildID": "A", "CINreferralDate": D(2025, 3, 28), "ReferralNFA": True},
        {"LAchildID": "A", "CINreferralDate": D(2025, 3, 28), "ReferralNFA": False},
    ]
    assert cin(8569, {"CINdetails": rows}) == [1]


def test_8617_factor_8a() -> None:
    rows = [{"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": f} for f in ("8B", "8A")]
    assert cin(8617, {"AssessmentFactors": rows}) == [1]


def test_8670Q_open_assessment_started_long_ago() -> None:
    # ReferenceDate 31 March 2026 minus 45 working days (Good Friday and Easter Monday fall after it).
    cutoff = calendar().subtract_working_days(D(2026, 3, 31), 45)
    rows = [
        {"LAchildID": "A", "AssessmentActualStartDate": cutoff},
        {"LAchildID": "A", "AssessmentActualStartDate": cutoff - dt.timedelta(1)},
        {
            "LAchildID": "A",
            "AssessmentActualStartDate": cutoff - dt.timedelta(1),
            "AssessmentAuthorisationDate": D(2026, 3, 1),
        },
    ]
    assert cin("8670Q", {"Assessments": rows}) == [1]


def test_8675Q_open_s47_started_long_ago() -> None:
    cutoff = calendar().subtract_working_days(D(2026, 3, 31), 15)
    rows = [
        {"LAchildID": "A", "S47ActualStartDate": cutoff, "ICPCnotRequired": False},
        {"LAchildID": "A", "S47ActualStartDate": cutoff - dt.timedelta(1), "ICPCnotRequired": False},
        {"LAchildID": "A", "S47ActualStartDate": cutoff - dt.timedelta(1), "ICPCnotRequired": True},
        {
            "LAchildID": "A",
            "S47ActualStartDate": cutoff - dt.timedelta(1),
            "ICPCnotRequired": False,
            "DateOfInitialCPC": D(2026, 3, 1),
        },
    ]
    assert cin("8675Q", {"Section47": rows}) == [1]


# --- Episodes, assessments, enquiries and reviews (rules/cin_episodes.py) ----------------------------


def test_8750_unborn_sex() -> None:
    rows = [
        {"LAchildID": "A", "ExpectedPersonBirthDate": D(2026, 5, 1), "Sex": "U"},
        {"LAchildID": "B", "ExpectedPersonBirthDate": D(2026, 5, 1), "Sex": "F"},
        {"LAchildID": "C", "PersonBirthDate": D(2020, 5, 1), "Sex": "F"},
    ]
    assert cin(8750, {"ChildIdentifiers": rows}) == [1]
    assert cin(8750, {"ChildIdentifiers": rows}, year="2024-25") == [1]


def test_8772_un7_with_further_action() -> None:
    children = [{"LAchildID": c, "UPNunknown": u} for c, u in (("A", "UN7"), ("B", "UN7"), ("C", "UN1"))]
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReferralNFA": True},
        {"LAchildID": "B", "CINdetailsID": 2, "ReferralNFA": True},
        {"LAchildID": "B", "CINdetailsID": 3, "ReferralNFA": False},
        {"LAchildID": "C", "CINdetailsID": 4, "ReferralNFA": False},
    ]
    assert cin(8772, {"ChildIdentifiers": children, "CINdetails": details}) == [1]


def test_8775Q_over_25() -> None:
    children = [
        {"LAchildID": "A", "PersonBirthDate": D(2001, 3, 31)},  # 25 on 31 March 2026: not before the limit
        {"LAchildID": "B", "PersonBirthDate": D(2000, 1, 1)},  # open episode
        {"LAchildID": "C", "PersonBirthDate": D(2000, 1, 1)},  # closed before the 25th birthday
    ]
    details = [
        {"LAchildID": "A", "CINdetailsID": 1},
        {"LAchildID": "B", "CINdetailsID": 2},
        {"LAchildID": "C", "CINdetailsID": 3, "CINclosureDate": D(2024, 12, 31)},
    ]
    assert cin("8775Q", {"ChildIdentifiers": children, "CINdetails": details}) == [1]


def test_8816_open_episode_not_latest() -> None:
    rows = [
        {"LAchildID": "A", "CINreferralDate": D(2025, 5, 1), "ReferralNFA": False},
        {
            "LAchildID": "A",
            "CINreferralDate": D(2025, 6, 1),
            "ReferralNFA": False,
            "CINclosureDate": D(2025, 7, 1),
        },
        {"LAchildID": "B", "CINreferralDate": D(2025, 5, 1), "ReferralNFA": True},
        {"LAchildID": "B", "CINreferralDate": D(2025, 6, 1), "ReferralNFA": False},
    ]
    assert cin(8816, {"CINdetails": rows}) == [0]


def test_8820_overlapping_episodes() -> None:
    rows = [
        # A: the second starts inside the first
        {"LAchildID": "A", "CINreferralDate": D(2025, 5, 1), "CINclosureDate": D(2025, 7, 1)},
        {"LAchildID": "A", "CINreferralDate": D(2025, 6, 1), "CINclosureDate": D(2025, 8, 1)},
        # B: the second starts the day the first closes
        {"LAchildID": "B", "CINreferralDate": D(2025, 5, 1), "CINclosureDate": D(2025, 7, 1)},
        {"LAchildID": "B", "CINreferralDate": D(2025, 7, 1), "ReferralNFA": False},
        # C: a referral after an open one that went on to further action
        {"LAchildID": "C", "CINreferralDate": D(2025, 5, 1), "ReferralNFA": False},
        {"LAchildID": "C", "CINreferralDate": D(2025, 6, 1), "ReferralNFA": True},
        # D: after an open NFA referral
        {"LAchildID": "D", "CINreferralDate": D(2025, 5, 1), "ReferralNFA": True},
        {"LAchildID": "D", "CINreferralDate": D(2025, 6, 1), "ReferralNFA": True},
    ]
    assert cin(8820, {"CINdetails": rows}) == [1, 5]


def test_8825Q_rc8_without_assessment() -> None:
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReasonForClosure": "RC8"},
        {"LAchildID": "A", "CINdetailsID": 2, "ReasonForClosure": "RC9"},
        {"LAchildID": "A", "CINdetailsID": 3, "ReasonForClosure": "RC1"},
    ]
    assess = [{"LAchildID": "A", "CINdetailsID": 1, "AssessmentID": 1}]
    assert cin("8825Q", {"CINdetails": details, "Assessments": assess}) == [1]


def test_8696_assessment_end_in_year() -> None:
    dates = [D(2025, 4, 1), D(2025, 3, 31), D(2026, 4, 1), None]
    rows = [{"LAchildID": "A", "AssessmentAuthorisationDate": d} for d in dates]
    assert cin(8696, {"Assessments": rows}) == [1, 2]


def test_8863_assessment_during_another() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 5, 1),
         "AssessmentAuthorisationDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 7, 1)},
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentActualStartDate": D(2025, 8, 1),
         "AssessmentAuthorisationDate": D(2025, 8, 2)},
        {"LAchildID": "A", "CINdetailsID": 2, "AssessmentActualStartDate": D(2025, 5, 2)},
    ]  # fmt: skip
    # Row 2 starts while row 1 (no end) is open; row 1 is not inside row 2's span; episode 2 is separate.
    assert cin(8863, {"Assessments": rows}) == [2]


def test_8839_two_open_s47() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "ICPCnotRequired": False},
        {"LAchildID": "A", "CINdetailsID": 1},
        {"LAchildID": "A", "CINdetailsID": 2, "ICPCnotRequired": False},
        {"LAchildID": "A", "CINdetailsID": 2, "ICPCnotRequired": True},
        {"LAchildID": "A", "CINdetailsID": 2, "DateOfInitialCPC": D(2025, 5, 1), "ICPCnotRequired": False},
    ]
    assert cin(8839, {"Section47": rows}) == [0, 1]


def test_8870Q_icpc_target_weekend() -> None:
    # 6 and 7 September 2025 are a Saturday and a Sunday.
    rows = [{"LAchildID": "A", "InitialCPCtarget": d} for d in (D(2025, 9, 5), D(2025, 9, 6), D(2025, 9, 7))]
    assert cin("8870Q", {"Section47": rows}) == [1, 2]


def test_8841_review_on_or_before_plan_start() -> None:
    cpp = [{"LAchildID": "A", "CINdetailsID": 1, "CPPID": 1, "CPPstartDate": D(2025, 5, 1)}]
    reviews = [
        {"LAchildID": "A", "CINdetailsID": 1, "CPPID": 1, "CPPreviewDate": d}
        for d in (D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2))
    ]
    assert cin(8841, {"ChildProtectionPlans": cpp, "Reviews": reviews}) == [0, 1]


def test_8842Q_review_without_date() -> None:
    rows = [{"LAchildID": "A", "CPPID": 1, "CPPreviewDate": D(2025, 5, 1)}, {"LAchildID": "A", "CPPID": 1}]
    assert cin("8842Q", {"Reviews": rows}) == [1]


# --- LA child ID, protection plans, Section 47 overlaps, factors (rules/cin_protection.py) ------------


def test_1570_child_id_length() -> None:
    rows = [{"LAchildID": "X" * 20}, {"LAchildID": "X" * 21}]
    assert cin(1570, {"ChildIdentifiers": rows}) == [1]
    assert cin(1570, {"ChildIdentifiers": rows}, year="2024-25") == [1]


def test_1580_child_id_alphanumeric() -> None:
    rows = [{"LAchildID": "Ab12"}, {"LAchildID": "Ab-12"}, {"LAchildID": "Ab 12"}]
    assert cin(1580, {"ChildIdentifiers": rows}) == [1, 2]


def test_8925_cpp_end_before_start() -> None:
    rows = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 5, 2)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 2), "CPPendDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 2)},
    ]
    assert cin(8925, {"ChildProtectionPlans": rows}) == [1]


def test_8935_two_open_cpps() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "CPPstartDate": D(2025, 5, 1)},
        {"LAchildID": "A", "CINdetailsID": 2, "CPPstartDate": D(2025, 6, 1)},
        {"LAchildID": "B", "CINdetailsID": 3, "CPPstartDate": D(2025, 5, 1)},
        {"LAchildID": "B", "CINdetailsID": 3, "CPPstartDate": D(2025, 4, 1), "CPPendDate": D(2025, 5, 1)},
    ]
    assert cin(8935, {"ChildProtectionPlans": rows}) == [0, 1]


def test_8940_overlapping_cpps() -> None:
    rows = [
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 1)},
        {"LAchildID": "A", "CPPstartDate": D(2025, 5, 20), "CPPendDate": D(2025, 7, 1)},
        {"LAchildID": "B", "CPPstartDate": D(2025, 5, 1), "CPPendDate": D(2025, 6, 1)},
        {"LAchildID": "B", "CPPstartDate": D(2025, 6, 2)},
        {"LAchildID": "C", "CPPstartDate": D(2025, 5, 1)},
        {"LAchildID": "C", "CPPstartDate": D(2026, 3, 31)},
    ]
    assert cin(8940, {"ChildProtectionPlans": rows}) == [1, 5]


def test_8875_icpc_weekend() -> None:
    rows = [{"LAchildID": "A", "DateOfInitialCPC": d} for d in (D(2025, 9, 5), D(2025, 9, 6), None)]
    assert cin(8875, {"Section47": rows}) == [1]


def test_8890_s47_during_another() -> None:
    rows = [
        {"LAchildID": "A", "CINdetailsID": 1, "S47ActualStartDate": D(2025, 5, 1),
         "DateOfInitialCPC": D(2025, 5, 20)},
        {"LAchildID": "A", "CINdetailsID": 1, "S47ActualStartDate": D(2025, 5, 10), "ICPCnotRequired": True},
        {"LAchildID": "A", "CINdetailsID": 1, "S47ActualStartDate": D(2025, 6, 1), "ICPCnotRequired": True},
        {"LAchildID": "A", "CINdetailsID": 2, "S47ActualStartDate": D(2025, 6, 1), "ICPCnotRequired": False},
        {"LAchildID": "A", "CINdetailsID": 2, "S47ActualStartDate": D(2025, 7, 1), "ICPCnotRequired": True},
    ]  # fmt: skip
    # Row 1 starts inside row 0; row 2 follows a group with ICPC not required (no span); row 4 starts while
    # row 3 is still open.
    assert cin(8890, {"Section47": rows}) == [1, 4]


def test_8873Q_no_factors_not_closed_after_assessment() -> None:
    details = [
        {"LAchildID": "A", "CINdetailsID": 1, "ReasonForClosure": "RC8"},
        {"LAchildID": "A", "CINdetailsID": 2, "ReasonForClosure": "RC1"},
        {"LAchildID": "A", "CINdetailsID": 3, "ReasonForClosure": "RC1"},
    ]
    assess = [
        {"LAchildID": "A", "CINdetailsID": 1, "AssessmentID": 1},
        {"LAchildID": "A", "CINdetailsID": 2, "AssessmentID": 2},
        {"LAchildID": "A", "CINdetailsID": 3, "AssessmentID": 3},
        {"LAchildID": "A", "CINdetailsID": 3, "AssessmentID": 4},
    ]
    factors = [
        {"LAchildID": "A", "CINdetailsID": i, "AssessmentID": i, "AssessmentFactors": "21"} for i in (1, 2, 3)
    ]
    data = {"CINdetails": details, "Assessments": assess, "AssessmentFactors": factors}
    assert cin("8873Q", data) == [1]


def test_8898_repeated_factor() -> None:
    rows = [
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 2, "AssessmentFactors": "1A"},
        {"LAchildID": "A", "AssessmentID": 2, "AssessmentFactors": "2B"},
    ]
    assert cin(8898, {"AssessmentFactors": rows}) == [0, 1]


def test_8945Q_factor_18a() -> None:
    rows = [{"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": f} for f in ("18A", "18B")]
    assert cin("8945Q", {"AssessmentFactors": rows}) == [0]
    assert cin("8945Q", {"AssessmentFactors": rows}, year="2024-25") == [0]


def test_8950Q_factor_19a() -> None:
    rows = [{"LAchildID": "A", "AssessmentID": 1, "AssessmentFactors": f} for f in ("19C", "19A")]
    assert cin("8950Q", {"AssessmentFactors": rows}) == [1]


def test_synthetic_cin_file_passes_the_cin_rules(tmp_path: Path) -> None:
    # The generator's fake UPNs use LA code 999 on purpose (no real pupil can match), so only 1530 fires.
    path = write_cin_xml(tmp_path / "cin.xml", 1500, year=2025, seed=11)
    found = validate_cin(path, 2025)
    assert not found.failed_rules
    assert set(found.findings["code"].to_list()) <= {"1530"}
