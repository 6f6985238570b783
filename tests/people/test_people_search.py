"""Find a child: spelling-tolerant, by any identifier, only what the searcher may see, and audited."""

from datetime import date

import pytest
from django.test import override_settings

from outstanding.audit.models import AuditEvent
from outstanding.people import services
from outstanding.people.selectors import SearchTerms, child_search

pytestmark = pytest.mark.django_db


def names(results):
    return [r.child.person.full_name for r in results if r.child]


@pytest.fixture
def smiths(make_child):
    return {
        "john": make_child(
            first_name="John",
            last_name="Smith",
            date_of_birth=date(2014, 3, 2),
            nhs_number="9434765919",
            upn="J201123410001",
            postcode="W2 5AB",
        ),
        "jane": make_child(first_name="Jane", last_name="Smithson"),
        "kc": make_child("kensington-chelsea", first_name="John", last_name="Smith"),
        "jones": make_child(first_name="John", last_name="Jones"),
    }


def test_jon_smyth_finds_john_smith(smiths, social_worker):
    found = names(child_search(user=social_worker.user, terms=SearchTerms(name="Jon Smyth")))
    assert found[0] == "John Smith"
    assert "John Jones" not in found


def test_a_misspelt_surname_alone_finds_by_sound_and_by_start(smiths, social_worker):
    found = names(child_search(user=social_worker.user, terms=SearchTerms(name="smithe")))
    assert "John Smith" in found


def test_search_by_each_identifier(smiths, social_worker):
    user = social_worker.user
    john = smiths["john"]
    for terms in (
        SearchTerms(date_of_birth=date(2014, 3, 2)),
        SearchTerms(nhs_number="943 476 5919"),
        SearchTerms(upn="j201123410001"),
        SearchTerms(postcode="w25ab"),
    ):
        assert [r.child.pk for r in child_search(user=user, terms=terms)] == [john.pk], terms


def test_postcode_history_is_searched(smiths, social_worker):
    services.address_add(
        actor=None, child=smiths["john"], line_1="1 New Rd", postcode="SW1A 1AA", start_date=date(2024, 1, 1)
    )
    assert names(child_search(user=social_worker.user, terms=SearchTerms(postcode="W2 5AB"))) == [
        "John Smith"
    ]


def test_terms_combine(smiths, social_worker):
    assert (
        names(
            child_search(
                user=social_worker.user, terms=SearchTerms(name="John Smith", date_of_birth=date(2001, 1, 1))
            )
        )
        == []
    )


def test_only_children_the_searcher_may_see(smiths, social_worker):
    found = child_search(user=social_worker.user, terms=SearchTerms(name="John Smith"))
    assert smiths["kc"].pk not in [r.child.pk for r in found]  # another council's child


def test_a_search_is_audited(smiths, social_worker):
    child_search(user=social_worker.user, terms=SearchTerms(name="Jon Smyth"), ip_address="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert "Jon Smyth" in event.summary and event.ip_address == "10.1.2.3"


def test_restricted_children_do_not_appear_by_default(smiths, social_worker, team_manager):
    services.restriction_set(actor=None, child=smiths["john"], reason="Adoption", named=[team_manager])
    assert "John Smith" not in names(
        child_search(user=social_worker.user, terms=SearchTerms(name="John Smith"))
    )
    assert "John Smith" in names(child_search(user=team_manager.user, terms=SearchTerms(name="John Smith")))


@override_settings(OUTSTANDING_RESTRICTED_IN_SEARCH=True)
def test_restricted_children_can_be_shown_masked_by_setting(smiths, social_worker):
    services.restriction_set(actor=None, child=smiths["john"], reason="Adoption", named=[])
    results = child_search(user=social_worker.user, terms=SearchTerms(name="John Smith"))
    masked = [r for r in results if r.restricted_masked]
    assert len(masked) == 1 and masked[0].child is None  # nothing about the child is given away
    assert "John Smith" not in names(results)


def test_merged_records_drop_out_of_search(smiths, social_worker, make_child):
    dup = make_child(first_name="Johnny", last_name="Smith")
    services.child_merge(actor=None, keep=smiths["john"], duplicate=dup)
    assert "Johnny Smith" not in names(child_search(user=social_worker.user, terms=SearchTerms(name="Smith")))
