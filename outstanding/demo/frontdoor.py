"""The front door's history in the demo: contacts and referrals for each council since April 2024, and the
contacts the tri-borough MASH is screening today.

Volumes follow the national picture: referrals at about 400–500 per 10,000 children a year, about 40% of
contacts becoming referrals, about 22% of referrals re-referrals within 12 months, sources in the CIN census's
proportions (police the largest, then schools, health and the council's own services). Most decisions come
within one working day; most partners' information within its deadline.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from outstanding.demo.families import CouncilCases, SharedTeams
from outstanding.frontdoor import deadlines
from outstanding.frontdoor.models import (
    Agency,
    Contact,
    ContactChild,
    PartnerCheck,
    Referral,
)
from outstanding.frontdoor.services import (
    FrontDoorLoad,
    front_door_setting_save,
    frontdoor_bulk_load,
    partner_agency_officer_set,
)
from outstanding.partnership.models import StaffMember
from outstanding.people.models import Child, Involvement, Relationship
from outstanding.people.services import BulkLoad
from outstanding.timescales import OpeningHours, TimescaleEngine, WorkingDayCalendar, add_months

HISTORY_FROM = date(2024, 4, 1)  # three reporting years: 2024-25 to 2026-27 so far
REFERRALS_PER_10K = (450, 540)  # a year, per council
CONVERSION = 0.4  # of contacts, referred to social care
RE_REFERRAL_SHARE = 0.22
CHECKS_FROM_DAYS = 183  # partner checks are kept for the last six months of history
# Referral sources in roughly the CIN census's national proportions (percent).
SOURCE_WEIGHTS = {
    "6": 29,
    "2A": 19,
    "3A": 1.5,
    "3B": 2.5,
    "3C": 1,
    "3D": 1,
    "3E": 3,
    "3F": 5,
    "5A": 3,
    "5B": 3,
    "5C": 2,
    "5D": 4,
    "1A": 5,
    "1B": 1,
    "1C": 1,
    "1D": 1,
    "2B": 1,
    "4": 2,
    "7": 4,
    "8": 4,
    "9": 2,
    "10": 5,
}
# Police notifications (domestic abuse call-outs) are referred less often than a school's worry.
CONVERSION_BY_SOURCE = {"6": 0.7, "2A": 1.15, "3E": 1.2, "9": 0.6, "10": 0.8}
OTHER_OUTCOMES = {  # how contacts that are not referred end
    Contact.Outcome.NO_FURTHER_ACTION: 40,
    Contact.Outcome.INFORMATION_AND_ADVICE: 35,
    Contact.Outcome.EARLY_HELP: 25,
}
OPENING = OpeningHours()
CONCERNS = [
    "Police attended a domestic incident at the home; the children were present.",
    "The child came to school hungry and unkempt for the third week running.",
    "Bruising seen on the child's arm; the explanation given did not fit the injury.",
    "Mother presented at A&E intoxicated with the baby in her care.",
    "Neighbour reports the children are left alone late at night.",
    "The young person disclosed that they are afraid to go home.",
    "Missed health appointments and the baby is losing weight.",
    "Concerns about the young person being exploited: new phone, unexplained money, missing overnight.",
]


@dataclass
class _Family:
    children: list[Child]


def _families(children: list[Child], relationships: list[Relationship]) -> dict[int, list[_Family]]:
    """Each council's households: children who share a mother, or a child alone."""
    by_mother: dict[int, list[Child]] = defaultdict(list)
    seen: set[int] = set()
    for r in relationships:
        if r.kind == Relationship.Kind.MOTHER and r.child.person.date_of_birth is not None:
            by_mother[id(r.person)].append(r.child)
            seen.add(r.child.pk)
    families: dict[int, list[_Family]] = defaultdict(list)
    for kids in by_mother.values():
        families[kids[0].responsible_council_id].append(_Family(kids))
    for child in children:
        if child.pk not in seen and child.person.date_of_birth is not None:
            families[child.responsible_council_id].append(_Family([child]))
    return families


