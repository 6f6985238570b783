"""Writes about people. Each function runs in one transaction and writes its own audit event."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council, Service, StaffMember, Team
from outstanding.people import names
from outstanding.people.identifiers import nhs_number_problem, normalise_nhs_number, upn_problem
from outstanding.people.models import (
    Address,
    BreakGlassAccess,
    Child,
    ChronologyEvent,
    Involvement,
    NamedAccess,
    Person,
    Relationship,
)
from outstanding.timescales import EVENT_KINDS

Actor = AbstractBaseUser | None
# Chronology events that start or stop no statutory clock, beside the timescale engine's own kinds.
OTHER_CHRONOLOGY_KINDS = frozenset(
    {
        "contact",
        "case_note",
        "involvement_started",
        "involvement_ended",
        "moved",
        "risk_identified",
        "strategy_discussion",
        "plan_review",
        "episode_closed",
    }
)
BREAK_GLASS_HOURS = 8  # a working day: long enough for the emergency, short enough to be asked again
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """ "sw1a1aa" -> "SW1A 1AA"; a clear error for anything that isn't a UK postcode."""
    match = _POSTCODE.match(value.strip().upper())
    if not match:
        raise ValidationError(f"{value!r} is not a UK postcode, like SW1A 1AA.")
    return f"{match.group(1)} {match.group(2)}"


def _name_keys(person: Person) -> None:
    person.first_name_key = names.sound_key(person.first_name)
    person.last_name_key = names.sound_key(person.last_name)
    person.last_name_folded = names.fold(person.last_name)


def _check_identifiers(*, nhs_number: str, upn: str = "") -> dict[str, str]:
    errors = {}
    if nhs_number and (problem := nhs_number_problem(nhs_number)):
        errors["nhs_number"] = problem
    if upn and (problem := upn_problem(upn)):
        errors["upn"] = problem
    return errors


@dataclass(frozen=True)
class NewPerson:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    sex: str = Person.Sex.UNKNOWN
    middle_names: str = ""
    nhs_number: str = ""
    phone: str = ""


def _person_build(details: NewPerson, council: Council) -> Person:
    errors = _check_identifiers(nhs_number=details.nhs_number)
    if not details.first_name.strip() and not details.last_name.strip():
        errors["last_name"] = "Enter a name (a first name or a surname at least)."
    if details.date_of_birth and details.date_of_birth > timezone.localdate():
        errors["date_of_birth"] = (
            "A date of birth can't be in the future: for an unborn child give the due date."
        )
    if errors:
        raise ValidationError(errors)
    person = Person(
        first_name=details.first_name.strip(),
        middle_names=details.middle_names.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        nhs_number=normalise_nhs_number(details.nhs_number),
        phone=details.phone,
        council=council,
    )
    _name_keys(person)
    person.full_clean(exclude=["merged_into"])
    return person


def _require_change(actor: Actor, child: Child) -> None:
    if actor is None:
        return  # the system itself (demo generator, imports)
    if not policy.child_access(actor, child, timezone.localdate()).can_change:
        raise PermissionDenied("You can't change this child's record.")


