"""Staff reload the sample org from the dashboard; a refused file shows its problems, capped, as an alert."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from orgfiles import snapshot
from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_sample_shows_the_first_problems_and_a_count_of_the_rest(
    page: Page, live_server, staff, monkeypatch, tmp_path
) -> None:
    path = tmp_path / "bad.json"
    junk = [{"key": f"p-{n}", "name": "Name\u0000"} for n in range(230)]
    path.write_text(json.dumps({"format": snapshot.FORMAT, "people": junk}))
    monkeypatch.setattr(snapshot, "DEFAULT_SAMPLE", path)
    log_in(page, live_server.url, "admin")
    page.get_by_role("button", name="Load the sample organization").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The sample org was refused (230 problems); nothing was written:")
    expect(alert).to_contain_text("people[19].name: contains a NUL character")
    expect(alert).not_to_contain_text("people[20]")
    expect(alert).to_contain_text("... and 210 more")
    assert_accessible(page)
    screenshot(page, "sample-reload-refused")
