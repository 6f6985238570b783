"""Benchmark: evaluate every timescale clock for N synthetic children on one core.

Run as `.venv/bin/python bench/timescales.py [--size N] [--seed S]`. Prints one JSON object per line; the
headline figure (seconds to evaluate all clocks for N children) comes last. The case events are generated
here, seeded, in proportions loosely like a large council's records over three years: most children only
reach the front door or a referral and assessment; fewer have section 47 enquiries, child protection or
child in need plans, care episodes, adoption or leaving-care support, and those carry years of visits and
reviews.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from outstanding.timescales import (
    Case,
    Event,
    EventKind,
    ReportingPeriod,
    TimescaleEngine,
    WorkingDayCalendar,
    measure_all,
)

K = EventKind
AS_OF = date(2025, 3, 31)
WINDOW_START = date(2022, 4, 1)
SPAN = (AS_OF - WINDOW_START).days


def _day(rng: random.Random, start: date = WINDOW_START, span: int = SPAN) -> date:
    return start + timedelta(days=rng.randrange(max(span, 1)))


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(7, 20), rng.randrange(60))


def _series(
    rng: random.Random, kind: str, start: date, end: date, low: int, high: int, **facts: float
) -> list[Event]:
    """Events every `low`-`high` days from `start` until `end`; each fact true with the given probability."""
    events = []
    day = start + timedelta(days=rng.randint(low // 2, high))
    while day <= end:
        events.append(Event(kind, day, facts={name: rng.random() < p for name, p in facts.items()} or {}))
        day += timedelta(days=rng.randint(low, high))
    return events


def synthetic_case(rng: random.Random, number: int, calendar: WorkingDayCalendar) -> Case:
    events: list[Event] = []
    born_on = AS_OF - timedelta(days=rng.randrange(18 * 365))
    add = events.append
    roll = rng.random()
    if rng.random() < 0.6:  # a contact through the front door, rated and checked with partners
        rated = _moment(rng, _day(rng))
        add(Event(K.CONTACT_RATED, rated, facts={"rating": rng.choice(("red", "amber", "amber", "green"))}))
        if rng.random() < 0.9:
            add(Event(K.PARTNER_INFORMATION_COMPLETE, rated + timedelta(hours=rng.randint(1, 96))))
    if roll < 0.55:  # a referral, decided and (mostly) assessed
        referred = _day(rng)
        add(Event(K.REFERRAL, referred))
        if rng.random() < 0.95:
            add(Event(K.REFERRAL_DECISION, calendar.add_working_days(referred, rng.randint(0, 2))))
        if rng.random() < 0.1:
            add(Event(K.REFERRAL_NFA, referred + timedelta(days=rng.randint(0, 5))))
        elif rng.random() < 0.9:
            add(Event(K.ASSESSMENT_AUTHORISED, calendar.add_working_days(referred, rng.randint(10, 60))))
        if rng.random() < 0.15:
            add(Event(K.REFERRAL, referred + timedelta(days=rng.randint(30, 500))))
    if roll < 0.12:  # section 47, conference, child protection plan
        strategy = _day(rng)
        add(Event(K.SECTION_47_STARTED, strategy))
        if rng.random() < 0.6:  # nationally, about 4 in 10 section 47 enquiries lead to a conference
            add(Event(K.ICPC_NOT_REQUIRED, strategy + timedelta(days=rng.randint(3, 15))))
        else:
            conference = calendar.add_working_days(strategy, rng.randint(8, 20))
            add(Event(K.INITIAL_CP_CONFERENCE, conference))
            add(Event(K.CP_PLAN_STARTED, conference))
            ends = conference + timedelta(days=rng.randint(90, 900))
            add(Event(K.CORE_GROUP_MEETING, calendar.add_working_days(conference, rng.randint(5, 14))))
            events.extend(_series(rng, K.CP_VISIT, conference, min(ends, AS_OF), 9, 17, seen_alone=0.6))
            events.extend(_series(rng, K.CP_REVIEW_CONFERENCE, conference, min(ends, AS_OF), 80, 190))
            if ends <= AS_OF:
                add(Event(K.CP_PLAN_ENDED, ends))
    elif roll < 0.2:  # child in need plan
        plan = _day(rng)
        ends = plan + timedelta(days=rng.randint(60, 500))
        add(Event(K.CIN_PLAN_STARTED, plan))
        events.extend(_series(rng, K.CIN_VISIT, plan, min(ends, AS_OF), 14, 35))
        if ends <= AS_OF:
            add(Event(K.CIN_PLAN_ENDED, ends))
    if 0.2 <= roll < 0.245:  # a period of care
        entered = _day(rng, date(2020, 4, 1), (AS_OF - date(2020, 4, 1)).days)
        leaves = entered + timedelta(days=rng.randint(30, 2000))
        until = min(leaves, AS_OF)
        add(Event(K.BECAME_LOOKED_AFTER, entered))
        placement = entered
        while placement <= until:
            add(Event(K.PLACEMENT_STARTED, placement, facts={"intended_until_18": rng.random() < 0.5}))
            if rng.random() < 0.9:
                add(Event(K.CIC_VISIT, placement + timedelta(days=rng.randint(0, 9))))
            placement += timedelta(days=rng.randint(60, 900))
        events.extend(_series(rng, K.CIC_VISIT, entered, until, 25, 60))
        first_review = calendar.add_working_days(entered, rng.randint(12, 25))
        if first_review <= until:
            add(Event(K.CIC_REVIEW, first_review))
            events.extend(_series(rng, K.CIC_REVIEW, first_review, until, 85, 200))
        events.extend(_series(rng, K.HEALTH_ASSESSMENT, entered, until, 150, 400))
        events.extend(_series(rng, K.DENTAL_CHECK, entered, until, 200, 420))
        for _ in range(rng.choice((0, 0, 0, 1, 3))):
            back = _moment(rng, _day(rng, entered, max((until - entered).days, 1)))
            add(Event(K.MISSING_EPISODE_ENDED, back))
            if rng.random() < 0.8:
                add(Event(K.RETURN_HOME_INTERVIEW, back + timedelta(hours=rng.randint(4, 120))))
        if rng.random() < 0.15:  # adoption
            decided = entered + timedelta(days=rng.randint(60, 300))
            add(Event(K.ADOPTION_DECISION, decided))
            order = decided + timedelta(days=rng.randint(30, 200))
            add(Event(K.PLACEMENT_ORDER, order))
            matched = order + timedelta(days=rng.randint(30, 300))
            add(Event(K.MATCHED_WITH_ADOPTERS, matched))
            add(Event(K.PLACED_FOR_ADOPTION, matched + timedelta(days=rng.randint(7, 60))))
        if leaves <= AS_OF:
            add(Event(K.CEASED_LOOKED_AFTER, leaves))
    elif 0.245 <= roll < 0.265:  # a care leaver
        became = _day(rng, date(2019, 4, 1), (AS_OF - date(2019, 4, 1)).days)
        born_on = became - timedelta(days=18 * 365 + rng.randrange(30))
        add(Event(K.PATHWAY_PLAN_STARTED, became - timedelta(days=rng.randint(30, 600))))
        add(Event(K.BECAME_CARE_LEAVER, became))
        events.extend(_series(rng, K.PATHWAY_PLAN_REVIEW, became, AS_OF, 120, 220))
        events.extend(_series(rng, K.CARE_LEAVER_CONTACT, became, AS_OF, 20, 70))
        add(
            Event(
                K.CARE_LEAVER_STATUS,
                _day(rng, date(2024, 4, 1), 365),
                facts={
                    "in_touch": rng.random() < 0.9,
                    "accommodation_suitable": rng.random() < 0.85,
                    "in_education_employment_training": rng.random() < 0.55,
                },
            )
        )
    rng.shuffle(events)  # callers need not sort
    return Case(f"C{number:07d}", events, born_on)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000, help="number of children (default 100000)")
    parser.add_argument("--seed", type=int, default=20250331)
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("--size must be at least 1")

    engine = TimescaleEngine()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    cases = [synthetic_case(rng, n, engine.calendar) for n in range(args.size)]
    generated = time.perf_counter() - started
    events = sum(len(case.events) for case in cases)
    print(
        json.dumps(
            {
                "bench": "timescales",
                "metric": "generate_seconds",
                "value": round(generated, 3),
                "size": args.size,
                "events": events,
                "db": "none",
            }
        )
    )

    period = ReportingPeriod(date(2024, 4, 1), AS_OF)
    started = time.perf_counter()
    clocks = engine.evaluate_many(cases, AS_OF)
    measures = measure_all(cases, clocks, period)
    with_measures = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "timescales",
                "metric": "seconds_clocks_and_measures",
                "value": round(with_measures, 3),
                "size": args.size,
                "measures": len(measures),
                "db": "none",
            }
        )
    )

    # The headline, last: evaluate every clock for every child on one core; the median of three runs.
    # CPU seconds sit beside wall-clock ones: on a shared machine the gap is time spent waiting for a core.
    runs = []
    cpu_runs = []
    count = 0
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        clocks = engine.evaluate_many(cases, AS_OF)
        runs.append(round(time.perf_counter() - started, 3))
        cpu_runs.append(round(time.process_time() - cpu_started, 3))
        count = sum(len(found) for found in clocks.values())
    print(
        json.dumps(
            {
                "bench": "timescales",
                "metric": "seconds",
                "value": sorted(runs)[1],
                "runs": runs,
                "cpu_seconds": sorted(cpu_runs)[1],
                "size": args.size,
                "clocks": count,
                "events": events,
                "db": "none",
            }
        )
    )


if __name__ == "__main__":
    main()
