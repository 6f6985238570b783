"""The one way to write to the audit log. Every other part calls `audit_record` inside its own transaction."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from outstanding.audit.models import AuditEvent

SYSTEM_ACTOR = "system"


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditEvent.Action,
    summary: str,
    obj: models.Model | None = None,
    council_id: int | None = None,
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_username: str | None = None,
) -> AuditEvent:
    """Append one event. `actor` None means the system itself (a command such as the demo generator)."""
    known = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor_id=actor.pk if known else None,
        actor_username=actor_username or (actor.get_username() if known else SYSTEM_ACTOR),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        council_id=council_id,
        summary=summary[:300],
        changes=changes or {},
        ip_address=ip_address,
    )


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}, for an update's audit row."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
