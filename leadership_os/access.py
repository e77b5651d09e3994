"""Roles (DESIGN.md) and the one mechanism every view and HTMX endpoint uses to enforce them.

A role is a Django group holding custom permissions (created by a migration). Views declare the
permission they need with `@require(Perm.X)`; object-level rules ("a contributor edits their own
drafts") are plain functions in each app that call `user.has_perm` and `forbidden()`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django_htmx.http import HttpResponseClientRedirect


class Perm(StrEnum):
    READ = "leadership_os.read_all"
    EDIT_ALL = "leadership_os.edit_all"
    RECORD_OUTCOME = "leadership_os.record_outcome"
    SNOOZE = "leadership_os.snooze_radar"
    WRITE_CONTEXT = "leadership_os.write_context"
    WRITE_DRAFTS = "leadership_os.write_drafts"
    POST_OWN_UPDATES = "leadership_os.post_own_updates"
    LOAD_SAMPLE = "leadership_os.load_sample"


class Role(StrEnum):
    PRINCIPAL = "Principal"
    CHIEF_OF_STAFF = "Chief of staff"
    CONTRIBUTOR = "Contributor"
    VIEWER = "Viewer"
    STAFF = "Staff"


ROLE_PERMS: dict[Role, tuple[Perm, ...]] = {
    Role.PRINCIPAL: (Perm.READ, Perm.RECORD_OUTCOME, Perm.SNOOZE),
    Role.CHIEF_OF_STAFF: (
        Perm.READ,
        Perm.EDIT_ALL,
        Perm.SNOOZE,
        Perm.WRITE_CONTEXT,
        Perm.WRITE_DRAFTS,
        Perm.POST_OWN_UPDATES,
    ),
    Role.CONTRIBUTOR: (Perm.READ, Perm.WRITE_CONTEXT, Perm.WRITE_DRAFTS, Perm.POST_OWN_UPDATES),
    Role.VIEWER: (Perm.READ,),
    Role.STAFF: (Perm.READ, Perm.LOAD_SAMPLE),
}


def user_roles(user: User | AnonymousUser) -> list[str]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = sorted(user.groups.values_list("name", flat=True))
        user._role_names = cached  # type: ignore[union-attr]
    return cached


def forbidden(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    """Refuse with a readable message: a full page, or for htmx a notice shown in the shell."""
    if getattr(request, "htmx", False):
        return render(
            request, "components/notice.html", {"message": message, "level": "error"}, status=status
        )
    return render(request, "403.html", {"message": message}, status=status)


def require(perm: Perm, message: str | None = None) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Decorate a view so that only users holding `perm` reach it; others get a readable 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                if perm == Perm.READ:
                    text = "Your account has no role in Leadership OS yet. Ask the chief of staff for one."
                else:
                    text = message or "Your role does not allow this. Ask the chief of staff if you need it."
                return forbidden(request, text)
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


class HtmxAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Like Django's, but an expired session during an htmx request reloads the login page whole."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            path = current.path + (f"?{current.query}" if current.query else "") or request.get_full_path()
            login_url = resolve_url(self.get_login_url(view_func))
            return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': path})}")
        return super().handle_no_permission(request, view_func)


def roles_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"user_roles": user_roles(user)}


def ensure_roles() -> None:
    """Create the role groups and their permissions if missing (the migration does it; a flushed test
    database, or an admin who deleted a group, needs it again)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    content_type, _ = ContentType.objects.get_or_create(app_label="leadership_os", model="rolegrant")
    for role, perms in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        objects = [
            Permission.objects.get_or_create(content_type=content_type, codename=perm.split(".", 1)[1])[0]
            for perm in perms
        ]
        group.permissions.set(objects)