class _Flow:
    def __init__(self, rng: random.Random, today: date, shared: SharedTeams) -> None:
        self.rng = rng
        self.today = today
        self.now = timezone.make_aware(datetime.combine(today, time(11, 30)))
        self.shared = shared
        self.calendar = WorkingDayCalendar.england()
        self.load = FrontDoorLoad()
        self.last_referral: dict[int, Referral] = {}  # child -> latest referral
        self.sources = list(SOURCE_WEIGHTS)
        self.weights = list(SOURCE_WEIGHTS.values())
        # sources of referred and not-referred contacts, so each source converts at its own rate
        multiplier = [CONVERSION_BY_SOURCE.get(s, 1.0) for s in self.sources]
        self.referred_weights = [w * m for w, m in zip(self.weights, multiplier, strict=True)]
        self.other_weights = [
            w * (1 - CONVERSION * m) / (1 - CONVERSION) for w, m in zip(self.weights, multiplier, strict=True)
        ]
        self.settings: dict = {}
        # decided history ends a few days back; the days since are today's open contacts
        self.last_history_day = today - timedelta(days=4)

    def moment(self, day: date) -> datetime:
        """A time on `day` when contacts arrive: mostly in office hours, some in the evening or at night."""
        hour = self.rng.choice([8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17, 19, 22])
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randrange(60))))

    def working_hours_after(self, start: datetime, hours: float) -> datetime:
        local = timezone.localtime(start).replace(tzinfo=None)
        return timezone.make_aware(self.calendar.add_working_hours(local, timedelta(hours=hours), OPENING))

    def contact(self, council_id: int, family: _Family, received: datetime, *, referred: bool) -> Contact:
        rng = self.rng
        day = timezone.localtime(received).date()
        born = [c for c in family.children if c.person.date_of_birth and c.person.date_of_birth <= day]
        kids = born if rng.random() < 0.6 else [rng.choice(born)]
        source = rng.choices(self.sources, self.referred_weights if referred else self.other_weights)[0]
        rating = rng.choices(["red", "amber", "green"], [15, 45, 40])[0]
        rated = self.working_hours_after(received, rng.uniform(0.2, 2.5))
        setting = self.settings[council_id]
        partner_due = deadlines.partner_information_due_under(rated, rating, setting)
        decision_due = deadlines.decision_due_in(received, OPENING)
        on_time = rng.random() < 0.88
        decided = (
            self.working_hours_after(rated, rng.uniform(0.5, 5))
            if on_time
            else self.working_hours_after(decision_due, rng.uniform(0.5, 24))
        )
        decided = max(decided, rated + timedelta(minutes=10))
        if referred:
            outcome = Contact.Outcome.STRATEGY_DISCUSSION if rng.random() < 0.1 else Contact.Outcome.REFERRAL
        else:
            outcome = rng.choices(list(OTHER_OUTCOMES), list(OTHER_OUTCOMES.values()))[0]
        worker = rng.choice(self.shared.mash_workers)
        contact = Contact(
            mash_team=self.shared.mash,
            council_id=council_id,
            received_at=received,
            source=source,
            referrer_name="Anonymous" if source == "9" else "Referrer",
            referrer_phone=""
            if source == "9"
            else f"020 7946 0{rng.randrange(1000):03d}",  # Ofcom drama range
            concern=rng.choice(CONCERNS),
            consent=rng.choice(list(Contact.Consent.values)),
            consent_reason="",
            status=Contact.Status.DECIDED,
            threshold={True: rng.choice([3, 3, 4]), False: rng.choice([1, 2, 2])}[referred],
            rating=rating,
            rated_at=rated,
            rated_by=worker,
            partner_information_due_at=partner_due,
            partner_information_complete_at=min(
                decided, self.working_hours_after(rated, rng.uniform(0.5, 6))
            ),
            decision_due_at=decision_due,
            due_at=None,
            outcome=outcome,
            decision_reason="Screened with partners' information; decided on the threshold.",
            decided_at=decided,
            decided_by=worker,
            recorded_by=worker,
        )
        if contact.consent != Contact.Consent.GIVEN:
            contact.consent_reason = "Seeking consent could place the children at risk of significant harm."
        self.load.contacts.append(contact)
        for child in kids:
            self.load.contact_children.append(ContactChild(contact=contact, child=child))
        if (self.today - day).days <= CHECKS_FROM_DAYS:
            for agency in rng.sample(
                ["police", "health", "education", "probation", "housing"], rng.randint(1, 3)
            ):
                self.load.partner_checks.append(
                    PartnerCheck(
                        contact=contact,
                        agency=agency,
                        requested_at=rated,
                        returned_at=contact.partner_information_complete_at,
                        information_held=rng.random() < 0.45,
                        findings="Known to the agency: details shared with the MASH.",
                    )
                )
        if referred:
            decided_on = timezone.localtime(decided).date()
            for child in kids:
                referral = Referral(
                    child=child,
                    contact=contact,
                    council_id=council_id,
                    referral_date=decided_on,
                    source=source,
                    next_step=Referral.NextStep.STRATEGY_DISCUSSION
                    if outcome == Contact.Outcome.STRATEGY_DISCUSSION
                    else Referral.NextStep.ASSESSMENT,
                    assessment_due_on=self.calendar.add_working_days(decided_on, 45),
                    closed_on=decided_on + timedelta(days=rng.randrange(20, 120)),
                )
                if referral.closed_on > self.today:
                    referral.closed_on = None
                earlier = self.last_referral.get(child.pk)
                if (
                    earlier is not None
                    and earlier.council_id == council_id
                    and deadlines.within_re_referral_window(earlier.referral_date, decided_on)
                ):
                    referral.previous_referral = earlier
                    referral.is_re_referral = True
                self.last_referral[child.pk] = referral
                self.load.referrals.append(referral)
        return contact

    def fresh(self, families: list[_Family], recent: dict[int, _Family]) -> _Family:
        """A family not referred in the last 12 months (a few tries; a small council may have to repeat)."""
        for _ in range(20):
            family = self.rng.choice(families)
            if id(family) not in recent:
                return family
        return family

    def history(self, council_id: int, population: int, families: list[_Family], scale: float) -> None:
        rng = self.rng
        per_year = population * scale * rng.randint(*REFERRALS_PER_10K) / 10_000
        month = HISTORY_FROM
        recent: dict[int, _Family] = {}  # families referred in the last 12 months, for re-referrals
        referred_on: dict[int, date] = {}
        while month <= self.last_history_day:
            days = [
                d
                for d in (month + timedelta(days=i) for i in range(31))
                if d.month == month.month and d <= self.last_history_day and self.calendar.is_working_day(d)
            ]
            if not days:
                break
            recent = {
                k: f for k, f in recent.items() if deadlines.within_re_referral_window(referred_on[k], month)
            }
            # children per referral contact is about 1.4: count contacts, not children
            referral_contacts = max(1, round(per_year / 12 / 1.4 * rng.uniform(0.85, 1.15)))
            other_contacts = round(referral_contacts * (1 - CONVERSION) / CONVERSION)
            for day in sorted(rng.choice(days) for _ in range(referral_contacts)):
                if recent and rng.random() < RE_REFERRAL_SHARE:
                    family = rng.choice(list(recent.values()))
                else:
                    family = self.fresh(families, recent)
                if not any(c.person.date_of_birth <= day for c in family.children):
                    continue
                self.contact(council_id, family, self.moment(day), referred=True)
                referred_on[id(family)] = day
                recent[id(family)] = family
            for _ in range(other_contacts):
                day = rng.choice(days)
                family = rng.choice(families)
                if any(c.person.date_of_birth <= day for c in family.children):
                    self.contact(council_id, family, self.moment(day), referred=False)
            month = add_months(month.replace(day=1), 1)

    def open_contacts(self, involvements: list[Involvement]) -> None:
        """Contacts the MASH is screening today: one for each child it has an open involvement with."""
        rng = self.rng
        for involvement in involvements:
            if involvement.service.code != "front-door" or involvement.end_date is not None:
                continue
            child = involvement.child
            received = self.moment(involvement.start_date)
            if received > self.now:
                received = self.now - timedelta(minutes=rng.randrange(10, 120))
            decision_due = deadlines.decision_due_in(received, OPENING)
            stage = rng.random()
            contact = Contact(
                mash_team=self.shared.mash,
                council_id=child.responsible_council_id,
                received_at=received,
                source=rng.choices(self.sources, self.weights)[0],
                referrer_name="Referrer",
                referrer_phone=f"020 7946 0{rng.randrange(1000):03d}",
                concern=rng.choice(CONCERNS),
                consent=Contact.Consent.GIVEN,
                status=Contact.Status.AWAITING_SCREENING,
                decision_due_at=decision_due,
                due_at=decision_due,
                owner=involvement.allocated_worker if rng.random() < 0.6 else None,
                recorded_by=involvement.allocated_worker,
            )
            if stage > 0.35:
                rating = rng.choices(["red", "amber", "green"], [15, 45, 40])[0]
                rated = min(self.now, self.working_hours_after(received, rng.uniform(0.2, 2)))
                contact.status = Contact.Status.SCREENING
                contact.threshold = rng.choice([2, 3, 3, 4])
                contact.rating = rating
                contact.rated_at = rated
                contact.rated_by = involvement.allocated_worker
                contact.partner_information_due_at = deadlines.partner_information_due_under(
                    rated, rating, self.settings[contact.council_id]
                )
                contact.due_at = min(contact.partner_information_due_at, decision_due)
                for agency in rng.sample([Agency.POLICE, Agency.HEALTH, Agency.EDUCATION], rng.randint(1, 3)):
                    answered = rng.random() < 0.4
                    self.load.partner_checks.append(
                        PartnerCheck(
                            contact=contact,
                            agency=agency,
                            requested_at=rated,
                            returned_at=rated + timedelta(minutes=rng.randrange(20, 90))
                            if answered
                            else None,
                            information_held=(rng.random() < 0.5) if answered else None,
                            findings="Known to the agency: details shared with the MASH." if answered else "",
                        )
                    )
            self.load.contacts.append(contact)
            self.load.contact_children.append(ContactChild(contact=contact, child=child))


