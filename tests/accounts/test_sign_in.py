"""Signing in and out: Argon2, lockout after repeated failures, expiry after inactivity, safe redirects."""

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from outstanding.accounts.middleware import LAST_SEEN
from outstanding.accounts.models import SignInThrottle
from outstanding.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/sign-in/", {"username": username, "password": password, **extra})


def test_passwords_are_hashed_with_argon2(social_worker):
    assert social_worker.user.password.startswith("argon2$")


def test_sign_in_reaches_home_and_is_audited(client, social_worker):
    response = post_sign_in(client, social_worker.user.username)
    assert response.status_code == 302
    assert response.url == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "North Westminster Family Support" in home.content.decode()
    assert (
        AuditEvent.objects.filter(actor_id=social_worker.user.pk, action=AuditEvent.Action.SIGN_IN).count()
        == 1
    )


def test_sign_in_names_are_not_case_sensitive(client, social_worker):
    assert post_sign_in(client, social_worker.user.username.upper()).status_code == 302


def test_wrong_password_gets_a_clear_error(client, social_worker):
    response = post_sign_in(client, social_worker.user.username, "not-the-password")
    assert response.status_code == 400
    assert "The sign-in name or password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_form_asks_for_both_fields(client):
    response = post_sign_in(client, "", "")
    assert "Enter your sign-in name and password." in response.content.decode()


@override_settings(OUTSTANDING_SIGN_IN_MAX_FAILURES=3)
def test_account_locks_after_repeated_failures_even_with_the_right_password(client, social_worker):
    username = social_worker.user.username
    for _ in range(2):
        assert "wrong" in post_sign_in(client, username, "guess").content.decode()
    locked = post_sign_in(client, username, "guess").content.decode()
    assert "This account is locked after too many failed sign-ins" in locked
    # the right password no longer works while locked
    response = post_sign_in(client, username)
    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert (
        AuditEvent.objects.filter(actor_username=username, action=AuditEvent.Action.ACCOUNT_LOCKED).count()
        == 1
    )


@override_settings(OUTSTANDING_SIGN_IN_MAX_FAILURES=2, OUTSTANDING_SIGN_IN_LOCK_SECONDS=600)
def test_a_lock_runs_out(client, social_worker):
    username = social_worker.user.username
    post_sign_in(client, username, "guess")
    post_sign_in(client, username, "guess")
    assert post_sign_in(client, username).status_code == 400  # locked: even the right password fails
    # ten minutes on, the lock has run out
    SignInThrottle.objects.filter(username=username).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert post_sign_in(client, username).status_code == 302
    assert not SignInThrottle.objects.filter(username=username).exists()  # success clears the count


@override_settings(OUTSTANDING_SIGN_IN_MAX_FAILURES=2)
def test_unknown_names_lock_too_so_a_lock_reveals_nothing(client):
    post_sign_in(client, "no.such.person", "guess")
    response = post_sign_in(client, "no.such.person", "guess")
    assert "This account is locked" in response.content.decode()


@override_settings(OUTSTANDING_SIGN_IN_MAX_FAILURES=2)
def test_an_administrator_can_unlock(client, social_worker, administrator, sign_in):
    username = social_worker.user.username
    post_sign_in(client, username, "guess")
    post_sign_in(client, username, "guess")
    admin_client = sign_in(administrator)
    staff_page = admin_client.get("/administration/staff/").content.decode()
    assert "Locked" in staff_page
    response = admin_client.post("/administration/staff/unlock/", {"username": username}, follow=True)
    assert f"{username} can sign in again." in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCOUNT_UNLOCKED, actor_id=administrator.user.pk
    )
    admin_client.post("/sign-out/")
    assert post_sign_in(client, username).status_code == 302


def test_only_an_administrator_can_unlock(client, social_worker, team_manager, sign_in):
    SignInThrottle.objects.create(username=social_worker.user.username, locked_until="2099-01-01T00:00Z")
    response = sign_in(team_manager).post(
        "/administration/staff/unlock/", {"username": social_worker.user.username}
    )
    assert response.status_code == 403
    assert SignInThrottle.objects.filter(username=social_worker.user.username).exists()


def test_sign_out_needs_a_post_and_ends_the_session(client, social_worker, sign_in):
    sign_in(social_worker)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/", follow=True)
    assert "You have signed out." in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(
        actor_id=social_worker.user.pk, action=AuditEvent.Action.SIGN_OUT
    ).exists()


@override_settings(OUTSTANDING_IDLE_TIMEOUT_SECONDS=60)
def test_a_session_expires_after_inactivity(client, social_worker, sign_in):
    sign_in(social_worker)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 61
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/?next=/")
    page = client.get(response.url).content.decode()
    assert "You were signed out after 1 minutes without activity" in page
    assert AuditEvent.objects.filter(actor_id=social_worker.user.pk, action=AuditEvent.Action.SESSION_EXPIRED)


@override_settings(OUTSTANDING_IDLE_TIMEOUT_SECONDS=60)
def test_activity_keeps_a_session_alive(client, social_worker, sign_in):
    sign_in(social_worker)
    session = client.session
    session[LAST_SEEN] = time.time() - 59
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_sign_in_never_redirects_off_site(client, social_worker, target):
    response = post_sign_in(client, social_worker.user.username, next=target)
    assert response.status_code == 302
    assert response.url == "/"


def test_sign_in_returns_to_the_page_asked_for(client, administrator):
    response = post_sign_in(client, administrator.user.username, next="/administration/teams/")
    assert response.url == "/administration/teams/"


def test_a_deactivated_account_cannot_sign_in(client, social_worker):
    social_worker.user.is_active = False
    social_worker.user.save()
    assert post_sign_in(client, social_worker.user.username).status_code == 400
