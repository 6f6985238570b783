"""The returns page: a council's analyst checks a return on the web, sees findings by rule, downloads them;
nobody else sees them, the files are not kept, and every step is audited."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from outstanding.audit.models import AuditEvent
from outstanding.partnership.roles import Role
from outstanding.returns.models import ReturnFinding, ReturnValidation
from outstanding.returns.services import return_validations_purge

pytestmark = pytest.mark.django_db

HEADER = (
    "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/06/2012,WBRI,UN1,,\n1002,X,01/06/2013,WBRI,UN1,,\n"
)
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    "1001,01/05/2025,S,C2,N1,U1,PR1,,,,AB1 2,AB3 4,SC999999\n"
    "1002,01/05/2025,S,C2,N1,U1,PR1,,,,AB1 2,AB3 4,SC999999\n"
)
CIN_XML = """<?xml version="1.0" encoding="utf-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>213</LEA>
<SoftwareCode>Test</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-10T09:00:00</DateTime>
</Source></Header><Children><Child><ChildIdentifiers><LAchildID>C1</LAchildID><UPNunknown>UN1</UPNunknown>
<PersonBirthDate>2099-13-45</PersonBirthDate><Sex>M</Sex></ChildIdentifiers></Child></Children></Message>
"""


def _903_files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile("header.csv", HEADER.encode(), content_type="text/csv"),
        SimpleUploadedFile("episodes.csv", EPISODES.encode(), content_type="text/csv"),
    ]


@pytest.fixture
def analyst(world, make_staff):
    return make_staff(Role.PERFORMANCE_ANALYST, council=world["westminster"])


@pytest.fixture
def other_analyst(world, make_staff):
    return make_staff(Role.PERFORMANCE_ANALYST, council=world["kensington-chelsea"])


def _upload(client, files, return_type="903", year="2025-26", **extra):
    return client.post("/returns/", {"return_type": return_type, "year": year, "files": files, **extra})


def _page(response) -> str:
    """A page's text without its per-request CSRF token."""
    return re.sub(r'value="[^"]{40,}"', "", response.content.decode())


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """Each test's temporary files in a folder of its own, so another test's upload running at the same time
    (pytest-xdist) can't look like a leftover."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _leftover_uploads() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("outstanding-return-*"))


def test_analyst_checks_a_903_and_sees_findings_by_rule(client, sign_in, analyst, world):
    sign_in(analyst)
    response = _upload(client, _903_files())
    assert response.status_code == 302
    validation = ReturnValidation.objects.get()
    assert response["Location"] == f"/returns/{validation.pk}/"
    assert validation.council == world["westminster"] and validation.year == "2025-26"
    assert {f["name"] for f in validation.files} == {"header.csv", "episodes.csv"}
    # rule 101 (sex not valid) on the second child, line 3 of the header file
    sex = ReturnFinding.objects.get(validation=validation, code="101")
    assert (sex.child, sex.table, sex.row, sex.type) == ("1002", "Header", 3, "error")
    assert validation.errors == ReturnFinding.objects.filter(validation=validation, type="error").count() > 0
    assert _leftover_uploads() == []  # the uploaded files were removed
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rule-101"' in page and "The child or young person" in page
    assert "1002" in page and "SEX=X" in page
    actions = set(AuditEvent.objects.filter(object_id=str(validation.pk)).values_list("action", flat=True))
    assert {AuditEvent.Action.CREATE, AuditEvent.Action.VIEW} <= actions


def test_cin_file_with_an_unreadable_date_is_a_finding_not_a_crash(client, sign_in, analyst):
    sign_in(analyst)
    xml = SimpleUploadedFile("census.xml", CIN_XML.encode(), content_type="application/xml")
    response = _upload(client, [xml], return_type="cin")
    assert response.status_code == 302
    validation = ReturnValidation.objects.get()
    found = ReturnFinding.objects.filter(validation=validation, values__contains="2099-13-45")
    assert found.exists() and validation.errors > 0


@pytest.mark.parametrize(
    "return_type, year, files, message",
    [
        ("903", "2025-26", "none", "s files to check."),
        ("cin", "2025-26", "csv", "The children in need census is one XML file (.xml)."),
        ("903", "2025-26", "xml", "The SSDA903 is sent as CSV files; not a CSV: census.xml."),
        ("903", "2019-20", "csv", "collection year 2019-20 is not supported"),
        ("other", "2025-26", "csv", "Choose the children in need census or the SSDA903."),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    client, sign_in, analyst, return_type, year, files, message
):
    sign_in(analyst)
    chosen = {
        "csv": _903_files(),
        "xml": [SimpleUploadedFile("census.xml", CIN_XML.encode())],
    }.get(files, [])
    response = _upload(client, chosen, return_type=return_type, year=year)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReturnValidation.objects.exists() and not ReturnFinding.objects.exists()


def test_downloads_are_the_findings_and_are_audited(client, sign_in, analyst):
    sign_in(analyst)
    _upload(client, _903_files())
    validation = ReturnValidation.objects.get()
    csv = client.get(f"/returns/{validation.pk}/findings.csv")
    assert csv.status_code == 200 and csv["Content-Disposition"].endswith('.csv"')
    lines = csv.content.decode().splitlines()
    assert lines[0] == "code,type,message,child,table,row,fields,values"
    assert len(lines) - 1 == validation.findings.count()
    data = json.loads(client.get(f"/returns/{validation.pk}/findings.json").content)
    assert data["errors"] == validation.errors and any(f["code"] == "101" for f in data["findings"])
    xlsx = client.get(f"/returns/{validation.pk}/findings.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/returns/{validation.pk}/findings.exe").status_code == 404
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_id=str(validation.pk))
    assert exports.count() == 3


def test_only_the_councils_analysts_may_check_or_see(client, sign_in, analyst, other_analyst, social_worker):
    sign_in(analyst)
    _upload(client, _903_files())
    validation = ReturnValidation.objects.get()
    client.post("/sign-out/")

    sign_in(other_analyst)  # Kensington and Chelsea's analyst: a partner council, not this one
    client.get("/")  # shows (and so clears) the "signed out" message from before
    missing = client.get("/returns/999999/")
    # another council's check is "not found", exactly as a missing one is
    for response in (
        client.get(f"/returns/{validation.pk}/"),
        client.get(f"/returns/{validation.pk}/findings.csv"),
        client.post(f"/returns/{validation.pk}/delete/"),
    ):
        assert response.status_code == 404 and _page(response) == _page(missing)
    assert f"/returns/{validation.pk}/" not in client.get("/returns/").content.decode()
    assert ReturnValidation.objects.filter(pk=validation.pk).exists()
    refused = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_DENIED,
        object_id=str(validation.pk),
        council_id=validation.council_id,
        actor_id=other_analyst.user.pk,
    )
    assert refused.count() == 3
    client.post("/sign-out/")

    sign_in(social_worker)
    assert client.get("/returns/").status_code == 403
    assert _upload(client, _903_files()).status_code == 403
    assert ReturnValidation.objects.count() == 1
    refused = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_DENIED, actor_id=social_worker.user.pk
    )
    assert refused.count() == 2


def test_delete_now_and_expiry_remove_the_findings(client, sign_in, analyst):
    sign_in(analyst)
    _upload(client, _903_files())
    _upload(client, _903_files())
    first, second = ReturnValidation.objects.order_by("pk")
    assert client.post(f"/returns/{first.pk}/delete/").status_code == 302
    assert not ReturnValidation.objects.filter(pk=first.pk).exists()
    assert not ReturnFinding.objects.filter(validation_id=first.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_id=str(first.pk)).exists()
    assert return_validations_purge() == 0
    assert return_validations_purge(now=timezone.now() + dt.timedelta(days=15)) == 1
    assert not ReturnValidation.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_id=str(second.pk)).exists()


def test_the_returns_page_is_in_the_analysts_navigation(client, sign_in, analyst, social_worker):
    sign_in(analyst)
    assert 'href="/returns/"' in client.get("/").content.decode()
    client.post("/sign-out/")
    sign_in(social_worker)
    assert 'href="/returns/"' not in client.get("/").content.decode()


def test_purge_command_deletes_expired_checks(client, sign_in, analyst):
    from io import StringIO

    from django.core.management import call_command

    sign_in(analyst)
    _upload(client, _903_files())
    ReturnValidation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    out = StringIO()
    call_command("returns_purge", stdout=out)
    assert "Deleted 1 expired" in out.getvalue()
    assert not ReturnValidation.objects.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "C:\\data\\episodes.csv", "ep<1>.csv", "é.csv"])
def test_uploaded_file_names_never_leave_the_temporary_folder(name, tmp_path):
    from outstanding.returns.services import _safe_name, _save

    safe = _safe_name(name, 0)
    assert "/" not in safe and "\\" not in safe and safe not in ("", ".", "..")
    _save([SimpleUploadedFile(name, b"x")], tmp_path / "in")
    assert [p.parent for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / "in"]


def test_two_names_that_reduce_alike_are_both_read(client, sign_in, analyst):
    sign_in(analyst)
    files = [
        SimpleUploadedFile("ep<1>.csv", HEADER.encode()),
        SimpleUploadedFile("ep>1<.csv", EPISODES.encode()),
    ]
    assert _upload(client, files).status_code == 302
    validation = ReturnValidation.objects.get()
    assert validation.findings.filter(code="101", child="1002").exists()  # the header was read
    assert not validation.findings.filter(message__contains="no SSDA903 table").exists()


def test_a_validation_that_fails_leaves_no_files_and_no_check(client, sign_in, analyst, monkeypatch):
    import outstanding.returns.validate as validate

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(validate, "validate_903", broken)
    sign_in(analyst)
    client.raise_request_exception = False
    assert _upload(client, _903_files()).status_code == 500
    assert _leftover_uploads() == []
    assert not ReturnValidation.objects.exists() and not ReturnFinding.objects.exists()


def test_values_that_postgresql_refuses_are_stored_cleaned(client, sign_in, analyst):
    sign_in(analyst)
    long_child = "C" * 60
    header = f"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n{long_child},X,01/06/2012,WB\x00RI,UN1,,\n"
    assert _upload(client, [SimpleUploadedFile("header.csv", header.encode())]).status_code == 302
    finding = ReturnFinding.objects.get(code="101")
    assert finding.child == long_child
    values = list(ReturnFinding.objects.values_list("values", flat=True))
    assert any("WBRI" in v for v in values) and not any("\x00" in v for v in values)


def test_reader_messages_do_not_name_the_server_folder(client, sign_in, analyst):
    sign_in(analyst)
    _upload(client, [SimpleUploadedFile("notes.csv", b"A,B\n1,2\n")])
    messages = list(ReturnFinding.objects.values_list("message", flat=True))
    assert messages and not any("outstanding-return-" in m for m in messages)
    assert any("the uploaded files" in m for m in messages)


def test_expired_checks_cannot_be_opened_or_downloaded(client, sign_in, analyst):
    sign_in(analyst)
    _upload(client, _903_files())
    validation = ReturnValidation.objects.get()
    ReturnValidation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(f"/returns/{validation.pk}/").status_code == 404
    assert client.get(f"/returns/{validation.pk}/findings.csv").status_code == 404


def test_findings_page_groups_by_rule_and_type_in_two_queries(
    client, sign_in, analyst, django_assert_max_num_queries
):
    from outstanding.returns.selectors import findings_by_rule

    sign_in(analyst)
    _upload(client, _903_files())
    validation = ReturnValidation.objects.get()
    ReturnFinding.objects.bulk_create(
        ReturnFinding(
            validation=validation, code=str(c), type="query", message=f"m{c}", child="", table="OC2"
        )
        for c in range(2000, 2040)
    )
    with django_assert_max_num_queries(4):
        groups = findings_by_rule(user=analyst.user, validation=validation)
    codes = [g.code for g in groups]
    assert codes.index("101") < codes.index("2000")  # errors first
    assert [g.code for g in groups if g.type == "query"][:3] == ["2000", "2001", "2002"]
    assert next(g for g in groups if g.code == "2000").children == 0  # a blank child is not a child


def test_downloads_never_carry_a_formula(client, sign_in, analyst):
    sign_in(analyst)
    header = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"=HYPERLINK(""http://x"")",X,01/06/2012,WBRI,UN1,,\n'
    _upload(client, [SimpleUploadedFile("header.csv", header.encode())])
    validation = ReturnValidation.objects.get()
    text = client.get(f"/returns/{validation.pk}/findings.csv").content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_an_oversized_upload_is_refused_and_not_kept(client, sign_in, analyst, settings):
    settings.OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES = 100
    sign_in(analyst)
    response = _upload(client, _903_files())
    assert response.status_code == 400
    assert "larger than 0 MB together" in response.content.decode()
    assert not ReturnValidation.objects.exists()


@pytest.mark.parametrize("who", ["partner-agency", "no-council", "moved", "head-of-service"])
def test_other_roles(client, sign_in, analyst, world, make_staff, who):
    from outstanding.frontdoor.models import Agency
    from outstanding.frontdoor.services import partner_agency_officer_set

    sign_in(analyst)
    _upload(client, _903_files())
    validation = ReturnValidation.objects.get()
    client.post("/sign-out/")
    if who == "partner-agency":
        staff = make_staff(Role.PERFORMANCE_ANALYST, team=world["mash"])
        staff.employing_council = None
        staff.save()
        partner_agency_officer_set(actor=None, staff=staff, agency=Agency.POLICE)
    elif who == "no-council":
        staff = make_staff(Role.PERFORMANCE_ANALYST)
        staff.employing_council = None
        staff.save()
    elif who == "moved":
        staff = analyst
        staff.employing_council = world["hammersmith-fulham"]
        staff.save()
    else:
        staff = make_staff(Role.HEAD_OF_SERVICE, council=world["westminster"])
    sign_in(staff)
    detail = client.get(f"/returns/{validation.pk}/").status_code
    if who == "head-of-service":
        assert detail == 200
    elif who == "moved":
        assert detail == 404 and client.get("/returns/").status_code == 200
    else:
        assert detail in (403, 404) and client.get("/returns/").status_code == 403
