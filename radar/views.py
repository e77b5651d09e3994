"""The VP's morning and what the rules engine finds: the dashboard, the radar (with snoozes), the
decision queue and the rules page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leadership_os import memo
from leadership_os.access import Perm, forbidden, require
from leadership_os.htmx import is_fragment_request, render_page, safe_next
from radar import queries as radar_queries
from radar import services
from radar.chart import build_chart
from radar.engine import RULES, describe_rules
from radar.forms import RadarFilterForm, SnoozeForm
from radar.models import Snooze

DASHBOARD_PANELS = (
    "dash-engagements",
    "dash-radar",
    "dash-queue",
    "dash-slipped",
    "dash-decided",
    "dash-rituals",
)
RITUAL_RULES = ("ritual-without-purpose", "ritual-theater")
PAGE_SIZE = 50
ENGAGEMENTS_SHOWN = 12
PANEL_ROWS = 8  # the radar's, the slipped commitments' and the rituals' panels list the first eight


def _engagements_soon(today: dt.date) -> tuple[list[dict[str, Any]], int]:
    """Today's and tomorrow's engagements (the first ENGAGEMENTS_SHOWN of them) with their brief's
    readiness, as the brief page computes it, and how many there are in all. Each read is reused
    until a table it reads is written to (or who the principals are changes: their own stance is
    not a stakeholder's): a status update, the chief of staff's most common write, can change
    whether an engagement has history, never its brief or its stances."""
    from briefs.queries import HISTORY_TABLES, STANCE_TABLES, history_presence, principals, readiness_from

    who = tuple(principals().order_by("pk").values_list("pk", flat=True))
    zone = str(timezone.get_current_timezone())
    shown, unknown, total = memo.per_tables(
        "dashboard-engagements", (today, zone, who), STANCE_TABLES, lambda: _read_engagements_soon(today)
    )
    history = memo.per_tables(
        "dashboard-engagements-history",
        (today, who, tuple(engagement.pk for engagement in shown)),
        HISTORY_TABLES,
        lambda: history_presence(shown),
    )
    readiness = readiness_from(shown, unknown, history)
    rows = [
        {
            "engagement": engagement,
            "day": "Today" if timezone.localtime(engagement.starts_at).date() == today else "Tomorrow",
            "missing": readiness[engagement.pk].missing,
            "url": radar_queries._path("briefs:brief_detail", [engagement.pk], f"/briefs/{engagement.pk}/"),
        }
        for engagement in shown
    ]
    return rows, total


def _read_engagements_soon(today: dt.date) -> tuple[list[Any], dict[int, list[str]], int]:
    from briefs.models import Engagement
    from briefs.queries import for_readiness, unknown_stances

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    window = Engagement.objects.filter(
        starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=2), cancelled_on__isnull=True
    )
    shown = list(
        for_readiness(window.select_related("surface").order_by("starts_at", "number"))[:ENGAGEMENTS_SHOWN]
    )
    return shown, unknown_stances(shown) if shown else {}, window.count()


def _recent_decisions(today: dt.date) -> list[Any]:
    """The last week's ten newest decisions (reused until a decision, a person or a surface changes)."""
    from decisions.models import Decision
    from leadership_os.models import Person, Surface

    return memo.per_tables(
        "dashboard-decided",
        today,
        memo.table_labels(Decision, Person, Surface),
        lambda: list(
            Decision.objects.filter(
                status=Decision.Status.DECIDED, decided_on__gte=today - dt.timedelta(days=6)
            )
            .select_related("decider", "surface")
            .order_by("-decided_on", "-number")[:10]
        ),
    )


def _org_has_artifacts() -> bool:
    from briefs.models import Engagement
    from context_repo.models import ContextEntry
    from decisions.models import Decision
    from rhythms.models import Ritual
    from workstreams.models import Workstream

    return any(model.objects.exists() for model in (Workstream, Decision, Engagement, Ritual, ContextEntry))


@require_GET
@require(Perm.READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The VP's morning: one screen, each panel an htmx region that can refresh on its own (an htmx
    request for one panel computes that panel only)."""
    if not _org_has_artifacts():
        return render(request, "radar/dashboard.html", {"empty": True})
    requested = request.GET.get("panel")
    panel = requested if requested in DASHBOARD_PANELS and is_fragment_request(request) else None
    wanted = {panel} if panel else set(DASHBOARD_PANELS)
    today = timezone.localdate()
    context: dict[str, Any] = {"today": today, "can_snooze": request.user.has_perm(Perm.SNOOZE)}
    if "dash-engagements" in wanted:
        context["engagements"], context["engagements_total"] = _engagements_soon(today)
    if "dash-decided" in wanted:
        context["recent_decisions"] = _recent_decisions(today)
    if wanted & {"dash-radar", "dash-queue", "dash-slipped", "dash-rituals"} or not panel:
        evaluation = radar_queries.evaluate_today(today)
        visible = evaluation.visible
        context["radar_total"] = len(visible)
        context["queue_total"] = len(evaluation.result.queue)
        if "dash-radar" in wanted:
            context["radar_top"] = radar_queries.rows(evaluation, visible[:PANEL_ROWS])
        if "dash-queue" in wanted:
            context["queue_top"] = radar_queries.queue_rows(list(evaluation.result.queue[:6]))
        if "dash-slipped" in wanted:
            latest = evaluation.first_visible(evaluation.slipped_by_lateness, PANEL_ROWS)
            context["slipped"] = radar_queries.rows(evaluation, latest)
            context["slipped_total"] = evaluation.count_visible("slipped-commitment")
        if "dash-rituals" in wanted:
            rituals = evaluation.visible_of(*RITUAL_RULES)  # a few hundred at most: one per ritual
            context["rituals"] = radar_queries.rows(evaluation, rituals[:PANEL_ROWS])
            context["rituals_total"] = len(rituals)
        if not panel:
            context["snoozed_count"] = len(evaluation.snoozed)
            context["severity_counts"] = evaluation.visible_severity_counts()
    return render_page(request, "radar/dashboard.html", context, partial=panel)


def _radar_context(request: HttpRequest, evaluation: radar_queries.Evaluation) -> dict[str, Any]:
    form = RadarFilterForm(request.GET or None, rules=[r.id for r in RULES], surfaces=evaluation.surfaces)
    items = evaluation.visible
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("rule"):
        items = [i for i in items if i.rule == filters["rule"]]
    if filters.get("surface"):
        wanted = None if filters["surface"] == "none" else filters["surface"]
        items = [i for i in items if i.surface == wanted]
    if filters.get("type"):
        items = [i for i in items if i.subject.type == filters["type"]]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    snoozed_rows = radar_queries.rows(evaluation, [item for item, _ in evaluation.snoozed])
    for row, (_, snooze) in zip(snoozed_rows, evaluation.snoozed, strict=True):
        row["snooze"] = snooze
    sectors = sorted({evaluation.surface_name(i.surface) for i in evaluation.visible}) or ["No surface"]
    chart = build_chart(
        [
            (
                evaluation.surface_name(i.surface),
                i.severity,
                f"#{radar_queries.item_id(i)}",
                f"{i.severity.capitalize()}: {i.subject.key} {i.subject.title} ({i.rule})",
            )
            for i in shown
        ],
        sectors,
    )
    return {
        "evaluation": evaluation,
        "rows": radar_queries.rows(evaluation, shown),
        "page_obj": page,
        "total": len(items),
        "snoozed_rows": snoozed_rows,
        "form": form,
        "filtered": bool(filters and any(filters.values())),
        "chart": chart,
        "can_snooze": request.user.has_perm(Perm.SNOOZE),
        "snooze_form": SnoozeForm(initial={"until": evaluation.as_of + dt.timedelta(days=3)}),
        "severity_counts": {s: sum(1 for i in items if i.severity == s) for s in ("high", "medium", "low")},
    }


@require_GET
@require(Perm.READ)
def radar(request: HttpRequest) -> HttpResponse:
    evaluation = radar_queries.evaluate_today()
    return render_page(
        request, "radar/radar.html", _radar_context(request, evaluation), partial="radar-results"
    )


@require_POST
@require(Perm.SNOOZE, "Only the principal and the chief of staff snooze radar items.")
def radar_snooze(request: HttpRequest) -> HttpResponse:
    evaluation = radar_queries.evaluate_today()
    form = SnoozeForm(request.POST)
    item = radar_queries.find_item(evaluation, request.POST.get("item", ""))
    if item is None:
        return forbidden(request, "That item is no longer on the radar; nothing was snoozed.", status=409)
    if not form.is_valid():
        row = radar_queries.rows(evaluation, [item])[0]
        if is_fragment_request(request):
            return render(request, "radar/radar.html#radar-snooze", {"row": row, "snooze_form": form})
        return render(
            request, "radar/snooze_page.html", {"row": row, "snooze_form": form, "can_snooze": True}
        )
    services.radar_snooze(
        item=item, until=form.cleaned_data["until"], note=form.cleaned_data["note"], by=request.user
    )
    messages.success(request, f"{item.subject.key} is snoozed until {form.cleaned_data['until']:%-d %b}.")
    target = safe_next(request) or "/radar/"
    if is_fragment_request(request):
        return HttpResponseClientRedirect(target)
    return redirect(target)


@require_POST
@require(Perm.SNOOZE, "Only the principal and the chief of staff bring snoozed items back.")
def radar_unsnooze(request: HttpRequest, snooze_id: int) -> HttpResponse:
    snooze = get_object_or_404(Snooze, pk=snooze_id, cancelled_at__isnull=True)
    services.radar_unsnooze(snooze=snooze, by=request.user)
    messages.success(request, f"{snooze.subject_key} is back on the radar.")
    return redirect("radar")


@require_GET
@require(Perm.READ)
def queue(request: HttpRequest) -> HttpResponse:
    evaluation = radar_queries.evaluate_today()
    items = list(evaluation.result.queue)
    bucket = request.GET.get("bucket", "")
    if bucket:
        items = [i for i in items if i.bucket == bucket]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "evaluation": evaluation,
        "rows": radar_queries.queue_rows(list(page.object_list)),
        "page_obj": page,
        "bucket": bucket,
        "can_record_outcome": request.user.has_perm(Perm.RECORD_OUTCOME),
        "bucket_counts": {
            b: sum(1 for i in evaluation.result.queue if i.bucket == b)
            for b in ("overdue", "blocking", "due-soon", "review", "open")
        },
    }
    return render_page(request, "radar/queue.html", context, partial="queue-list")


@require_GET
@require(Perm.READ)
def rules(request: HttpRequest) -> HttpResponse:
    thresholds = radar_queries.thresholds()
    return render(
        request,
        "radar/rules.html",
        {"rules": describe_rules(thresholds), "thresholds": thresholds.as_settings()},
    )
