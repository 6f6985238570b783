"""A social worker finds a child by a misspelt name and opens the record; the manager sees that look."""

from datetime import date

import pytest

from outstanding.partnership.roles import Role
from outstanding.people import services
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_find_by_misspelt_name_open_and_manager_sees_the_look(live_server, page, world, make_staff):
    make_staff(Role.SOCIAL_WORKER, team=world["locality"], username="sam.worker")
    make_staff(Role.TEAM_MANAGER, team=world["locality"], manager=True, username="tina.manager")
    child = services.child_create(
        actor=None,
        details=services.NewPerson(
            first_name="John", last_name="Smith", date_of_birth=date(2016, 4, 9), sex="M"
        ),
        responsible_council=world["westminster"],
        known_since=date(2023, 1, 9),
    )
    base = live_server.url

    sign_in(page, base, "sam.worker")
    page.get_by_role("link", name="Find a child").click()
    page.get_by_label("Name").fill("Jon Smyth")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_test_id("result-count").inner_text() == "1 child found"
    page.get_by_role("link", name="John Smith").click()
    page.wait_for_url(f"{base}/children/{child.pk}/")
    assert "John Smith" in page.get_by_test_id("identity-bar").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "tina.manager")
    page.goto(f"{base}/children/{child.pk}/")
    page.get_by_role("link", name="Who has looked at this record").click()
    events = page.get_by_test_id("audit-events").inner_text()
    assert "sam.worker" in events
    assert "Viewed the record of John Smith" in events
