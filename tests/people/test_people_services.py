"""Recording children and their families: validation, postcode history, merge, restriction and break-glass."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outstanding.audit.models import AuditEvent
from outstanding.partnership.roles import Role
from outstanding.people import services
from outstanding.people.models import Address, Child, Involvement, Person, Relationship

pytestmark = pytest.mark.django_db


def new(**kwargs):
    return services.NewPerson(**{"first_name": "Amira", "last_name": "Hassan", "sex": "F", **kwargs})


def test_a_child_needs_a_date_of_birth_or_a_due_date(world):
    with pytest.raises(ValidationError) as error:
        services.child_create(
            actor=None, details=new(), responsible_council=world["westminster"], known_since=date(2024, 1, 1)
        )
    assert "expected date of birth" in str(error.value)
    assert not Person.objects.exists()


def test_an_unborn_child_is_recorded_with_sex_u(world):
    due = timezone.localdate() + timedelta(days=60)
    with pytest.raises(ValidationError, match="recorded as U"):
        services.child_create(
            actor=None,
            details=new(),
            responsible_council=world["westminster"],
            known_since=date(2024, 1, 1),
            expected_date_of_birth=due,
        )
    child = services.child_create(
        actor=None,
        details=new(first_name="Baby", sex="U"),
        responsible_council=world["westminster"],
        known_since=date(2024, 1, 1),
        expected_date_of_birth=due,
    )
    assert child.person.date_of_birth is None and child.expected_date_of_birth == due


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"details": new(date_of_birth=date(2099, 1, 1))}, "date_of_birth", "can't be in the future"),
        (
            {"details": new(date_of_birth=date(2015, 1, 1), nhs_number="9434765918")},
            "nhs_number",
            "not a valid NHS",
        ),
        ({"details": new(date_of_birth=date(2015, 1, 1)), "upn": "A201123410001"}, "upn", "check letter"),
        (
            {"details": new(date_of_birth=date(2015, 1, 1), first_name="", last_name="")},
            "last_name",
            "Enter a name",
        ),
    ],
)
def test_bad_details_are_refused_with_a_clear_message(world, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        services.child_create(
            actor=None, responsible_council=world["westminster"], known_since=date(2024, 1, 1), **kwargs
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not Child.objects.exists() and not Person.objects.exists()


def test_a_bad_postcode_leaves_nothing_half_written(world):
    with pytest.raises(ValidationError, match="not a UK postcode"):
        services.child_create(
            actor=None,
            details=new(date_of_birth=date(2015, 1, 1)),
            responsible_council=world["westminster"],
            known_since=date(2024, 1, 1),
            address={"line_1": "1 Road", "postcode": "NOT A CODE", "start_date": date(2024, 1, 1)},
        )
    assert not Person.objects.exists()


def test_recording_a_child_is_audited_and_keys_are_set(world):
    child = services.child_create(
        actor=None,
        details=new(date_of_birth=date(2015, 1, 1), nhs_number="943 476 5919"),
        responsible_council=world["westminster"],
        known_since=date(2024, 1, 1),
    )
    assert child.person.nhs_number == "9434765919"
    assert child.person.last_name_key == "HSN"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="people.Child", object_id=str(child.pk)
    ).exists()


def test_a_new_address_keeps_the_postcode_history(make_child):
    child = make_child(postcode="w2 5ab")
    services.address_add(
        actor=None, child=child, line_1="9 New Road", postcode="SW1A1AA", start_date=date(2023, 3, 1)
    )
    old, current = sorted(child.person.addresses.all(), key=lambda a: a.start_date)
    assert old.postcode == "W2 5AB" and old.end_date == date(2023, 2, 28)
    assert current.postcode == "SW1A 1AA" and current.end_date is None
    with pytest.raises(ValidationError, match="must start after"):
        services.address_add(
            actor=None, child=child, line_1="x", postcode="W2 5AB", start_date=date(2023, 1, 1)
        )


def test_relationships(make_child):
    child = make_child()
    mum = services.relationship_add(
        actor=None,
        child=child,
        kind=Relationship.Kind.MOTHER,
        new_person=new(first_name="Sara", date_of_birth=date(1990, 2, 2)),
        parental_responsibility=True,
    )
    assert mum.parental_responsibility and not mum.person.is_child
    with pytest.raises(ValidationError, match="already recorded as mother"):
        services.relationship_add(actor=None, child=child, kind=Relationship.Kind.MOTHER, person=mum.person)
    with pytest.raises(ValidationError, match="themselves"):
        services.relationship_add(
            actor=None, child=child, kind=Relationship.Kind.SIBLING, person=child.person
        )


def test_merge_keeps_everything_from_both(make_child, involve, world):
    keep = make_child(first_name="John", last_name="Smith", postcode="W2 5AB")
    dup = make_child(first_name="Jon", last_name="Smyth", nhs_number="9434765919", upn="", postcode="W9 1AA")
    dup.upn = "J201123410001"
    dup.save()
    involve(keep)
    involve(dup, mash=True)
    services.relationship_add(
        actor=None, child=dup, kind=Relationship.Kind.MOTHER, new_person=new(first_name="Mary")
    )
    services.child_merge(actor=None, keep=keep, duplicate=dup)
    keep.refresh_from_db()
    keep.person.refresh_from_db()
    assert keep.person.nhs_number == "9434765919"  # filled from the duplicate
    assert keep.upn == "J201123410001"
    assert "Jon Smyth" in keep.person.other_names
    assert Address.objects.filter(person=keep.person).count() == 2
    assert Involvement.objects.filter(child=keep).count() == 2
    assert keep.relationships.filter(kind=Relationship.Kind.MOTHER).exists()
    dup.person.refresh_from_db()
    assert dup.person.merged_into_id == keep.pk  # kept, marked, never deleted
    event = AuditEvent.objects.get(action=AuditEvent.Action.MERGE)
    assert event.changes["merged_record"] == dup.pk


def test_merge_refuses_different_councils_and_different_nhs_numbers(make_child):
    a = make_child(nhs_number="9434765919")
    b = make_child("kensington-chelsea")
    with pytest.raises(ValidationError, match="different councils"):
        services.child_merge(actor=None, keep=a, duplicate=b)
    c = make_child(nhs_number="9999913733")
    with pytest.raises(ValidationError, match="different NHS numbers"):
        services.child_merge(actor=None, keep=a, duplicate=c)
    c.person.refresh_from_db()
    assert c.person.merged_into_id is None and c.person.nhs_number == "9999913733"


def test_only_a_team_manager_who_can_change_both_may_merge(make_child, involve, social_worker, team_manager):
    a, b = make_child(), make_child()
    with pytest.raises(PermissionDenied):
        services.child_merge(actor=social_worker.user, keep=a, duplicate=b)
    services.child_merge(actor=team_manager.user, keep=a, duplicate=b)


def test_restriction_and_break_glass(make_child, world, social_worker, team_manager, make_staff):
    child = make_child()
    with pytest.raises(PermissionDenied):
        services.restriction_set(actor=social_worker.user, child=child, reason="Adoption", named=[])
    services.restriction_set(actor=team_manager.user, child=child, reason="Adoption", named=[team_manager])
    with pytest.raises(ValidationError, match="reason"):
        services.break_glass(actor=social_worker.user, child=child, reason="need")
    grant = services.break_glass(
        actor=social_worker.user, child=child, reason="Police at the door asking about her now"
    )
    assert grant.expires_at > timezone.now()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.BREAK_GLASS, actor_id=social_worker.user.pk
    ).exists()
    outsider = make_staff(Role.SOCIAL_WORKER, council=world["kensington-chelsea"])
    with pytest.raises(PermissionDenied):
        services.break_glass(actor=outsider.user, child=child, reason="Curious about this child, honestly")


def test_merge_handles_links_between_the_two_records_and_shared_relatives(make_child):
    keep, dup = make_child(first_name="Ann", last_name="Lee"), make_child(first_name="Anne", last_name="Lee")
    sister = make_child(first_name="Beth", last_name="Lee")
    # recorded twice over: each record is the other's sibling, and the sister is linked to both
    services.relationship_add(actor=None, child=keep, kind=Relationship.Kind.SIBLING, person=dup.person)
    services.relationship_add(actor=None, child=sister, kind=Relationship.Kind.SIBLING, person=keep.person)
    services.relationship_add(actor=None, child=sister, kind=Relationship.Kind.SIBLING, person=dup.person)
    services.child_merge(actor=None, keep=keep, duplicate=dup)
    assert not keep.relationships.filter(person=keep.person).exists()
    assert list(sister.relationships.values_list("person_id", flat=True)) == [keep.pk]


def test_merge_moves_everything_that_points_at_the_duplicate(make_child, social_worker, team_manager):
    from outstanding.casework import services as casework
    from outstanding.people.models import ChronologyEvent

    keep, dup = (
        make_child(first_name="John", postcode="W2 5AB"),
        make_child(first_name="Jon", postcode="W9 1AA"),
    )
    dup.person.other_names = "Johnny Example"
    dup.person.save()
    services.chronology_record(
        actor=None, child=dup, kind="contact", occurred_on=date(2025, 1, 2), summary="Contact"
    )
    note = casework.note_draft_save(
        actor=social_worker.user,
        children=[dup],
        kind="meeting",
        occurred_on=date(2025, 1, 3),
        title="Met",
        text="x",
    )
    casework.risk_record(
        actor=social_worker.user, child=dup, kind="cse", level=2, identified_on=date(2025, 1, 4)
    )
    mum = services.relationship_add(
        actor=None,
        child=keep,
        kind=Relationship.Kind.MOTHER,
        new_person=new(first_name="Mary"),
        lives_with_child=True,
    )
    services.relationship_add(
        actor=None, child=dup, kind=Relationship.Kind.MOTHER, person=mum.person, parental_responsibility=True
    )
    services.child_merge(actor=team_manager.user, keep=keep, duplicate=dup)
    assert ChronologyEvent.objects.filter(child=keep).count() == 1 + 1  # the contact and the risk
    assert list(note.children.all()) == [keep]
    assert keep.risks.count() == 1
    mother = keep.relationships.get(kind=Relationship.Kind.MOTHER)
    assert mother.parental_responsibility and mother.lives_with_child  # what either record said
    keep.person.refresh_from_db()
    assert "Johnny Example" in keep.person.other_names and "Jon Example" in keep.person.other_names
    assert keep.person.addresses.filter(end_date__isnull=True).count() == 1


def test_merge_refuses_records_already_merged_either_way(make_child):
    a, b, c = make_child(), make_child(), make_child()
    services.child_merge(actor=None, keep=a, duplicate=b)
    with pytest.raises(ValidationError, match="already been merged"):
        services.child_merge(actor=None, keep=b, duplicate=a)  # would make a cycle
    with pytest.raises(ValidationError, match="already been merged"):
        services.child_merge(actor=None, keep=b, duplicate=c)  # into a dead record
