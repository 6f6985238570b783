"""The seeded synthetic demo partnership. Same seed and scale, same data: names, numbers, teams and dates.

Everything goes through the parts' own services, so the demo obeys the same rules (and leaves the same audit
trail) as real use. Only the named demo sign-ins get a password; every other member of staff can't sign in.
"""

import math
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from outstanding.casework.services import casework_bulk_load
from outstanding.demo.families import CaseTeam, CouncilCases, FamilyMaker, SharedTeams, council_children
from outstanding.demo.frontdoor import frontdoor_demo
from outstanding.partnership import services
from outstanding.partnership.models import (
    Council,
    Partnership,
    SharedServiceArrangement,
    StaffMember,
    Team,
)
from outstanding.partnership.reference import services_ensure
from outstanding.partnership.roles import Role
from outstanding.people.services import people_bulk_load

DEMO_PASSWORD = "demo-only-password"  # noqa: S105 - published in README; refused in production
PARTNERSHIP_START = date(2012, 4, 1)
DISAGGREGATION = date(2018, 4, 1)  # Hammersmith and Fulham took most services back
TODAY = date(2026, 11, 27)  # fixed so the data is the same whenever it is generated


class DemoRefused(Exception):
    """The demo can't be generated here; the message says why."""


@dataclass(frozen=True)
class CouncilProfile:
    name: str
    slug: str
    la_code: str
    ons_code: str
    child_population: int  # approximate 0–17 population, for realistic rates
    cin_rate_per_10k: int  # children in need (open cases) per 10,000 children
    locality_names: tuple[str, ...]

    def open_cases(self, scale: float) -> int:
        return round(self.child_population * self.cin_rate_per_10k / 10_000 * scale)


TRI_BOROUGH = (
    CouncilProfile(
        "Westminster",
        "westminster",
        "213",
        "E09000033",
        38_000,
        330,
        ("North Westminster", "South Westminster", "Queen's Park", "Church Street", "Pimlico", "Marylebone"),
    ),
    CouncilProfile(
        "Kensington and Chelsea",
        "kensington-chelsea",
        "207",
        "E09000020",
        25_000,
        310,
        ("North Kensington", "South Kensington", "Chelsea", "Golborne", "Earl's Court"),
    ),
    CouncilProfile(
        "Hammersmith and Fulham",
        "hammersmith-fulham",
        "205",
        "E09000013",
        36_000,
        350,
        ("Hammersmith", "Fulham", "Shepherd's Bush", "White City", "Parsons Green", "Wormholt"),
    ),
)

# Caseloads: the social workers a council needs are its open cases over an average caseload in this range.
CASELOAD_RANGE = (15, 20)
SOCIAL_WORKERS_PER_TEAM = (5, 8)


@dataclass
class DemoSummary:
    councils: int = 0
    teams: int = 0
    staff: int = 0
    sign_ins: list[str] = field(default_factory=list)
    caseloads: dict[str, float] = field(default_factory=dict)  # council slug -> open cases per social worker
    people: dict[str, int] = field(default_factory=dict)  # what was loaded: people, children, addresses...


class _Names:
    """Seeded synthetic names and unique sign-in names."""

    def __init__(self, seed: int) -> None:
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.taken: set[str] = set()

    def person(self) -> tuple[str, str]:
        return self.fake.first_name(), self.fake.last_name()

    def username(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower()
        base = re.sub(r"[^a-z.]", "", unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode())
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}{n}"
        self.taken.add(candidate)
        return candidate


