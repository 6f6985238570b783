"""Synthetic children and families for the demo: realistic volumes and shapes, seeded, never real.

About one child in ten of a council's 0–17 population is known to children's services; open cases match the
council's profile and are allocated across its social workers, so caseloads come out at 15–20. Some children
are being screened by the shared MASH, and a few are restricted (children in adoption, high-profile cases).
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker

from outstanding.casework.models import (
    Assessment,
    CaseNote,
    CaseNoteVersion,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    PlanReview,
    Risk,
    RiskReview,
    StrategyDiscussion,
    Visit,
)
from outstanding.codes import CIN
from outstanding.partnership.models import Council, Service, StaffMember, Team
from outstanding.people.identifiers import nhs_number_with_check_digit, upn_check_letter
from outstanding.people.models import (
    Address,
    Child,
    ChronologyEvent,
    Involvement,
    NamedAccess,
    Person,
    Relationship,
)
from outstanding.people.services import BulkLoad
from outstanding.timescales import EventKind, WorkingDayCalendar, add_months

KNOWN_SHARE = 0.1  # of the 0–17 population, ever known to children's services
MASH_OPEN_SHARE = 0.015  # children with a contact being screened right now
ADOPTION_SHARE = 0.006  # children in adoption: restricted records
HIGH_PROFILE_SHARE = 0.001

# Postcode districts of each council (real districts; the rest of each postcode is made up).
DISTRICTS = {
    "westminster": ["W1", "W2", "W9", "NW8", "SW1"],
    "kensington-chelsea": ["W8", "W10", "W11", "SW3", "SW5", "SW7", "SW10"],
    "hammersmith-fulham": ["W6", "W12", "W14", "SW6"],
}
STREETS = ["Road", "Street", "Gardens", "Close", "Court", "House", "Place", "Terrace", "Avenue", "Mews"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Rough shares of London children's ethnicity, enough for a realistic mix.
ETHNICITY_WEIGHTS = {
    "WBRI": 22,
    "WOTH": 14,
    "BAFR": 12,
    "BCRB": 5,
    "BOTH": 4,
    "MWBC": 5,
    "MWBA": 3,
    "MWAS": 3,
    "MOTH": 6,
    "AIND": 3,
    "APKN": 2,
    "ABAN": 4,
    "AOTH": 4,
    "CHNE": 1,
    "OOTH": 9,
    "WIRI": 1,
    "WROM": 1,
    "REFU": 0.5,
    "NOBT": 0.5,
}
LANGUAGES = ["English"] * 12 + [
    "Arabic",
    "Somali",
    "Bengali",
    "Portuguese",
    "Polish",
    "Spanish",
    "Tigrinya",
    "Farsi",
]
RELIGIONS = ["", "", "Christian", "Muslim", "No religion", "Hindu", "Jewish", "Sikh", "Buddhist"]


@dataclass
class CaseTeam:
    team: Team
    kind: str  # locality, children-in-care, disabled-children
    manager: StaffMember
    workers: list[StaffMember]


@dataclass
class CouncilCases:
    council: Council
    open_cases: int
    teams: list[CaseTeam] = field(default_factory=list)
    head_of_service: StaffMember | None = None


@dataclass
class SharedTeams:
    mash: Team
    mash_workers: list[StaffMember]
    adoption: Team
    adoption_manager: StaffMember
    adoption_workers: list[StaffMember]


class FamilyMaker:
    def __init__(self, rng: random.Random, fake: Faker, today: date, services: dict[str, Service]) -> None:
        self.rng = rng
        self.fake = fake
        self.today = today
        # the demo's fixed "now", so notes finalised in it are the same whenever it is generated
        self.now = datetime.combine(today, time(9), tzinfo=UTC)
        self.services = services
        self.nhs_numbers: set[str] = set()
        self.load = BulkLoad([], [], [], [], [], [])
        self.journey = Journey(self)

    def nhs_number(self) -> str:
        # The 999 range is never issued to real patients: synthetic numbers only.
        while True:
            number = nhs_number_with_check_digit(f"999{self.rng.randrange(10**6):06d}")
            if number and number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number

    def upn(self, council: Council) -> str:
        # establishment numbers 9xxx are not real schools, so no real pupil can match
        school, year, serial = self.rng.randrange(1000), self.rng.randrange(10, 26), self.rng.randrange(1000)
        body = f"{council.la_code}9{school:03d}{year:02d}{serial:03d}"
        return upn_check_letter(body) + body

    def postcode(self, slug: str) -> str:
        district = self.rng.choice(DISTRICTS[slug])
        return f"{district} {self.rng.randrange(1, 10)}{''.join(self.rng.choices(INWARD_LETTERS, k=2))}"

    def address(self, person: Person, slug: str, start: date, end: date | None = None) -> Address:
        street = f"{self.fake.last_name()} {self.rng.choice(STREETS)}"
        row = Address(
            person=person,
            line_1=f"{self.rng.randrange(1, 240)} {street}",
            town="London",
            postcode=self.postcode(slug),
            start_date=start,
            end_date=end,
        )
        self.load.addresses.append(row)
        return row

    def adult(self, council: Council, sex: str, last_name: str, age: int) -> Person:
        first = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
        person = Person(
            first_name=first,
            last_name=last_name,
            sex=sex,
            date_of_birth=self.today - timedelta(days=age * 365 + self.rng.randrange(365)),
            council=council,
            phone=f"07700 900{self.rng.randrange(1000):03d}",  # Ofcom's drama range: never a real phone
        )
        self.load.people.append(person)
        return person

    def family(self, council: Council, size: int) -> list[Child]:
        """One household: a mother, often a father or step-parent, perhaps a grandparent, and children."""
        rng = self.rng
        last_name = self.fake.last_name()
        eldest_age = rng.randrange(0, 18)
        mother = self.adult(council, "F", last_name, 20 + eldest_age + rng.randrange(0, 12))
        father = (
            self.adult(
                council,
                "M",
                last_name if rng.random() < 0.6 else self.fake.last_name(),
                mother_age(mother, self.today) + rng.randrange(-2, 8),
            )
            if rng.random() < 0.75
            else None
        )
        step = (
            self.adult(council, "M", self.fake.last_name(), 25 + rng.randrange(25))
            if father is None and rng.random() < 0.3
            else None
        )
        grandmother = (
            self.adult(council, "F", last_name, 50 + eldest_age + rng.randrange(10))
            if rng.random() < 0.25
            else None
        )
        home_start = self.today - timedelta(days=rng.randrange(60, 3000))
        moved = rng.random() < 0.35
        ethnicity = rng.choices(list(ETHNICITY_WEIGHTS), weights=list(ETHNICITY_WEIGHTS.values()))[0]
        language = rng.choice(LANGUAGES)
        religion = rng.choice(RELIGIONS)
        children = []
        ages = sorted((max(0, eldest_age - i * rng.randrange(1, 4)) for i in range(size)), reverse=True)
        for age in ages:
            unborn = age == 0 and rng.random() < 0.05
            sex = "U" if unborn else rng.choice("MF")
            person = Person(
                first_name="Baby"
                if unborn
                else (self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()),
                last_name=last_name,
                sex=sex,
                date_of_birth=None if unborn else self.today - timedelta(days=age * 365 + rng.randrange(365)),
                nhs_number="" if unborn else self.nhs_number(),
                council=council,
            )
            self.load.people.append(person)
            born = person.date_of_birth or self.today
            child = Child(
                person=person,
                responsible_council=council,
                expected_date_of_birth=self.today + timedelta(days=rng.randrange(20, 150))
                if unborn
                else None,
                ethnicity=ethnicity,
                disabilities=[rng.choice(sorted(CIN.DISABILITY.all() - {"NONE"}))]
                if rng.random() < 0.08
                else [],
                first_language=language if not unborn else "",
                religion=religion,
                upn=self.upn(council) if age >= 5 and rng.random() < 0.9 else "",
                known_since=min(
                    self.today, born + timedelta(days=rng.randrange(0, max(1, (self.today - born).days + 1)))
                ),
            )
            self.load.children.append(child)
            children.append(child)
            if moved:
                self.address(
                    person,
                    council.slug,
                    home_start - timedelta(days=rng.randrange(200, 2000)),
                    home_start - timedelta(days=1),
                )
            self.address(person, council.slug, home_start)
            for adult, kind, pr, lives in (
                (mother, Relationship.Kind.MOTHER, True, rng.random() < 0.9),
                (father, Relationship.Kind.FATHER, rng.random() < 0.8, rng.random() < 0.5),
                (step, Relationship.Kind.STEP_PARENT, False, True),
                (grandmother, Relationship.Kind.GRANDPARENT, False, rng.random() < 0.3),
            ):
                if adult is not None:
                    self.load.relationships.append(
                        Relationship(
                            child=child,
                            person=adult,
                            kind=kind,
                            parental_responsibility=pr,
                            lives_with_child=lives,
                        )
                    )
        for a in children:
            for b in children:
                if a is not b:
                    self.load.relationships.append(
                        Relationship(
                            child=a, person=b.person, kind=Relationship.Kind.SIBLING, lives_with_child=True
                        )
                    )
        for adult in (mother, father, step, grandmother):
            if adult is not None:
                self.address(adult, council.slug, home_start)
        return children

    def involvement(
        self,
        child: Child,
        service: str,
        team: Team,
        worker: StaffMember | None,
        start: date,
        end: date | None,
    ) -> None:
        self.load.involvements.append(
            Involvement(
                child=child,
                service=self.services[service],
                team=team,
                allocated_worker=worker,
                start_date=start,
                end_date=end,
            )
        )

    def past_work(self, child: Child, teams: Sequence[CaseTeam]) -> None:
        """Closed involvements: the history most known children have."""
        start = child.known_since
        for _ in range(self.rng.choice([1, 1, 1, 2, 3])):
            if start >= self.today - timedelta(days=30):
                break
            end = min(self.today - timedelta(days=1), start + timedelta(days=self.rng.randrange(20, 400)))
            team = self.rng.choice([t for t in teams if t.kind == "locality"])
            self.involvement(child, "assessment", team.team, None, start, end)
            start = end + timedelta(days=self.rng.randrange(30, 900))


def mother_age(mother: Person, today: date) -> int:
    return (today - mother.date_of_birth).days // 365


def council_children(maker: FamilyMaker, cases: CouncilCases, shared: SharedTeams, scale: float) -> None:
    rng = maker.rng
    council = cases.council
    target = round(council.child_population * KNOWN_SHARE * scale)
    children: list[Child] = []
    while len(children) < target:
        children.extend(maker.family(council, rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]))
    rng.shuffle(children)
    born = [c for c in children if c.person.date_of_birth is not None]
    # Open cases, allocated round the council's social workers so each holds a realistic caseload.
    workers = [(t, w) for t in cases.teams for w in t.workers]
    kinds = {"locality": 0.7, "children-in-care": 0.2, "disabled-children": 0.1}
    open_children = born[: cases.open_cases]
    cursor = 0
    for kind, share in kinds.items():
        pool = [(t, w) for t, w in workers if t.kind == kind]
        service = {
            "locality": "assessment",
            "children-in-care": "children-in-care",
            "disabled-children": "disabled-children",
        }[kind]
        n = round(len(open_children) * share) if kind != "disabled-children" else len(open_children) - cursor
        for i, child in enumerate(open_children[cursor : cursor + n]):
            team, worker = pool[i % len(pool)]
            start = max(child.known_since, maker.today - timedelta(days=rng.randrange(5, 700)))
            maker.involvement(child, service, team.team, worker, start, None)
            maker.journey.working_on(worker, team.manager)
            if kind == "children-in-care":
                maker.journey.in_care(child, start, service)
            else:
                maker.journey.help_and_protection(child, start, service)
        cursor += n
    rest = born[cases.open_cases :]
    for child in rest:
        maker.past_work(child, cases.teams)
    # The shared MASH is screening contacts about some children right now.
    n_mash = max(1, round(len(children) * MASH_OPEN_SHARE))
    for i, child in enumerate(rest[:n_mash]):
        worker = shared.mash_workers[i % len(shared.mash_workers)]
        maker.involvement(
            child, "front-door", shared.mash, worker, maker.today - timedelta(days=rng.randrange(0, 3)), None
        )
    # Restricted records: children in adoption (the shared adoption team's) and a few high-profile cases.
    pool = rest[n_mash:]
    n_adoption = max(1, round(len(children) * ADOPTION_SHARE))
    for i, child in enumerate(pool[:n_adoption]):
        worker = shared.adoption_workers[i % len(shared.adoption_workers)]
        maker.involvement(
            child,
            "adoption",
            shared.adoption,
            worker,
            maker.today - timedelta(days=rng.randrange(30, 500)),
            None,
        )
        restrict(
            maker, child, "Child in an adoption", [worker, shared.adoption_manager, cases.head_of_service]
        )
    n_high = max(1, round(len(children) * HIGH_PROFILE_SHARE))
    for child in open_children[:n_high]:
        allocated = next(i.allocated_worker for i in maker.load.involvements if i.child is child)
        team = next(t for t in cases.teams if allocated in t.workers)
        restrict(maker, child, "High-profile case", [allocated, team.manager, cases.head_of_service])


def restrict(maker: FamilyMaker, child: Child, reason: str, named: list[StaffMember | None]) -> None:
    child.restricted = True
    child.restriction_reason = reason
    for staff in named:
        if staff is not None:
            maker.load.named_access.append(NamedAccess(child=child, staff=staff))


CHILDS_WORDS = [
    "I like living with my nan.",
    "I want to stay at my school.",
    "I get scared when they shout.",
    "I miss my dad.",
    "Things are better at home now.",
    "I want to see my brother more.",
    "I don't want to talk about it today.",
    "I'm proud I went to school every day this week.",
]
NOTE_TEXTS = [
    "Visited at home after school. Saw the child's bedroom; food in the cupboards; mother engaged well.",
    "Home was calmer than last time. Child showed me a drawing and talked about football.",
    "Mother tired but coping. Discussed the safety plan; grandmother now helping with the school run.",
]
FACTORS = ["1B", "2B", "3A", "3B", "4B", "6B", "11A", "14A", "16A", "24A"]
RISK_KINDS = ["cse", "cce", "domestic-abuse", "missing", "neglect", "self-harm"]
CATEGORIES = ["NEG", "NEG", "EMO", "PHY", "SAB", "MUL"]
_ROUTINE_VISITS = frozenset({EventKind.CP_VISIT, EventKind.CIN_VISIT, EventKind.CIC_VISIT})
VISIT_HISTORY_DAYS = 120


class Journey:
    """A child's open work as the casework records it — assessments, strategy discussions, conferences and
    plans, visits, risks and a note — each with its chronology event, and realistic timeliness: most on
    time, some late.
    """

    def __init__(self, maker: FamilyMaker) -> None:
        self.maker = maker
        self.rng = maker.rng
        self.calendar = WorkingDayCalendar.england()
        self.today = maker.today
        self.records: list = []  # unsaved casework records, loaded once the children exist
        self.note_children: list = []
        self.worker: StaffMember | None = None
        self.manager: StaffMember | None = None

    def working_on(self, worker: StaffMember, manager: StaffMember) -> None:
        self.worker, self.manager = worker, manager

    def record(self, row):
        self.records.append(row)
        return row

    def event(
        self,
        child: Child,
        kind: str,
        on: date,
        summary: str,
        service: str,
        key: str = "",
        source=None,
        **facts,
    ) -> bool:
        if on > self.today:
            return False
        if kind in _ROUTINE_VISITS and on < self.today - timedelta(days=VISIT_HISTORY_DAYS):
            return True  # older routine visits change no clock today: left out to keep the demo quick
        event = ChronologyEvent(
            child=child,
            kind=kind,
            occurred_on=on,
            summary=summary,
            service=self.maker.services[service],
            key=key,
            facts=facts,
            source_type="demo",
        )
        event._demo_source = source  # its record's id is known only once the records load
        self.maker.load.chronology.append(event)
        return True

    def link_sources(self) -> None:
        """After the records load: each chronology event points at its record."""
        for event in self.maker.load.chronology:
            source = getattr(event, "_demo_source", None)
            if source is not None:
                event.source_type, event.source_id = source._meta.label, str(source.pk)

    def visit(
        self, child: Child, kind: str, on: date, service: str, event_kind: str, summary: str, alone: bool
    ):
        if on > self.today or on < self.today - timedelta(days=VISIT_HISTORY_DAYS):
            return self.event(child, event_kind, on, summary, service, seen_alone=alone)
        words = self.rng.choice(CHILDS_WORDS) if self.rng.random() < 0.6 else ""
        row = self.record(
            Visit(
                child=child,
                kind=kind,
                visited_on=on,
                child_seen=True,
                seen_alone=alone,
                childs_views=words,
                recorded_by=self.worker,
            )
        )
        seen = "seen alone" if alone else "seen"
        return self.event(
            child, event_kind, on, f"{summary}: child {seen}", service, source=row, seen_alone=alone
        )

    def note(self, child: Child, on: date, service: str) -> None:
        if on > self.today:
            return
        note = self.record(
            CaseNote(
                council=child.responsible_council,
                author=self.worker,
                kind=CaseNote.Kind.HOME_VISIT,
                occurred_on=on,
                title="Home visit",
                significant=True,
                finalised_at=self.maker.now,
            )
        )
        self.record(
            CaseNoteVersion(note=note, number=1, text=self.rng.choice(NOTE_TEXTS), saved_by=self.worker)
        )
        self.note_children.append((note, [child]))
        self.event(child, "case_note", on, "Home visit: Home visit", service, source=note)

    def after(self, day: date, low: int, high: int) -> date:
        return self.calendar.add_working_days(day, self.rng.randint(low, high))

    def help_and_protection(self, child: Child, start: date, service: str) -> None:
        key = f"referral-{id(child)}"
        self.event(child, EventKind.REFERRAL, start, "Referral accepted for assessment", service, key)
        self.event(
            child,
            EventKind.REFERRAL_DECISION,
            self.after(start, 0, 1 if self.rng.random() < 0.9 else 3),
            "Decision on the referral",
            service,
            key,
        )
        # 85% of assessments are authorised within 45 working days; some are still open
        authorised = self.after(start, 15, 45) if self.rng.random() < 0.85 else self.after(start, 46, 70)
        route = self.rng.random()
        outcome = (
            Assessment.Outcome.STRATEGY_DISCUSSION
            if route < 0.25
            else Assessment.Outcome.CHILD_IN_NEED_PLAN
            if route < 0.75
            else Assessment.Outcome.NO_FURTHER_ACTION
        )
        seen = min(self.after(start, 1, 8), self.today)
        done = authorised <= self.today
        factors = sorted(set(self.rng.sample(FACTORS, self.rng.randint(1, 3))))
        assessment = self.record(
            Assessment(
                child=child,
                council=child.responsible_council,
                author=self.worker,
                started_on=start,
                child_seen_on=seen,
                child_seen_alone_on=seen if self.rng.random() < 0.7 else None,
                childs_views=self.rng.choice(CHILDS_WORDS),
                factors=factors,
                analysis="Strengths and worries weighed with the family and the agencies who know them.",
                outcome=outcome if done else "",
                status=Assessment.Status.AUTHORISED if done else Assessment.Status.DRAFT,
                authorised_by=self.manager if done else None,
                authorised_on=authorised if done else None,
            )
        )
        if not self.event(
            child,
            EventKind.ASSESSMENT_AUTHORISED,
            authorised,
            "Assessment authorised",
            service,
            key,
            source=assessment,
            factors=factors,
        ):
            return
        if route < 0.25 and self.rng.random() < 0.4:
            risk = self.record(
                Risk(
                    child=child,
                    kind=self.rng.choice(RISK_KINDS),
                    identified_on=authorised,
                    level=3,
                    identified_by=self.worker,
                )
            )
            self.event(
                child,
                "risk_identified",
                authorised,
                f"Risk identified: {risk.get_kind_display()} (high)",
                service,
                source=risk,
            )
            review_on = authorised + timedelta(days=90)
            if review_on <= self.today:
                self.record(
                    RiskReview(
                        risk=risk,
                        reviewed_on=review_on,
                        level=self.rng.choice([1, 2, 2, 3]),
                        reviewed_by=self.worker,
                    )
                )
        if route < 0.25:
            self.child_protection(child, authorised, service)
        elif route < 0.75:
            self.child_in_need(child, authorised, service)

    def child_protection(self, child: Child, from_day: date, service: str) -> None:
        strategy = self.after(from_day, 0, 5)
        if strategy > self.today:
            return
        icpc = self.after(strategy, 8, 15) if self.rng.random() < 0.8 else self.after(strategy, 16, 25)
        held = icpc <= self.today
        discussion = self.record(
            StrategyDiscussion(
                child=child,
                held_on=strategy,
                agencies=["health", "police", "social-care"],
                decision=StrategyDiscussion.Decision.START_SECTION_47,
                recorded_by=self.worker,
                outcome=StrategyDiscussion.Outcome.SUBSTANTIATED_ICPC if held else "",
                outcome_on=icpc if held else None,
            )
        )
        self.event(
            child,
            EventKind.SECTION_47_STARTED,
            strategy,
            "Strategy discussion: section 47 enquiry started",
            service,
            key=f"s47-{id(discussion)}",
            source=discussion,
        )
        if not held:
            return
        category = self.rng.choice(CATEGORIES)
        plan = self.record(
            ChildProtectionPlan(
                child=child, started_on=icpc, initial_category=category, latest_category=category
            )
        )
        conference = self.record(
            ChildProtectionConference(
                child=child,
                kind=ChildProtectionConference.Kind.INITIAL,
                held_on=icpc,
                agencies=["health", "police", "school", "social-care"][:3],
                decision=ChildProtectionConference.Decision.PLAN,
                category=category,
                strategy_discussion=discussion,
                plan=plan,
                recorded_by=self.worker,
            )
        )
        self.event(
            child,
            EventKind.INITIAL_CP_CONFERENCE,
            icpc,
            "Initial child protection conference: plan",
            service,
            key=f"s47-{id(discussion)}",
            source=conference,
        )
        self.event(
            child,
            EventKind.CP_PLAN_STARTED,
            icpc,
            f"Child protection plan started ({category})",
            service,
            source=plan,
        )
        core = self.after(icpc, 5, 11)
        if core <= self.today:
            row = self.record(
                PlanReview(
                    child=child,
                    kind=PlanReview.Kind.CORE_GROUP,
                    held_on=core,
                    cp_plan=plan,
                    recorded_by=self.worker,
                )
            )
            self.event(child, EventKind.CORE_GROUP_MEETING, core, "Core group meeting", service, source=row)
        review, months = icpc, 3
        while True:  # the first review at 3 months, then every 6; a few a week late
            review = add_months(review, months) + timedelta(days=self.rng.choice([0, 0, 0, 0, 7]))
            months = 6
            if review > self.today:
                break
            row = self.record(
                PlanReview(
                    child=child,
                    kind=PlanReview.Kind.CP_REVIEW_CONFERENCE,
                    held_on=review,
                    cp_plan=plan,
                    recorded_by=self.worker,
                )
            )
            self.event(
                child,
                EventKind.CP_REVIEW_CONFERENCE,
                review,
                "Review child protection conference",
                service,
                source=row,
            )
        visit, n, last_visit = icpc, 0, icpc
        while True:
            visit = self.after(visit, 7, 10) if self.rng.random() < 0.85 else self.after(visit, 11, 15)
            n += 1
            alone = n % 2 == 0 or self.rng.random() < 0.3
            if not self.visit(
                child,
                Visit.Kind.CHILD_PROTECTION,
                visit,
                service,
                EventKind.CP_VISIT,
                "Child protection visit",
                alone,
            ):
                break
            last_visit = visit
        self.note(child, last_visit if n > 1 else icpc, service)

    def child_in_need(self, child: Child, from_day: date, service: str) -> None:
        start = self.after(from_day, 0, 10)
        if start > self.today:
            return
        plan = self.record(ChildInNeedPlan(child=child, started_on=start, recorded_by=self.worker))
        self.event(
            child, EventKind.CIN_PLAN_STARTED, start, "Child in need plan started", service, source=plan
        )
        visit = last = start
        while self.visit(
            child,
            Visit.Kind.CHILD_IN_NEED,
            visit := self.after(visit, 12, 24),
            service,
            EventKind.CIN_VISIT,
            "Child in need visit",
            self.rng.random() < 0.5,
        ):
            last = visit
        self.note(child, last, service)

    def in_care(self, child: Child, start: date, service: str) -> None:
        self.event(child, EventKind.BECAME_LOOKED_AFTER, start, "Became looked after", service)
        long_term = self.rng.random() < 0.4
        self.event(
            child,
            EventKind.PLACEMENT_STARTED,
            start,
            "Placed with foster carers",
            service,
            intended_until_18=long_term,
        )
        visit = start + timedelta(days=self.rng.randint(2, 9))
        while self.visit(
            child,
            Visit.Kind.CHILD_IN_CARE,
            visit,
            service,
            EventKind.CIC_VISIT,
            "Statutory visit",
            self.rng.random() < 0.6,
        ):
            visit += timedelta(days=self.rng.randint(25, 46))
        review = self.after(start, 15, 22)
        for months in (0, 3, 6, 6, 6):
            review = add_months(review, months) if months else review
            if not self.event(child, EventKind.CIC_REVIEW, review, "Looked-after review", service):
                break
        check = start + timedelta(days=self.rng.randint(10, 40))
        while self.event(child, EventKind.HEALTH_ASSESSMENT, check, "Health assessment", service):
            check += timedelta(days=self.rng.randint(300, 390))
