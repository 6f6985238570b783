"""Every page checks who is asking: a matrix of pages × roles, and what each home page shows."""

import pytest
from django.contrib.auth import get_user_model

from outstanding.audit.models import AuditEvent
from outstanding.partnership.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/administration/councils/", "/administration/teams/", "/administration/staff/"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("path", ["/", *ADMIN_PAGES])
def test_each_page_allows_exactly_the_roles_it_should(client, make_staff, sign_in, role, path):
    sign_in(make_staff(role))
    response = client.get(path)
    allowed = path == "/" or role == Role.SYSTEM_ADMINISTRATOR
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("path", ["/", *ADMIN_PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next={path}"


def test_a_sign_in_with_no_staff_role_is_refused(client, db):
    get_user_model().objects.create_user(username="stray", password=PASSWORD)
    client.post("/sign-in/", {"username": "stray", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 403
    assert "no role in Outstanding" in response.content.decode()


def test_a_refusal_is_audited(client, social_worker, sign_in):
    sign_in(social_worker)
    client.get("/administration/staff/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.actor_id == social_worker.user.pk
    assert "/administration/staff/" in event.summary


def test_social_workers_home_shows_their_team_and_council(client, social_worker, sign_in):
    page = sign_in(social_worker).get("/").content.decode()
    assert social_worker.swe_registration_number in page
    assert "North Westminster Family Support" in page
    assert "People you manage" not in page
    assert "Administration" not in page


def test_team_managers_home_lists_the_people_they_manage(client, team_manager, social_worker, sign_in):
    page = sign_in(team_manager).get("/").content.decode()
    assert "People you manage in North Westminster Family Support" in page
    assert social_worker.full_name in page


def test_mash_officers_home_shows_every_council_the_mash_serves(client, mash_officer, sign_in):
    page = sign_in(mash_officer).get("/").content.decode()
    assert "Bi-borough MASH" in page
    assert "Kensington and Chelsea, Westminster" in page
    assert "Hammersmith and Fulham" not in page  # not in this MASH


def test_heads_of_service_see_their_councils_teams_including_shared_ones(client, world, make_staff, sign_in):
    head = make_staff(Role.HEAD_OF_SERVICE, council=world["kensington-chelsea"])
    page = sign_in(head).get("/").content.decode()
    assert "Teams working for Kensington and Chelsea" in page
    assert "Bi-borough MASH" in page  # shared with Westminster
    assert "North Westminster Family Support" not in page  # Westminster's own


def test_administrators_see_councils_teams_and_staff(client, administrator, social_worker, sign_in):
    sign_in(administrator)
    councils = client.get("/administration/councils/").content.decode()
    assert all(code in councils for code in ("213", "207", "205", "E09000033"))
    teams = client.get("/administration/teams/?council=kensington-chelsea").content.decode()
    assert "Bi-borough MASH" in teams
    assert "North Westminster Family Support" not in teams
    staff = client.get("/administration/staff/").content.decode()
    assert social_worker.user.username in staff
    assert social_worker.swe_registration_number in staff


def test_unknown_pages_get_a_proper_not_found(client, social_worker, sign_in):
    sign_in(social_worker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_reference_data_admin_is_for_administrators_only(client, social_worker, sign_in):
    sign_in(social_worker)
    assert (
        client.get("/reference-data/").status_code == 302
    )  # Django admin sends non-staff to its own sign-in


def test_reference_data_admin_has_no_sign_in_form_of_its_own(client):
    response = client.get("/reference-data/login/?next=/reference-data/")
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/reference-data/"


def test_administrators_reach_reference_data(client, administrator, sign_in):
    sign_in(administrator)
    page = client.get("/reference-data/").content.decode()
    assert "Councils" in page and "Services" in page


def test_the_admin_cannot_touch_sign_ins_or_become_someone_else(
    client, administrator, social_worker, sign_in
):
    sign_in(administrator)
    assert not administrator.user.is_superuser
    assert client.get(f"/reference-data/auth/user/{social_worker.user.pk}/password/").status_code == 404
    assert client.get("/reference-data/auth/user/").status_code == 404
    assert client.get("/reference-data/partnership/council/").status_code == 200


def test_heads_of_service_find_the_front_door_dashboard_from_home(client, world, make_staff, sign_in):
    sign_in(make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"]))
    assert "/front-door/dashboard/" in client.get("/").content.decode()
    assert client.get("/front-door/dashboard/").status_code == 200
