"""Rules about dated periods, with no database: overlaps, and how many councils share a service on a day."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

OPEN_END = date.max


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None  # last day in force; None while it lasts

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"A period can't end ({self.end:%d %b %Y}) before it starts ({self.start:%d %b %Y})."
            )

    @property
    def last_day(self) -> date:
        return self.end or OPEN_END

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.last_day and other.start <= self.last_day

    def covers(self, other: "Period") -> bool:
        return self.start <= other.start and other.last_day <= self.last_day

    def includes(self, day: date) -> bool:
        return self.start <= day <= self.last_day


def first_overlap(new: Period, existing: Iterable[Period]) -> Period | None:
    """The first existing period that `new` overlaps, if any."""
    return next((p for p in sorted(existing, key=lambda p: p.start) if p.overlaps(new)), None)


@dataclass(frozen=True)
class Shortfall:
    """Days within an arrangement on which fewer than two councils share the service."""

    start: date
    end: date | None
    councils: int


def sharing_shortfalls(arrangement: Period, councils: dict[str, Sequence[Period]]) -> list[Shortfall]:
    """Stretches of the arrangement when fewer than two councils take part.

    `councils` maps each council to the periods in which it takes part (already cut to its partnership
    membership). The count only changes where some period starts or ends, so checking those days is enough.
    """
    changes = {arrangement.start}
    for periods in councils.values():
        for p in periods:
            for day in (p.start, p.last_day + timedelta(days=1) if p.end else None):
                if day is not None and arrangement.includes(day):
                    changes.add(day)
    ordered = sorted(changes)
    shortfalls: list[Shortfall] = []
    for i, day in enumerate(ordered):
        count = sum(any(p.includes(day) for p in periods) for periods in councils.values())
        if count >= 2:
            continue
        end = ordered[i + 1] - timedelta(days=1) if i + 1 < len(ordered) else arrangement.end
        if shortfalls and shortfalls[-1].councils == count and shortfalls[-1].end == day - timedelta(days=1):
            shortfalls[-1] = Shortfall(shortfalls[-1].start, end, count)
        else:
            shortfalls.append(Shortfall(day, end, count))
    return shortfalls


def intersect(a: Period, b: Period) -> Period | None:
    start = max(a.start, b.start)
    last = min(a.last_day, b.last_day)
    if last < start:
        return None
    return Period(start, None if last == OPEN_END else last)
