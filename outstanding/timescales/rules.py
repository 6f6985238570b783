"""Timescale rules as data: one row per line of timescales.md.

Each rule names the event that starts its clock, the deadline, the event that stops it, the events that make
it no longer apply, and whether it is national or a council setting (with the default from timescales.md).
The evaluator reads these rows; nothing else in the engine knows a timescale.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from .events import EventKind as E

_Day = TypeVar("_Day", date, datetime)


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"
    WORKING_HOURS = "working hours"
    VISITS = "visits"


_SINGULAR = {
    Unit.WORKING_DAYS: "working day",
    Unit.DAYS: "day",
    Unit.WEEKS: "week",
    Unit.MONTHS: "month",
    Unit.HOURS: "hour",
    Unit.WORKING_HOURS: "working hour",
    Unit.VISITS: "visit",
}


class Scope(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"  # a per-council setting, with a default


@dataclass(frozen=True, slots=True)
class Deadline:
    """How long a clock runs: e.g. Deadline(45, Unit.WORKING_DAYS), Deadline(3, Unit.MONTHS)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(
                f"A deadline needs a whole number of at least 1 {self.unit}; got {self.amount!r}."
            )
        if not isinstance(self.unit, Unit):
            raise ValueError(f"Unknown deadline unit {self.unit!r}; use one of: {', '.join(Unit)}.")

    def __str__(self) -> str:
        return f"{self.amount} {_SINGULAR[self.unit] if self.amount == 1 else self.unit.value}"

    @property
    def is_timed(self) -> bool:
        """Whether the deadline is in hours, so the clock needs a date and time."""
        return self.unit in (Unit.HOURS, Unit.WORKING_HOURS)


