"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_r200s.py."""

from __future__ import annotations

import datetime as dt

import pytest

from outstanding.returns.engine import not_checkable_for, rules_for
from outstanding.returns.testing import flagged

D = dt.date


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def test_197a_sdq_reason_with_a_score() -> None:
    rows = [
        {"CHILD": "1", "SDQ_SCORE": 12},
        {"CHILD": "2", "SDQ_SCORE": 12, "SDQ_REASON": "SDQ2"},
        {"CHILD": "3", "SDQ_REASON": "SDQ2"},
        {"CHILD": "4", "SDQ_SCORE": 0, "SDQ_REASON": "SDQ1"},  # a score of 0 is a score
        {"CHILD": "5"},
    ]
    assert s903("197a", {"OC2": rows}) == [1, 3]
    assert s903("197a", {"OC2": rows}, year="2024-25") == [1, 3]


def test_205A_uasc_last_year_not_this_year() -> None:
    header = [{"CHILD": c} for c in ("1", "2", "3", "4", "5")]
    uasc_now = [{"CHILD": "4", "SEX": "M", "DUC": D(2026, 1, 1)}]
    previous = {
        "UASC": [
            {"CHILD": "1", "SEX": "M", "DUC": D(2025, 2, 1)},  # ceased last year: fine
            {"CHILD": "2", "SEX": "M", "DUC": D(2025, 6, 1)},  # ceased after last year ended
            {"CHILD": "3", "SEX": "M"},  # no date ceased
            {"CHILD": "4", "SEX": "M", "DUC": D(2026, 1, 1)},  # still UASC this year: rule 205B's
            {"CHILD": "6", "SEX": "M"},  # not in this year's return
        ]
    }
    data = {"Header": header, "UASC": uasc_now}
    assert s903("205A", data, previous=previous) == [1, 2]
    assert s903("205A", data, year="2024-25", previous=previous) == [0, 1, 2]  # last year 2023-24
    assert s903("205A", data) == []


def test_205B_uasc_both_years() -> None:
    uasc = [
        {"CHILD": "1", "SEX": "M", "DUC": D(2027, 1, 1)},  # same as last year
        {"CHILD": "2", "SEX": "M", "DUC": D(2025, 9, 1)},  # ceased this year, earlier than planned
        {"CHILD": "3", "SEX": "M", "DUC": D(2027, 2, 1)},  # changed, and not this year
        {"CHILD": "4", "SEX": "M", "DUC": D(2026, 6, 1)},  # ceased last year, yet UASC again
        {"CHILD": "5", "SEX": "M"},
        {"CHILD": "6", "SEX": "M", "DUC": D(2027, 2, 1)},  # not UASC last year
    ]
    previous = {
        "UASC": [
            {"CHILD": "1", "SEX": "M", "DUC": D(2027, 1, 1)},
            {"CHILD": "2", "SEX": "M", "DUC": D(2027, 1, 1)},
            {"CHILD": "3", "SEX": "M", "DUC": D(2027, 1, 1)},
            {"CHILD": "4", "SEX": "M", "DUC": D(2025, 1, 1)},
            {"CHILD": "5", "SEX": "M", "DUC": D(2027, 1, 1)},
        ]
    }
    assert s903("205B", {"UASC": uasc}, previous=previous) == [2, 3]
    assert s903("205B", {"UASC": uasc}, year="2026-27", previous=previous) == [1, 3]
    assert s903("205B", {"UASC": uasc}) == []


def test_208_upn_disagrees_with_last_year() -> None:
    previous = {
        "Header": [
            {"CHILD": "1", "UPN": "A123456789012"},
            {"CHILD": "2", "UPN": "A123456789012"},
            {"CHILD": "3", "UPN": "UN1"},
            {"CHILD": "4", "UPN": "UN4"},
            {"CHILD": "5", "UPN": "UN3"},
            {"CHILD": "6"},
            {"CHILD": "7", "UPN": "A123456789012"},
            {"CHILD": "8", "UPN": "UN2"},
            {"CHILD": "9", "UPN": "a123456789012"},
            {"CHILD": "11", "UPN": "UN1"},
        ]
    }
    header = [
        {"CHILD": "1", "UPN": "A123456789012"},  # same
        {"CHILD": "2", "UPN": "B123456789012"},  # a different UPN
        {"CHILD": "3", "UPN": "UN2"},  # from UN1 to another UN code
        {"CHILD": "4", "UPN": "A123456789012"},  # unknown to known
        {"CHILD": "5", "UPN": "UN4"},  # one unknown reason to another
        {"CHILD": "6", "UPN": "UN1"},  # nothing recorded last year
        {"CHILD": "7"},  # a known UPN dropped
        {"CHILD": "8", "UPN": "UN1"},  # back to UN1
        {"CHILD": "9", "UPN": "A123456789012"},  # letter case only
        {"CHILD": "10", "UPN": "A123456789012"},  # new this year
        {"CHILD": "11"},  # UN1 last year, blank now: not another UN code
    ]
    assert s903(208, {"Header": header}, previous=previous) == [1, 4, 6, 7, 10]
    assert s903(208, {"Header": header}, year="2024-25", previous=previous) == [1, 4, 6, 7, 10]
    assert s903(208, {"Header": header}) == []


