"""The decision log's screens: the log, a decision, its history, the forms and the actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from decisions import madr, queries, services, timeline
from decisions.forms import (
    PARTS,
    DecisionFilterForm,
    DecisionForm,
    OutcomeForm,
    ReopenForm,
    ReviewForm,
    SupersedeForm,
    VersionForm,
    WithdrawForm,
    formset_class,
)
from decisions.models import Decision, ReopenCondition
from leadership_os.access import Perm, Role, forbidden, require
from leadership_os.htmx import is_fragment_request, render_page, safe_next
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Person, Surface
from leadership_os.pagination import KeysFirstPaginator

PAGE_SIZE = 25
NOT_ALLOWED_EDIT = "Only the chief of staff edits decisions; a contributor edits their own drafts."
NOT_ALLOWED_ACTION = "Only the chief of staff can do this. Ask them if it needs doing."
NOT_ALLOWED_OUTCOME = "Only a principal records a decision's outcome."
NOT_ALLOWED_WRITE = "Your role does not allow writing decisions. Ask the chief of staff if you need to."


# Who may do what (DESIGN.md's roles, per decision) ------------------------------------------------


def can_create(user: Any) -> bool:
    return bool(user.has_perm(Perm.EDIT_ALL) or user.has_perm(Perm.WRITE_DRAFTS))


def can_edit(user: Any, decision: Decision) -> bool:
    if user.has_perm(Perm.EDIT_ALL):
        return True
    return bool(
        user.has_perm(Perm.WRITE_DRAFTS)
        and decision.status == Decision.Status.DRAFT
        and decision.created_by_id is not None
        and decision.created_by_id == user.pk
    )


def permissions(user: Any, decision: Decision) -> dict[str, bool]:
    manage = user.has_perm(Perm.EDIT_ALL)
    status = decision.status
    return {
        "edit": can_edit(user, decision),
        "open": manage and status == Decision.Status.DRAFT,
        "record": user.has_perm(Perm.RECORD_OUTCOME) and status == Decision.Status.OPEN,
        "supersede": manage and status == Decision.Status.DECIDED,
        "review": manage and status == Decision.Status.DECIDED,
        "withdraw": manage and status in (Decision.Status.DRAFT, Decision.Status.OPEN),
    }


def _refuse_state(request: HttpRequest, key: str, message: str) -> HttpResponse:
    """An action that no longer applies (someone acted first): say so, change nothing."""
    if is_fragment_request(request):
        return forbidden(request, message, status=409)
    messages.error(request, message)
    return redirect("decisions:decision_detail", key=key.upper())


def _stale_message(key: str) -> str:
    return f"{key.upper()} changed since you loaded it; nothing was done. Look at it again, then retry."


def refuses_what_no_longer_applies(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An action's service refused (the decision moved on, or changed since the page was loaded):
    answer with the reason instead of an error. The service's transaction has written nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, key, *args, **kwargs)
        except services.DecisionStateError as error:
            return _refuse_state(request, key, str(error))
        except StaleEdit:
            return _refuse_state(request, key, _stale_message(key))

    return wrapped


def _expected(form: VersionForm) -> int | None:
    return form.cleaned_data.get("version") if form.is_valid() else None


def _done(request: HttpRequest, decision: Decision, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse("decisions:decision_detail", args=[decision.key])
    if is_fragment_request(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


# Reading ------------------------------------------------------------------------------------------


@require_GET
@require(Perm.READ)
def decision_list(request: HttpRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET or None)
    form.is_valid()
    decisions = form.apply(queries.log())
    page = KeysFirstPaginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    queries.annotate_for_reading(page.object_list, timezone.localdate())
    query = form.active_query()
    context = {
        "form": form,
        "page_obj": page,
        "decisions": page.object_list,
        "filtered": form.is_filtered(),
        "export_query": query,
        "can_create": can_create(request.user),
    }
    response = render_page(request, "decisions/decision_list.html", context, partial="decision-results")
    if is_fragment_request(request):
        # The address bar shows only the filters that are set, so a shared link stays readable.
        response["HX-Push-Url"] = reverse("decisions:decision_list") + (f"?{query}" if query else "")
    return response


@require_GET
@require(Perm.READ)
def decision_detail(request: HttpRequest, key: str) -> HttpResponse:
    decision = queries.decision_for_page(key)
    today = timezone.localdate()
    queries.annotate_for_reading([decision], today)
    can = permissions(request.user, decision)
    context = {
        "decision": decision,
        "today": today,
        "chain": queries.supersession_chain(decision),
        "previous": queries.previous_outcome(decision),
        "can": can,
        "conditions": [
            {"condition": c, "due": c.is_due(today), "triggered": c.is_triggered(today)}
            for c in decision.reopen_conditions.all()
        ],
    }
    return render(request, "decisions/decision_detail.html", context)


@require_GET
@require(Perm.READ)
def decision_history(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    context = {"decision": decision, "entries": queries.decision_history(decision)}
    return render(request, "decisions/decision_history.html", context)


@require_GET
@require(Perm.READ)
def decision_timeline(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        months = int(request.GET.get("months", "12"))
    except ValueError:
        months = 12
    months = months if months in (6, 12, 24, 36) else 12
    start = timeline.months_back(today, months - 1)
    end = timeline.month_after(today, 2) - dt.timedelta(days=1)
    surfaces = list(Surface.objects.order_by("name"))
    in_range = list(queries.timeline_decisions(start, end))
    lanes: list[tuple[int | None, str]] = [(s.pk, s.name) for s in surfaces]
    if any(d.surface_id is None for d in in_range):
        lanes.append((None, "No surface"))
    chart = timeline.build(
        in_range,
        lanes=lanes,
        start=start,
        end=end,
        today=today,
        url_of=lambda d: reverse("decisions:decision_detail", args=[d.key]),
    )
    kinds = [mark.kind for lane in chart.lanes for mark in lane.marks]
    desc = (
        f"{chart.count} decision{'s' if chart.count != 1 else ''} from {start:%-d %b %Y} to {end:%-d %b %Y} "
        f"across {len(lanes)} surface{'s' if len(lanes) != 1 else ''}: {kinds.count('decided')} decided, "
        f"{kinds.count('superseded')} superseded, {kinds.count('open') + kinds.count('overdue')} open "
        f"({kinds.count('overdue')} overdue)."
    )
    context = {
        "chart": chart,
        "months": months,
        "months_label": f"the last {months} months",
        "desc": desc,
        "month_choices": (6, 12, 24, 36),
    }
    return render(request, "decisions/decision_timeline.html", context)


@require_GET
@require(Perm.READ)
def decision_export(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(queries.madr_set(Decision.objects.all()), key=key.upper())
    response = HttpResponse(madr.to_madr(decision), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{madr.filename(decision)}"'
    return response


@require_GET
@require(Perm.READ)
def decision_export_all(request: HttpRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET or None)
    form.is_valid()
    decisions = queries.madr_set(form.apply(Decision.objects.all()).order_by("number"))
    response = HttpResponse(madr.log_zip(decisions), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="decision-log-{stamp}.zip"'
    return response


# Writing: the decision and its parts --------------------------------------------------------------


def _bind(
    request: HttpRequest, decision: Decision, data: QueryDict | None
) -> tuple[DecisionForm, dict[str, Any]]:
    decided = decision.has_outcome
    form = DecisionForm(data, instance=decision)
    formsets = {
        kind: formset_class(kind, decided=decided)(data, instance=decision, prefix=kind) for kind in PARTS
    }
    return form, formsets


def _with_row_added(data: QueryDict, kind: str) -> QueryDict:
    """The submitted data with one more (empty) row of `kind`: "add another" without JavaScript."""
    data = data.copy()
    total = f"{kind}-TOTAL_FORMS"
    try:
        data[total] = str(int(data.get(total, "0")) + 1)
    except ValueError:
        data[total] = "1"
    return data


def _conflict(current: Decision, form: DecisionForm, formsets: dict[str, Any]) -> dict[str, Any]:
    """Both versions side by side: the one saved now and the user's."""
    data = form.cleaned_data
    fields = [(name, str(form.fields[name].label or name).capitalize()) for name in form.Meta.fields]
    submitted = {name: data.get(name) for name, _ in fields}
    rows = conflict_rows(fields, current, submitted)
    saved_tags = ", ".join(t.name for t in current.tags.all())
    mine_tags = ", ".join(data.get("tags", []))
    rows.append({"label": "Tags", "saved": saved_tags, "mine": mine_tags, "differs": saved_tags != mine_tags})
    saved_options = "\n".join(o.title for o in current.options.all())
    mine_options = "\n".join(row["title"] for row in formsets["options"].rows())
    rows.append(
        {
            "label": "Options",
            "saved": saved_options,
            "mine": mine_options,
            "differs": saved_options != mine_options,
        }
    )
    last = current.history.select_related("history_user").order_by("-history_date").first()
    who = ""
    if last and last.history_user:
        who = last.history_user.get_full_name() or last.history_user.username
    return {"rows": rows, "who": who, "when": last.history_date if last else None}


