"""The directory's screens: people and each person's page, logins and roles, surfaces and tags.

Thin views: parse with a form, call a service of leadership_os.directory, choose the response.
Reading is for every role; every write is the chief of staff's (logins also staff's).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leadership_os import directory
from leadership_os.access import Perm, Role, forbidden, require
from leadership_os.history import history_entries
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Person, Surface, Tag
from leadership_os.people_picker import build_picker, quick_add
from people import queries
from people.forms import (
    LeaveForm,
    LoginForm,
    PersonForm,
    SetPasswordForm,
    SurfaceForm,
    TagForm,
    TagMergeForm,
    VersionOnly,
)

EDIT_DENIED = "Only the chief of staff changes the directory. Ask them if something here is wrong."
LOGIN_DENIED = "Only the chief of staff (or staff) gives logins and changes roles."
PAGE_SIZE = 50


def _apply_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, texts in error.message_dict.items():
        for message in texts:
            form.add_error(name if name in form.fields else None, message)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if is_fragment_request(request):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _person(key: str) -> Person:
    return get_object_or_404(Person.objects.select_related("surface", "user"), key=key)


# People -------------------------------------------------------------------------------------------


AFFILIATION_FILTERS = [("", "Everyone"), ("internal", "Inside the company"), ("external", "Outside it")] + [
    (value, label) for value, label in Person.Affiliation.choices if value != "internal"
]


@require_GET
@require(Perm.READ)
def person_list(request: HttpRequest) -> HttpResponse:
    """The directory: everyone inside and outside the company, filtered from the address bar."""
    affiliation = request.GET.get("affiliation", "")
    filters = queries.PeopleFilters(
        q=request.GET.get("q", "").strip()[:100],
        affiliation=affiliation if affiliation in dict(AFFILIATION_FILTERS) else "",
        surface=request.GET.get("surface", "")[:40],
        left=request.GET.get("left") == "1",
    )
    page = Paginator(queries.people(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    roles = queries.roles_of([p.user_id for p in rows if p.user_id])
    for person in rows:
        person.role_name = roles.get(person.user_id, "No role") if person.user_id else ""  # type: ignore[attr-defined]
    context = {
        "page_obj": page,
        "rows": rows,
        "filters": filters,
        "affiliations": AFFILIATION_FILTERS,
        "surfaces": list(Surface.objects.order_by("name").values_list("key", "name")),
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
        "params": filters.as_params(),
    }
    response = render_page(request, "people/person_list.html", context, partial="people-list")
    response["Vary"] = "HX-Request"
    return response


def _form_page(
    request: HttpRequest, form: PersonForm, *, person: Person | None = None, conflict: Any = None
) -> HttpResponse:
    if form.is_bound:
        form.is_valid()
    context = {"form": form, "person": person, "creating": person is None, "conflict": conflict}
    return render_page(request, "people/person_form.html", context)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in directory.PERSON_FIELDS}


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def person_new(request: HttpRequest) -> HttpResponse:
    """Add someone to the directory, inside the company or outside it."""
    if request.method == "GET":
        return _form_page(
            request, PersonForm(initial={"affiliation": request.GET.get("affiliation", "internal")})
        )
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            person = directory.person_create(by=request.user, **_values(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{person.name} added to the directory.")
            return _redirect(request, reverse("people:person_detail", args=[person.key]))
    return _form_page(request, form)


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def person_quick_add(request: HttpRequest) -> HttpResponse:
    """ "Add someone new" from a person picker (htmx): the picker again, the new person added and
    chosen, or the add-new fields with their errors. The form around the picker is untouched."""
    name = request.POST.get("picker_name", "")[:100]
    picker_id = request.POST.get("picker_id", "")[:100]
    if not name or not picker_id:
        return forbidden(
            request, "This picker is missing its name; reload the page and try again.", status=400
        )
    multi = request.POST.get("picker_multi") == "1"
    scope = "internal" if request.POST.get("picker_scope") == "internal" else "all"
    quick, person = quick_add(request, by=request.user, auto_id=f"{picker_id}-new-%s")
    chosen = request.POST.getlist(name) if multi else [request.POST.get(name, "")]
    if person is not None:
        chosen = [*chosen, person.key] if multi else [person.key]
    if not is_fragment_request(request):
        if person is not None:
            messages.success(request, f"{person.name} added to the directory.")
            return HttpResponseRedirect(reverse("people:person_detail", args=[person.key]))
        return _form_page(request, PersonForm(request.POST, prefix="newperson"))
    picker = build_picker(
        name=name,
        id=picker_id,
        label=request.POST.get("picker_label", "Person")[:100],
        chosen=[c for c in chosen if c],
        multi=multi,
        scope=scope,  # type: ignore[arg-type]
        empty_label=request.POST.get("picker_empty", "Nobody yet")[:100] or "Nobody yet",
        quick=quick,
        added=person.name if person else "",
        open=person is None,
    )
    return render_page(request, "components/person_picker.html", {"picker": picker})


@require_GET
@require(Perm.READ)
def person_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A person's page: who they are, their workstreams, commitments (kept and slipped), the
    decisions they drove or decided, the positions they took, the rituals and engagements they
    attend, their login, and the history of their entry."""
    person = _person(key)
    today = timezone.localdate()
    history = list(
        person.history.select_related("history_user").order_by("-history_date", "-history_id")[:30]
    )
    user = person.user
    can_logins = _can_manage_logins(request.user)
    context = {
        "person": person,
        "today": today,
        **queries.person_page(person, today=today),
        "history": history_entries(history, subject=person.name, labels={"left_on": "left the org on"}),
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
        "can_logins": can_logins,
        "login_role": directory.role_of(user) if user else None,
        "login_changes": queries.login_history(user) if can_logins else [],
    }
    return render_page(request, "people/person_detail.html", context)


