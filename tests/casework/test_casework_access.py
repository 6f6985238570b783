"""Casework is the council's own work: a shared service's staff, and anyone who may not open a child, get
nothing of it, and refusals read like missing records."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outstanding.casework import services
from outstanding.people import services as people_services
from outstanding.people.models import Relationship
from outstanding.timescales import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_child(make_child, involve):
    """A Kensington and Chelsea child the shared MASH is screening, with the council's own work on record."""
    child = make_child("kensington-chelsea")
    involve(child, mash=True)
    return child


def test_shared_service_staff_get_none_of_the_councils_own_work(partner_child, mash_officer, client, sign_in):
    sign_in(mash_officer)
    child = partner_child
    for path in (f"/children/{child.pk}/risks/", f"/children/{child.pk}/protection/"):
        assert client.get(path).status_code == 403, path
    with pytest.raises(PermissionDenied):
        services.risk_record(
            actor=mash_officer.user, child=child, kind="cse", level=2, identified_on=date(2025, 1, 6)
        )
    with pytest.raises(PermissionDenied):
        services.curated_chronology_save(
            actor=mash_officer.user, child=child, purpose="court", title="x", analysis="", entries={}
        )


def test_assessments_refuse_alike_whether_missing_or_out_of_reach(
    make_child, social_worker, world, make_staff, client, sign_in
):
    from outstanding.partnership.roles import Role

    child = make_child()
    assessment = services.assessment_start(
        actor=social_worker.user, child=child, started_on=timezone.localdate()
    )
    outsider = make_staff(Role.SOCIAL_WORKER, council=world["kensington-chelsea"])
    sign_in(outsider)
    theirs = client.get(f"/assessments/{assessment.pk}/")
    missing = client.get("/assessments/999999/")
    assert theirs.status_code == missing.status_code == 403
    assert "There is no record you can open with that number." in theirs.content.decode()
    assert "There is no record you can open with that number." in missing.content.decode()


def test_the_work_tray_shows_a_shared_worker_only_their_services_clocks(
    partner_child, mash_officer, world, client, sign_in
):
    from outstanding.partnership.models import Service

    partner_child.involvements.filter(service__code="front-door").update(allocated_worker=mash_officer)
    people_services.chronology_record(
        actor=None,
        child=partner_child,
        kind=EventKind.SECTION_47_STARTED,
        occurred_on=timezone.localdate() - timedelta(days=60),
        summary="s47",
        service=Service.objects.get(code="child-protection"),
    )
    sign_in(mash_officer)
    page = client.get("/work-tray/").content.decode()
    row = page[page.index(partner_child.person.full_name) :][:600]
    assert "govuk-tag--red" not in row  # the council's overdue conference clock is not theirs to see
    assert "<title>Your work – Outstanding</title>" in page


def test_a_note_about_siblings_opens_for_a_worker_who_may_see_one(
    make_child, social_worker, team_manager, client, sign_in
):
    a, b = make_child(first_name="Open"), make_child(first_name="Hidden")
    people_services.relationship_add(actor=None, child=a, kind=Relationship.Kind.SIBLING, person=b.person)
    note = services.note_draft_save(
        actor=team_manager.user,
        children=[a, b],
        kind="meeting",
        occurred_on=date(2026, 1, 5),
        title="Family meeting",
        text="Both attended.",
    )
    services.note_finalise(actor=team_manager.user, note=note)
    people_services.restriction_set(actor=None, child=b, reason="Adoption", named=[team_manager])
    sign_in(social_worker)
    page = client.get(f"/notes/{note.pk}/").content.decode()
    assert "Both attended." in page and "Hidden" not in page


def test_nonsense_numbers_get_a_clear_answer_not_a_crash(make_child, social_worker, client, sign_in):
    child = make_child()
    risk = services.risk_record(
        actor=social_worker.user, child=child, kind="cse", level=2, identified_on=date(2025, 1, 6)
    )
    sign_in(social_worker)
    assert client.post(f"/risks/{risk.pk}/review/", {"level": "high"}).status_code == 302
    assert (
        client.post(f"/children/{child.pk}/protection/", {"form": "icpc", "discussion": "abc"}).status_code
        == 400
    )
