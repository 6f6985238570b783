"""Working days for rules that count them: Monday to Friday, less England and Wales bank holidays.

A small seam over the ``holidays`` package (England subdivision), so the rules can move to the project's
working-day calendar in ``outstanding.timescales`` by changing only :func:`bank_holidays`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import polars as pl


@lru_cache(maxsize=8)
def bank_holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    """England and Wales bank holidays in the calendar years given (inclusive)."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(days))


def _holidays_for(start_year: int) -> list[dt.date]:
    # Rules look back over children's histories; fifty years back covers any date sent.
    return list(bank_holidays(start_year - 50, start_year + 5))


def working_days_between(start: pl.Expr, end: pl.Expr, collection_start_year: int) -> pl.Expr:
    """Working days from ``start`` to ``end``, not counting ``start`` (so the next working day is 1)."""
    # business_day_count counts [start, end); shifting both by a day counts (start, end].
    one = pl.duration(days=1)
    return pl.business_day_count(start + one, end + one, holidays=_holidays_for(collection_start_year))


def add_working_days(start: pl.Expr, days: int, collection_start_year: int) -> pl.Expr:
    """The date ``days`` working days after ``start``; a start on a non-working day rolls forward first."""
    return start.dt.add_business_days(days, holidays=_holidays_for(collection_start_year), roll="forward")
