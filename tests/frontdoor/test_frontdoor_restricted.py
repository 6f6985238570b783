"""Restricted children and children the worker can't open, at the front door (issue 6): the contact form's
duplicate check names only the records the worker may open, a restricted record can't be added by number,
and the queue and contact pages don't name children whose records the viewer may not open."""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from outstanding.audit.models import AuditEvent
from outstanding.frontdoor import selectors, services
from outstanding.frontdoor.models import Contact
from outstanding.people import services as people_services
from outstanding.people.models import Child, ChronologyEvent, Involvement
from tests.frontdoor.conftest import RECEIVED
from tests.frontdoor.test_frontdoor_pages import contact_form

pytestmark = pytest.mark.django_db


def restrict(child, *named):
    people_services.restriction_set(actor=None, child=child, reason="Adoption", named=list(named))


def test_a_restricted_child_cant_be_added_to_a_contact_by_record_number(make_child, world, mash_officer):
    hidden = make_child(first_name="Hidden")
    restrict(hidden)
    counts = (Child.objects.count(), Involvement.objects.count(), ChronologyEvent.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.contact_record(
            actor=mash_officer.user,
            mash_team=world["mash"],
            council=world["westminster"],
            received_at=RECEIVED,
            source="2A",
            referrer=services.Referrer(name="Ms Head", phone="1"),
            concern="Bruises.",
            consent=Contact.Consent.GIVEN,
            children=[services.ChildOnContact(record=hidden.pk)],
        )
    assert "that you can add to a contact" in " ".join(raised.value.message_dict["child-1-record"])
    assert not Contact.objects.exists()
    assert (Child.objects.count(), Involvement.objects.count(), ChronologyEvent.objects.count()) == counts


def test_someone_named_on_a_restricted_record_adds_it_and_a_partner_councils_child_comes_into_reach(
    make_child, world, mash_officer, record_contact
):
    named = make_child(first_name="Named")
    restrict(named, mash_officer)
    kc = make_child("kensington-chelsea")  # not yet the shared MASH's to open: the contact gives it reach
    assert record_contact(named, actor=mash_officer).contact_children.get().child == named
    assert record_contact(kc, actor=mash_officer).contact_children.get().child == kc


def test_the_duplicate_check_names_only_records_the_worker_may_open_and_is_audited(
    world, mash_officer, make_child, client, sign_in
):
    amy = make_child(first_name="Amy", last_name="Okafor", date_of_birth=date(2016, 4, 9))
    ben = make_child(first_name="Ben", last_name="Okafor", date_of_birth=date(2018, 2, 1))
    restrict(amy)
    sign_in(mash_officer)
    response = client.post("/front-door/contacts/new/", contact_form(world))
    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert f"It is record {ben.pk}" in page  # Ben's record the worker may open
    assert "possible match you can't open: ask your manager" in page
    assert (
        f"It is record {amy.pk}:" not in page
        and f'-choice-{amy.pk}"' not in page
        and "Amy Okafor, born" not in page
    )
    search = AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, actor_id=mash_officer.user_id).get()
    assert "Duplicate check" in search.summary and search.changes["possible_matches"] == sorted(
        [amy.pk, ben.pk]
    )
    # choosing the restricted record by its number anyway is refused
    response = client.post(
        "/front-door/contacts/new/",
        contact_form(world, **{"child-1-choice": str(amy.pk), "child-2-choice": str(ben.pk)}),
    )
    assert response.status_code == 400 and "that you can add to a contact" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_queue_and_the_contact_page_dont_name_a_child_the_viewer_may_not_open(
    world, make_child, record_contact, mash_officer, make_staff, client, sign_in
):
    from outstanding.partnership.roles import Role

    hidden = make_child(first_name="Zebedee")
    sibling = make_child(first_name="Yolanda")
    named_worker = make_staff(Role.MASH_OFFICER, team=world["mash"])
    restrict(hidden, named_worker)
    contact = record_contact(hidden, sibling, actor=named_worker)
    queue = selectors.mash_queue(user=mash_officer.user)
    assert queue.rows[0].children == [None, sibling]
    view = selectors.contact_for_viewing(user=mash_officer.user, contact_id=contact.pk)
    assert [c.shown for c in view.children] == [False, True]
    assert "Zebedee" not in AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).last().summary
    sign_in(mash_officer)
    for url in ("/front-door/", f"/front-door/contacts/{contact.pk}/"):
        page = unescape(client.get(url).content.decode())
        assert "Yolanda" in page and "Zebedee" not in page and "record you can't open" in page
    client.post("/sign-out/")
    sign_in(named_worker)
    assert "Zebedee" in client.get("/front-door/").content.decode()
