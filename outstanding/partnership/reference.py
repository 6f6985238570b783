"""Reference data every deployment has: the children's services a council runs, alone or shared."""

from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from outstanding.partnership.models import Service

# The data migration imports this list, so this module imports no models at load time.

SERVICES = [
    ("front-door", "Front door and MASH"),
    ("early-help", "Early help"),
    ("assessment", "Assessment and intervention"),
    ("child-protection", "Child protection"),
    ("children-in-care", "Children in care"),
    ("care-leavers", "Care leavers"),
    ("adoption", "Adoption"),
    ("fostering", "Fostering"),
    ("disabled-children", "Disabled children"),
    ("exploitation", "Exploitation and missing"),
    ("independent-reviewing", "Independent reviewing and conference chairs"),
]


@transaction.atomic
def services_ensure() -> dict[str, "Service"]:
    """Add any standard service that is missing (a migration adds them; a flushed database has none)."""
    from outstanding.partnership.models import Service

    for code, name in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name": name})
    return {s.code: s for s in Service.objects.all()}
