"""The shell, login, health check and the role mechanism."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from leadership_os.access import ROLE_PERMS, Perm, Role

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_login_and_without_the_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_an_htmx_request_with_an_expired_session_reloads_the_login_page() -> None:
    response = Client().get(
        "/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/decisions/"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fdecisions%2F"


def test_the_login_page_signs_a_user_in(viewer) -> None:
    client = Client()
    page = client.get("/accounts/login/")
    assert b"Sign in" in page.content
    response = client.post("/accounts/login/", {"username": "viewer", "password": "pass-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    shell = client.get("/")
    assert b"Skip to content" in shell.content
    assert b"Sign out" in shell.content


def test_a_wrong_password_is_refused_with_a_message(viewer) -> None:
    response = Client().post("/accounts/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_signing_out_needs_a_post(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_user_without_a_role_is_told_to_ask_for_one(no_role_user) -> None:
    client = Client()
    client.force_login(no_role_user)
    response = client.get("/")
    assert response.status_code == 403
    assert b"no role in Leadership OS yet" in response.content


def test_the_role_groups_hold_exactly_the_permissions_of_design_md() -> None:
    for role, perms in ROLE_PERMS.items():
        group = Group.objects.get(name=role.value)
        codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert codenames == {str(p) for p in perms}, role
    assert Perm.RECORD_OUTCOME in ROLE_PERMS[Role.PRINCIPAL]
    assert Perm.RECORD_OUTCOME not in ROLE_PERMS[Role.CHIEF_OF_STAFF]
    assert Perm.EDIT_ALL not in ROLE_PERMS[Role.CONTRIBUTOR]


def test_pages_send_a_content_security_policy_without_inline_scripts(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content


def test_the_shell_links_every_artifact_that_exists(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    content = client.get("/").content.decode()
    assert 'aria-current="page"' in content
    assert f'href="{reverse("dashboard")}"' in content


def test_the_deploy_checks_pass_with_production_settings(monkeypatch) -> None:
    import subprocess
    import sys

    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 64 + "production-like-secret-for-the-deploy-check",
        "ALLOWED_HOSTS": "los.example.com",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_wsgi_entry_point_loads_every_view_and_freezes_it_out_of_the_garbage_collector() -> None:
    """A production worker's long-lived objects (modules, views, templates' code) are not walked
    again by each full garbage collection: what the app allocates at import is frozen."""
    import subprocess
    import sys

    probe = (
        "import gc, sys; import leadership_os.wsgi; "
        "print(gc.get_freeze_count(), 'radar.views' in sys.modules, 'briefs.views' in sys.modules)"
    )
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "los.example.com",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen, radar_views, briefs_views = result.stdout.split()
    assert int(frozen) > 10_000 and radar_views == briefs_views == "True"


def test_demo_users_are_refused_when_debug_is_off(settings) -> None:
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("load_sample", "--demo-users")


def test_list_select_writes_the_markup_of_django_select_with_everything_escaped() -> None:
    from django import forms

    from leadership_os.widgets import ListSelect

    choices = [
        ("", "Any tag"),
        ("a&b", "A & B"),
        ('"><script>', "<script>alert(1)</script>"),
        ("a&b", "Again"),
    ]
    for value, attrs in (("a&b", {"id": "id_tag"}), ("", {"id": "id_tag", "class": "x"}), (None, None)):
        fast = ListSelect(choices=choices).render("tag", value, attrs=attrs)
        plain = forms.Select(choices=choices).render("tag", value, attrs=attrs)
        assert "<script>" not in fast
        assert fast == re.sub(r">\s+<", "><", plain)
    numbers = [(1, "One"), (2, "Two")]
    assert ListSelect(choices=numbers).render("n", 2) == re.sub(
        r">\s+<", "><", forms.Select(choices=numbers).render("n", 2)
    )
