"""CIN census rules: tests for outstanding/returns/rules/cin_preproceedings.py (module 5, 2026-27)."""

from __future__ import annotations

import datetime as dt

import pytest

from outstanding.returns.engine import not_checkable_for, rules_for
from outstanding.returns.testing import flagged, run

D = dt.date
YEAR = "2026-27"  # 1 April 2026 to 31 March 2027
CODES = {"8995Q", "9000Q", "9005", "9006", "9007", "9008", "9009", "9010Q", "9011", "9012", "9013", "9015Q"}


def cin(code: int | str, rows: list[dict], year: str = YEAR) -> list[int]:
    return flagged("cin", code, {"PreProceedings": rows}, year)


def _pp(**fields: object) -> dict:
    return {"LAchildID": "A", "CINdetailsID": 1, **fields}


def test_9005_module_5_rules_are_checked_in_2026_27_only() -> None:
    assert CODES <= {r.code for r in rules_for("cin", 2026)}
    assert not {r.code for r in not_checkable_for("cin", 2026)} & CODES
    for year in (2024, 2025):
        assert not CODES & {r.code for r in rules_for("cin", year)}
        assert not CODES & {r.code for r in not_checkable_for("cin", year)}
    with pytest.raises(LookupError):
        cin(9005, [_pp(PPStartDate=D(2024, 1, 1))], year="2025-26")


def test_8995Q_no_module_5_for_any_child() -> None:
    header = [{"ReferenceDate": D(2027, 3, 31)}]
    assert flagged("cin", "8995Q", {"Header": header}, YEAR) == [0]
    sent = {"Header": header, "PreProceedings": [_pp(PPStartDate=D(2026, 5, 1))]}
    assert flagged("cin", "8995Q", sent, YEAR) == []
    # A module 5 element with nothing in it is still module 5 data sent for a child.
    assert flagged("cin", "8995Q", {"Header": header, "PreProceedings": [_pp()]}, YEAR) == []
    # Children without module 5 beside one with it: the return is not queried.
    others = {"Header": header, "CINdetails": [{"LAchildID": "B", "CINdetailsID": 2}], **sent}
    assert flagged("cin", "8995Q", others, YEAR) == []


def test_8995Q_found_once_on_the_header() -> None:
    data = {
        "Header": [{"ReferenceDate": D(2027, 3, 31)}],
        "CINdetails": [{"LAchildID": "B", "CINdetailsID": 2}],
    }
    findings = run("cin", "8995Q", data, YEAR)
    assert [(f["code"], f["table"], f["row"]) for f in findings.to_dicts()] == [("8995Q", "Header", 2)]


def test_9000Q_pre_proceedings_start_date_blank() -> None:
    rows = [
        _pp(PPStartDate=D(2026, 5, 1)),
        _pp(LBPSentDate=D(2026, 5, 2)),  # blank
        _pp(PPStartDate=D(2020, 1, 1)),  # present (out of year is 9005's)
        _pp(),  # blank
    ]
    assert cin("9000Q", rows) == [1, 3]
    assert cin("9000Q", rows[:1]) == []


def test_9005_pre_proceedings_start_in_reporting_year() -> None:
    rows = [
        _pp(PPStartDate=D(2026, 3, 31)),  # the day before the year
        _pp(PPStartDate=D(2026, 4, 1)),
        _pp(PPStartDate=D(2027, 3, 31)),
        _pp(PPStartDate=D(2027, 4, 1)),  # the day after
        _pp(),
    ]
    assert cin(9005, rows) == [0, 3]


def test_9006_letter_before_proceedings_in_year_and_after_start() -> None:
    rows = [
        _pp(PPStartDate=D(2026, 5, 1), LBPSentDate=D(2026, 5, 1)),  # same day: allowed
        _pp(PPStartDate=D(2026, 5, 1), LBPSentDate=D(2026, 4, 30)),  # before the start
        _pp(PPStartDate=D(2026, 5, 1), LBPSentDate=D(2027, 4, 1)),  # after the year
        _pp(LBPSentDate=D(2026, 3, 31)),  # no start date, but before the year
        _pp(LBPSentDate=D(2026, 6, 1)),  # no start date, in the year
        _pp(PPStartDate=D(2026, 5, 1)),  # no letter
    ]
    assert cin(9006, rows) == [1, 2, 3]


