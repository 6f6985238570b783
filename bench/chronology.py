"""A child's chronology page with many events, on PostgreSQL: p50 and p95 of the whole page.

    .venv/bin/python bench/chronology.py [--size 2000] [--runs 50]

Builds (once) a child with --size chronology events in the database `outstanding_bench_chronology` on the
local PostgreSQL (DATABASE_URL overrides), then requests the chronology page as the child's social worker
through Django's full request cycle (session, middleware, access check, audit write, template). One JSON
object per line, the p95 last.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/outstanding_bench_chronology"


def emit(metric: str, value: float, size: int, **extra) -> None:
    row = {
        "bench": "chronology",
        "metric": metric,
        "value": round(value, 2),
        "size": size,
        "db": "postgresql",
    }
    print(json.dumps({**row, **extra}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("bench/chronology.py measures PostgreSQL: set DATABASE_URL to postgres://... or unset it.")
    try:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # a clear line, not a traceback, when PostgreSQL isn't there
        sys.exit(f"PostgreSQL is not reachable at {url}: {error}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outstanding.settings")
    os.environ.setdefault("OUTSTANDING_ENVIRONMENT", "test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from outstanding.demo.generator import generate_demo
    from outstanding.partnership.models import Council, StaffMember
    from outstanding.people.models import ChronologyEvent, Involvement
    from outstanding.timescales import EventKind

    call_command("migrate", verbosity=0)
    if not Council.objects.exists():
        generate_demo(partnership="tri-borough", seed=42, scale=0.1)
    worker = StaffMember.objects.get(user__username="social-worker.westminster")
    child = Involvement.objects.filter(allocated_worker=worker, end_date__isnull=True).first().child
    have = child.chronology.count()
    if have < args.size:
        kinds = [
            EventKind.CP_VISIT,
            EventKind.CIN_VISIT,
            EventKind.CORE_GROUP_MEETING,
            "case_note",
            "risk_identified",
        ]
        start = date(2015, 1, 1)
        ChronologyEvent.objects.bulk_create(
            ChronologyEvent(
                child=child,
                kind=kinds[i % len(kinds)],
                occurred_on=start + timedelta(days=i),
                summary=f"Synthetic event {i}",
                source_type="bench",
            )
            for i in range(args.size - have)
        )
    client = Client()
    client.force_login(worker.user)
    path = f"/children/{child.pk}/chronology/"
    for _ in range(3):  # warm up
        assert client.get(path).status_code == 200
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    events = child.chronology.count()
    emit("p50_ms", statistics.median(timings), events, runs=len(timings))
    emit("p95_ms", timings[int(0.95 * (len(timings) - 1))], events, runs=len(timings))


if __name__ == "__main__":
    main()
