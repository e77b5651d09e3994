"""Logins and roles: the chief of staff gives a login with a role, changes it, disables it; the new
user sets a password through a one-time link, valid 72 hours and once; only staff make staff;
nobody raises their own role; every change is in the login's history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from leadership_os.access import Perm, Role
from leadership_os.models import LoginChange, PasswordLink, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def give_login(client: Client, key: str, role: str) -> str:
    response = client.post(f"/people/{key}/login/", {"action": "create", "role": role})
    assert response.status_code == 200, response.content.decode()[:500]
    match = re.search(r'value="(https?://[^"]+/accounts/set-password/[^"]+/)"', response.content.decode())
    assert match, "the one-time link is shown"
    return match.group(1).split("testserver", 1)[1]


def test_a_pm_gets_a_login_and_sets_a_password_through_the_one_time_link(cos_client) -> None:
    pm = PersonFactory(key="lena-park", name="Lena Park", email="lena@example.com")
    link = give_login(cos_client, "lena-park", Role.CONTRIBUTOR.value)
    user = User.objects.get(username="lena-park")
    assert user.has_perm(Perm.WRITE_DRAFTS) and not user.has_perm(Perm.EDIT_ALL)
    assert not user.has_usable_password()
    pm.refresh_from_db()
    assert pm.user == user

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and "lena-park" in page.content.decode()
    response = visitor.post(
        link, {"password1": "a long new password 42", "password2": "a long new password 42"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert visitor.login(username="lena-park", password="a long new password 42")
    actions = list(
        LoginChange.objects.filter(user=user).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["created", "link", "password"]


def test_a_reused_link_is_refused_and_changes_nothing(cos_client) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    link = give_login(cos_client, "lena-park", Role.VIEWER.value)
    visitor = Client()
    visitor.post(link, {"password1": "first password 4242", "password2": "first password 4242"})
    response = visitor.post(link, {"password1": "second password 4242", "password2": "second password 4242"})
    assert response.status_code == 410
    assert "does not work any more" in response.content.decode()
    assert visitor.login(username="lena-park", password="first password 4242")


def test_an_expired_link_is_refused_and_changes_nothing(cos_client) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    link = give_login(cos_client, "lena-park", Role.VIEWER.value)
    stored = PasswordLink.objects.get()
    assert abs(stored.expires_at - stored.created_at - dt.timedelta(hours=72)) < dt.timedelta(seconds=1)
    PasswordLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().post(link, {"password1": "late password 4242", "password2": "late password 4242"})
    assert response.status_code == 410
    assert not User.objects.get(username="lena-park").has_usable_password()
    assert PasswordLink.objects.get().used_at is None


def test_a_new_link_replaces_the_old_one(cos_client) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    old = give_login(cos_client, "lena-park", Role.VIEWER.value)
    response = cos_client.post("/people/lena-park/login/", {"action": "link"})
    new = re.search(r'/accounts/set-password/[^"]+/', response.content.decode()).group(0)
    assert new != old
    assert Client().get(old).status_code == 410
    assert Client().get(new).status_code == 200


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(cos_client) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    link = give_login(cos_client, "lena-park", Role.VIEWER.value)
    response = Client().post(link, {"password1": "a long new password 42", "password2": "another"})
    assert "The two passwords differ" in response.content.decode()
    assert PasswordLink.objects.get().used_at is None


def test_change_role_and_disable_are_in_history(cos_client) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    give_login(cos_client, "lena-park", Role.VIEWER.value)
    cos_client.post("/people/lena-park/login/", {"action": "role", "role": Role.PRINCIPAL.value})
    user = User.objects.get(username="lena-park")
    assert list(user.groups.values_list("name", flat=True)) == [Role.PRINCIPAL.value]
    cos_client.post("/people/lena-park/login/", {"action": "disable"})
    user.refresh_from_db()
    assert not user.is_active
    page = cos_client.get("/people/lena-park/login/").content.decode()
    assert "Viewer → Principal" in page and "Login disabled" in page and "by" in page


def test_only_staff_make_staff(cos_client, client_as) -> None:
    PersonFactory(key="lena-park", name="Lena Park")
    response = cos_client.post("/people/lena-park/login/", {"action": "create", "role": Role.STAFF.value})
    assert "Only staff can make someone staff" in response.content.decode()
    assert not User.objects.filter(username="lena-park").exists()
    staff_client = client_as("staff")
    response = staff_client.post("/people/lena-park/login/", {"action": "create", "role": Role.STAFF.value})
    assert User.objects.get(username="lena-park").is_staff


def test_nobody_raises_their_own_role(client_as, chief_of_staff) -> None:
    client = client_as("chief_of_staff")
    response = client.post("/people/cos/login/", {"action": "role", "role": Role.PRINCIPAL.value})
    assert "You cannot raise your own role" in response.content.decode()
    assert list(chief_of_staff.groups.values_list("name", flat=True)) == [Role.CHIEF_OF_STAFF.value]
    # Lowering is allowed.
    client.post("/people/cos/login/", {"action": "role", "role": Role.VIEWER.value})
    assert list(chief_of_staff.groups.values_list("name", flat=True)) == [Role.VIEWER.value]


def test_a_chief_of_staff_cannot_disable_their_own_login(client_as, chief_of_staff) -> None:
    response = client_as("chief_of_staff").post("/people/cos/login/", {"action": "disable"})
    assert "You cannot disable your own login" in response.content.decode()
    chief_of_staff.refresh_from_db()
    assert chief_of_staff.is_active


def test_the_chief_of_staff_cannot_change_a_staff_login(cos_client, staff) -> None:
    person = PersonFactory(key="admin-person", name="Ada Min", user=staff)
    response = cos_client.post(f"/people/{person.key}/login/", {"action": "role", "role": Role.VIEWER.value})
    assert "only staff change it" in response.content.decode()
    assert staff.groups.filter(name=Role.STAFF.value).exists()


def test_someone_who_has_left_gets_no_login(cos_client) -> None:
    PersonFactory(key="gone", name="Gone Person", left_on=timezone.localdate())
    response = cos_client.post("/people/gone/login/", {"action": "create", "role": Role.VIEWER.value})
    assert response.status_code == 200
    assert not Person.objects.get(key="gone").user
