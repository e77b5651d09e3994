"""Outbound's pages: your mail preferences and decision feed, the one-click pages reached from mail
(an action in a nudge, an unsubscribe), the Atom feed, and the staff's log of what was sent."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadership_os.access import Perm, forbidden, require
from leadership_os.htmx import is_fragment_request, render_page
from leadership_os.locking import StaleEdit
from leadership_os.models import Person, Surface
from outbound import feed as atom
from outbound import services
from outbound.forms import PreferenceForm
from outbound.links import Refusal, action_link_from, unsubscribe_from
from outbound.models import TOPIC_IN_MAIL, ActionLink, Delivery
from outbound.recipients import address_of, allowed_topics

REGENERATED = "You have a new feed address. The old ones no longer work; subscribe again with these."
SAVED = "Your mail preferences are saved."
PAGE_SIZE = 50


# Preferences and the feed address -----------------------------------------------------------------


def _preferences_context(
    request: HttpRequest, form: PreferenceForm | None = None, *, regenerated: bool = False
) -> dict[str, Any]:
    user = request.user
    roles = set(user.groups.values_list("name", flat=True))
    topics = allowed_topics(roles)
    preference = services.preference_for(user)
    if form is None:
        form = PreferenceForm(initial=PreferenceForm.initial_from(preference), topics=topics)
    person = Person.objects.filter(user=user).first()
    token = services.feed_token_for(user)
    feed_url = request.build_absolute_uri(reverse("outbound:decision_feed", args=[token.token]))
    context = {
        "form": form,
        "address": address_of(person, user),
        "person": person,
        "token": token,
        "feed_url": feed_url,
        "surface_feeds": [
            {"surface": surface, "url": f"{feed_url}?surface={surface.key}"}
            for surface in Surface.objects.order_by("name")
        ],
        "regenerated": REGENERATED if regenerated else "",
    }
    return context


def _preferences_page(request: HttpRequest, form: PreferenceForm | None = None) -> HttpResponse:
    context = _preferences_context(request, form)
    return render_page(request, "outbound/preferences.html", context, partial="outbound-preferences-form")


@require_http_methods(["GET", "POST"])
@require(Perm.READ)
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _preferences_page(request)
    topics = allowed_topics(set(request.user.groups.values_list("name", flat=True)))
    form = PreferenceForm(request.POST, topics=topics)
    if not form.is_valid():
        return _preferences_page(request, form)
    try:
        services.preference_save(user=request.user, **form.choices())
    except ValidationError as error:
        form.add_error(None, error)
        return _preferences_page(request, form)
    if is_fragment_request(request):
        context = _preferences_context(request)
        context["saved"] = SAVED
        return render(request, "outbound/preferences.html#outbound-preferences-form", context)
    messages.success(request, SAVED)
    return redirect("outbound:preferences")


@require_POST
@require(Perm.READ)
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.feed_token_regenerate(user=request.user)
    if is_fragment_request(request):
        context = _preferences_context(request, regenerated=True)
        return render(request, "outbound/preferences.html#outbound-feed-address", context)
    messages.success(request, REGENERATED)
    return redirect(reverse("outbound:preferences") + "#feed")


@login_not_required
@require_GET
def decision_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The decision log as Atom, reached through its secret address alone (no session)."""
    from outbound.models import DecisionFeedToken

    found = DecisionFeedToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active or not found.user.has_perm(Perm.READ):
        raise Http404("No such feed")
    surface = None
    if request.GET.get("surface"):
        surface = Surface.objects.filter(key=request.GET["surface"]).first()
        if surface is None:
            raise Http404("No such surface")
    body = atom.decision_feed(
        base_url=request.build_absolute_uri("/").rstrip("/"),
        self_url=request.build_absolute_uri(),
        surface=surface,
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


# One-click pages reached from mail ----------------------------------------------------------------


def _refused(request: HttpRequest, refusal: Refusal, status: int = 400) -> HttpResponse:
    return render(request, "outbound/link_refused.html", {"message": refusal.value}, status=status)


def _record_of(link: ActionLink) -> Any:
    from workstreams.models import Commitment, Workstream

    if link.action == ActionLink.Action.COMMITMENT_DONE:
        return Commitment.objects.select_related("workstream", "owner").filter(key=link.subject_key).first()
    return Workstream.objects.select_related("owner", "surface").filter(key=link.subject_key).first()


def _allowed(link: ActionLink, record: Any) -> bool:
    """The link's person may still do this: their current role, and the record is still theirs."""
    from workstreams.models import Commitment
    from workstreams.permissions import can_close, can_post_on

    user = link.user
    if isinstance(record, Commitment):
        return can_close(user, record) and record.owner is not None and record.owner.user_id == user.pk
    return can_post_on(user, record) and record.owner is not None and record.owner.user_id == user.pk


@login_not_required
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, value: str) -> HttpResponse:
    """A nudge's one-click link: a small form (GET changes nothing, so a mail scanner opening the link
    does no harm); posting it acts as the person the nudge went to, once."""
    from workstreams.forms import StatusUpdateForm, VersionForm
    from workstreams.models import Commitment

    found = action_link_from(value)
    if isinstance(found, Refusal):
        return _refused(request, found, status=410 if found in (Refusal.EXPIRED, Refusal.USED) else 400)
    link = found
    if request.user.is_authenticated and request.user.pk != link.user_id:
        return _refused(request, Refusal.OTHER_USER, status=403)
    record = _record_of(link)
    if record is None:
        return _refused(request, Refusal.GONE, status=410)
    if not _allowed(link, record):
        return _refused(request, Refusal.NOT_ALLOWED, status=403)
    is_commitment = isinstance(record, Commitment)
    person = Person.objects.filter(user=link.user).first()
    form: Any
    if request.method == "GET":
        if is_commitment:
            form = VersionForm(initial={"version": record.version})
        else:
            form = StatusUpdateForm(initial={"version": record.version, "state": record.state})
    else:
        form = VersionForm(request.POST) if is_commitment else StatusUpdateForm(request.POST)
        if form.is_valid():
            try:
                if is_commitment:
                    if record.done_on is not None:
                        return _done_page(request, link, record, already=True)
                    services.action_commitment_done(
                        link=link, commitment=record, expected_version=form.cleaned_data["version"]
                    )
                else:
                    services.action_workstream_update(
                        link=link,
                        workstream=record,
                        author=person,
                        state=form.cleaned_data["state"],
                        note=form.cleaned_data["note"],
                        blocker=form.cleaned_data.get("blocker") or "",
                        expected_version=form.cleaned_data["version"],
                    )
            except services.LinkUsed:
                return _refused(request, Refusal.USED, status=410)
            except StaleEdit:
                form.add_error(
                    None,
                    "Someone changed this since the reminder was sent. Look at it again below, then send.",
                )
                record = _record_of(link)
                form.data = form.data.copy()
                form.data["version"] = record.version
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return _done_page(request, link, record)
    context = {
        "link": link,
        "person": person,
        "record": record,
        "is_commitment": is_commitment,
        "form": form,
        "value": value,
    }
    return render(request, "outbound/act.html", context)


