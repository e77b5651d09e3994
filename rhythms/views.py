"""The operating rhythm's screens: calendar, ritual page and form, audit, recording an occurrence,
and the calendar feed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leadership_os import memo
from leadership_os.access import Perm, require
from leadership_os.history import history_entries
from leadership_os.htmx import is_fragment_request, render_page, safe_next
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Person
from rhythms import feed as ical
from rhythms import queries, services
from rhythms.forms import CommitmentRows, OccurrenceRecordForm, RetireForm, RitualForm
from rhythms.models import FeedToken, Occurrence, Ritual

EDIT_MESSAGE = "Only the chief of staff edits the operating rhythm."
VIEWS = ("week", "month")
REGENERATED = "You have a new feed address. The old one no longer works; subscribe again with this one."


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful write: htmx navigates, a plain form is redirected (POST, redirect, GET)."""
    if is_fragment_request(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


# The calendar -------------------------------------------------------------------------------------


def _calendar_url(view: str, day: dt.date) -> str:
    return f"{reverse('rhythms:calendar')}?view={view}&date={day.isoformat()}"


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@require_GET
@require(Perm.READ)
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    view = request.GET.get("view", "week")
    if view not in VIEWS:
        view = "week"
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    weeks = queries.calendar_weeks(view, anchor, today)
    first, last = weeks[0][0].date, weeks[-1][-1].date
    can_record = request.user.has_perm(Perm.EDIT_ALL)
    grid_context = {"weeks": weeks, "view": view, "weekdays": WEEKDAYS, "can_record": can_record}
    # The grid lists every item of the week: drawn once per org revision, it costs a page of a large
    # org what it costs a small one's (the items themselves are kept the same way, queries.calendar_items).
    grid = memo.per_revision(
        "calendar-grid",
        (view, first, last, anchor.month, today, can_record, str(timezone.get_current_timezone())),
        lambda: render_to_string("rhythms/_calendar_grid.html", grid_context),
        size=8,
    )
    if view == "week":
        heading = (
            f"Week of {first:%-d %B %Y}"
            if first.month == last.month
            else f"{first:%-d %b} to {last:%-d %b %Y}"
        )
    else:
        heading = f"{anchor:%B %Y}"
    context: dict[str, Any] = {
        "view": view,
        "anchor": anchor,
        "today": today,
        "weeks": weeks,
        "heading": heading,
        "prev_url": _calendar_url(view, queries.shift(view, anchor, -1)),
        "next_url": _calendar_url(view, queries.shift(view, anchor, 1)),
        "today_url": _calendar_url(view, today),
        "week_url": _calendar_url("week", anchor),
        "month_url": _calendar_url("month", anchor),
        "shows_today": first <= today <= last,
        "grid": grid,
    }
    return render_page(request, "rhythms/calendar.html", context, partial="rhythms-calendar")


# Rituals ------------------------------------------------------------------------------------------


@require_GET
@require(Perm.READ)
def ritual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ritual = queries.ritual_for_page(pk)
    except Ritual.DoesNotExist:
        raise Http404("No such ritual") from None
    past, upcoming = queries.ritual_record(ritual, now=timezone.now())
    records = list(ritual.history.select_related("history_user").order_by("-history_date", "-history_id"))
    context = {
        "ritual": ritual,
        "cadence": queries.cadence_in_words(ritual),
        "past": past,
        "upcoming": upcoming,
        "history": _readable_attendees(
            history_entries(
                records,
                subject=ritual.key,
                labels={
                    "rrule": "cadence",
                    "informs_decision": "decision it informs",
                    "surfaces_blocker": "blocker it surfaces",
                },
            )
        ),
        "flags": queries.ritual_flags(ritual, _held_with_counts(ritual), queries.theater_window())
        if ritual.is_active
        else [],
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
    }
    return render_page(request, "rhythms/ritual_detail.html", context)


def _readable_attendees(entries: list[Any]) -> list[Any]:
    """simple_history diffs a many-to-many field as lists of through-rows; say it with names."""
    changes = [c for e in entries for c in e.changes if c.field == "attendees"]
    if not changes:
        return entries
    names = dict(Person.objects.values_list("pk", "name"))
    pattern = re.compile(r"'person': (\d+)")
    for change in changes:
        for side in ("old", "new"):
            ids = [int(n) for n in pattern.findall(getattr(change, side))]
            setattr(change, side, ", ".join(sorted(names.get(i, f"person {i}") for i in ids)))
    return entries


def _held_with_counts(ritual: Ritual) -> list[Any]:
    _, end = queries.day_bounds(timezone.localdate(), timezone.localdate())
    return list(
        ritual.occurrences.filter(status=Occurrence.Status.HELD, starts_at__lt=end)
        .annotate(
            n_decisions=Count("decisions_informed", distinct=True),
            n_blockers=Count("blockers_surfaced", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )


@require_GET
@require(Perm.READ)
def ritual_by_key(request: HttpRequest, key: str) -> HttpResponse:
    ritual = get_object_or_404(Ritual, key=key.upper())
    return redirect("rhythms:ritual_detail", pk=ritual.pk)


RITUAL_FIELDS = [
    ("name", "Name"),
    ("kind", "Kind"),
    ("rrule", "Cadence"),
    ("starts_at", "First occurrence"),
    ("duration_minutes", "Length in minutes"),
    ("purpose", "Purpose"),
    ("informs_decision", "What decision does it inform?"),
    ("surfaces_blocker", "What blocker does it surface?"),
]


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_MESSAGE)
def ritual_create(request: HttpRequest) -> HttpResponse:
    form = RitualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ritual = form.save(commit=False)
        services.ritual_save(ritual=ritual, attendees=form.cleaned_data["attendees"])
        messages.success(request, f"{ritual.key} {ritual.name} created: {queries.cadence_in_words(ritual)}.")
        return _done(request, reverse("rhythms:ritual_detail", args=[ritual.pk]))
    return render_page(
        request, "rhythms/ritual_form.html", {"form": form, "ritual": None}, partial="rhythms-ritual-form"
    )


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_MESSAGE)
def ritual_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = get_object_or_404(Ritual, pk=pk)
    form = RitualForm(request.POST or None, instance=ritual)
    context: dict[str, Any] = {"form": form, "ritual": ritual}
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        try:
            services.ritual_save(
                ritual=edited,
                attendees=form.cleaned_data["attendees"],
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except StaleEdit as stale:
            current = stale.current
            assert isinstance(current, Ritual)
            latest = current.history.select_related("history_user").first()
            context.update(
                conflict=conflict_rows(RITUAL_FIELDS, current, request.POST.dict()),
                conflict_who=(latest.history_user.get_full_name() or latest.history_user.username)
                if latest and latest.history_user
                else "",
                conflict_when=latest.history_date if latest else None,
            )
            # Keep what the user typed, but base the next save on the version now stored.
            data = request.POST.copy()
            data["version"] = str(current.version)
            context["form"] = form = RitualForm(data, instance=current)
            form.is_valid()
            return render_page(request, "rhythms/ritual_form.html", context, partial="rhythms-ritual-form")
        messages.success(request, f"{edited.key} saved: {queries.cadence_in_words(edited)}.")
        return _done(request, reverse("rhythms:ritual_detail", args=[edited.pk]))
    return render_page(request, "rhythms/ritual_form.html", context, partial="rhythms-ritual-form")


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_MESSAGE)
def ritual_retire(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = get_object_or_404(Ritual, pk=pk)
    if not ritual.is_active:
        messages.info(request, f"{ritual.key} was already retired on {ritual.retired_on:%-d %B %Y}.")
        return _done(request, reverse("rhythms:ritual_detail", args=[ritual.pk]))
    form = RetireForm(request.POST or None, initial={"version": ritual.version})
    context: dict[str, Any] = {"form": form, "ritual": ritual, "next": safe_next(request, within="/rhythms/")}
    if request.method == "POST" and form.is_valid():
        try:
            services.ritual_retire(
                ritual=ritual,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            context["stale"] = True
            context["form"] = RetireForm(
                {"reason": form.cleaned_data["reason"], "version": stale.current.version}
            )
            return render_page(request, "rhythms/ritual_retire.html", context, partial="rhythms-retire-form")
        messages.success(request, f"{ritual.key} {ritual.name} retired. Its record is kept.")
        return _done(request, context["next"] or reverse("rhythms:audit"))
    return render_page(request, "rhythms/ritual_retire.html", context, partial="rhythms-retire-form")


# The audit ----------------------------------------------------------------------------------------


@require_GET
@require(Perm.READ)
def audit(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    earning, flagged, retired = queries.ritual_audit(today=today)
    context = {
        "earning": earning,
        "flagged": flagged,
        "retired": retired,
        "window": queries.theater_window(),
        "today": today,
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
    }
    return render_page(request, "rhythms/audit.html", context, partial="rhythms-audit")


# Recording an occurrence --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_MESSAGE)
def occurrence_record(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("ritual").prefetch_related(
            "decisions_informed", "blockers_surfaced", "commitments__owner"
        ),
        pk=pk,
    )
    ritual = occurrence.ritual
    if request.method == "POST":
        form = OccurrenceRecordForm(request.POST, occurrence=occurrence)
        rows = CommitmentRows(request.POST, prefix="commitments")
        if "add_row" in request.POST:
            # Another commitment row, keeping everything typed so far; nothing is saved or judged yet.
            form = OccurrenceRecordForm(occurrence=occurrence, initial=_typed(request.POST))
            rows = CommitmentRows(prefix="commitments", initial=[*_typed_rows(request.POST), {}])
            return _record_page(request, occurrence, form, rows)
        if form.is_valid() and rows.is_valid():
            made = [m for m in (row.made() for row in rows) if m is not None]
            try:
                services.occurrence_record(
                    occurrence=occurrence,
                    status=form.cleaned_data["status"],
                    starts_at=form.cleaned_data["starts_at"],
                    notes=form.cleaned_data["notes"],
                    decisions=list(form.cleaned_data["decisions"]),
                    blockers=list(form.cleaned_data["blockers"]),
                    commitments=made,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit:
                return _record_conflict(request, pk, form, rows)
            what = {"held": "held", "skipped": "skipped", "planned": "not recorded yet"}[occurrence.status]
            extra = f", {len(made)} commitment{'s' if len(made) != 1 else ''} made" if made else ""
            messages.success(
                request,
                f"{ritual.name} of {occurrence.scheduled_for.astimezone(services.local_zone()):%-d %B} recorded as {what}{extra}.",
            )
            return _done(
                request, reverse("rhythms:ritual_detail", args=[ritual.pk]) + f"#occurrence-{occurrence.pk}"
            )
    else:
        form = OccurrenceRecordForm(occurrence=occurrence)
        rows = CommitmentRows(prefix="commitments", initial=[{}, {}])
    return _record_page(request, occurrence, form, rows)


OCCURRENCE_FIELDS = [
    ("status", "Did it happen?"),
    ("starts_at", "Started at"),
    ("notes", "Notes"),
    ("decisions", "Decisions it informed"),
    ("blockers", "Blockers it surfaced"),
]


def _occurrence_in_words(
    status: str, starts_at: dt.datetime, notes: str, decisions: Any, blockers: Any
) -> dict[str, str]:
    return {
        "status": Occurrence.Status(status).label,
        "starts_at": f"{starts_at.astimezone(services.local_zone()):%Y-%m-%d %H:%M}",
        "notes": notes.strip(),
        "decisions": "\n".join(f"{d.key} {d.title}" for d in decisions),
        "blockers": "\n".join(f"{w.key} {w.name}" for w in blockers),
    }


def _record_conflict(request: HttpRequest, pk: int, form: Any, rows: Any) -> HttpResponse:
    """Someone recorded the occurrence since this form was filled: both versions side by side, and
    the form keeps what this user typed (commitment rows included), now based on the saved version."""
    current = (
        Occurrence.objects.prefetch_related("decisions_informed", "blockers_surfaced", "commitments__owner")
        .select_related("ritual")
        .get(pk=pk)
    )
    data = form.cleaned_data
    saved = _occurrence_in_words(
        current.status, current.starts_at, current.notes,
        current.decisions_informed.all(), current.blockers_surfaced.all(),
    )  # fmt: skip
    mine = _occurrence_in_words(
        data["status"], data["starts_at"], data["notes"], data["decisions"], data["blockers"]
    )
    latest = current.history.select_related("history_user").first()
    typed = request.POST.copy()
    typed["version"] = str(current.version)
    form = OccurrenceRecordForm(typed, occurrence=current)
    form.is_valid()
    return _record_page(
        request,
        current,
        form,
        rows,
        conflict=conflict_rows(OCCURRENCE_FIELDS, saved, mine),
        conflict_who=(latest.history_user.get_full_name() or latest.history_user.username)
        if latest and latest.history_user
        else "",
        conflict_when=latest.history_date if latest else None,
    )


def _typed(data: Any) -> dict[str, Any]:
    return {
        "version": data.get("version"),
        "status": data.get("status"),
        "starts_at": data.get("starts_at"),
        "notes": data.get("notes", ""),
        "decisions": data.getlist("decisions"),
        "blockers": data.getlist("blockers"),
    }


def _typed_rows(data: Any) -> list[dict[str, Any]]:
    try:
        total = min(int(data.get("commitments-TOTAL_FORMS", "0")), 19)
    except ValueError:
        total = 0
    names = ("description", "owner", "due_on", "promised_to")
    return [{name: data.get(f"commitments-{i}-{name}", "") for name in names} for i in range(total)]


def _record_page(
    request: HttpRequest, occurrence: Occurrence, form: Any, rows: Any, **conflict: Any
) -> HttpResponse:
    context = {
        **conflict,
        "occurrence": occurrence,
        "ritual": occurrence.ritual,
        "form": form,
        "rows": rows,
        "existing_commitments": list(occurrence.commitments.all()),
        "scheduled_local": occurrence.scheduled_for.astimezone(services.local_zone()),
    }
    return render_page(request, "rhythms/occurrence_record.html", context, partial="rhythms-record-form")


# The calendar feed --------------------------------------------------------------------------------


def _feed_url(request: HttpRequest, token: FeedToken) -> str:
    return request.build_absolute_uri(reverse("rhythms:feed", args=[token.token]))


@require_GET
@require(Perm.READ)
def feed_settings(request: HttpRequest) -> HttpResponse:
    return _feed_settings_page(request)


def _feed_settings_page(request: HttpRequest, *, regenerated: bool = False) -> HttpResponse:
    token = services.feed_token_for(request.user)
    url = _feed_url(request, token)
    person = Person.objects.filter(user=request.user).first()
    context = {
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "token": token,
        "person": person,
        "regenerated": REGENERATED if regenerated else "",
        "ritual_count": Ritual.objects.filter(is_active=True)
        .filter(Q(attendees=person) | Q(owner=person))
        .distinct()
        .count()
        if person
        else 0,
    }
    return render_page(request, "rhythms/feed_settings.html", context, partial="rhythms-feed-address")


@require_POST
@require(Perm.READ)
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.feed_token_regenerate(user=request.user)
    if is_fragment_request(request):
        return _feed_settings_page(request, regenerated=True)
    messages.success(request, REGENERATED)
    return redirect("rhythms:feed_settings")


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's calendar, reached through its secret address alone (no session)."""
    found = FeedToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404("No such feed")
    person = Person.objects.filter(user=found.user).first()
    body = ical.person_feed(person, now=timezone.now(), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="leadership-os.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
