"""Writes at the front door. Each function checks the access policy, runs in one transaction, and writes its
own audit and chronology events: a contact is never half-recorded, a decision never half-carried out."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record, changes_between
from outstanding.codes import CIN
from outstanding.frontdoor import deadlines
from outstanding.frontdoor.models import (
    Agency,
    Contact,
    ContactAdult,
    ContactChild,
    FrontDoorSetting,
    PartnerAgencyOfficer,
    PartnerCheck,
    Referral,
)
from outstanding.partnership.models import Council, Service, StaffMember, Team
from outstanding.people import names
from outstanding.people.identifiers import nhs_number_problem
from outstanding.people.models import Child, Involvement, Person, Relationship
from outstanding.people.selectors import likely_duplicates
from outstanding.people.services import (
    NewPerson,
    child_create,
    chronology_record,
    involvement_open,
    relationship_add,
)
from outstanding.timescales import EventKind, OpeningHours

Actor = AbstractBaseUser | None
FRONT_DOOR = "front-door"
# The service each decision hands the children to (a council team offering it takes them on).
NEXT_SERVICE = {
    Contact.Outcome.EARLY_HELP: "early-help",
    Contact.Outcome.REFERRAL: "assessment",
    Contact.Outcome.STRATEGY_DISCUSSION: "child-protection",
}
ANONYMOUS_SOURCE = next(c.code for c in CIN.REFERRAL_SOURCE if c.description == "anonymous")


def _staff(actor: Actor) -> StaffMember | None:
    return getattr(actor, "staff", None) if actor is not None else None


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _front_door() -> Service:
    return Service.objects.get(code=FRONT_DOOR)


def source_label(code: str) -> str:
    return f"{CIN.REFERRAL_SOURCE.describe(code)} ({code})" if code in CIN.REFERRAL_SOURCE else code


@transaction.atomic
def partner_agency_officer_set(*, actor: Actor, staff: StaffMember, agency: str) -> PartnerAgencyOfficer:
    """Record that a MASH officer is seconded from a partner agency: from now they see only its checks."""
    if actor is not None and not policy.may_administer(actor):
        raise PermissionDenied("Only system administrators say which agency a member of staff is from.")
    if agency not in Agency.values:
        raise ValidationError({"agency": f"{agency!r} is not a partner agency."})
    if staff.employing_council_id is not None:
        raise ValidationError({"agency": f"{staff} is employed by {staff.employing_council}, not an agency."})
    officer, _ = PartnerAgencyOfficer.objects.update_or_create(staff=staff, defaults={"agency": agency})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=staff,
        summary=f"{staff} is a {Agency(agency).label.lower()} officer",
    )
    return officer


@transaction.atomic
def front_door_setting_save(*, actor: Actor, council: Council, **values: Any) -> FrontDoorSetting:
    """A council's partner-information deadlines per rating and whether MASH decisions need authorising."""
    if actor is not None and not policy.may_administer(actor):
        raise PermissionDenied("Only system administrators change a council's front-door settings.")
    setting = deadlines.council_setting(council)
    before = {f: getattr(setting, f) for f in values}
    for name, value in values.items():
        setattr(setting, name, value)
    try:
        setting.full_clean()
        deadlines.timescale_settings_of(setting, OpeningHours())  # the timescales' own checks
    except ValueError as error:
        raise ValidationError(str(error)) from error
    setting.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=setting,
        council_id=council.pk,
        summary=f"Front-door settings for {council}",
        changes=changes_between(before, values),
    )
    return setting


# --- recording a contact ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Referrer:
    name: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ChildOnContact:
    """A child the contact is about: an existing record, by number, or details to find or record."""

    record: int | None = None
    details: NewPerson | None = None
    confirmed_new: bool = False  # the worker has looked at the likely duplicates: this is a different child


@dataclass(frozen=True)
class AdultOnContact:
    details: NewPerson
    kind: str = Relationship.Kind.HOUSEHOLD_MEMBER


