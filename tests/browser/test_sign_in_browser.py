"""A demo social worker signs in, reaches their home page and signs out, in a real browser."""

import pytest

from outstanding.demo.generator import DEMO_PASSWORD, generate_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_social_worker_signs_in_and_out(live_server, page):
    generate_demo(partnership="tri-borough", seed=42, scale=0.2)

    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/sign-in/?next=/")
    page.get_by_label("Sign-in name").fill("social-worker.westminster")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.title() == "Home – Outstanding"
    teams = page.get_by_test_id("my-teams")
    assert "Family Support" in teams.inner_text()
    assert "Westminster" in teams.inner_text()
    # the GOV.UK Frontend stylesheet is served and applied
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontWeight")
    assert font == "700"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/sign-in/")
    assert "You have signed out." in page.content()
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url  # the session really ended


def test_wrong_password_shows_the_error_summary(live_server, page):
    generate_demo(partnership="tri-borough", seed=42, scale=0.2)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Sign-in name").fill("social-worker.westminster")
    page.get_by_label("Password", exact=True).fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert "The sign-in name or password is wrong." in summary.inner_text()
