"""The chronology: in date order with sources and links, filterable, curated, printed; bounded queries."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outstanding.casework import services
from outstanding.partnership.roles import Role
from outstanding.people import services as people_services
from outstanding.timescales import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_with_history(make_child, social_worker):
    child = make_child()
    for i in range(30):
        people_services.chronology_record(
            actor=None,
            child=child,
            kind=EventKind.CP_VISIT,
            occurred_on=date(2025, 1, 1) + timedelta(days=10 * i),
            summary=f"Visit {i}",
        )
    services.risk_record(
        actor=social_worker.user, child=child, kind="cse", level=3, identified_on=date(2025, 3, 3)
    )
    return child


def test_chronology_lists_events_in_order_with_links(child_with_history, social_worker, client, sign_in):
    sign_in(social_worker)
    page = client.get(f"/children/{child_with_history.pk}/chronology/").content.decode()
    assert (
        page.index("Visit 0")
        < page.index("Risk identified: Child sexual exploitation")
        < page.index("Visit 29")
    )
    assert f"/children/{child_with_history.pk}/risks/#risk-" in page


def test_chronology_can_be_filtered_by_kind(child_with_history, social_worker, client, sign_in):
    sign_in(social_worker)
    page = client.get(
        f"/children/{child_with_history.pk}/chronology/", {"kind": "risk_identified"}
    ).content.decode()
    assert "Risk identified" in page and "Visit 3" not in page


def test_chronology_page_queries_do_not_grow_with_the_events(make_child, social_worker, client, sign_in):
    child = make_child()
    sign_in(social_worker)

    def queries_for(n_more: int) -> int:
        for i in range(n_more):
            people_services.chronology_record(
                actor=None,
                child=child,
                kind=EventKind.CIN_VISIT,
                occurred_on=date(2025, 1, 1),
                summary=f"v{i}",
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/children/{child.pk}/chronology/").status_code == 200
        return len(captured)

    few, many = queries_for(5), queries_for(200)
    assert many == few
    assert many <= 25


def test_curate_comment_finalise_print_and_download(child_with_history, social_worker, client, sign_in):
    sign_in(social_worker)
    chosen = list(child_with_history.chronology.values_list("pk", flat=True)[:3])
    response = client.post(
        f"/children/{child_with_history.pk}/chronology/curate/",
        {"event": [str(p) for p in chosen], "title": "For the review conference", "purpose": "conference"},
    )
    url = response.url
    client.post(
        url, {"action": "save", "analysis": "Visits were regular.", f"comment-{chosen[0]}": "Seen alone."}
    )
    client.post(url, {"action": "finalise"})
    printed = client.get(url, {"print": "1"}).content.decode()
    assert (
        "For the review conference" in printed
        and "Visits were regular." in printed
        and "Seen alone." in printed
    )
    download = client.get(url, {"print": "1", "download": "1"})
    assert download["Content-Disposition"].startswith("attachment;")
    # finalised: no more changes
    client.post(url, {"action": "save", "analysis": "Changed my mind."})
    assert "Changed my mind." not in client.get(url, {"print": "1"}).content.decode()


def test_risks_are_reviewed_and_closed(child_with_history, social_worker, client, sign_in):
    risk = child_with_history.risks.get()
    sign_in(social_worker)
    client.post(f"/risks/{risk.pk}/review/", {"level": "2", "note": "Safety plan working"})
    client.post(f"/risks/{risk.pk}/review/", {"level": "1", "close": "yes"})
    risk.refresh_from_db()
    assert [r.level for r in risk.reviews.all()] == [2, 1]
    assert risk.closed_on is not None
    page = client.get(f"/children/{child_with_history.pk}/risks/").content.decode()
    assert "Safety plan working" in page and "closed" in page


def test_bad_risk_input(make_child, social_worker, client, sign_in):
    child = make_child()
    sign_in(social_worker)
    response = client.post(f"/children/{child.pk}/risks/", {"kind": "", "level": "", "identified_on-day": ""})
    assert response.status_code == 400
    assert "Enter the date identified." in response.content.decode()
    assert not child.risks.exists()


def test_leaders_see_whether_risks_fell_by_type(
    make_child, social_worker, world, make_staff, client, sign_in
):
    for kind, first, last_level in (
        ("cse", 3, 1),
        ("cse", 3, 1),
        ("cse", 2, 1),
        ("cse", 3, 3),
        ("cse", 2, 3),
        ("fgm", 2, 1),
    ):
        risk = services.risk_record(
            actor=social_worker.user,
            child=make_child(),
            kind=kind,
            level=first,
            identified_on=date(2025, 1, 6),
        )
        services.risk_review(
            actor=social_worker.user, risk=risk, reviewed_on=date(2025, 3, 3), level=last_level
        )
    sign_in(make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"]))
    page = client.get("/risks/outcomes/").content.decode()
    row = page[page.index("Child sexual exploitation") :][:700]
    assert [int(x) for x in re.findall(r">(\d+)<", row)][:4] == [5, 3, 1, 1]
    fgm = page[page.index("Female genital mutilation") :][:300]
    assert "Fewer than 5 reviewed" in fgm  # one child's risk would be recognisable
    client.post("/sign-out/")
    sign_in(social_worker)
    assert client.get("/risks/outcomes/").status_code == 403