def _form_page(
    request: HttpRequest,
    decision: Decision,
    form: DecisionForm,
    formsets: dict[str, Any],
    *,
    conflict: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "decision": decision,
        "form": form,
        "formsets": [(kind, PARTS[kind][0], PARTS[kind][1], formsets[kind]) for kind in PARTS],
        "conflict": conflict,
        "creating": decision.pk is None,
        "can_open_now": request.user.has_perm(Perm.EDIT_ALL),
        "decided": decision.has_outcome,
    }
    return render(request, "decisions/decision_form.html", context)


def _rows(formsets: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        "options": formsets["options"].rows(),
        "stakeholders": formsets["stakeholders"].rows(),
        "reopen_conditions": formsets["conditions"].rows(),
    }


def _fields(form: DecisionForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in form.Meta.fields}


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def decision_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        return forbidden(request, NOT_ALLOWED_WRITE)
    decision = Decision()
    if request.method == "GET":
        # Sensible defaults: whoever writes it drives it, and a principal decides.
        decision.driver = Person.objects.filter(user=request.user).first()
        decision.decider = (
            Person.objects.filter(user__groups__name=Role.PRINCIPAL.value).order_by("pk").first()
        )
        form, formsets = _bind(request, decision, None)
        return _form_page(request, decision, form, formsets)
    add = request.POST.get("add")
    if add in PARTS:
        form, formsets = _bind(request, decision, _with_row_added(request.POST, add))
        return _form_page(request, decision, form, formsets)
    form, formsets = _bind(request, decision, request.POST)
    if not (form.is_valid() and all(fs.is_valid() for fs in formsets.values())):
        return _form_page(request, decision, form, formsets)
    open_now = request.POST.get("then") == "open" and request.user.has_perm(Perm.EDIT_ALL)
    decision = services.decision_create(
        by=request.user,
        fields=_fields(form),
        tags=form.cleaned_data["tags"],
        open_now=open_now,
        **_rows(formsets),
    )
    messages.success(request, f"{decision.key} created{' and opened' if open_now else ' as a draft'}.")
    return redirect("decisions:decision_detail", key=decision.key)


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def decision_edit(request: HttpRequest, key: str) -> HttpResponse:
    decision = queries.decision_for_edit(key)
    if not can_edit(request.user, decision):
        return forbidden(request, NOT_ALLOWED_EDIT)
    if request.method == "GET":
        form, formsets = _bind(request, decision, None)
        return _form_page(request, decision, form, formsets)
    add = request.POST.get("add")
    if add in PARTS:
        form, formsets = _bind(request, decision, _with_row_added(request.POST, add))
        return _form_page(request, decision, form, formsets)
    form, formsets = _bind(request, decision, request.POST)
    if not (form.is_valid() and all(fs.is_valid() for fs in formsets.values())):
        return _form_page(request, decision, form, formsets)
    expected = form.cleaned_data.get("version") or 0
    try:
        services.decision_update(
            decision=decision,
            by=request.user,
            expected_version=expected,
            fields=_fields(form),
            tags=form.cleaned_data["tags"],
            **_rows(formsets),
        )
    except StaleEdit:
        current = queries.decision_for_edit(key)
        conflict = _conflict(current, form, formsets)
        # Keep every value the user typed; only the version moves on, so "save again" keeps theirs.
        data = request.POST.copy()
        data["version"] = str(current.version)
        form, formsets = _bind(request, current, data)
        form.is_valid()
        for formset in formsets.values():
            formset.is_valid()
        return _form_page(request, current, form, formsets, conflict=conflict)
    messages.success(request, f"{decision.key} saved.")
    return redirect("decisions:decision_detail", key=decision.key)


