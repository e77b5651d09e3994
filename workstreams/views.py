"""The status map, the workstream page, the follow-through ledger and their htmx endpoints.

Thin views: parse with a form, call a query or a service, choose the response. An htmx request gets
the one region it replaces (a map row, the ledger, a commitment row); a plain one gets the whole
page, or after a change a redirect back to it.
"""

from __future__ import annotations

import csv
import datetime as dt
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leadership_os.access import Perm, forbidden, require
from leadership_os.history import history_entries
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Surface, Tag
from leadership_os.people_picker import picker_for, quick_add, with_person_chosen
from workstreams import queries, services
from workstreams.forms import (
    CONFLICT_FIELDS,
    EDIT_FORMS,
    ArchiveForm,
    CommitmentForm,
    LedgerFilterForm,
    MapFilterForm,
    RecommitForm,
    StatusUpdateForm,
    VersionForm,
    WorkstreamForm,
    edit_changes,
    edit_initial,
)
from workstreams.models import Commitment, State, Workstream
from workstreams.permissions import can_close, can_edit_map, can_post_on, person_of

MAP = "workstreams/workstream_list.html"
DETAIL = "workstreams/workstream_detail.html"
LEDGER = "workstreams/commitment_list.html"
LEDGER_PAGE_SIZE = 50

CANNOT_EDIT_MAP = "Only the chief of staff edits the status map. Ask them if something here is wrong."
CANNOT_POST = "Only the workstream's owner or the chief of staff posts its updates and commitments."
CANNOT_CLOSE = "Only the commitment's owner, its workstream's owner or the chief of staff changes it."


def _wants_fragment(request: HttpRequest) -> bool:
    return is_fragment_request(request)


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str) -> HttpResponse:
    """The whole page, or for htmx (but not a history restore) its named region."""
    response = render_page(request, template, context, partial=partial if _wants_fragment(request) else None)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _fragments(request: HttpRequest, parts: list[tuple[str, dict[str, Any]]]) -> HttpResponse:
    """Several named regions in one response (the first swapped in place, the rest out of band)."""
    html = "".join(render_to_string(name, context, request=request) for name, context in parts)
    return HttpResponse(html)


def _push_clean_url(request: HttpRequest, response: HttpResponse, path: str, filters: Any) -> HttpResponse:
    """An htmx filter pushes the address of what it shows, without empty or invalid parameters."""
    if _wants_fragment(request):
        params = filters if isinstance(filters, dict) else filters.as_params()
        response["HX-Push-Url"] = f"{path}?{urlencode(params)}" if params else path
    return response


def _map_url(key: str | None = None) -> str:
    """The map, at the row of workstream `key` (on the page that holds it)."""
    url = reverse("workstreams:workstream_list")
    if not key:
        return url
    page = queries.page_of(key, queries.MapFilters(), today=_today(), limits=queries.thresholds())
    return f"{url}?page={page}#ws-{key}" if page > 1 else f"{url}#ws-{key}"


def _origin(request: HttpRequest, default: str) -> str:
    """Which page a form was posted from ("map", "ledger" or "detail"), to answer with its region."""
    value = request.POST.get("from") or request.GET.get("from") or default
    return value if value in ("map", "ledger", "detail") else default


def _today() -> dt.date:
    return timezone.localdate()


def _apply_errors(form: Any, error: ValidationError) -> None:
    for name, texts in error.message_dict.items():
        for message in texts:
            form.add_error(name if name in form.fields else None, message)


# The status map


def _map_context(
    request: HttpRequest, today: dt.date, limits: dict[str, int], *, page: int | None = None
) -> dict[str, Any]:
    choices = queries.filter_choices()
    form = MapFilterForm(request.GET, choices=choices)
    filters = form.filters()
    page_number = page if page is not None else request.GET.get("page")
    result = queries.map_page(filters, page_number, today=today, limits=limits)
    return {
        "filter_form": form,
        "filters": filters,
        "groups": result.groups,
        "page_obj": result.page,
        "shown": result.page.paginator.count,
        "summary": queries.map_summary(today=today, limits=limits),
        "export_query": urlencode(filters.as_params()),
    }


