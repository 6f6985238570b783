"""Evaluating clocks: a child's dated events in, one `Clock` per timescale instance out.

For each rule, every start event (inside the rule's period, if it has one) starts a clock. The clock's due
date comes from the rule's deadline (the council's setting for local rules; a variant when its condition
holds). The first stop event on or after the start meets it; an event that makes it no longer apply (a plan
ending, say) ends it. Everything dated after `as_of` is treated as not yet happened, so the same case can be
evaluated as it stood on any day.

The hot path works on date ordinals (ints) and the calendar's precomputed lists, and builds explanations
only when asked for, so that 100,000 children evaluate in well under two seconds.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from .calendar import WorkingDayCalendar, format_date, format_datetime
from .events import EVENT_KINDS, Case, Event, EventKind, label
from .rules import RULES, RULES_BY_NAME, Deadline, Period, TimescaleRule, Unit, Variant, add_months
from .settings import DEFAULT_SETTINGS, CouncilTimescaleSettings


class Status(StrEnum):
    NOT_STARTED = "not started"
    DUE = "due"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    MET_IN_TIME = "met in time"
    MET_LATE = "met late"
    NOT_APPLICABLE = "not applicable"


OPEN_STATUSES = frozenset({Status.DUE, Status.DUE_SOON, Status.OVERDUE})


@dataclass(frozen=True, slots=True)
class EvaluationContext:
    """What every clock of one evaluation shares: the calendar, the settings and the 'as of' moment."""

    calendar: WorkingDayCalendar
    settings: CouncilTimescaleSettings
    as_of: date | datetime
    # The 'as of' moment for hours-based clocks: a date means the end of that day.
    as_of_moment: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of_moment", _moment(self.as_of))


class Clock(NamedTuple):
    """One timescale instance for one child: plain data, with its explanation worked out on demand.

    Dates are `date`s, or `datetime`s for the hours-based rules. `days_late` is in calendar days (for a
    clock that is overdue: up to `as_of`, or up to the day it stopped applying); `working_days_late` gives
    working days.
    """

    rule: TimescaleRule
    child: str
    status: Status
    started: date | None
    due: date | None
    met: date | None
    ended: date | None
    deadline: Deadline | None
    days_late: int | None
    key: str | None
    start_kind: str | None
    ended_kind: str | None
    variant: Variant | None
    fact: Any
    projected: bool
    context: EvaluationContext

    @property
    def is_open(self) -> bool:
        """Still waiting for its stop event (due, due soon or overdue, and not ended)."""
        return self.status in OPEN_STATUSES and self.ended is None

    @property
    def working_days_late(self) -> int | None:
        if self.days_late is None or self.due is None:
            return None
        until = self.met or self.ended or self.context.as_of
        return self.context.calendar.count_working_days(_day(self.due), _day(until))

    @property
    def hours_late(self) -> float | None:
        """For hours-based clocks: hours late (working hours if the deadline counts opening hours)."""
        if self.days_late is None or not isinstance(self.due, datetime):
            return None
        until = self.met or self.ended or _moment(self.context.as_of)
        assert isinstance(until, datetime)
        if self.deadline is not None and self.deadline.unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS):
            opening = self.context.settings.front_door_opening_hours
            return self.context.calendar.count_working_hours(self.due, until, opening) / timedelta(hours=1)
        return (until - self.due) / timedelta(hours=1)

    @property
    def explanation(self) -> str:
        """One line a social worker can read, e.g. 'Due 10 Mar 2025: 45 working days after referral on
        ...'."""
        return explain(self)


def _day(value: date) -> date:
    return value if type(value) is date else date(value.year, value.month, value.day)


def _moment(value: date) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.max)


# --- explanations
# ----------------------------------------------------------------------------------------------


def _when(value: date) -> str:
    return format_datetime(value) if isinstance(value, datetime) else format_date(value)