class LikelyDuplicates(ValidationError):
    """Children on the contact may already be recorded: the worker chooses before anything is saved."""

    def __init__(self, matches: dict[int, list[Child]]) -> None:
        self.matches = matches
        super().__init__(
            {
                f"child-{n}-choice": [
                    "This child may already be recorded: choose the record, or say it is new."
                ]
                for n in matches
            }
        )


@dataclass
class _Resolved:
    existing: dict[int, Child] = field(default_factory=dict)  # slot -> child
    new: dict[int, NewPerson] = field(default_factory=dict)


def _check_contact(
    *,
    actor: Actor,
    mash_team: Team,
    council: Council,
    received_at: datetime | None,
    source: str,
    referrer: Referrer,
    concern: str,
    consent: str,
    consent_reason: str,
    children: list[ChildOnContact],
    adults: list[AdultOnContact],
    ip_address: str | None = None,
) -> _Resolved:
    """Every check before anything is written; raises one ValidationError naming each problem."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if received_at is None:
        errors["received_at"] = "Enter the date and time the contact was received."
    elif received_at > now:
        errors["received_at"] = "The date and time received can't be in the future."
    if not source:
        errors["source"] = "Choose where the contact came from (the referral source)."
    elif source not in CIN.REFERRAL_SOURCE:
        errors["source"] = f"{source} is not a DfE referral source code."
    if source != ANONYMOUS_SOURCE and not referrer.name.strip():
        errors["referrer_name"] = "Enter who made the contact (or choose the anonymous source)."
    if source != ANONYMOUS_SOURCE and not (referrer.phone.strip() or referrer.email.strip()):
        errors["referrer_phone"] = "Enter a phone number or email address to reach the referrer."
    if not concern.strip():
        errors["concern"] = "Enter the concern, in the referrer's words."
    if consent not in Contact.Consent.values:
        errors["consent"] = "Say whether the family consented to information being shared."
    elif consent != Contact.Consent.GIVEN and len(consent_reason.strip()) < 10:
        errors["consent_reason"] = "Give the reason for sharing without consent, in a sentence."
    resolved = _Resolved()
    if not children:
        errors["child-1-last_name"] = "Add at least one child the contact is about."
    today = timezone.localdate()
    for n, entry in enumerate(children, start=1):
        if entry.record is not None:
            child = Child.objects.select_related("person").filter(pk=entry.record).first()
            if child is None or child.responsible_council_id != council.pk or child.person.merged_into_id:
                # the same words whether the record is missing or another council's: knowing of a child is not
                # everyone's business
                errors[f"child-{n}-record"] = (
                    f"There is no child with record number {entry.record} for {council.name}: check the "
                    "number, or enter the child's details instead."
                )
            elif actor is not None and not policy.may_add_child_to_contact(actor, child, mash_team, today):
                # a restricted record opens only for the people named on it; the words don't say whether
                # the number is a restricted child's
                errors[f"child-{n}-record"] = (
                    f"There is no child with record number {entry.record} for {council.name} that you can "
                    "add to a contact: check the number, enter the child's details instead, or ask your "
                    "manager (a restricted record is added by someone named on it)."
                )
            elif child.pk in {c.pk for c in resolved.existing.values()}:
                errors[f"child-{n}-record"] = "This child is already on the contact."
            else:
                resolved.existing[n] = child
            continue
        details = entry.details
        if details is None or not (details.first_name.strip() or details.last_name.strip()):
            errors[f"child-{n}-last_name"] = "Enter the child's name, or their record number."
            continue
        if details.date_of_birth is None:
            errors[f"child-{n}-date_of_birth"] = "Enter the child's date of birth."
        elif details.date_of_birth > timezone.localdate():
            errors[f"child-{n}-date_of_birth"] = "A date of birth can't be in the future."
        if details.nhs_number and (problem := nhs_number_problem(details.nhs_number)):
            errors[f"child-{n}-nhs_number"] = problem
        resolved.new[n] = details
    for n, adult in enumerate(adults, start=1):
        if not adult.details.last_name.strip():
            errors[f"adult-{n}-last_name"] = "Enter the adult's surname."
        if adult.kind not in Relationship.Kind.values or adult.kind in (
            Relationship.Kind.SIBLING,
            Relationship.Kind.PROFESSIONAL,
        ):
            errors[f"adult-{n}-kind"] = "Choose how the adult is related to the children."
        if adult.details.date_of_birth and adult.details.date_of_birth > timezone.localdate():
            errors[f"adult-{n}-date_of_birth"] = "A date of birth can't be in the future."
    if errors:
        raise ValidationError(errors)
    matches = {}
    looked = 0
    for n, details in resolved.new.items():
        if children[n - 1].confirmed_new:
            continue
        looked += 1
        found = likely_duplicates(
            user=actor,
            first_name=details.first_name,
            last_name=details.last_name,
            date_of_birth=details.date_of_birth,
            nhs_number=details.nhs_number,
            council_id=council.pk,
        )
        if found:
            matches[n] = found
    if looked:
        # a look into the council's register of children, beyond what the worker may open: audited
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SEARCH,
            council_id=council.pk,
            summary=f"Duplicate check before recording a contact: {looked} "
            f"{'child' if looked == 1 else 'children'}, "
            f"{sum(len(m) for m in matches.values())} possible match(es)",
            changes={"possible_matches": sorted({c.pk for m in matches.values() for c in m})},
            ip_address=ip_address,
        )
    if matches:
        raise LikelyDuplicates(matches)
    return resolved


def _front_door_involvement(*, actor: Actor, child: Child, team: Team, on: date) -> Involvement:
    """The MASH's involvement with the child while it screens the contact: what lets it see the child."""
    open_one = child.involvements.filter(team=team, service__code=FRONT_DOOR, end_date__isnull=True).first()
    if open_one is not None:
        return open_one
    return involvement_open(actor=actor, child=child, service=_front_door(), team=team, start_date=on)


