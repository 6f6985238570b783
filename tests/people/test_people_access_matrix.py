"""The access matrix: every role × every council × shared and unshared service × restricted or not.

The expected outcome is written out here from the policy's plain words, independently of `access.policy`:
- a council's own teams (and its head of service and analysts) reach every child of that council;
- a shared service's team reaches a partner council's child only while that service works with the child,
  and then sees only that service's work;
- system administrators keep the system, not the casework: no children;
- a restricted child opens only for named people; others who would reach it may break the glass; nobody else
  learns it exists.
"""

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outstanding.partnership.roles import Role
from outstanding.people import services
from outstanding.people.models import Relationship

pytestmark = pytest.mark.django_db

COUNCILS = ["westminster", "kensington-chelsea", "hammersmith-fulham"]
MASH_COUNCILS = {"westminster", "kensington-chelsea"}  # the `world` MASH shares front door between these two
CASEWORK = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MASH_OFFICER, Role.INDEPENDENT_REVIEWING_OFFICER}
MANAGERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}


@dataclass(frozen=True)
class StaffSpec:
    role: Role
    council: str  # employer
    team: str  # "locality" (the council's own), "mash" (the shared one) or "none"

    def __str__(self) -> str:
        return f"{self.role.value}@{self.council}/{self.team}"


def staff_specs() -> list[StaffSpec]:
    specs = []
    for role, council in itertools.product(Role, COUNCILS):
        if role in (Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR):
            specs.append(StaffSpec(role, council, "none"))
        elif role == Role.MASH_OFFICER:
            specs.append(StaffSpec(role, council, "mash"))
        else:
            specs.append(StaffSpec(role, council, "locality"))
    # a council's social worker seconded to the shared MASH, and a manager of it
    specs += [
        StaffSpec(Role.SOCIAL_WORKER, "westminster", "mash"),
        StaffSpec(Role.TEAM_MANAGER, "kensington-chelsea", "mash"),
    ]
    return specs


@dataclass(frozen=True)
class ChildSpec:
    council: str
    with_mash: bool  # the shared front door is working with the child
    restricted: bool


CHILDREN = [ChildSpec(c, m, r) for c, m, r in itertools.product(COUNCILS, (False, True), (False, True))]


def expected(staff: StaffSpec, child: ChildSpec) -> str:
    """'view', 'break-glass' or 'refused'."""
    if staff.role == Role.SYSTEM_ADMINISTRATOR:
        return "refused"
    whole = (staff.team == "locality" or staff.team == "none") and staff.council == child.council
    via_mash = staff.team == "mash" and child.council in MASH_COUNCILS and child.with_mash
    if not (whole or via_mash):
        return "refused"
    return "break-glass" if child.restricted else "view"


def whole_record(staff: StaffSpec, child: ChildSpec) -> bool:
    return staff.team in ("locality", "none") and staff.council == child.council


@pytest.fixture
def children(make_child, involve):
    made = {}
    for i, spec in enumerate(CHILDREN):
        child = make_child(spec.council, first_name=f"Matrix{i}", last_name="Testchild")
        involve(child)  # every child has its council's own assessment work
        if spec.with_mash:
            involve(child, mash=True)
        if spec.restricted:
            services.restriction_set(actor=None, child=child, reason="High-profile case", named=[])
        made[spec] = child
    return made


@pytest.mark.parametrize("spec", staff_specs(), ids=str)
def test_each_page_and_action_allows_exactly_what_the_policy_says(
    spec, world, locality_teams, children, make_staff, client, sign_in
):
    team = {"locality": locality_teams[spec.council], "mash": world["mash"], "none": None}[spec.team]
    staff = make_staff(spec.role, council=world[spec.council], team=team)
    sign_in(staff)
    search = client.get("/children/", {"name": "Testchild"}).content.decode()
    for child_spec, child in children.items():
        want = expected(spec, child_spec)
        where = f"{spec} on {child_spec}"
        # the record's summary page
        response = client.get(f"/children/{child.pk}/")
        page = response.content.decode()
        if want == "view":
            assert response.status_code == 200, where
            assert child.person.full_name in page, where
            # shared-service staff see only that service's work
            assert ("Assessment and intervention" in page) == whole_record(spec, child_spec), where
        elif want == "break-glass":
            assert response.status_code == 403, where
            assert "Open the record" in page and child.person.full_name not in page, where
        else:
            assert response.status_code == 403, where
            assert "Open the record" not in page and child.person.full_name not in page, where
        # search shows exactly the children the summary opens
        assert (f"/children/{child.pk}/" in search) == (want == "view"), where
        # who has looked at this record: managers who can open the whole record
        audit = client.get(f"/children/{child.pk}/who-looked/")
        may_audit = want == "view" and spec.role in MANAGERS and whole_record(spec, child_spec)
        assert audit.status_code == (200 if may_audit else 403), where
        # changing the record: caseworkers who can open it
        may_change = want == "view" and spec.role in CASEWORK
        try:
            services.relationship_add(
                actor=staff.user,
                child=child,
                kind=Relationship.Kind.PROFESSIONAL,
                new_person=services.NewPerson(first_name="Pat", last_name=f"Nurse{staff.pk}"),
            )
            changed = True
        except PermissionDenied:
            changed = False
        assert changed == may_change, where


@pytest.mark.parametrize("spec", [s for s in staff_specs() if s.role == Role.SOCIAL_WORKER], ids=str)
def test_breaking_the_glass_opens_only_what_the_policy_allows(
    spec, world, locality_teams, children, make_staff, client, sign_in
):
    team = {"locality": locality_teams[spec.council], "mash": world["mash"]}[spec.team]
    staff = make_staff(spec.role, council=world[spec.council], team=team)
    sign_in(staff)
    for child_spec, child in children.items():
        if not child_spec.restricted:
            continue
        response = client.post(
            f"/children/{child.pk}/break-glass/", {"reason": "Urgent call from the police about her"}
        )
        if expected(spec, child_spec) == "break-glass":
            assert response.status_code == 302, child_spec
            assert client.get(f"/children/{child.pk}/").status_code == 200
        else:
            assert response.status_code == 403, child_spec


def test_named_people_open_a_restricted_record_without_breaking_glass(
    world, children, make_staff, client, sign_in
):
    named = make_staff(Role.SOCIAL_WORKER, team=world["locality"])
    child = children[ChildSpec("westminster", False, True)]
    services.restriction_set(actor=None, child=child, reason="Adoption", named=[named])
    sign_in(named)
    assert client.get(f"/children/{child.pk}/").status_code == 200


def test_a_council_leaving_the_shared_mash_cuts_access_from_that_day(
    world, children, make_staff, client, sign_in
):
    mash_worker = make_staff(Role.MASH_OFFICER, council=world["westminster"], team=world["mash"])
    child = children[ChildSpec("kensington-chelsea", True, False)]
    sign_in(mash_worker)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    # Kensington and Chelsea's part in the shared front door ended yesterday
    world["mash_arrangement"].participations.filter(council=world["kensington-chelsea"]).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(f"/children/{child.pk}/").status_code == 403
