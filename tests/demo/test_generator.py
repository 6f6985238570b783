"""The demo generator: seeded and reproducible, realistic in shape, and never in production."""

from datetime import date

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from outstanding.casework.models import CaseNote
from outstanding.demo.generator import CASELOAD_RANGE, DEMO_PASSWORD, DemoRefused, generate_demo
from outstanding.partnership.models import (
    ArrangementParticipation,
    Council,
    Partnership,
    PartnershipMembership,
    SharedServiceArrangement,
    StaffMember,
    Team,
    TeamMembership,
)
from outstanding.partnership.roles import Role
from outstanding.people.models import Address, Child, Involvement, NamedAccess, Person, Relationship

pytestmark = pytest.mark.django_db

EXPECTED_SIGN_INS = {
    "admin",
    "mash-officer.shared",
    *(
        f"{role}.{council}"
        for role in (
            "social-worker",
            "team-manager",
            "head-of-service",
            "performance-analyst",
            "independent-reviewing-officer",
        )
        for council in ("westminster", "kensington-chelsea", "hammersmith-fulham")
    ),
}


def fingerprint() -> list[tuple]:
    """Everything a person would notice, without database ids."""
    children = sorted(
        (c.person.full_name, c.person.date_of_birth, c.person.nhs_number, c.upn, c.restricted)
        for c in Child.objects.select_related("person")
    )
    return children + sorted(
        (
            s.user.username,
            s.user.get_full_name(),
            s.swe_registration_number,
            s.employing_council.slug if s.employing_council else None,
            tuple(sorted((m.team.name, m.start_date, m.is_manager) for m in s.team_memberships.all())),
            tuple(sorted(r.role for r in s.roles.all())),
        )
        for s in StaffMember.objects.select_related("user", "employing_council").prefetch_related(
            "team_memberships__team", "roles"
        )
    )


def wipe() -> None:
    CaseNote.objects.all().delete()  # notes belong to several children, so no child's deletion removes them
    for model in (NamedAccess, Involvement, Relationship, Address, Child, Person):
        model.objects.all().delete()
    TeamMembership.objects.all().delete()
    StaffMember.objects.all().delete()
    get_user_model().objects.all().delete()
    Team.objects.all().delete()
    ArrangementParticipation.objects.all().delete()
    PartnershipMembership.objects.all().delete()
    SharedServiceArrangement.objects.all().delete()
    Partnership.objects.all().delete()
    Council.objects.all().delete()


def test_same_seed_same_data_and_another_seed_differs():
    generate_demo(partnership="tri-borough", seed=7, scale=0.2)
    first = fingerprint()
    wipe()
    generate_demo(partnership="tri-borough", seed=7, scale=0.2)
    assert fingerprint() == first
    wipe()
    generate_demo(partnership="tri-borough", seed=8, scale=0.2)
    assert fingerprint() != first


def test_the_tri_borough_shape():
    summary = generate_demo(partnership="tri-borough", seed=42, scale=1.0)
    assert {c.la_code for c in Council.objects.all()} == {"213", "207", "205"}
    assert set(summary.sign_ins) == EXPECTED_SIGN_INS
    # every shared service has at least two councils on a day after Hammersmith and Fulham took services back
    reviewing = ArrangementParticipation.objects.filter(arrangement__service__code="independent-reviewing")
    assert {p.council.slug for p in reviewing.on(date(2020, 1, 1))} == {
        "westminster",
        "kensington-chelsea",
    }
    mash = Team.objects.get(kind=Team.Kind.MASH)
    assert mash.arrangement.participations.count() == 3
    # caseloads are realistic: open cases per social worker in 15–20
    low, high = CASELOAD_RANGE
    for slug, caseload in summary.caseloads.items():
        assert low - 1 <= caseload <= high, (slug, caseload)
    # social workers and their managers are registered with Social Work England
    registered = StaffMember.objects.filter(
        roles__role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
    ).distinct()
    assert not registered.filter(swe_registration_number__isnull=True).exists()


def test_demo_sign_ins_work_and_no_one_else_can_sign_in():
    summary = generate_demo(partnership="tri-borough", seed=42, scale=0.3)
    for name in summary.sign_ins:
        assert authenticate(username=name, password=DEMO_PASSWORD) is not None, name
    others = StaffMember.objects.exclude(user__username__in=summary.sign_ins)
    assert others.exists()
    assert not any(s.user.has_usable_password() for s in others.select_related("user"))


def test_scale_multiplies_the_volume():
    small = generate_demo(partnership="tri-borough", seed=1, scale=0.2)
    wipe()
    large = generate_demo(partnership="tri-borough", seed=1, scale=0.8)
    assert large.staff > 3 * small.staff
    assert large.people["children"] > 3 * small.people["children"]


@override_settings(PRODUCTION=True)
def test_refuses_production_settings():
    with pytest.raises(DemoRefused, match="never runs with production settings"):
        generate_demo(partnership="tri-borough", seed=42, scale=1.0)
    assert not Council.objects.exists()


def test_refuses_a_database_that_already_has_data():
    generate_demo(partnership="tri-borough", seed=42, scale=0.2)
    before = StaffMember.objects.count()
    with pytest.raises(CommandError, match="already holds councils or staff"):
        call_command("generate_demo", "--seed", "42", "--scale", "0.2")
    assert StaffMember.objects.count() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--partnership", "nowhere"], "Unknown partnership"), (["--scale", "0"], "--scale")],
)
def test_bad_arguments_get_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo", *args)


def test_command_prints_the_sign_ins(capsys):
    call_command("generate_demo", "--seed", "42", "--scale", "0.2")
    out = capsys.readouterr().out
    assert "social-worker.westminster" in out
    assert "demo-only-password" in out
