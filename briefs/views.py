"""The briefs' screens: the list of engagements, the brief page edited in place section by section,
its print view and Markdown export, and the after-the-meeting step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from briefs.forms import (
    BRIEF_SECTIONS,
    AttendeesForm,
    BriefSectionForm,
    CancelForm,
    CommitmentFormSet,
    DecisionFormSet,
    EngagementForm,
    OutcomeForm,
    PositionForm,
    RescheduleForm,
    rows_of,
)
from briefs.models import Brief, Engagement, StakeholderPosition
from briefs.queries import (
    BriefHistory,
    assemble_history,
    brief_of,
    commitment_status,
    decision_url,
    for_readiness,
    local_day,
    principals,
    readiness_of,
    stakeholder_rows,
    with_readiness,
)
from briefs.services import (
    CommitmentDraft,
    DecisionDraft,
    brief_update,
    engagement_create,
    engagement_record_outcome,
    engagement_set_attendees,
    engagement_update,
    position_save,
)
from briefs.services import engagement_cancel as cancel
from briefs.services import engagement_reinstate as reinstate
from briefs.services import engagement_reschedule as reschedule
from decisions.models import Stance
from leadership_os import memo
from leadership_os.access import Perm, forbidden, require
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit, conflict_rows
from leadership_os.models import Person, Tag
from leadership_os.people_picker import picker_for, quick_add, with_person_chosen
from workstreams.models import Commitment

DETAIL = "briefs/brief_detail.html"
EDIT_DENIED = "Only the chief of staff edits briefs. Ask them if something here needs changing."
LATER_SHOWN = 12
PAST_PER_PAGE = 15


def _engagements() -> QuerySet[Engagement]:
    return for_readiness(Engagement.objects.select_related("surface"))


def _get_engagement(pk: int) -> Engagement:
    return get_object_or_404(_engagements(), pk=pk)


# The list -----------------------------------------------------------------------------------------


@dataclass
class Bucket:
    key: str
    title: str
    when: str
    engagements: list[Engagement]
    more: int = 0


def _coming(today: dt.date) -> tuple[str, int]:
    """The coming engagements' buckets, drawn, and how many briefs of the coming week are not
    ready: reused until the org changes (or who the principals are: their own stance is not a
    stakeholder's), since a large org's week holds dozens of engagements."""
    who = tuple(principals().order_by("pk").values_list("pk", flat=True))
    return memo.per_revision(
        "briefs-coming", (today, who, str(timezone.get_current_timezone())), lambda: _draw_coming(today)
    )


def _draw_coming(today: dt.date) -> tuple[str, int]:
    zone = timezone.get_current_timezone()
    start_of = lambda day: dt.datetime.combine(day, dt.time.min, tzinfo=zone)  # noqa: E731
    tomorrow, week_end = today + dt.timedelta(days=1), today + dt.timedelta(days=7)

    upcoming = list(_engagements().filter(starts_at__gte=start_of(today), starts_at__lt=start_of(week_end)))
    later = _engagements().filter(starts_at__gte=start_of(week_end))
    later_shown = list(later[:LATER_SHOWN])
    engagements = with_readiness(upcoming + later_shown)

    def on(first: dt.date, last: dt.date) -> list[Engagement]:
        return [e for e in engagements if first <= local_day(e.starts_at) <= last]

    buckets = [
        Bucket("today", "Today", f"{today:%A %-d %B}", on(today, today)),
        Bucket("tomorrow", "Tomorrow", f"{tomorrow:%A %-d %B}", on(tomorrow, tomorrow)),
        Bucket(
            "week",
            "This week",
            f"{today + dt.timedelta(days=2):%a %-d} to {today + dt.timedelta(days=6):%a %-d %B}",
            on(today + dt.timedelta(days=2), today + dt.timedelta(days=6)),
        ),
        Bucket(
            "later",
            "Later",
            f"from {week_end:%a %-d %B}",
            on(week_end, dt.date.max),
            more=max(0, later.count() - LATER_SHOWN) if len(later_shown) == LATER_SHOWN else 0,
        ),
    ]
    not_ready = sum(1 for b in buckets[:3] for e in b.engagements if not e.readiness.ready)  # type: ignore[attr-defined]
    return render_to_string("briefs/_engagement_buckets.html", {"buckets": buckets}), not_ready


@require_GET
@require(Perm.READ)
def engagement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    buckets_html, not_ready = _coming(today)
    past = Paginator(
        Engagement.objects.filter(starts_at__lt=dt.datetime.combine(today, dt.time.min, tzinfo=zone))
        .select_related("surface")
        .order_by("-starts_at"),
        PAST_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "buckets_html": buckets_html,
        "past": past,
        "not_ready": not_ready,
        "today": today,
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
    }
    return render_page(request, "briefs/engagement_list.html", context, partial="engagement-past")


# The brief page -----------------------------------------------------------------------------------


@dataclass
class TextSection:
    name: str
    label: str
    help: str
    value: str
    partial: str
    empty: str = ""
    form: BriefSectionForm | None = None
    conflict: list[dict[str, Any]] | None = None
    conflict_who: str = ""
    conflict_when: Any = None

    @property
    def field(self) -> Any:
        return self.form[self.name] if self.form is not None else None

    @property
    def notes(self) -> str:
        """The curated notes, the one section written in Markdown."""
        return self.value if self.name == "notes" else ""


def _position_people(engagement: Engagement) -> QuerySet[Person]:
    """Whose position can be recorded for an engagement: its attendees but the principal, and anyone
    already heard for it."""
    attending = Engagement.attendees.through.objects.filter(engagement=engagement).values("person_id")
    heard = StakeholderPosition.objects.filter(engagement=engagement).values("person_id")
    return (
        Person.objects.filter(Q(pk__in=attending) | Q(pk__in=heard))
        .exclude(pk__in=principals().values("pk"))
        .order_by("name")
    )


def _last_editor(record: Any) -> tuple[str, Any]:
    last = record.history.select_related("history_user").first()
    if last is None or last.history_user is None:
        return "", None
    user = last.history_user
    return user.get_full_name() or user.username, last.history_date


def _section_partial(name: str) -> str:
    """The page region of a text section: `brief-one-thing` for `one_thing`."""
    return f"brief-{name.replace('_', '-')}"


def _text_section(name: str, brief: Brief | None) -> TextSection:
    label, help_text, empty = BRIEF_SECTIONS[name]
    return TextSection(
        name=name,
        label=label,
        help=help_text,
        empty=empty,
        value=getattr(brief, name) if brief else "",
        partial=_section_partial(name),
    )


def _detail_context(request: HttpRequest, engagement: Engagement, **extra: Any) -> dict[str, Any]:
    brief = brief_of(engagement)
    attendees = list(engagement.attendees.all())
    stakeholders = stakeholder_rows(engagement, attendees)
    history = assemble_history(engagement)
    readiness = readiness_of(
        brief=brief,
        unknown_stance=sorted(r.person.name for r in stakeholders if r.unknown),
        has_history=not history.empty,
    )
    can_edit = request.user.has_perm(Perm.EDIT_ALL)
    sections = {name: _text_section(name, brief) for name in BRIEF_SECTIONS}
    editing = extra.pop("editing_section", None)
    if editing is not None:
        sections[editing.name] = editing
    started = local_day(engagement.starts_at) <= timezone.localdate()
    context: dict[str, Any] = {
        "engagement": engagement,
        "brief": brief,
        "brief_version": brief.version if brief else 0,
        "attendees": attendees,
        "stakeholders": stakeholders,
        "history": history,
        "readiness": readiness,
        "sections": sections,
        "can_edit": can_edit,
        "started": started,
        "outcome_commitments": _outcome_commitments(engagement),
        "outcome_decisions": [
            {"decision": d, "url": decision_url(d.key)} for d in engagement.decisions.order_by("number")
        ],
    }
    if can_edit and "position_form" not in extra:
        context["position_form"] = PositionForm(people=_position_people(engagement))
    context.update(extra)
    return context


def _outcome_commitments(engagement: Engagement) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {"commitment": c, "status": commitment_status(c, today)}
        for c in Commitment.objects.filter(engagement=engagement).select_related("owner", "promised_to")
    ]


def _with_readiness(
    request: HttpRequest, response_html: str, context: dict[str, Any], *also: str
) -> HttpResponse:
    """A region's HTML, followed by out-of-band swaps of the readiness and any other region that the
    change affects."""
    parts = [response_html]
    for partial in ("brief-readiness", *also):
        parts.append(render_to_string(f"{DETAIL}#{partial}", {**context, "oob": True}, request=request))
    return HttpResponse("".join(parts))


def _section_only(request: HttpRequest, engagement: Engagement, section: TextSection) -> HttpResponse:
    """One text section of the brief, for htmx: what it shows needs none of the rest of the page."""
    context = {
        "engagement": engagement,
        "can_edit": request.user.has_perm(Perm.EDIT_ALL),
        "sections": {section.name: section},
    }
    return render_page(request, DETAIL, context, partial=section.partial)


@require_GET
@require(Perm.READ)
def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    # An htmx request for one region (cancelling an edit) gets only that region.
    region = request.GET.get("region", "")
    texts = {_section_partial(name): name for name in BRIEF_SECTIONS}
    if region in texts and is_fragment_request(request):
        return _section_only(request, engagement, _text_section(texts[region], brief_of(engagement)))
    context = _detail_context(request, engagement)
    regions = {*texts, "brief-attendees", "brief-positions"}
    return render_page(request, DETAIL, context, partial=region if region in regions else None)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def brief_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in BRIEF_SECTIONS:
        return HttpResponse(status=404)
    engagement = _get_engagement(pk)
    brief = brief_of(engagement)
    editing = _text_section(section, brief)
    if request.method == "GET":
        editing.form = BriefSectionForm(
            section=section, initial={section: editing.value, "version": brief.version if brief else 0}
        )
    else:
        form = BriefSectionForm(request.POST, section=section)
        editing.form = form
        if form.is_valid():
            try:
                brief_update(
                    engagement=engagement,
                    field=section,
                    value=form.cleaned_data[section].strip(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                current: Brief = stale.current  # type: ignore[assignment]
                editing.value = getattr(current, section)
                editing.conflict = conflict_rows([(section, editing.label)], current, form.cleaned_data)
                editing.conflict_who, editing.conflict_when = _last_editor(current)
                # Saving again keeps the editor's text, now knowingly over the saved version.
                editing.form = BriefSectionForm(
                    section=section, initial={section: form.cleaned_data[section], "version": current.version}
                )
            else:
                anchor = reverse("briefs:brief_detail", args=[pk]) + f"#{editing.partial}"
                if not is_fragment_request(request):
                    return redirect(anchor)
                engagement = _get_engagement(pk)
                context = _detail_context(request, engagement)
                html = render_to_string(f"{DETAIL}#{editing.partial}", context, request=request)
                return _with_readiness(request, html, context)
    if is_fragment_request(request):
        return _section_only(request, engagement, editing)
    context = _detail_context(request, engagement, editing_section=editing)
    return render_page(request, DETAIL, context)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def attendees_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    extra: dict[str, Any] = {}
    if request.method == "GET":
        form = AttendeesForm(initial={"attendees": engagement.attendees.all(), "version": engagement.version})
    else:
        form = AttendeesForm(request.POST)
        if form.is_valid():
            try:
                engagement_set_attendees(
                    engagement=engagement,
                    attendees=form.cleaned_data["attendees"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                current: Engagement = stale.current  # type: ignore[assignment]
                saved = ", ".join(p.name for p in current.attendees.order_by("name"))
                mine = ", ".join(p.name for p in form.cleaned_data["attendees"].order_by("name"))
                extra["attendees_conflict"] = [
                    {"label": "Attendees", "saved": saved, "mine": mine, "differs": saved != mine}
                ]
                extra["conflict_who"], extra["conflict_when"] = _last_editor(current)
                form = AttendeesForm(
                    initial={"attendees": form.cleaned_data["attendees"], "version": current.version}
                )
            else:
                if not is_fragment_request(request):
                    return redirect(reverse("briefs:brief_detail", args=[pk]) + "#brief-attendees")
                engagement = _get_engagement(pk)
                context = _detail_context(request, engagement)
                html = render_to_string(f"{DETAIL}#brief-attendees", context, request=request)
                return _with_readiness(request, html, context, "brief-positions", "brief-history")
    context = _detail_context(request, engagement, attendees_form=form, **extra)
    return render_page(request, DETAIL, context, partial="brief-attendees")


def _position_saved(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    if not is_fragment_request(request):
        return redirect(reverse("briefs:brief_detail", args=[engagement.pk]) + "#brief-positions")
    context = _detail_context(request, engagement)
    html = render_to_string(f"{DETAIL}#brief-positions", context, request=request)
    return _with_readiness(request, html, context)


@require_http_methods(["POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    form = PositionForm(request.POST, people=_position_people(engagement))
    if form.is_valid():
        data = form.cleaned_data
        position_save(
            engagement=engagement,
            person=data["person"],
            position=data["position"],
            stance=data["stance"],
            source=data["source"],
            recorded_on=data["recorded_on"],
        )
        return _position_saved(request, engagement)
    context = _detail_context(request, engagement, position_form=form, adding_position=True)
    return render_page(request, DETAIL, context, partial="brief-positions")


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def position_edit(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    position = get_object_or_404(StakeholderPosition, pk=position_pk, engagement=engagement)
    people = _position_people(engagement)
    extra: dict[str, Any] = {}
    if request.method == "GET":
        form = PositionForm(instance=position, people=people)
    else:
        form = PositionForm(request.POST, instance=position, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                position_save(
                    engagement=engagement,
                    person=data["person"],
                    position=data["position"],
                    stance=data["stance"],
                    source=data["source"],
                    recorded_on=data["recorded_on"],
                    existing=form.instance,
                    expected_version=data["version"] or 0,
                )
            except StaleEdit as stale:
                current: StakeholderPosition = stale.current  # type: ignore[assignment]
                fields = [
                    ("stance", "Stance"),
                    ("position", "Position"),
                    ("source", "Source"),
                    ("recorded_on", "Recorded on"),
                ]
                mine = {**data, "stance": Stance(data["stance"]).label}
                extra["position_conflict"] = conflict_rows(fields, current, mine)
                extra["conflict_who"], extra["conflict_when"] = _last_editor(current)
                form = PositionForm(
                    instance=current,
                    people=people,
                    initial={**{f: data[f] for f, _ in fields}, "person": data["person"]},
                )
                form.fields["version"].initial = current.version
            else:
                return _position_saved(request, engagement)
    context = _detail_context(
        request, engagement, editing_position=position.pk, edit_position_form=form, **extra
    )
    return render_page(request, DETAIL, context, partial="brief-positions")


# Print and export ---------------------------------------------------------------------------------

PRINT_DECISIONS = 4
PRINT_WORKSTREAMS = 3
PRINT_SIGNALS = 3


def _print_context(request: HttpRequest, engagement: Engagement) -> dict[str, Any]:
    context = _detail_context(request, engagement)
    history: BriefHistory = context["history"]
    context.update(
        print_decisions=history.decisions[:PRINT_DECISIONS],
        print_workstreams=history.workstreams[:PRINT_WORKSTREAMS],
        print_signals=history.signals[:PRINT_SIGNALS],
        printed_at=timezone.localtime(),
    )
    return context


@require_GET
@require(Perm.READ)
def brief_print(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    return render_page(request, "briefs/brief_print.html", _print_context(request, engagement))


@require_GET
@require(Perm.READ)
def brief_export(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    text = render_to_string("briefs/brief_export.md", _print_context(request, engagement), request=request)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = slugify(f"{engagement.key} {engagement.title}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response


# After the meeting --------------------------------------------------------------------------------


def _drafts(commitments: Any, decisions: Any) -> tuple[list[CommitmentDraft], list[DecisionDraft]]:
    return (
        [
            CommitmentDraft(
                description=f.cleaned_data["description"],
                due_on=f.cleaned_data["due_on"],
                owner=f.cleaned_data.get("owner"),
                promised_to=f.cleaned_data.get("promised_to"),
            )
            for f in commitments.forms
            if f.has_changed() and f.cleaned_data
        ],
        [
            DecisionDraft(title=f.cleaned_data["title"], question=f.cleaned_data["question"])
            for f in decisions.forms
            if f.has_changed() and f.cleaned_data
        ],
    )


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, "Only the chief of staff records what came out of an engagement.")
def engagement_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _get_engagement(pk)
    started = local_day(engagement.starts_at) <= timezone.localdate()
    extra: dict[str, Any] = {}
    if request.method == "GET":
        form = OutcomeForm(initial={"outcome": engagement.outcome, "version": engagement.version})
        commitments = CommitmentFormSet(prefix="commitments")
        decisions = DecisionFormSet(prefix="decisions")
    else:
        form = OutcomeForm(request.POST)
        commitments = CommitmentFormSet(request.POST, prefix="commitments")
        decisions = DecisionFormSet(request.POST, prefix="decisions")
        add = request.POST.get("add")
        if add in ("commitment", "decision"):
            # Another row, keeping what was typed; nothing is validated or saved yet.
            c_rows, d_rows = rows_of(commitments), rows_of(decisions)
            form = OutcomeForm(
                initial={"outcome": request.POST.get("outcome", ""), "version": request.POST.get("version")}
            )
            commitments = CommitmentFormSet(prefix="commitments", initial=c_rows)
            commitments.extra = len(c_rows) + (1 if add == "commitment" or not c_rows else 0)
            decisions = DecisionFormSet(prefix="decisions", initial=d_rows)
            decisions.extra = len(d_rows) + (1 if add == "decision" or not d_rows else 0)
        elif form.is_valid() & commitments.is_valid() & decisions.is_valid():
            c_drafts, d_drafts = _drafts(commitments, decisions)
            try:
                result = engagement_record_outcome(
                    engagement=engagement,
                    outcome=form.cleaned_data["outcome"],
                    commitments=c_drafts,
                    decisions=d_drafts,
                    by=request.user,  # type: ignore[arg-type]
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                extra["problems"] = error.messages
            except StaleEdit as stale:
                current: Engagement = stale.current  # type: ignore[assignment]
                extra["conflict"] = conflict_rows([("outcome", "Outcome")], current, form.cleaned_data)
                extra["conflict_who"], extra["conflict_when"] = _last_editor(current)
                form = OutcomeForm(
                    initial={"outcome": form.cleaned_data["outcome"], "version": current.version}
                )
            else:
                made = len(result.commitments), len(result.decisions)
                messages.success(
                    request,
                    f"Outcome recorded, with {made[0]} commitment{'s' if made[0] != 1 else ''} "
                    f"and {made[1]} draft decision{'s' if made[1] != 1 else ''}.",
                )
                target = reverse("briefs:brief_detail", args=[pk]) + "#outcome"
                if is_fragment_request(request):
                    return HttpResponseClientRedirect(target)
                return redirect(target)
    context = {
        "engagement": engagement,
        "form": form,
        "commitments": commitments,
        "decisions": decisions,
        "started": started,
        **extra,
    }
    return render_page(request, "briefs/engagement_outcome.html", context, partial="outcome-form")


# Putting an engagement on the calendar, changing, moving and cancelling it ------------------------

FORM = "briefs/engagement_form.html"
FORM_FIELDS = ("title", "kind", "starts_at", "duration_minutes", "location", "counterpart", "surface")


def _tags(names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing.get(name) or Tag.objects.create(name=name) for name in names]


def _to(request: HttpRequest, url: str) -> HttpResponse:
    if is_fragment_request(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _engagement_form_page(
    request: HttpRequest,
    form: EngagementForm,
    *,
    engagement: Engagement | None = None,
    quick: Any = None,
    added: str = "",
    conflict: Any = None,
    occurrence: Any = None,
) -> HttpResponse:
    context = {
        "form": form,
        "engagement": engagement,
        "creating": engagement is None,
        "attendee_picker": picker_for(form["attendees"], scope="all", quick=quick, added=added),
        "conflict": conflict,
        "occurrence": occurrence,
    }
    return render_page(request, FORM, context)


def _unbound(data: Any, *, engagement: Engagement | None) -> EngagementForm:
    initial = {name: data.get(name, "") for name in EngagementForm.base_fields}
    initial["attendees"] = data.getlist("attendees")
    return EngagementForm(initial=initial, current_surface=engagement.surface if engagement else None)


def _add_attendee_first(request: HttpRequest, *, engagement: Engagement | None) -> HttpResponse | None:
    """Without JavaScript, "add someone new" submits the whole form: add them, show it again."""
    if request.POST.get("add_person") != "attendees":
        return None
    quick, person = quick_add(request, by=request.user, auto_id="id_attendees-new-%s")
    data = with_person_chosen(request.POST, "attendees", person, multi=True) if person else request.POST
    return _engagement_form_page(
        request,
        _unbound(data, engagement=engagement),
        engagement=engagement,
        quick=quick,
        added=person.name if person else "",
    )


def _from_occurrence(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    """A new engagement's starting values taken from a ritual's occurrence (a recurring external
    meeting): its name, time, length, surface and attendees."""
    from rhythms.models import Occurrence

    pk = request.GET.get("occurrence", "")
    occurrence = (
        Occurrence.objects.select_related("ritual__surface").filter(pk=int(pk)).first()
        if pk.isdigit()
        else None
    )
    if occurrence is None:
        return {}, None
    ritual = occurrence.ritual
    return {
        "title": ritual.name,
        "starts_at": timezone.localtime(occurrence.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": ritual.duration_minutes,
        "surface": ritual.surface.key if ritual.surface else "",
        "attendees": list(ritual.attendees.values_list("key", flat=True)),
        "location": "",
    }, occurrence


def _past_warning(request: HttpRequest, engagement: Engagement) -> None:
    if engagement.starts_at < timezone.now():
        messages.warning(
            request,
            f"{engagement.key} starts in the past ({timezone.localtime(engagement.starts_at):%-d %B %H:%M}): "
            "it is kept as a meeting that already happened. Record its outcome when you have it.",
        )


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def engagement_new(request: HttpRequest) -> HttpResponse:
    """Put an engagement on the calendar: its brief exists at once and shows what is missing."""
    if request.method == "GET":
        initial, occurrence = _from_occurrence(request)
        initial.setdefault("duration_minutes", 60)
        return _engagement_form_page(request, EngagementForm(initial=initial), occurrence=occurrence)
    early = _add_attendee_first(request, engagement=None)
    if early is not None:
        return early
    form = EngagementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            engagement = engagement_create(
                by=request.user,
                attendees=data["attendees"],
                decisions=data["decisions"],
                tags=_tags(data["tags"]),
                **{name: data[name] for name in FORM_FIELDS},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"{engagement.key} “{engagement.title}” is on the calendar; its brief is below."
            )
            _past_warning(request, engagement)
            return _to(request, reverse("briefs:brief_detail", args=[engagement.pk]))
    return _engagement_form_page(request, form)


def _apply_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, texts in error.message_dict.items():
        for message in texts:
            form.add_error(name if name in form.fields else None, message)


ENGAGEMENT_CONFLICT = [
    ("title", "Title"),
    ("kind", "Kind"),
    ("starts_at", "Starts"),
    ("duration_minutes", "Minutes"),
    ("location", "Where"),
    ("counterpart", "Counterpart"),
    ("surface", "Surface"),
]


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of an engagement at once; a conflicting save shows both versions."""
    engagement = get_object_or_404(Engagement.objects.select_related("surface"), pk=pk)
    if request.method == "GET":
        initial = {name: getattr(engagement, name) for name in FORM_FIELDS}
        initial["starts_at"] = timezone.localtime(engagement.starts_at).strftime("%Y-%m-%dT%H:%M")
        initial["surface"] = engagement.surface.key if engagement.surface else ""
        initial["attendees"] = list(engagement.attendees.values_list("key", flat=True))
        initial["decisions"] = ", ".join(
            engagement.decisions.order_by("number").values_list("key", flat=True)
        )
        initial["tags"] = ", ".join(engagement.tags.values_list("name", flat=True))
        initial["version"] = engagement.version
        form = EngagementForm(initial=initial, current_surface=engagement.surface)
        return _engagement_form_page(request, form, engagement=engagement)
    early = _add_attendee_first(request, engagement=engagement)
    if early is not None:
        return early
    form = EngagementForm(request.POST, current_surface=engagement.surface)
    if form.is_valid():
        data = form.cleaned_data
        try:
            engagement_update(
                engagement=engagement,
                by=request.user,
                expected_version=data["version"] or 0,
                attendees=data["attendees"],
                decisions=data["decisions"],
                tags=_tags(data["tags"]),
                **{name: data[name] for name in FORM_FIELDS},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleEdit as stale:
            fresh = request.POST.copy()
            fresh["version"] = str(stale.current.version)
            mine = {name: data[name] for name in FORM_FIELDS}
            mine["kind"] = Engagement.Kind(mine["kind"]).label
            rows = conflict_rows(ENGAGEMENT_CONFLICT, stale.current, mine)
            form = EngagementForm(fresh, current_surface=engagement.surface)
            form.is_valid()
            return _engagement_form_page(request, form, engagement=engagement, conflict=rows)
        else:
            messages.success(request, f"{engagement.key} saved.")
            return _to(request, reverse("briefs:brief_detail", args=[engagement.pk]))
    return _engagement_form_page(request, form, engagement=engagement)


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def engagement_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an engagement to another day or time; its history keeps when it was and why."""
    engagement = get_object_or_404(Engagement, pk=pk)
    if request.method == "GET":
        form = RescheduleForm(
            initial={
                "starts_at": timezone.localtime(engagement.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": engagement.duration_minutes,
                "version": engagement.version,
            }
        )
    else:
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                reschedule(
                    engagement=engagement,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    starts_at=form.cleaned_data["starts_at"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except StaleEdit:
                form.add_error(
                    None, f"{engagement.key} was changed by someone else meanwhile; look at it again first."
                )
            else:
                messages.success(
                    request,
                    f"{engagement.key} moved to {timezone.localtime(engagement.starts_at):%A %-d %B, %H:%M}.",
                )
                _past_warning(request, engagement)
                return _to(request, reverse("briefs:brief_detail", args=[engagement.pk]))
    return render_page(
        request,
        "briefs/engagement_change.html",
        {"engagement": engagement, "form": form, "action": "reschedule"},
    )


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, EDIT_DENIED)
def engagement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an engagement: it is kept, marked cancelled, out of readiness and the radar."""
    engagement = get_object_or_404(Engagement, pk=pk)
    if request.method == "GET":
        form = CancelForm(initial={"version": engagement.version})
    else:
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                cancel(
                    engagement=engagement,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except StaleEdit:
                form.add_error(
                    None, f"{engagement.key} was changed by someone else meanwhile; look at it again first."
                )
            else:
                messages.success(
                    request,
                    f"{engagement.key} is cancelled. It stays in the list, marked cancelled, and is off the radar.",
                )
                return _to(request, reverse("briefs:brief_detail", args=[engagement.pk]))
    return render_page(
        request, "briefs/engagement_change.html", {"engagement": engagement, "form": form, "action": "cancel"}
    )


@require_POST
@require(Perm.EDIT_ALL, EDIT_DENIED)
def engagement_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement, pk=pk)
    version = request.POST.get("version", "")
    if not version.isdigit():
        return forbidden(
            request, "This form is missing its version; reload the page and try again.", status=400
        )
    try:
        reinstate(engagement=engagement, by=request.user, expected_version=int(version))
    except StaleEdit:
        messages.error(
            request, f"{engagement.key} was changed by someone else meanwhile; look at it again first."
        )
    else:
        messages.success(request, f"{engagement.key} is back on the calendar.")
    return _to(request, reverse("briefs:brief_detail", args=[engagement.pk]))
