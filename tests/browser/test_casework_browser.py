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


@override_settings(OUTSTANDING_IDLE_TIMEOUT_SECONDS=4)
def test_an_assessment_keeps_every_typed_word_through_an_expired_session(
    live_server, page, world, make_staff
):
    from outstanding.casework.models import Assessment

    make_staff(Role.SOCIAL_WORKER, team=world["locality"], username="ana.worker")
    child = services.child_create(
        actor=None,
        details=services.NewPerson(
            first_name="Tom", last_name="Riley", date_of_birth=date(2015, 6, 1), sex="M"
        ),
        responsible_council=world["westminster"],
        known_since=date(2024, 1, 8),
    )
    base = live_server.url
    page.goto(f"{base}/children/{child.pk}/")
    sign_in(page, base, "ana.worker", then=f"{base}/children/{child.pk}/")
    page.get_by_role("button", name="Start an assessment").click()
    page.wait_for_url(f"{base}/assessments/**")
    url = page.url
    views = page.get_by_label("The child's views, wishes and aspirations")
    views.press_sequentially("Tom said he wants to stay at his school. ", delay=5)
    page.get_by_label("3A domestic abuse - child subject").check()
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Draft saved')"
    )
    page.wait_for_timeout(5000)  # the session ends while he thinks
    page.get_by_label("Analysis").press_sequentially("Dad left in March; mum is coping.", delay=5)
    views.press_sequentially("He misses his dad.", delay=5)
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Not saved')"
    )

    page.goto(url)
    sign_in(page, base, "ana.worker", then=url)
    page.wait_for_function(
        "document.querySelector('[data-autosave-status]').textContent.startsWith('Draft saved')"
    )
    saved = Assessment.objects.get()
    assert saved.childs_views == "Tom said he wants to stay at his school. He misses his dad."
    assert saved.analysis == "Dad left in March; mum is coping."
    assert saved.factors == ["3A"]


def _fill_date(page, prefix, day):
    page.locator(f"#{prefix}-day").fill(str(day.day))
    page.locator(f"#{prefix}-month").fill(str(day.month))
    page.locator(f"#{prefix}-year").fill(str(day.year))


def test_assessment_to_protection_plan_and_visit_then_the_chronology(live_server, page, world, make_staff):
    from django.utils import timezone

    make_staff(Role.SOCIAL_WORKER, team=world["locality"], username="sw.journey")
    make_staff(Role.TEAM_MANAGER, team=world["locality"], manager=True, username="tm.journey")
    child = services.child_create(
        actor=None,
        details=services.NewPerson(
            first_name="Maya", last_name="Stone", date_of_birth=date(2013, 9, 2), sex="F"
        ),
        responsible_council=world["westminster"],
        known_since=date(2024, 1, 8),
    )
    today = timezone.localdate()
    base = live_server.url
    summary = f"{base}/children/{child.pk}/"

    # the social worker completes the assessment
    page.goto(summary)
    sign_in(page, base, "sw.journey", then=summary)
    page.get_by_role("button", name="Start an assessment").click()
    page.wait_for_url(f"{base}/assessments/**")
    assessment_url = page.url
    _fill_date(page, "child_seen_on", today)
    _fill_date(page, "child_seen_alone_on", today)
    page.get_by_label("The child's views, wishes and aspirations").fill(
        "I don't feel safe when he comes round."
    )
    page.get_by_label("3A domestic abuse - child subject").check()
    page.get_by_label("11A child sexual exploitation").check()
    page.get_by_label("Analysis").fill("Domestic abuse at home and signs of exploitation by older men.")
    page.get_by_label("Strategy discussion").check()
    page.get_by_role("button", name="Send to my manager").click()
    page.get_by_text("Sent to your manager to authorise.").wait_for()
    page.get_by_role("button", name="Sign out").click()

    # the manager authorises it
    page.goto(assessment_url)
    sign_in(page, base, "tm.journey", then=assessment_url)
    page.get_by_role("button", name="Authorise").click()
    page.get_by_text("Assessment authorised.").wait_for()

    # a strategy discussion starts a section 47 enquiry; the initial conference makes a plan; a visit
    page.goto(f"{base}/children/{child.pk}/protection/")
    _fill_date(page, "held_on", today)
    page.locator("#agency-police").check()
    page.locator("#agency-social-care").check()
    page.locator("#strategy-decision").select_option("section-47")
    page.get_by_role("button", name="Record the discussion").click()
    page.get_by_role("button", name="Record the conference").wait_for()
    _fill_date(page, "icpc_on", today)
    page.locator("#icpc-decision").select_option("plan")
    page.locator("#category").select_option("SAB")
    page.get_by_role("button", name="Record the conference").click()
    page.get_by_test_id("plans").get_by_text("previous plans: 0", exact=False).wait_for()
    page.locator("#visit-kind").select_option("cp")
    _fill_date(page, "visited_on", today)
    page.locator("#seen_alone").check()
    page.get_by_role("button", name="Record the visit").click()
    page.get_by_test_id("visits").get_by_text("seen alone", exact=False).wait_for()

    # the chronology lists them all, in order, each linked to its record
    page.goto(f"{base}/children/{child.pk}/chronology/")
    text = page.get_by_test_id("chronology").inner_text()
    order = [
        "Assessment authorised",
        "Strategy discussion: section 47 enquiry started",
        "Initial child protection conference",
        "Child protection plan started",
        "Child protection visit: child seen alone",
    ]
    positions = [text.index(entry) for entry in order]
    assert positions == sorted(positions)
    for entry in order:
        link = page.get_by_role("link", name=entry, exact=False).first
        assert link.get_attribute("href")
