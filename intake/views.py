"""Views of the intake: the inbox, a source's review, and each proposal's accept / edit / point / merge /
drop. Only the chief of staff reviews. Thin: parse with a form, call a service, choose the response."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake import services
from intake.extract import SourceError
from intake.forms import MeetingDateForm, MergeForm, ProposalForm, SourceForm
from intake.models import Proposal, Provenance, Source
from leadership_os.access import Perm, require
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit

REFUSED = "Only the chief of staff reviews intake: ask them to take these notes in."
REVIEW = "intake/source_review.html"


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(message) for messages_ in error.message_dict.values() for message in messages_]
    return [str(message) for message in error.messages]


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, REFUSED)
def inbox(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("upload")
        try:
            source = services.source_create(
                by=request.user,
                title=data.get("title") or "",
                text=None if upload else data["text"],
                upload=(upload.name, upload.read()) if upload else None,
                meeting_date=data.get("meeting_date"),
                occurrence=data.get("occurrence"),
                engagement=data.get("engagement"),
            )
        except SourceError as error:
            form.add_error(None, str(error))
        except services.DuplicateSource as duplicate:
            messages.info(request, f"These notes were already taken in as '{duplicate.source.title}'.")
            return redirect("intake:source_review", duplicate.source.pk)
        else:
            count = source.proposals.count()
            messages.success(
                request,
                f"{count} proposal{'s' if count != 1 else ''} found. Nothing is written until you accept.",
            )
            return redirect("intake:source_review", source.pk)
    sources = Source.objects.select_related("engagement", "occurrence__ritual").annotate(
        pending=Count("proposals", filter=Q(proposals__status=Proposal.Status.PENDING)),
        total=Count("proposals"),
    )[:50]
    return render_page(
        request, "intake/inbox.html", {"form": form, "sources": sources}, partial="intake-source-form"
    )


def _review_context(source: Source, **extra: Any) -> dict[str, Any]:
    proposals = list(source.proposals.select_related("owner").order_by("position", "id"))
    cited: dict[int, list[int]] = {}
    for proposal in proposals:
        if proposal.status == Proposal.Status.PENDING:
            for number in proposal.lines:
                cited.setdefault(number, []).append(proposal.pk)
    lines = [
        {"number": number, "text": text, "cited": number in cited}
        for number, text in enumerate(source.text.splitlines(), start=1)
    ]
    groups = []
    for kind, label in Proposal.Kind.choices:
        members = [p for p in proposals if p.kind == kind]
        if members:
            pending = [p for p in members if p.status == Proposal.Status.PENDING]
            groups.append(
                {
                    "kind": kind,
                    "label": label,
                    "proposals": members,
                    "pending": len(pending),
                    "ready": sum(1 for p in pending if services.ready(p) is None),
                }
            )
    return {
        "source": source,
        "lines": lines,
        "groups": groups,
        "date_form": MeetingDateForm(initial={"meeting_date": source.meeting_date}),
        "pending": sum(g["pending"] for g in groups),
        "provenance": list(source.provenance.order_by("id")),
        **extra,
    }


@require_GET
@require(Perm.EDIT_ALL, REFUSED)
def source_review(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(
        Source.objects.select_related("engagement", "occurrence__ritual", "context_entry"), pk=pk
    )
    return render_page(request, REVIEW, _review_context(source))


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def source_date(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    form = MeetingDateForm(request.POST)
    if form.is_valid():
        services.source_set_date(source=source, meeting_date=form.cleaned_data["meeting_date"])
        messages.success(request, "Meeting date saved; the due dates that depend on it follow.")
    else:
        messages.error(request, "Enter the meeting date as a date, e.g. 2026-12-03.")
    return redirect("intake:source_review", source.pk)


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def source_extract(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    created = services.source_extract(source=source)
    if created:
        messages.success(request, f"{created} new proposal{'s' if created != 1 else ''}.")
    else:
        messages.info(request, "Nothing new: every proposal in these notes is already here.")
    return redirect("intake:source_review", source.pk)


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def source_accept_kind(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    if kind not in Proposal.Kind.values:
        return redirect("intake:source_review", source.pk)
    label = dict(Proposal.Kind.choices)[kind].lower()
    try:
        accepted, left = services.proposals_accept_kind(source=source, kind=kind, by=request.user)
    except (ValidationError, StaleEdit) as error:
        text = "; ".join(_errors(error)) if isinstance(error, ValidationError) else str(error)
        messages.error(request, f"Nothing was accepted: {text}")
    else:
        note = f" {len(left)} left to review one by one." if left else ""
        messages.success(request, f"Accepted {len(accepted)}: {label}.{note}")
    return redirect("intake:source_review", source.pk)


# One proposal ------------------------------------------------------------------------------------------


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("source", "owner", "source__engagement"), pk=pk)


def _card(request: HttpRequest, proposal: Proposal, **extra: Any) -> HttpResponse:
    if is_fragment_request(request):
        response = render_page(
            request,
            REVIEW,
            {"proposal": proposal, "source": proposal.source, **extra},
            partial="intake-proposal",
        )
        # The counts above the cards change with each review: swapped out of band.
        context = _review_context(proposal.source, oob=True)
        group = next((g for g in context["groups"] if g["kind"] == proposal.kind), None)
        extra_html = render_to_string(f"{REVIEW}#intake-summary", context, request=request)
        if group is not None:
            extra_html += render_to_string(
                f"{REVIEW}#intake-group-head", {**context, "group": group}, request=request
            )
        response.content = response.content + extra_html.encode()
        return response
    for error in extra.get("errors", []):
        messages.error(request, f"Not accepted: {error}")
    return redirect(reverse("intake:source_review", args=[proposal.source_id]) + f"#proposal-{proposal.pk}")


@require_GET
@require(Perm.EDIT_ALL, REFUSED)
def proposal_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, _proposal(pk))


@require_http_methods(["GET", "POST"])
@require(Perm.EDIT_ALL, REFUSED)
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ProposalForm(instance=proposal)
    conflict = None
    if request.method == "POST":
        form = ProposalForm(request.POST, instance=proposal)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ProposalForm.Meta.fields}
            try:
                saved = services.proposal_update(
                    proposal=proposal,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    fields=fields,
                )
            except StaleEdit as stale:
                conflict = f"Someone changed this proposal since you opened it (now version {stale.current.version}); reload it."  # type: ignore[attr-defined]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _card(request, _proposal(saved.pk))
    context = {
        "proposal": proposal,
        "source": proposal.source,
        "form": form,
        "merge_form": MergeForm(proposal=proposal, initial={"version": proposal.version}),
        "conflict": conflict,
    }
    return render_page(request, "intake/proposal_edit.html", context, partial="intake-proposal-form")


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        result = services.proposal_accept(proposal=proposal, by=request.user, expected_version=version)
    except ValidationError as error:
        return _card(request, proposal, errors=_errors(error))
    except StaleEdit:
        return _card(
            request,
            _proposal(pk),
            errors=["Someone changed this proposal meanwhile; here it is as saved now."],
        )
    if not is_fragment_request(request):
        messages.success(request, f"Accepted: {result.record_key}.")
    return _card(request, _proposal(pk))


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def proposal_drop(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        services.proposal_drop(
            proposal=proposal, by=request.user, expected_version=int(request.POST.get("version") or -1)
        )
    except (ValidationError, StaleEdit) as error:
        text = (
            _errors(error)
            if isinstance(error, ValidationError)
            else ["Someone changed this proposal meanwhile."]
        )
        return _card(request, _proposal(pk), errors=text)
    return _card(request, _proposal(pk))


@require_POST
@require(Perm.EDIT_ALL, REFUSED)
def proposal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = MergeForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return _card(request, proposal, errors=["Choose a pending proposal of these notes to merge into."])
    try:
        services.proposal_merge(
            proposal=proposal,
            into=form.cleaned_data["into"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, StaleEdit) as error:
        text = (
            _errors(error)
            if isinstance(error, ValidationError)
            else ["Someone changed this proposal meanwhile."]
        )
        return _card(request, _proposal(pk), errors=text)
    return redirect(
        reverse("intake:source_review", args=[proposal.source_id])
        + f"#proposal-{form.cleaned_data['into'].pk}"
    )


@require_GET
@require(Perm.EDIT_ALL, REFUSED)
def record_provenance(request: HttpRequest, key: str) -> HttpResponse:
    links = list(
        Provenance.objects.filter(record_key__iexact=key).select_related("source", "proposal").order_by("id")
    )
    return render_page(request, "intake/provenance.html", {"key": key.upper(), "links": links})
