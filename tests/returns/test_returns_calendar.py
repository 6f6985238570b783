"""The rules' working-day expressions agree with the project's calendar (outstanding.timescales)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.returns.calendar import add_working_days, calendar, working_days_between

# Around Easter, Christmas, the 2022 state funeral and the 2023 coronation, starting on every weekday.
STARTS = (
    [dt.date(2022, 9, 14) + dt.timedelta(days=i) for i in range(10)]
    + [dt.date(2023, 5, 4) + dt.timedelta(days=i) for i in range(7)]
    + [dt.date(2025, 4, 15) + dt.timedelta(days=i) for i in range(10)]
    + [dt.date(2025, 12, 20) + dt.timedelta(days=i) for i in range(16)]
)


def test_add_working_days_matches_the_calendar() -> None:
    cal = calendar()
    frame = pl.DataFrame({"start": STARTS})
    for n in (0, 1, 3, 10, 15, 45):
        got = frame.select(add_working_days(pl.col("start"), n))["start"].to_list()
        assert got == [cal.add_working_days(d, n) for d in STARTS], n


def test_working_days_between_matches_the_calendar() -> None:
    cal = calendar()
    pairs = [(a, b) for a in STARTS[::3] for b in STARTS if b >= a]
    frame = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    got = frame.select(working_days_between(pl.col("a"), pl.col("b")))["a"].to_list()
    assert got == [cal.count_working_days(a, b) for a, b in pairs]
    # The state funeral (Monday 19 September 2022) is not a working day.
    assert cal.count_working_days(dt.date(2022, 9, 16), dt.date(2022, 9, 20)) == 1
