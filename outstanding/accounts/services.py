"""Signing in and out, locking after repeated failures, and unlocking."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from outstanding.accounts.models import SignInThrottle
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record


class SignInRefused(Exception):
    """Sign-in didn't succeed; the message is safe to show on the page."""


@dataclass(frozen=True)
class LockPolicy:
    max_failures: int
    lock_for: timedelta

    @classmethod
    def from_settings(cls) -> "LockPolicy":
        return cls(
            max_failures=settings.OUTSTANDING_SIGN_IN_MAX_FAILURES,
            lock_for=timedelta(seconds=settings.OUTSTANDING_SIGN_IN_LOCK_SECONDS),
        )


def _normalise(username: str) -> str:
    return username.strip().lower()


def _locked_message(until: datetime) -> str:
    local = timezone.localtime(until)
    return (
        "This account is locked after too many failed sign-ins. Try again after "
        f"{local:%H:%M} on {local:%d %b %Y}, or ask a system administrator to unlock it."
    )


def sign_in_check(*, username: str, password: str, ip_address: str | None) -> AbstractBaseUser:
    """The user whose name and password these are, unless the name is locked or they don't match.

    Raises SignInRefused with a message for the page. The failure count is committed before raising.
    """
    username = _normalise(username)
    if not username or not password:
        raise SignInRefused("Enter your sign-in name and password.")
    user, refusal = _attempt(username=username, password=password, ip_address=ip_address)
    if refusal:
        raise SignInRefused(refusal)
    return user


@transaction.atomic
def _attempt(*, username: str, password: str, ip_address: str | None) -> tuple[AbstractBaseUser | None, str]:
    # The throttle row is locked while it is read and written, so parallel guesses can't slip past the limit.
    policy = LockPolicy.from_settings()
    now = timezone.now()
    throttle, _ = SignInThrottle.objects.select_for_update().get_or_create(username=username)
    if throttle.locked_until and throttle.locked_until > now:
        audit_record(
            actor=None,
            actor_username=username,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            summary="Sign-in refused: account locked",
            ip_address=ip_address,
        )
        return None, _locked_message(throttle.locked_until)
    user = authenticate(username=username, password=password)
    if user is not None:
        throttle.delete()
        return user, ""
    throttle.failures += 1
    throttle.last_failure_at = now
    locked = throttle.failures >= policy.max_failures
    if locked:
        throttle.locked_until = now + policy.lock_for
        throttle.failures = 0
    throttle.save()
    audit_record(
        actor=None,
        actor_username=username,
        action=AuditEvent.Action.ACCOUNT_LOCKED if locked else AuditEvent.Action.SIGN_IN_FAILED,
        summary=f"Locked after {policy.max_failures} failed sign-ins"
        if locked
        else "Wrong sign-in name or password",
        ip_address=ip_address,
    )
    if locked:
        return None, _locked_message(throttle.locked_until)
    return None, "The sign-in name or password is wrong."


@transaction.atomic
def account_unlock(*, actor: AbstractBaseUser, username: str, ip_address: str | None) -> None:
    deleted, _ = SignInThrottle.objects.filter(username=_normalise(username)).delete()
    if not deleted:
        raise SignInRefused(f"{username} is not locked.")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ACCOUNT_UNLOCKED,
        summary=f"Unlocked sign-in {username}",
        ip_address=ip_address,
    )