def _adult_person(
    *, actor: Actor, adult: AdultOnContact, children: list[Child], today: date
) -> Person | None:
    """The adult as already recorded around these children (a name that sounds the same), or a new record."""
    first, last = names.sound_key(adult.details.first_name), names.sound_key(adult.details.last_name)
    known = Relationship.objects.filter(
        child__in=children, person__first_name_key=first, person__last_name_key=last
    ).select_related("person")
    if adult.details.date_of_birth:
        known = known.filter(
            Q(person__date_of_birth=adult.details.date_of_birth) | Q(person__date_of_birth=None)
        )
    person = known[0].person if known else None
    for child in children:
        if actor is not None and not policy.child_access(actor, child, today).can_change:
            continue  # a restricted record: the link waits for someone named on it
        if person is None:
            person = relationship_add(
                actor=actor, child=child, kind=adult.kind, new_person=adult.details
            ).person
        elif not Relationship.objects.filter(child=child, person=person, kind=adult.kind).exists():
            relationship_add(actor=actor, child=child, kind=adult.kind, person=person)
    return person


def contact_record(
    *,
    actor: Actor,
    mash_team: Team,
    council: Council,
    received_at: datetime | None,
    source: str,
    referrer: Referrer,
    concern: str,
    consent: str,
    consent_reason: str = "",
    children: list[ChildOnContact],
    adults: list[AdultOnContact] = (),
    ip_address: str | None = None,
) -> Contact:
    """Record a contact about one or more children of one council, for a MASH serving that council.

    Children are found (by record number, or a likely duplicate the worker chose) or recorded; each gets the
    MASH's front-door involvement, so the MASH may see them while it screens. Raises ValidationError (with
    `LikelyDuplicates` when the worker must choose) before anything is written.
    """
    today = timezone.localdate()
    if actor is not None and not policy.may_record_contact(actor, mash_team, council.pk, today):
        raise PermissionDenied(f"You can't record contacts about {council.name}'s children in {mash_team}.")
    adults = list(adults)
    resolved = _check_contact(
        actor=actor,
        mash_team=mash_team,
        council=council,
        received_at=received_at,
        source=source,
        referrer=referrer,
        concern=concern,
        consent=consent,
        consent_reason=consent_reason,
        children=children,
        adults=adults,
        ip_address=ip_address,
    )
    with transaction.atomic():
        contact = Contact.objects.create(
            mash_team=mash_team,
            council=council,
            received_at=received_at,
            source=source,
            referrer_name=referrer.name.strip(),
            referrer_organisation=referrer.organisation.strip(),
            referrer_phone=referrer.phone.strip(),
            referrer_email=referrer.email.strip(),
            concern=concern.strip(),
            consent=consent,
            consent_reason=consent_reason.strip() if consent != Contact.Consent.GIVEN else "",
            decision_due_at=(due := deadlines.decision_due(received_at, mash_team)),
            due_at=due,
            recorded_by=_staff(actor),
        )
        in_order: list[Child] = []
        for n in range(1, len(children) + 1):
            if n in resolved.existing:
                in_order.append(resolved.existing[n])
            else:
                in_order.append(
                    child_create(
                        actor=actor,
                        details=resolved.new[n],
                        responsible_council=council,
                        known_since=timezone.localtime(received_at).date(),
                        ip_address=ip_address,
                    )
                )
        for child in in_order:
            ContactChild.objects.create(contact=contact, child=child)
            _front_door_involvement(actor=actor, child=child, team=mash_team, on=today)
            chronology_record(
                actor=actor,
                child=child,
                kind="contact",
                occurred_on=timezone.localtime(received_at).date(),
                occurred_at=received_at,
                summary=f"Contact from {source_label(source)}",
                service=_front_door(),
                key=f"contact-{contact.pk}",
                facts={"source": source},
                source=contact,
            )
        for n, adult in enumerate(adults, start=1):
            person = _adult_person(actor=actor, adult=adult, children=in_order, today=today)
            if person is None:
                restricted = "The children's records are restricted: ask someone named on them."
                raise ValidationError({f"adult-{n}-last_name": restricted})
            ContactAdult.objects.create(contact=contact, person=person, kind=adult.kind)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=contact,
            council_id=council.pk,
            summary=f"Recorded a contact from {source_label(source)} about {len(in_order)} "
            f"{'child' if len(in_order) == 1 else 'children'}",
            ip_address=ip_address,
        )
    return contact


