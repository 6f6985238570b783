"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_r500s.py (rules 550 to 635)."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.testing import flagged, flagged_by_table, run

D = dt.date
YEARS = ("2024-25", "2025-26", "2026-27")


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def by_table(
    code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None
) -> dict[str, list[int]]:
    """Flagged row indexes (0-based) of each table, for rules that flag two tables."""
    return flagged_by_table("903", code, data, year, previous)


# --- Placement provider -------------------------------------------------------------------------


def test_550_pr0_only_with_p1() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "P1", "PLACE_PROVIDER": "PR0"},
        {"CHILD": "2", "PLACE": "U1", "PLACE_PROVIDER": "PR0"},  # fails
        {"CHILD": "3", "PLACE": "U1", "PLACE_PROVIDER": "PR1"},
        {"CHILD": "4", "PLACE_PROVIDER": "PR0"},  # fails: no P1
    ]
    for year in YEARS:
        assert s903(550, {"Episodes": rows}, year) == [1, 3]


# --- The decision that the child should be placed for adoption ----------------------------------


def test_551_placed_for_adoption_without_decision() -> None:
    eps = [
        {"CHILD": "1", "PLACE": "A3"},
        {"CHILD": "2", "PLACE": "A5"},  # fails: no PlacedAdoption row
        {"CHILD": "3", "PLACE": "A6"},  # fails: DATE_PLACED blank
        {"CHILD": "4", "PLACE": "U1"},
    ]
    placed = [{"CHILD": "1", "DATE_PLACED": D(2025, 5, 1)}, {"CHILD": "3"}]
    assert s903(551, {"Episodes": eps, "PlacedAdoption": placed}) == [1, 2]


def test_552_decision_on_or_before_placement() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "A3"},  # decided 1 May: passes
        {"CHILD": "1", "DECOM": D(2025, 7, 1), "PLACE": "A3"},  # not the start of the placement
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "PLACE": "A4"},  # fails: decided after
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "PLACE": "A5"},  # no decision: rule 551's
        {"CHILD": "4", "DECOM": D(2025, 6, 1), "PLACE": "A6"},  # an earlier decision passes
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 6, 2)},
        {"CHILD": "4", "DATE_PLACED": D(2024, 1, 1), "DATE_PLACED_CEASED": D(2024, 6, 1)},
        {"CHILD": "4", "DATE_PLACED": D(2025, 8, 1)},
    ]
    assert by_table(552, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [2],
        "PlacedAdoption": [1],
    }


def _two_later_decisions(code: int, field: str, value: str, year: str) -> dict:
    """An episode with ``field`` = ``value`` from 1 May; decisions on 1 June (ceased 1 September) and
    1 January, both after it: only the earliest decision after the episode's DECOM is flagged."""
    y = int(year[:4])
    eps = [{"CHILD": "1", "DECOM": D(y, 5, 1), field: value}]
    placed = [
        {
            "CHILD": "1",
            "DATE_PLACED": D(y, 6, 1),
            "DATE_PLACED_CEASED": D(y, 9, 1),
            "REASON_PLACED_CEASED": "RD1",
        },
        {"CHILD": "1", "DATE_PLACED": D(y + 1, 1, 1)},
    ]
    # The later decision listed first in the file changes nothing.
    assert by_table(code, {"Episodes": eps, "PlacedAdoption": placed[::-1]}, year) == {
        "Episodes": [0],
        "PlacedAdoption": [1],
    }
    return by_table(code, {"Episodes": eps, "PlacedAdoption": placed}, year)


def test_552_only_the_earliest_later_decision_flagged() -> None:
    for year in YEARS:
        assert _two_later_decisions(552, "PLACE", "A3", year) == {"Episodes": [0], "PlacedAdoption": [0]}


def test_553_placement_order_without_decision() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "E1"},  # open, latest decision open: passes
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "LS": "E1"},  # fails: no decision
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "LS": "E1"},  # open, latest decision ceased
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "DEC": D(2025, 9, 1), "LS": "E1", "REC": "E13"},
        {"CHILD": "5", "DECOM": D(2025, 5, 1), "LS": "C2"},
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2024, 1, 1), "DATE_PLACED_CEASED": D(2024, 3, 1)},
        {"CHILD": "1", "DATE_PLACED": D(2025, 4, 1)},
        {
            "CHILD": "3",
            "DATE_PLACED": D(2025, 4, 1),
            "DATE_PLACED_CEASED": D(2025, 6, 1),
            "REASON_PLACED_CEASED": "RD1",
        },  # fails: the E1 episode is open
        {
            "CHILD": "4",
            "DATE_PLACED": D(2025, 4, 1),
            "DATE_PLACED_CEASED": D(2025, 9, 1),
            "REASON_PLACED_CEASED": "RD1",
        },  # the E1 episode has ended
    ]
    assert by_table(553, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [1],
        "PlacedAdoption": [2],
    }


def test_554_decision_on_or_before_placement_order() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "C2"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "LS": "E1"},  # fails: decided 2 June
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "LS": "E1"},  # decided the same day: passes
        {"CHILD": "2", "DECOM": D(2025, 7, 1), "LS": "E1"},  # not the order's first episode
    ]
    placed = [{"CHILD": "1", "DATE_PLACED": D(2025, 6, 2)}, {"CHILD": "2", "DATE_PLACED": D(2025, 6, 1)}]
    assert by_table(554, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [1],
        "PlacedAdoption": [0],
    }


