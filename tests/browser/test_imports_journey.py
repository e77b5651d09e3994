"""The chief of staff imports a team's ADR folder in real Chromium: upload a zip, read the preview,
confirm, and open a superseded decision to reach its successor. axe runs on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from imports.models import ImportedRecord
from tests.browser.helpers import assert_accessible, log_in, screenshot
from tests.imports import nasty
from tests.imports.test_folder import zip_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chief_of_staff_imports_a_folder_and_follows_a_supersession(
    page: Page, live_server, chief_of_staff, tmp_path
) -> None:
    archive = tmp_path / "team-adrs.zip"
    archive.write_bytes(zip_of({f"team-adrs/{k}": v for k, v in nasty.FILES.items()}))

    log_in(page, live_server.url, "cos")
    page.get_by_role("link", name="Decisions").first.click()
    page.get_by_role("link", name="Import records").click()
    expect(page.get_by_role("heading", name="Import decision records")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "imports-start")

    page.get_by_label("Decision records").set_input_files(str(archive))
    page.get_by_role("button", name="Read and preview").click()
    expect(page.get_by_role("heading", name="Preview: team-adrs")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("decisions/0001-use-mysql.md")
    expect(table).to_contain_text("could be day-month or month-day")
    expect(table).to_contain_text("a template (by its name), not a record")
    assert_accessible(page)
    screenshot(page, "imports-preview")

    page.get_by_role("button", name="Import 8 decisions").click()
    expect(page.get_by_role("heading", name="Imported: team-adrs")).to_be_visible()
    expect(page.get_by_text("8 created, 0 updated, 0 unchanged")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "imports-applied")

    mysql = ImportedRecord.objects.get(path="decisions/0001-use-mysql.md").decision
    page.goto(f"{live_server.url}/decisions/{mysql.key}/")
    expect(page.get_by_role("heading", name="Use MySQL")).to_be_visible()
    expect(page.get_by_role("heading", name="Imported record")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "imports-superseded-decision")
    page.locator(".superseded-note").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Use Postgres")).to_be_visible()
    expect(page.locator(".chain")).to_contain_text("Use MySQL")
    assert_accessible(page)

    page.get_by_role("link", name="Read the original Markdown").click()
    expect(page.get_by_role("heading", name="The original record")).to_be_visible()
    expect(page.locator(".original-markdown")).to_contain_text('Supersedes "Use MySQL"')
    assert_accessible(page)
    screenshot(page, "imports-original")