# --- screening ----------------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_open(contact: Contact) -> None:
    if not contact.is_open:
        raise ValidationError("This contact has been decided: it can't be changed.")


def _next_due(contact: Contact) -> datetime | None:
    if not contact.is_open:
        return None
    dues = [contact.decision_due_at]
    if contact.partner_information_due_at and contact.partner_information_complete_at is None:
        dues.append(contact.partner_information_due_at)
    return min(dues)


def _children(contact: Contact) -> list[Child]:
    return [cc.child for cc in contact.contact_children.select_related("child__person")]


@transaction.atomic
def contact_take(*, actor: AbstractBaseUser, contact: Contact) -> Contact:
    """The worker takes the contact from the queue: it is theirs until decided (or someone else takes it)."""
    _require(
        policy.may_screen_contact(actor, contact, timezone.localdate()), "You can't work on this contact."
    )
    contact = Contact.objects.select_for_update().select_related("owner").get(pk=contact.pk)
    _require_open(contact)
    before = contact.owner.full_name if contact.owner else None
    contact.owner = actor.staff
    contact.save(update_fields=["owner"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=contact,
        council_id=contact.council_id,
        summary="Took the contact from the MASH queue",
        changes={"owner": [before, actor.staff.full_name]},
    )
    return contact


def agencies_in_mash(team: Team, on: date) -> frozenset[str]:
    """The partner agencies with an officer in the MASH on `on`: each records its own checks."""
    return frozenset(
        PartnerAgencyOfficer.objects.filter(staff__team_memberships__in=team.memberships.on(on)).values_list(
            "agency", flat=True
        )
    )


def _check_create(
    *, actor: Actor, contact: Contact, agency: str, question: str, at: datetime
) -> PartnerCheck:
    if agency not in Agency.values:
        raise ValidationError({"agencies": f"{agency!r} is not a partner agency."})
    if contact.partner_checks.filter(agency=agency).exists():
        raise ValidationError({"agencies": f"{Agency(agency).label} has already been asked."})
    check = PartnerCheck.objects.create(
        contact=contact, agency=agency, question=question.strip(), requested_at=at, requested_by=_staff(actor)
    )
    if contact.partner_information_complete_at is not None:
        contact.partner_information_complete_at = None  # a new question re-opens the partners' clock
    return check


def contact_screen(
    *,
    actor: Actor,
    contact: Contact,
    threshold: int | None,
    rating: str,
    agencies: list[str],
    notes: str = "",
    at: datetime | None = None,
    ip_address: str | None = None,
) -> Contact:
    """Rate the contact (threshold and urgency) and ask partner agencies what they know.

    The partners' information deadline comes from the council's setting for the rating, counted in the
    MASH's opening hours.
    """
    if actor is not None:
        _require(
            policy.may_screen_contact(actor, contact, timezone.localdate()), "You can't screen this contact."
        )
    at = _now(at)
    errors = {}
    if threshold not in Contact.Threshold.values:
        errors["threshold"] = "Choose the threshold level, 1 to 4."
    if rating not in Contact.Rating.values:
        errors["rating"] = "Choose the urgency rating: red, amber or green."
    unknown = [a for a in agencies if a not in Agency.values]
    if unknown:
        errors["agencies"] = f"Unknown partner agency: {', '.join(unknown)}."
    with transaction.atomic():
        # the row as it stands once locked, not as the caller (or this function) last read it
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if at < contact.received_at:
            errors["rated_at"] = "A contact can't be rated before it was received."
        if contact.status != Contact.Status.AWAITING_SCREENING:
            errors["rating"] = "This contact has already been screened."
        if errors:
            raise ValidationError(errors)
        contact.threshold = threshold
        contact.rating = rating
        contact.screening_notes = notes.strip()
        contact.rated_at = at
        contact.rated_by = _staff(actor)
        contact.status = Contact.Status.SCREENING
        contact.partner_information_due_at = deadlines.partner_information_due(
            at, rating, contact.council, contact.mash_team
        )
        if contact.owner_id is None and actor is not None:
            contact.owner = actor.staff  # whoever screens it holds it until someone takes it
        for agency in dict.fromkeys(agencies):
            _check_create(actor=actor, contact=contact, agency=agency, question="", at=at)
        if not agencies:
            contact.partner_information_complete_at = at  # nothing to wait for
        contact.due_at = _next_due(contact)
        contact.save()
        for child in _children(contact):
            chronology_record(
                actor=actor,
                child=child,
                kind=EventKind.CONTACT_RATED,
                occurred_on=timezone.localtime(at).date(),
                occurred_at=at,
                summary=f"Contact rated {rating}, threshold level {threshold}",
                service=_front_door(),
                key=f"contact-{contact.pk}",
                facts={"rating": rating, "threshold": threshold},
                source=contact,
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=contact,
            council_id=contact.council_id,
            summary=f"Screened: level {threshold}, rated {rating}; asked "
            + (", ".join(Agency(a).label for a in agencies) or "no partner agencies"),
            ip_address=ip_address,
        )
    return contact


@transaction.atomic
def partner_check_request(
    *, actor: Actor, contact: Contact, agency: str, question: str = "", at: datetime | None = None
) -> PartnerCheck:
    """Ask one more partner agency, after screening."""
    if actor is not None:
        _require(
            policy.may_screen_contact(actor, contact, timezone.localdate()), "You can't work on this contact."
        )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _require_open(contact)
    if contact.rated_at is None:
        raise ValidationError(
            {"agencies": "Screen the contact first: its rating sets the partners' deadline."}
        )
    check = _check_create(actor=actor, contact=contact, agency=agency, question=question, at=_now(at))
    contact.due_at = _next_due(contact)
    contact.save(update_fields=["partner_information_complete_at", "due_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=contact,
        council_id=contact.council_id,
        summary=f"Asked {Agency(agency).label} for a check",
    )
    return check


def partner_check_record(
    *,
    actor: Actor,
    check: PartnerCheck,
    information_held: bool | None,
    findings: str,
    at: datetime | None = None,
    ip_address: str | None = None,
) -> PartnerCheck:
    """An agency's answer. When the last one is in, the partners' information is complete."""
    contact = check.contact
    today = timezone.localdate()
    if actor is not None:
        represented = agencies_in_mash(contact.mash_team, today)
        _require(
            policy.may_record_partner_check(actor, contact, check.agency, represented, today),
            f"Only {check.get_agency_display().lower()}'s own officer in the MASH records this check.",
        )
    at = _now(at)
    errors = {}
    if information_held is None:
        errors["information_held"] = "Say whether the agency holds information about the family."
    if information_held and not findings.strip():
        errors["findings"] = "Enter what the agency found."
    with transaction.atomic():
        # the contact, then the check, locked and read afresh: two answers at once, or an answer as the
        # contact is decided, can't both go through
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        check = PartnerCheck.objects.select_for_update().get(pk=check.pk)
        if at < check.requested_at:
            errors["findings"] = "An answer can't come before the question."
        if check.returned_at is not None:
            errors["findings"] = "This check has already been answered."
        if not contact.is_open:
            errors["findings"] = "This contact has been decided: it can't be changed."
        if errors:
            raise ValidationError(errors)
        check.information_held = information_held
        check.findings = findings.strip()
        check.returned_at = at
        check.returned_by = _staff(actor)
        check.save()
        complete = not contact.partner_checks.filter(returned_at__isnull=True).exists()
        if complete:
            contact.partner_information_complete_at = at
            for child in _children(contact):
                chronology_record(
                    actor=actor,
                    child=child,
                    kind=EventKind.PARTNER_INFORMATION_COMPLETE,
                    occurred_on=timezone.localtime(at).date(),
                    occurred_at=at,
                    summary="Partners' information complete",
                    service=_front_door(),
                    key=f"contact-{contact.pk}",
                    source=contact,
                )
        contact.due_at = _next_due(contact)
        contact.save(update_fields=["partner_information_complete_at", "due_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=contact,
            council_id=contact.council_id,
            summary=f"{check.get_agency_display()} check returned: "
            + ("information held" if information_held else "nothing known"),
            ip_address=ip_address,
        )
    return check


# --- the decision -------------------------------------------------------------------------------------------


def next_step_teams(contact: Contact, outcome: str) -> list[Team]:
    """The council's own teams that can take on the decision's next step."""
    code = NEXT_SERVICE.get(outcome)
    if code is None:
        return []
    teams = Team.objects.filter(council_id=contact.council_id, services__code=code)
    if not teams.exists() and code == "child-protection":
        teams = Team.objects.filter(council_id=contact.council_id, services__code="assessment")
    return list(teams.distinct().order_by("name"))


def contact_decide(
    *,
    actor: Actor,
    contact: Contact,
    outcome: str,
    reason: str,
    next_team: Team | None = None,
    at: datetime | None = None,
    ip_address: str | None = None,
) -> Contact:
    """The MASH's decision. Where the council requires it, a MASH manager authorises it before the next step
    (early help, a referral with its assessment clock, a strategy discussion) starts."""
    if actor is not None:
        _require(
            policy.may_screen_contact(actor, contact, timezone.localdate()), "You can't decide this contact."
        )
    at = _now(at)
    errors = {}
    if outcome not in Contact.Outcome.values:
        errors["outcome"] = "Choose the decision."
    if len(reason.strip()) < 10:
        errors["reason"] = "Give the reason for the decision, in a sentence or more."
    if outcome in NEXT_SERVICE:
        allowed = {t.pk for t in next_step_teams(contact, outcome)}
        if next_team is None or next_team.pk not in allowed:
            errors["next_team"] = f"Choose the {contact.council.name} team that will take this on."
    with transaction.atomic():
        # the row as it stands once locked: two decisions at once can't both go through
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == Contact.Status.AWAITING_SCREENING:
            errors["outcome"] = "Screen the contact (threshold and rating) before deciding."
        elif not contact.is_open or contact.status == Contact.Status.AWAITING_AUTHORISATION:
            errors["outcome"] = "This contact has already been decided."
        if at < contact.received_at:
            errors["outcome"] = "A decision can't come before the contact."
        if errors:
            raise ValidationError(errors)
        contact.outcome = outcome
        contact.decision_reason = reason.strip()
        contact.decided_at = at
        contact.decided_by = _staff(actor)
        contact.next_team = next_team if outcome in NEXT_SERVICE else None
        needs_authorisation = deadlines.council_setting(contact.council).decisions_need_authorisation
        contact.status = Contact.Status.AWAITING_AUTHORISATION if needs_authorisation else contact.status
        contact.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=contact,
            council_id=contact.council_id,
            summary=f"Decided: {contact.get_outcome_display()}"
            + (" (awaiting a manager's authorisation)" if needs_authorisation else ""),
            ip_address=ip_address,
        )
        if not needs_authorisation:
            _carry_out(actor=actor, contact=contact, at=at)
    return contact


@transaction.atomic
def contact_authorise(
    *, actor: Actor, contact: Contact, at: datetime | None = None, ip_address: str | None = None
) -> Contact:
    if actor is not None:
        _require(
            policy.may_authorise_contact_decision(actor, contact, timezone.localdate()),
            "Only a manager of this MASH can authorise its decisions.",
        )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != Contact.Status.AWAITING_AUTHORISATION:
        raise ValidationError("This decision isn't waiting for authorisation.")
    if actor is not None:
        # checked again on the locked row: the decision may have been made again since the caller read it
        _require(
            policy.may_authorise_contact_decision(actor, contact, timezone.localdate()),
            "Another MASH manager must authorise this decision: you made it.",
        )
    at = _now(at)
    contact.authorised_at = at
    contact.authorised_by = _staff(actor)
    contact.save(update_fields=["authorised_at", "authorised_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=contact,
        council_id=contact.council_id,
        summary=f"Authorised the decision: {contact.get_outcome_display()}",
        ip_address=ip_address,
    )
    _carry_out(actor=actor, contact=contact, at=at)
    return contact


def _carry_out(*, actor: Actor, contact: Contact, at: datetime) -> None:
    """Start the decision's next step for every child, end the MASH's involvement, and close the contact."""
    on = timezone.localtime(at).date()
    front_door = _front_door()
    outcome = contact.outcome
    for cc in contact.contact_children.select_related("child__person"):
        child = cc.child
        if outcome in NEXT_SERVICE:
            service_code = NEXT_SERVICE[outcome]
            if not contact.next_team.services.filter(code=service_code).exists():
                service_code = "assessment"
            involvement = involvement_open(
                actor=actor,
                child=child,
                service=Service.objects.get(code=service_code),
                team=contact.next_team,
                start_date=on,
            )
            cc.next_involvement = involvement
            cc.save(update_fields=["next_involvement"])
        if outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY_DISCUSSION):
            earlier = deadlines.previous_referral(
                child, council_id=contact.council_id, on=on, contact=contact
            )
            referral = Referral.objects.create(
                child=child,
                contact=contact,
                council_id=contact.council_id,
                referral_date=on,
                source=contact.source,
                next_step=Referral.NextStep.STRATEGY_DISCUSSION
                if outcome == Contact.Outcome.STRATEGY_DISCUSSION
                else Referral.NextStep.ASSESSMENT,
                is_re_referral=earlier is not None,
                previous_referral=earlier,
                assessment_due_on=deadlines.assessment_due(on),
                involvement=cc.next_involvement,
            )
            key = f"referral-{referral.pk}"
            for kind, summary in (
                (EventKind.REFERRAL, f"Referral from {source_label(contact.source)}"),
                (EventKind.REFERRAL_DECISION, f"Decision on the referral: {contact.get_outcome_display()}"),
            ):
                chronology_record(
                    actor=actor,
                    child=child,
                    kind=kind,
                    occurred_on=on,
                    summary=summary + (" (re-referral within 12 months)" if earlier else ""),
                    service=front_door,
                    key=key,
                    facts={"source": contact.source, "re_referral": earlier is not None},
                    source=referral,
                )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=referral,
                council_id=contact.council_id,
                summary=f"Referral of {child.person.full_name}; "
                f"assessment due {referral.assessment_due_on:%d %b %Y}",
            )
        else:
            chronology_record(
                actor=actor,
                child=child,
                kind="contact",
                occurred_on=on,
                occurred_at=at,
                summary=f"Contact decided: {contact.get_outcome_display()}",
                service=front_door,
                key=f"contact-{contact.pk}",
                source=contact,
            )
        for involvement in child.involvements.filter(
            team=contact.mash_team, service=front_door, end_date__isnull=True
        ):
            # the MASH's work with the child ends with the decision, unless another contact is still open
            still_open = (
                ContactChild.objects.filter(child=child, contact__mash_team=contact.mash_team)
                .exclude(contact=contact)
                .filter(contact__status__in=Contact.OPEN_STATUSES)
                .exists()
            )
            if not still_open:
                involvement.end_date = max(on, involvement.start_date)
                involvement.save(update_fields=["end_date"])
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.UPDATE,
                    obj=involvement,
                    council_id=contact.council_id,
                    summary=f"{contact.mash_team} finished screening {child.person.full_name}",
                )
    contact.status = Contact.Status.DECIDED
    contact.due_at = None
    contact.save(update_fields=["status", "due_at"])