def frontdoor_demo(
    *,
    rng: random.Random,
    today: date,
    cases: dict[str, CouncilCases],
    shared: SharedTeams,
    people: BulkLoad,
    scale: float,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """Load the front door's history and today's MASH queue; returns what was loaded."""
    councils = {c.council.slug: c.council for c in cases.values()}
    # Kensington and Chelsea keeps Merton-like tighter deadlines; Hammersmith and Fulham's managers authorise
    # every MASH decision. Westminster uses the defaults in timescales.md.
    front_door_setting_save(
        actor=None,
        council=councils["kensington-chelsea"],
        red_amount=2,
        red_unit="working hours",
        amber_amount=6,
        amber_unit="working hours",
        green_amount=24,
        green_unit="working hours",
    )
    front_door_setting_save(
        actor=None, council=councils["hammersmith-fulham"], decisions_need_authorisation=True
    )
    for staff in StaffMember.objects.filter(
        employing_council__isnull=True, team_memberships__team=shared.mash
    ).order_by("pk"):
        agency = staff.job_title.split()[0].lower()  # "Police MASH officer"
        if agency in Agency.values:
            partner_agency_officer_set(actor=None, staff=staff, agency=agency)
    flow = _Flow(rng, today, shared)
    flow.settings = {
        c.pk: TimescaleEngine(deadlines.timescale_settings_of(deadlines.council_setting(c), OPENING))
        for c in councils.values()
    }
    families = _families(people.children, people.relationships)
    for council in councils.values():
        flow.history(council.pk, council.child_population, families[council.pk], scale)
    flow.open_contacts(people.involvements)
    loaded = frontdoor_bulk_load(actor=None, load=flow.load, source="the demo generator")
    progress(
        f"{loaded['contacts']} contacts and {loaded['referrals']} referrals since {HISTORY_FROM:%B %Y} "
        f"({loaded['re_referrals'] / max(1, loaded['referrals']):.0%} re-referrals within 12 months)"
    )
    return loaded
