"""Typed work is never lost: a draft note survives its session expiring, and comes back after signing in."""

from datetime import date

import pytest
from django.test import override_settings

from outstanding.casework.models import CaseNote
from outstanding.partnership.roles import Role
from outstanding.people import services
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username, then=None):
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if then:
        page.wait_for_url(then)


@override_settings(OUTSTANDING_IDLE_TIMEOUT_SECONDS=4)
def test_typed_words_survive_an_expired_session(live_server, page, world, make_staff):
    make_staff(Role.SOCIAL_WORKER, team=world["locality"], username="sam.worker")
    child = services.child_create(
        actor=None,
        details=services.NewPerson(
            first_name="Lily", last_name="Evans", date_of_birth=date(2017, 2, 1), sex="F"
        ),
        responsible_council=world["westminster"],
        known_since=date(2024, 1, 8),
    )
    base = live_server.url
    page.goto(f"{base}/children/{child.pk}/notes/new/")
    sign_in(page, base, "sam.worker", then=f"{base}/children/{child.pk}/notes/new/")
    page.get_by_label("Home visit").check()
    page.get_by_label("Title").fill("Home visit after school")
    page.get_by_role("button", name="Start the note").click()
    page.wait_for_url(f"{base}/notes/**")
    note_url = page.url
    status = page.get_by_test_id("autosave-status")

    box = page.get_by_label("Note (a draft: it saves as you type)")
    box.press_sequentially("Lily showed me her room. ", delay=5)
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Draft saved')"
    )
    page.wait_for_timeout(5000)  # away from the desk: the session ends
    box.press_sequentially("She said she feels safe at home.", delay=5)
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Not saved')"
    )
    assert "kept on this device" in status.inner_text()

    page.goto(note_url)
    assert "/sign-in/" in page.url
    sign_in(page, base, "sam.worker", then=note_url)
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Draft saved')"
    )
    typed = "Lily showed me her room. She said she feels safe at home."
    assert box.input_value() == typed
    assert CaseNote.objects.get().versions.order_by("-number").first().text == typed