def test_9007_letter_sent_so_say_whether_fgdm_offered() -> None:
    rows = [
        _pp(LBPSentDate=D(2026, 5, 1), FGDMMeetingOffer=True),
        _pp(LBPSentDate=D(2026, 5, 1), FGDMMeetingOffer=False),
        _pp(LBPSentDate=D(2026, 5, 1)),  # letter sent, offer not stated
        _pp(FGDMMeetingOffer=True),  # an offer with no letter date: not this rule's concern
        _pp(),
    ]
    assert cin(9007, rows) == [2]


def test_9008_first_pre_proceedings_meeting_in_year() -> None:
    rows = [
        _pp(InitialPPMeetingDate=D(2026, 4, 1)),
        _pp(InitialPPMeetingDate=D(2026, 3, 31)),
        _pp(InitialPPMeetingDate=D(2027, 3, 31)),
        _pp(InitialPPMeetingDate=D(2027, 4, 1)),
        _pp(),
    ]
    assert cin(9008, rows) == [1, 3]


def test_9009_step_decision_after_start_and_in_year() -> None:
    rows = [
        _pp(PPStartDate=D(2026, 5, 1), StepDecisionDate=D(2026, 5, 1)),
        _pp(PPStartDate=D(2026, 5, 1), StepDecisionDate=D(2026, 4, 30)),  # before the start
        _pp(PPStartDate=D(2026, 5, 1), StepDecisionDate=D(2027, 4, 1)),  # after the year
        _pp(StepDecisionDate=D(2026, 3, 1)),  # no start date, before the year
        _pp(StepDecisionDate=D(2026, 9, 1)),
        _pp(PPStartDate=D(2026, 5, 1)),
    ]
    assert cin(9009, rows) == [1, 2, 3]


def test_9010Q_fgdm_offered_so_say_whether_facilitated() -> None:
    rows = [
        _pp(FGDMMeetingOffer=True, FGDMMeetingFac=True),
        _pp(FGDMMeetingOffer=True, FGDMMeetingFac=False),
        _pp(FGDMMeetingOffer=True),  # offered, facilitation not stated
        _pp(FGDMMeetingOffer="1"),  # 1 is true
        _pp(FGDMMeetingOffer=False),
        _pp(),
    ]
    assert cin("9010Q", rows) == [2, 3]


def test_9011_pre_proceedings_outcome_code() -> None:
    rows = [
        _pp(PPOutcome="A"),
        _pp(PPOutcome="B"),
        _pp(PPOutcome="C"),
        _pp(PPOutcome="D"),
        _pp(),
        _pp(PPOutcome="a"),
    ]
    assert cin(9011, rows) == [3, 5]


def test_9012_court_application_after_step_decision_and_in_year() -> None:
    rows = [
        _pp(StepDecisionDate=D(2026, 6, 1), CourtAppDate=D(2026, 6, 1)),
        _pp(StepDecisionDate=D(2026, 6, 1), CourtAppDate=D(2026, 5, 31)),  # before the decision
        _pp(StepDecisionDate=D(2026, 6, 1), CourtAppDate=D(2027, 4, 1)),  # after the year
        _pp(CourtAppDate=D(2027, 4, 2)),  # no decision date, after the year
        _pp(CourtAppDate=D(2026, 7, 1)),
        _pp(StepDecisionDate=D(2026, 6, 1)),
    ]
    assert cin(9012, rows) == [1, 2, 3]


def test_9013_letter_initiating_care_proceedings_after_application_and_in_year() -> None:
    rows = [
        _pp(CourtAppDate=D(2026, 7, 1), LetterInitCPDate=D(2026, 7, 1)),
        _pp(CourtAppDate=D(2026, 7, 1), LetterInitCPDate=D(2026, 6, 30)),  # before the application
        _pp(CourtAppDate=D(2026, 7, 1), LetterInitCPDate=D(2027, 4, 1)),  # after the year
        _pp(LetterInitCPDate=D(2026, 3, 31)),  # no application date, before the year
        _pp(LetterInitCPDate=D(2026, 8, 1)),
        _pp(CourtAppDate=D(2026, 7, 1)),
    ]
    assert cin(9013, rows) == [1, 2, 3]


def test_9015Q_review_meetings_count_after_initial_meeting() -> None:
    rows = [
        _pp(InitialPPMeetingDate=D(2026, 6, 1), ReviewMeetingsCount=2),
        _pp(InitialPPMeetingDate=D(2026, 6, 1), ReviewMeetingsCount=0),
        _pp(InitialPPMeetingDate=D(2026, 6, 1)),  # no count
        _pp(ReviewMeetingsCount=1),
        _pp(),
    ]
    assert cin("9015Q", rows) == [2]
