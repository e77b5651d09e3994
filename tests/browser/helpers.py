"""What every browser test needs: logging in through the real form, and the axe check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PASSWORD = "pass-for-tests"
_axe = Axe()


def log_in(page: Page, live_server_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page: Page) -> None:
    """No axe violation of serious or critical impact on the page as it is now."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )
    assert not bad, f"axe found serious or critical violations on {page.url}:\n{details}"


def screenshot(page: Page, name: str) -> None:
    """Keep a screenshot for people to look at (screenshots/ is git-ignored)."""
    page.screenshot(path=f"screenshots/{name}.png", full_page=True)