def test_554_only_the_earliest_later_decision_flagged() -> None:
    for year in YEARS:
        assert _two_later_decisions(554, "LS", "E1", year) == {"Episodes": [0], "PlacedAdoption": [0]}


def test_555_freeing_order_without_decision() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "D1"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "LS": "D1"},  # fails: no decision
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "LS": "D1"},  # open, latest decision ceased
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 4, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 4, 1), "DATE_PLACED_CEASED": D(2025, 6, 1)},
    ]
    assert by_table(555, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [1],
        "PlacedAdoption": [1],
    }


def test_556_decision_on_or_before_freeing_order() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "LS": "D1"},  # fails
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "LS": "D1"},
    ]
    placed = [{"CHILD": "1", "DATE_PLACED": D(2025, 7, 1)}, {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1)}]
    assert by_table(556, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [0],
        "PlacedAdoption": [0],
    }


def test_556_only_the_earliest_later_decision_flagged() -> None:
    for year in YEARS:
        assert _two_later_decisions(556, "LS", "D1", year) == {"Episodes": [0], "PlacedAdoption": [0]}


def test_557_left_care_not_adopted_needs_ceased_decision() -> None:
    eps = [
        {"CHILD": "1", "PLACE": "A3", "LS": "E1", "REC": "E13"},  # fails: decision not ceased
        {"CHILD": "2", "PLACE": "A4", "LS": "E1", "REC": "E12"},  # adopted
        {"CHILD": "3", "PLACE": "U1", "LS": "E1", "REC": "E4A"},  # decision ceased: passes
        {"CHILD": "4", "PLACE": "A5", "LS": "C2", "REC": "E13"},  # fails: no decision at all
        {"CHILD": "5", "PLACE": "A6", "LS": "E1", "REC": "X1"},  # care goes on
        {"CHILD": "6", "PLACE": "U1", "LS": "D1", "REC": "E13"},  # D1 no longer counts from 2024-25
        {"CHILD": "7", "PLACE": "A3", "LS": "E1", "REC": "E13"},  # fails: reason missing
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 4, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 4, 1)},
        {
            "CHILD": "3",
            "DATE_PLACED": D(2025, 4, 1),
            "DATE_PLACED_CEASED": D(2025, 6, 1),
            "REASON_PLACED_CEASED": "RD1",
        },
        {"CHILD": "7", "DATE_PLACED": D(2025, 4, 1), "DATE_PLACED_CEASED": D(2025, 6, 1)},
    ]
    for year in YEARS:
        assert by_table(557, {"Episodes": eps, "PlacedAdoption": placed}, year) == {
            "Episodes": [0, 3, 6],
            "PlacedAdoption": [0, 3],
        }


def test_558_adopted_decision_not_ceased() -> None:
    eps = [
        {"CHILD": "1", "REC": "E11"},  # fails: latest decision ceased
        {"CHILD": "2", "REC": "E12"},  # an earlier ceased decision is fine
        {"CHILD": "3", "REC": "E13"},
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 4, 1), "DATE_PLACED_CEASED": D(2025, 6, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2024, 4, 1), "DATE_PLACED_CEASED": D(2024, 6, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 4, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 4, 1), "DATE_PLACED_CEASED": D(2025, 6, 1)},
    ]
    assert by_table(558, {"Episodes": eps, "PlacedAdoption": placed}) == {
        "Episodes": [0],
        "PlacedAdoption": [0],
    }


def test_559_earlier_decision_missing_last_year() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1)},  # in last year's return
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1)},  # fails: not in last year's
        {"CHILD": "3", "DATE_PLACED": D(2025, 5, 1)},  # this year's decision
    ]
    last = [{"CHILD": "1", "DATE_PLACED": D(2025, 2, 1)}, {"CHILD": "2"}]
    assert s903(559, {"PlacedAdoption": placed}, previous={"PlacedAdoption": last}) == [1]
    assert s903(559, {"PlacedAdoption": placed}) == []  # last year's return not sent


def test_560_open_decision_returned_with_a_different_date() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1)},  # the same: passes
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 2)},  # fails: differs from last year's open decision
        {"CHILD": "3", "DATE_PLACED": D(2025, 6, 1)},  # last year's was ceased
    ]
    last = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 2, 1), "DATE_PLACED_CEASED": D(2025, 3, 1)},
    ]
    assert s903(560, {"PlacedAdoption": placed}, previous={"PlacedAdoption": last}) == [1]


def test_561_ceased_decision_returned_again() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1)},  # fails: ceased last year
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1)},  # open last year
        {"CHILD": "3", "DATE_PLACED": D(2025, 6, 1)},  # a new decision
    ]
    last = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1), "REASON_PLACED_CEASED": "RD2"},
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 2, 1), "DATE_PLACED_CEASED": D(2025, 3, 1)},
    ]
    assert s903(561, {"PlacedAdoption": placed}, previous={"PlacedAdoption": last}) == [0]