@transaction.atomic
def child_create(
    *,
    actor: Actor,
    details: NewPerson,
    responsible_council: Council,
    known_since: date,
    expected_date_of_birth: date | None = None,
    upn: str = "",
    ethnicity: str = "",
    disabilities: list[str] | None = None,
    first_language: str = "",
    religion: str = "",
    gender_identity: str = "",
    address: dict[str, Any] | None = None,
    ip_address: str | None = None,
    front_door_team: Team | None = None,
) -> Child:
    """Record a new child. Checking for likely duplicates first is the caller's (`likely_duplicates`)."""
    if actor is not None and not policy.may_record_child(actor, responsible_council.pk, timezone.localdate()):
        raise PermissionDenied(f"You can't record children for {responsible_council}.")
    errors = _check_identifiers(nhs_number="", upn=upn)
    if details.date_of_birth is None and expected_date_of_birth is None:
        errors["date_of_birth"] = (
            "Enter the date of birth, or the expected date of birth for an unborn child."
        )
    if expected_date_of_birth and details.sex != Person.Sex.UNKNOWN:
        errors["sex"] = "An unborn child's sex is recorded as U (unknown) until birth."
    if known_since > timezone.localdate():
        errors["known_since"] = "The date the child became known can't be in the future."
    if errors:
        raise ValidationError(errors)
    person = _person_build(details, responsible_council)
    person.save()
    child = Child(
        person=person,
        responsible_council=responsible_council,
        expected_date_of_birth=expected_date_of_birth,
        gender_identity=gender_identity,
        ethnicity=ethnicity,
        disabilities=disabilities or [],
        first_language=first_language,
        religion=religion,
        upn=upn.strip().upper(),
        known_since=known_since,
    )
    child.full_clean(exclude=["person"])
    child.save()
    if address:
        _address_add(person, **address)
    if front_door_team is not None:
        # recorded by a shared front door for a partner council: the MASH is now working with the child
        involvement_open(
            actor=actor,
            child=child,
            service=Service.objects.get(code="front-door"),
            team=front_door_team,
            start_date=known_since,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=child,
        council_id=responsible_council.pk,
        summary=f"Recorded child {person.full_name}",
        ip_address=ip_address,
    )
    return child


def _address_add(
    person: Person, *, line_1: str, postcode: str, start_date: date, line_2: str = "", town: str = ""
) -> Address:
    postcode = normalise_postcode(postcode)
    current = person.addresses.filter(end_date__isnull=True).first()
    if current is not None:
        if current.start_date >= start_date:
            raise ValidationError({"start_date": "A new address must start after the current one."})
        current.end_date = start_date - timedelta(days=1)
        current.save(update_fields=["end_date"])
    return Address.objects.create(
        person=person,
        line_1=line_1,
        line_2=line_2,
        town=town or "London",
        postcode=postcode,
        start_date=start_date,
    )


@transaction.atomic
def address_add(
    *,
    actor: Actor,
    child: Child,
    line_1: str,
    postcode: str,
    start_date: date,
    line_2: str = "",
    town: str = "",
) -> Address:
    """A child's new address; the current one ends the day before, so the postcode history stays whole."""
    _require_change(actor, child)
    previous = child.person.addresses.filter(end_date__isnull=True).values_list("postcode", flat=True).first()
    address = _address_add(
        child.person, line_1=line_1, line_2=line_2, town=town, postcode=postcode, start_date=start_date
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"New address from {start_date:%d %b %Y}",
        changes={"postcode": [previous, address.postcode]},
    )
    return address


@transaction.atomic
def relationship_add(
    *,
    actor: Actor,
    child: Child,
    kind: Relationship.Kind,
    person: Person | None = None,
    new_person: NewPerson | None = None,
    parental_responsibility: bool = False,
    lives_with_child: bool = False,
) -> Relationship:
    """Link a family or network member (an existing person, or a new one) to a child."""
    _require_change(actor, child)
    if (person is None) == (new_person is None):
        raise ValidationError("Name either an existing person or a new one.")
    if person is None:
        person = _person_build(new_person, child.responsible_council)
        person.save()
    if person.pk == child.pk:
        raise ValidationError("A child can't be related to themselves.")
    if actor is not None and hasattr(person, "child"):
        if not policy.child_access(actor, person.child, timezone.localdate()).can_view:
            raise PermissionDenied("You can only link a child whose record you can open.")
    if Relationship.objects.filter(child=child, person=person, kind=kind).exists():
        raise ValidationError(f"{person} is already recorded as {Relationship.Kind(kind).label.lower()}.")
    relationship = Relationship.objects.create(
        child=child,
        person=person,
        kind=kind,
        parental_responsibility=parental_responsibility,
        lives_with_child=lives_with_child,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Added {person.full_name} as {relationship.get_kind_display().lower()}",
    )
    return relationship


