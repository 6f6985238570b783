"""The append-only audit log: who did what to which record, when, and from where.

Rows are only ever inserted, through `outstanding.audit.services.audit_record`. On PostgreSQL a trigger
refuses UPDATE and DELETE, so not even a bug or a hand-typed query can rewrite history.
"""

from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign-in", "Signed in"
        SIGN_IN_FAILED = "sign-in-failed", "Failed to sign in"
        ACCOUNT_LOCKED = "account-locked", "Account locked"
        ACCOUNT_UNLOCKED = "account-unlocked", "Account unlocked"
        SIGN_OUT = "sign-out", "Signed out"
        SESSION_EXPIRED = "session-expired", "Session expired"
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        ACCESS_DENIED = "access-denied", "Refused access"
        BREAK_GLASS = "break-glass", "Broke the glass"
        MERGE = "merge", "Merged records"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Who, kept as plain values rather than a foreign key: an audit row outlives any account it names.
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    council_id = models.BigIntegerField(null=True, db_index=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.summary}"
