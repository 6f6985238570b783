"""Shared fixtures: a small partnership built through the real services, and staff in each role."""

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from outstanding.partnership import services
from outstanding.partnership.models import Council, Service, StaffMember, Team
from outstanding.partnership.reference import services_ensure
from outstanding.partnership.roles import REGISTERED_SOCIAL_WORK_ROLES, Role

PASSWORD = "a-long-test-password-1"
START = date(2012, 4, 1)


@pytest.fixture(scope="session")
def password_hash() -> str:
    return make_password(PASSWORD)  # Argon2 once per run, not once per member of staff


@pytest.fixture
def world(db):
    """Westminster and Kensington and Chelsea sharing a MASH; Hammersmith and Fulham in the partnership."""
    services_ensure()  # a browser test's flush empties the reference data the migration added
    w = services.council_create(
        actor=None, name="Westminster", slug="westminster", la_code="213", ons_code="E09000033"
    )
    kc = services.council_create(
        actor=None,
        name="Kensington and Chelsea",
        slug="kensington-chelsea",
        la_code="207",
        ons_code="E09000020",
    )
    hf = services.council_create(
        actor=None,
        name="Hammersmith and Fulham",
        slug="hammersmith-fulham",
        la_code="205",
        ons_code="E09000013",
    )
    partnership = services.partnership_create(actor=None, name="Tri-borough", slug="tri-borough")
    for council in (w, kc, hf):
        services.membership_add(actor=None, partnership=partnership, council=council, start_date=START)
    front_door = Service.objects.get(code="front-door")
    mash_arrangement = services.arrangement_create(
        actor=None, partnership=partnership, service=front_door, start_date=START, councils=[w, kc]
    )
    mash = services.team_create(
        actor=None,
        name="Bi-borough MASH",
        kind=Team.Kind.MASH,
        services=[front_door],
        arrangement=mash_arrangement,
    )
    locality = services.team_create(
        actor=None,
        name="North Westminster Family Support",
        kind=Team.Kind.LOCALITY,
        services=[Service.objects.get(code="assessment")],
        council=w,
    )
    return {
        "westminster": w,
        "kensington-chelsea": kc,
        "hammersmith-fulham": hf,
        "partnership": partnership,
        "mash_arrangement": mash_arrangement,
        "mash": mash,
        "locality": locality,
    }


_counter = iter(range(100_000, 999_999))


@pytest.fixture
def make_staff(world, password_hash) -> Callable[..., StaffMember]:
    """A member of staff with the given roles, in a team from `START`, able to sign in with PASSWORD."""

    def make(
        *roles: Role,
        council: Council | None = None,
        team: Team | None = None,
        manager: bool = False,
        username: str | None = None,
    ) -> StaffMember:
        n = next(_counter)
        staff = services.staff_create(
            actor=None,
            username=username or f"{roles[0].value}.{n}",
            first_name="Test",
            last_name=f"Person {n}",
            email=f"person{n}@example.org",
            roles=set(roles),
            employing_council=council if council is not None else world["westminster"],
            swe_registration_number=f"SW{n}" if set(roles) & REGISTERED_SOCIAL_WORK_ROLES else None,
            password_hash=password_hash,
        )
        if team is not None:
            services.team_membership_add(
                actor=None, staff=staff, team=team, start_date=START, is_manager=manager
            )
        return staff

    return make


@pytest.fixture
def sign_in(client: Client) -> Callable[[StaffMember], Client]:
    def do(staff: StaffMember) -> Client:
        response = client.post("/sign-in/", {"username": staff.user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        return client

    return do


@pytest.fixture
def social_worker(world, make_staff) -> StaffMember:
    return make_staff(Role.SOCIAL_WORKER, team=world["locality"])


@pytest.fixture
def team_manager(world, make_staff) -> StaffMember:
    return make_staff(Role.TEAM_MANAGER, team=world["locality"], manager=True)


@pytest.fixture
def mash_officer(world, make_staff) -> StaffMember:
    return make_staff(Role.MASH_OFFICER, team=world["mash"])


@pytest.fixture
def administrator(world, make_staff) -> StaffMember:
    return make_staff(Role.SYSTEM_ADMINISTRATOR)
