"""Find a child over a large population, on PostgreSQL: p50 and p95 of the real search (with its audit write).

    .venv/bin/python bench/search.py [--size 1000000] [--queries 300]

Loads --size synthetic people (about 40% of them children, each with an address) into the database
`outstanding_bench` on the local PostgreSQL (DATABASE_URL overrides), once; later runs reuse it. Then runs
--queries searches as the demo social worker of Westminster: misspelt names of real records, names with a
date of birth, NHS numbers and postcodes. Prints one JSON object per line, the p95 last.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/outstanding_bench"


def emit(metric: str, value: float, size: int, **extra) -> None:
    print(
        json.dumps(
            {
                "bench": "search",
                "metric": metric,
                "value": round(value, 2),
                "size": size,
                "db": "postgresql",
                **extra,
            }
        ),
        flush=True,
    )


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def misspell(rng: random.Random, name: str) -> str:
    """A plausible slip: a vowel swapped, y for i, a doubled or dropped letter."""
    choice = rng.randrange(4)
    if choice == 0 and "i" in name:
        return name.replace("i", "y", 1)
    if choice == 1 and len(name) > 4:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]
    if choice == 2:
        for a, b in (("a", "e"), ("o", "a"), ("e", "a")):
            if a in name[1:]:
                return name[0] + name[1:].replace(a, b, 1)
    return name


def load(size: int, rng: random.Random) -> float:
    from django.db import connection
    from faker.providers.person.en_GB import Provider

    from outstanding.partnership.models import Council
    from outstanding.people.identifiers import nhs_number_with_check_digit
    from outstanding.people.models import Person
    from outstanding.people.names import fold, sound_key

    have = Person.objects.count()
    if have >= size:
        return 0.0
    started = time.perf_counter()
    councils = list(Council.objects.values_list("pk", "slug"))
    districts = {
        "westminster": ["W1", "W2", "W9", "NW8", "SW1"],
        "kensington-chelsea": ["W8", "W10", "W11", "SW3"],
        "hammersmith-fulham": ["W6", "W12", "W14", "SW6"],
    }
    firsts = [*Provider.first_names_female, *Provider.first_names_male]
    lasts = list(Provider.last_names)
    keys = {n: sound_key(n) for n in firsts + lasts}
    with connection.cursor() as cursor:
        next_id = cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM people_person").fetchone()[0]
    today = date(2026, 11, 27)
    nhs_base = 999_500_000
    taken = set(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    people, children, addresses = [], [], []
    for i in range(size - have):
        pid = next_id + i
        council_id, slug = councils[i % len(councils)]
        first, last = rng.choice(firsts), rng.choice(lasts)
        is_child = rng.random() < 0.4
        born = today - timedelta(
            days=rng.randrange(0, 18 * 365) if is_child else rng.randrange(18 * 365, 80 * 365)
        )
        nhs = ""
        if is_child:
            while not nhs:
                nhs_base += 1
                nhs = nhs_number_with_check_digit(str(nhs_base)) or ""
                nhs = "" if nhs in taken else nhs
        people.append(
            (
                pid,
                first,
                "",
                last,
                "",
                born,
                rng.choice("MF"),
                nhs,
                "",
                council_id,
                keys[first],
                keys[last],
                fold(last),
            )
        )
        if is_child:
            children.append((pid, council_id, "", "", "[]", "", "", "", born, False, ""))
        letters = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
        postcode = f"{rng.choice(districts[slug])} {rng.randrange(1, 10)}{letters}"
        addresses.append((pid, f"{rng.randrange(1, 200)} Bench Road", "", "London", postcode, born))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY people_person (id, first_name, middle_names, last_name, other_names, date_of_birth, sex,"
            " nhs_number, phone, council_id, first_name_key, last_name_key, last_name_folded, created_at)"
            " FROM STDIN"
        ) as copy:
            for row in people:
                copy.write_row((*row, "2026-11-27T09:00:00Z"))
        with raw.copy(
            "COPY people_child (person_id, responsible_council_id, gender_identity, ethnicity, disabilities,"
            " first_language, religion, upn, known_since, restricted, restriction_reason) FROM STDIN"
        ) as copy:
            for row in children:
                copy.write_row(row)
        with raw.copy(
            "COPY people_address (person_id, line_1, line_2, town, postcode, start_date) FROM STDIN"
        ) as copy:
            for row in addresses:
                copy.write_row(row)
        cursor.execute("SELECT setval('people_person_id_seq', (SELECT max(id) FROM people_person))")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit(
            "bench/search.py measures PostgreSQL: set DATABASE_URL to a postgres:// URL or leave it unset."
        )
    try:
        ensure_database(url)
    except Exception as error:  # a clear line, not a traceback, when PostgreSQL isn't there
        sys.exit(f"PostgreSQL is not reachable at {url}: {error}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outstanding.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from outstanding.demo.generator import generate_demo
    from outstanding.partnership.models import Council
    from outstanding.people.models import Child
    from outstanding.people.selectors import SearchTerms, child_search

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    if not Council.objects.exists():
        generate_demo(partnership="tri-borough", seed=42, scale=0.2)
    took = load(args.size, rng)
    if took:
        emit("load_seconds", took, args.size)
    user = get_user_model().objects.select_related("staff").get(username="social-worker.westminster")
    sample = list(
        Child.objects.filter(responsible_council__slug="westminster", person__date_of_birth__isnull=False)
        .select_related("person")
        .order_by("?")[: args.queries]
    )
    queries = []
    for i, child in enumerate(sample):
        person = child.person
        kind = i % 4
        if kind in (0, 1):
            queries.append(
                SearchTerms(name=f"{misspell(rng, person.first_name)} {misspell(rng, person.last_name)}")
            )
        elif kind == 2:
            queries.append(
                SearchTerms(name=misspell(rng, person.last_name), date_of_birth=person.date_of_birth)
            )
        elif person.nhs_number:
            queries.append(SearchTerms(nhs_number=person.nhs_number))
        else:
            queries.append(SearchTerms(postcode=person.addresses.first().postcode))
    for terms in queries[:20]:  # warm the caches
        child_search(user=user, terms=terms)
    timings, found = [], 0
    for terms in queries:
        started = time.perf_counter()
        results = child_search(user=user, terms=terms)
        timings.append((time.perf_counter() - started) * 1000)
        found += bool(results)
    timings.sort()
    people = Child.objects.model._meta.apps.get_model("people", "Person").objects.count()
    emit(
        "p50_ms",
        statistics.median(timings),
        people,
        queries=len(timings),
        found_share=round(found / len(timings), 3),
    )
    emit("p95_ms", timings[int(0.95 * (len(timings) - 1))], people, queries=len(timings))


if __name__ == "__main__":
    main()