def test_562_first_episode_continues_last_years() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 3, 15)},  # last year's latest: passes
        {"CHILD": "1", "DECOM": D(2025, 6, 5)},
        {"CHILD": "2", "DECOM": D(2025, 3, 13)},  # fails: last year's latest started 11 March
        {"CHILD": "3", "DECOM": D(2025, 1, 1)},  # fails: not in last year's return
        {"CHILD": "4", "DECOM": D(2025, 5, 1)},  # started this year
    ]
    last = [
        {"CHILD": "1", "DECOM": D(2024, 6, 1)},
        {"CHILD": "1", "DECOM": D(2025, 3, 15)},
        {"CHILD": "2", "DECOM": D(2025, 3, 11)},
    ]
    assert s903(562, {"Episodes": eps}, previous={"Episodes": last}) == [2, 3]
    assert s903(562, {"Episodes": eps}) == []


def test_563_ceased_decision_without_date_placed() -> None:
    rows = [
        {
            "CHILD": "1",
            "DATE_PLACED": D(2025, 5, 1),
            "DATE_PLACED_CEASED": D(2025, 6, 1),
            "REASON_PLACED_CEASED": "RD1",
        },
        {"CHILD": "2", "DATE_PLACED_CEASED": D(2025, 6, 1), "REASON_PLACED_CEASED": "RD1"},  # fails
        {"CHILD": "3", "REASON_PLACED_CEASED": "RD1"},  # fails
        {"CHILD": "4"},
    ]
    assert s903(563, {"PlacedAdoption": rows}) == [1, 2]


# --- Missing and away from placement without authorisation --------------------------------------


def test_564_missing_without_start() -> None:
    rows = [
        {"CHILD": "1", "MISSING": "M"},  # fails
        {"CHILD": "2", "MISSING": "A", "MIS_START": D(2025, 5, 1)},
        {"CHILD": "3"},
        {"CHILD": "4", "MISSING": "A"},  # fails
    ]
    assert s903(564, {"Missing": rows}) == [0, 3]


def test_565_start_without_missing_type() -> None:
    rows = [
        {"CHILD": "1", "MIS_START": D(2025, 5, 1)},  # fails
        {"CHILD": "2", "MISSING": "A", "MIS_START": D(2025, 5, 1)},
        {"CHILD": "3", "MISSING": "M"},
    ]
    assert s903(565, {"Missing": rows}) == [0]


def test_566_end_without_missing_type() -> None:
    rows = [
        {"CHILD": "1", "MIS_END": D(2025, 5, 1)},  # fails
        {"CHILD": "2", "MISSING": "M", "MIS_END": D(2025, 5, 1)},
        {"CHILD": "3"},
    ]
    assert s903(566, {"Missing": rows}) == [0]


def test_567_end_before_start() -> None:
    rows = [
        {"CHILD": "1", "MIS_START": D(2025, 6, 1), "MIS_END": D(2025, 6, 5)},
        {"CHILD": "2", "MIS_START": D(2025, 6, 3), "MIS_END": D(2025, 6, 1)},  # fails
        {"CHILD": "3", "MIS_START": D(2025, 6, 3), "MIS_END": D(2025, 6, 3)},
        {"CHILD": "4", "MIS_START": D(2025, 6, 3)},
    ]
    assert s903(567, {"Missing": rows}) == [1]


def test_570_start_after_year_end() -> None:
    rows = [{"CHILD": "1", "MIS_START": D(2026, 3, 31)}, {"CHILD": "2", "MIS_START": D(2026, 4, 1)}]
    assert s903(570, {"Missing": rows}) == [1]
    assert s903(570, {"Missing": rows}, "2026-27") == []


def test_571_end_outside_year() -> None:
    rows = [
        {"CHILD": "1", "MIS_END": D(2025, 3, 31)},  # fails
        {"CHILD": "2", "MIS_END": D(2025, 4, 1)},
        {"CHILD": "3", "MIS_END": D(2026, 3, 31)},
        {"CHILD": "4", "MIS_END": D(2026, 4, 1)},  # fails
        {"CHILD": "5"},
    ]
    assert s903(571, {"Missing": rows}) == [0, 3]


def test_574_missing_periods_overlap() -> None:
    rows = [
        {"CHILD": "1", "MIS_START": D(2025, 6, 1), "MIS_END": D(2025, 6, 5)},
        {"CHILD": "1", "MIS_START": D(2025, 6, 4)},  # fails: overlaps
        {"CHILD": "2", "MIS_START": D(2025, 6, 3)},
        {"CHILD": "2", "MIS_START": D(2025, 6, 7), "MIS_END": D(2025, 6, 9)},  # fails: previous still open
        {"CHILD": "3", "MIS_START": D(2025, 6, 2), "MIS_END": D(2025, 6, 4)},
        {"CHILD": "3", "MIS_START": D(2025, 6, 4), "MIS_END": D(2025, 6, 9)},  # starts as the last ends
    ]
    assert s903(574, {"Missing": rows}) == [1, 3]