def add_months(day: _Day, months: int) -> _Day:
    """Calendar months later; a day the month lacks becomes its last day (31 Jan + 1 month = 28 Feb)."""
    if months < 0:
        raise ValueError(f"Cannot add a negative number of months ({months}).")
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    if day.day <= 28:  # every month has the day: skip the month-length look-up
        return day.replace(year=year, month=month)
    return day.replace(year=year, month=month, day=min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


# --- conditions: when a rule's deadline varies with the child or the placement
# --------------------------------


@dataclass(frozen=True, slots=True)
class PlacementLongTermAfterFirstYear:
    """The placement in force at the clock's start is over a year old and is intended to last until 18.

    The placement's intention comes from the `intended_until_18` fact on its `placement_started` event.
    """

    months: int = 12

    def holds(self, start: date, born_on: date | None, placement: Any) -> bool:
        if placement is None or not placement.facts.get("intended_until_18", False):
            return False
        return add_months(placement.on, self.months) <= start

    def describe(self) -> str:
        return "the placement is over a year old and is intended to last until 18"


@dataclass(frozen=True, slots=True)
class ChildYoungerThan:
    """The child is younger than `years` on the clock's start date (unknown date of birth: does not hold)."""

    years: int

    def holds(self, start: date, born_on: date | None, placement: Any) -> bool:
        if born_on is None:
            return False
        return start < add_months(born_on, 12 * self.years)

    def describe(self) -> str:
        return f"the child was under {self.years}"


Condition = PlacementLongTermAfterFirstYear | ChildYoungerThan


@dataclass(frozen=True, slots=True)
class Variant:
    """A different deadline that applies when a condition holds; the first variant that holds wins."""

    when: Condition
    deadline: Deadline


@dataclass(frozen=True, slots=True)
class Period:
    """The stretch of a case in which a rule applies, e.g. from a plan's start to its end.

    Start events outside an open period start no clock; a period's end makes an open clock no longer apply;
    and a rule whose clock has not yet started inside an open period shows as 'not started'.
    """

    starts_on: str
    ends_on: tuple[str, ...]
    name: str  # in the social worker's words, e.g. "period of care"


@dataclass(frozen=True, slots=True)
class TimescaleRule:
    name: str
    title: str
    starts_on: tuple[str, ...]
    stops_on: str
    deadline: Deadline
    scope: Scope
    source: str
    # The CouncilTimescaleSettings field that holds the council's deadline (local rules).
    setting: str | None = None
    # The start event's fact that picks the deadline from a mapping setting (front-door urgency rating).
    deadline_by_fact: str | None = None
    variants: tuple[Variant, ...] = ()
    period: Period | None = None
    cancelled_by: tuple[str, ...] = ()
    # Which start events within the period start a clock: 1-based, inclusive; None means no upper limit.
    first_occurrence: int = 1
    last_occurrence: int | None = None
    # Events of the stop kind (and start events of that kind) count only when this fact is true.
    stop_requires_fact: str | None = None
    # The rule needs this event in the same period before any clock runs (e.g. adoption decision for A1).
    only_if: str | None = None
    # For deadlines counted in visits: the rule that says how often visits are due, to project a due date.
    visit_rule: str | None = None
    timed: bool = False
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.starts_on:
            raise ValueError(f"Rule {self.name!r} needs at least one start event.")
        if self.first_occurrence < 1 or (
            self.last_occurrence is not None and self.last_occurrence < self.first_occurrence
        ):
            raise ValueError(f"Rule {self.name!r} has an impossible range of start occurrences.")


_CP_PLAN = Period(E.CP_PLAN_STARTED, (E.CP_PLAN_ENDED,), "child protection plan")
_CIN_PLAN = Period(E.CIN_PLAN_STARTED, (E.CIN_PLAN_ENDED,), "child in need plan")
_IN_CARE = Period(E.BECAME_LOOKED_AFTER, (E.CEASED_LOOKED_AFTER,), "period of care")
_PATHWAY = Period(E.PATHWAY_PLAN_STARTED, (E.LEAVING_CARE_SUPPORT_ENDED,), "pathway plan")
_CARE_LEAVER = Period(E.BECAME_CARE_LEAVER, (E.LEAVING_CARE_SUPPORT_ENDED,), "leaving-care support")

_WORKING_TOGETHER = "Working Together to Safeguard Children"
_CARE_PLANNING = "Care Planning, Placement and Case Review (England) Regulations 2010"

RULES: tuple[TimescaleRule, ...] = (
    TimescaleRule(
        name="referral_decision",
        title="Decision on a referral",
        starts_on=(E.REFERRAL,),
        stops_on=E.REFERRAL_DECISION,
        deadline=Deadline(1, Unit.WORKING_DAYS),
        scope=Scope.NATIONAL,
        source=_WORKING_TOGETHER,
    ),
    TimescaleRule(
        name="partner_information",
        title="Partners' information at the front door",
        starts_on=(E.CONTACT_RATED,),
        stops_on=E.PARTNER_INFORMATION_COMPLETE,
        deadline=Deadline(1, Unit.WORKING_DAYS),  # only if a council's setting lacks the contact's rating
        scope=Scope.LOCAL,
        source="Local: per urgency rating, counted in opening hours",
        setting="partner_information",
        deadline_by_fact="rating",
        timed=True,
        notes="Working days here are opening-hours days: 1 working day is one day's opening hours (8 hours "
        "by default).",
    ),
    TimescaleRule(
        name="assessment",
        title="Child and family assessment",
        starts_on=(E.REFERRAL,),
        stops_on=E.ASSESSMENT_AUTHORISED,
        deadline=Deadline(45, Unit.WORKING_DAYS),
        scope=Scope.NATIONAL,
        source=_WORKING_TOGETHER,
        cancelled_by=(E.REFERRAL_NFA,),
    ),
    TimescaleRule(
        name="initial_cp_conference",
        title="Initial child protection conference",
        starts_on=(E.SECTION_47_STARTED,),
        stops_on=E.INITIAL_CP_CONFERENCE,
        deadline=Deadline(15, Unit.WORKING_DAYS),
        scope=Scope.NATIONAL,
        source=_WORKING_TOGETHER,
        cancelled_by=(E.ICPC_NOT_REQUIRED,),
    ),
    TimescaleRule(
        name="first_core_group",
        title="First core group",
        starts_on=(E.CP_PLAN_STARTED,),
        stops_on=E.CORE_GROUP_MEETING,
        deadline=Deadline(10, Unit.WORKING_DAYS),
        scope=Scope.LOCAL,
        source=_WORKING_TOGETHER + " (10 working days is widely used)",
        setting="first_core_group",
        period=_CP_PLAN,
        last_occurrence=1,
    ),
    TimescaleRule(
        name="first_cp_review",
        title="First child protection review conference",
        starts_on=(E.CP_PLAN_STARTED,),
        stops_on=E.CP_REVIEW_CONFERENCE,
        deadline=Deadline(3, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source=_WORKING_TOGETHER,
        period=_CP_PLAN,
        last_occurrence=1,
    ),
    TimescaleRule(
        name="later_cp_reviews",
        title="Later child protection review conferences",
        starts_on=(E.CP_REVIEW_CONFERENCE,),
        stops_on=E.CP_REVIEW_CONFERENCE,
        deadline=Deadline(6, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source=_WORKING_TOGETHER,
        period=_CP_PLAN,
    ),
    TimescaleRule(
        name="cp_visits",
        title="Child protection statutory visits",
        starts_on=(E.CP_PLAN_STARTED, E.CP_VISIT),
        stops_on=E.CP_VISIT,
        deadline=Deadline(10, Unit.WORKING_DAYS),
        scope=Scope.LOCAL,
        source="Local",
        setting="cp_visits",
        period=_CP_PLAN,
    ),
    TimescaleRule(
        name="cp_seen_alone",
        title="Child protection: child seen alone at least every other visit",
        starts_on=(E.CP_PLAN_STARTED, E.CP_VISIT),
        stops_on=E.CP_VISIT,
        deadline=Deadline(2, Unit.VISITS),
        scope=Scope.LOCAL,
        source="Local",
        setting="cp_seen_alone",
        period=_CP_PLAN,
        stop_requires_fact="seen_alone",
        visit_rule="cp_visits",
        notes="The due date is the date of the second visit; until it happens, it is projected from the "
        "visit timescale.",
    ),
    TimescaleRule(
        name="cin_visits",
        title="Child in need visits",
        starts_on=(E.CIN_PLAN_STARTED, E.CIN_VISIT),
        stops_on=E.CIN_VISIT,
        deadline=Deadline(20, Unit.WORKING_DAYS),
        scope=Scope.LOCAL,
        source="Local",
        setting="cin_visits",
        period=_CIN_PLAN,
    ),
    TimescaleRule(
        name="cic_first_visit",
        title="Children in care: first visit in a placement",
        starts_on=(E.PLACEMENT_STARTED,),
        stops_on=E.CIC_VISIT,
        deadline=Deadline(1, Unit.WEEKS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 28",
        period=_IN_CARE,
        # A move before the first visit starts a new placement's clock; the old one no longer applies.
        cancelled_by=(E.PLACEMENT_STARTED,),
    ),
    TimescaleRule(
        name="cic_visits",
        title="Children in care: later visits",
        starts_on=(E.CIC_VISIT,),
        stops_on=E.CIC_VISIT,
        deadline=Deadline(6, Unit.WEEKS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 28",
        variants=(Variant(PlacementLongTermAfterFirstYear(), Deadline(3, Unit.MONTHS)),),
        period=_IN_CARE,
        notes="The interval depends on the placement in force at the previous visit.",
    ),
    TimescaleRule(
        name="cic_first_review",
        title="Children in care: first review",
        starts_on=(E.BECAME_LOOKED_AFTER,),
        stops_on=E.CIC_REVIEW,
        deadline=Deadline(20, Unit.WORKING_DAYS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 33",
        period=_IN_CARE,
        last_occurrence=1,
    ),
    TimescaleRule(
        name="cic_second_review",
        title="Children in care: second review",
        starts_on=(E.CIC_REVIEW,),
        stops_on=E.CIC_REVIEW,
        deadline=Deadline(3, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 33",
        period=_IN_CARE,
        last_occurrence=1,
    ),
    TimescaleRule(
        name="cic_later_reviews",
        title="Children in care: later reviews",
        starts_on=(E.CIC_REVIEW,),
        stops_on=E.CIC_REVIEW,
        deadline=Deadline(6, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 33",
        period=_IN_CARE,
        first_occurrence=2,
    ),
    TimescaleRule(
        name="health_assessment",
        title="Children in care: health assessment",
        starts_on=(E.HEALTH_ASSESSMENT,),
        stops_on=E.HEALTH_ASSESSMENT,
        deadline=Deadline(12, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source=_CARE_PLANNING + ", reg 8",
        variants=(Variant(ChildYoungerThan(5), Deadline(6, Unit.MONTHS)),),
        period=_IN_CARE,
        notes="Age is taken on the date of the previous assessment.",
    ),
    TimescaleRule(
        name="dental_check",
        title="Children in care: dental check",
        starts_on=(E.DENTAL_CHECK,),
        stops_on=E.DENTAL_CHECK,
        deadline=Deadline(12, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source="Promoting the health and well-being of looked-after children",
        period=_IN_CARE,
    ),
    TimescaleRule(
        name="return_home_interview",
        title="Return home interview after a missing episode",
        starts_on=(E.MISSING_EPISODE_ENDED,),
        stops_on=E.RETURN_HOME_INTERVIEW,
        deadline=Deadline(72, Unit.HOURS),
        scope=Scope.NATIONAL,
        source="Statutory guidance on children who run away or go missing from home or care",
        timed=True,
    ),
    TimescaleRule(
        name="pathway_plan_review",
        title="Pathway plan review",
        starts_on=(E.PATHWAY_PLAN_STARTED, E.PATHWAY_PLAN_REVIEW),
        stops_on=E.PATHWAY_PLAN_REVIEW,
        deadline=Deadline(6, Unit.MONTHS),
        scope=Scope.NATIONAL,
        source="Care Leavers (England) Regulations 2010",
        period=_PATHWAY,
    ),
    TimescaleRule(
        name="care_leaver_contact",
        title="Personal adviser contact with a care leaver",
        starts_on=(E.BECAME_CARE_LEAVER, E.CARE_LEAVER_CONTACT),
        stops_on=E.CARE_LEAVER_CONTACT,
        deadline=Deadline(8, Unit.WEEKS),
        scope=Scope.LOCAL,
        source="Local",
        setting="care_leaver_contact",
        period=_CARE_LEAVER,
    ),
    TimescaleRule(
        name="adoption_a1",
        title="Adoption A1: entered care to moved in with adopters",
        starts_on=(E.BECAME_LOOKED_AFTER,),
        stops_on=E.PLACED_FOR_ADOPTION,
        deadline=Deadline(426, Unit.DAYS),
        scope=Scope.NATIONAL,
        source="Adoption scorecard threshold",
        period=_IN_CARE,
        cancelled_by=(E.ADOPTION_DECISION_REVERSED,),
        only_if=E.ADOPTION_DECISION,
        notes="Earlier scorecard thresholds were 547 and 487 days; pass a replaced rule to use them.",
    ),
    TimescaleRule(
        name="adoption_a2",
        title="Adoption A2: placement order to match with adopters",
        starts_on=(E.PLACEMENT_ORDER,),
        stops_on=E.MATCHED_WITH_ADOPTERS,
        deadline=Deadline(121, Unit.DAYS),
        scope=Scope.NATIONAL,
        source="Adoption scorecard threshold",
        cancelled_by=(E.ADOPTION_DECISION_REVERSED,),
        notes="An earlier scorecard threshold was 152 days; pass a replaced rule to use it.",
    ),
)

RULES_BY_NAME: Mapping[str, TimescaleRule] = MappingProxyType({rule.name: rule for rule in RULES})


def get_rule(name: str) -> TimescaleRule:
    """The rule called `name`, e.g. 'assessment'; a clear error naming the known rules otherwise."""
    try:
        return RULES_BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"Unknown timescale rule {name!r}; known rules are: {', '.join(RULES_BY_NAME)}."
        ) from None
