"""Shared fixtures: one user per role, clients logged in as each, and the browser setup."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client

from leadership_os.access import Role
from leadership_os.models import Person
from tests.factories import PersonFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _fast_and_static(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """What is memoized per org revision (and per table revision, and shared through the cache)
    starts empty in each test: a rolled-back test database counts its revisions from the start
    again, so a number may repeat with other data."""
    from leadership_os import memo

    memo.clear()


def _user_with_person(username: str, role: Role, name: str) -> object:
    user = UserFactory(username=username, role=role)
    PersonFactory(key=username, name=name, user=user)
    return user


@pytest.fixture
def principal(db: None) -> object:
    return _user_with_person("vp", Role.PRINCIPAL, "Maya Okafor")


@pytest.fixture
def chief_of_staff(db: None) -> object:
    return _user_with_person("cos", Role.CHIEF_OF_STAFF, "Daniel Reyes")


@pytest.fixture
def contributor(db: None) -> object:
    return _user_with_person("pm", Role.CONTRIBUTOR, "Priya Natarajan")


@pytest.fixture
def viewer(db: None) -> object:
    return _user_with_person("viewer", Role.VIEWER, "Sam Lindqvist")


@pytest.fixture
def staff(db: None) -> object:
    return UserFactory(username="admin", role=Role.STAFF)


@pytest.fixture
def no_role_user(db: None) -> object:
    return UserFactory(username="norole")


ROLE_FIXTURES = ["principal", "chief_of_staff", "contributor", "viewer", "staff"]


@pytest.fixture
def client_as(request: pytest.FixtureRequest) -> Callable[[str | None], Client]:
    """client_as("viewer") gives a test client logged in as that role's user; None is anonymous."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(request.getfixturevalue(role))
        return client

    return make


@pytest.fixture
def cos_client(chief_of_staff: object) -> Client:
    client = Client()
    client.force_login(chief_of_staff)  # type: ignore[arg-type]
    return client


@pytest.fixture
def person_of() -> Callable[[object], Person]:
    return lambda user: Person.objects.get(user=user)


# Browser tests: real Chromium driven by Playwright against the live server.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "en-US"}
