"""The working-day calendar for England and Wales, with a council's own closure days.

A working day is Monday to Friday, not a bank holiday in England and Wales (the `holidays` package, England
subdivision, which includes the one-off days such as the 2022 state funeral and the 2023 coronation) and not
a day the council has said its offices are closed.

Counting convention, used everywhere: the day a clock starts is day 0, so "1 working day after Friday 3 Jan"
is Monday 6 Jan; `count_working_days(start, end)` counts the working days after `start` up to and including
`end`. So `count_working_days(d, add_working_days(d, n)) == n` for every date and every n >= 0.

The calendar precomputes two lists over its range (1990 to 2075 by default), so adding or counting working
days is two list look-ups: fast enough to evaluate every clock for 100,000 children in well under two
seconds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_package

FIRST_YEAR = 1990
LAST_YEAR = 2075

_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MICROSECONDS_PER_HOUR = 3_600_000_000


def format_date(day: date) -> str:
    """'6 Jan 2025': the short form social workers read (no leading zero, no locale surprises)."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def format_datetime(moment: datetime) -> str:
    """'14:20 Mon 6 Jan 2025'."""
    return f"{moment:%H:%M} {_DAYS[moment.weekday()]} {format_date(moment)}"


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """The hours in which an hours-based clock runs (the front door's opening hours), on working days only."""

    opens: time = time(9, 0)
    closes: time = time(17, 0)

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError(
                f"Opening hours must open before they close; got opens {self.opens:%H:%M}, "
                f"closes {self.closes:%H:%M}."
            )

    @property
    def day_length(self) -> timedelta:
        """How long one working day is, e.g. 8 hours for 09:00-17:00."""
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)


