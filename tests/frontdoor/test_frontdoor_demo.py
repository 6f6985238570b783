"""The demo's front door: realistic referral rates, re-referrals and sources for each council over several
years, and today's MASH queue, open to the demo MASH officer."""

from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from outstanding.demo.generator import generate_demo
from outstanding.frontdoor import selectors
from outstanding.frontdoor.models import Contact, PartnerAgencyOfficer, Referral
from outstanding.partnership.models import Council

pytestmark = pytest.mark.django_db
SCALE = 0.3


@pytest.fixture
def demo():
    generate_demo(partnership="tri-borough", seed=42, scale=SCALE)


def test_the_demo_front_door_is_realistic_and_its_queue_open(demo):
    for council in Council.objects.all():
        for year in (2024, 2025):
            referrals = Referral.objects.filter(
                council=council, referral_date__gte=date(year, 4, 1), referral_date__lt=date(year + 1, 4, 1)
            )
            rate = referrals.count() / (council.child_population * SCALE) * 10_000
            assert 330 <= rate <= 600, (council.slug, year, rate)
    share = Referral.objects.filter(is_re_referral=True).count() / Referral.objects.count()
    assert 0.15 <= share <= 0.3
    sources = Counter(dict(Contact.objects.values_list("source").annotate(n=Count("id"))))
    assert [s for s, _ in sources.most_common(2)] == ["6", "2A"]  # police, then schools
    conversion = (
        Contact.objects.filter(outcome__in=["referral", "strategy-discussion"]).count()
        / Contact.objects.count()
    )
    assert 0.3 <= conversion <= 0.5
    # today's MASH queue, for the demo MASH officer; the agencies' officers see their own checks
    user = get_user_model().objects.get(username="mash-officer.shared")
    queue = selectors.mash_queue(user=user)
    assert queue.total == Contact.objects.filter(status__in=Contact.OPEN_STATUSES).count() > 10
    assert len(queue.councils) == 3
    assert all(row.children for row in queue.rows)
    assert set(PartnerAgencyOfficer.objects.values_list("agency", flat=True)) == {
        "police",
        "health",
        "education",
    }
    police = PartnerAgencyOfficer.objects.get(agency="police").staff.user
    assert all(c.agency == "police" for c in selectors.partner_checks_waiting(user=police))
