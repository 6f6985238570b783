"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_more.py."""

from __future__ import annotations

import datetime as dt

import pytest

from outstanding.returns.testing import flagged, run

D = dt.date


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def test_226_no_reason_for_temporary_placement_2024() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2024, 5, 1), "PLACE": "U1", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "1", "DECOM": D(2024, 6, 1), "PLACE": "T1"},  # the episode before gave a reason
        {"CHILD": "2", "DECOM": D(2024, 5, 1), "PLACE": "U1"},
        {"CHILD": "2", "DECOM": D(2024, 6, 1), "PLACE": "T2", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "3", "DECOM": D(2024, 6, 1), "PLACE": "T2"},
        {"CHILD": "4", "DECOM": D(2024, 5, 1), "PLACE": "U1"},
        {
            "CHILD": "4",
            "DECOM": D(2024, 6, 1),
            "PLACE": "U4",
            "REASON_PLACE_CHANGE": "CARPL",
        },  # not temporary
    ]
    assert s903(226, {"Episodes": rows}, year="2024-25") == [1, 3]
    found = run("903", 226, {"Episodes": rows}, "2024-25")
    assert set(found["message"]) == {"Reason for placement change is not required."}
    # From 2025-26 the reworded rule in ssda903_episodes applies instead.
    later = run("903", 226, {"Episodes": rows}, "2025-26")
    assert set(found["message"]) != set(later["message"])


def test_383_return_to_normal_placement_2024() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2024, 5, 1), "PLACE": "U4", "PL_POST": "AB1 2", "RNE": "S"},
        {"CHILD": "1", "DECOM": D(2024, 6, 1), "PLACE": "T1", "RNE": "P"},
        {"CHILD": "1", "DECOM": D(2024, 6, 9), "PLACE": "U4", "PL_POST": "CD3 4", "RNE": "P"},  # same type
        {"CHILD": "2", "DECOM": D(2024, 5, 1), "PLACE": "U4", "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2024, 6, 1), "PLACE": "T3", "RNE": "P"},  # fails: returns elsewhere
        {"CHILD": "2", "DECOM": D(2024, 6, 9), "PLACE": "U6", "RNE": "P"},
        {"CHILD": "3", "DECOM": D(2024, 5, 1), "PLACE": "U4", "RNE": "S"},
        {"CHILD": "3", "DECOM": D(2024, 6, 1), "PLACE": "T3", "RNE": "P"},  # fails: next is not RNE P
        {"CHILD": "3", "DECOM": D(2024, 6, 9), "PLACE": "U4", "RNE": "L"},
        {"CHILD": "4", "DECOM": D(2024, 6, 1), "PLACE": "T3", "RNE": "S"},  # nothing before it here
        {"CHILD": "4", "DECOM": D(2024, 6, 9), "PLACE": "U6", "RNE": "P"},
        {"CHILD": "5", "DECOM": D(2024, 5, 1), "PLACE": "U4", "RNE": "S"},
        {"CHILD": "5", "DECOM": D(2024, 6, 1), "PLACE": "T3", "RNE": "P"},  # still there: nothing after
    ]
    assert s903(383, {"Episodes": rows}, year="2024-25") == [4, 7]


@pytest.mark.parametrize("year", ["2024-25", "2025-26", "2026-27"])
def test_3001_seventeen_year_old_with_former_foster_carers(year: str) -> None:
    start = int(year[:4])
    header = [
        {"CHILD": "1", "DOB": D(start - 17, 6, 1)},  # 17 in the year
        {"CHILD": "2", "DOB": D(start - 17, 6, 1)},
        {"CHILD": "3", "DOB": D(start - 18, 6, 1)},  # 18: staying put is fine
        {"CHILD": "4", "DOB": D(start - 16, 3, 31)},  # 17 on the year's last day
        {"CHILD": "5", "DOB": D(start - 17, 3, 31)},  # 17 the day before the year began
    ]
    oc3 = [
        {"CHILD": "1", "DOB": D(start - 17, 6, 1), "ACCOM": "Z1"},
        {"CHILD": "2", "DOB": D(start - 17, 6, 1), "ACCOM": "B1"},
        {"CHILD": "3", "DOB": D(start - 18, 6, 1), "ACCOM": "Z2"},
        {"CHILD": "4", "ACCOM": "Z2"},  # no date of birth in OC3: the header's is used
        {"CHILD": "5", "DOB": D(start - 17, 3, 31), "ACCOM": "Z1"},
    ]
    assert s903(3001, {"Header": header, "OC3": oc3}, year=year) == [0, 3]


@pytest.mark.parametrize("year", ["2024-25", "2025-26", "2026-27"])
def test_NoE_no_episodes_last_year(year: str) -> None:
    start = int(year[:4])
    rows = [
        {"CHILD": "1", "DECOM": D(start - 1, 6, 1)},  # in last year's episodes
        {"CHILD": "2", "DECOM": D(start - 1, 6, 1)},  # fails: not in last year's episodes
        {"CHILD": "2", "DECOM": D(start, 6, 1)},
        {"CHILD": "3", "DECOM": D(start, 4, 1)},  # started this year
        {"CHILD": "4", "DECOM": D(start - 1, 6, 1)},  # last year only in the header: fails
    ]
    previous = {
        "Header": [{"CHILD": "1"}, {"CHILD": "4"}],
        "Episodes": [{"CHILD": "1", "DECOM": D(start - 1, 6, 1)}],
    }
    assert s903("NoE", {"Episodes": rows}, year=year, previous=previous) == [1, 4]
    # Without last year's return there is nothing to compare with.
    assert s903("NoE", {"Episodes": rows}, year=year) == []
    # Nor with a previous return sent without its episodes file.
    assert s903("NoE", {"Episodes": rows}, year=year, previous={"Header": [{"CHILD": "1"}]}) == []


@pytest.mark.parametrize("year", ["2024-25", "2025-26", "2026-27"])
def test_EPI_header_child_without_episodes(year: str) -> None:
    start = int(year[:4])
    data = {
        "Header": [{"CHILD": "1"}, {"CHILD": "2"}, {"CHILD": "3"}, {"CHILD": "4"}],
        "Episodes": [{"CHILD": "1", "DECOM": D(start, 5, 1)}, {"CHILD": "1", "DECOM": D(start, 6, 1)}],
        "OC3": [{"CHILD": "3", "ACCOM": "B1"}],
    }
    assert s903("EPI", data, year=year) == [1, 3]
    found = run("903", "EPI", data, year)
    assert set(found["type"]) == {"query"}
    assert set(found["table"]) == {"Header"}
