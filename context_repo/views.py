"""Views of the context repository, the start-here path and search. Thin: parse, query, respond."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from context_repo import queries, search, services
from context_repo.forms import EntryFilterForm, EntryForm, SearchForm, StepForm, StepWhyForm
from context_repo.models import ContextEntry, SearchDocument, StartHereStep
from decisions.models import Decision
from leadership_os.access import Perm, forbidden, require
from leadership_os.history import history_entries
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Surface
from workstreams.models import Workstream

Kind = ContextEntry.Kind
PAGE_SIZE = 25
SEARCH_PAGE_SIZE = 20
DROPDOWN_SIZE = 8
EDIT_REFUSED = "You can edit the context entries you wrote; the chief of staff edits all of them."
CURATE_REFUSED = "Only the chief of staff curates the start-here path."


def _entry_or_404(key: str) -> ContextEntry:
    entries = ContextEntry.objects.select_related("surface", "author").prefetch_related(
        "tags",
        Prefetch("decisions", queryset=Decision.objects.order_by("number")),
        Prefetch("workstreams", queryset=Workstream.objects.order_by("number")),
    )
    return get_object_or_404(entries, key=key.upper())


def _query(params: dict[str, Any]) -> str:
    """A query string of the non-empty parameters, dates written ISO."""
    clean = {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in params.items()
        if value
    }
    return f"?{urlencode(clean)}" if clean else ""


# The repository ----------------------------------------------------------------------------------------


@require_GET
@require(Perm.READ)
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(
        request.GET, surfaces=list(Surface.objects.order_by("name")), tags=queries.tags_in_use()
    )
    filters = form.filters()
    page_obj = Paginator(queries.entries_for_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.kind_counts(**filters)
    base = reverse("context_repo:entry_list")
    tabs = [
        {
            "kind": kind,
            "label": label,
            "count": counts.get(kind, 0),
            "url": base + _query({**filters, "kind": kind}),
        }
        for kind, label in [("", "All"), *Kind.choices]
    ]
    context = {
        "form": form,
        "kind": filters["kind"],
        "kind_label": dict(Kind.choices).get(filters["kind"], ""),
        "tabs": tabs,
        "page_obj": page_obj,
        "filtered": any(filters[name] for name in ("surface", "tag", "status", "since", "until")),
        "can_write": request.user.has_perm(Perm.WRITE_CONTEXT),
        "oob": is_fragment_request(request),
        "clear_url": base + _query({"kind": filters["kind"]}),
    }
    response = render_page(request, "context_repo/entry_list.html", context, partial="context-results")
    if is_fragment_request(request):
        # The address bar gets the filters without the empty ones, so a shared link reads well.
        page = {"page": page_obj.number} if page_obj.number > 1 else {}
        response["HX-Push-Url"] = base + _query({**filters, **page})
    return response


@require_GET
@require(Perm.READ)
def entry_detail(request: HttpRequest, key: str) -> HttpResponse:
    entry = _entry_or_404(key)
    context = {"entry": entry, "can_edit": queries.can_edit_entry(request.user, entry)}
    return render(request, "context_repo/entry_detail.html", context)


def _initial_status(kind: str) -> str:
    return {
        Kind.OPEN_QUESTION: ContextEntry.Status.OPEN,
        Kind.RESOLVED_DEBATE: ContextEntry.Status.RESOLVED,
    }.get(kind, ContextEntry.Status.ACTIVE)


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render_page(request, "context_repo/entry_form.html", context, partial="context-entry-form")


@require_http_methods(["GET", "POST"])
@require(
    Perm.WRITE_CONTEXT,
    "Your role does not allow writing context entries. Ask the chief of staff if you need it.",
)
def entry_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            entry = services.entry_create(data=form.cleaned_data, author=request.user)
            messages.success(request, f"{entry.key} saved.")
            url = reverse("context_repo:entry_detail", args=[entry.key])
            return HttpResponseClientRedirect(url) if is_fragment_request(request) else redirect(url)
    else:
        kind = request.GET.get("kind", "")
        kind = kind if kind in Kind.values else Kind.NOTE
        form = EntryForm(initial={"kind": kind, "status": _initial_status(kind)})
    return _form_page(request, {"form": form, "entry": None})


CONFLICT_FIELDS = [
    ("kind", "Kind"),
    ("title", "Title"),
    ("body", "Body"),
    ("surface", "Surface"),
    ("source", "Source"),
    ("dated_on", "Date"),
    ("status", "Status"),
]


def _conflict(current: ContextEntry, data: dict[str, Any]) -> dict[str, Any]:
    mine = {
        "kind": dict(Kind.choices).get(data["kind"], data["kind"]),
        "title": data["title"],
        "body": data["body"],
        "surface": data["surface"].name if data["surface"] else "",
        "source": data["source"],
        "dated_on": data["dated_on"],
        "status": dict(ContextEntry.Status.choices).get(data["status"], data["status"]),
    }
    rows = conflict_rows(CONFLICT_FIELDS, current, mine)
    for label, saved, submitted in (
        ("Tags", [t.name for t in current.tags.all()], data["tags"]),
        ("Linked decisions", [d.key for d in current.decisions.all()], [d.key for d in data["decisions"]]),
        ("Linked workstreams", [w.key for w in current.workstreams.all()], [w.key for w in data["workstreams"]]),
    ):  # fmt: skip
        rows.append({"label": label, "saved": ", ".join(saved), "mine": ", ".join(submitted),
                     "differs": sorted(saved) != sorted(submitted)})  # fmt: skip
    last = current.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    who = ""
    if last is not None and last.history_user is not None:
        who = last.history_user.get_full_name() or last.history_user.username
    return {"rows": rows, "who": who, "when": last.history_date if last else None}


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def entry_edit(request: HttpRequest, key: str) -> HttpResponse:
    entry = _entry_or_404(key)
    if not queries.can_edit_entry(request.user, entry):
        return forbidden(request, EDIT_REFUSED)
    conflict = None
    if request.method == "POST":
        form = EntryForm(request.POST, instance=entry)
        if form.is_valid():
            version = form.cleaned_data.get("version")
            try:
                services.entry_update(entry=entry, data=form.cleaned_data, expected_version=version or 0)
            except StaleEdit as stale:
                current = _entry_or_404(key)
                conflict = _conflict(current, form.cleaned_data)
                data = request.POST.copy()
                data["version"] = str(stale.current.version)  # saving again keeps this version
                form = EntryForm(data, instance=current)
                form.is_valid()
            else:
                messages.success(request, f"{entry.key} saved.")
                url = reverse("context_repo:entry_detail", args=[entry.key])
                return HttpResponseClientRedirect(url) if is_fragment_request(request) else redirect(url)
    else:
        form = EntryForm(instance=entry)
    return _form_page(request, {"form": form, "entry": entry, "conflict": conflict})


@require_GET
@require(Perm.READ)
def entry_history(request: HttpRequest, key: str) -> HttpResponse:
    entry = get_object_or_404(ContextEntry, key=key.upper())
    records = list(entry.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = history_entries(
        records,
        subject=entry.key,
        labels={"dated_on": "date", "decisions": "linked decisions", "workstreams": "linked workstreams"},
        ignore={"author"},
    )
    return render(request, "context_repo/entry_history.html", {"entry": entry, "entries": entries})


# Customer signals --------------------------------------------------------------------------------------


@require_GET
@require(Perm.READ)
def signals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    themes = queries.signal_themes(today)
    context = {
        "themes": themes,
        "today": today,
        "chart": queries.CHART,
        "undecided": [t for t in themes if t.undecided_cluster],
    }
    return render(request, "context_repo/signals.html", context)


# Start here --------------------------------------------------------------------------------------------


def _path(request: HttpRequest) -> dict[str, Any]:
    steps = queries.start_here_steps()
    read = queries.read_step_ids(request.user)
    first_unread = next((number for number, step in enumerate(steps, start=1) if step.pk not in read), None)
    done = sum(1 for step in steps if step.pk in read)
    return {
        "steps": steps,
        "read": read,
        "done": done,
        "total": len(steps),
        "percent": round(100 * done / len(steps)) if steps else 0,
        "next_number": first_unread or 1,
        "can_curate": request.user.has_perm(Perm.EDIT_ALL),
    }


@require_GET
@require(Perm.READ)
def start_here(request: HttpRequest) -> HttpResponse:
    return render(request, "context_repo/start_here.html", _path(request))


@require_GET
@require(Perm.READ)
def start_here_step(request: HttpRequest, number: int) -> HttpResponse:
    context = _path(request)
    steps = context["steps"]
    if not 1 <= number <= len(steps):
        return redirect("context_repo:start_here")
    step = steps[number - 1]
    context.update(
        step=step,
        number=number,
        is_read=step.pk in context["read"],
        previous_number=number - 1 if number > 1 else None,
        next_number_after=number + 1 if number < len(steps) else None,
    )
    if step.entry is not None:
        context["entry"] = (
            ContextEntry.objects.select_related("surface").prefetch_related("tags").get(pk=step.entry_id)
        )
    return render(request, "context_repo/start_here_step.html", context)


@require_POST
@require(Perm.READ)
def step_read(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(StartHereStep, pk=pk)
    read = request.POST.get("read", "1") != "0"
    services.step_mark_read(step=step, user=request.user, read=read)
    context = _path(request)
    number = next(i for i, s in enumerate(context["steps"], start=1) if s.pk == step.pk)
    if request.POST.get("then") == "next" and number < context["total"]:
        url = reverse("context_repo:start_here_step", args=[number + 1])
        return HttpResponseClientRedirect(url) if is_fragment_request(request) else redirect(url)
    if not is_fragment_request(request):
        return redirect("context_repo:start_here_step", number=number)
    context.update(step=step, number=number, is_read=read, oob=True)
    return render(request, "context_repo/start_here_step.html#start-here-read", context)


def _curate_page(
    request: HttpRequest,
    form: StepForm | None = None,
    status: int = 200,
    conflict: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"steps": queries.start_here_steps(), "form": form or StepForm(), "conflict": conflict}
    return render_page(
        request, "context_repo/start_here_edit.html", context, partial="start-here-steps", status=status
    )


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, CURATE_REFUSED)
def start_here_edit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = StepForm(request.POST)
        if form.is_valid():
            services.step_add(record=form.cleaned_data["record"], why=form.cleaned_data["why"])
            if not is_fragment_request(request):
                messages.success(request, "Step added to the path.")
                return redirect("context_repo:start_here_edit")
            return _curate_page(request)
        return _curate_page(request, form)
    return _curate_page(request)


@require_POST
@require(Perm.EDIT_ALL, CURATE_REFUSED)
def step_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a step up or down, remove it, or rewrite its line on why it matters."""
    step = get_object_or_404(StartHereStep, pk=pk)
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        services.step_move(step=step, up=action == "up")
    elif action == "remove":
        services.step_remove(step=step)
    elif action == "why":
        form = StepWhyForm(request.POST, instance=step)
        if form.is_valid():
            try:
                services.step_why_change(
                    step=step, why=form.cleaned_data["why"], expected_version=form.cleaned_data["version"]
                )
            except StaleEdit as stale:
                # Both lines side by side at the step; the typed one stays in its field, to save again.
                current = stale.current
                latest = current.history.select_related("history_user").first()  # type: ignore[attr-defined]
                user = latest.history_user if latest else None
                return _curate_page(
                    request,
                    conflict={
                        "step": step.pk,
                        "mine": form.cleaned_data["why"],
                        "rows": conflict_rows([("why", "Why it matters")], current, form.cleaned_data),
                        "who": (user.get_full_name() or user.username) if user else "",
                        "when": latest.history_date if latest else None,
                    },
                )
        else:
            messages.error(request, "The line on why it matters must be 1 to 300 characters.")
    if not is_fragment_request(request):
        return redirect("context_repo:start_here_edit")
    return _curate_page(request)


