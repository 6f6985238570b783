"""Front-door services: recording contacts (duplicates, bad input, nothing half-saved), screening with the
council's deadlines in the MASH's opening hours, partner checks, decisions and the referrals they start."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outstanding.frontdoor import services
from outstanding.frontdoor.models import (
    Agency,
    Contact,
    FrontDoorSetting,
    MashOpeningHours,
    PartnerCheck,
    Referral,
)
from outstanding.partnership import services as partnership_services
from outstanding.partnership.models import Service, Team
from outstanding.people.models import Child, ChronologyEvent, Involvement, Person
from tests.frontdoor.conftest import RECEIVED, at, new_child

pytestmark = pytest.mark.django_db


def test_a_contact_about_two_siblings_opens_the_mashs_involvement_and_a_decision_clock(
    make_child, record_contact, mash_officer, world
):
    amy, ben = make_child(first_name="Amy"), make_child(first_name="Ben")
    contact = record_contact(amy, ben, actor=mash_officer)
    assert contact.status == Contact.Status.AWAITING_SCREENING
    assert [cc.child for cc in contact.contact_children.order_by("id")] == [amy, ben]
    # one working day at the front door is one day's opening hours: 10:00 Monday -> 10:00 Tuesday
    assert contact.decision_due_at == at(4, 10)
    assert contact.due_at == contact.decision_due_at
    for child in (amy, ben):
        assert child.involvements.filter(
            service__code="front-door", team=world["mash"], end_date=None
        ).exists()
        assert ChronologyEvent.objects.filter(
            child=child, kind="contact", key=f"contact-{contact.pk}"
        ).exists()


def test_new_children_are_recorded_and_adults_found_or_created(make_child, world, mash_officer):
    amy = make_child(first_name="Amy", last_name="Okafor")
    contact = services.contact_record(
        actor=mash_officer.user,
        mash_team=world["mash"],
        council=world["westminster"],
        received_at=RECEIVED,
        source="2A",
        referrer=services.Referrer(name="Ms Head", phone="020 7946 0000"),
        concern="Worried about the family.",
        consent=Contact.Consent.GIVEN,
        children=[
            services.ChildOnContact(record=amy.pk),
            services.ChildOnContact(details=new_child("Cara", born=(2019, 1, 2))),
        ],
        adults=[services.AdultOnContact(details=new_child("Grace", born=(1985, 1, 1)), kind="mother")],
    )
    cara = Child.objects.get(person__first_name="Cara")
    assert cara.responsible_council == world["westminster"]
    mother = contact.contact_adults.get().person
    assert {r.child for r in mother.relationships_to_children.all()} == {amy, cara}
    # the same mother on a second contact is found, not recorded again
    services.contact_record(
        actor=mash_officer.user,
        mash_team=world["mash"],
        council=world["westminster"],
        received_at=RECEIVED + timedelta(days=1),
        source="3B",
        referrer=services.Referrer(name="Health visitor", email="hv@example.org"),
        concern="Missed appointments.",
        consent=Contact.Consent.GIVEN,
        children=[services.ChildOnContact(record=cara.pk)],
        adults=[services.AdultOnContact(details=new_child("Grayce", born=(1985, 1, 1)), kind="mother")],
    )
    assert Person.objects.filter(first_name__startswith="Gr").count() == 1


def test_a_likely_duplicate_stops_the_contact_until_the_worker_chooses(make_child, world, mash_officer):
    existing = make_child(first_name="John", last_name="Smith", date_of_birth=date(2015, 5, 17))
    details = new_child("Jon", "Smyth", born=(2015, 5, 17))
    arguments = dict(
        actor=mash_officer.user,
        mash_team=world["mash"],
        council=world["westminster"],
        received_at=RECEIVED,
        source="6",
        referrer=services.Referrer(name="PC Jones", phone="101"),
        concern="Found alone at night.",
        consent=Contact.Consent.NOT_SOUGHT,
        consent_reason="An emergency: no time to ask.",
    )
    with pytest.raises(services.LikelyDuplicates) as raised:
        services.contact_record(**arguments, children=[services.ChildOnContact(details=details)])
    assert raised.value.matches == {1: [existing]}
    assert not Contact.objects.exists() and Child.objects.count() == 1
    contact = services.contact_record(**arguments, children=[services.ChildOnContact(record=existing.pk)])
    assert contact.contact_children.get().child == existing


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"received_at": timezone.now() + timedelta(hours=2)}, "received_at", "can't be in the future"),
        ({"source": ""}, "source", "Choose where the contact came from"),
        ({"source": "2Z"}, "source", "not a DfE referral source code"),
        ({"concern": " "}, "concern", "Enter the concern"),
        ({"consent_reason": ""}, "consent_reason", "reason for sharing without consent"),
        (
            {"children": [services.ChildOnContact(record=999_999)]},
            "child-1-record",
            "no child with record number",
        ),
        ({"children": []}, "child-1-last_name", "at least one child"),
        (
            {"children": [services.ChildOnContact(details=new_child("Dee", born=(2099, 1, 1)))]},
            "child-1-date_of_birth",
            "can't be in the future",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    make_child, world, mash_officer, change, field, message
):
    amy = make_child()
    arguments = dict(
        actor=mash_officer.user,
        mash_team=world["mash"],
        council=world["westminster"],
        received_at=RECEIVED,
        source="2A",
        referrer=services.Referrer(name="Ms Head", phone="020 7946 0000"),
        concern="Bruises.",
        consent=Contact.Consent.NOT_GIVEN,
        consent_reason="The parents refused but the children may be at risk.",
        children=[services.ChildOnContact(record=amy.pk)],
    )
    arguments.update(change)
    counts = (Child.objects.count(), Involvement.objects.count(), ChronologyEvent.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.contact_record(**arguments)
    assert message in " ".join(raised.value.message_dict[field])
    assert not Contact.objects.exists()
    assert (Child.objects.count(), Involvement.objects.count(), ChronologyEvent.objects.count()) == counts


def test_a_child_of_another_council_is_refused_as_unknown(make_child, world, mash_officer):
    other = make_child("kensington-chelsea")
    with pytest.raises(ValidationError, match="no child with record number"):
        services.contact_record(
            actor=mash_officer.user,
            mash_team=world["mash"],
            council=world["westminster"],
            received_at=RECEIVED,
            source="2A",
            referrer=services.Referrer(name="Ms Head", phone="1"),
            concern="x",
            consent=Contact.Consent.GIVEN,
            children=[services.ChildOnContact(record=other.pk)],
        )


@pytest.mark.parametrize(
    ("rating", "due"),
    [("red", at(3, 14, 30)), ("amber", at(4, 10, 30)), ("green", at(6, 10, 30))],
)
def test_screening_sets_the_partners_deadline_from_the_councils_setting(
    make_child, record_contact, mash_officer, rating, due
):
    contact = record_contact(make_child(), actor=mash_officer)
    contact = services.contact_screen(
        actor=mash_officer.user,
        contact=contact,
        threshold=3,
        rating=rating,
        agencies=["police"],
        at=at(3, 10, 30),
    )
    assert contact.partner_information_due_at == due
    assert contact.due_at == min(due, contact.decision_due_at)
    assert contact.owner == mash_officer
    assert ChronologyEvent.objects.filter(kind="contact_rated", facts__rating=rating).count() == 1


def test_the_deadline_counts_the_mashs_own_opening_hours_and_the_councils_own_deadlines(
    make_child, record_contact, mash_officer, world
):
    MashOpeningHours.objects.create(team=world["mash"], opens=time(8), closes=time(18))
    FrontDoorSetting.objects.create(council=world["westminster"], red_amount=2, red_unit="working hours")
    contact = record_contact(make_child(), actor=mash_officer, received_at=at(7, 16))  # Friday 16:00
    contact = services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=4, rating="red", agencies=["police"], at=at(7, 17)
    )
    assert contact.partner_information_due_at == at(10, 9)  # 1 hour Friday, 1 hour Monday from 08:00
    assert contact.decision_due_at == at(10, 16)  # ten hours of opening


def test_partner_checks_complete_the_partners_information(
    make_child, record_contact, mash_officer, police_officer
):
    contact = record_contact(make_child(), actor=mash_officer)
    contact = services.contact_screen(
        actor=mash_officer.user,
        contact=contact,
        threshold=3,
        rating="amber",
        agencies=["police", "health"],
        at=at(3, 11),
    )
    police = contact.partner_checks.get(agency=Agency.POLICE)
    health = contact.partner_checks.get(agency=Agency.HEALTH)
    services.partner_check_record(
        actor=police_officer.user,
        check=police,
        information_held=True,
        findings="DA call-out in 2024",
        at=at(3, 12),
    )
    contact.refresh_from_db()
    assert contact.partner_information_complete_at is None
    services.partner_check_record(
        actor=mash_officer.user, check=health, information_held=False, findings="", at=at(3, 13)
    )
    contact.refresh_from_db()
    assert contact.partner_information_complete_at == at(3, 13)
    assert contact.due_at == contact.decision_due_at
    assert ChronologyEvent.objects.filter(kind="partner_information_complete").count() == 1


def test_a_check_needs_an_answer(make_child, record_contact, mash_officer):
    contact = record_contact(make_child(), actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user,
        contact=contact,
        threshold=2,
        rating="green",
        agencies=["housing"],
        at=at(3, 11),
    )
    check = PartnerCheck.objects.get()
    with pytest.raises(ValidationError, match="Say whether"):
        services.partner_check_record(
            actor=mash_officer.user, check=check, information_held=None, findings=""
        )
    with pytest.raises(ValidationError, match="Enter what the agency found"):
        services.partner_check_record(
            actor=mash_officer.user, check=check, information_held=True, findings=" "
        )
    check.refresh_from_db()
    assert check.returned_at is None


def test_a_referral_opens_the_assessment_and_starts_the_45_working_day_clock(
    make_child, record_contact, mash_officer, world
):
    amy, ben = make_child(first_name="Amy"), make_child(first_name="Ben")
    contact = record_contact(amy, ben, actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=3, rating="amber", agencies=[], at=at(3, 11)
    )
    with pytest.raises(ValidationError, match="team that will take this on"):
        services.contact_decide(
            actor=mash_officer.user, contact=contact, outcome="referral", reason="Needs assessing"
        )
    contact = services.contact_decide(
        actor=mash_officer.user,
        contact=contact,
        outcome="referral",
        reason="Level 3 needs: an assessment is needed.",
        next_team=world["locality"],
        at=at(3, 15),
    )
    assert contact.status == Contact.Status.DECIDED and contact.due_at is None
    for child in (amy, ben):
        referral = child.referrals.get()
        assert referral.referral_date == date(2025, 3, 3)
        assert referral.assessment_due_on == date(2025, 5, 8)  # 45 working days, Easter and May Day skipped
        assert not referral.is_re_referral
        assert (
            referral.involvement.team == world["locality"]
            and referral.involvement.service.code == "assessment"
        )
        assert set(
            ChronologyEvent.objects.filter(child=child, key=f"referral-{referral.pk}").values_list(
                "kind", flat=True
            )
        ) == {
            "referral",
            "referral_decision",
        }
        # the MASH's work with the child is over
        assert not child.involvements.filter(service__code="front-door", end_date=None).exists()


@pytest.mark.parametrize(("months_ago", "re_referral"), [(6, True), (11, True), (13, False)])
def test_a_referral_within_12_months_of_another_is_a_re_referral(
    make_child, record_contact, mash_officer, world, months_ago, re_referral
):
    amy = make_child()
    earlier = Referral.objects.create(
        child=amy,
        council=world["westminster"],
        referral_date=date(2025, 3, 3) - timedelta(days=30 * months_ago + 1),
        source="6",
        assessment_due_on=date(2024, 1, 1),
    )
    contact = record_contact(amy, actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=4, rating="red", agencies=[], at=at(3, 11)
    )
    services.contact_decide(
        actor=mash_officer.user,
        contact=contact,
        outcome="strategy-discussion",
        reason="Bruising to a young child: strategy discussion now.",
        next_team=world["locality"],
        at=at(3, 12),
    )
    referral = amy.referrals.exclude(pk=earlier.pk).get()
    assert referral.next_step == Referral.NextStep.STRATEGY_DISCUSSION
    assert referral.is_re_referral is re_referral
    assert (referral.previous_referral == earlier) is re_referral


def test_early_help_and_no_further_action_start_their_own_next_steps(
    make_child, record_contact, mash_officer, world
):
    early_help = partnership_services.team_create(
        actor=None,
        name="Westminster Early Help",
        kind=Team.Kind.LOCALITY,
        services=[Service.objects.get(code="early-help")],
        council=world["westminster"],
    )
    amy, ben = make_child(), make_child()
    first, second = record_contact(amy, actor=mash_officer), record_contact(ben, actor=mash_officer)
    for contact in (first, second):
        services.contact_screen(
            actor=mash_officer.user, contact=contact, threshold=2, rating="green", agencies=[], at=at(3, 11)
        )
    assert services.next_step_teams(first, "early-help") == [early_help]
    services.contact_decide(
        actor=mash_officer.user,
        contact=first,
        outcome="early-help",
        reason="Family support will help.",
        next_team=early_help,
        at=at(3, 12),
    )
    services.contact_decide(
        actor=mash_officer.user,
        contact=second,
        outcome="no-further-action",
        reason="Information already known; no concerns.",
        at=at(3, 12),
    )
    assert amy.involvements.filter(service__code="early-help", team=early_help, end_date=None).exists()
    assert not Referral.objects.exists()
    assert not ben.involvements.filter(end_date=None).exists()


def test_decisions_wait_for_a_managers_authorisation_where_the_council_requires_it(
    make_child, record_contact, mash_officer, mash_manager, world
):
    FrontDoorSetting.objects.create(council=world["westminster"], decisions_need_authorisation=True)
    amy = make_child()
    contact = record_contact(amy, actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=3, rating="amber", agencies=[], at=at(3, 11)
    )
    contact = services.contact_decide(
        actor=mash_officer.user,
        contact=contact,
        outcome="referral",
        reason="Needs an assessment.",
        next_team=world["locality"],
        at=at(3, 12),
    )
    assert contact.status == Contact.Status.AWAITING_AUTHORISATION
    assert not Referral.objects.exists()
    with pytest.raises(services.PermissionDenied):
        services.contact_authorise(actor=mash_officer.user, contact=contact)
    contact = services.contact_authorise(actor=mash_manager.user, contact=contact, at=at(3, 14))
    assert contact.status == Contact.Status.DECIDED
    assert contact.authorised_by == mash_manager
    assert amy.referrals.get().referral_date == date(2025, 3, 3)


def test_a_contact_must_be_screened_before_it_is_decided_and_decided_once(
    make_child, record_contact, mash_officer
):
    contact = record_contact(make_child(), actor=mash_officer)
    with pytest.raises(ValidationError, match="Screen the contact"):
        services.contact_decide(
            actor=mash_officer.user,
            contact=contact,
            outcome="no-further-action",
            reason="No concerns at all.",
        )
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=1, rating="green", agencies=[], at=at(3, 11)
    )
    with pytest.raises(ValidationError, match="already been screened"):
        services.contact_screen(
            actor=mash_officer.user, contact=contact, threshold=1, rating="green", agencies=[]
        )
    services.contact_decide(
        actor=mash_officer.user, contact=contact, outcome="no-further-action", reason="No concerns at all."
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.contact_decide(
            actor=mash_officer.user,
            contact=contact,
            outcome="no-further-action",
            reason="No concerns at all.",
        )


def test_the_queue_holds_every_open_contact_most_urgent_first(
    make_child, record_contact, mash_officer, world
):
    from outstanding.frontdoor import selectors

    old = record_contact(make_child(), actor=mash_officer, received_at=at(3, 9))
    red = record_contact(make_child("kensington-chelsea"), actor=mash_officer, received_at=at(3, 10))
    services.contact_screen(
        actor=mash_officer.user, contact=red, threshold=4, rating="red", agencies=["police"], at=at(3, 10, 5)
    )
    decided = record_contact(make_child(), actor=mash_officer, received_at=at(3, 11))
    services.contact_screen(
        actor=mash_officer.user, contact=decided, threshold=1, rating="green", agencies=[], at=at(3, 11)
    )
    services.contact_decide(
        actor=mash_officer.user, contact=decided, outcome="no-further-action", reason="No concerns at all."
    )
    # red's partners' information is due 14:05 today; the older contact's decision 09:00 tomorrow
    queue = selectors.mash_queue(user=mash_officer.user, now=at(3, 15))
    assert [r.contact for r in queue.rows] == [red, old] and queue.total == 2
    assert [r.overdue for r in queue.rows] == [True, False] and queue.overdue == 1
    assert queue.rows[0].due_what == "Partners' information"
    assert queue.rows[1].time_left == timedelta(hours=2)  # 15:00-17:00 today; the MASH opens at 09:00
    assert [r.contact for r in selectors.mash_queue(user=mash_officer.user, order="oldest").rows] == [
        old,
        red,
    ]
    kc = world["kensington-chelsea"].pk
    assert [r.contact for r in selectors.mash_queue(user=mash_officer.user, council_id=kc).rows] == [red]
    assert [r.contact for r in selectors.mash_queue(user=mash_officer.user, rating="unrated").rows] == [old]
    assert [r.contact for r in selectors.mash_queue(user=mash_officer.user, status="screening").rows] == [red]
    assert selectors.mash_queue(user=mash_officer.user, per_page=1, page=2).rows[0].contact == old


def test_a_manager_cant_authorise_their_own_decision(
    make_child, record_contact, mash_manager, make_staff, world
):
    """Issue 6: authorisation is a second pair of eyes."""
    from outstanding.access import policy
    from outstanding.partnership.roles import Role

    FrontDoorSetting.objects.create(council=world["westminster"], decisions_need_authorisation=True)
    contact = record_contact(make_child(), actor=mash_manager)
    services.contact_screen(
        actor=mash_manager.user, contact=contact, threshold=3, rating="amber", agencies=[], at=at(3, 11)
    )
    contact = services.contact_decide(
        actor=mash_manager.user,
        contact=contact,
        outcome="referral",
        reason="Needs an assessment.",
        next_team=world["locality"],
        at=at(3, 12),
    )
    assert not policy.may_authorise_contact_decision(mash_manager.user, contact, timezone.localdate())
    with pytest.raises(services.PermissionDenied):
        services.contact_authorise(actor=mash_manager.user, contact=contact)
    assert Contact.objects.get(pk=contact.pk).status == Contact.Status.AWAITING_AUTHORISATION
    assert not Referral.objects.exists()
    other = make_staff(Role.TEAM_MANAGER, team=world["mash"], manager=True)
    assert services.contact_authorise(actor=other.user, contact=contact).authorised_by == other


@pytest.fixture
def meanwhile(monkeypatch):
    """Run `change` as another worker's transaction would commit: just before this one's lock on the contact
    is granted. A check made before the lock misses it; one made on the locked row sees it."""
    from django.db.models.query import QuerySet

    def arrange(change):
        original = QuerySet.select_for_update
        pending = [change]

        def locked(self, *args, **kwargs):
            if self.model is Contact and pending:
                pending.pop()()
            return original(self, *args, **kwargs)

        monkeypatch.setattr(QuerySet, "select_for_update", locked)

    return arrange


def test_two_workers_screening_at_once_screen_it_once(make_child, record_contact, mash_officer, meanwhile):
    """Issue 6: the status was checked before the row was locked."""
    contact = record_contact(make_child(), actor=mash_officer)
    meanwhile(
        lambda: Contact.objects.filter(pk=contact.pk).update(
            status=Contact.Status.SCREENING, rating="red", threshold=4
        )
    )
    with pytest.raises(ValidationError, match="already been screened"):
        services.contact_screen(
            actor=mash_officer.user, contact=contact, threshold=1, rating="green", agencies=["police"]
        )
    assert not contact.partner_checks.exists()  # (the other worker's change went with the test's rollback)


def test_two_workers_deciding_at_once_decide_it_once(make_child, record_contact, mash_officer, meanwhile):
    contact = record_contact(make_child(), actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=1, rating="green", agencies=[], at=at(3, 11)
    )
    meanwhile(
        lambda: Contact.objects.filter(pk=contact.pk).update(
            status=Contact.Status.DECIDED, outcome="information-and-advice", decision_reason="Advice given."
        )
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.contact_decide(
            actor=mash_officer.user,
            contact=contact,
            outcome="no-further-action",
            reason="No concerns at all.",
        )
    assert not ChronologyEvent.objects.filter(kind="contact", summary__startswith="Contact decided").exists()


def test_a_check_answered_meanwhile_is_not_answered_again(make_child, record_contact, mash_officer):
    """Issue 6: partner_check_record checked `returned_at` on the caller's (stale) copy, without a lock."""
    contact = record_contact(make_child(), actor=mash_officer)
    services.contact_screen(
        actor=mash_officer.user,
        contact=contact,
        threshold=2,
        rating="green",
        agencies=["housing"],
        at=at(3, 11),
    )
    stale = PartnerCheck.objects.get()
    services.partner_check_record(
        actor=mash_officer.user,
        check=PartnerCheck.objects.get(),
        information_held=True,
        findings="Rent arrears",
        at=at(3, 12),
    )
    with pytest.raises(ValidationError, match="already been answered"):
        services.partner_check_record(
            actor=mash_officer.user, check=stale, information_held=False, findings="", at=at(3, 13)
        )
    check = PartnerCheck.objects.get()
    assert check.findings == "Rent arrears" and check.returned_at == at(3, 12)


