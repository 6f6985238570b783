"""The people pages: audited looks, who looked, staff activity, recording with duplicates, merge."""

import pytest

from outstanding.audit.models import AuditEvent
from outstanding.partnership.roles import Role
from outstanding.people.models import Child

pytestmark = pytest.mark.django_db


def test_opening_a_record_is_audited_with_the_address(make_child, social_worker, client, sign_in):
    child = make_child()
    sign_in(social_worker)
    client.get(f"/children/{child.pk}/", REMOTE_ADDR="10.9.8.7")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_id=str(child.pk))
    assert event.actor_id == social_worker.user.pk and event.ip_address == "10.9.8.7"
    assert event.council_id == child.responsible_council_id


def test_a_refused_look_is_audited_and_looks_like_a_missing_record(
    make_child, world, make_staff, client, sign_in
):
    child = make_child("kensington-chelsea")
    outsider = make_staff(Role.SOCIAL_WORKER, team=world["locality"])  # Westminster
    sign_in(outsider)
    refused = client.get(f"/children/{child.pk}/")
    missing = client.get("/children/999999/")
    assert refused.status_code == missing.status_code == 403
    assert "There is no record you can open with that number." in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, object_id=str(child.pk)).exists()


def test_a_manager_sees_who_looked(make_child, social_worker, team_manager, client, sign_in):
    child = make_child()
    sign_in(social_worker)
    client.get(f"/children/{child.pk}/")
    client.post("/sign-out/")
    sign_in(team_manager)
    page = client.get(f"/children/{child.pk}/who-looked/").content.decode()
    assert social_worker.user.username in page
    assert "Viewed" in page


def test_a_managers_view_of_a_persons_activity(
    make_child, social_worker, team_manager, make_staff, world, client, sign_in
):
    child = make_child()
    sign_in(social_worker)
    client.get(f"/children/{child.pk}/")
    client.post("/sign-out/")
    sign_in(team_manager)
    page = client.get(f"/staff/{social_worker.pk}/activity/").content.decode()
    assert f"Viewed the record of {child.person.full_name}" in page
    # a manager of another team can't
    client.post("/sign-out/")
    other = make_staff(Role.TEAM_MANAGER, team=world["mash"], manager=True)
    sign_in(other)
    assert client.get(f"/staff/{social_worker.pk}/activity/").status_code == 403


def test_recording_a_child_warns_of_likely_duplicates_first(
    make_child, social_worker, world, client, sign_in
):
    existing = make_child(first_name="John", last_name="Smith")
    sign_in(social_worker)
    form = {
        "council": str(world["westminster"].pk),
        "first_name": "Jon",
        "last_name": "Smyth",
        "date_of_birth-day": "17",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2015",
        "sex": "M",
    }
    response = client.post("/children/new/", form)
    assert response.status_code == 400
    assert "This child may already be recorded" in response.content.decode()
    assert f"record {existing.pk}" in response.content.decode()
    assert Child.objects.count() == 1  # nothing saved yet
    response = client.post("/children/new/", {**form, "confirm_new": "on"})
    assert response.status_code == 302
    assert Child.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"last_name": ""}, "Enter the child&#39;s surname."),
        ({"date_of_birth-month": "13"}, "must be a real date"),
        ({"nhs_number": "123"}, "An NHS number is 10 digits"),
        ({"postcode": "XYZ", "line_1": "1 Road"}, "not a UK postcode"),
        ({"council": "999"}, "Choose the council responsible"),
        ({"date_of_birth-year": "2099"}, "can&#39;t be in the future"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_saved(
    social_worker, world, client, sign_in, change, message
):
    sign_in(social_worker)
    form = {
        "council": str(world["westminster"].pk),
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth-day": "1",
        "date_of_birth-month": "2",
        "date_of_birth-year": "2016",
        "sex": "F",
        **change,
    }
    response = client.post("/children/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Child.objects.exists()


def test_only_caseworkers_record_children(world, make_staff, client, sign_in):
    sign_in(make_staff(Role.PERFORMANCE_ANALYST))
    assert client.get("/children/new/").status_code == 403


def test_merge_page(make_child, team_manager, client, sign_in):
    keep, dup = (
        make_child(first_name="John", last_name="Smith"),
        make_child(first_name="Jon", last_name="Smith"),
    )
    sign_in(team_manager)
    check = client.post(f"/children/{keep.pk}/merge/", {"duplicate": str(dup.pk)})
    assert f"Merge record {dup.pk} into this one" in check.content.decode()
    done = client.post(
        f"/children/{keep.pk}/merge/", {"duplicate": str(dup.pk), "confirm": "yes"}, follow=True
    )
    assert "Nothing was lost" in done.content.decode()
    # the merged record's address now leads to the kept one
    assert client.get(f"/children/{dup.pk}/").url == f"/children/{keep.pk}/"


def test_managers_see_break_glass_uses_on_their_home_page(
    make_child, social_worker, team_manager, client, sign_in
):
    from outstanding.people import services

    child = make_child()
    services.restriction_set(actor=None, child=child, reason="Adoption", named=[team_manager])
    services.break_glass(
        actor=social_worker.user, child=child, reason="Hospital called about an injury tonight"
    )
    sign_in(team_manager)
    page = client.get("/").content.decode()
    assert "Hospital called about an injury tonight" in page
    assert social_worker.full_name in page


def test_a_restricted_sibling_is_not_named_on_a_brothers_record(
    make_child, social_worker, team_manager, client, sign_in
):
    from outstanding.people import services
    from outstanding.people.models import Relationship

    brother, sister = make_child(first_name="Open"), make_child(first_name="Hidden")
    services.relationship_add(actor=None, child=brother, kind=Relationship.Kind.SIBLING, person=sister.person)
    services.restriction_set(actor=None, child=sister, reason="Adoption", named=[team_manager])
    sign_in(social_worker)
    page = client.get(f"/children/{brother.pk}/").content.decode()
    assert "Hidden" not in page and "A child whose record you can&#39;t open" in page
    assert f"/children/{sister.pk}/" not in page


def test_the_duplicate_check_gives_no_record_number_for_records_one_cannot_open(
    make_child, team_manager, social_worker, world, client, sign_in
):
    from outstanding.people import services

    hidden = make_child(first_name="Marc", last_name="Bentley")
    services.restriction_set(actor=None, child=hidden, reason="Adoption", named=[team_manager])
    sign_in(social_worker)
    form = {
        "council": str(world["westminster"].pk),
        "first_name": "Marc",
        "last_name": "Bentley",
        "date_of_birth-day": "17",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2015",
        "sex": "M",
    }
    page = client.post("/children/new/", form).content.decode()
    assert "A possible match you can't open" in page
    assert f"record {hidden.pk}" not in page and f"/children/{hidden.pk}/" not in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SEARCH, changes__possible_matches=[hidden.pk]
    ).exists()


def test_break_glass_on_a_missing_or_unreachable_record_reads_the_same(
    make_child, world, make_staff, client, sign_in
):
    other = make_child("kensington-chelsea")
    sign_in(make_staff(Role.SOCIAL_WORKER, team=world["locality"]))
    reason = {"reason": "Police called about this child just now"}
    missing = client.post("/children/999999/break-glass/", reason)
    unreachable = client.post(f"/children/{other.pk}/break-glass/", reason)
    assert missing.status_code == unreachable.status_code == 403
    assert "There is no record you can open with that number." in missing.content.decode()
    assert "There is no record you can open with that number." in unreachable.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, object_id=str(other.pk)).exists()


