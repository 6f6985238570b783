"""A school's contact about two siblings, walked through the MASH: recorded, screened, checked by the MASH's
police officer, decided as a referral; the children's records then show the open referral and its due date."""

import pytest
from django.utils import timezone

from outstanding.frontdoor import services
from outstanding.frontdoor.deadlines import assessment_due
from outstanding.frontdoor.models import Agency, Contact
from outstanding.partnership.roles import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_school_contact_about_two_siblings_becomes_a_referral(live_server, page, world, make_staff):
    make_staff(Role.MASH_OFFICER, team=world["mash"], username="mo.mash")
    police = make_staff(Role.MASH_OFFICER, team=world["mash"], username="pc.police")
    police.employing_council = None
    police.save()
    services.partner_agency_officer_set(actor=None, staff=police, agency=Agency.POLICE)
    make_staff(Role.SOCIAL_WORKER, team=world["locality"], username="sam.worker")
    base = live_server.url

    sign_in(page, base, "mo.mash")
    page.get_by_role("link", name="MASH queue").click()
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("The children's council").select_option(label="Westminster")
    page.get_by_label("Source").select_option("2A")
    page.get_by_label("Referrer's name").fill("Ms Adebayo")
    page.get_by_label("Organisation and role").fill("St Mary's Primary School, safeguarding lead")
    page.get_by_label("Phone number").first.fill("020 7946 0123")
    page.get_by_label("The concern, in the referrer's words").fill(
        "Amy and Ben came in hungry again and Ben has bruises on both arms."
    )
    page.get_by_label("Consent not sought: shared without it").check()
    page.get_by_label("Reason to share without consent").fill(
        "Asking the parents could put the children at risk."
    )
    child = page.get_by_test_id("child-1")
    child.get_by_label("First name").fill("Amy")
    child.get_by_label("Surname").fill("Adeyemi")
    child.get_by_label("Day").fill("9")
    child.get_by_label("Month").fill("4")
    child.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Add another child").click()
    child = page.get_by_test_id("child-2")
    child.get_by_label("First name").fill("Ben")
    child.get_by_label("Surname").fill("Adeyemi")
    child.get_by_label("Day").fill("2")
    child.get_by_label("Month").fill("11")
    child.get_by_label("Year").fill("2018")
    assert page.get_by_test_id("child-1").get_by_label("First name").input_value() == "Amy"  # kept
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url(f"{base}/front-door/contacts/*/")
    assert "Awaiting screening" in page.get_by_test_id("contact-status").inner_text()

    page.get_by_role("link", name="Screen the contact").click()
    page.get_by_label("Level 3 – child in need").check()
    page.get_by_label("Amber").check()
    page.get_by_label("Police").check()
    page.get_by_role("button", name="Save the screening").click()
    assert "Waiting" in page.get_by_test_id("check-police").inner_text()
    contact_url = page.url
    sign_out(page)

    sign_in(page, base, "pc.police")
    page.get_by_role("link", name="MASH queue").click()  # a police officer's queue is the police checks
    page.get_by_role("link", name="Contact").first.click()
    assert "Amy Adeyemi" in page.get_by_test_id("check-people").inner_text()
    page.get_by_label("Yes").check()
    page.get_by_label("What was found").fill("Police called to a domestic incident at the address in June.")
    page.get_by_role("button", name="Save the check").click()
    assert "No checks waiting" in page.get_by_test_id("checks-waiting").inner_text()
    sign_out(page)

    sign_in(page, base, "mo.mash")
    page.goto(contact_url)
    assert "domestic incident" in page.get_by_test_id("check-police").inner_text()
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Referral to social care for assessment").check()
    page.get_by_label("Reason").fill("Level 3 needs and police information: a child and family assessment.")
    page.get_by_label("Team to take it on").select_option(label=world["locality"].name)
    page.get_by_role("button", name="Record the decision").click()
    assert "Decided" in page.get_by_test_id("contact-status").inner_text()
    sign_out(page)

    contact = Contact.objects.get()
    due = assessment_due(timezone.localdate()).strftime("%-d %b %Y")
    sign_in(page, base, "sam.worker")
    for cc in contact.contact_children.all():
        page.goto(f"{base}/children/{cc.child_id}/")
        referrals = page.get_by_test_id("referrals").inner_text()
        assert "Open" in referrals and world["locality"].name in referrals
        assert page.get_by_test_id("assessment-due").inner_text() == due