def _microseconds_into_day(moment: datetime | time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def england_bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> dict[date, str]:
    """Bank holidays in England and Wales (substitute days included), by date, with their names."""
    found = holidays_package.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return {day: str(name) for day, name in found.items()}


def christmas_closure_days(first_year: int, last_year: int) -> frozenset[date]:
    """The weekdays between Christmas and New Year that are not bank holidays, for the years given.

    Many councils close their offices on these days; pass the result (or your own dates) as a council's
    `closure_days` setting.
    """
    if last_year < first_year:
        raise ValueError(f"last_year {last_year} is before first_year {first_year}.")
    bank = england_bank_holidays(first_year, last_year)
    days = set()
    for year in range(first_year, last_year + 1):
        for day_of_month in range(27, 32):
            day = date(year, 12, day_of_month)
            if day.weekday() < 5 and day not in bank:
                days.add(day)
    return frozenset(days)


class WorkingDayCalendar:
    """Working days for England and Wales, less any closure days a council adds.

    Build one with `WorkingDayCalendar.england(closure_days)`, which is cached, rather than calling the
    constructor directly; the constructor takes any bank holidays, which the tests use.
    """

    __slots__ = (
        "_bank_holidays",
        "_base",
        "_closure_days",
        "_count",
        "_first_year",
        "_is_working",
        "_last_year",
        "_non_working_weekdays",
        "_working",
    )

    def __init__(
        self,
        bank_holidays: Mapping[date, str],
        closure_days: Iterable[date] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        if last_year < first_year:
            raise ValueError(f"last_year {last_year} is before first_year {first_year}.")
        self._first_year = first_year
        self._last_year = last_year
        self._bank_holidays = dict(bank_holidays)
        self._closure_days = frozenset(closure_days)
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        off = {day.toordinal() for day in self._bank_holidays} | {
            day.toordinal() for day in self._closure_days
        }
        # Ordinal 1 (1 Jan of year 1) was a Monday, so (ordinal - 1) % 7 is the weekday, Monday = 0.
        is_working = bytearray(end - base + 1)
        count: list[int] = [0] * (end - base + 1)
        working: list[int] = []
        for ordinal in range(base, end + 1):
            if (ordinal - 1) % 7 < 5 and ordinal not in off:
                is_working[ordinal - base] = 1
                working.append(ordinal)
            count[ordinal - base] = len(working)
        self._base = base
        self._is_working = bytes(is_working)
        # _count[o - base] is how many working days fall on or before ordinal o; _working[k - 1] is the k-th.
        self._count = count
        self._working = working
        self._non_working_weekdays = sorted(o for o in off if base <= o <= end and (o - 1) % 7 < 5)

    @classmethod
    def england(cls, closure_days: Iterable[date] = ()) -> WorkingDayCalendar:
        """England and Wales bank holidays plus a council's closure days (cached per set of closure days)."""
        return _england(frozenset(closure_days))

    # --- looking days up
    # -------------------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return date(self._first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self._last_year, 12, 31)

    @property
    def closure_days(self) -> frozenset[date]:
        return self._closure_days

    def _index(self, day: date) -> int:
        index = day.toordinal() - self._base
        if index < 0 or index >= len(self._count):
            raise ValueError(
                f"{format_date(day)} is outside the working-day calendar, which covers "
                f"{self._first_year} to {self._last_year}."
            )
        return index

    def is_working_day(self, day: date) -> bool:
        return self._is_working[self._index(day)] == 1

    def bank_holiday(self, day: date) -> str | None:
        """The bank holiday's name, e.g. 'State Funeral of Queen Elizabeth II', or None."""
        return self._bank_holidays.get(day if type(day) is date else date(day.year, day.month, day.day))

    def is_closure_day(self, day: date) -> bool:
        return (day if type(day) is date else date(day.year, day.month, day.day)) in self._closure_days

    def skipped_days(self, start: date, end: date) -> tuple[list[date], list[date]]:
        """Weekdays after `start` up to and including `end` that were not working days.

        Returns (bank holidays, council closure days), each in date order: what an explanation says was
        skipped.
        """
        if end < start:
            raise ValueError(f"End {format_date(end)} is before start {format_date(start)}.")
        low = bisect_right(self._non_working_weekdays, start.toordinal())
        high = bisect_right(self._non_working_weekdays, end.toordinal())
        bank: list[date] = []
        closed: list[date] = []
        for ordinal in self._non_working_weekdays[low:high]:
            day = date.fromordinal(ordinal)
            (bank if day in self._bank_holidays else closed).append(day)
        return bank, closed

    # --- working days
    # ----------------------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is day 0, so n=0 gives `start` back)."""
        if n < 0:
            raise ValueError(
                f"Cannot add a negative number of working days ({n}); use subtract_working_days."
            )
        if n == 0:
            return start
        position = self._count[self._index(start)] + n - 1
        if position >= len(self._working):
            raise ValueError(
                f"{n} working days after {format_date(start)} is beyond the calendar's last year, "
                f"{self._last_year}."
            )
        return date.fromordinal(self._working[position])

    def subtract_working_days(self, end: date, n: int) -> date:
        """The n-th working day before `end` (n=0 gives `end` back)."""
        if n < 0:
            raise ValueError(
                f"Cannot subtract a negative number of working days ({n}); use add_working_days."
            )
        if n == 0:
            return end
        index = self._index(end)
        position = self._count[index] - self._is_working[index] - n
        if position < 0:
            raise ValueError(
                f"{n} working days before {format_date(end)} is before the calendar's first year, "
                f"{self._first_year}."
            )
        return date.fromordinal(self._working[position])

    def count_working_days(self, start: date, end: date) -> int:
        """Working days after `start`, up to and including `end` (0 when end == start)."""
        if end < start:
            raise ValueError(
                f"End {format_date(end)} is before start {format_date(start)}: "
                "cannot count working days backwards."
            )
        return self._count[self._index(end)] - self._count[self._index(start)]

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    # --- working hours within opening hours
    # ------------------------------------------------------------------

    def _working_microseconds(self, moment: datetime, opening: OpeningHours) -> int:
        """Working time from the calendar's start to `moment`, counting opening hours on working days only."""
        index = self._index(moment)
        day_length = _microseconds_into_day(opening.closes) - _microseconds_into_day(opening.opens)
        if not self._is_working[index]:
            return self._count[index] * day_length
        into_day = _microseconds_into_day(moment) - _microseconds_into_day(opening.opens)
        into_day = min(max(into_day, 0), day_length)
        return (self._count[index] - 1) * day_length + into_day

    def add_working_hours(
        self, start: datetime, hours: float | timedelta, opening: OpeningHours | None = None
    ) -> datetime:
        """The moment `hours` of opening time after `start` (09:00-17:00 on working days, unless `opening`).

        A clock started outside opening hours starts running at the next opening; a deadline that lands
        exactly on closing time stays on that day (17:00), not the next morning.
        """
        opening = opening or OpeningHours()
        amount = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if amount < timedelta(0):
            raise ValueError(f"Cannot add a negative number of working hours ({amount}).")
        if not isinstance(start, datetime):
            raise ValueError(
                f"Working hours need a date and a time; got the date {format_date(start)} alone."
            )
        if amount == timedelta(0):
            return start
        opens = _microseconds_into_day(opening.opens)
        return self._add_working_microseconds(
            start, amount // timedelta(microseconds=1), opens, _microseconds_into_day(opening.closes) - opens
        )

    def _add_working_microseconds(
        self, start: datetime, amount: int, opens: int, day_length: int
    ) -> datetime:
        """add_working_hours in whole microseconds, with opening as microseconds into the day."""
        index = start.toordinal() - self._base
        if index < 0 or index >= len(self._count):
            self._index(start)  # raises the explanation
        if self._is_working[index]:
            into_day = (
                ((start.hour * 60 + start.minute) * 60 + start.second) * 1_000_000 + start.microsecond - opens
            )
            into_day = 0 if into_day < 0 else day_length if into_day > day_length else into_day
            so_far = (self._count[index] - 1) * day_length + into_day
        else:
            so_far = self._count[index] * day_length
        whole_days, remainder = divmod(so_far + amount, day_length)
        if remainder == 0:
            position, offset = whole_days - 1, day_length
        else:
            position, offset = whole_days, remainder
        if position >= len(self._working):
            raise ValueError(
                f"{timedelta(microseconds=amount)} of working hours after {format_datetime(start)} is beyond "
                "the calendar's last year."
            )
        midnight = datetime.fromordinal(self._working[position])
        if start.tzinfo is not None:
            midnight = midnight.replace(tzinfo=start.tzinfo)
        return midnight + timedelta(microseconds=opens + offset)

    def count_working_hours(
        self, start: datetime, end: datetime, opening: OpeningHours | None = None
    ) -> timedelta:
        """Opening time between two moments, e.g. 5 hours from 16:00 Friday to 12:00 Monday (09:00-17:00)."""
        opening = opening or OpeningHours()
        if end < start:
            raise ValueError(
                f"End {format_datetime(end)} is before start {format_datetime(start)}: "
                "cannot count working hours backwards."
            )
        difference = self._working_microseconds(end, opening) - self._working_microseconds(start, opening)
        return timedelta(microseconds=difference)

    # --- used by the evaluator's hot path (ordinals, no checks beyond range)
    # ----------------------------------

    def _add_working_days_ordinal(self, ordinal: int, n: int) -> int:
        return self._working[self._count[ordinal - self._base] + n - 1]

    def _count_working_days_ordinal(self, start: int, end: int) -> int:
        return self._count[end - self._base] - self._count[start - self._base]


@lru_cache(maxsize=32)
def _england(closure_days: frozenset[date]) -> WorkingDayCalendar:
    return WorkingDayCalendar(england_bank_holidays(), closure_days)