@transaction.atomic
def involvement_open(
    *,
    actor: Actor,
    child: Child,
    service: Service,
    team: Team,
    start_date: date,
    allocated_worker: StaffMember | None = None,
) -> Involvement:
    if team.arrangement_id and team.arrangement.service_id != service.pk:
        raise ValidationError(f"{team} works only {team.arrangement.service}.")
    involvement = Involvement.objects.create(
        child=child, service=service, team=team, start_date=start_date, allocated_worker=allocated_worker
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=involvement,
        council_id=child.responsible_council_id,
        summary=f"{service} began working with {child} ({team})",
    )
    return involvement


@transaction.atomic
def restriction_set(*, actor: Actor, child: Child, reason: str, named: list[StaffMember]) -> Child:
    """Make a record restricted: from now only the named people may open it."""
    if actor is not None:
        access = policy.child_access(actor, child, timezone.localdate())
        # can_view: on a record already restricted, only someone named on it may change who is
        if not (policy.has_role(actor, *policy.MANAGER_ROLES) and access.can_view and access.whole_record):
            raise PermissionDenied("Only a manager who can open this child's whole record can restrict it.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this record is restricted."})
    child.restricted = True
    child.restriction_reason = reason.strip()
    child.save(update_fields=["restricted", "restriction_reason"])
    granted_by = getattr(actor, "staff", None) if actor is not None else None
    for staff in named:
        NamedAccess.objects.get_or_create(
            child=child, staff=staff, ended_at=None, defaults={"granted_by": granted_by}
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Restricted the record: {reason.strip()}",
        changes={"named": sorted(s.full_name for s in named)},
    )
    return child


@transaction.atomic
def break_glass(
    *, actor: AbstractBaseUser, child: Child, reason: str, ip_address: str | None = None
) -> BreakGlassAccess:
    """Open a restricted record one is not named on, for a stated reason; managers see every use."""
    access = policy.child_access(actor, child, timezone.localdate())
    if not access.can_break_glass:
        raise PermissionDenied("You can't break the glass on this record.")
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Give the reason you need this record now, in a sentence."})
    grant = BreakGlassAccess.objects.create(
        child=child,
        staff=actor.staff,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.BREAK_GLASS,
        obj=child,
        council_id=child.responsible_council_id,
        summary=f"Broke the glass: {reason}"[:300],
        ip_address=ip_address,
    )
    return grant


_FILLABLE_PERSON = ["middle_names", "date_of_birth", "nhs_number", "phone", "other_names"]
_FILLABLE_CHILD = [
    "expected_date_of_birth",
    "gender_identity",
    "ethnicity",
    "first_language",
    "religion",
    "upn",
]


