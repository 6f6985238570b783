"""The partnership services: the rules the model must keep, and the audit each change leaves."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outstanding.audit.models import AuditEvent
from outstanding.partnership import services
from outstanding.partnership.models import (
    ArrangementParticipation,
    PartnershipMembership,
    Service,
    SharedServiceArrangement,
    StaffMember,
    Team,
)
from outstanding.partnership.roles import Role
from tests.partnership.factories import CouncilFactory, PartnershipFactory

pytestmark = pytest.mark.django_db
D = date


def test_a_membership_cannot_overlap_itself():
    council, partnership = CouncilFactory(), PartnershipFactory()
    services.membership_add(
        actor=None,
        partnership=partnership,
        council=council,
        start_date=D(2012, 4, 1),
        end_date=D(2018, 3, 31),
    )
    with pytest.raises(ValidationError, match=r"already a member .* from 01 Apr 2012 to 31 Mar 2018"):
        services.membership_add(
            actor=None, partnership=partnership, council=council, start_date=D(2018, 3, 31)
        )
    # the day after is fine: leaving and rejoining is a new membership
    services.membership_add(actor=None, partnership=partnership, council=council, start_date=D(2018, 4, 1))
    assert PartnershipMembership.objects.filter(council=council).count() == 2


def test_a_membership_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="can't end"):
        services.membership_add(
            actor=None,
            partnership=PartnershipFactory(),
            council=CouncilFactory(),
            start_date=D(2012, 4, 1),
            end_date=D(2012, 3, 1),
        )
    assert not PartnershipMembership.objects.exists()


def test_the_database_also_refuses_an_end_before_the_start():
    membership = services.membership_add(
        actor=None, partnership=PartnershipFactory(), council=CouncilFactory(), start_date=D(2012, 4, 1)
    )
    membership.end_date = D(2011, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_a_shared_service_needs_two_member_councils(world):
    adoption = Service.objects.get(code="adoption")
    with pytest.raises(
        ValidationError, match=r"at least two member councils .* from 01 Apr 2012 onwards it has 1"
    ):
        services.arrangement_create(
            actor=None,
            partnership=world["partnership"],
            service=adoption,
            start_date=D(2012, 4, 1),
            councils=[world["westminster"]],
        )
    # nothing half-written: the failed arrangement and its participation are gone
    assert not SharedServiceArrangement.objects.filter(service=adoption).exists()
    assert not ArrangementParticipation.objects.filter(arrangement__service=adoption).exists()


def test_sharing_counts_only_councils_that_are_members_on_the_day(world):
    outsider = CouncilFactory()  # never joined the partnership
    with pytest.raises(ValidationError, match="it has 1"):
        services.arrangement_create(
            actor=None,
            partnership=world["partnership"],
            service=Service.objects.get(code="fostering"),
            start_date=D(2012, 4, 1),
            councils=[world["westminster"], outsider],
        )


def test_a_council_dropping_out_must_leave_two(world):
    w, kc, hf = world["westminster"], world["kensington-chelsea"], world["hammersmith-fulham"]
    fostering = Service.objects.get(code="fostering")
    # three, then two after Hammersmith and Fulham leaves: fine
    services.arrangement_create(
        actor=None,
        partnership=world["partnership"],
        service=fostering,
        start_date=D(2012, 4, 1),
        councils=[w, kc, (hf, D(2012, 4, 1), D(2018, 3, 31))],
    )
    # two, then one: refused, with the date it would happen
    with pytest.raises(ValidationError, match="from 01 Apr 2018 onwards it has 1"):
        services.arrangement_create(
            actor=None,
            partnership=world["partnership"],
            service=Service.objects.get(code="adoption"),
            start_date=D(2012, 4, 1),
            councils=[w, (hf, D(2012, 4, 1), D(2018, 3, 31))],
        )


def test_a_participation_must_fall_within_its_arrangement(world):
    with pytest.raises(ValidationError, match="must fall within the arrangement"):
        services.arrangement_create(
            actor=None,
            partnership=world["partnership"],
            service=Service.objects.get(code="adoption"),
            start_date=D(2013, 1, 1),
            councils=[world["westminster"], (world["kensington-chelsea"], D(2012, 4, 1), None)],
        )


def test_leaving_the_partnership_ends_the_councils_shared_services(world):
    w, kc, hf = world["westminster"], world["kensington-chelsea"], world["hammersmith-fulham"]
    adoption = services.arrangement_create(
        actor=None,
        partnership=world["partnership"],
        service=Service.objects.get(code="adoption"),
        start_date=D(2012, 4, 1),
        councils=[w, kc, hf],
    )
    membership = PartnershipMembership.objects.get(council=hf)
    services.membership_end(actor=None, membership=membership, end_date=D(2018, 3, 31))
    participation = adoption.participations.get(council=hf)
    assert participation.end_date == D(2018, 3, 31)
    assert AuditEvent.objects.filter(object_id=str(membership.pk), action=AuditEvent.Action.UPDATE).exists()


def test_leaving_is_refused_when_a_shared_service_would_have_one_council(world):
    # the MASH in `world` is shared by Westminster and Kensington and Chelsea only
    membership = PartnershipMembership.objects.get(council=world["kensington-chelsea"])
    with pytest.raises(ValidationError, match="from 01 Jan 2020 onwards it has 1"):
        services.membership_end(actor=None, membership=membership, end_date=D(2019, 12, 31))
    membership.refresh_from_db()
    assert membership.end_date is None  # nothing half-changed
    assert not world["mash_arrangement"].participations.filter(end_date__isnull=False).exists()


def test_a_team_belongs_to_a_council_or_a_shared_service_not_both(world):
    front_door = Service.objects.get(code="front-door")
    with pytest.raises(ValidationError, match="either to one council or to one shared service"):
        services.team_create(
            actor=None,
            name="Muddled team",
            kind=Team.Kind.MASH,
            services=[front_door],
            council=world["westminster"],
            arrangement=world["mash_arrangement"],
        )
    with pytest.raises(ValidationError, match="can only work that service"):
        services.team_create(
            actor=None,
            name="Wide MASH",
            kind=Team.Kind.MASH,
            services=[front_door, Service.objects.get(code="adoption")],
            arrangement=world["mash_arrangement"],
        )


def test_the_database_refuses_a_team_with_no_owner(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="Nobody's team", kind=Team.Kind.SPECIALIST)


def test_a_social_worker_needs_a_social_work_england_number(world):
    with pytest.raises(
        ValidationError, match="social worker must have a Social Work England registration number"
    ):
        services.staff_create(
            actor=None,
            username="no.number",
            first_name="No",
            last_name="Number",
            email="no@example.org",
            roles={Role.SOCIAL_WORKER},
            employing_council=world["westminster"],
        )
    assert not StaffMember.objects.filter(user__username="no.number").exists()


def test_a_social_work_england_number_must_look_like_one(world):
    with pytest.raises(ValidationError, match="SW123456"):
        services.staff_create(
            actor=None,
            username="bad.number",
            first_name="Bad",
            last_name="Number",
            email="bad@example.org",
            roles={Role.SOCIAL_WORKER},
            employing_council=world["westminster"],
            swe_registration_number="12345",
        )


def test_a_performance_analyst_needs_no_registration(world):
    staff = services.staff_create(
        actor=None,
        username="an.analyst",
        first_name="An",
        last_name="Analyst",
        email="analyst@example.org",
        roles={Role.PERFORMANCE_ANALYST},
        employing_council=world["westminster"],
    )
    assert staff.role_set() == {Role.PERFORMANCE_ANALYST}
    assert not staff.user.has_usable_password()  # no sign-in until a password is set


def test_team_memberships_cannot_overlap(world, social_worker):
    with pytest.raises(ValidationError, match="already in North Westminster Family Support"):
        services.team_membership_add(
            actor=None, staff=social_worker, team=world["locality"], start_date=D(2020, 1, 1)
        )


def test_dated_lookups(world, social_worker):
    services.team_membership_add(
        actor=None,
        staff=social_worker,
        team=world["mash"],
        start_date=D(2015, 1, 1),
        end_date=D(2015, 12, 31),
    )
    on = social_worker.team_memberships.on
    assert {m.team.name for m in on(D(2015, 6, 1))} == {"North Westminster Family Support", "Bi-borough MASH"}
    assert {m.team.name for m in on(D(2016, 1, 1))} == {"North Westminster Family Support"}
    assert not on(D(2012, 3, 31)).exists()


def test_every_change_is_audited(world):
    # the world fixture made 3 councils, a partnership, 3 memberships, an arrangement and 2 teams
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE)
    assert created.filter(object_type="partnership.Council").count() == 3
    assert created.filter(object_type="partnership.PartnershipMembership").count() == 3
    assert created.filter(object_type="partnership.SharedServiceArrangement").count() == 1
    assert created.filter(object_type="partnership.Team").count() == 2
    event = created.get(object_type="partnership.Council", object_id=str(world["westminster"].pk))
    assert event.actor_username == "system"
    assert event.summary == "Added council Westminster (LA 213)"


@pytest.mark.parametrize(
    ("la_code", "ons_code", "message"),
    [
        ("21", "E09000033", "three digits"),
        ("213", "W06000015", "E09000033"),  # a Welsh code: not an English council
    ],
)
def test_council_codes_are_checked(la_code, ons_code, message):
    with pytest.raises(ValidationError, match=message):
        services.council_create(
            actor=None, name="Somewhere", slug="somewhere", la_code=la_code, ons_code=ons_code
        )


def test_a_county_council_code_is_accepted():
    kent = services.council_create(actor=None, name="Kent", slug="kent", la_code="886", ons_code="E10000016")
    assert kent.ons_code == "E10000016"