PERSON_CONFLICT = [
    ("name", "Name"),
    ("title", "Title"),
    ("organization", "Organization"),
    ("affiliation", "Affiliation"),
    ("email", "Email"),
    ("surface", "Surface"),
]


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def person_edit(request: HttpRequest, key: str) -> HttpResponse:
    person = _person(key)
    if request.method == "GET":
        initial = {name: getattr(person, name) for name in directory.PERSON_FIELDS}
        initial["surface"] = person.surface.key if person.surface else ""
        initial["version"] = person.version
        return _form_page(request, PersonForm(initial=initial, current_surface=person.surface), person=person)
    form = PersonForm(request.POST, current_surface=person.surface)
    if form.is_valid():
        try:
            directory.person_update(
                person=person,
                by=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                **_values(form.cleaned_data),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleEdit as stale:
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            mine = _values(form.cleaned_data)
            mine["affiliation"] = Person.Affiliation(mine["affiliation"]).label
            rows = conflict_rows(PERSON_CONFLICT, stale.current, mine)
            return _form_page(
                request, PersonForm(data, current_surface=person.surface), person=person, conflict=rows
            )
        else:
            messages.success(request, f"{person.name} saved.")
            return _redirect(request, reverse("people:person_detail", args=[person.key]))
    return _form_page(request, form, person=person)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def person_left(request: HttpRequest, key: str) -> HttpResponse:
    """Mark someone as having left the org: kept on every record, no longer offered in pickers,
    their login disabled."""
    person = _person(key)
    if request.method == "GET":
        form = LeaveForm(initial={"left_on": timezone.localdate(), "version": person.version})
    else:
        form = LeaveForm(request.POST)
        if form.is_valid():
            try:
                directory.person_leave(
                    person=person,
                    by=request.user,
                    on=form.cleaned_data["left_on"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except StaleEdit:
                form.add_error(
                    None, f"{person.name} was changed by someone else meanwhile; look again first."
                )
            else:
                messages.success(request, f"{person.name} is marked as having left the org.")
                return _redirect(request, reverse("people:person_detail", args=[person.key]))
    return render_page(request, "people/person_left.html", {"person": person, "form": form})


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def person_back(request: HttpRequest, key: str) -> HttpResponse:
    person = _person(key)
    form = VersionOnly(request.POST)
    if not form.is_valid():
        return forbidden(
            request, "This form is missing its version; reload the page and try again.", status=400
        )
    try:
        directory.person_return(person=person, by=request.user, expected_version=form.cleaned_data["version"])
    except StaleEdit:
        messages.error(request, f"{person.name} was changed by someone else meanwhile; look again first.")
    else:
        messages.success(request, f"{person.name} is back in the org.")
    return _redirect(request, reverse("people:person_detail", args=[person.key]))


# Logins -------------------------------------------------------------------------------------------


def _can_manage_logins(user: Any) -> bool:
    return bool(user.has_perm(Perm.EDIT_ALL) or user.is_staff)


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("people:set_password", args=[token]))


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def login_manage(request: HttpRequest, key: str) -> HttpResponse:
    """A person's login: give one with a role, change the role, disable or enable it, send a new
    one-time link to set the password. The link is shown once, here, for the chief of staff to send."""
    if not _can_manage_logins(request.user):
        return forbidden(request, LOGIN_DENIED)
    person = _person(key)
    user = person.user
    current = directory.role_of(user) if user else None
    form = LoginForm(request.POST or None, initial={"role": current.value if current else ""})
    link = ""
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        role = Role(form.cleaned_data["role"]) if form.cleaned_data.get("role") else None
        try:
            if action == "create":
                user, token = directory.login_create(person=person, role=role, by=request.user)  # type: ignore[arg-type]
                link = _link(request, token)
                messages.success(request, f"{person.name} has a login ({user.username}) as {role.value}.")  # type: ignore[union-attr]
            elif user is None:
                form.add_error(None, f"{person.name} has no login yet.")
            elif action == "role":
                directory.login_set_role(user=user, role=role, by=request.user)  # type: ignore[arg-type]
                messages.success(request, f"{user.username} is now {role.value}.")  # type: ignore[union-attr]
            elif action == "disable":
                directory.login_disable(user=user, by=request.user)
                messages.success(request, f"{user.username} can no longer sign in.")
            elif action == "enable":
                directory.login_enable(user=user, by=request.user)
                messages.success(request, f"{user.username} can sign in again.")
            elif action == "link":
                link = _link(request, directory.password_link_issue(user=user, by=request.user))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not link and not form.errors:
                return _redirect(request, reverse("people:login_manage", args=[person.key]))
        person = _person(key)
        user = person.user
    context = {
        "person": person,
        "login": user,
        "form": form,
        "link": link,
        "link_hours": directory.PASSWORD_LINK_HOURS,
        "role": directory.role_of(user) if user else None,
        "changes": queries.login_history(user),
        "may_staff": request.user.is_staff,
        "is_self": user is not None and user.pk == request.user.pk,
    }
    return render_page(request, "people/login_manage.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: whoever holds it sets the password of its login, once, within 72 hours."""
    link = directory.password_link_find(token)
    if link is None:
        return render_page(
            request, "people/set_password.html", {"refused": directory.LINK_REFUSED}, status=410
        )
    form = SetPasswordForm(request.POST or None, user=link.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = directory.password_link_use(token=token, password=form.cleaned_data["password1"])
        except ValidationError:
            return render_page(
                request, "people/set_password.html", {"refused": directory.LINK_REFUSED}, status=410
            )
        messages.success(request, f"Your password is set, {user.username}. Sign in with it now.")
        return HttpResponseRedirect(reverse("login") + f"?username={user.username}")
    return render_page(request, "people/set_password.html", {"form": form, "login": link.user})


# Surfaces -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def surface_list(request: HttpRequest) -> HttpResponse:
    """The product surfaces, each with the workstreams and people it holds; the chief of staff adds
    one here."""
    can_edit = request.user.has_perm(Perm.EDIT_ALL)
    form = SurfaceForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            return forbidden(request, EDIT_DENIED)
        if form.is_valid():
            try:
                surface = directory.surface_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Surface {surface.name} added.")
                return _redirect(request, reverse("people:surface_list"))
    context = {"surfaces": queries.surfaces(), "form": form, "can_edit": can_edit}
    return render_page(request, "people/surface_list.html", context)


def _surface(key: str) -> Surface:
    return get_object_or_404(Surface, key=key)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def surface_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Rename a surface, change its description, or retire it."""
    surface = _surface(key)
    form = SurfaceForm(
        request.POST or None, initial={"name": surface.name, "description": surface.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory.surface_update(surface=surface, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Surface {surface.name} saved.")
            return _redirect(request, reverse("people:surface_list"))
    return _surface_page(request, surface, form)


def _surface_page(request: HttpRequest, surface: Surface, form: SurfaceForm, **extra: Any) -> HttpResponse:
    history = list(
        surface.history.select_related("history_user").order_by("-history_date", "-history_id")[:30]
    )
    context = {
        "surface": surface,
        "form": form,
        "users": directory.surface_users(surface),
        "history": history_entries(history, subject=surface.name),
        **extra,
    }
    return render_page(request, "people/surface_form.html", context)


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def surface_retire(request: HttpRequest, key: str) -> HttpResponse:
    """Retire a surface; refused, naming them, while workstreams still use it."""
    surface = _surface(key)
    try:
        directory.surface_retire(surface=surface, by=request.user, today=timezone.localdate())
    except ValidationError as error:
        form = SurfaceForm(initial={"name": surface.name, "description": surface.description})
        return _surface_page(request, surface, form, retire_error=" ".join(error.messages))
    messages.success(request, f"Surface {surface.name} retired; it is no longer offered for new records.")
    return _redirect(request, reverse("people:surface_list"))


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def surface_restore(request: HttpRequest, key: str) -> HttpResponse:
    surface = _surface(key)
    directory.surface_restore(surface=surface, by=request.user)
    messages.success(request, f"Surface {surface.name} is in use again.")
    return _redirect(request, reverse("people:surface_list"))


# Tags ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag with what carries it; the chief of staff adds, renames and merges them."""
    can_edit = request.user.has_perm(Perm.EDIT_ALL)
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            return forbidden(request, EDIT_DENIED)
        if form.is_valid():
            try:
                tag = directory.tag_create(name=form.cleaned_data["name"], by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Tag {tag.name} added.")
                return _redirect(request, reverse("people:tag_list"))
    q = request.GET.get("q", "").strip()[:50]
    page = Paginator(queries.tags(q), 100).get_page(request.GET.get("page"))
    context = {"page_obj": page, "form": form, "can_edit": can_edit, "q": q}
    return render_page(request, "people/tag_list.html", context)


def _tag(name: str) -> Tag:
    return get_object_or_404(Tag, name=name)


def _tag_page(request: HttpRequest, tag: Tag, form: TagForm, merge_form: TagMergeForm) -> HttpResponse:
    history = list(tag.history.select_related("history_user").order_by("-history_date", "-history_id")[:30])
    context = {
        "tag": tag,
        "form": form,
        "merge_form": merge_form,
        "usage": directory.tag_usage(tag),
        "history": history_entries(history, subject=tag.name),
    }
    return render_page(request, "people/tag_form.html", context)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag(name)
    form = TagForm(request.POST or None, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            directory.tag_rename(tag=tag, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Tag renamed to {tag.name}.")
            return _redirect(request, reverse("people:tag_list"))
    return _tag_page(request, tag, form, TagMergeForm(source=tag))


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def tag_merge(request: HttpRequest, name: str) -> HttpResponse:
    """Merge this tag into another: every record carrying it carries the other instead."""
    tag = _tag(name)
    merge_form = TagMergeForm(request.POST, source=tag)
    if merge_form.is_valid():
        into = merge_form.cleaned_data["into"]
        try:
            moved = directory.tag_merge(source=tag, into=into, by=request.user)
        except ValidationError as error:
            _apply_errors(merge_form, error)
        else:
            summary = ", ".join(f"{n} {what}" for what, n in moved.items()) or "no record"
            messages.success(request, f"Merged {name} into {into.name}: moved {summary}.")
            return _redirect(request, reverse("people:tag_list"))
    return _tag_page(request, tag, TagForm(initial={"name": tag.name}), merge_form)
