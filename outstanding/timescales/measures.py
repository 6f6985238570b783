"""The national measures Ofsted and the DfE read from timescales, over many children, numerator and
denominator shown.

Clock-based measures (assessments within 45 working days, conferences within 15, adoption A1 and A2) count
the clocks the evaluator produced; the others (re-referrals, repeat plans, placement stability, care
leavers) read the same case events. Every measure is for a reporting period, e.g. 1 Apr 2024 to 31 Mar 2025.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .calendar import format_date
from .evaluate import Clock, Status
from .events import Case, Event, EventKind

K = EventKind
_MET = (Status.MET_IN_TIME, Status.MET_LATE)


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """From `start` to `end`, both included (e.g. a DfE collection year, 1 April to 31 March)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"The reporting period ends ({format_date(self.end)}) before it starts "
                f"({format_date(self.start)})."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= _as_date(day) <= self.end

    def __str__(self) -> str:
        return f"{format_date(self.start)} to {format_date(self.end)}"


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure: `value` is numerator / denominator as a percentage (unit '%') or average ('days')."""

    name: str
    title: str
    numerator: int
    denominator: int
    unit: str
    period: ReportingPeriod
    counted: str  # what the denominator counts, in words

    @property
    def value(self) -> float | None:
        if self.denominator == 0:
            return None
        ratio = self.numerator / self.denominator
        return round(100 * ratio, 1) if self.unit == "%" else round(ratio, 1)

    @property
    def explanation(self) -> str:
        if self.value is None:
            return f"{self.title}: no {self.counted} in {self.period}"
        if self.unit == "%":
            return (
                f"{self.title}: {self.numerator:,} of {self.denominator:,} {self.counted} in {self.period} "
                f"({self.value:g}%)"
            )
        return (
            f"{self.title}: {self.value:g} days on average ({self.numerator:,} days over "
            f"{self.denominator:,} {self.counted} in {self.period})"
        )


def _as_date(day: date) -> date:
    return day if type(day) is date else date(day.year, day.month, day.day)


def months_before(day: date, months: int) -> date:
    """Calendar months earlier, with the end of a shorter month used when the day is missing."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def _dates(events: Iterable[Event], kind: str) -> list[date]:
    return sorted(_as_date(event.on) for event in events if event.kind == kind)


def _clock_measure(
    name: str,
    title: str,
    rule_name: str,
    clocks: Mapping[str, Sequence[Clock]],
    period: ReportingPeriod,
    counted: str,
) -> Measure:
    numerator = denominator = 0
    for found in clocks.values():
        for clock in found:
            if clock.rule.name == rule_name and clock.status in _MET and clock.met in period:
                denominator += 1
                numerator += clock.status is Status.MET_IN_TIME
    return Measure(name, title, numerator, denominator, "%", period, counted)


def _average_measure(
    name: str,
    title: str,
    rule_name: str,
    clocks: Mapping[str, Sequence[Clock]],
    period: ReportingPeriod,
    counted: str,
) -> Measure:
    days = children = 0
    for found in clocks.values():
        for clock in found:
            if clock.rule.name == rule_name and clock.status in _MET and clock.met in period:
                assert clock.met is not None and clock.started is not None
                days += (_as_date(clock.met) - _as_date(clock.started)).days
                children += 1
    return Measure(name, title, days, children, "days", period, counted)


