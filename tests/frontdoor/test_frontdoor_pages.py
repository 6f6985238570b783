"""The front-door pages: record a contact (bad input gets a clear message and nothing is saved), screen, a
partner check, decide, the queue, and the child's summary showing the referral."""

import pytest

from outstanding.frontdoor.models import Contact, PartnerCheck, Referral
from outstanding.people.models import Child, Involvement

pytestmark = pytest.mark.django_db


def contact_form(world, **change):
    form = {
        "action": "save",
        "place": f"{world['mash'].pk}:{world['westminster'].pk}",
        "received_at-day": "3",
        "received_at-month": "3",
        "received_at-year": "2025",
        "received_time": "10:00",
        "source": "2A",
        "referrer_name": "Ms Head",
        "referrer_organisation": "St Mary's School",
        "referrer_phone": "020 7946 0000",
        "concern": "Both children came to school hungry.",
        "consent": "not-sought",
        "consent_reason": "Asking could put the children at greater risk.",
        "children": "2",
        "child-1-first_name": "Amy",
        "child-1-last_name": "Okafor",
        "child-1-date_of_birth-day": "9",
        "child-1-date_of_birth-month": "4",
        "child-1-date_of_birth-year": "2016",
        "child-1-sex": "F",
        "child-2-first_name": "Ben",
        "child-2-last_name": "Okafor",
        "child-2-date_of_birth-day": "1",
        "child-2-date_of_birth-month": "2",
        "child-2-date_of_birth-year": "2018",
        "child-2-sex": "M",
        "adults": "1",
        "adult-1-first_name": "Grace",
        "adult-1-last_name": "Okafor",
        "adult-1-kind": "mother",
    }
    form.update(change)
    return {k: v for k, v in form.items() if v is not None}


def test_recording_a_contact_about_two_siblings(world, mash_officer, client, sign_in):
    sign_in(mash_officer)
    assert client.get("/front-door/contacts/new/").status_code == 200
    response = client.post("/front-door/contacts/new/", contact_form(world))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/front-door/contacts/{contact.pk}/"
    assert sorted(c.person.first_name for c in Child.objects.all()) == ["Amy", "Ben"]
    page = client.get(response["Location"]).content.decode()
    assert "Amy Okafor" in page and "Grace Okafor (mother)" in page
    assert "Awaiting screening" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_at-year": "2099"}, "can&#39;t be in the future"),
        ({"source": ""}, "Choose where the contact came from"),
        (
            {"child-1-first_name": "", "child-1-last_name": "", "child-1-record": "999999"},
            "no child with record number 999999",
        ),
        ({"received_at-month": "13"}, "must be a real date"),
        ({"received_time": "25:99"}, "Enter the time received"),
        ({"child-2-date_of_birth-year": "2099"}, "can&#39;t be in the future"),
        ({"adult-1-kind": "sibling"}, "Choose how the adult is related"),
    ],
)
def test_bad_input_gets_a_clear_message_on_the_form_and_nothing_is_saved(
    world, mash_officer, client, sign_in, change, message
):
    sign_in(mash_officer)
    response = client.post("/front-door/contacts/new/", contact_form(world, **change))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Contact.objects.exists() and not Child.objects.exists() and not Involvement.objects.exists()
    assert 'value="St Mary&#39;s School"' in page  # what was typed is kept


def test_a_likely_duplicate_is_offered_and_chosen(world, mash_officer, make_child, client, sign_in):
    from datetime import date

    amy = make_child(first_name="Amy", last_name="Okafor", date_of_birth=date(2016, 4, 9))
    sign_in(mash_officer)
    response = client.post("/front-door/contacts/new/", contact_form(world))
    assert response.status_code == 400
    assert f"It is record {amy.pk}" in response.content.decode()
    assert not Contact.objects.exists()
    response = client.post(
        "/front-door/contacts/new/", contact_form(world, **{"child-1-choice": str(amy.pk)})
    )
    assert response.status_code == 302
    assert Child.objects.count() == 2  # Amy found, Ben recorded
    assert Contact.objects.get().contact_children.filter(child=amy).exists()