def test_574_overlap_behind_a_nested_period() -> None:
    # Rows 1 and 2 both start inside row 0; row 2 is after row 1's end but still inside row 0.
    rows = [
        {"CHILD": "1", "MIS_START": D(2025, 5, 1), "MIS_END": D(2025, 8, 1)},
        {"CHILD": "1", "MIS_START": D(2025, 5, 5), "MIS_END": D(2025, 5, 10)},  # fails
        {"CHILD": "1", "MIS_START": D(2025, 6, 1), "MIS_END": D(2025, 6, 3)},  # fails
        {"CHILD": "1", "MIS_START": D(2025, 8, 1), "MIS_END": D(2025, 8, 3)},  # starts as row 0 ends
        # An open period hides behind a nested one too.
        {"CHILD": "2", "MIS_START": D(2025, 5, 1)},
        {"CHILD": "2", "MIS_START": D(2025, 5, 5), "MIS_END": D(2025, 5, 10)},  # fails
        {"CHILD": "2", "MIS_START": D(2025, 6, 1), "MIS_END": D(2025, 6, 3)},  # fails
        # Another child's earlier period does not count.
        {"CHILD": "3", "MIS_START": D(2025, 5, 6), "MIS_END": D(2025, 5, 7)},
    ]
    for year in YEARS:
        shifted = [
            {
                k: v.replace(year=v.year + int(year[:4]) - 2025) if isinstance(v, dt.date) else v
                for k, v in r.items()
            }
            for r in rows
        ]
        assert s903(574, {"Missing": shifted}, year) == [1, 2, 5, 6]


def test_575_placement_ended_missing_open() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 10)},
        {"CHILD": "2", "DECOM": D(2025, 6, 1)},
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 10)},
    ]
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 6, 8)},  # fails
        {"CHILD": "2", "MIS_START": D(2025, 6, 8)},  # placement still open
        {"CHILD": "3", "MIS_START": D(2025, 6, 8), "MIS_END": D(2025, 6, 9)},
        {"CHILD": "1", "MIS_START": D(2025, 6, 11)},  # not during that placement
    ]
    assert s903(575, {"Episodes": eps, "Missing": missing}) == [0]


def test_576_open_missing_period_last_year() -> None:
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 3, 1), "MIS_END": D(2025, 4, 3)},  # carried on: passes
        {"CHILD": "2", "MIS_START": D(2025, 5, 1)},  # fails: the open one is not recorded
        {"CHILD": "3", "MIS_START": D(2025, 5, 1)},
    ]
    last = [
        {"CHILD": "1", "MIS_START": D(2025, 3, 1)},
        {"CHILD": "2", "MIS_START": D(2025, 3, 1)},
        {"CHILD": "3", "MIS_START": D(2025, 3, 1), "MIS_END": D(2025, 3, 2)},
    ]
    assert s903(576, {"Missing": missing}, previous={"Missing": last}) == [1]


def test_576_open_last_year_no_missing_row_this_year() -> None:
    # Last year's period from 20 March is open; this year the child has a header row but no Missing row:
    # the header row is flagged. A child in neither this year's header nor Missing table is not.
    for year in YEARS:
        y = int(year[:4])
        header = [{"CHILD": "1", "DOB": D(2010, 1, 1)}, {"CHILD": "2", "DOB": D(2010, 1, 1)}]
        last = [
            {"CHILD": "1", "MIS_START": D(y, 3, 20)},
            {"CHILD": "2", "MIS_START": D(y, 3, 20)},
            {"CHILD": "3", "MIS_START": D(y, 3, 20)},
        ]
        missing = [{"CHILD": "2", "MIS_START": D(y, 3, 20), "MIS_END": D(y, 4, 2)}]
        data = {"Header": header, "Missing": missing}
        assert by_table(576, data, year, previous={"Missing": last}) == {"Header": [0]}
        # Without last year's return there is nothing to compare.
        assert by_table(576, data, year) == {}


def _periods() -> list[dict]:
    return [
        # child 1: looked after 1 May to 1 August
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "RNE": "S", "DEC": D(2025, 6, 1), "REC": "X1"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "RNE": "P", "DEC": D(2025, 8, 1), "REC": "E13"},
        # child 2: 1 May to 1 June, then from 1 September on
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "RNE": "S", "DEC": D(2025, 6, 1), "REC": "E13"},
        {"CHILD": "2", "DECOM": D(2025, 9, 1), "RNE": "S"},
        # child 3: in care since before this year, still looked after
        {"CHILD": "3", "DECOM": D(2025, 2, 1), "RNE": "P"},
    ]


def test_577_ceased_with_missing_period_open() -> None:
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 7, 1)},  # fails: care ended 1 August
        {"CHILD": "1", "MIS_START": D(2025, 7, 1), "MIS_END": D(2025, 7, 2)},
        {"CHILD": "2", "MIS_START": D(2025, 5, 10)},  # fails: that period ended
        {"CHILD": "2", "MIS_START": D(2025, 10, 1)},  # still looked after
        {"CHILD": "3", "MIS_START": D(2025, 1, 1)},  # began before this year's episodes
        {"CHILD": "9", "MIS_START": D(2025, 5, 1)},  # no episodes: not judged
    ]
    assert s903(577, {"Episodes": _periods(), "Missing": missing}) == [0, 2]


def test_578_missing_after_care_ceased() -> None:
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 7, 1)},
        {"CHILD": "1", "MIS_START": D(2025, 8, 2)},  # fails: after care ended
        {"CHILD": "1", "MIS_START": D(2025, 4, 20)},  # before care: rule 581's
        {"CHILD": "2", "MIS_START": D(2025, 7, 1)},  # fails: between periods
        {"CHILD": "3", "MIS_START": D(2024, 12, 1)},
    ]
    assert s903(578, {"Episodes": _periods(), "Missing": missing}) == [1, 3]