def measure_all(
    cases: Iterable[Case], clocks: Mapping[str, Sequence[Clock]], period: ReportingPeriod
) -> tuple[Measure, ...]:
    """Every national measure for the period, from the cases and the clocks `evaluate_many` gave for them.

    Evaluate the clocks as of the period's end (or later: clocks met after the period are not counted).
    """
    re_referrals = referrals = 0
    repeat_plans = plans_started = 0
    long_plans = plans_ended = 0
    many_placements = looked_after = 0
    stable = long_stayers = 0
    in_touch = suitable = eet = care_leavers = 0
    start, end = period.start, period.end
    for case in cases:
        events = [event for event in case.events if _as_date(event.on) <= end]
        kinds = {event.kind for event in events}

        if K.REFERRAL in kinds:
            dates = _dates(events, K.REFERRAL)
            for i, day in enumerate(dates):
                if start <= day <= end:
                    referrals += 1
                    re_referrals += i > 0 and dates[i - 1] >= months_before(day, 12)

        if K.CP_PLAN_STARTED in kinds:
            plan_starts = _dates(events, K.CP_PLAN_STARTED)
            for i, day in enumerate(plan_starts):
                if start <= day <= end:
                    plans_started += 1
                    repeat_plans += i > 0
            for day in _dates(events, K.CP_PLAN_ENDED):
                if start <= day <= end:
                    plans_ended += 1
                    p = bisect_right(plan_starts, day) - 1
                    long_plans += p >= 0 and plan_starts[p] <= months_before(day, 24)

        if K.BECAME_LOOKED_AFTER in kinds:
            entered = _dates(events, K.BECAME_LOOKED_AFTER)[-1]
            ceased = _dates(events, K.CEASED_LOOKED_AFTER)
            if not ceased or ceased[-1] < entered:  # looked after at the period's end
                looked_after += 1
                placements = _dates(events, K.PLACEMENT_STARTED)
                during = sum(1 for day in placements if start <= day <= end)
                before = [day for day in placements if day < start]
                if before and not any(before[-1] <= day < start for day in ceased):
                    during += 1  # the placement the child was already in when the period began
                many_placements += during >= 3
                under_16 = case.born_on is not None and end < months_before(case.born_on, -16 * 12)
                if under_16 and entered <= months_before(end, 30):
                    long_stayers += 1
                    stable += bool(placements) and placements[-1] <= months_before(end, 24)

        if K.CARE_LEAVER_STATUS in kinds:
            statuses = [
                event for event in events if event.kind == K.CARE_LEAVER_STATUS and event.on in period
            ]
            if statuses:
                latest = max(statuses, key=lambda event: event.on)
                care_leavers += 1
                in_touch += bool(latest.facts.get("in_touch"))
                suitable += bool(latest.facts.get("accommodation_suitable"))
                eet += bool(latest.facts.get("in_education_employment_training"))

    return (
        _clock_measure(
            "assessments_within_45_working_days",
            "Assessments within 45 working days",
            "assessment",
            clocks,
            period,
            "assessments authorised",
        ),
        _clock_measure(
            "icpcs_within_15_working_days",
            "Initial conferences within 15 working days of the strategy discussion",
            "initial_cp_conference",
            clocks,
            period,
            "initial conferences held",
        ),
        Measure(
            "re_referrals_within_12_months",
            "Re-referrals within 12 months",
            re_referrals,
            referrals,
            "%",
            period,
            "referrals",
        ),
        Measure(
            "repeat_cp_plans",
            "Child protection plans that are a second or later plan",
            repeat_plans,
            plans_started,
            "%",
            period,
            "plans started",
        ),
        Measure(
            "cp_plans_lasting_2_years",
            "Child protection plans lasting 2 years or more",
            long_plans,
            plans_ended,
            "%",
            period,
            "plans ended",
        ),
        Measure(
            "cic_3_or_more_placements",
            "Children in care with 3 or more placements in the year",
            many_placements,
            looked_after,
            "%",
            period,
            "children looked after at the end of the period",
        ),
        Measure(
            "cic_placement_stability",
            "Children in care 2.5 years or more, in the same placement for 2 years",
            stable,
            long_stayers,
            "%",
            period,
            "children under 16 looked after for 2.5 years or more",
        ),
        Measure(
            "care_leavers_in_touch",
            "Care leavers in touch",
            in_touch,
            care_leavers,
            "%",
            period,
            "care leavers with a status recorded",
        ),
        Measure(
            "care_leavers_suitable_accommodation",
            "Care leavers in suitable accommodation",
            suitable,
            care_leavers,
            "%",
            period,
            "care leavers with a status recorded",
        ),
        Measure(
            "care_leavers_in_education_employment_training",
            "Care leavers in education, employment or training",
            eet,
            care_leavers,
            "%",
            period,
            "care leavers with a status recorded",
        ),
        _average_measure(
            "adoption_a1_average_days",
            "Adoption A1: average days from entering care to moving in with adopters",
            "adoption_a1",
            clocks,
            period,
            "children who moved in with adopters",
        ),
        _average_measure(
            "adoption_a2_average_days",
            "Adoption A2: average days from placement order to match with adopters",
            "adoption_a2",
            clocks,
            period,
            "children matched with adopters",
        ),
    )