@require_GET
@require(Perm.READ)
def decision_form_row(request: HttpRequest, kind: str) -> HttpResponse:
    """One new, empty row of a formset (htmx "add"), and the formset's new row count out of band."""
    if not can_create(request.user):
        return forbidden(request, NOT_ALLOWED_WRITE)
    if kind not in PARTS:
        return HttpResponse(status=404)
    try:
        index = max(int(request.GET.get(f"{kind}-TOTAL_FORMS", "0")), 0)
    except ValueError:
        index = 0
    formset = formset_class(kind, decided=request.GET.get("decided") == "1")(prefix=kind)
    row = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,
    )
    formset.add_fields(row, index)
    first = next(iter(row.fields.values()))
    first.widget.attrs["data-autofocus"] = ""
    context = {
        "kind": kind,
        "label": PARTS[kind][0],
        "row": row,
        "number": index + 1,
        "total": index + 1,
        "new": True,
    }
    return render(request, "decisions/_form_row.html", context)


# Actions ------------------------------------------------------------------------------------------


def _action_page(
    request: HttpRequest, decision: Decision, action: str, form: Any, **extra: Any
) -> HttpResponse:
    context = {"decision": decision, "action": action, "form": form, **extra}
    return render_page(request, "decisions/decision_action.html", context, partial="action-form")


