"""The front-door dashboard: per council for its heads of service, across the partnership for a MASH manager,
with the figures worked out from the contacts and referrals, and a chart drawn on the server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outstanding.frontdoor import dashboard
from outstanding.frontdoor.models import Contact, ContactChild, Referral
from outstanding.partnership.roles import Role

pytestmark = pytest.mark.django_db


def contact(world, council, child, *, outcome, late=False, days_ago=3, source="2A"):
    received = timezone.now() - timedelta(days=days_ago)
    decided = received + timedelta(hours=30 if late else 2)
    row = Contact.objects.create(
        mash_team=world["mash"],
        council=council,
        received_at=received,
        source=source,
        concern="x",
        consent=Contact.Consent.GIVEN,
        status=Contact.Status.DECIDED,
        decision_due_at=received + timedelta(hours=24),
        outcome=outcome,
        decided_at=decided,
    )
    ContactChild.objects.create(contact=row, child=child)
    if outcome == Contact.Outcome.REFERRAL:
        Referral.objects.create(
            child=child,
            contact=row,
            council=council,
            referral_date=decided.date(),
            source=source,
            assessment_due_on=decided.date() + timedelta(days=63),
            is_re_referral=late,
        )
    return row


def test_a_councils_figures(world, make_child, make_staff):
    w = world["westminster"]
    w.child_population = 10_000
    w.save()
    amy, ben = make_child(), make_child()
    contact(world, w, amy, outcome="referral")
    contact(world, w, ben, outcome="referral", late=True, source="6")
    contact(world, w, ben, outcome="no-further-action", source="6")
    contact(world, w, ben, outcome="early-help")
    contact(world, world["kensington-chelsea"], make_child("kensington-chelsea"), outcome="referral")
    head = make_staff(Role.HEAD_OF_SERVICE, council=w)
    board = dashboard.front_door_dashboard(user=head.user)
    assert [c.name for c in board.councils] == ["Westminster"] and board.council == w
    h = board.headline
    assert (h.contacts, h.referrals, h.conversion, h.in_time, h.re_referral_rate) == (4, 2, 50.0, 75.0, 50.0)
    assert h.rate_per_10k == round(2 / 10_000 * 10_000 * 365 / ((board.end - board.start).days + 1))
    assert {s.code: (s.contacts, s.referred) for s in board.sources} == {"2A": (2, 1), "6": (2, 1)}
    assert sum(m.contacts for m in board.months) == 4 and len(board.months) == 12
    assert board.chart.startswith("<svg") and "contacts</title>" in board.chart


def test_the_partnership_view_for_a_mash_manager(world, make_child, make_staff, client, sign_in):
    contact(world, world["westminster"], make_child(), outcome="referral")
    contact(
        world, world["kensington-chelsea"], make_child("kensington-chelsea"), outcome="information-and-advice"
    )
    contact(world, world["hammersmith-fulham"], make_child("hammersmith-fulham"), outcome="referral")
    manager = make_staff(Role.TEAM_MANAGER, team=world["mash"], manager=True)
    board = dashboard.front_door_dashboard(user=manager.user)
    assert board.council is None  # the bi-borough MASH's two councils together, not Hammersmith and Fulham's
    assert [f.name for f in board.per_council] == ["Kensington and Chelsea", "Westminster"]
    assert board.headline.contacts == 2
    sign_in(manager)
    page = client.get("/front-door/dashboard/").content.decode()
    assert "The partnership" in page and "<svg" in page and "Decided within 1 working day" in page
    assert "Front-door dashboard" in client.get("/front-door/").content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MASH_OFFICER, Role.SYSTEM_ADMINISTRATOR])
def test_others_have_no_dashboard(world, make_staff, client, sign_in, role):
    staff = make_staff(role, team=world["mash"] if role == Role.MASH_OFFICER else None)
    sign_in(staff)
    assert client.get("/front-door/dashboard/").status_code == 403


def test_twelve_months_in_december_too_and_decisions_awaiting_authorisation_not_yet_decided(
    world, make_staff, make_child
):
    """Issue 6: in December the window spanned 24 months; decisions waiting for a manager counted."""
    from datetime import date

    assert dashboard.first_month(date(2025, 12, 15)) == date(2025, 1, 1)
    assert dashboard.first_month(date(2025, 3, 3)) == date(2024, 4, 1)
    head = make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"])
    board = dashboard.front_door_dashboard(user=head.user, today=date(2025, 12, 15))
    assert board.months[0].label == "Jan 2025" and board.months[-1].label == "Dec 2025"
    assert len(board.months) == 12
    child = make_child()
    waiting = contact(world, world["westminster"], child, outcome=Contact.Outcome.REFERRAL, days_ago=2)
    Referral.objects.filter(contact=waiting).delete()  # not yet authorised: no referral has started
    Contact.objects.filter(pk=waiting.pk).update(status=Contact.Status.AWAITING_AUTHORISATION)
    contact(world, world["westminster"], child, outcome=Contact.Outcome.NO_FURTHER_ACTION, days_ago=2)
    figures = dashboard.front_door_dashboard(user=head.user).headline
    assert (figures.contacts, figures.decided, figures.referred_contacts, figures.decided_in_time) == (
        2,
        1,
        0,
        1,
    )
    assert figures.conversion == 0.0