def _row_context(request: HttpRequest, today: dt.date, limits: dict[str, int]) -> dict[str, Any]:
    """What every map row needs besides the row itself."""
    can_edit = can_edit_map(request.user)
    my_person = person_of(request.user)
    return {
        "today": today,
        "limits": limits,
        "can_edit": can_edit,
        "my_person": my_person,
        "show_actions": can_edit or (my_person is not None and request.user.has_perm(Perm.POST_OWN_UPDATES)),
    }


@require_GET
@require(Perm.READ)
def workstream_list(request: HttpRequest) -> HttpResponse:
    """The status map: every workstream, grouped by surface, filtered from the address bar."""
    today, limits = _today(), queries.thresholds()
    context = {**_row_context(request, today, limits), **_map_context(request, today, limits)}
    response = _page(request, MAP, context, partial="ws-map")
    params = context["filters"].as_params()
    if context["page_obj"].number > 1:
        params["page"] = str(context["page_obj"].number)
    return _push_clean_url(request, response, reverse("workstreams:workstream_list"), params)


def _row_response(
    request: HttpRequest,
    key: str,
    *,
    today: dt.date,
    limits: dict[str, int],
    with_summary: bool = False,
    row: Workstream | None = None,
    **extra: Any,
) -> HttpResponse:
    ws = row if row is not None else _get_row(key, today=today, limits=limits)
    context = {**_row_context(request, today, limits), "ws": ws, **extra}
    parts = [(f"{MAP}#ws-row", context)]
    if with_summary:
        parts.append(
            (f"{MAP}#ws-summary", {"summary": queries.map_summary(today=today, limits=limits), "oob": True})
        )
    return _fragments(request, parts)


def _get_row(key: str, *, today: dt.date, limits: dict[str, int]) -> Workstream:
    try:
        return queries.map_row(key, today=today, limits=limits)
    except Workstream.DoesNotExist:
        raise Http404("No such workstream") from None


def _full_map_with(
    request: HttpRequest, key: str, *, today: dt.date, limits: dict[str, int], **edit: Any
) -> HttpResponse:
    """Without JavaScript, an edit form (or its errors) is shown in its row, on the page of the map
    that holds it."""
    page = queries.page_of(key.upper(), queries.MapFilters(), today=today, limits=limits)
    context = {**_row_context(request, today, limits), **_map_context(request, today, limits, page=page)}
    context["edit"] = {"key": key.upper(), **edit}
    return render_page(request, MAP, context)


@require_GET
@require(Perm.READ)
def workstream_row(request: HttpRequest, key: str) -> HttpResponse:
    """One row of the map as it is now (the cancel link of an in-place edit)."""
    today, limits = _today(), queries.thresholds()
    if not _wants_fragment(request):
        _get_row(key, today=today, limits=limits)
        return HttpResponseRedirect(_map_url(key.upper()))
    return _row_response(request, key, today=today, limits=limits, focus=request.GET.get("focus", ""))


def _decision_choices(ws: Workstream) -> list[Any]:
    """The decisions an editor is offered by key: the ones not yet closed, soonest needed first."""
    from decisions.models import Decision

    return list(
        Decision.objects.filter(status__in=[Decision.Status.DRAFT, Decision.Status.OPEN])
        .order_by(F("needed_by").asc(nulls_last=True), "-number")
        .only("number", "key", "title", "status")[:100]
    )