@require_POST
@require(Perm.EDIT_ALL, NOT_ALLOWED_ACTION)
@refuses_what_no_longer_applies
def decision_open(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    form = VersionForm(request.POST)
    services.decision_open(decision=decision, by=request.user, expected_version=_expected(form))
    return _done(request, decision, f"{decision.key} is open: it is in the decision queue.")


@require_POST
@require(Perm.EDIT_ALL, NOT_ALLOWED_ACTION)
@refuses_what_no_longer_applies
def decision_withdraw(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _action_page(request, decision, "withdraw", form)
    services.decision_withdraw(
        decision=decision,
        by=request.user,
        reason=form.cleaned_data["reason"],
        expected_version=_expected(form),
    )
    return _done(request, decision, f"{decision.key} withdrawn.")


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, NOT_ALLOWED_ACTION)
@refuses_what_no_longer_applies
def decision_supersede(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    if request.method == "GET":
        form = SupersedeForm(initial={"title": decision.title, "version": decision.version})
        return _action_page(request, decision, "supersede", form)
    form = SupersedeForm(request.POST)
    if not form.is_valid():
        return _action_page(request, decision, "supersede", form)
    successor = services.decision_supersede(
        decision=decision,
        by=request.user,
        title=form.cleaned_data["title"],
        reason=form.cleaned_data["reason"],
        expected_version=_expected(form),
    )
    messages.success(
        request, f"{successor.key} opened; it supersedes {decision.key}. Review its options and stakeholders."
    )
    url = reverse("decisions:decision_edit", args=[successor.key])
    return HttpResponseClientRedirect(url) if is_fragment_request(request) else redirect(url)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, NOT_ALLOWED_ACTION)
def decision_review_condition(request: HttpRequest, key: str, condition_id: int) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    condition = get_object_or_404(ReopenCondition, pk=condition_id, decision=decision)
    if request.method == "GET":
        form = ReviewForm(initial={"reviewed_on": timezone.localdate()})
        return _action_page(request, decision, "review", form, condition=condition)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _action_page(request, decision, "review", form, condition=condition)
    try:
        services.decision_review_condition(
            condition=condition,
            by=request.user,
            reviewed_on=form.cleaned_data["reviewed_on"],
            note=form.cleaned_data["note"],
        )
    except services.DecisionStateError as error:
        form.add_error(None, str(error))
        return _action_page(request, decision, "review", form, condition=condition)
    return _done(request, decision, f"Recorded: {decision.key} still holds.")


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, NOT_ALLOWED_ACTION)
@refuses_what_no_longer_applies
def decision_reopen(request: HttpRequest, key: str) -> HttpResponse:
    decision = get_object_or_404(Decision, key=key.upper())
    if request.method == "GET":
        form = ReopenForm(initial={"version": decision.version, "condition": request.GET.get("condition")})
        return _action_page(request, decision, "reopen", form)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _action_page(request, decision, "reopen", form)
    services.decision_reopen(
        decision=decision,
        by=request.user,
        condition=form.cleaned_data["condition"],
        note=form.cleaned_data["note"],
        expected_version=_expected(form),
    )
    return _done(request, decision, f"{decision.key} reopened: it is back in the decision queue.")