def test_579_decisions_overlap() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 6, 1), "DATE_PLACED_CEASED": D(2025, 6, 5)},
        {"CHILD": "1", "DATE_PLACED": D(2025, 6, 4)},  # fails: before the last ceased
        {"CHILD": "2", "DATE_PLACED": D(2025, 6, 3)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 6, 7), "DATE_PLACED_CEASED": D(2025, 6, 9)},  # fails: last open
        {"CHILD": "3", "DATE_PLACED": D(2025, 6, 2), "DATE_PLACED_CEASED": D(2025, 6, 4)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 6, 4)},
    ]
    assert s903(579, {"PlacedAdoption": rows}) == [1, 3]


def test_579_overlap_behind_a_nested_decision() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1), "DATE_PLACED_CEASED": D(2025, 8, 1)},
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 5), "DATE_PLACED_CEASED": D(2025, 5, 10)},  # fails
        {"CHILD": "1", "DATE_PLACED": D(2025, 6, 1), "DATE_PLACED_CEASED": D(2025, 6, 3)},  # fails
        {"CHILD": "1", "DATE_PLACED": D(2025, 8, 1)},  # on the day row 0 ceased
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 5), "DATE_PLACED_CEASED": D(2025, 5, 10)},  # fails
        {"CHILD": "2", "DATE_PLACED": D(2025, 6, 1), "DATE_PLACED_CEASED": D(2025, 6, 3)},  # fails
    ]
    for year in YEARS:
        shifted = [
            {
                k: v.replace(year=v.year + int(year[:4]) - 2025) if isinstance(v, dt.date) else v
                for k, v in r.items()
            }
            for r in rows
        ]
        assert s903(579, {"PlacedAdoption": shifted}, year) == [1, 2, 5, 6]


def test_580_missing_at_18_must_leave_care_e8() -> None:
    header = [{"CHILD": str(i), "DOB": D(2007, 6, 1)} for i in range(1, 5)]
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 4, 1), "DEC": D(2025, 6, 1), "REC": "E7"},  # fails
        {"CHILD": "2", "DECOM": D(2025, 4, 1), "DEC": D(2025, 6, 1), "REC": "E8"},
        {"CHILD": "3", "DECOM": D(2025, 4, 1), "DEC": D(2025, 6, 1), "REC": "E7"},  # was back by then
        {"CHILD": "4", "DECOM": D(2025, 4, 1), "DEC": D(2025, 5, 1), "REC": "E7"},  # not at 18
    ]
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 5, 20), "MIS_END": D(2025, 6, 1)},
        {"CHILD": "2", "MIS_START": D(2025, 5, 20), "MIS_END": D(2025, 6, 1)},
        {"CHILD": "3", "MIS_START": D(2025, 5, 20), "MIS_END": D(2025, 5, 25)},
        {"CHILD": "4", "MIS_START": D(2025, 4, 20), "MIS_END": D(2025, 5, 1)},
    ]
    assert s903(580, {"Header": header, "Episodes": eps, "Missing": missing}) == [0]


def test_581_missing_before_looked_after() -> None:
    missing = [
        {"CHILD": "1", "MIS_START": D(2025, 4, 20)},  # fails
        {"CHILD": "1", "MIS_START": D(2025, 5, 1)},  # the day care began
        {"CHILD": "2", "MIS_START": D(2025, 7, 1)},  # between periods: rule 578's
        {"CHILD": "3", "MIS_START": D(2024, 12, 1)},  # care began before this year's episodes
    ]
    assert s903(581, {"Episodes": _periods(), "Missing": missing}) == [0]


def test_582_adopted_on_the_day_matched_is_a_query() -> None:
    eps = [
        {"CHILD": "1", "DEC": D(2025, 6, 1), "REC": "E11"},  # queried
        {"CHILD": "2", "DEC": D(2025, 6, 1), "REC": "E12"},
        {"CHILD": "3", "DEC": D(2025, 6, 1), "REC": "E13"},
    ]
    ad1 = [
        {"CHILD": "1", "DATE_MATCH": D(2025, 6, 1)},
        {"CHILD": "2", "DATE_MATCH": D(2025, 5, 1)},
        {"CHILD": "3", "DATE_MATCH": D(2025, 6, 1)},
    ]
    assert by_table(582, {"Episodes": eps, "AD1": ad1}) == {"Episodes": [0], "AD1": [0]}
    assert set(run("903", 582, {"Episodes": eps, "AD1": ad1})["type"].to_list()) == {"query"}


def test_583_earlier_decision_not_revoked_is_a_query() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1), "DATE_PLACED_CEASED": D(2025, 2, 2)},
        {"CHILD": "1", "DATE_PLACED": D(2025, 3, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1)},  # queried: earlier and open
        {"CHILD": "2", "DATE_PLACED": D(2025, 3, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 2, 1)},
    ]
    assert s903(583, {"PlacedAdoption": rows}) == [2]
    assert run("903", 583, {"PlacedAdoption": rows})["type"].to_list() == ["query"]


