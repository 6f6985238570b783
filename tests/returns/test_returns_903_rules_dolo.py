"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_dolo.py (the DoLO rules 700 to 710, 2026-27)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import SSDA903_TABLES
from outstanding.returns.testing import flagged, run
from outstanding.returns.testing import tables as typed_tables

D = dt.date
YEAR = "2026-27"


def s903(code: int | str, data: dict, previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, YEAR, previous)


def by_table(code: int | str, data: dict, previous: dict | None = None) -> dict[str, list[int]]:
    """Flagged rows (0-based indexes) of each table."""
    found = run("903", code, data, YEAR, previous)
    out: dict[str, list[int]] = {}
    for table, line in zip(found["table"].to_list(), found["row"].to_list(), strict=True):
        out.setdefault(table, []).append(line - 2)
    return {table: sorted(rows) for table, rows in out.items()}


def _raw_dolo(starts: list[str | None], ends: list[str | None]) -> pl.DataFrame:
    """A DoLO table typed from text, as the reader does (unreadable dates kept in the raw column)."""
    raw = pl.DataFrame(
        {
            "_line": list(range(2, len(starts) + 2)),
            "CHILD": [str(i) for i in range(len(starts))],
            "DOLO_START": starts,
            "DOLO_END": ends,
        },
        schema={"_line": pl.Int64, "CHILD": pl.String, "DOLO_START": pl.String, "DOLO_END": pl.String},
    )
    typed, _ = type_table(
        raw, SSDA903_TABLES["DoLO"], table="DoLO", child_column="CHILD", date_format="%d/%m/%Y"
    )
    return typed


def _rows_flagged(code: str, typed: pl.DataFrame) -> list[int]:
    ctx = Context("903", CollectionYear.parse(YEAR), {"DoLO": typed})
    chosen = [r for r in rules_for("903", ctx.year) if r.code == code]
    return sorted(line - 2 for line in run_rules(ctx, chosen).findings["row"].to_list())


@pytest.mark.parametrize("code", [str(c) for c in range(700, 711)])
def test_dolo_rules_are_2026_27_only(code: str) -> None:
    assert [r.code for r in rules_for("903", 2026) if r.code == code] == [code]
    assert not [r for r in rules_for("903", 2025) if r.code == code]


def test_700_dolo_start_not_a_valid_date() -> None:
    typed = _raw_dolo(["01/05/2026", "2026/05/01", None, "31/02/2026"], [None, None, "01/06/2026", None])
    assert _rows_flagged("700", typed) == [1, 2, 3]


def test_701_dolo_end_not_a_valid_date() -> None:
    typed = _raw_dolo(["01/05/2026"] * 4, ["01/06/2026", None, "2026-06-01", "32/06/2026"])
    assert _rows_flagged("701", typed) == [2, 3]


def test_702_dolo_ends_before_it_starts() -> None:
    rows = [
        {"CHILD": "1", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 6, 1)},
        {"CHILD": "2", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 4, 30)},  # fails
        {"CHILD": "3", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 5, 1)},  # same day: not before
        {"CHILD": "4", "DOLO_START": D(2026, 5, 1)},  # open
        {"CHILD": "5", "DOLO_END": D(2026, 5, 1)},  # no start: rule 700
    ]
    assert s903(702, {"DoLO": rows}) == [1]


def test_703_dolo_starts_after_the_collection_year() -> None:
    rows = [
        {"CHILD": "1", "DOLO_START": D(2027, 3, 31)},
        {"CHILD": "2", "DOLO_START": D(2027, 4, 1)},  # fails
        {"CHILD": "3", "DOLO_START": D(2025, 1, 1)},  # began years ago: fine
        {"CHILD": "4"},
    ]
    assert s903(703, {"DoLO": rows}) == [1]


def test_704_dolo_ends_outside_the_collection_year() -> None:
    rows = [
        {"CHILD": "1", "DOLO_START": D(2025, 1, 1), "DOLO_END": D(2026, 4, 1)},
        {"CHILD": "2", "DOLO_START": D(2025, 1, 1), "DOLO_END": D(2026, 3, 31)},  # fails: last year
        {"CHILD": "3", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2027, 3, 31)},
        {"CHILD": "4", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2027, 4, 1)},  # fails: next year
        {"CHILD": "5", "DOLO_START": D(2026, 5, 1)},  # open
    ]
    assert s903(704, {"DoLO": rows}) == [1, 3]


