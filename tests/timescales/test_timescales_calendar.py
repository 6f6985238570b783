"""The working-day calendar: known dates pinned, and properties checked against a day-by-day reference."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outstanding.timescales import OpeningHours, WorkingDayCalendar, christmas_closure_days

CALENDAR = WorkingDayCalendar.england()
# The reference is built straight from the holidays package, not from the calendar under test.
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2009, 2038))
dates = st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def reference_is_working(day: date, closures: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS and day not in closures


def reference_add(start: date, n: int, closures: frozenset[date] = frozenset()) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if reference_is_working(day, closures):
            n -= 1
    return day


def reference_count(start: date, end: date) -> int:
    return sum(reference_is_working(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


# --- known cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (date(2022, 9, 16), 1, date(2022, 9, 20), "Fri before the state funeral on Mon 19 Sep 2022"),
        (date(2023, 5, 5), 1, date(2023, 5, 9), "Fri before the coronation bank holiday on Mon 8 May 2023"),
        (date(2023, 5, 2), 5, date(2023, 5, 10), "a working week containing the coronation"),
        (date(2025, 4, 17), 1, date(2025, 4, 22), "Maundy Thursday to the Tuesday after Easter Monday"),
        (date(2024, 3, 28), 2, date(2024, 4, 3), "across Good Friday and Easter Monday 2024"),
        (date(2024, 12, 24), 1, date(2024, 12, 27), "Christmas Eve: Christmas Day and Boxing Day skipped"),
        (date(2020, 12, 24), 1, date(2020, 12, 29), "Boxing Day 2020 was a Saturday: substitute Mon 28 Dec"),
        (date(2022, 12, 23), 1, date(2022, 12, 28), "Christmas 2022 on a Sunday: substitute days 26 and 27"),
        (date(2025, 1, 6), 45, date(2025, 3, 10), "an assessment started on 6 Jan 2025 with no holidays"),
        (date(2025, 4, 1), 45, date(2025, 6, 9), "an assessment across Easter and both May bank holidays"),
        (date(2024, 11, 29), 15, date(2024, 12, 20), "an initial conference 15 working days later"),
        (date(2024, 12, 11), 15, date(2025, 1, 6), "an initial conference across Christmas and New Year"),
        (date(2022, 6, 1), 1, date(2022, 6, 6), "the Platinum Jubilee's two bank holidays"),
        (date(2025, 1, 4), 1, date(2025, 1, 6), "a Saturday start: the next working day is the Monday"),
        (date(2025, 1, 4), 0, date(2025, 1, 4), "adding nothing gives the start back"),
    ],
)
def test_known_working_day_additions(start: date, n: int, expected: date, why: str) -> None:
    assert CALENDAR.add_working_days(start, n) == expected, why
    assert CALENDAR.count_working_days(start, expected) == n, why


def test_state_funeral_and_coronation_are_bank_holidays_not_working_days() -> None:
    assert CALENDAR.bank_holiday(date(2022, 9, 19)) == "State Funeral of Queen Elizabeth II"
    assert CALENDAR.bank_holiday(date(2023, 5, 8)) == "Coronation of Charles III"
    assert not CALENDAR.is_working_day(date(2022, 9, 19))
    assert not CALENDAR.is_working_day(date(2023, 5, 8))
    assert CALENDAR.is_working_day(date(2023, 5, 9))


def test_counting_across_the_state_funeral_week() -> None:
    # Mon 12 Sep to Fri 23 Sep 2022: ten weekdays, one of them the funeral.
    assert CALENDAR.count_working_days(date(2022, 9, 9), date(2022, 9, 23)) == 9


def test_subtract_is_the_inverse_of_add_from_a_working_day() -> None:
    assert CALENDAR.subtract_working_days(date(2022, 9, 20), 1) == date(2022, 9, 16)
    assert CALENDAR.subtract_working_days(date(2025, 4, 22), 1) == date(2025, 4, 17)
    assert CALENDAR.subtract_working_days(date(2025, 4, 21), 1) == date(2025, 4, 17)


def test_skipped_days_name_bank_holidays_and_closures_separately() -> None:
    closures = christmas_closure_days(2024, 2024)
    assert closures == frozenset({date(2024, 12, 27), date(2024, 12, 30), date(2024, 12, 31)})
    council = WorkingDayCalendar.england(closures)
    bank, closed = council.skipped_days(date(2024, 12, 20), date(2025, 1, 6))
    assert bank == [date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)]
    assert closed == sorted(closures)


def test_council_closure_days_are_not_working_days() -> None:
    closures = christmas_closure_days(2024, 2024)
    council = WorkingDayCalendar.england(closures)
    assert CALENDAR.add_working_days(date(2024, 12, 24), 1) == date(2024, 12, 27)
    assert council.add_working_days(date(2024, 12, 24), 1) == date(2025, 1, 2)
    assert council.count_working_days(date(2024, 12, 20), date(2025, 1, 3)) == 4
    assert WorkingDayCalendar.england(closures) is council  # cached per set of closure days


# --- working hours within opening hours -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (datetime(2025, 1, 6, 10, 0), 4, datetime(2025, 1, 6, 14, 0)),
        (datetime(2025, 1, 3, 16, 0), 4, datetime(2025, 1, 6, 12, 0)),  # Friday afternoon to Monday
        (datetime(2025, 1, 6, 13, 0), 4, datetime(2025, 1, 6, 17, 0)),  # lands on closing time: same day
        (datetime(2025, 1, 6, 20, 0), 1, datetime(2025, 1, 7, 10, 0)),  # after hours: starts at next opening
        (datetime(2025, 1, 6, 7, 30), 8, datetime(2025, 1, 6, 17, 0)),  # before opening
        (datetime(2025, 1, 4, 11, 0), 2, datetime(2025, 1, 6, 11, 0)),  # Saturday
        (datetime(2022, 9, 16, 15, 0), 4, datetime(2022, 9, 20, 11, 0)),  # across the state funeral
        (datetime(2023, 5, 5, 16, 30), 24, datetime(2023, 5, 11, 16, 30)),  # 3 working days, coronation
    ],
)
def test_adding_working_hours(start: datetime, hours: int, expected: datetime) -> None:
    assert CALENDAR.add_working_hours(start, hours) == expected
    assert CALENDAR.count_working_hours(start, expected) == timedelta(hours=hours)


def test_working_hours_use_the_councils_opening_hours() -> None:
    opening = OpeningHours(time(8, 30), time(18, 0))
    assert CALENDAR.add_working_hours(datetime(2025, 1, 6, 17, 0), 2, opening) == datetime(2025, 1, 7, 9, 30)
    assert opening.day_length == timedelta(hours=9, minutes=30)


def test_bad_input_is_explained() -> None:
    with pytest.raises(ValueError, match="negative number of working days"):
        CALENDAR.add_working_days(date(2025, 1, 6), -1)
    with pytest.raises(ValueError, match="negative number of working days"):
        CALENDAR.subtract_working_days(date(2025, 1, 6), -3)
    with pytest.raises(ValueError, match="is before start"):
        CALENDAR.count_working_days(date(2025, 1, 6), date(2025, 1, 3))
    with pytest.raises(ValueError, match="outside the working-day calendar"):
        CALENDAR.add_working_days(date(1980, 1, 1), 3)
    with pytest.raises(ValueError, match="beyond the calendar's last year"):
        CALENDAR.add_working_days(date(2075, 12, 1), 100)
    with pytest.raises(ValueError, match="negative number of working hours"):
        CALENDAR.add_working_hours(datetime(2025, 1, 6, 9), -1)
    with pytest.raises(ValueError, match="need a date and a time"):
        CALENDAR.add_working_hours(date(2025, 1, 6), 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="open before they close"):
        OpeningHours(time(17), time(9))
    with pytest.raises(ValueError, match="backwards"):
        CALENDAR.count_working_hours(datetime(2025, 1, 6, 12), datetime(2025, 1, 6, 10))


# --- properties, 2010 to 2035 ---------------------------------------------------------------------


@settings(max_examples=500)
@given(start=dates, n=counts)
def test_adding_n_working_days_then_counting_back_gives_n(start: date, n: int) -> None:
    due = CALENDAR.add_working_days(start, n)
    assert CALENDAR.count_working_days(start, due) == n
    if n > 0:
        # Counting n back from the due date lands on the start, or on the last working day before it.
        last_working = start
        while not reference_is_working(last_working):
            last_working -= timedelta(days=1)
        assert CALENDAR.subtract_working_days(due, n) == last_working


@settings(max_examples=500)
@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_a_due_date_is_never_a_weekend_or_bank_holiday(start: date, n: int) -> None:
    due = CALENDAR.add_working_days(start, n)
    assert due.weekday() < 5
    assert due not in BANK_HOLIDAYS
    assert due > start


@settings(max_examples=300)
@given(start=dates, n=counts)
def test_adding_agrees_with_a_day_by_day_reference(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n) == reference_add(start, n)


@settings(max_examples=300)
@given(start=dates, length=st.integers(min_value=0, max_value=600))
def test_counting_agrees_with_a_day_by_day_reference(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    assert CALENDAR.count_working_days(start, end) == reference_count(start, end)


@settings(max_examples=200)
@given(
    start=dates,
    n=st.integers(min_value=0, max_value=60),
    closures=st.frozensets(st.dates(min_value=date(2010, 1, 1), max_value=date(2036, 6, 30)), max_size=40),
)
def test_closure_days_agree_with_the_reference(start: date, n: int, closures: frozenset[date]) -> None:
    council = WorkingDayCalendar(dict(BANK_HOLIDAYS), closures, first_year=2009, last_year=2037)
    due = council.add_working_days(start, n)
    assert due == reference_add(start, n, closures)
    assert due == start or (due not in closures and due not in BANK_HOLIDAYS)


@settings(max_examples=300)
@given(
    start=st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2035, 12, 31)),
    minutes=st.integers(min_value=1, max_value=60 * 80),
)
def test_working_hours_round_trip_and_land_within_opening_hours(start: datetime, minutes: int) -> None:
    due = CALENDAR.add_working_hours(start, timedelta(minutes=minutes))
    assert CALENDAR.count_working_hours(start, due) == timedelta(minutes=minutes)
    assert reference_is_working(due.date())
    assert time(9) < due.time() <= time(17)