@dataclass
class FrontDoorLoad:
    """Unsaved front-door records to load together (an import of history, or the demo)."""

    contacts: list[Contact] = field(default_factory=list)
    contact_children: list[ContactChild] = field(default_factory=list)
    partner_checks: list[PartnerCheck] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def _column_value(row: models.Model, f: models.Field, ops: Any) -> Any:
    if f.is_relation and f.is_cached(row):
        related = f.get_cached_value(row)  # loaded moments before: its key is known only now
        return related.pk if related is not None else None
    value = getattr(row, f.attname)
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return ops.adapt_datefield_value(value)
    return value


def _insert_many(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert many new rows with one prepared statement: years of history in seconds, not minutes.

    Keys are given here (after the table's highest) so rows loaded later can point at them; the sequence is
    moved on afterwards: for loading history into a quiet database (the demo, a council joining), not for use
    alongside other writers. Values are adapted as Django adapts them for the database in use.
    """
    if not rows:
        return
    ops = connection.ops
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - a model's own table name
        next_id = (cursor.fetchone()[0] or 0) + 1
        stamped = [f.attname for f in fields if getattr(f, "auto_now_add", False)]
        for offset, row in enumerate(rows):
            row.pk = next_id + offset
            for name in stamped:
                setattr(row, name, getattr(row, name) or now)
        values = [(row.pk, *(_column_value(row, f, ops) for f in fields)) for row in rows]
        columns = ", ".join([ops.quote_name("id"), *(ops.quote_name(f.column) for f in fields)])
        marks = ", ".join(["%s"] * (len(fields) + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608
        for sql in ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


@transaction.atomic
def frontdoor_bulk_load(*, actor: Actor, load: FrontDoorLoad, source: str) -> dict[str, int]:
    """Load many contacts and referrals at once, in one transaction, with one audit event per council.

    Rows may point at rows loaded with them (a child on a contact, a re-referral at the referral before it,
    listed earlier).
    """
    if actor is not None and not policy.may_administer(actor):
        raise PermissionDenied("Only system administrators load front-door history.")
    for contact in load.contacts:
        if contact.source not in CIN.REFERRAL_SOURCE:
            raise ValidationError(f"{contact.source!r} is not a DfE referral source code.")
    for model, rows in (
        (Contact, load.contacts),
        (ContactChild, load.contact_children),
        (PartnerCheck, load.partner_checks),
        (Referral, load.referrals),
    ):
        _insert_many(model, rows)
    counts: dict[int, int] = {}
    for contact in load.contacts:
        counts[contact.council_id] = counts.get(contact.council_id, 0) + 1
    for council_id, n in sorted(counts.items()):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            council_id=council_id,
            summary=f"Loaded {n} contacts and their referrals from {source}",
        )
    return {
        "contacts": len(load.contacts),
        "referrals": len(load.referrals),
        "re_referrals": sum(r.is_re_referral for r in load.referrals),
    }
