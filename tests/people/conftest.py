"""People fixtures: children made through the real services, in each council, with and without a shared
service's involvement, restricted or not."""

from datetime import date

import pytest

from outstanding.partnership import services as partnership_services
from outstanding.partnership.models import Service, Team
from outstanding.people import services
from outstanding.people.models import Child

KNOWN = date(2020, 1, 6)


@pytest.fixture
def make_child(world):
    counter = iter(range(1000))

    def make(
        council_slug: str = "westminster",
        first_name: str | None = None,
        last_name: str = "Example",
        date_of_birth: date = date(2015, 5, 17),
        nhs_number: str = "",
        upn: str = "",
        postcode: str | None = None,
    ) -> Child:
        n = next(counter)
        return services.child_create(
            actor=None,
            details=services.NewPerson(
                first_name=first_name or f"Child{n}",
                last_name=last_name,
                date_of_birth=date_of_birth,
                sex="F",
                nhs_number=nhs_number,
            ),
            responsible_council=world[council_slug],
            known_since=KNOWN,
            upn=upn,
            address={"line_1": f"{n} Test Street", "postcode": postcode, "start_date": KNOWN}
            if postcode
            else None,
        )

    return make


@pytest.fixture
def locality_teams(world):
    """Each council's own locality team (Westminster's comes from `world`)."""
    assessment = Service.objects.get(code="assessment")
    teams = {"westminster": world["locality"]}
    for slug in ("kensington-chelsea", "hammersmith-fulham"):
        teams[slug] = partnership_services.team_create(
            actor=None,
            name=f"{slug} locality",
            kind=Team.Kind.LOCALITY,
            services=[assessment],
            council=world[slug],
        )
    return teams


@pytest.fixture
def involve(world, locality_teams):
    def involve(child: Child, *, mash: bool = False, start: date = KNOWN) -> None:
        if mash:
            services.involvement_open(
                actor=None,
                child=child,
                service=Service.objects.get(code="front-door"),
                team=world["mash"],
                start_date=start,
            )
        else:
            services.involvement_open(
                actor=None,
                child=child,
                service=Service.objects.get(code="assessment"),
                team=locality_teams[child.responsible_council.slug],
                start_date=start,
            )

    return involve
