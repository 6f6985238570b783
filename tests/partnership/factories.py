"""factory_boy factories for the partnership part, for tests that need many rows quickly."""

import factory

from outstanding.partnership.models import Council, Partnership

# Real English council codes (synthetic data elsewhere; these are public reference codes).
_COUNCILS = [
    ("Camden", "202", "E09000007"),
    ("Islington", "206", "E09000019"),
    ("Lambeth", "208", "E09000022"),
    ("Southwark", "210", "E09000028"),
    ("Wandsworth", "212", "E09000032"),
]


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("la_code",)

    name = factory.Sequence(lambda n: _COUNCILS[n % len(_COUNCILS)][0])
    slug = factory.LazyAttribute(lambda c: c.name.lower())
    la_code = factory.Sequence(lambda n: _COUNCILS[n % len(_COUNCILS)][1])
    ons_code = factory.Sequence(lambda n: _COUNCILS[n % len(_COUNCILS)][2])


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