def test_217t_p2_after_28_october_2023() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "P2", "DECOM": D(2023, 5, 1), "DEC": D(2023, 10, 28)},
        {"CHILD": "2", "PLACE": "P2", "DECOM": D(2023, 5, 1), "DEC": D(2023, 10, 29)},
        {"CHILD": "3", "PLACE": "P2", "DECOM": D(2023, 5, 1)},
        {"CHILD": "4", "PLACE": "P1", "DECOM": D(2023, 5, 1)},
    ]
    assert s903("217t", {"Episodes": rows}) == [1, 2]
    assert s903("217t", {"Episodes": rows}, year="2024-25") == [1, 2]


def test_218_urn_required_in_england() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "K2", "PL_POST": "LS1 4AB", "URN": "SC123456"},
        {"CHILD": "2", "PLACE": "K2", "PL_POST": "LS1 4AB"},  # in England, no URN
        {"CHILD": "3", "PLACE": "K2", "PL_POST": "EH1 1AA"},  # Scotland
        {"CHILD": "4", "PLACE": "K2", "PL_POST": "SY1 1AA"},  # a border area: not judged
        {"CHILD": "5", "PLACE": "K2"},  # no postcode: not judged
        {"CHILD": "6", "PLACE": "P1", "PL_POST": "LS1 4AB"},  # placed with parents
        {"CHILD": "7", "PLACE": "Z11", "PL_POST": "LS1 4AB"},
        {"CHILD": "8", "PLACE": "Z1", "PL_POST": "LS1 4AB"},
        {"CHILD": "9", "PLACE": "U4", "PL_POST": "g12 8qq", "DEC": D(2025, 6, 1)},  # Glasgow
        {"CHILD": "10", "PLACE": "U4", "PL_POST": "GL1 1AA", "DEC": D(2025, 6, 1)},  # Gloucester
        {"CHILD": "11", "PLACE": "U4", "PL_POST": "GL1 1AA", "DEC": D(2015, 3, 31)},
    ]
    assert s903(218, {"Episodes": rows}) == [1, 7, 9]
    assert s903(218, {"Episodes": rows}, year="2024-25") == [1, 6, 9]


def test_230_h5_needs_a_urn() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "H5", "PL_POST": "M1 1AA", "DEC": D(2023, 10, 29)},
        {"CHILD": "2", "PLACE": "H5", "PL_POST": "M1 1AA", "DEC": D(2023, 10, 28)},
        {"CHILD": "3", "PLACE": "H5", "PL_POST": "M1 1AA", "URN": "XXXXXXX"},
        {"CHILD": "4", "PLACE": "H5", "PL_POST": "M1 1AA", "URN": "1234567"},
        {"CHILD": "5", "PLACE": "H5", "PL_POST": "CF10 1AA"},  # Wales
        {"CHILD": "6", "PLACE": "K2", "PL_POST": "M1 1AA"},
    ]
    assert s903(230, {"Episodes": rows}) == [0, 2]
    assert s903(230, {"Episodes": rows}, year="2024-25") == [0, 2]


def test_243_urn_outside_england() -> None:
    rows = [
        {"CHILD": "1", "PL_POST": "BT1 1AA", "URN": "XXXXXXX"},  # Northern Ireland
        {"CHILD": "2", "PL_POST": "BT1 1AA"},
        {"CHILD": "3", "PL_POST": "M1 1AA", "URN": "SC123456"},
        {"CHILD": "4", "PL_POST": "NP16 7AA", "URN": "SC123456"},  # border area: not judged
        {"CHILD": "5", "PL_POST": "AB10 1AA", "URN": "SC123456"},  # Scotland
    ]
    assert s903(243, {"Episodes": rows}) == [0, 4]
    assert s903(243, {"Episodes": rows}, year="2026-27") == [0, 4]
    assert not any(r.code == "243" for r in rules_for("903", 2024))


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_not_checkable_rules_say_why(year: int) -> None:
    codes = {r.code for r in not_checkable_for("903", year)}
    expected = {"105", "164", "169", "179", "205C", "219", "221", "224", "227", "228", "229"}
    assert expected <= codes
    assert ("241" in codes) == (year >= 2025)