def test_only_named_people_change_who_may_see_a_restricted_record(
    make_child, team_manager, world, make_staff
):
    from django.core.exceptions import PermissionDenied

    from outstanding.people import services

    child = make_child()
    services.restriction_set(actor=None, child=child, reason="High-profile case", named=[])
    other_manager = make_staff(Role.TEAM_MANAGER, team=world["locality"], manager=True)
    with pytest.raises(PermissionDenied):
        services.restriction_set(
            actor=other_manager.user, child=child, reason="Let me in", named=[other_manager]
        )


def test_looking_at_a_restricted_record_is_audited(make_child, team_manager, social_worker, client, sign_in):
    from outstanding.people import services

    child = make_child()
    services.restriction_set(actor=None, child=child, reason="Adoption", named=[team_manager])
    sign_in(social_worker)
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert client.get(f"/children/{child.pk}/merge/").status_code == 403
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.ACCESS_DENIED, object_id=str(child.pk), actor_id=social_worker.user.pk
        ).count()
        == 2
    )


def test_break_glass_uses_go_to_the_breakers_managers_not_every_manager(
    make_child, social_worker, team_manager, world, make_staff, client, sign_in
):
    from outstanding.partnership import services as partnership_services
    from outstanding.partnership.models import Service, Team
    from outstanding.people import services

    child = make_child()
    services.restriction_set(actor=None, child=child, reason="Adoption", named=[])
    services.break_glass(
        actor=social_worker.user, child=child, reason="Hospital called about an injury tonight"
    )
    other_team = partnership_services.team_create(
        actor=None,
        name="South team",
        kind=Team.Kind.LOCALITY,
        services=[Service.objects.get(code="assessment")],
        council=world["westminster"],
    )
    other_manager = make_staff(Role.TEAM_MANAGER, team=other_team, manager=True)
    sign_in(other_manager)
    assert "Hospital called" not in client.get("/").content.decode()
    client.post("/sign-out/")
    sign_in(make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"]))
    assert "Hospital called" in client.get("/").content.decode()


def test_staff_activity_hides_children_the_viewer_may_not_open(
    make_child, social_worker, team_manager, client, sign_in
):
    from outstanding.people import services

    open_child, hidden = make_child(first_name="Visible"), make_child(first_name="Secret")
    services.restriction_set(actor=None, child=hidden, reason="Adoption", named=[social_worker])
    sign_in(social_worker)
    client.get(f"/children/{open_child.pk}/")
    client.get(f"/children/{hidden.pk}/")
    client.post("/sign-out/")
    sign_in(team_manager)
    page = client.get(f"/staff/{social_worker.pk}/activity/").content.decode()
    assert "Viewed the record of Visible Example" in page
    assert "Secret" not in page and "not one you may open" in page


def test_a_mash_worker_can_open_the_partner_councils_child_they_just_recorded(
    mash_officer, world, client, sign_in
):
    sign_in(mash_officer)
    form = {
        "council": str(world["kensington-chelsea"].pk),
        "first_name": "Nia",
        "last_name": "Okafor",
        "date_of_birth-day": "1",
        "date_of_birth-month": "2",
        "date_of_birth-year": "2016",
        "sex": "F",
    }
    response = client.post("/children/new/", form)
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    child = Child.objects.get(person__last_name="Okafor")
    assert child.involvements.get().service.code == "front-door"
