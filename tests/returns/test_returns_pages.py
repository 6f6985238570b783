"""The returns page: a council's analyst checks a return on the web, sees findings by rule, downloads them;
nobody else sees them, the files are not kept, and every step is audited."""

from __future__ import annotations

import datetime as dt
import json
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


def _leftover_uploads() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("outstanding-return-*"))


def test_analyst_checks_a_903_and_sees_findings_by_rule(client, sign_in, analyst, world):
    before = set(_leftover_uploads())
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
    assert set(_leftover_uploads()) == before  # the uploaded files were removed
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
    assert client.get(f"/returns/{validation.pk}/").status_code == 403
    assert client.get(f"/returns/{validation.pk}/findings.csv").status_code == 403
    assert client.post(f"/returns/{validation.pk}/delete/").status_code == 403
    assert "1002" not in client.get("/returns/").content.decode()
    assert ReturnValidation.objects.filter(pk=validation.pk).exists()
    client.post("/sign-out/")

    sign_in(social_worker)
    assert client.get("/returns/").status_code == 403
    assert _upload(client, _903_files()).status_code == 403
    assert ReturnValidation.objects.count() == 1
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert refused.count() >= 4


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


@pytest.mark.parametrize("name", ["..", "../../etc/passwd.csv", "C:\\\\data\\\\episodes.csv", "ep<1>.csv"])
def test_uploaded_file_names_never_leave_the_temporary_folder(name):
    from outstanding.returns.services import _safe_name

    safe = _safe_name(name, 0)
    assert "/" not in safe and "\\\\" not in safe and safe not in ("", ".", "..")