def _mine(field: str, data: dict[str, Any]) -> dict[str, Any]:
    """The user's values as the conflict view shows them (choices by their labels)."""
    shown = dict(data)
    if shown.get("state"):
        shown["state"] = State(shown["state"]).label
    if shown.get("escalation"):
        from workstreams.models import Escalation

        shown["escalation"] = Escalation(shown["escalation"]).label
    return shown


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, CANNOT_EDIT_MAP)
def workstream_edit(request: HttpRequest, key: str, field: str) -> HttpResponse:
    """A cell of the map becomes a small form (GET), and saves (POST): the row comes back as saved,
    with its errors in place, or with both versions when someone else saved first."""
    form_class = EDIT_FORMS.get(field)
    if form_class is None:
        raise Http404("No such field")
    today, limits = _today(), queries.thresholds()
    ws = _get_row(key, today=today, limits=limits)
    fragment = _wants_fragment(request)

    def again(form: Any, **extra: Any) -> HttpResponse:
        if form.is_bound:
            form.focus_first_error()
        if field in ("blocker", "decision"):
            extra["decision_choices"] = _decision_choices(ws)
            for name in ("blocked_by_decision", "next_decision"):
                if name in form.fields:
                    form.fields[name].widget.attrs["list"] = f"{ws.key}-decisions"
        if fragment:
            return _row_response(
                request,
                ws.key,
                today=today,
                limits=limits,
                editing=field,
                form=form,
                # A failed save may have changed `ws` in memory: after a POST the row is read again.
                row=ws if request.method == "GET" else None,
                **extra,
            )
        return _full_map_with(request, ws.key, today=today, limits=limits, field=field, form=form, **extra)

    auto_id = f"{ws.key}-{field}-%s"
    if request.method == "GET":
        return again(form_class(initial=edit_initial(field, ws), auto_id=auto_id))
    form = form_class(request.POST, auto_id=auto_id)
    if not form.is_valid():
        return again(form)
    try:
        services.workstream_change(
            workstream=ws,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            today=today,
            **edit_changes(field, form.cleaned_data, ws),
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return again(form)
    except StaleEdit as stale:
        data = request.POST.copy()
        data["version"] = str(stale.current.version)
        rows = conflict_rows(CONFLICT_FIELDS[field], stale.current, _mine(field, form.cleaned_data))
        return again(form_class(data, auto_id=auto_id), conflict=rows)
    if fragment:
        return _row_response(request, ws.key, today=today, limits=limits, with_summary=True, focus=field)
    return HttpResponseRedirect(_map_url(ws.key))


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def status_update_create(request: HttpRequest, key: str) -> HttpResponse:
    """Post a status update (state and note). From the map the row opens a panel with the form;
    from the workstream page the form sits above the timeline."""
    today, limits = _today(), queries.thresholds()
    ws = _get_row(key, today=today, limits=limits)
    if not can_post_on(request.user, ws):
        return forbidden(request, CANNOT_POST)
    origin = _origin(request, "map")
    fragment = _wants_fragment(request)
    if request.method == "GET":
        if not fragment:
            return HttpResponseRedirect(
                reverse("workstreams:workstream_detail", args=[ws.key]) + "#post-update"
            )
        form = StatusUpdateForm(
            initial={"state": ws.state, "version": ws.version, "blocker": ws.blocker},
            auto_id=f"{ws.key}-update-%s",
        )
        return _row_response(request, ws.key, today=today, limits=limits, panel="update", form=form)

    auto_id = f"{ws.key}-update-%s" if origin == "map" else "update-%s"
    form = StatusUpdateForm(request.POST, auto_id=auto_id)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.status_update_post(
                workstream=ws,
                by=request.user,
                author=person_of(request.user),
                state=data["state"],
                note=data["note"],
                blocker=data["blocker"],
                expected_version=data["version"],
                today=today,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleEdit as stale:
            fresh = request.POST.copy()
            fresh["version"] = str(stale.current.version)
            conflict = conflict_rows(CONFLICT_FIELDS["update"], stale.current, _mine("update", data))
            form = StatusUpdateForm(fresh, auto_id=auto_id)
            form.is_valid()
        else:
            if not fragment:
                if origin == "detail":
                    return HttpResponseRedirect(reverse("workstreams:workstream_detail", args=[ws.key]))
                return HttpResponseRedirect(_map_url(ws.key))
            if origin == "detail":
                return _detail_response(request, ws.key, posted=True)
            return _row_response(
                request, ws.key, today=today, limits=limits, with_summary=True, focus="update", posted=True
            )
    # Invalid, refused by a rule, or stale: the form again, with what the user wrote.
    form.focus_first_error()
    if origin == "detail":
        return _detail_response(request, ws.key, update_form=form, conflict=conflict, status=200)
    if fragment:
        return _row_response(
            request, ws.key, today=today, limits=limits, panel="update", form=form, conflict=conflict
        )
    return _full_map_with(
        request, ws.key, today=today, limits=limits, panel="update", form=form, conflict=conflict
    )


@require_GET
@require(Perm.READ)
def workstream_export(request: HttpRequest) -> HttpResponse:
    """The map as a spreadsheet, filtered as the user filtered it."""
    today, limits = _today(), queries.thresholds()
    filters = MapFilterForm(request.GET, choices=queries.filter_choices()).filters()
    rows = queries.map_rows(filters, today=today, limits=limits)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workstreams-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "key", "name", "surface", "owner", "state", "blocker", "blocked_since", "blocked_days",
            "waiting_on_decision", "escalation", "escalated_on", "next_decision_on", "next_decision",
            "next_decision_title", "next_decision_status", "last_update_on", "days_since_update",
            "last_update", "url",
        ]
    )  # fmt: skip
    for ws in rows:
        facts = ws.facts  # type: ignore[attr-defined]
        writer.writerow(
            _safe_cells(
                [
                    ws.key,
                    ws.name,
                    ws.surface.name if ws.surface else "",
                    ws.owner.name if ws.owner else "",
                    ws.get_state_display(),
                    ws.blocker,
                    ws.blocked_since or "",
                    "" if facts.blocked_days is None else facts.blocked_days,
                    ws.blocked_by_decision.key if ws.blocked_by_decision else "",
                    ws.get_escalation_display(),
                    ws.escalated_on or "",
                    ws.next_decision_on or "",
                    ws.next_decision.key if ws.next_decision else "",
                    ws.next_decision.title if ws.next_decision else "",
                    ws.next_decision.get_status_display() if ws.next_decision else "",
                    ws.last_update_on,  # type: ignore[attr-defined]
                    facts.update_age,
                    ws.last_note or "",  # type: ignore[attr-defined]
                    request.build_absolute_uri(reverse("workstreams:workstream_detail", args=[ws.key])),
                ]
            )
        )
    return response


