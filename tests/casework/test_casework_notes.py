"""Case notes: drafts keep every version, autosave as you type, finalised notes are only added to."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outstanding.casework import services
from outstanding.casework.models import CaseNote
from outstanding.people import services as people_services
from outstanding.people.models import ChronologyEvent, Relationship

pytestmark = pytest.mark.django_db


def start(actor, children, text="First words", **kwargs):
    return services.note_draft_save(
        actor=actor,
        children=children,
        kind="home-visit",
        occurred_on=date(2026, 1, 5),
        title="Visit",
        text=text,
        **kwargs,
    )


def test_every_save_is_a_version_and_autosaves_refresh_one(make_child, social_worker):
    child = make_child()
    note = start(social_worker.user, [child])
    services.note_draft_save(actor=social_worker.user, note=note, text="typing…", autosave=True)
    services.note_draft_save(actor=social_worker.user, note=note, text="typing more…", autosave=True)
    assert [v.text for v in note.versions.all()] == ["First words", "typing more…"]
    services.note_draft_save(actor=social_worker.user, note=note, text="Saved on purpose")
    assert [v.number for v in note.versions.all()] == [1, 2, 3]


def test_a_finalised_note_cannot_be_changed_by_any_route(make_child, social_worker, client, sign_in):
    child = make_child()
    note = start(social_worker.user, [child], significant=True)
    services.note_finalise(actor=social_worker.user, note=note)
    with pytest.raises(services.NoteIsFinal):
        services.note_draft_save(actor=social_worker.user, note=note, text="rewritten")
    sign_in(social_worker)
    form = client.post(f"/notes/{note.pk}/save/", {"text": "rewritten"}, follow=True)
    assert "can&#39;t be changed" in form.content.decode()
    autosave = client.post(f"/notes/{note.pk}/save/", {"text": "rewritten", "autosave": "1"})
    assert autosave.status_code == 409
    assert client.post(f"/notes/{note.pk}/finalise/", follow=True).status_code == 200
    note.refresh_from_db()
    assert [v.text for v in note.versions.all()] == ["First words"]
    # only added to, and the addition shows with the untouched original and its versions
    client.post(f"/notes/{note.pk}/add/", {"text": "Mother phoned back later."})
    page = client.get(f"/notes/{note.pk}/").content.decode()
    assert "Mother phoned back later." in page and "First words" in page and "Version 1" in page


def test_finalising_a_significant_note_adds_it_to_each_childs_chronology(make_child, social_worker):
    a, b = make_child(first_name="Ann"), make_child(first_name="Ben")
    people_services.relationship_add(actor=None, child=a, kind=Relationship.Kind.SIBLING, person=b.person)
    note = start(social_worker.user, [a, b], significant=True)
    services.note_finalise(actor=social_worker.user, note=note)
    assert ChronologyEvent.objects.filter(kind="case_note", source_id=str(note.pk)).count() == 2
    assert list(a.case_notes.all()) == list(b.case_notes.all()) == [note]


def test_a_sibling_note_is_offered_and_appears_on_both(make_child, social_worker, client, sign_in):
    a, b = make_child(first_name="Ann"), make_child(first_name="Ben")
    people_services.relationship_add(actor=None, child=a, kind=Relationship.Kind.SIBLING, person=b.person)
    sign_in(social_worker)
    assert "Ben" in client.get(f"/children/{a.pk}/notes/new/").content.decode()
    response = client.post(
        f"/children/{a.pk}/notes/new/",
        {
            "kind": "phone-call",
            "occurred_on-day": "3",
            "occurred_on-month": "2",
            "occurred_on-year": "2026",
            "title": "Call with school",
            "text": "Both children in school today.",
            "siblings": [str(b.pk)],
        },
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert set(note.children.all()) == {a, b}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": ""}, "Choose the type of note"),
        ({"title": ""}, "short title"),
        ({"occurred_on-year": "2099"}, "can&#39;t be in the future"),
        ({"occurred_on-month": "14"}, "real date"),
    ],
)
def test_bad_note_input_is_explained_and_nothing_saved(
    make_child, social_worker, client, sign_in, change, message
):
    child = make_child()
    sign_in(social_worker)
    form = {
        "kind": "meeting",
        "occurred_on-day": "3",
        "occurred_on-month": "2",
        "occurred_on-year": "2026",
        "title": "Meeting",
        "text": "x",
        **change,
    }
    response = client.post(f"/children/{child.pk}/notes/new/", form)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CaseNote.objects.exists()


def test_drafts_are_their_authors_own(make_child, social_worker, team_manager, client, sign_in):
    child = make_child()
    note = start(social_worker.user, [child])
    with pytest.raises(PermissionDenied):
        services.note_draft_save(actor=team_manager.user, note=note, text="not mine")
    sign_in(team_manager)
    assert client.get(f"/notes/{note.pk}/").status_code == 403
    assert "Visit" not in client.get(f"/children/{child.pk}/notes/").content.decode()


def test_one_note_covers_one_councils_children(make_child, social_worker):
    with pytest.raises((ValidationError, PermissionDenied)):
        start(social_worker.user, [make_child(), make_child("kensington-chelsea")])


def test_an_empty_note_cannot_be_finalised(make_child, social_worker):
    note = start(social_worker.user, [make_child()], text="  ")
    with pytest.raises(ValidationError, match="Write the note"):
        services.note_finalise(actor=social_worker.user, note=note)


def test_shared_service_staff_see_only_their_services_notes(
    make_child, involve, social_worker, mash_officer, client, sign_in
):
    child = make_child("kensington-chelsea")
    involve(child, mash=True)
    mash_note = start(mash_officer.user, [child], text="Screened by the MASH")
    services.note_finalise(actor=mash_officer.user, note=mash_note)
    kc_worker_note = CaseNote.objects.create(
        council=child.responsible_council,
        author=social_worker,
        kind="meeting",
        occurred_on=date(2026, 1, 2),
        title="Locality meeting",
        finalised_at="2026-01-02T10:00Z",
    )
    kc_worker_note.children.set([child])
    assert mash_note.service.code == "front-door"
    sign_in(mash_officer)
    page = client.get(f"/children/{child.pk}/notes/").content.decode()
    assert "Visit" in page and "Locality meeting" not in page
    assert client.get(f"/notes/{kc_worker_note.pk}/").status_code == 403


def test_work_tray_lists_allocated_children_with_due_clocks_and_drafts(
    make_child, world, social_worker, client, sign_in
):
    from outstanding.partnership.models import Service
    from outstanding.people.services import chronology_record, involvement_open
    from outstanding.timescales import EventKind

    child = make_child(first_name="Tray")
    involvement_open(
        actor=None,
        child=child,
        service=Service.objects.get(code="assessment"),
        team=world["locality"],
        start_date=date(2026, 1, 5),
        allocated_worker=social_worker,
    )
    chronology_record(
        actor=None, child=child, kind=EventKind.REFERRAL, occurred_on=date(2026, 1, 5), summary="Referral"
    )
    draft = start(social_worker.user, [child])
    sign_in(social_worker)
    page = client.get("/work-tray/").content.decode()
    assert "Tray Example" in page
    assert draft.title in page
    tray_row = page[page.index("Tray Example") :]
    assert "govuk-tag--red" in tray_row  # the referral decision and the assessment are overdue