@transaction.atomic
def child_merge(*, actor: Actor, keep: Child, duplicate: Child, ip_address: str | None = None) -> Child:
    """Merge `duplicate` into `keep`, keeping everything from both; the duplicate stays, marked as merged.

    Everything that points at the duplicate (addresses, relationships, involvements, chronology, notes, risks,
    contacts, referrals, whatever later parts add) moves to the kept record. Where both hold the same link,
    one is kept with what both said. Details that differ stay on the kept record and the duplicate's are
    kept as other names and in the audit.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError("Choose two different records to merge.")
    if actor is not None:
        today = timezone.localdate()
        if not policy.may_merge(
            actor, policy.child_access(actor, keep, today), policy.child_access(actor, duplicate, today)
        ):
            raise PermissionDenied("Only a team manager who can change both records can merge them.")
    if keep.responsible_council_id != duplicate.responsible_council_id:
        raise ValidationError(
            "Records of different councils can't be merged: each council keeps its own records."
        )
    # lock both, in a fixed order, so two managers merging at once can't make a cycle
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
    }
    kept_person, old_person = locked[keep.pk], locked[duplicate.pk]
    if old_person.merged_into_id or kept_person.merged_into_id:
        raise ValidationError(
            "One of these records has already been merged: merge into the record it became."
        )
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    conflicts = {}
    changes: dict[str, list[Any]] = {}
    for obj, other, fields in (
        (kept_person, old_person, _FILLABLE_PERSON),
        (keep, duplicate, _FILLABLE_CHILD),
    ):
        for name in fields:
            mine, theirs = getattr(obj, name), getattr(other, name)
            if not mine and theirs:
                setattr(obj, name, theirs)
                changes[name] = [None, str(theirs)]
            elif mine and theirs and mine != theirs:
                conflicts[name] = str(theirs)
    if old_person.nhs_number and conflicts.get("nhs_number"):
        raise ValidationError("These records have different NHS numbers: they are not the same child.")
    other_names = [kept_person.other_names, old_person.other_names]
    if old_person.full_name != kept_person.full_name:
        other_names.append(old_person.full_name)
    kept_person.other_names = ", ".join(dict.fromkeys(n for n in other_names if n))[:300]
    old_nhs = old_person.nhs_number
    old_person.nhs_number = ""  # the unique NHS number moves to the kept record
    old_person.merged_into = kept_person
    old_person.save(update_fields=["nhs_number", "merged_into"])
    if not kept_person.nhs_number and old_nhs:
        kept_person.nhs_number = old_nhs
    _name_keys(kept_person)
    kept_person.save()
    keep.disabilities = sorted(set(keep.disabilities) | set(duplicate.disabilities))
    keep.known_since = min(keep.known_since, duplicate.known_since)
    keep.restricted = keep.restricted or duplicate.restricted
    keep.restriction_reason = keep.restriction_reason or duplicate.restriction_reason
    keep.save()
    _merge_addresses(kept_person, old_person)
    _merge_relationships(keep, duplicate, kept_person, old_person)
    moved = _repoint(Child, duplicate, keep, skip={Relationship}) | _repoint(
        Person, old_person, kept_person, skip={Relationship, Address, Child}
    )
    changes["moved"] = sorted(moved)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MERGE,
        obj=keep,
        council_id=keep.responsible_council_id,
        summary=f"Merged record {duplicate.pk} ({old_person.full_name}) into this one",
        changes={"filled": changes, "kept_where_different": conflicts, "merged_record": duplicate.pk},
        ip_address=ip_address,
    )
    return keep


def _merge_addresses(kept: Person, old: Person) -> None:
    """Both address histories join; where both have a current address, the older one ends the day before."""
    Address.objects.filter(person=old).update(person=kept)
    current = list(kept.addresses.filter(end_date__isnull=True).order_by("start_date", "pk"))
    for earlier, later in pairwise(current):
        earlier.end_date = max(earlier.start_date, later.start_date - timedelta(days=1))
        earlier.save(update_fields=["end_date"])


def _merge_relationships(keep: Child, duplicate: Child, kept_person: Person, old_person: Person) -> None:
    """Links from and to the duplicate move to the kept record; a link both had is kept once, with what
    either said (parental responsibility, living with the child); a link between the two is dropped."""

    def move(rel: Relationship, **to: object) -> None:
        target = {"child_id": rel.child_id, "person_id": rel.person_id, **to}
        if target["child_id"] == target["person_id"]:
            rel.delete()
            return
        twin = Relationship.objects.filter(kind=rel.kind, **target).first()
        if twin is None:
            for field, value in to.items():
                setattr(rel, field, value)
            rel.save(update_fields=[f.removesuffix("_id") for f in to])
            return
        twin.parental_responsibility |= rel.parental_responsibility
        twin.lives_with_child |= rel.lives_with_child
        twin.note = twin.note or rel.note
        twin.save(update_fields=["parental_responsibility", "lives_with_child", "note"])
        rel.delete()

    for rel in list(Relationship.objects.filter(child=duplicate)):
        move(rel, child_id=keep.pk)
    for rel in list(Relationship.objects.filter(person=old_person)):
        move(rel, person_id=kept_person.pk)


def _repoint(model: type[models.Model], old: models.Model, new: models.Model, skip: set[type]) -> set[str]:
    """Point every row that refers to `old` at `new` instead; a row that would then repeat one `new`
    already has (a unique link) is dropped, as `new` holds that link already. Returns the tables touched."""
    touched = set()
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related in skip or rel.one_to_one:
            continue
        if rel.many_to_many:
            through = rel.through
            mine = next(f for f in through._meta.fields if f.is_relation and f.related_model is model)
            other = next(f for f in through._meta.fields if f.is_relation and f.related_model is not model)
            held = through.objects.filter(**{mine.name: new}).values_list(other.attname, flat=True)
            links = through.objects.filter(**{mine.name: old})
            if links.exclude(**{f"{other.attname}__in": held}).update(**{mine.name: new}):
                touched.add(related._meta.label)
            links.delete()
            continue
        field = rel.field.name
        rows = related.objects.filter(**{field: old})
        if not rows.exists():
            continue
        touched.add(related._meta.label)
        try:
            with transaction.atomic():
                rows.update(**{field: new})
        except IntegrityError:
            for row in rows:
                try:
                    with transaction.atomic():
                        setattr(row, field, new)
                        row.save(update_fields=[field])
                except IntegrityError:
                    row.delete()
    return touched


@dataclass
class BulkLoad:
    """Unsaved records to load together (an import, or the demo): people first, then what points at them."""

    people: list[Person]
    children: list[Child]
    addresses: list[Address]
    relationships: list[Relationship]
    involvements: list[Involvement]
    named_access: list[NamedAccess]
    chronology: list[ChronologyEvent] = field(default_factory=list)


@transaction.atomic
def people_bulk_load(
    *, actor: Actor, load: BulkLoad, source: str, before_chronology: Callable[[], None] | None = None
) -> dict[str, int]:
    """Load many people at once, in one transaction, with one audit event per council.

    Objects refer to each other in memory (a child to its person); keys are filled in as each table loads.
    Names get their search keys here, as in every other write. `before_chronology` runs once the children
    exist and before their chronology loads, so records the chronology points at can be loaded first.
    """
    for person in load.people:
        _name_keys(person)
        if person.nhs_number and nhs_number_problem(person.nhs_number):
            raise ValidationError(f"{person.full_name}: {nhs_number_problem(person.nhs_number)}")
    Person.objects.bulk_create(load.people, batch_size=2000)
    for child in load.children:
        if child.upn and upn_problem(child.upn):
            raise ValidationError(f"{child.person.full_name}: {upn_problem(child.upn)}")
    Child.objects.bulk_create(load.children, batch_size=2000)
    for rows, model in (
        (load.addresses, Address),
        (load.relationships, Relationship),
        (load.involvements, Involvement),
        (load.named_access, NamedAccess),
        (load.chronology, ChronologyEvent),
    ):
        if model is ChronologyEvent and before_chronology is not None:
            before_chronology()
        # bulk_create takes each foreign key's id from the related object loaded just before
        model.objects.bulk_create(rows, batch_size=2000)
    counts: dict[int, int] = {}
    for child in load.children:
        counts[child.responsible_council_id] = counts.get(child.responsible_council_id, 0) + 1
    for council_id, n in sorted(counts.items()):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            council_id=council_id,
            summary=f"Loaded {n} children and their families from {source}",
        )
    return {
        "people": len(load.people),
        "children": len(load.children),
        "addresses": len(load.addresses),
        "relationships": len(load.relationships),
        "involvements": len(load.involvements),
        "chronology": len(load.chronology),
    }


def chronology_record(
    *,
    actor: Actor,
    child: Child,
    kind: str,
    occurred_on: date,
    summary: str,
    service: Service | None = None,
    occurred_at: datetime | None = None,
    key: str = "",
    facts: dict[str, Any] | None = None,
    source: models.Model | None = None,
) -> ChronologyEvent:
    """Add an event to a child's chronology. Called by other services inside their own transaction."""
    if kind not in EVENT_KINDS and kind not in OTHER_CHRONOLOGY_KINDS:
        raise ValidationError(f"Unknown chronology event kind {kind!r}.")
    return ChronologyEvent.objects.create(
        child=child,
        kind=kind,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        summary=summary[:300],
        service=service,
        key=key,
        facts=facts or {},
        source_type=source._meta.label if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        recorded_by=getattr(actor, "staff", None) if actor is not None else None,
    )