def test_one_re_referral_rule_per_council_for_the_referral_the_contact_page_and_the_demo(
    make_child, record_contact, mash_officer, world
):
    """Issue 6: the service, the contact page and the demo each had their own rule, none per council."""
    from outstanding.frontdoor import deadlines, selectors

    assert deadlines.within_re_referral_window(date(2024, 3, 3), date(2025, 3, 3))
    assert not deadlines.within_re_referral_window(date(2024, 3, 2), date(2025, 3, 3))
    assert deadlines.within_re_referral_window(date(2024, 2, 29), date(2025, 2, 28))  # month arithmetic
    amy, ben = make_child(first_name="Amy"), make_child(first_name="Ben")
    # Amy was referred by Kensington and Chelsea before she moved: not a Westminster re-referral
    Referral.objects.create(
        child=amy,
        council=world["kensington-chelsea"],
        referral_date=date(2024, 12, 2),
        source="6",
        assessment_due_on=date(2025, 2, 5),
    )
    # Ben was referred by Westminster that morning, from another contact: a re-referral, on the page too
    same_day = Referral.objects.create(
        child=ben,
        council=world["westminster"],
        referral_date=date(2025, 3, 3),
        source="6",
        assessment_due_on=date(2025, 5, 8),
    )
    contact = record_contact(amy, ben, actor=mash_officer)
    shown = selectors.contact_for_viewing(user=mash_officer.user, contact_id=contact.pk).children
    assert [c.previous_referral for c in shown] == [None, same_day]
    services.contact_screen(
        actor=mash_officer.user, contact=contact, threshold=3, rating="amber", agencies=[], at=at(3, 11)
    )
    services.contact_decide(
        actor=mash_officer.user,
        contact=contact,
        outcome="referral",
        reason="Needs an assessment.",
        next_team=world["locality"],
        at=at(3, 12),
    )
    assert not amy.referrals.get(contact=contact).is_re_referral
    assert ben.referrals.get(contact=contact).previous_referral == same_day


