"""The plain data the engine reads: a child's case as a list of dated events.

The engine knows nothing of models or databases: the casework, care and front-door parts turn their records
into `Event`s (kind, date, optional key and facts) and pass a `Case` per child. Event kinds are the names
below; each has the words an explanation uses for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

_NO_FACTS: Mapping[str, Any] = MappingProxyType({})


class EventKind:
    """The event kinds the rules use: plain strings, not an Enum, as they key dictionaries in the hot path."""

    # Front door and referral
    CONTACT_RATED = "contact_rated"  # datetime; facts: rating ("red", "amber", "green" or the council's own)
    PARTNER_INFORMATION_COMPLETE = "partner_information_complete"  # datetime: the last partner check back
    REFERRAL = "referral"
    REFERRAL_DECISION = "referral_decision"
    REFERRAL_NFA = "referral_nfa"
    ASSESSMENT_AUTHORISED = "assessment_authorised"
    # Child protection
    SECTION_47_STARTED = "section_47_started"  # dated on the strategy discussion that started it
    ICPC_NOT_REQUIRED = "icpc_not_required"
    INITIAL_CP_CONFERENCE = "initial_cp_conference"
    CP_PLAN_STARTED = "cp_plan_started"
    CP_PLAN_ENDED = "cp_plan_ended"
    CORE_GROUP_MEETING = "core_group_meeting"
    CP_REVIEW_CONFERENCE = "cp_review_conference"
    CP_VISIT = "cp_visit"  # facts: seen_alone (bool)
    # Child in need
    CIN_PLAN_STARTED = "cin_plan_started"
    CIN_PLAN_ENDED = "cin_plan_ended"
    CIN_VISIT = "cin_visit"
    # Children in care
    BECAME_LOOKED_AFTER = "became_looked_after"
    CEASED_LOOKED_AFTER = "ceased_looked_after"
    PLACEMENT_STARTED = "placement_started"  # facts: intended_until_18 (bool)
    CIC_VISIT = "cic_visit"
    CIC_REVIEW = "cic_review"
    HEALTH_ASSESSMENT = "health_assessment"
    DENTAL_CHECK = "dental_check"
    MISSING_EPISODE_ENDED = "missing_episode_ended"  # datetime: child found or returned
    RETURN_HOME_INTERVIEW = "return_home_interview"  # datetime: held, or offered and declined
    # Adoption
    ADOPTION_DECISION = "adoption_decision"  # decision that the child should be placed for adoption
    ADOPTION_DECISION_REVERSED = "adoption_decision_reversed"
    PLACEMENT_ORDER = "placement_order"
    MATCHED_WITH_ADOPTERS = "matched_with_adopters"
    PLACED_FOR_ADOPTION = "placed_for_adoption"  # moved in with adopters
    # Care leavers
    PATHWAY_PLAN_STARTED = "pathway_plan_started"
    PATHWAY_PLAN_REVIEW = "pathway_plan_review"
    BECAME_CARE_LEAVER = "became_care_leaver"
    CARE_LEAVER_CONTACT = "care_leaver_contact"  # personal adviser's contact
    LEAVING_CARE_SUPPORT_ENDED = "leaving_care_support_ended"
    # facts: in_touch, accommodation_suitable, in_education_employment_training (bools), for the measures
    CARE_LEAVER_STATUS = "care_leaver_status"


EVENT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        EventKind.CONTACT_RATED: "contact rated",
        EventKind.PARTNER_INFORMATION_COMPLETE: "partners' information complete",
        EventKind.REFERRAL: "referral",
        EventKind.REFERRAL_DECISION: "decision on the referral",
        EventKind.REFERRAL_NFA: "referral closed, no further action",
        EventKind.ASSESSMENT_AUTHORISED: "assessment authorised",
        EventKind.SECTION_47_STARTED: "strategy discussion that started the section 47 enquiry",
        EventKind.ICPC_NOT_REQUIRED: "conference found not to be needed",
        EventKind.INITIAL_CP_CONFERENCE: "initial child protection conference",
        EventKind.CP_PLAN_STARTED: "child protection plan start",
        EventKind.CP_PLAN_ENDED: "child protection plan end",
        EventKind.CORE_GROUP_MEETING: "core group meeting",
        EventKind.CP_REVIEW_CONFERENCE: "review conference",
        EventKind.CP_VISIT: "statutory visit",
        EventKind.CIN_PLAN_STARTED: "child in need plan start",
        EventKind.CIN_PLAN_ENDED: "child in need plan end",
        EventKind.CIN_VISIT: "child in need visit",
        EventKind.BECAME_LOOKED_AFTER: "becoming looked after",
        EventKind.CEASED_LOOKED_AFTER: "ceasing to be looked after",
        EventKind.PLACEMENT_STARTED: "placement start",
        EventKind.CIC_VISIT: "statutory visit",
        EventKind.CIC_REVIEW: "looked-after review",
        EventKind.HEALTH_ASSESSMENT: "health assessment",
        EventKind.DENTAL_CHECK: "dental check",
        EventKind.MISSING_EPISODE_ENDED: "return from missing",
        EventKind.RETURN_HOME_INTERVIEW: "return home interview",
        EventKind.ADOPTION_DECISION: "decision to place for adoption",
        EventKind.ADOPTION_DECISION_REVERSED: "decision no longer to place for adoption",
        EventKind.PLACEMENT_ORDER: "placement order",
        EventKind.MATCHED_WITH_ADOPTERS: "match with adopters",
        EventKind.PLACED_FOR_ADOPTION: "moved in with adopters",
        EventKind.PATHWAY_PLAN_STARTED: "pathway plan start",
        EventKind.PATHWAY_PLAN_REVIEW: "pathway plan review",
        EventKind.BECAME_CARE_LEAVER: "becoming a care leaver",
        EventKind.CARE_LEAVER_CONTACT: "personal adviser's contact",
        EventKind.LEAVING_CARE_SUPPORT_ENDED: "leaving-care support ended",
        EventKind.CARE_LEAVER_STATUS: "care leaver's status recorded",
    }
)

EVENT_KINDS: frozenset[str] = frozenset(EVENT_LABELS)


@dataclass(frozen=True, slots=True)
class Event:
    """One dated thing that happened in a child's case.

    `on` is a date, or a datetime for the hours-based clocks (contact rated, partners' information, missing
    and return home interviews). `key` ties together the events of one piece of work when a child has
    several at once (e.g. the referral id on both the referral and its assessment); without keys, a clock is
    stopped by the first matching event on or after its start. `facts` carries what a rule needs to know,
    e.g. {"seen_alone": True}.
    """

    kind: str
    on: date | datetime
    key: str | None = None
    facts: Mapping[str, Any] = field(default_factory=lambda: _NO_FACTS, hash=False)


@dataclass(frozen=True, slots=True)
class Case:
    """One child's case: an identifier (any string the caller chooses), date of birth if known, and events."""

    child: str
    events: Sequence[Event]
    born_on: date | None = None


def label(kind: str) -> str:
    """The words for an event kind, e.g. 'strategy discussion that started the section 47 enquiry'."""
    try:
        return EVENT_LABELS[kind]
    except KeyError:
        raise ValueError(
            f"Unknown event kind {kind!r}; known kinds are: {', '.join(sorted(EVENT_KINDS))}."
        ) from None