def test_705_dolo_starts_while_the_previous_is_open() -> None:
    rows = [
        # Child 1: consecutive orders, the second starting the day the first ended: fine.
        {"CHILD": "1", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 6, 1)},
        {"CHILD": "1", "DOLO_START": D(2026, 6, 1), "DOLO_END": D(2026, 7, 1)},
        # Child 2: the first is still open when the second starts: the second fails.
        {"CHILD": "2", "DOLO_START": D(2026, 5, 1)},
        {"CHILD": "2", "DOLO_START": D(2026, 6, 1), "DOLO_END": D(2026, 7, 1)},
        # Child 3, out of file order: the order of 1 May is still running on 10 May and 1 June.
        {"CHILD": "3", "DOLO_START": D(2026, 6, 1), "DOLO_END": D(2026, 6, 5)},  # fails
        {"CHILD": "3", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 7, 1)},
        {"CHILD": "3", "DOLO_START": D(2026, 5, 10), "DOLO_END": D(2026, 5, 20)},  # fails
        # Child 4: two orders from the same day: the second fails.
        {"CHILD": "4", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 5, 2)},
        {"CHILD": "4", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 5, 2)},
        # Child 5: one open order only.
        {"CHILD": "5", "DOLO_START": D(2026, 5, 1)},
    ]
    assert s903(705, {"DoLO": rows}) == [3, 4, 6, 8]


def test_706_open_dolo_last_year_not_carried_over() -> None:
    last = [
        {"CHILD": "1", "DOLO_START": D(2025, 5, 1)},  # open, carried over: fine
        {"CHILD": "2", "DOLO_START": D(2025, 5, 1)},  # open, this year's first starts later: fails
        {"CHILD": "3", "DOLO_START": D(2025, 5, 1)},  # open, no DoLO this year: header fails
        {"CHILD": "4", "DOLO_START": D(2025, 5, 1), "DOLO_END": D(2025, 9, 1)},  # ended: nothing needed
        {"CHILD": "5", "DOLO_START": D(2025, 5, 1)},  # an earlier open order, not the latest
        {"CHILD": "5", "DOLO_START": D(2025, 8, 1), "DOLO_END": D(2025, 9, 1)},
    ]
    now = [
        {"CHILD": "1", "DOLO_START": D(2025, 5, 1), "DOLO_END": D(2026, 6, 1)},
        {"CHILD": "1", "DOLO_START": D(2026, 8, 1)},
        {"CHILD": "2", "DOLO_START": D(2026, 6, 1)},
        {"CHILD": "2", "DOLO_START": D(2026, 8, 1)},
    ]
    header = [{"CHILD": c, "DOB": D(2012, 1, 1)} for c in ("1", "2", "3", "4", "5")]
    data = {"DoLO": now, "Header": header}
    assert by_table(706, data, {"DoLO": last}) == {"DoLO": [2], "Header": [2]}
    # Without last year's return there is nothing to compare.
    assert by_table(706, data) == {}


def test_707_ceased_to_be_looked_after_with_open_dolo() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2026, 5, 1), "DEC": D(2026, 9, 1), "REC": "X1"},
        {"CHILD": "1", "DECOM": D(2026, 9, 1), "DEC": D(2026, 12, 1), "REC": "E4A"},  # ceased
        {"CHILD": "2", "DECOM": D(2026, 5, 1), "DEC": D(2026, 9, 1), "REC": "E4A"},
        {"CHILD": "2", "DECOM": D(2026, 10, 1)},  # back in care and still looked after
        {"CHILD": "3", "DECOM": D(2026, 5, 1), "DEC": D(2026, 9, 1), "REC": "E4A"},  # ceased
    ]
    dolo = [
        {"CHILD": "1", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 8, 1)},  # ended: fine
        {"CHILD": "1", "DOLO_START": D(2026, 9, 1)},  # fails
        {"CHILD": "2", "DOLO_START": D(2026, 10, 1)},  # still looked after: fine
        {"CHILD": "3", "DOLO_START": D(2026, 5, 1)},  # fails
        {"CHILD": "4", "DOLO_START": D(2026, 5, 1)},  # no episode this year: fine
    ]
    assert s903(707, {"Episodes": episodes, "DoLO": dolo}) == [1, 3]


def test_708_dolo_before_date_of_birth() -> None:
    header = [{"CHILD": "4", "DOB": D(2012, 6, 1)}, {"CHILD": "5", "DOB": D(2012, 6, 1)}]
    dolo = [
        {"CHILD": "1", "DOB": D(2012, 6, 1), "DOLO_START": D(2026, 5, 1)},
        {"CHILD": "2", "DOB": D(2012, 6, 1), "DOLO_START": D(2012, 5, 1)},  # start before birth
        {"CHILD": "3", "DOB": D(2012, 6, 1), "DOLO_START": D(2012, 6, 1)},  # on the birth date: fine
        {"CHILD": "4", "DOLO_START": D(2011, 5, 1), "DOLO_END": D(2026, 5, 1)},  # header DOB: fails
        {"CHILD": "5", "DOLO_END": D(2011, 5, 1)},  # end before birth (header DOB): fails
        {"CHILD": "6", "DOLO_START": D(2011, 5, 1)},  # no DOB anywhere: nothing to compare
    ]
    assert s903(708, {"Header": header, "DoLO": dolo}) == [1, 3, 4]


