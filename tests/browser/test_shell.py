"""Each role logs in through the real form in Chromium, reaches the shell, and the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_page_is_accessible(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "login")


@pytest.mark.parametrize(
    ("role", "username", "chip"),
    [
        ("principal", "vp", "Principal"),
        ("chief_of_staff", "cos", "Chief of staff"),
        ("contributor", "pm", "Contributor"),
        ("viewer", "viewer", "Viewer"),
        ("staff", "admin", "Staff"),
    ],
)
def test_each_role_signs_in_and_sees_the_shell(
    page: Page, live_server, request: pytest.FixtureRequest, role: str, username: str, chip: str
) -> None:
    request.getfixturevalue(role)
    log_in(page, live_server.url, username)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".role-chip")).to_have_text(chip)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"shell-{role}")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_shows_the_error_in_place(page: Page, live_server, viewer) -> None:
    log_in(page, live_server.url, "viewer", password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert_accessible(page)
