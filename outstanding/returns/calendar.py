"""Working days for rules that count them, as polars expressions over the project's calendar.

The calendar is :mod:`outstanding.timescales` (England and Wales bank holidays, 1990 to 2075, one-off days
such as the 2022 state funeral included). Its convention holds here too: the start day is day 0, so one
working day after a Friday, or after a Saturday, is the Monday. DfE rules count bank holidays only, never a
council's own closure days, so no closure days are passed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from outstanding.timescales import WorkingDayCalendar, england_bank_holidays


@lru_cache(maxsize=1)
def bank_holidays() -> tuple[dt.date, ...]:
    """Every bank holiday the project's calendar knows, in date order."""
    return tuple(sorted(england_bank_holidays()))


def calendar() -> WorkingDayCalendar:
    """The project's calendar, for checking a date in Python (tests, explanations)."""
    return WorkingDayCalendar.england()


def working_days_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Working days after ``start`` up to and including ``end`` (``count_working_days``); negative if end is
    before start."""
    # business_day_count counts [start, end); shifting both by a day counts (start, end].
    one = pl.duration(days=1)
    return pl.business_day_count(start + one, end + one, holidays=list(bank_holidays()))


def add_working_days(start: pl.Expr, days: int) -> pl.Expr:
    """The ``days``-th working day after ``start`` (``add_working_days``); ``start`` itself when 0."""
    if days == 0:
        return start
    # Rolling a non-working start back to the working day before it, then adding, gives the n-th working
    # day strictly after the start, as the calendar does.
    return start.dt.add_business_days(days, holidays=list(bank_holidays()), roll="backward")
