"""Every page against every role, and an anonymous visitor: 200, 302 to the login page, or 403.

Each artifact's own tests add its pages to the same kind of table; this one covers the shell.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EVERYONE = {"principal": 200, "chief_of_staff": 200, "contributor": 200, "viewer": 200, "staff": 200}
PAGES = {
    "/": EVERYONE,
    "/healthz": {**EVERYONE, None: 200},
    # A signed-in user asking for the login page is sent on to the dashboard.
    "/accounts/login/": {None: 200},
    "/admin/": {"principal": 302, "chief_of_staff": 302, "contributor": 302, "viewer": 302, "staff": 200},
}


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("role", [None, "principal", "chief_of_staff", "contributor", "viewer", "staff"])
def test_each_role_gets_the_expected_answer(client_as, path: str, role: str | None) -> None:
    expected = PAGES[path].get(role, 302)
    response = client_as(role).get(path)
    assert response.status_code == expected, f"{role or 'anonymous'} on {path}"
    if expected == 302 and role is None:
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
