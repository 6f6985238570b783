"""Who may do what at the front door. A MASH worker of one council screens a contact about another council's
child only while the MASH is a shared service covering both, and never sees that child's other records;
partner agencies' officers see and record only their own agency's checks."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outstanding.access import policy
from outstanding.frontdoor import selectors, services
from outstanding.frontdoor.models import Agency, Contact
from outstanding.partnership.models import ArrangementParticipation
from outstanding.partnership.roles import Role
from outstanding.people import selectors as people_selectors
from outstanding.people.models import ChronologyEvent
from outstanding.people.services import chronology_record
from tests.frontdoor.conftest import at

pytestmark = pytest.mark.django_db


def fresh(staff):
    """The user as a new request would load it (the policy caches per request)."""
    return get_user_model().objects.select_related("staff").get(pk=staff.user_id)


def screen(user, contact):
    return services.contact_screen(
        actor=user, contact=contact, threshold=3, rating="amber", agencies=["police"]
    )


def test_a_westminster_mash_worker_screens_a_kensington_child_while_the_mash_covers_both(
    make_child, record_contact, mash_officer, world
):
    assert mash_officer.employing_council == world["westminster"]
    child = make_child("kensington-chelsea")
    contact = record_contact(
        child, actor=mash_officer
    )  # allowed: the shared MASH serves Kensington and Chelsea
    assert contact.council == world["kensington-chelsea"]
    screen(mash_officer.user, contact)
    assert Contact.objects.get(pk=contact.pk).rating == "amber"


def test_not_once_the_council_has_left_the_shared_mash(make_child, record_contact, mash_officer, world):
    child = make_child("kensington-chelsea")
    contact = record_contact(child)
    yesterday = timezone.localdate() - timedelta(days=1)
    ArrangementParticipation.objects.filter(council=world["kensington-chelsea"]).update(end_date=yesterday)
    user = fresh(mash_officer)
    assert not policy.may_screen_contact(user, contact, timezone.localdate())
    with pytest.raises(PermissionDenied):
        screen(user, contact)
    with pytest.raises(PermissionDenied):
        record_contact(make_child("kensington-chelsea"), actor=mash_officer)
    with pytest.raises(PermissionDenied):
        selectors.contact_for_viewing(user=user, contact_id=contact.pk)
    # out of the shared MASH's queue, but not lost: the council's own front door holds it (the next test)
    assert selectors.mash_queue(user=user).total == 0


def test_a_council_leaving_the_shared_mash_keeps_its_open_contacts(
    make_child, record_contact, make_staff, world
):
    """Issue 6: after Kensington and Chelsea left, its open contacts were in nobody's queue. Its own MASH team
    now holds those left in the shared MASH, and works them; its head of service sees them."""
    from outstanding.partnership import services as partnership_services
    from outstanding.partnership.models import Service, Team

    kc = world["kensington-chelsea"]
    child = make_child("kensington-chelsea")
    left_behind = record_contact(child)
    westminster = record_contact(make_child("westminster"))
    own_mash = partnership_services.team_create(
        actor=None,
        name="Kensington and Chelsea MASH",
        kind=Team.Kind.MASH,
        services=[Service.objects.get(code="front-door")],
        council=kc,
    )
    worker = make_staff(Role.MASH_OFFICER, council=kc, team=own_mash)
    manager = make_staff(Role.TEAM_MANAGER, council=kc, team=own_mash, manager=True)
    head = make_staff(Role.HEAD_OF_SERVICE, council=kc)
    yesterday = timezone.localdate() - timedelta(days=1)
    ArrangementParticipation.objects.filter(council=kc).update(end_date=yesterday)
    queue = selectors.mash_queue(user=fresh(worker))
    assert [r.contact for r in queue.rows] == [left_behind]
    assert queue.rows[0].children == [child]  # the council's own child: named
    assert [r.contact for r in selectors.mash_queue(user=fresh(head)).rows] == [left_behind]
    with pytest.raises(PermissionDenied):
        selectors.contact_for_viewing(user=fresh(worker), contact_id=westminster.pk)
    # the head of service reads; the council's MASH works it, to a decision its own manager authorises
    assert selectors.contact_for_viewing(user=fresh(head), contact_id=left_behind.pk).may_screen is False
    with pytest.raises(PermissionDenied):
        screen(fresh(head), left_behind)
    screen(fresh(worker), left_behind)
    assert Contact.objects.get(pk=left_behind.pk).rating == "amber"
    assert policy.may_authorise_contact_decision(fresh(manager), left_behind, timezone.localdate())


def test_never_for_a_council_the_mash_does_not_serve(make_child, record_contact, mash_officer, world):
    hf_child = make_child("hammersmith-fulham")
    with pytest.raises(PermissionDenied):
        record_contact(hf_child, actor=mash_officer)
    contact = record_contact(hf_child)  # by the system, into the bi-borough MASH's team
    with pytest.raises(PermissionDenied):
        screen(mash_officer.user, contact)
    assert selectors.mash_queue(user=mash_officer.user).total == 0


def test_the_mash_worker_never_sees_the_childs_other_records(
    make_child, record_contact, involve, mash_officer, world, client, sign_in
):
    child = make_child("kensington-chelsea")
    involve(child)  # Kensington and Chelsea's own locality team works with the child
    chronology_record(
        actor=None, child=child, kind="case_note", occurred_on=at(1, 9).date(), summary="Home visit"
    )
    user = mash_officer.user
    assert not policy.child_access(user, child, timezone.localdate()).can_view
    contact = record_contact(child, actor=mash_officer)
    access = policy.child_access(fresh(mash_officer), child, timezone.localdate())
    assert access.can_view and not access.whole_record
    involvements = people_selectors.child_involvements(user=user, child=child, access=access)
    assert {i.service.code for i in involvements} == {"front-door"}
    seen = selectors.child_front_door(user=user, child=child, access=access)
    assert seen.contacts == [contact] and seen.referrals == []
    screen(user, contact)
    # the locality team's case note is on the record, but not in what the MASH worker sees of it
    from outstanding.casework.selectors import child_chronology

    assert ChronologyEvent.objects.filter(child=child, kind="case_note").exists()
    seen_events = [r.summary for r in child_chronology(user=user, child=child, access=access)]
    assert "Home visit" not in seen_events and any(s.startswith("Contact from") for s in seen_events)
    sign_in(mash_officer)
    page = client.get(f"/children/{child.pk}/chronology/")
    assert page.status_code == 200
    assert "Home visit" not in page.content.decode() and "Contact from" in page.content.decode()
    # once the MASH's work ends, the child is out of reach the next day
    contact.refresh_from_db()
    services.contact_decide(
        actor=user, contact=contact, outcome="no-further-action", reason="Known and safe now."
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert not policy.child_access(fresh(mash_officer), child, tomorrow).can_view


def test_the_summary_page_shows_a_shared_mash_only_its_own_work(
    make_child, record_contact, involve, locality_teams, mash_officer, client, sign_in
):
    child = make_child("kensington-chelsea")
    involve(child)
    record_contact(child, actor=mash_officer)
    sign_in(mash_officer)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Front door and MASH" in page
    assert locality_teams["kensington-chelsea"].name not in page


def test_a_police_officer_sees_and_records_only_the_police_check(
    make_child, record_contact, mash_officer, police_officer, world
):
    contact = record_contact(make_child("kensington-chelsea"), actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user,
        contact=contact,
        threshold=3,
        rating="red",
        agencies=["police", "health", "probation"],
    )
    police = contact.partner_checks.get(agency=Agency.POLICE)
    health = contact.partner_checks.get(agency=Agency.HEALTH)
    probation = contact.partner_checks.get(agency=Agency.PROBATION)
    officer = police_officer.user
    assert not policy.may_use_mash_queue(officer, timezone.localdate())
    with pytest.raises(PermissionDenied):
        selectors.mash_queue(user=officer)
    view = selectors.contact_for_viewing(user=officer, contact_id=contact.pk)
    assert view.limited and [c.agency for c in view.checks] == ["police"]
    assert [c.contact for c in selectors.partner_checks_waiting(user=officer)] == [contact]
    with pytest.raises(PermissionDenied):
        services.partner_check_record(actor=officer, check=health, information_held=False, findings="")
    with pytest.raises(PermissionDenied):
        screen(officer, record_contact(make_child()))
    services.partner_check_record(
        actor=officer, check=police, information_held=True, findings="Known to police"
    )
    # council staff don't answer for the police, who are in the MASH, but do for probation, who are not
    with pytest.raises(PermissionDenied):
        services.partner_check_record(
            actor=mash_officer.user, check=police, information_held=False, findings=""
        )
    services.partner_check_record(
        actor=mash_officer.user, check=probation, information_held=False, findings=""
    )


def test_a_police_officer_sees_nothing_of_councils_the_mash_does_not_serve(
    make_child, record_contact, police_officer
):
    contact = record_contact(make_child("hammersmith-fulham"))
    services.contact_screen(actor=None, contact=contact, threshold=3, rating="red", agencies=["police"])
    assert selectors.partner_checks_waiting(user=police_officer.user) == []
    with pytest.raises(PermissionDenied):
        selectors.contact_for_viewing(user=police_officer.user, contact_id=contact.pk)


# a head of service reads their own council's queue (test_a_council_leaving_the_shared_mash_keeps_...)
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR])
def test_staff_outside_the_mash_have_no_queue(make_staff, world, role):
    staff = make_staff(role, team=world["locality"] if role == Role.SOCIAL_WORKER else None)
    assert not policy.may_use_mash_queue(staff.user, timezone.localdate())
    with pytest.raises(PermissionDenied):
        selectors.mash_queue(user=staff.user)


def test_a_police_officer_in_the_mash_never_opens_childrens_records(
    police_officer, make_child, involve, client, sign_in
):
    """Partner agencies record their own check; the child's record stays the council's."""
    child = make_child("kensington-chelsea")
    involve(child, mash=True)
    sign_in(police_officer)
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert client.get(f"/children/{child.pk}/chronology/").status_code == 403
    assert f"/children/{child.pk}/" not in client.get("/children/", {"name": "Example"}).content.decode()


def test_a_police_officer_opens_only_the_contacts_the_police_were_asked_about(
    make_child, record_contact, mash_officer, police_officer, client, sign_in
):
    """Issue 6: a MASH's police officer sees and records the police check only for the contacts shared with
    the police, and never the referrer's phone or email or why consent wasn't sought."""
    not_asked = record_contact(make_child(), actor=mash_officer)
    health_only = record_contact(make_child(), actor=mash_officer)
    asked = record_contact(make_child(), actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user, contact=health_only, threshold=3, rating="red", agencies=["health"]
    )
    services.contact_screen(
        actor=mash_officer.user, contact=asked, threshold=3, rating="red", agencies=["police", "health"]
    )
    officer = fresh(police_officer)
    today = timezone.localdate()
    assert not policy.may_see_contact(officer, not_asked, today)
    assert not policy.may_see_contact(officer, health_only, today)
    assert policy.may_see_contact(officer, asked, today)
    for contact in (not_asked, health_only):
        with pytest.raises(PermissionDenied):
            selectors.contact_for_viewing(user=officer, contact_id=contact.pk)
    sign_in(police_officer)
    for contact in (not_asked, health_only):
        assert client.get(f"/front-door/contacts/{contact.pk}/").status_code == 403
    page = client.get(f"/front-door/contacts/{asked.pk}/").content.decode()
    assert "came to school hungry" in page  # the concern the police were asked about
    assert "020 7946 0000" not in page  # the referrer's phone
    assert "greater risk" not in page  # the reason consent wasn't sought
    assert 'data-testid="check-health"' not in page


@pytest.mark.parametrize("action", ["take/", "checks/", "authorise/"])
def test_acting_on_a_contact_refuses_alike_whether_or_not_it_exists(
    make_child, record_contact, mash_manager, client, sign_in, action
):
    """Issue 6: a 404 for a missing contact and a 403 for another MASH's told which contacts exist."""
    from outstanding.audit.models import AuditEvent

    others = record_contact(make_child("hammersmith-fulham"))  # a council the MASH doesn't serve
    sign_in(mash_manager)
    missing = client.post(f"/front-door/contacts/{others.pk + 1000}/{action}", {"agency": "police"})
    forbidden = client.post(f"/front-door/contacts/{others.pk}/{action}", {"agency": "police"})
    assert missing.status_code == forbidden.status_code == 403
    assert selectors.NOT_FOUND.replace("'", "&#39;") in forbidden.content.decode()
    assert selectors.NOT_FOUND.replace("'", "&#39;") in missing.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_DENIED, object_id=str(others.pk), actor_id=mash_manager.user_id
    ).exists()
    assert Contact.objects.get(pk=others.pk).owner is None