def _episodes(place: str, other: str) -> list[dict]:
    return [
        {"CHILD": "1", "DECOM": D(2026, 4, 1), "DEC": D(2026, 5, 1), "PLACE": other},  # 0
        {"CHILD": "1", "DECOM": D(2026, 5, 1), "DEC": D(2026, 7, 1), "PLACE": place},  # 1
        {"CHILD": "1", "DECOM": D(2026, 7, 1), "PLACE": other},  # 2, open
        {"CHILD": "2", "DECOM": D(2026, 4, 1), "PLACE": place},  # 3, open
        {"CHILD": "3", "DECOM": D(2026, 4, 1), "DEC": D(2026, 6, 1), "PLACE": place},  # 4
    ]


_DOLO = [
    # Child 1: the order matches episode 1 exactly (the moves on 1 May and 1 July are not in it).
    {"CHILD": "1", "DOLO_START": D(2026, 5, 1), "DOLO_END": D(2026, 7, 1)},  # 0
    # Child 2: an open order, during an open episode: not judged (both dates must be present).
    {"CHILD": "2", "DOLO_START": D(2026, 6, 1)},  # 1
    # Child 3: an order after the episode ended.
    {"CHILD": "3", "DOLO_START": D(2026, 6, 1), "DOLO_END": D(2026, 8, 1)},  # 2
    # Child 1 again: a one-day order on the day of the move of 1 July (in episode 2 only).
    {"CHILD": "1", "DOLO_START": D(2026, 7, 1), "DOLO_END": D(2026, 7, 1)},  # 3
]


def test_709_dolo_in_unexpected_placement() -> None:
    # Expected placements: nothing is flagged.
    assert by_table(709, {"Episodes": _episodes("K2", "Z12"), "DoLO": _DOLO}) == {}
    # Episode 1 is a foster placement during order 0; episode 2 is during order 3. Episode 3 is during
    # order 1, which has no end date, so is not judged.
    found = by_table(709, {"Episodes": _episodes("U6", "Z13"), "DoLO": _DOLO})
    assert found == {"DoLO": [0], "Episodes": [1]}
    found = by_table(709, {"Episodes": _episodes("Z13", "R1"), "DoLO": _DOLO})
    assert found == {"DoLO": [3], "Episodes": [2]}


def test_710_dolo_in_barred_placement() -> None:
    assert by_table(710, {"Episodes": _episodes("K2", "U6"), "DoLO": _DOLO}) == {}
    for barred in ("K1", "K3", "P1", "R5"):
        found = by_table(710, {"Episodes": _episodes(barred, "Z12"), "DoLO": _DOLO})
        assert found == {"DoLO": [0], "Episodes": [1]}, barred
    found = by_table(710, {"Episodes": _episodes("Z12", "P1"), "DoLO": _DOLO})
    assert found == {"DoLO": [3], "Episodes": [2]}


def test_709_710_open_dolo_not_judged() -> None:
    # "If <DOLO_START> and <DOLO_END> are present": an order without an end date is not judged, nor one
    # whose end date cannot be read (rule 701's).
    episodes = [{"CHILD": "1", "DECOM": D(2026, 4, 1), "PLACE": "P1"}]
    dolo = [{"CHILD": "1", "DOLO_START": D(2026, 6, 1)}]
    assert by_table(709, {"Episodes": episodes, "DoLO": dolo}) == {}
    assert by_table(710, {"Episodes": episodes, "DoLO": dolo}) == {}
    dolo = [{"CHILD": "1", "DOLO_START": D(2026, 6, 1), "DOLO_END": D(2026, 9, 1)}]
    assert by_table(709, {"Episodes": episodes, "DoLO": dolo}) == {"DoLO": [0], "Episodes": [0]}
    assert by_table(710, {"Episodes": episodes, "DoLO": dolo}) == {"DoLO": [0], "Episodes": [0]}
    # An end date that cannot be read (CHILD "0" in the typed table) is rule 701's, not judged here.
    eps = typed_tables("903", {"Episodes": [{**episodes[0], "CHILD": "0"}]})["Episodes"]
    ctx = Context(
        "903",
        CollectionYear.parse(YEAR),
        {"DoLO": _raw_dolo(["01/06/2026"], ["31/13/2026"]), "Episodes": eps},
    )
    for code in ("709", "710"):
        chosen = [r for r in rules_for("903", ctx.year) if r.code == code]
        assert run_rules(ctx, chosen).findings.height == 0
