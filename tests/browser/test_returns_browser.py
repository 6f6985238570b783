"""A performance analyst checks an SSDA903 return in a real browser: uploads its CSV tables, opens a rule's
rows, downloads the findings, and deletes them."""

import pytest

from outstanding.partnership.roles import Role
from outstanding.returns.models import ReturnValidation
from tests.conftest import PASSWORD
from tests.returns.test_returns_pages import EPISODES, HEADER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_uploads_a_903_and_downloads_the_findings(live_server, page, world, make_staff, tmp_path):
    make_staff(Role.PERFORMANCE_ANALYST, council=world["westminster"], username="pat.analyst")
    (tmp_path / "header.csv").write_text(HEADER)
    (tmp_path / "episodes.csv").write_text(EPISODES)
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Sign-in name").fill("pat.analyst")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="DfE returns").click()
    page.get_by_role("button", name="Check the return").click()  # nothing chosen: a clear error
    assert (
        "Choose the children in need census or the SSDA903."
        in page.locator(".govuk-error-summary").inner_text()
    )

    page.get_by_label("SSDA903 (children looked after)").check()
    page.get_by_label("Collection year").select_option("2025-26")
    page.get_by_label("The return's files").set_input_files(
        [tmp_path / "header.csv", tmp_path / "episodes.csv"]
    )
    page.get_by_role("button", name="Check the return").click()
    page.wait_for_url(f"{base}/returns/*/")
    assert "errors" in page.get_by_test_id("result").inner_text()

    rule = page.get_by_test_id("rule-101")
    rule.locator("summary").click()
    assert "SEX=X" in rule.inner_text() and "1002" in rule.inner_text()

    with page.expect_download() as download:
        page.get_by_test_id("download-csv").click()
    text = open(download.value.path()).read()
    assert text.splitlines()[0] == "code,type,message,child,table,row,fields,values"
    assert "101,error" in text

    page.get_by_role("button", name="Delete these findings now").click()
    page.wait_for_url(f"{base}/returns/")
    assert "The findings were deleted." in page.content()
    assert not ReturnValidation.objects.exists()