def _done_page(request: HttpRequest, link: ActionLink, record: Any, *, already: bool = False) -> HttpResponse:
    from workstreams.models import Commitment

    is_commitment = isinstance(record, Commitment)
    if is_commitment:
        what = (
            f"{record.key} was already marked done."
            if already
            else f"{record.key} is marked done. Thank you."
        )
        path = (
            reverse("workstreams:workstream_detail", args=[record.workstream.key]) + f"#{record.key}"
            if record.workstream
            else reverse("workstreams:commitment_list")
        )
    else:
        what = f"Your update on {record.key} is posted. Thank you."
        path = reverse("workstreams:workstream_detail", args=[record.key])
    return render(request, "outbound/act_done.html", {"message": what, "record_path": path})


@login_not_required
@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" itself, with no form of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, value: str) -> HttpResponse:
    """One click out of one kind of mail, without signing in. GET asks; POST does it."""
    found = unsubscribe_from(value)
    if found is None:
        return render(
            request,
            "outbound/link_refused.html",
            {"message": "This unsubscribe link is not one Leadership OS made; nothing was changed."},
            status=400,
        )
    user, topic = found
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, topic=topic)
        done = True
    context = {"topic": TOPIC_IN_MAIL[topic], "done": done, "value": value, "address_user": user}
    return render(request, "outbound/unsubscribe.html", context)


# The staff's log of what was sent -----------------------------------------------------------------


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            return forbidden(request, "Only staff see the log of sent mail.")
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@staff_only
def sent_list(request: HttpRequest) -> HttpResponse:
    deliveries = Delivery.objects.select_related("user").defer("text_body", "html_body", "state")
    status = request.GET.get("status", "")
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    page = Paginator(deliveries.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    problems = counts.get(Delivery.Status.FAILED, 0) + counts.get(Delivery.Status.RETRYING, 0)
    context = {
        "page_obj": page,
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Delivery.Status.choices],
        "problems": problems,
    }
    return render_page(request, "outbound/sent_list.html", context, partial="outbound-sent-results")


@require_GET
@staff_only
def sent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("user"), pk=pk)
    return render(request, "outbound/sent_detail.html", {"delivery": delivery})


@require_GET
@staff_only
@csp_override(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "frame-ancestors": ["'self'"],
    }
)
def sent_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML part as the recipient's mail client shows it (its styles are inline, as in mail)."""
    delivery = get_object_or_404(Delivery, pk=pk)
    response = HttpResponse(delivery.html_body or "<p>Not composed yet.</p>")
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_POST
@staff_only
def sent_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    if services.delivery_retry(delivery=delivery):
        messages.success(
            request, f"Sending it again to {delivery.to}; the worker picks it up within a minute."
        )
    else:
        messages.info(request, "It is not failed, so it was left as it is.")
    return redirect("outbound:sent_detail", pk=delivery.pk)