def test_584_new_decision_after_last_years_ceased() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1)},  # a new decision: passes
        {"CHILD": "2", "DATE_PLACED": D(2025, 1, 1)},  # fails: not after the ceased one
        {"CHILD": "3", "DATE_PLACED_CEASED": D(2025, 5, 1)},  # fails: DATE_PLACED blank
        {"CHILD": "4", "DATE_PLACED": D(2025, 1, 1)},  # last year's was open
    ]
    last = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 2, 1), "DATE_PLACED_CEASED": D(2025, 3, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 2, 1), "REASON_PLACED_CEASED": "RD1"},
        {"CHILD": "3", "DATE_PLACED": D(2025, 2, 1), "DATE_PLACED_CEASED": D(2025, 3, 1)},
        {"CHILD": "4", "DATE_PLACED": D(2025, 1, 1)},
    ]
    assert s903(584, {"PlacedAdoption": placed}, previous={"PlacedAdoption": last}) == [1, 2]


def test_586_missing_before_birth() -> None:
    header = [{"CHILD": "3", "DOB": D(2025, 6, 1)}]
    rows = [
        {"CHILD": "1", "DOB": D(2025, 2, 4), "MIS_START": D(2025, 2, 3)},  # fails
        {"CHILD": "2", "DOB": D(2025, 2, 2), "MIS_START": D(2025, 2, 7)},
        {"CHILD": "3", "MIS_START": D(2025, 5, 1)},  # fails: the header's DOB
        {"CHILD": "4", "DOB": D(2025, 2, 4)},
    ]
    assert s903(586, {"Header": header, "Missing": rows}) == [0, 2]


# --- Adoptions (AD1) ----------------------------------------------------------------------------


_FULL_AD1 = {
    "DATE_INT": D(2024, 12, 1),
    "DATE_MATCH": D(2025, 1, 1),
    "FOSTER_CARE": "0",
    "NB_ADOPTR": "2",
    "SEX_ADOPTR": "MF",
    "LS_ADOPTR": "L0",
}


def test_601_adopted_without_ad1_items() -> None:
    eps = [
        {"CHILD": "1", "DEC": D(2025, 6, 1), "REC": "E11"},  # complete AD1
        {"CHILD": "2", "DEC": D(2025, 6, 1), "REC": "E12"},  # fails: an item blank
        {"CHILD": "3", "DEC": D(2025, 6, 1), "REC": "E11"},  # fails: no AD1 row
        {"CHILD": "4", "DEC": D(2025, 3, 1), "REC": "E11"},  # adopted last year
    ]
    ad1 = [
        {"CHILD": "1", **_FULL_AD1},
        {"CHILD": "2", **{**_FULL_AD1, "DATE_MATCH": None}},
        {"CHILD": "4", "DATE_INT": D(2024, 12, 1)},
    ]
    assert by_table(601, {"Episodes": eps, "AD1": ad1}) == {"Episodes": [1, 2], "AD1": [1]}


def test_602_ad1_without_adoption() -> None:
    eps = [
        {"CHILD": "1", "DEC": D(2025, 6, 1), "REC": "E11"},
        {"CHILD": "2", "DEC": D(2025, 6, 1), "REC": "E13"},
        {"CHILD": "3", "DEC": D(2025, 3, 1), "REC": "E11"},
    ]
    ad1 = [
        {"CHILD": "1", **_FULL_AD1},
        {"CHILD": "2", "NB_ADOPTR": "1"},  # fails
        {"CHILD": "3", **_FULL_AD1},  # fails: adopted last year
        {"CHILD": "4"},  # nothing completed
    ]
    assert s903(602, {"Episodes": eps, "AD1": ad1}) == [1, 2]


# --- Mothers ------------------------------------------------------------------------------------


def test_607_ceased_without_mother() -> None:
    header = [
        {"CHILD": "1", "SEX": "F"},  # fails
        {"CHILD": "2", "SEX": "F", "MOTHER": "0"},
        {"CHILD": "3", "SEX": "M"},
        {"CHILD": "4", "SEX": "F"},  # short breaks only
        {"CHILD": "5", "SEX": "F"},  # care went on (X1)
    ]
    eps = [
        {"CHILD": "1", "DEC": D(2025, 6, 1), "REC": "E4A", "LS": "C2"},
        {"CHILD": "2", "DEC": D(2025, 6, 1), "REC": "E4A", "LS": "C2"},
        {"CHILD": "3", "DEC": D(2025, 6, 1), "REC": "E4A", "LS": "C2"},
        {"CHILD": "4", "DEC": D(2025, 6, 1), "REC": "E4A", "LS": "V3"},
        {"CHILD": "5", "DEC": D(2025, 6, 1), "REC": "X1", "LS": "C2"},
        {"CHILD": "1", "DEC": D(2025, 3, 1), "REC": "E4A", "LS": "C2"},  # last year
    ]
    for year in YEARS:
        start = int(year[:4]) - 2025
        shifted = [{**e, "DEC": e["DEC"].replace(year=e["DEC"].year + start)} for e in eps]
        assert by_table(607, {"Header": header, "Episodes": shifted}, year) == {
            "Header": [0],
            "Episodes": [0],
        }