def _safe_cells(values: list[Any]) -> list[str]:
    """Text a spreadsheet would run as a formula is prefixed with a quote (CSV injection)."""
    cells = []
    for value in values:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
            text = "'" + text
        cells.append(text)
    return cells


# The workstream page


def _detail_context(
    request: HttpRequest, ws: Workstream, today: dt.date, limits: dict[str, int]
) -> dict[str, Any]:
    from context_repo.models import ContextEntry

    commitments = list(
        queries.commitments_queryset().filter(workstream=ws).order_by("done_on", "due_on", "number")
    )
    commitments.sort(
        key=lambda c: (
            c.done_on is not None,
            (c.done_on or c.due_on).toordinal() * (1 if c.done_on is None else -1),
        )
    )
    queries.decorate_commitments(commitments, today=today, limits=limits)
    for commitment in commitments:
        commitment.can_close = can_close(request.user, commitment)  # type: ignore[attr-defined]
    history = list(ws.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    can_post = can_post_on(request.user, ws)
    waits_on = [d for d in (ws.blocked_by_decision, ws.next_decision) if d is not None]
    if len(waits_on) == 2 and waits_on[0].pk == waits_on[1].pk:
        waits_on = waits_on[:1]
    updates = list(queries.updates_of(ws))
    for newer, older in pairwise(updates):
        newer.previous_state = older.state  # type: ignore[attr-defined]
        newer.previous_state_label = older.get_state_display()  # type: ignore[attr-defined]
    return {
        "ws": ws,
        "today": today,
        "limits": limits,
        "updates": updates,
        "commitments": commitments,
        "open_commitments": sum(1 for c in commitments if c.done_on is None),
        "questions": list(
            ContextEntry.objects.filter(workstreams=ws, kind=ContextEntry.Kind.OPEN_QUESTION).order_by(
                "status", "-dated_on"
            )
        ),
        "waits_on": waits_on,
        "history": history_entries(
            history, subject=ws.key, labels={"blocked_by_decision": "waiting on decision"}
        ),
        "can_post": can_post,
        "can_edit": can_edit_map(request.user),
        "update_form": StatusUpdateForm(
            initial={"state": ws.state, "version": ws.version, "blocker": ws.blocker}, auto_id="update-%s"
        )
        if can_post
        else None,
        "commitment_form": CommitmentForm(
            initial={"owner": _default_owner(request, ws)}, auto_id="commitment-%s"
        )
        if can_post
        else None,
        "origin": "detail",
    }


def _default_owner(request: HttpRequest, ws: Workstream) -> str:
    """A new commitment's owner: the workstream's owner, else the person posting it."""
    if ws.owner:
        return ws.owner.key
    person = person_of(request.user)
    return person.key if person else ""


def _detail_response(
    request: HttpRequest, key: str, *, status: int = 200, partial: str = "ws-page", **extra: Any
) -> HttpResponse:
    today, limits = _today(), queries.thresholds()
    ws = _get_row(key, today=today, limits=limits)
    context = _detail_context(request, ws, today, limits)
    context.update({name: value for name, value in extra.items() if value is not None})
    form = context.get("commitment_form")
    if form is not None:
        # "Promised to" may be someone new: a partner's contact met today.
        context["promised_picker"] = picker_for(
            form["promised_to"], scope="all", quick=extra.get("quick"), added=extra.get("added") or ""
        )
    return _page(request, DETAIL, context, partial=partial)


@require_GET
@require(Perm.READ)
def workstream_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A workstream's page: its situation, status updates as a timeline, commitments, the decisions
    it waits on, and its history."""
    if key != key.upper():
        return HttpResponseRedirect(reverse("workstreams:workstream_detail", args=[key.upper()]))
    return _detail_response(request, key)


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def commitment_create(request: HttpRequest, key: str) -> HttpResponse:
    """Add a commitment to a workstream (its owner or the chief of staff)."""
    ws = get_object_or_404(Workstream.objects.select_related("owner"), key=key.upper())
    if not can_post_on(request.user, ws):
        return forbidden(request, CANNOT_POST)
    detail_url = reverse("workstreams:workstream_detail", args=[ws.key])
    if request.method == "GET":
        return HttpResponseRedirect(detail_url + "#commitments")
    if request.POST.get("add_person") == "promised_to":
        # Without JavaScript, "add someone new" submits the whole form: add them, show it again.
        quick, person = quick_add(request, by=request.user, auto_id="commitment-promised_to-new-%s")
        data = (
            with_person_chosen(request.POST, "promised_to", person, multi=False) if person else request.POST
        )
        initial = {name: data.get(name, "") for name in CommitmentForm.base_fields}
        return _detail_response(
            request,
            ws.key,
            partial="ws-commitments",
            commitment_form=CommitmentForm(initial=initial, auto_id="commitment-%s"),
            commitment_open=True,
            quick=quick,
            added=person.name if person else "",
        )
    form = CommitmentForm(request.POST, auto_id="commitment-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_create(
                description=data["description"],
                due_on=data["due_on"],
                by=request.user,
                owner=data["owner"],
                promised_to=data["promised_to"],
                workstream=ws,
                decision=data["decision"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not _wants_fragment(request):
                return HttpResponseRedirect(detail_url + "#commitments")
            return _detail_response(request, ws.key, partial="ws-commitments", added=True)
    form.focus_first_error()
    return _detail_response(request, ws.key, partial="ws-commitments", commitment_form=form)


# The follow-through ledger


@require_GET
@require(Perm.READ)
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Every open commitment by due date and owner, the slipped ones first with how late."""
    today = _today()
    surfaces = [(s.key, s.name) for s in Surface.objects.order_by("name")]
    form = LedgerFilterForm(request.GET, owners=queries.ledger_owner_choices(), surfaces=surfaces)
    filters = form.filters()
    paginator = Paginator(queries.ledger_queryset(filters, today=today), LEDGER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = queries.decorate_commitments(
        list(page.object_list), today=today, limits=queries.thresholds(), order=filters.order
    )
    for commitment in rows:
        commitment.can_close = can_close(request.user, commitment)  # type: ignore[attr-defined]
    context = {
        "filter_form": form,
        "filters": filters,
        "page_obj": page,
        "rows": rows,
        "today": today,
        "summary": queries.ledger_summary(today=today),
        "origin": "ledger",
    }
    response = _page(request, LEDGER, context, partial="ledger")
    params = filters.as_params()
    if page.number > 1:
        params["page"] = str(page.number)
    return _push_clean_url(request, response, reverse("workstreams:commitment_list"), params)


def _commitment_for(request: HttpRequest, key: str) -> Commitment:
    return get_object_or_404(queries.commitments_queryset(), key=key.upper())


def _commitment_row(
    request: HttpRequest, commitment: Commitment, *, origin: str, with_summary: bool = False, **extra: Any
) -> HttpResponse:
    today = _today()
    commitment = _commitment_for(request, commitment.key)
    queries.decorate_commitments([commitment], today=today, limits=queries.thresholds())
    commitment.can_close = can_close(request.user, commitment)  # type: ignore[attr-defined]
    context = {"c": commitment, "today": today, "origin": origin, **extra}
    parts = [(f"{LEDGER}#commitment-row", context)]
    if with_summary and origin == "ledger":
        parts.append(
            (f"{LEDGER}#ledger-summary", {"summary": queries.ledger_summary(today=today), "oob": True})
        )
    return _fragments(request, parts)


def _back_to(origin: str, commitment: Commitment) -> HttpResponseRedirect:
    if origin == "detail" and commitment.workstream:
        return HttpResponseRedirect(
            reverse("workstreams:workstream_detail", args=[commitment.workstream.key])
            + f"#c-{commitment.key}"
        )
    return HttpResponseRedirect(reverse("workstreams:commitment_list") + f"#c-{commitment.key}")


def _commitment_action(request: HttpRequest, key: str, action: str) -> HttpResponse:
    commitment = _commitment_for(request, key)
    if not can_close(request.user, commitment):
        return forbidden(request, CANNOT_CLOSE)
    origin = _origin(request, "ledger")
    form = VersionForm(request.POST)
    if not form.is_valid():
        return forbidden(
            request, "This form is missing its version; reload the page and try again.", status=400
        )
    service = services.commitment_complete if action == "done" else services.commitment_reopen
    try:
        commitment = service(
            commitment=commitment, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except StaleEdit as stale:
        if not _wants_fragment(request):
            return _back_to(origin, commitment)
        mine = {"done_on": "done" if action == "done" else "not done"}
        rows = conflict_rows(
            [("done_on", "Done on"), ("due_on", "Due"), ("description", "What was promised")],
            stale.current,
            mine,
        )
        return _commitment_row(request, commitment, origin=origin, conflict=rows)
    if not _wants_fragment(request):
        return _back_to(origin, commitment)
    return _commitment_row(
        request, commitment, origin=origin, with_summary=True, focus="done" if action == "done" else "undo"
    )


@require_POST
@require(Perm.READ)
def commitment_complete(request: HttpRequest, key: str) -> HttpResponse:
    """Mark a commitment done (its owner, its workstream's owner, or the chief of staff)."""
    return _commitment_action(request, key, "done")


@require_POST
@require(Perm.READ)
def commitment_reopen(request: HttpRequest, key: str) -> HttpResponse:
    """Take back a "done"."""
    return _commitment_action(request, key, "reopen")


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def commitment_recommit(request: HttpRequest, key: str) -> HttpResponse:
    """Move a commitment's due date: the row becomes a small form; saving records a re-commitment."""
    commitment = _commitment_for(request, key)
    if not can_close(request.user, commitment):
        return forbidden(request, CANNOT_CLOSE)
    origin = _origin(request, "ledger")
    fragment = _wants_fragment(request)
    if request.method == "GET":
        form = RecommitForm(
            initial={"due_on": commitment.due_on, "version": commitment.version},
            auto_id=f"{commitment.key}-%s",
        )
        if not fragment:
            return _recommit_page(request, commitment, form, origin=origin)
        return _commitment_row(request, commitment, origin=origin, editing=True, form=form)
    form = RecommitForm(request.POST, auto_id=f"{commitment.key}-%s")
    conflict = None
    if form.is_valid():
        try:
            commitment = services.commitment_recommit(
                commitment=commitment,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleEdit as stale:
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            conflict = conflict_rows(
                [("due_on", "Due"), ("done_on", "Done on")],
                stale.current,
                {"due_on": form.cleaned_data["due_on"], "done_on": ""},
            )
            form = RecommitForm(data, auto_id=f"{commitment.key}-%s")
            form.is_valid()
        else:
            if not fragment:
                return _back_to(origin, commitment)
            return _commitment_row(request, commitment, origin=origin, with_summary=True, focus="recommit")
    form.focus_first_error()
    if not fragment:
        return _recommit_page(request, commitment, form, origin=origin, conflict=conflict)
    return _commitment_row(request, commitment, origin=origin, editing=True, form=form, conflict=conflict)


def _recommit_page(
    request: HttpRequest, commitment: Commitment, form: RecommitForm, *, origin: str, conflict: Any = None
) -> HttpResponse:
    """Without JavaScript, the form to move a due date is a small page of its own."""
    today = _today()
    queries.decorate_commitments([commitment], today=today, limits=queries.thresholds())
    context = {"c": commitment, "form": form, "origin": origin, "conflict": conflict, "today": today}
    return render_page(request, "workstreams/commitment_recommit.html", context)


@require_GET
@require(Perm.READ)
def commitment_row(request: HttpRequest, key: str) -> HttpResponse:
    """One commitment's row as it is now (the cancel link of moving a due date)."""
    commitment = _commitment_for(request, key)
    origin = _origin(request, "ledger")
    if not _wants_fragment(request):
        return _back_to(origin, commitment)
    return _commitment_row(request, commitment, origin=origin, focus=request.GET.get("focus", ""))


# Starting, editing as a whole, archiving and restoring a workstream (the chief of staff)

FORM = "workstreams/workstream_form.html"


def _form_from(data: Any, *, creating: bool, current_surface: Any = None) -> WorkstreamForm:
    """An unbound form showing `data` as typed (after adding someone new without JavaScript: the
    form comes back as it was, without errors for what is not filled in yet)."""
    initial = {name: data.get(name, "") for name in WorkstreamForm.base_fields}
    return WorkstreamForm(initial=initial, creating=creating, current_surface=current_surface)


def _form_page(
    request: HttpRequest,
    form: WorkstreamForm,
    *,
    ws: Workstream | None = None,
    quick: Any = None,
    added: str = "",
    conflict: Any = None,
) -> HttpResponse:
    form.focus_first_error() if form.is_bound else None
    context = {
        "form": form,
        "ws": ws,
        "creating": ws is None,
        "owner_picker": picker_for(form["owner"], scope="internal", quick=quick, added=added),
        "conflict": conflict,
    }
    return render_page(request, FORM, context)


def _add_person_first(request: HttpRequest, *, ws: Workstream | None) -> HttpResponse | None:
    """Without JavaScript, "add someone new" submits the whole form: add them, show it again."""
    if request.POST.get("add_person") != "owner":
        return None
    quick, person = quick_add(request, by=request.user, auto_id="id_owner-new-%s")
    data = with_person_chosen(request.POST, "owner", person, multi=False) if person else request.POST
    form = _form_from(data, creating=ws is None, current_surface=ws.surface if ws else None)
    return _form_page(request, form, ws=ws, quick=quick, added=person.name if person else "")


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, CANNOT_EDIT_MAP)
def workstream_new(request: HttpRequest) -> HttpResponse:
    """Start a workstream: name, surface, owner, description, tags, state, next decision point and
    a first status note. It appears on the map in its surface's group at once."""
    if request.method == "GET":
        surface = request.GET.get("surface", "")
        return _form_page(request, WorkstreamForm(initial={"surface": surface}, creating=True))
    early = _add_person_first(request, ws=None)
    if early is not None:
        return early
    form = WorkstreamForm(request.POST, creating=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ws = services.workstream_create(
                name=data["name"],
                by=request.user,
                surface=data["surface"],
                owner=data["owner"],
                description=data["description"],
                tags=_tags(data["tags"]),
                state=data["state"],
                blocker=data["blocker"],
                next_decision_on=data["next_decision_on"],
                next_decision=data["next_decision"],
                first_note=data["first_note"],
                author=person_of(request.user),
                today=_today(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{ws.key} “{ws.name}” started.")
            return _redirect(request, _map_url(ws.key))
    return _form_page(request, form)


def _tags(names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing.get(name) or Tag.objects.create(name=name) for name in names]


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if _wants_fragment(request):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _ws_or_404(key: str) -> Workstream:
    return get_object_or_404(Workstream.objects.select_related("surface", "owner"), key=key.upper())


WHOLE_FIELDS = [
    ("name", "Name"),
    ("surface", "Surface"),
    ("owner", "Owner"),
    ("description", "Description"),
    ("state", "State"),
    ("blocker", "Blocker"),
    ("next_decision_on", "Next decision point on"),
    ("next_decision", "Decision at that point"),
]


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, CANNOT_EDIT_MAP)
def workstream_edit_all(request: HttpRequest, key: str) -> HttpResponse:
    """Every field of a workstream on one page; a conflicting save shows both versions."""
    ws = _ws_or_404(key)
    if request.method == "GET":
        initial = {
            "name": ws.name,
            "surface": ws.surface.key if ws.surface else "",
            "owner": ws.owner.key if ws.owner else "",
            "description": ws.description,
            "tags": ", ".join(ws.tags.values_list("name", flat=True)),
            "state": ws.state,
            "blocker": ws.blocker,
            "next_decision_on": ws.next_decision_on,
            "next_decision": ws.next_decision.key if ws.next_decision else "",
            "version": ws.version,
        }
        return _form_page(
            request, WorkstreamForm(initial=initial, creating=False, current_surface=ws.surface), ws=ws
        )
    early = _add_person_first(request, ws=ws)
    if early is not None:
        return early
    form = WorkstreamForm(request.POST, creating=False, current_surface=ws.surface)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.workstream_update(
                workstream=ws,
                by=request.user,
                expected_version=data["version"],
                tags=_tags(data["tags"]),
                today=_today(),
                **{name: data[name] for name, _ in WHOLE_FIELDS},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleEdit as stale:
            fresh = request.POST.copy()
            fresh["version"] = str(stale.current.version)
            mine = {name: data[name] for name, _ in WHOLE_FIELDS}
            rows = conflict_rows(WHOLE_FIELDS, stale.current, _mine("", mine))
            form = WorkstreamForm(fresh, creating=False, current_surface=ws.surface)
            form.is_valid()
            return _form_page(request, form, ws=ws, conflict=rows)
        else:
            messages.success(request, f"{ws.key} saved.")
            return _redirect(request, reverse("workstreams:workstream_detail", args=[ws.key]))
    return _form_page(request, form, ws=ws)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, CANNOT_EDIT_MAP)
def workstream_archive(request: HttpRequest, key: str) -> HttpResponse:
    """Archive a finished or abandoned workstream, with why; what others still wait on is named
    first, and archiving anyway is a choice made knowingly."""
    ws = _ws_or_404(key)
    if request.method == "GET":
        form = ArchiveForm(initial={"version": ws.version})
    else:
        form = ArchiveForm(request.POST)
        if form.is_valid():
            try:
                services.workstream_archive(
                    workstream=ws,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    anyway=form.cleaned_data["confirm"],
                    today=_today(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except StaleEdit:
                form.add_error(
                    None, f"{ws.key} was changed by someone else meanwhile; look at it again first."
                )
            else:
                messages.success(
                    request, f"{ws.key} archived. It is off the map and the radar; restore it from its page."
                )
                return _redirect(request, reverse("workstreams:workstream_detail", args=[ws.key]))
    context = {"ws": ws, "form": form, "waiting": services.waiting_on(ws)}
    return render_page(request, "workstreams/workstream_archive.html", context)


@require_POST
@require(Perm.EDIT_ALL, CANNOT_EDIT_MAP)
def workstream_restore(request: HttpRequest, key: str) -> HttpResponse:
    """Bring an archived workstream back onto the map and the radar."""
    ws = _ws_or_404(key)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return forbidden(
            request, "This form is missing its version; reload the page and try again.", status=400
        )
    try:
        services.workstream_restore(
            workstream=ws, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except StaleEdit:
        messages.error(request, f"{ws.key} was changed by someone else meanwhile; look at it again first.")
    else:
        messages.success(request, f"{ws.key} is back on the map.")
    return _redirect(request, reverse("workstreams:workstream_detail", args=[ws.key]))