# Search ------------------------------------------------------------------------------------------------


TYPE_SINGULARS = {
    "decision": "decision",
    "context": "context entry",
    "workstream": "workstream",
    "brief": "brief",
}
TYPE_PLURALS = {
    "decision": "decisions",
    "context": "context entries",
    "workstream": "workstreams",
    "brief": "briefs",
}
TYPE_ORDER = {t: i for i, t in enumerate(TYPE_PLURALS)}


@require_GET
@require(Perm.READ)
def search_page(request: HttpRequest) -> HttpResponse:
    """The one search: a compact dropdown for the shell's box (`as=dropdown`), else the results page."""
    form = SearchForm(request.GET)
    q, types = form.query()
    if request.GET.get("as") == "dropdown":
        if len(q) < 2:
            return HttpResponse("")
        hits = search.search(q, limit=DROPDOWN_SIZE)
        total = sum(search.count(q).values()) if len(hits) == DROPDOWN_SIZE else len(hits)
        return render(request, "context_repo/search_dropdown.html", {"q": q, "hits": hits, "total": total})
    results = search.Results(q, types)
    page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = results.counts()
    filters = [
        {"type": t, "label": label, "count": counts.get(t, 0), "active": types == [t]}
        for t, label in SearchDocument.Type.choices
    ]
    context = {
        "q": q,
        "page_obj": page_obj,
        "filters": filters,
        "among": ", ".join(TYPE_PLURALS[t] for t in types or []),
        "breakdown": ", ".join(
            f"{n} {TYPE_SINGULARS[t] if n == 1 else TYPE_PLURALS[t]}"
            for t, n in sorted(counts.items(), key=lambda c: TYPE_ORDER[c[0]])
        ),
    }
    response = render_page(request, "context_repo/search.html", context, partial="search-page-results")
    if is_fragment_request(request):
        params = [("q", q)] if q else []
        params += [("type", t) for t in types or []]
        page = page_obj.number
        params += [("page", str(page))] if page > 1 else []
        response["HX-Push-Url"] = reverse("search") + (f"?{urlencode(params)}" if params else "")
    return response


@require_GET
@require(Perm.READ)
def search_settled(request: HttpRequest) -> HttpResponse:
    """The decided decisions and resolved debates matching a title being typed (no re-litigation)."""
    title = request.GET.get("title", "")
    kind = request.GET.get("kind", "")
    hits = [] if kind and kind != Kind.OPEN_QUESTION else search.settled_matches(title)
    return render(request, "context_repo/settled.html", {"hits": hits, "title": title})