def test_an_error_halfway_through_recording_leaves_nothing_behind(
    make_child, world, mash_officer, monkeypatch
):
    """Issue 6: the other "nothing saved" tests fail before the transaction starts. Here the adult can't be
    linked (the restricted-records error, raised after the contact, a new child, the MASH's involvement and
    the chronology are written): all of it goes."""
    from outstanding.audit.models import AuditEvent
    from outstanding.frontdoor.models import ContactAdult, ContactChild

    amy = make_child(first_name="Amy")
    monkeypatch.setattr(services, "_adult_person", lambda **_: None)  # as if every child were restricted
    before = (
        Child.objects.count(),
        Person.objects.count(),
        Involvement.objects.count(),
        ChronologyEvent.objects.count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count(),
    )
    with pytest.raises(ValidationError) as raised:
        services.contact_record(
            actor=mash_officer.user,
            mash_team=world["mash"],
            council=world["westminster"],
            received_at=RECEIVED,
            source="2A",
            referrer=services.Referrer(name="Ms Head", phone="020 7946 0000"),
            concern="Worried about the family.",
            consent=Contact.Consent.GIVEN,
            children=[
                services.ChildOnContact(record=amy.pk),
                services.ChildOnContact(details=new_child("Cara", born=(2019, 1, 2)), confirmed_new=True),
            ],
            adults=[services.AdultOnContact(details=new_child("Grace", born=(1985, 1, 1)), kind="mother")],
        )
    assert "restricted" in " ".join(raised.value.message_dict["adult-1-last_name"])
    assert not Contact.objects.exists() and not ContactChild.objects.exists()
    assert not ContactAdult.objects.exists()
    assert not Child.objects.filter(person__first_name="Cara").exists()
    assert not amy.involvements.filter(service__code="front-door").exists()
    assert not ChronologyEvent.objects.filter(child=amy, kind="contact").exists()
    after = (
        Child.objects.count(),
        Person.objects.count(),
        Involvement.objects.count(),
        ChronologyEvent.objects.count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count(),
    )
    assert after == before
