"""Front-door fixtures: contacts recorded through the real services, at fixed past times so every deadline is
known, with the people fixtures (children in each council, locality teams) alongside."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from outstanding.frontdoor import services
from outstanding.frontdoor.models import Agency
from outstanding.partnership.roles import Role
from outstanding.people.services import NewPerson
from tests.people.conftest import involve, locality_teams, make_child  # noqa: F401 - fixtures

LONDON = ZoneInfo("Europe/London")
# Monday 3 March 2025, 10:00: a working day well clear of bank holidays.
RECEIVED = datetime(2025, 3, 3, 10, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def record_contact(world):
    """A contact from a school about the given children (existing records), recorded by `actor`."""

    def record(*children, actor=None, council=None, received_at=RECEIVED, new=(), source="2A", team=None):
        council = council or children[0].responsible_council if children else council
        return services.contact_record(
            actor=actor.user if actor is not None else None,
            mash_team=team or world["mash"],
            council=council,
            received_at=received_at,
            source=source,
            referrer=services.Referrer(
                name="Ms Head", organisation="St Mary's School", phone="020 7946 0000"
            ),
            concern="Both children came to school hungry and with bruises on their arms.",
            consent=services.Contact.Consent.NOT_SOUGHT,
            consent_reason="Asking the parents could put the children at greater risk.",
            children=[services.ChildOnContact(record=c.pk) for c in children]
            + [services.ChildOnContact(details=d, confirmed_new=True) for d in new],
        )

    return record


@pytest.fixture
def police_officer(world, make_staff):
    """A police officer seconded to the bi-borough MASH (employed by no council)."""
    staff = make_staff(Role.MASH_OFFICER, team=world["mash"])
    staff.employing_council = None
    staff.job_title = "Police MASH officer"
    staff.save()
    services.partner_agency_officer_set(actor=None, staff=staff, agency=Agency.POLICE)
    return staff


@pytest.fixture
def mash_manager(world, make_staff):
    return make_staff(Role.TEAM_MANAGER, team=world["mash"], manager=True)


def new_child(first: str, last: str = "Okafor", born=(2016, 4, 9)) -> NewPerson:
    from datetime import date

    return NewPerson(first_name=first, last_name=last, date_of_birth=date(*born), sex="F")
