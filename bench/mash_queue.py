"""The MASH queue page with many open contacts, on PostgreSQL: p50 and p95 of the whole page (sign-in
session, access policy, selector, audit write, template), as the MASH officer sees it.

    .venv/bin/python bench/mash_queue.py [--size 5000] [--requests 60]

Builds the demo partnership in the database `outstanding_bench_mash` on the local PostgreSQL (DATABASE_URL
overrides) once, then tops the tri-borough MASH up to --size open contacts (one to three children each; most
rated, with partner checks, some past their deadlines). Prints one JSON object per line, the p95 last.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/outstanding_bench_mash"


def emit(metric: str, value: float, size: int, **extra) -> None:
    row = {
        "bench": "mash_queue",
        "metric": metric,
        "value": round(value, 2),
        "size": size,
        "db": "postgresql",
    }
    print(json.dumps({**row, **extra}), flush=True)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def top_up(size: int, rng: random.Random) -> tuple[int, float]:
    """Open contacts in the MASH up to `size`, loaded in bulk; returns how many there are and the seconds."""
    from django.db import connection
    from django.utils import timezone

    from outstanding.codes import CIN
    from outstanding.frontdoor.models import Contact, ContactChild, PartnerCheck
    from outstanding.partnership.models import Team
    from outstanding.people.models import Child

    mash = Team.objects.get(kind=Team.Kind.MASH)
    have = Contact.objects.filter(mash_team=mash, status__in=Contact.OPEN_STATUSES).count()
    if have >= size:
        return have, 0.0
    started = time.perf_counter()
    children = list(Child.objects.values_list("pk", "responsible_council_id"))
    sources = sorted(CIN.REFERRAL_SOURCE.all())
    now = timezone.now()
    contacts, links, checks = [], [], []
    for _ in range(size - have):
        child_id, council_id = rng.choice(children)
        received = now - timedelta(minutes=rng.randrange(5, 60 * 24 * 4))
        rated = rng.random() < 0.7
        rating = rng.choice(["red", "amber", "amber", "green", "green"]) if rated else ""
        partner_due = received + timedelta(hours={"red": 4, "amber": 8, "green": 24}.get(rating, 0))
        decision_due = received + timedelta(hours=24)
        contact = Contact(
            mash_team=mash,
            council_id=council_id,
            received_at=received,
            source=rng.choice(sources),
            referrer_name="Bench referrer",
            referrer_phone="020 7946 0000",
            concern="A synthetic concern for the benchmark.",
            consent=Contact.Consent.GIVEN,
            status=Contact.Status.SCREENING if rated else Contact.Status.AWAITING_SCREENING,
            threshold=rng.randint(1, 4) if rated else None,
            rating=rating,
            rated_at=received + timedelta(minutes=30) if rated else None,
            partner_information_due_at=partner_due if rated else None,
            decision_due_at=decision_due,
            due_at=min(partner_due, decision_due) if rated else decision_due,
        )
        contacts.append(contact)
        links.append(ContactChild(contact=contact, child_id=child_id))
        for sibling_id, sibling_council in rng.sample(children, rng.choice([0, 0, 1, 2])):
            if sibling_council == council_id and sibling_id != child_id:
                links.append(ContactChild(contact=contact, child_id=sibling_id))
        if rated:
            for agency in rng.sample(["police", "health", "education"], rng.randint(1, 3)):
                checks.append(PartnerCheck(contact=contact, agency=agency, requested_at=received))
    Contact.objects.bulk_create(contacts, batch_size=2000)
    ContactChild.objects.bulk_create(links, batch_size=2000)
    PartnerCheck.objects.bulk_create(checks, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return size, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit(
            "bench/mash_queue.py measures PostgreSQL: set DATABASE_URL to a postgres:// URL or leave it "
            "unset."
        )
    try:
        ensure_database(url)
    except Exception as error:  # a clear line, not a traceback, when PostgreSQL isn't there
        sys.exit(f"PostgreSQL is not reachable at {url}: {error}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outstanding.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from outstanding.demo.generator import generate_demo
    from outstanding.partnership.models import Council

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if not Council.objects.exists():
        generate_demo(partnership="tri-borough", seed=42, scale=0.2)
    rng = random.Random(42)
    open_contacts, took = top_up(args.size, rng)
    if took:
        emit("load_seconds", took, open_contacts)
    client = Client()
    client.force_login(get_user_model().objects.get(username="mash-officer.shared"))
    councils = list(Council.objects.values_list("pk", flat=True))
    urls = ["/front-door/", "/front-door/?order=oldest", "/front-door/?rating=red", "/front-door/?page=20"]
    urls += [f"/front-door/?council={c}" for c in councils]
    for url in urls:  # warm the caches
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for i in range(args.requests):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    emit("p50_ms", statistics.median(timings), open_contacts, requests=len(timings))
    emit("p95_ms", timings[int(0.95 * (len(timings) - 1))], open_contacts, requests=len(timings))


if __name__ == "__main__":
    main()