def test_611_mother_without_child_dob() -> None:
    rows = [
        {"CHILD": "1", "MOTHER": "1", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "2", "MOTHER": "1"},  # fails
        {"CHILD": "3", "MOTHER": "0"},
    ]
    assert s903(611, {"Header": rows}) == [1]


def test_612_child_dob_but_not_a_mother() -> None:
    rows = [
        {"CHILD": "1", "SEX": "F", "MOTHER": "0", "MC_DOB": D(2025, 1, 1)},  # fails
        {"CHILD": "2", "SEX": "F", "MC_DOB": D(2025, 1, 1)},  # fails: MOTHER blank
        {"CHILD": "3", "SEX": "F", "MOTHER": "1", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "4", "SEX": "F", "MOTHER": "0"},
        {"CHILD": "5", "SEX": "M", "MC_DOB": D(2025, 1, 1)},  # rule 174's
    ]
    for year in YEARS:
        assert s903(612, {"Header": rows}, year) == [0, 1]


def test_620_mother_under_11() -> None:
    rows = [
        {"CHILD": "1", "MOTHER": "1", "DOB": D(2014, 4, 2)},  # fails: 11 on 2 April 2025
        {"CHILD": "2", "MOTHER": "1", "DOB": D(2014, 4, 1)},
        {"CHILD": "3", "MOTHER": "0", "DOB": D(2020, 1, 1)},
    ]
    assert s903(620, {"Header": rows}) == [0]


def test_621_mother_younger_than_her_child() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2008, 1, 1), "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "2", "DOB": D(2008, 1, 1), "MC_DOB": D(2008, 1, 1)},  # fails
        {"CHILD": "3", "DOB": D(2008, 1, 1), "MC_DOB": D(2007, 1, 1)},  # fails
        {"CHILD": "4", "DOB": D(2008, 1, 1)},
    ]
    assert s903(621, {"Header": rows}) == [1, 2]


def test_624_child_dob_differs_from_last_year() -> None:
    rows = [
        {"CHILD": "1", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "2", "MC_DOB": D(2025, 1, 2)},  # fails
        {"CHILD": "3"},  # fails: blank now
        {"CHILD": "4", "MC_DOB": D(2025, 5, 1)},  # first recorded this year
    ]
    last = [
        {"CHILD": "1", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "2", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "3", "MC_DOB": D(2025, 1, 1)},
        {"CHILD": "4"},
    ]
    assert s903(624, {"Header": rows}, previous={"Header": last}) == [1, 2]


def test_625_child_dob_after_year_or_care_ended() -> None:
    header = [
        {"CHILD": "1", "MC_DOB": D(2026, 4, 1)},  # fails: after 31 March
        {"CHILD": "2", "MC_DOB": D(2025, 9, 1)},  # fails: after care ended
        {"CHILD": "3", "MC_DOB": D(2025, 9, 1)},  # still looked after
    ]
    eps = [
        {"CHILD": "2", "DECOM": D(2025, 4, 1), "DEC": D(2025, 8, 1), "REC": "E4A"},
        {"CHILD": "3", "DECOM": D(2025, 4, 1), "DEC": D(2025, 8, 1), "REC": "X1"},
        {"CHILD": "3", "DECOM": D(2025, 8, 1)},
    ]
    assert by_table(625, {"Header": header, "Episodes": eps}) == {"Header": [0, 1], "Episodes": [0]}


def test_626_became_a_mother_before_this_year() -> None:
    rows = [
        {"CHILD": "1", "MOTHER": "1", "MC_DOB": D(2025, 1, 4)},  # fails
        {"CHILD": "2", "MOTHER": "1", "MC_DOB": D(2025, 4, 1)},
        {"CHILD": "3", "MOTHER": "1", "MC_DOB": D(2025, 1, 4)},  # a mother last year too
    ]
    last = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": "0"}, {"CHILD": "3", "MOTHER": "1"}]
    assert s903(626, {"Header": rows}, previous={"Header": last}) == [0]


def test_628_care_leaver_not_looked_after_with_mother() -> None:
    header = [
        {"CHILD": "1", "MOTHER": "0"},  # fails
        {"CHILD": "2", "MOTHER": "1"},  # looked after this year
        {"CHILD": "3"},
        {"CHILD": "4", "MOTHER": "0"},  # no care leaver data
    ]
    oc3 = [
        {"CHILD": "1", "IN_TOUCH": "YES"},
        {"CHILD": "2", "IN_TOUCH": "YES"},
        {"CHILD": "3", "IN_TOUCH": "YES"},
        {"CHILD": "4"},
    ]
    eps = [{"CHILD": "2", "DECOM": D(2025, 5, 1)}]
    assert s903(628, {"Header": header, "OC3": oc3, "Episodes": eps}) == [0]


# --- Previous permanence (PrevPerm) -------------------------------------------------------------