def test_screen_check_and_decide_then_the_summary_shows_the_referral(
    world, mash_officer, police_officer, client, sign_in
):
    sign_in(mash_officer)
    client.post("/front-door/contacts/new/", contact_form(world))
    contact = Contact.objects.get()
    url = f"/front-door/contacts/{contact.pk}/"
    assert client.post(url + "screen/", {"rating": "amber"}).status_code == 400  # no threshold
    response = client.post(url + "screen/", {"threshold": "3", "rating": "amber", "agencies": ["police"]})
    assert response.status_code == 302
    check = PartnerCheck.objects.get()
    # the police check is the police officer's to record
    assert client.get(url + f"checks/{check.pk}/").status_code == 403
    client.post("/sign-out/")
    sign_in(police_officer)
    assert client.get("/front-door/").status_code == 302  # to the police checks list
    assert f"Contact {contact.pk}" in client.get("/front-door/checks/").content.decode()
    assert "hungry" in client.get(url).content.decode()
    response = client.post(url + f"checks/{check.pk}/", {"information_held": "yes", "findings": ""})
    assert "Enter what the agency found" in response.content.decode()
    response = client.post(
        url + f"checks/{check.pk}/", {"information_held": "yes", "findings": "DA call-out 2024"}
    )
    assert response.status_code == 302
    client.post("/sign-out/")
    sign_in(mash_officer)
    response = client.post(
        url + "decide/", {"outcome": "referral", "reason": "Level 3: an assessment is needed."}
    )
    assert "team that will take this on" in response.content.decode()
    response = client.post(
        url + "decide/",
        {
            "outcome": "referral",
            "reason": "Level 3: an assessment is needed.",
            "next_team": world["locality"].pk,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.first()
    assert Referral.objects.count() == 2
    sign_in_worker = client.get(f"/children/{referral.child.pk}/").content.decode()
    # the MASH worker still sees the child today, but not the council's referral
    assert "Assessment due" not in sign_in_worker


def test_the_queue_page_lists_open_contacts_and_marks_the_overdue(
    world, mash_officer, make_child, record_contact, client, sign_in
):
    record_contact(make_child(first_name="Zed"), actor=mash_officer)  # received March 2025: long overdue
    sign_in(mash_officer)
    page = client.get("/front-door/").content.decode()
    assert "Zed" in page and "app-row--overdue" in page and "1 past its deadline" in page
    assert "MASH queue" in page
    assert client.get("/front-door/?rating=red").content.decode().count('data-testid="queue-row"') == 0


def test_a_social_worker_sees_the_open_referral_with_its_assessment_due_date(
    world, mash_officer, social_worker, make_child, record_contact, client, sign_in
):
    from outstanding.frontdoor import services
    from tests.frontdoor.conftest import at

    amy = make_child(first_name="Amy")
    contact = record_contact(amy, actor=mash_officer)
    services.contact_screen(
        actor=None, contact=contact, threshold=3, rating="green", agencies=[], at=at(3, 11)
    )
    services.contact_decide(
        actor=None,
        contact=contact,
        outcome="referral",
        reason="Needs an assessment.",
        next_team=world["locality"],
        at=at(3, 12),
    )
    sign_in(social_worker)
    page = client.get(f"/children/{amy.pk}/").content.decode()
    assert "Contacts and referrals" in page and "8 May 2025" in page and "Open" in page


def test_staff_outside_a_mash_cant_open_the_queue(social_worker, client, sign_in):
    sign_in(social_worker)
    assert client.get("/front-door/").status_code == 403
    assert client.get("/front-door/contacts/new/").status_code == 403
    assert "MASH queue" not in client.get("/").content.decode()
