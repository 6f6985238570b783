"""Working days and statutory timescales: plain Python, no Django, for every part of Outstanding.

Public API (everything here is importable from `outstanding.timescales`):

Calendar
    `WorkingDayCalendar.england(closure_days=()) -> WorkingDayCalendar` (cached). On a calendar:
    `add_working_days(start: date, n: int) -> date`, `subtract_working_days(end: date, n: int) -> date`,
    `count_working_days(start: date, end: date) -> int` (working days after start, up to and including end),
    `is_working_day(day) -> bool`, `bank_holiday(day) -> str | None`, `skipped_days(start, end)`,
    `add_working_hours(start: datetime, hours: float | timedelta, opening: OpeningHours | None) -> datetime`,
    `count_working_hours(start: datetime, end: datetime, opening) -> timedelta`.
    `christmas_closure_days(first_year, last_year) -> frozenset[date]` for a council's closure setting.

Rules (data)
    `RULES: tuple[TimescaleRule, ...]`, one per row of timescales.md; `get_rule(name) -> TimescaleRule`;
    `Deadline(amount, Unit)`, `Unit`, `Scope`; `add_months(day, n)` (end of month handled).

Settings
    `CouncilTimescaleSettings(...)`: closure days, front-door opening hours, partner-information deadlines
    per rating, core group, CP and CIN visits, seen alone, care leaver contact, 'due soon' warnings; all
    defaulted.

Evaluation
    Input: `Case(child: str, events: Sequence[Event], born_on: date | None)`, with `Event(kind: str, on:
    date | datetime, key: str | None = None, facts: Mapping = {})` and kinds in `EventKind`.
    `evaluate_case(case, as_of: date | datetime, settings=DEFAULT_SETTINGS) -> list[Clock]`.
    `TimescaleEngine(settings, rules=RULES)`: `.evaluate(case, as_of) -> list[Clock]` and
    `.evaluate_many(cases, as_of) -> dict[str, list[Clock]]` for many children. `Clock`: rule, child, status
    (`Status`), started, due, met, ended, deadline, days_late, key, ...; `.explanation` ('Due 10 Mar 2025:
    45 working days after referral on 6 Jan 2025'), `.is_open`, `.working_days_late`, `.hours_late`.

Measures
    `evaluate_cases(cases, period: ReportingPeriod, settings=DEFAULT_SETTINGS) -> CohortResult` (clocks by
    child and the national measures), or `measure_all(cases, clocks, period) -> tuple[Measure, ...]`. A
    `Measure` has numerator, denominator, value (% or average days) and an explanation.

Bad input (end before start, unknown rule or event kind, negative n, a date outside 1990-2075) raises
ValueError with a message a data analyst can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .calendar import (
    OpeningHours,
    WorkingDayCalendar,
    christmas_closure_days,
    england_bank_holidays,
    format_date,
    format_datetime,
)
from .evaluate import Clock, EvaluationContext, Status, TimescaleEngine, engine_for, evaluate_case
from .events import EVENT_KINDS, EVENT_LABELS, Case, Event, EventKind
from .measures import Measure, ReportingPeriod, measure_all
from .rules import RULES, Deadline, Period, Scope, TimescaleRule, Unit, Variant, add_months, get_rule
from .settings import DEFAULT_SETTINGS, CouncilTimescaleSettings


@dataclass(frozen=True, slots=True)
class CohortResult:
    """Clocks for each child, and the national measures over all of them."""

    clocks: Mapping[str, Sequence[Clock]]
    measures: tuple[Measure, ...]


def evaluate_cases(
    cases: Iterable[Case], period: ReportingPeriod, settings: CouncilTimescaleSettings = DEFAULT_SETTINGS
) -> CohortResult:
    """Every clock for every child as of the period's end, and the national measures for the period."""
    cases = list(cases)
    clocks = engine_for(settings).evaluate_many(cases, period.end)
    return CohortResult(clocks, measure_all(cases, clocks, period))


__all__ = [
    "DEFAULT_SETTINGS",
    "EVENT_KINDS",
    "EVENT_LABELS",
    "RULES",
    "Case",
    "Clock",
    "CohortResult",
    "CouncilTimescaleSettings",
    "Deadline",
    "EvaluationContext",
    "Event",
    "EventKind",
    "Measure",
    "OpeningHours",
    "Period",
    "ReportingPeriod",
    "Scope",
    "Status",
    "TimescaleEngine",
    "TimescaleRule",
    "Unit",
    "Variant",
    "WorkingDayCalendar",
    "add_months",
    "christmas_closure_days",
    "engine_for",
    "england_bank_holidays",
    "evaluate_case",
    "evaluate_cases",
    "format_date",
    "format_datetime",
    "get_rule",
    "measure_all",
]