def _on_or_at(value: date) -> str:
    return f"at {format_datetime(value)}" if isinstance(value, datetime) else f"on {format_date(value)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def explain(clock: Clock) -> str:
    rule = clock.rule
    if clock.status is Status.NOT_STARTED:
        starts = " or ".join(label(kind) for kind in rule.starts_on)
        within = f" in this {rule.period.name}" if rule.period else ""
        return (
            f"Not started: starts at the {_ordinal(rule.first_occurrence)} {starts}{within}, not yet recorded"
        )
    assert clock.started is not None and clock.due is not None and clock.deadline is not None
    start_words = f"{label(clock.start_kind or rule.starts_on[0])} {_on_or_at(clock.started)}"
    since = f"{clock.deadline} after {start_words}"
    if clock.deadline.unit is Unit.VISITS:
        since = f"the {_ordinal(clock.deadline.amount)} visit after the {start_words}"
        if clock.projected:
            since += ", if visits keep to timescale"
    if clock.variant is not None:
        since += f" ({clock.deadline} because {clock.variant.when.describe()})"
    if clock.fact is not None:
        since += f" (rated {clock.fact})"
    since += _skipped(clock)
    due = f"{'about ' if clock.projected else ''}{_when(clock.due)}"
    late = _late_text(clock)
    match clock.status:
        case Status.DUE:
            return f"Due {due}: {since}"
        case Status.DUE_SOON:
            return f"Due soon, {due}: {since}"
        case Status.OVERDUE if clock.ended is not None:
            return (
                f"Not met: {label(clock.ended_kind or '')} {_on_or_at(clock.ended)}, {late} after it was due "
                f"on {due} ({since})"
            )
        case Status.OVERDUE:
            return f"Overdue by {late}: due {due}, {since}"
        case Status.MET_IN_TIME:
            return (
                f"Met in time: {label(rule.stops_on)} {_on_or_at(clock.met or clock.due)}; due {due}, {since}"
            )
        case Status.MET_LATE:
            met = _on_or_at(clock.met or clock.due)
            return f"Met {late} late: {label(rule.stops_on)} {met}; due {due}, {since}"
        case _:
            return (
                f"Not applicable: {label(clock.ended_kind or '')} {_on_or_at(clock.ended or clock.due)}, "
                f"before it was due on {due} ({since})"
            )


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _ordinal(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")


def _late_text(clock: Clock) -> str:
    if clock.days_late is None:
        return ""
    hours = clock.hours_late
    if hours is not None:
        working = "working " if clock.deadline and clock.deadline.unit is not Unit.HOURS else ""
        minutes = round(hours * 60)
        if minutes < 60:
            return f"{_plural(minutes, working + 'minute')}"
        return f"{round(hours, 1):g} {working}hour{'' if round(hours, 1) == 1 else 's'}"
    text = _plural(clock.days_late, "day")
    working = clock.working_days_late
    if working is not None and working != clock.days_late:
        text += f" ({_plural(working, 'working day')})"
    return text


def _skipped(clock: Clock) -> str:
    deadline = clock.deadline
    if deadline is None or clock.started is None or clock.due is None:
        return ""
    if deadline.unit not in (Unit.WORKING_DAYS, Unit.WORKING_HOURS):
        return ""
    if isinstance(clock.due, datetime):
        opening = clock.context.settings.front_door_opening_hours
        hours = f"; counting {opening.opens:%H:%M}-{opening.closes:%H:%M} on working days"
    else:
        hours = ""
    bank, closed = clock.context.calendar.skipped_days(_day(clock.started), _day(clock.due))
    parts = []
    if bank:
        parts.append(_plural(len(bank), "bank holiday") + " skipped")
    if closed:
        parts.append(_plural(len(closed), "council closure day") + " skipped")
    return hours + ("; " + " and ".join(parts) if parts else "")


# Enum members bound to module names: looking up Status.DUE on the class costs ~80ns, a global ~10ns, and the
# engine does it millions of times.
_NOT_STARTED, _DUE, _DUE_SOON, _OVERDUE = Status.NOT_STARTED, Status.DUE, Status.DUE_SOON, Status.OVERDUE
_MET_IN_TIME, _MET_LATE, _NOT_APPLICABLE = Status.MET_IN_TIME, Status.MET_LATE, Status.NOT_APPLICABLE
_UNIT_WORKING_DAYS, _UNIT_DAYS, _UNIT_WEEKS, _UNIT_MONTHS = (
    Unit.WORKING_DAYS,
    Unit.DAYS,
    Unit.WEEKS,
    Unit.MONTHS,
)
_UNIT_HOURS, _UNIT_WORKING_HOURS, _UNIT_VISITS = Unit.HOURS, Unit.WORKING_HOURS, Unit.VISITS
_by_date = attrgetter("on")
_by_start = itemgetter(3)  # a Clock's `started`


# --- the engine ------------------------------------------------------------------------------------------


class _CompiledRule:
    """A rule with the council's settings applied and its event look-ups worked out once."""

    __slots__ = (
        "amount",
        "days",
        "deadline",
        "deadline_by_fact",
        "extra_cancels",
        "first",
        "hot",
        "index",
        "last",
        "limited",
        "only_if",
        "period",
        "rule",
        "start_keys",
        "starts_include_period_start",
        "stop_key",
        "timed",
        "trigger_kinds",
        "unit",
        "variants",
        "visit_deadline",
        "visits",
    )

    def __init__(self, index: int, rule: TimescaleRule, settings: CouncilTimescaleSettings) -> None:
        self.index = index
        self.rule = rule
        deadline: Any = getattr(settings, rule.setting) if rule.setting else rule.deadline
        self.deadline_by_fact: Mapping[str, Deadline] | None = None
        if rule.deadline_by_fact is not None:
            self.deadline_by_fact = deadline
            deadline = rule.deadline
        if not isinstance(deadline, Deadline):
            raise ValueError(f"The setting {rule.setting!r} for rule {rule.name!r} is not a Deadline.")
        self.deadline: Deadline = deadline
        self.unit = deadline.unit
        self.amount = deadline.amount
        self.days = deadline.amount * 7 if deadline.unit is _UNIT_WEEKS else deadline.amount
        self.timed = rule.timed or deadline.is_timed
        self.visits = deadline.unit is _UNIT_VISITS
        fact = rule.stop_requires_fact

        def key(kind: str) -> Any:
            # Start and stop events of the stop kind are filtered by the fact (seen alone); others are not.
            return (kind, fact) if fact is not None and kind == rule.stops_on else kind

        self.start_keys = tuple(key(kind) for kind in rule.starts_on)
        self.stop_key = key(rule.stops_on)
        self.period = rule.period
        ends = rule.period.ends_on if rule.period else ()
        self.extra_cancels = tuple(kind for kind in rule.cancelled_by if kind not in ends)
        self.starts_include_period_start = rule.period is not None and rule.period.starts_on in rule.starts_on
        self.first = rule.first_occurrence
        self.last = rule.last_occurrence
        self.limited = rule.first_occurrence != 1 or rule.last_occurrence is not None
        self.only_if = rule.only_if
        self.variants = rule.variants
        self.visit_deadline: Deadline | None = None
        if rule.visit_rule is not None:
            visit_rule = RULES_BY_NAME.get(rule.visit_rule)
            if visit_rule is None:
                raise ValueError(f"Rule {rule.name!r} projects visits with unknown rule {rule.visit_rule!r}.")
            self.visit_deadline = (
                getattr(settings, visit_rule.setting) if visit_rule.setting else visit_rule.deadline
            )
        elif self.visits:
            raise ValueError(
                f"Rule {rule.name!r} counts visits, so it needs a visit_rule to project due dates."
            )
        if self.timed and rule.period is not None:
            raise ValueError(f"Rule {rule.name!r}: hours-based rules cannot have a period.")
        self.trigger_kinds = frozenset(rule.starts_on) | ({rule.period.starts_on} if rule.period else set())
        # What the day-based hot path needs, in one tuple: one unpacking beats a dozen attribute loads.
        self.hot = (
            rule,
            self.start_keys,
            self.stop_key,
            self.period,
            self.only_if,
            deadline,
            self.days if self.unit in (_UNIT_DAYS, _UNIT_WEEKS) else None,
            self.amount if self.unit is _UNIT_WORKING_DAYS else None,
            self.variants,
            self.extra_cancels,
            self.limited,
        )


class _CaseIndex:
    """One child's events grouped by kind, sorted, with their date ordinals worked out once."""

    __slots__ = ("as_of_ord", "born_on", "events", "ordinals", "periods")

    def __init__(self, case: Case, as_of_ord: int) -> None:
        grouped: dict[Any, list[Event]] = {}
        for event in case.events:
            found = grouped.get(event.kind)
            if found is None:
                grouped[event.kind] = [event]
            else:
                found.append(event)
        ordinals: dict[Any, list[int]] = {}
        not_yet: list[str] = []
        for kind, found in grouped.items():
            if kind not in EVENT_KINDS:
                raise ValueError(
                    f"Child {case.child}: unknown event kind {kind!r}; known kinds are: "
                    f"{', '.join(sorted(EVENT_KINDS))}."
                )
            if len(found) == 1:
                values = [found[0].on.toordinal()]
            else:
                try:
                    found.sort(key=_by_date)
                except TypeError:
                    raise ValueError(
                        f"Child {case.child}: {label(kind)} events mix dates and date-times; "
                        "use one or the other for each kind."
                    ) from None
                values = [event.on.toordinal() for event in found]
            if values[-1] > as_of_ord:  # some have not happened yet, as of the evaluation date
                cut = bisect_right(values, as_of_ord)
                if cut == 0:
                    not_yet.append(kind)
                    continue
                del found[cut:], values[cut:]
            ordinals[kind] = values
        for kind in not_yet:
            del grouped[kind]
        self.events = grouped
        self.ordinals = ordinals
        self.born_on = case.born_on
        self.as_of_ord = as_of_ord
        self.periods: dict[Period, tuple[list[int], list[int | None], list[str | None]]] = {}

    def get(self, key: Any) -> list[Event]:
        """Events for a kind, or for (kind, fact): those of the kind where the fact is true."""
        found = self.events.get(key)
        if found is None:
            if type(key) is not tuple:
                return _EMPTY
            kind, fact = key
            found = [event for event in self.events.get(kind, _EMPTY) if event.facts.get(fact)]
            self.events[key] = found
            self.ordinals[key] = [event.on.toordinal() for event in found]
        return found

    def period_bounds(self, period: Period) -> tuple[list[int], list[int | None], list[str | None]]:
        """Each period's start, the end that closed it (None while open) and that end's kind."""
        found = self.periods.get(period)
        if found is None:
            starts = self.ordinals.get(period.starts_on, _NO_ORDINALS)
            ends: list[int | None] = []
            end_kinds: list[str | None] = []
            for start in starts:
                end = end_kind = None
                for kind in period.ends_on:
                    values = self.ordinals.get(kind)
                    if values:
                        i = bisect_left(values, start)
                        if i < len(values) and (end is None or values[i] < end):
                            end, end_kind = values[i], kind
                ends.append(end)
                end_kinds.append(end_kind)
            found = (starts, ends, end_kinds)
            self.periods[period] = found
        return found


_EMPTY: list[Event] = []
_NO_ORDINALS: list[int] = []


class TimescaleEngine:
    """Evaluates clocks under one council's settings. Build once (or use `engine_for`), then evaluate."""

    def __init__(
        self,
        settings: CouncilTimescaleSettings = DEFAULT_SETTINGS,
        rules: Iterable[TimescaleRule] = RULES,
        calendar: WorkingDayCalendar | None = None,
    ) -> None:
        self.settings = settings
        self.calendar = calendar or WorkingDayCalendar.england(settings.closure_days)
        self.rules = tuple(rules)
        names = [rule.name for rule in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("Each timescale rule needs a unique name.")
        self._compiled = tuple(_CompiledRule(i, rule, settings) for i, rule in enumerate(self.rules))
        by_kind: dict[str, list[_CompiledRule]] = {}
        for compiled in self._compiled:
            for kind in compiled.trigger_kinds:
                by_kind.setdefault(kind, []).append(compiled)
        self._by_kind = {kind: tuple(found) for kind, found in by_kind.items()}
        self._opening = settings.front_door_opening_hours
        self._due_soon_delta = timedelta(hours=settings.due_soon_hours)
        self._day_length = self._opening.day_length
        self._opens_us = self._opening.opens.hour * 3_600_000_000 + self._opening.opens.minute * 60_000_000
        self._day_us = self._day_length // timedelta(microseconds=1)
        # Which rules a case with a given set of event kinds triggers, in rule order; few distinct sets occur.
        self._triggered: dict[frozenset[str], tuple[_CompiledRule, ...]] = {}
        self._base = self.calendar._base
        self._count = self.calendar._count
        self._working = self.calendar._working

    def evaluate(self, case: Case, as_of: date) -> list[Clock]:
        """Every clock for one child as it stood at the end of `as_of` (or at that moment, for a datetime)."""
        _check_as_of(as_of)
        return self._evaluate(case, as_of, EvaluationContext(self.calendar, self.settings, as_of))

    def evaluate_many(self, cases: Iterable[Case], as_of: date) -> dict[str, list[Clock]]:
        """Clocks for many children, keyed by child."""
        _check_as_of(as_of)
        context = EvaluationContext(self.calendar, self.settings, as_of)
        evaluate = self._evaluate
        # Clocks hold no reference cycles, so the cyclic garbage collector has nothing to find here; pausing
        # it stops it re-scanning the growing result over and over, which otherwise costs more than the work.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return {case.child: evaluate(case, as_of, context) for case in cases}
        finally:
            if collecting:
                gc.enable()

    def _evaluate(self, case: Case, as_of: date, context: EvaluationContext) -> list[Clock]:
        index = _CaseIndex(case, as_of.toordinal())
        kinds = frozenset(index.events)
        triggered = self._triggered.get(kinds)
        if triggered is None:
            found: set[_CompiledRule] = set()
            for kind in kinds:
                found.update(self._by_kind.get(kind, ()))
            triggered = self._triggered[kinds] = tuple(sorted(found, key=_rule_order))
        clocks: list[Clock] = []
        for compiled in triggered:
            if compiled.timed:
                self._timed_rule(compiled, index, case, context, clocks)
            elif compiled.visits:
                self._visits_rule(compiled, index, case, context, clocks)
            else:
                self._date_rule(compiled, index, case, context, clocks)
        return clocks

    def _deadline_for(
        self, compiled: _CompiledRule, index: _CaseIndex, case: Case, start_event: Event, start_ord: int
    ) -> tuple[Deadline, Variant | None, Any]:
        """The deadline for one clock: by the start event's fact, or the first variant that holds."""
        rule = compiled.rule
        if compiled.deadline_by_fact is not None:
            fact_value = start_event.facts.get(rule.deadline_by_fact or "")
            deadline = compiled.deadline_by_fact.get(fact_value)  # type: ignore[arg-type]
            if deadline is None:
                raise ValueError(
                    f"Child {case.child}: {label(start_event.kind)} has {rule.deadline_by_fact} "
                    f"{fact_value!r}, for which the council has no {rule.title.lower()} deadline "
                    f"(it has: {', '.join(map(str, compiled.deadline_by_fact))})."
                )
            return deadline, None, fact_value
        placements = index.ordinals.get(EventKind.PLACEMENT_STARTED)
        placement = None
        if placements:
            p = bisect_right(placements, start_ord) - 1
            placement = index.events[EventKind.PLACEMENT_STARTED][p] if p >= 0 else None
        start_day = _day(start_event.on)
        for variant in compiled.variants:
            if variant.when.holds(start_day, index.born_on, placement):
                return variant.deadline, variant, None
        return compiled.deadline, None, None

    def _due(self, start_ord: int, deadline: Deadline) -> int:
        unit = deadline.unit
        if unit is _UNIT_WORKING_DAYS:
            i = start_ord - self._base
            if i < 0 or i >= len(self._count):
                raise ValueError(_outside(self.calendar, start_ord))
            try:
                return self._working[self._count[i] + deadline.amount - 1]
            except IndexError:
                raise ValueError(_outside(self.calendar, start_ord)) from None
        if unit is _UNIT_DAYS:
            return start_ord + deadline.amount
        if unit is _UNIT_WEEKS:
            return start_ord + 7 * deadline.amount
        if unit is _UNIT_MONTHS:
            return _add_months_ordinal(start_ord, deadline.amount)
        raise ValueError(f"A deadline in {unit} cannot give a due date for a day-based clock.")

    def _status(
        self, due: int, met: int | None, ended: int | None, as_of_ord: int
    ) -> tuple[Status, int | None]:
        if met is not None:
            return (_MET_IN_TIME, None) if met <= due else (_MET_LATE, met - due)
        if ended is not None:
            return (_NOT_APPLICABLE, None) if ended <= due else (_OVERDUE, ended - due)
        if as_of_ord > due:
            return _OVERDUE, as_of_ord - due
        count = self._count
        base = self._base
        last = len(count) - 1
        remaining = count[min(due - base, last)] - count[min(as_of_ord - base, last)]
        return (_DUE_SOON if remaining <= self.settings.due_soon_working_days else _DUE), None

    # The hot path: day-based rules (everything except hours-based and visit-counted ones).
    def _date_rule(
        self,
        compiled: _CompiledRule,
        index: _CaseIndex,
        case: Case,
        context: EvaluationContext,
        clocks: list[Clock],
    ) -> None:
        (
            rule,
            start_keys,
            stop_key,
            period,
            only_if,
            fixed,
            fixed_due_days,
            working_days,
            variants,
            extra_cancels,
            limited,
        ) = compiled.hot
        events = index.events
        ordinals = index.ordinals
        as_of_ord = index.as_of_ord
        period_starts = period_ends = period_end_kinds = None
        needed: list[int] | None = None
        open_now = single_period = False
        if period is not None:
            period_starts, period_ends, period_end_kinds = index.period_bounds(period)
            if not period_starts:
                return  # no period, so nothing applies (start events outside a period are ignored)
            open_now = period_ends[-1] is None
            single_period = len(period_starts) == 1
            first_period_start = period_starts[0]
        if only_if is not None:
            needed = ordinals.get(only_if)
            if not needed:
                return
        started_in_open_period = False
        stop_events = events.get(stop_key) or index.get(stop_key)
        stop_ords = ordinals.get(stop_key, _NO_ORDINALS)
        stop_count = len(stop_ords)
        count = self._count
        working = self._working
        base = self._base
        child = case.child
        fromordinal = date.fromordinal
        days_count = len(count)
        append = clocks.append
        before = len(clocks)
        for key in start_keys:
            start_events = events.get(key) or index.get(key)
            if not start_events:
                continue
            start_ords = ordinals[key]
            same_stop = key == stop_key
            position = -1
            for start_ord, start_event in zip(start_ords, start_events, strict=True):
                position += 1
                ended = ended_kind = None
                if period_starts is not None:
                    if single_period:
                        if start_ord < first_period_start:
                            continue  # before the rule's period began
                        p = 0
                    else:
                        p = bisect_right(period_starts, start_ord) - 1
                        if p < 0:
                            continue
                    ended = period_ends[p]  # type: ignore[index]
                    if ended is not None and ended < start_ord:
                        continue  # after the period ended
                    if needed is not None or limited:
                        period_start = period_starts[p]
                        if needed is not None and needed[-1] < period_start:
                            continue
                        if limited:
                            occurrence = position + 1 - bisect_left(start_ords, period_start)
                            if occurrence < compiled.first or (
                                compiled.last is not None and occurrence > compiled.last
                            ):
                                continue
                    if ended is None:
                        started_in_open_period = True
                    else:
                        ended_kind = period_end_kinds[p]  # type: ignore[index]
                event_key = start_event.key
                for kind in extra_cancels:
                    values = ordinals.get(kind)
                    if values:
                        i = position + 1 if kind == key else bisect_left(values, start_ord)
                        if event_key is not None:
                            cancel_events = events[kind]
                            while i < len(values) and cancel_events[i].key not in (None, event_key):
                                i += 1
                        if i < len(values) and (ended is None or values[i] < ended):
                            ended, ended_kind = values[i], kind
                # The first stop event on or after the start (the next one, when the stop is the same kind).
                i = position + 1 if same_stop else bisect_left(stop_ords, start_ord)
                if event_key is not None:
                    while i < stop_count and stop_events[i].key not in (None, event_key):
                        i += 1
                met = stop_ords[i] if i < stop_count else None
                if met is not None and ended is not None:
                    if met <= ended:
                        ended = ended_kind = None  # met before (or on the day) it stopped applying
                    else:
                        met = None
                variant = None
                if variants:
                    deadline, variant, _ = self._deadline_for(compiled, index, case, start_event, start_ord)
                    due = self._due(start_ord, deadline)
                else:
                    deadline = fixed
                    if working_days is not None and 0 <= start_ord - base < days_count:
                        try:
                            due = working[count[start_ord - base] + working_days - 1]
                        except IndexError:
                            raise ValueError(_outside(self.calendar, start_ord)) from None
                    elif fixed_due_days is not None:
                        due = start_ord + fixed_due_days
                    else:
                        due = self._due(start_ord, deadline)
                # Status, inlined for the common cases.
                days_late = None
                if met is not None:
                    if met <= due:
                        status = _MET_IN_TIME
                    else:
                        status = _MET_LATE
                        days_late = met - due
                elif ended is not None:
                    if ended <= due:
                        status = _NOT_APPLICABLE
                    else:
                        status = _OVERDUE
                        days_late = ended - due
                elif as_of_ord > due:
                    status = _OVERDUE
                    days_late = as_of_ord - due
                else:
                    status, days_late = self._status(due, None, None, as_of_ord)
                # tuple.__new__ directly: the NamedTuple's own __new__ adds a Python call per clock.
                append(
                    _new_clock(
                        Clock,
                        (
                            rule,
                            child,
                            status,
                            start_event.on,
                            fromordinal(due),
                            None if met is None else stop_events[i].on,
                            None if ended is None else fromordinal(ended),
                            deadline,
                            days_late,
                            event_key,
                            start_event.kind,
                            ended_kind,
                            variant,
                            None,
                            False,
                            context,
                        ),
                    )
                )
        if len(start_keys) > 1 and len(clocks) - before > 1:
            clocks[before:] = sorted(clocks[before:], key=_by_start)
        if open_now and not started_in_open_period and not compiled.starts_include_period_start:
            clocks.append(_not_started(compiled, case, context))

    def _visits_rule(
        self,
        compiled: _CompiledRule,
        index: _CaseIndex,
        case: Case,
        context: EvaluationContext,
        clocks: list[Clock],
    ) -> None:
        """'Seen alone at least every other visit': due at the n-th visit after the start (or the last time
        seen alone), met by the first visit that saw the child alone; projected while visits are to come."""
        rule = compiled.rule
        period = compiled.period
        if period is None:
            raise ValueError(f"Rule {rule.name!r} counts visits, so it needs a period.")
        period_starts, period_ends, period_end_kinds = index.period_bounds(period)
        if not period_starts:
            return
        visit_kind = rule.stops_on
        visits = index.ordinals.get(visit_kind, _NO_ORDINALS)
        visit_events = index.get(visit_kind)
        stop_ords = (
            index.ordinals.get(compiled.stop_key, _NO_ORDINALS) if index.get(compiled.stop_key) else []
        )
        stop_events = index.get(compiled.stop_key)
        step = compiled.visit_deadline or Deadline(1, _UNIT_DAYS)
        before = len(clocks)
        for key in compiled.start_keys:
            start_events = index.get(key)
            if not start_events:
                continue
            start_ords = index.ordinals[key]
            for position, start_ord in enumerate(start_ords):
                start_event = start_events[position]
                p = bisect_right(period_starts, start_ord) - 1
                if p < 0:
                    continue
                ended, ended_kind = period_ends[p], period_end_kinds[p]
                if ended is not None and ended < start_ord:
                    continue
                first = bisect_left(visits, start_ord)
                if start_event.kind == visit_kind:
                    while visit_events[first] is not start_event:
                        first += 1
                    first += 1
                i = position + 1 if key == compiled.stop_key else bisect_left(stop_ords, start_ord)
                met = stop_ords[i] if i < len(stop_ords) else None
                if met is not None and ended is not None:
                    if met <= ended:
                        ended = ended_kind = None
                    else:
                        met = None
                nth = first + compiled.amount - 1
                # Visits after the period ended do not count towards this clock.
                if nth < len(visits) and (ended is None or visits[nth] <= ended):
                    due, projected = visits[nth], False
                else:
                    counted = bisect_right(visits, ended) if ended is not None else len(visits)
                    due = visits[counted - 1] if counted > first else start_ord
                    for _ in range(nth - counted + 1):
                        due = self._due(due, step)
                    projected = met is None or met > due
                status, days_late = self._status(due, met, ended, index.as_of_ord)
                clocks.append(
                    Clock(
                        rule,
                        case.child,
                        status,
                        start_event.on,
                        date.fromordinal(due),
                        None if met is None else stop_events[i].on,
                        None if ended is None else date.fromordinal(ended),
                        compiled.deadline,
                        days_late,
                        start_event.key,
                        start_event.kind,
                        ended_kind,
                        None,
                        None,
                        projected,
                        context,
                    )
                )
        if len(clocks) - before > 1:
            clocks[before:] = sorted(clocks[before:], key=_by_start)

    def _timed_rule(
        self,
        compiled: _CompiledRule,
        index: _CaseIndex,
        case: Case,
        context: EvaluationContext,
        clocks: list[Clock],
    ) -> None:
        """Hours-based clocks (front door, return home interviews): date-times throughout."""
        rule = compiled.rule
        as_of_moment = context.as_of_moment
        stop_events = self._happened(compiled, index, case, compiled.stop_key, as_of_moment)
        stop_moments = [event.on for event in stop_events]
        cancels = (
            [
                (kind, self._happened(compiled, index, case, kind, as_of_moment))
                for kind in compiled.extra_cancels
            ]
            if compiled.extra_cancels
            else ()
        )
        for key in compiled.start_keys:
            for start_event in self._happened(compiled, index, case, key, as_of_moment):
                start: datetime = start_event.on  # type: ignore[assignment]
                event_key = start_event.key
                i = bisect_left(stop_moments, start)
                if event_key is not None:
                    while i < len(stop_events) and stop_events[i].key not in (None, event_key):
                        i += 1
                met = stop_moments[i] if i < len(stop_moments) else None
                ended = ended_kind = None
                for kind, events in cancels:
                    for event in events:
                        if event.on >= start and event.key in (None, event_key):
                            if ended is None or event.on < ended:
                                ended, ended_kind = event.on, kind
                            break
                if met is not None and ended is not None:
                    if met <= ended:
                        ended = ended_kind = None
                    else:
                        met = None
                by_fact = compiled.deadline_by_fact
                if by_fact is not None:
                    fact_value = start_event.facts.get(rule.deadline_by_fact)  # type: ignore[arg-type]
                    deadline = by_fact.get(fact_value)  # type: ignore[arg-type]
                    if deadline is None:
                        deadline, _, fact_value = self._deadline_for(compiled, index, case, start_event, 0)
                else:
                    deadline, fact_value = compiled.deadline, None
                unit = deadline.unit
                if unit is _UNIT_HOURS:
                    due = start + timedelta(hours=deadline.amount)
                elif unit is _UNIT_WORKING_HOURS or unit is _UNIT_WORKING_DAYS:
                    # A working day at the front door is one day's opening hours.
                    amount = deadline.amount * (self._day_us if unit is _UNIT_WORKING_DAYS else 3_600_000_000)
                    due = self.calendar._add_working_microseconds(start, amount, self._opens_us, self._day_us)
                else:
                    due = self._due_moment(start, deadline)
                days_late = None
                if met is not None:
                    status = _MET_IN_TIME if met <= due else _MET_LATE
                    days_late = None if met <= due else met.toordinal() - due.toordinal()
                elif ended is not None:
                    status = _NOT_APPLICABLE if ended <= due else _OVERDUE
                    days_late = None if ended <= due else ended.toordinal() - due.toordinal()
                elif as_of_moment > due:
                    status, days_late = _OVERDUE, as_of_moment.toordinal() - due.toordinal()
                elif due - as_of_moment <= self._due_soon_delta:
                    status = _DUE_SOON
                else:
                    status = _DUE
                clocks.append(
                    _new_clock(
                        Clock,
                        (
                            rule,
                            case.child,
                            status,
                            start,
                            due,
                            met,
                            ended,
                            deadline,
                            days_late,
                            event_key,
                            start_event.kind,
                            ended_kind,
                            None,
                            fact_value,
                            False,
                            context,
                        ),
                    )
                )

    @staticmethod
    def _happened(
        compiled: _CompiledRule, index: _CaseIndex, case: Case, key: Any, as_of_moment: datetime
    ) -> list[Event]:
        found = index.events.get(key)
        if not found:
            return _EMPTY
        for event in found:
            if type(event.on) is not datetime:
                raise ValueError(
                    f"Child {case.child}: {label(event.kind)} needs a date and time for the "
                    f"{compiled.rule.title.lower()} clock, not just a date."
                )
        if found[-1].on <= as_of_moment:  # type: ignore[operator]
            return found
        return [event for event in found if event.on <= as_of_moment]  # type: ignore[operator]

    def _due_moment(self, start: datetime, deadline: Deadline) -> datetime:
        unit = deadline.unit
        if unit is _UNIT_HOURS:
            return start + timedelta(hours=deadline.amount)
        if unit is _UNIT_WORKING_HOURS:
            return self.calendar.add_working_hours(start, timedelta(hours=deadline.amount), self._opening)
        if unit is _UNIT_WORKING_DAYS:
            # A working day at the front door is one day's opening hours.
            return self.calendar.add_working_hours(start, self._day_length * deadline.amount, self._opening)
        if unit is _UNIT_MONTHS:
            return add_months(start, deadline.amount)
        if unit in (_UNIT_DAYS, _UNIT_WEEKS):
            return start + timedelta(days=deadline.amount * (7 if unit is _UNIT_WEEKS else 1))
        raise ValueError(f"A deadline in {unit} cannot give a due time.")


def _not_started(compiled: _CompiledRule, case: Case, context: EvaluationContext) -> Clock:
    return Clock(
        compiled.rule,
        case.child,
        _NOT_STARTED,
        None,
        None,
        None,
        None,
        compiled.deadline,
        None,
        None,
        None,
        None,
        None,
        None,
        False,
        context,
    )


_new_clock = tuple.__new__


def _check_as_of(as_of: object) -> None:
    if not isinstance(as_of, date):
        raise ValueError(f"as_of must be a date or a datetime, not {type(as_of).__name__}.")


def _rule_order(compiled: _CompiledRule) -> int:
    return compiled.index


def _outside(calendar: WorkingDayCalendar, ordinal: int) -> str:
    return (
        f"{format_date(date.fromordinal(ordinal))} is too near the edge of the working-day calendar "
        f"({format_date(calendar.first_day)} to {format_date(calendar.last_day)}) to count working days from."
    )


def _add_months_ordinal(ordinal: int, months: int) -> int:
    return add_months(date.fromordinal(ordinal), months).toordinal()


@lru_cache(maxsize=16)
def _cached_engine(settings: CouncilTimescaleSettings) -> TimescaleEngine:
    return TimescaleEngine(settings)


def engine_for(settings: CouncilTimescaleSettings = DEFAULT_SETTINGS) -> TimescaleEngine:
    """A cached engine for these settings with every rule in `RULES`."""
    try:
        return _cached_engine(settings)
    except TypeError:  # settings holding something unhashable: build one, uncached
        return TimescaleEngine(settings)


def evaluate_case(
    case: Case, as_of: date, settings: CouncilTimescaleSettings = DEFAULT_SETTINGS
) -> list[Clock]:
    """Every clock for one child, as of a date (or a moment), under a council's settings."""
    return engine_for(settings).evaluate(case, as_of)