@require_http_methods(["GET", "POST"])
@require(Perm.RECORD_OUTCOME, NOT_ALLOWED_OUTCOME)
def decision_record_outcome(request: HttpRequest, key: str) -> HttpResponse:
    """The principal records the outcome. For htmx (the decision page, the decision queue) it answers
    with the form fragment `decisions/_outcome_form.html`, or once recorded with a short confirmation
    (and the `decisionDecided` event), or a redirect to `next` when one is given."""
    decision = get_object_or_404(Decision.objects.prefetch_related("options"), key=key.upper())
    next_url = safe_next(request)
    template = (
        "decisions/_outcome_form.html" if is_fragment_request(request) else "decisions/decision_outcome.html"
    )
    if decision.status != Decision.Status.OPEN:
        return _refuse_state(
            request,
            decision.key,
            f"{decision.key} is {decision.get_status_display().lower()}; only an open decision is decided.",
        )
    if request.method == "GET":
        form = OutcomeForm(decision=decision)
        return render(request, template, {"decision": decision, "form": form, "next": next_url})
    form = OutcomeForm(request.POST, decision=decision)
    if form.is_valid():
        try:
            services.decision_record_outcome(
                decision=decision,
                option=form.cleaned_data["option"],
                reasoning=form.cleaned_data["reasoning"],
                outcome=form.cleaned_data["outcome"],
                decided_on=form.cleaned_data["decided_on"],
                rejected=form.rejected(),
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except services.DecisionStateError as error:
            form.add_error(None, str(error))
        except StaleEdit:
            form.add_error(None, _stale_message(decision.key))
        else:
            message = f"{decision.key} decided: {decision.outcome}"
            if is_fragment_request(request):
                if next_url:
                    messages.success(request, message)
                    return HttpResponseClientRedirect(next_url)
                response = render(request, "decisions/_outcome_recorded.html", {"decision": decision})
                response["HX-Trigger"] = "decisionDecided"
                return response
            messages.success(request, message)
            return redirect(next_url or reverse("decisions:decision_detail", args=[decision.key]))
    return render(request, template, {"decision": decision, "form": form, "next": next_url})