def test_630_previous_permanence_needed() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "RNE": "S"},  # fails: no PrevPerm row
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "RNE": "S"},  # Z1
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "RNE": "S"},  # fails: P1 without LA_PERM
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "RNE": "S"},  # complete
        {"CHILD": "5", "DECOM": D(2025, 3, 1), "RNE": "S"},  # started last year
        {"CHILD": "6", "DECOM": D(2025, 5, 1), "RNE": "P"},
        {"CHILD": "7", "DECOM": D(2025, 5, 1), "RNE": "S"},  # fails: PREV_PERM blank
    ]
    perm = [
        {"CHILD": "2", "PREV_PERM": "Z1"},
        {"CHILD": "3", "PREV_PERM": "P1", "DATE_PERM": "01/05/2020"},
        {"CHILD": "4", "PREV_PERM": "P2", "LA_PERM": "352", "DATE_PERM": "ZZ/05/2020"},
        {"CHILD": "7"},
    ]
    assert s903(630, {"Episodes": eps, "PrevPerm": perm}) == [0, 2, 6]


def test_631_previous_permanence_code() -> None:
    rows = [
        {"CHILD": "1", "PREV_PERM": "P1"},
        {"CHILD": "2", "PREV_PERM": "P0"},  # fails
        {"CHILD": "3", "PREV_PERM": "p1"},  # fails
        {"CHILD": "4"},
        {"CHILD": "5", "PREV_PERM": "Z1"},
    ]
    assert s903(631, {"PrevPerm": rows}) == [1, 2]


def test_632_date_of_previous_permanence_order() -> None:
    eps = [{"CHILD": str(i), "DECOM": D(2025, 6, 1)} for i in range(1, 11)]
    perm = [
        {"CHILD": "1", "DATE_PERM": "01/05/2020"},
        {"CHILD": "2", "DATE_PERM": "xx/10/2011"},  # fails: not a date
        {"CHILD": "3", "DATE_PERM": "01/13/2020"},  # fails: no 13th month
        {"CHILD": "4", "DATE_PERM": "ZZ/05/2025"},  # May 2025, before 1 June: passes
        {"CHILD": "5", "DATE_PERM": "ZZ/06/2025"},  # fails: June 2025 is not before 1 June
        {"CHILD": "6", "DATE_PERM": "ZZ/ZZ/ZZZZ"},
        {"CHILD": "7", "DATE_PERM": "ZZ/ZZ/25"},  # fails: a two-digit year
        {"CHILD": "8", "DATE_PERM": "01/06/2025"},  # fails: the same day
        {"CHILD": "9"},
        {"CHILD": "10", "DATE_PERM": "31/ZZ/2020"},
    ]
    assert s903(632, {"Episodes": eps, "PrevPerm": perm}) == [1, 2, 4, 6, 7]


def test_632_lower_case_zz_read_as_unknown() -> None:
    # The DfE writes the unknown day or month as zz (lower case); either case is read the same.
    eps = [{"CHILD": str(i), "DECOM": D(2025, 6, 1)} for i in range(1, 7)]
    perm = [
        {"CHILD": "1", "DATE_PERM": "zz/05/2020"},
        {"CHILD": "2", "DATE_PERM": "zz/zz/2020"},
        {"CHILD": "3", "DATE_PERM": "ZZ/05/2020"},
        {"CHILD": "4", "DATE_PERM": "zz/06/2025"},  # fails: June 2025 is not before 1 June
        {"CHILD": "5", "DATE_PERM": "zz/zz/zzzz"},
        {"CHILD": "6", "DATE_PERM": "Zz/05/2020"},
    ]
    for year in YEARS:
        eps_y = [{**e, "DECOM": D(int(year[:4]), 6, 1)} for e in eps]
        perm_y = [
            {**p, "DATE_PERM": p["DATE_PERM"].replace("2025", year[:4])} if p["CHILD"] == "4" else p
            for p in perm
        ]
        assert s903(632, {"Episodes": eps_y, "PrevPerm": perm_y}, year) == [3]


def test_633_local_authority_of_previous_permanence() -> None:
    rows = [
        {"CHILD": "1", "LA_PERM": "352"},
        {"CHILD": "2", "LA_PERM": "SCO"},
        {"CHILD": "3", "LA_PERM": "458"},  # fails
        {"CHILD": "4"},
        {"CHILD": "5", "LA_PERM": "sco"},  # fails
    ]
    assert s903(633, {"PrevPerm": rows}) == [2, 4]


def test_634_previous_permanence_care_before_2016() -> None:
    eps = [
        {"CHILD": "1", "DECOM": D(2015, 10, 20)},
        {"CHILD": "2", "DECOM": D(2015, 10, 20)},
        {"CHILD": "2", "DECOM": D(2025, 5, 1)},
    ]
    perm = [
        {"CHILD": "1", "PREV_PERM": "Z1"},  # fails
        {"CHILD": "2", "PREV_PERM": "P1"},
        {"CHILD": "3", "PREV_PERM": "P1"},  # no episodes: not judged
        {"CHILD": "1"},  # nothing completed
    ]
    assert s903(634, {"Episodes": eps, "PrevPerm": perm}) == [0]


def test_635_z1_with_order_details() -> None:
    rows = [
        {"CHILD": "1", "PREV_PERM": "Z1"},
        {"CHILD": "2", "PREV_PERM": "Z1", "LA_PERM": "352"},  # fails
        {"CHILD": "3", "PREV_PERM": "Z1", "DATE_PERM": "01/05/2000"},  # fails
        {"CHILD": "4", "PREV_PERM": "P1", "LA_PERM": "352", "DATE_PERM": "01/05/2000"},
    ]
    assert s903(635, {"PrevPerm": rows}) == [1, 2]