class _Generator:
    def __init__(self, seed: int, scale: float, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.names = _Names(seed)
        self.scale = scale
        self.progress = progress
        self.password_hash = make_password(DEMO_PASSWORD)  # Argon2 is slow by design: hash once
        self.swe_numbers = iter(self.rng.sample(range(100_000, 1_000_000), 200_000))
        self.services = services_ensure()
        self.summary = DemoSummary()
        self.cases: dict[str, CouncilCases] = {}

    def _start_date(self, earliest: date) -> date:
        span = (TODAY - earliest).days
        return earliest + timedelta(days=int(span * self.rng.random() ** 2))  # most joined in recent years

    def staff(
        self,
        *,
        roles: set[Role],
        council: Council | None,
        job_title: str,
        team: Team | None,
        manager: bool = False,
        sign_in: str | None = None,
        earliest: date = PARTNERSHIP_START,
    ) -> StaffMember:
        first, last = self.names.person()
        username = sign_in or self.names.username(first, last)
        domain = f"{council.slug}.example" if council else "partner-agency.example"
        registered = bool(roles & {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.INDEPENDENT_REVIEWING_OFFICER})
        member = services.staff_create(
            actor=None,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{self.names.username(first, last)}@{domain}",
            roles=roles,
            employing_council=council,
            job_title=job_title,
            swe_registration_number=f"SW{next(self.swe_numbers)}" if registered else None,
            password_hash=self.password_hash if sign_in else None,
        )
        if team is not None:
            services.team_membership_add(
                actor=None,
                staff=member,
                team=team,
                start_date=self._start_date(max(earliest, PARTNERSHIP_START)),
                is_manager=manager,
            )
        self.summary.staff += 1
        if sign_in:
            self.summary.sign_ins.append(sign_in)
        return member

    def team(self, name: str, kind: Team.Kind, service_codes: list[str], **owner) -> Team:
        self.summary.teams += 1
        return services.team_create(
            actor=None, name=name, kind=kind, services=[self.services[c] for c in service_codes], **owner
        )

    def run(
        self, profiles: tuple[CouncilProfile, ...], partnership_name: str, partnership_slug: str
    ) -> DemoSummary:
        councils = {}
        for p in profiles:
            councils[p.slug] = services.council_create(
                actor=None,
                name=p.name,
                slug=p.slug,
                la_code=p.la_code,
                ons_code=p.ons_code,
                child_population=p.child_population,
            )
        self.summary.councils = len(councils)
        partnership = services.partnership_create(actor=None, name=partnership_name, slug=partnership_slug)
        for council in councils.values():
            services.membership_add(
                actor=None, partnership=partnership, council=council, start_date=PARTNERSHIP_START
            )
        self.progress(f"{len(councils)} councils in {partnership_name} from {PARTNERSHIP_START:%d %b %Y}")
        shared = self.shared_services(partnership, councils)
        for profile in profiles:
            self.council_teams(profile, councils[profile.slug])
        shared_teams = self.shared_teams(shared, councils)
        admin_council = councils[profiles[0].slug]
        self.staff(
            roles={Role.SYSTEM_ADMINISTRATOR},
            council=admin_council,
            job_title="Systems administrator",
            team=None,
            sign_in="admin",
        )
        self.families(shared_teams)
        return self.summary

    def shared_services(
        self, partnership: Partnership, councils: dict[str, Council]
    ) -> dict[str, SharedServiceArrangement]:
        everyone = list(councils.values())
        w, kc, hf = councils["westminster"], councils["kensington-chelsea"], councils["hammersmith-fulham"]
        arrangements = {
            code: services.arrangement_create(
                actor=None,
                partnership=partnership,
                service=self.services[code],
                start_date=PARTNERSHIP_START,
                councils=everyone,
            )
            for code in ("front-door", "adoption", "fostering")
        }
        # Conference chairs and IROs were shared by all three until Hammersmith and Fulham took them back.
        arrangements["independent-reviewing"] = services.arrangement_create(
            actor=None,
            partnership=partnership,
            service=self.services["independent-reviewing"],
            start_date=PARTNERSHIP_START,
            councils=[w, kc, (hf, PARTNERSHIP_START, DISAGGREGATION - timedelta(days=1))],
        )
        return arrangements

    def council_teams(self, profile: CouncilProfile, council: Council) -> None:
        open_cases = profile.open_cases(self.scale)
        caseload = self.rng.uniform(*CASELOAD_RANGE)
        social_workers = max(1, math.ceil(open_cases / caseload))
        created = 0
        cases = self.cases[profile.slug] = CouncilCases(council=council, open_cases=open_cases)
        # Most open cases sit with locality teams; children in care and disabled children have their own.
        split = [("locality", 0.7), ("children-in-care", 0.2), ("disabled-children", 0.1)]
        for kind, share in split:
            workers = max(1, round(social_workers * share))
            per_team = self.rng.randint(*SOCIAL_WORKERS_PER_TEAM)
            n_teams = max(1, math.ceil(workers / per_team))
            for i in range(n_teams):
                if kind == "locality":
                    area = profile.locality_names[i % len(profile.locality_names)]
                    suffix = (
                        f" {i // len(profile.locality_names) + 1}" if i >= len(profile.locality_names) else ""
                    )
                    name, team_kind, codes = (
                        f"{area} Family Support{suffix}",
                        Team.Kind.LOCALITY,
                        ["assessment", "child-protection", "early-help"],
                    )
                elif kind == "children-in-care":
                    name, team_kind, codes = (
                        f"{profile.name} Children in Care {i + 1}",
                        Team.Kind.SPECIALIST,
                        ["children-in-care", "care-leavers"],
                    )
                else:
                    name, team_kind, codes = (
                        f"{profile.name} Disabled Children {i + 1}",
                        Team.Kind.SPECIALIST,
                        ["disabled-children"],
                    )
                team = self.team(name, team_kind, codes, council=council)
                first_team = kind == "locality" and i == 0
                manager = self.staff(
                    roles={Role.TEAM_MANAGER},
                    council=council,
                    job_title="Team manager",
                    team=team,
                    manager=True,
                    sign_in=f"team-manager.{council.slug}" if first_team else None,
                )
                case_team = CaseTeam(team=team, kind=kind, manager=manager, workers=[])
                cases.teams.append(case_team)
                # spread the workers evenly: teams differ in size by one at most
                size = workers // n_teams + (1 if i < workers % n_teams else 0)
                for j in range(max(1, size)):
                    worker = self.staff(
                        roles={Role.SOCIAL_WORKER},
                        council=council,
                        job_title="Social worker",
                        team=team,
                        sign_in=f"social-worker.{council.slug}" if first_team and j == 0 else None,
                    )
                    case_team.workers.append(worker)
                    created += 1
        cases.head_of_service = self.staff(
            roles={Role.HEAD_OF_SERVICE},
            council=council,
            job_title="Head of service",
            team=None,
            sign_in=f"head-of-service.{council.slug}",
        )
        for k in range(max(1, round(2 * self.scale))):
            self.staff(
                roles={Role.PERFORMANCE_ANALYST},
                council=council,
                job_title="Performance analyst",
                team=None,
                sign_in=f"performance-analyst.{council.slug}" if k == 0 else None,
            )
        self.summary.caseloads[profile.slug] = open_cases / created
        self.progress(f"{council}: {created} social workers for about {open_cases} open cases")

    def shared_teams(
        self, shared: dict[str, SharedServiceArrangement], councils: dict[str, Council]
    ) -> SharedTeams:
        hosts = list(councils.values())
        mash_workers = []
        mash = self.team("Tri-borough MASH", Team.Kind.MASH, ["front-door"], arrangement=shared["front-door"])
        self.staff(
            roles={Role.TEAM_MANAGER}, council=hosts[0], job_title="MASH manager", team=mash, manager=True
        )
        for k in range(max(2, round(9 * self.scale))):
            mash_workers.append(
                self.staff(
                    roles={Role.MASH_OFFICER},
                    council=hosts[k % len(hosts)],
                    job_title="MASH social worker",
                    team=mash,
                    sign_in="mash-officer.shared" if k == 0 else None,
                )
            )
        for agency in ("Police", "Health", "Education"):
            self.staff(roles={Role.MASH_OFFICER}, council=None, job_title=f"{agency} MASH officer", team=mash)
        reviewing = self.team(
            "Child Protection Chairs and IROs",
            Team.Kind.SPECIALIST,
            ["independent-reviewing"],
            arrangement=shared["independent-reviewing"],
        )
        iros = max(2, round(10 * self.scale))
        for k in range(iros):
            council = hosts[k % 2]  # Westminster and Kensington and Chelsea host the service
            sign_in = f"independent-reviewing-officer.{council.slug}" if k < 2 else None
            self.staff(
                roles={Role.INDEPENDENT_REVIEWING_OFFICER},
                council=council,
                job_title="Independent reviewing officer",
                team=reviewing,
                sign_in=sign_in,
            )
        hf = councils["hammersmith-fulham"]
        own = self.team(
            "Hammersmith and Fulham Reviewing Service",
            Team.Kind.SPECIALIST,
            ["independent-reviewing"],
            council=hf,
        )
        for k in range(max(1, round(4 * self.scale))):
            self.staff(
                roles={Role.INDEPENDENT_REVIEWING_OFFICER},
                council=hf,
                job_title="Independent reviewing officer",
                team=own,
                earliest=DISAGGREGATION,
                sign_in=f"independent-reviewing-officer.{hf.slug}" if k == 0 else None,
            )
        specialist = {}
        for code, label in (("adoption", "Adoption"), ("fostering", "Fostering")):
            team = self.team(f"Tri-borough {label}", Team.Kind.SPECIALIST, [code], arrangement=shared[code])
            manager = self.staff(
                roles={Role.TEAM_MANAGER}, council=hosts[1], job_title="Team manager", team=team, manager=True
            )
            workers = [
                self.staff(
                    roles={Role.SOCIAL_WORKER},
                    council=hosts[k % len(hosts)],
                    job_title="Social worker",
                    team=team,
                )
                for k in range(max(1, round(6 * self.scale)))
            ]
            specialist[code] = (team, manager, workers)
        adoption, adoption_manager, adoption_workers = specialist["adoption"]
        return SharedTeams(mash, mash_workers, adoption, adoption_manager, adoption_workers)

    def families(self, shared: SharedTeams) -> None:
        maker = FamilyMaker(self.rng, self.names.fake, TODAY, self.services)
        for cases in self.cases.values():
            council_children(maker, cases, shared, self.scale)
        journey = maker.journey

        def casework_first() -> None:
            # the casework records load once the children exist, and before the chronology that points at them
            casework_bulk_load(
                actor=None,
                rows=journey.records,
                note_children=journey.note_children,
                source="the demo generator",
            )
            journey.link_sources()

        self.summary.people = people_bulk_load(
            actor=None, load=maker.load, source="the demo generator", before_chronology=casework_first
        )
        self.progress(
            f"{self.summary.people['children']} children known; "
            f"{self.summary.people['people']} people in all with their families"
        )
        frontdoor_demo(
            rng=self.rng,
            today=TODAY,
            cases=self.cases,
            shared=shared,
            people=maker.load,
            scale=self.scale,
            progress=self.progress,
        )


PARTNERSHIPS = {"tri-borough": ("Tri-borough", TRI_BOROUGH)}


def generate_demo(
    *, partnership: str, seed: int, scale: float, progress: Callable[[str], None] = lambda _: None
) -> DemoSummary:
    """Build the demo partnership in an empty database, in one transaction (all or nothing)."""
    if settings.PRODUCTION:
        raise DemoRefused(
            "The demo generator never runs with production settings: demo sign-ins must not exist there."
        )
    if partnership not in PARTNERSHIPS:
        raise DemoRefused(
            f"Unknown partnership {partnership!r}: choose from {', '.join(sorted(PARTNERSHIPS))}."
        )
    if not 0 < scale <= 100:
        raise DemoRefused("--scale must be more than 0 and at most 100.")
    if Council.objects.exists() or StaffMember.objects.exists():
        raise DemoRefused(
            "This database already holds councils or staff; the demo only fills an empty database."
        )
    name, profiles = PARTNERSHIPS[partnership]
    with transaction.atomic():
        return _Generator(seed, scale, progress).run(profiles, name, partnership)
