"""The audit log: written by services, and append-only at the database on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record, changes_between

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database-level guard is a PostgreSQL trigger; .ci/run runs this on PostgreSQL",
)


def test_a_system_event_names_the_system(db):
    event = audit_record(actor=None, action=AuditEvent.Action.CREATE, summary="x" * 400)
    assert event.actor_username == "system"
    assert event.actor_id is None
    assert len(event.summary) == 300  # long summaries are cut, not refused


def test_changes_between_lists_only_what_changed():
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


@on_postgresql
def test_postgresql_refuses_update_of_the_audit_log(db):
    event = audit_record(actor=None, action=AuditEvent.Action.CREATE, summary="Original")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rewritten")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET summary = 'Rewritten' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.summary == "Original"


@on_postgresql
def test_postgresql_refuses_delete_from_the_audit_log(db):
    event = audit_record(actor=None, action=AuditEvent.Action.CREATE, summary="Keep me")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
