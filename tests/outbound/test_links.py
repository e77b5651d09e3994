"""The one-click links: a nudge's link opens a small form (nothing changes on GET), posting it acts
once as its owner; an expired, reused, tampered or someone else's link is refused with a clear page
and changes nothing. Unsubscribing takes one click and no login."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from leadership_os.access import Role
from outbound.models import ActionLink, Delivery, Preference
from outbound.scheduler import tick
from outbound.services import delivery_send
from tests.factories import UserFactory
from tests.outbound.conftest import at, mailable, prefer, today
from tests.workstreams.factories import CommitmentFactory, StatusUpdateFactory, WorkstreamFactory
from workstreams.models import Commitment, StatusUpdate

pytestmark = pytest.mark.django_db


def nudge_link(user, kind: str) -> str:
    tick(at(today(), 8))
    for pk in Delivery.objects.filter(kind=kind).values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    body = next(
        m.body for m in mail.outbox if m.to == [f"{user.username}@example.com"] and "/outbound/act/" in m.body
    )
    url = re.search(r"(http\S+/outbound/act/\S+/)", body).group(1)
    return urlsplit(url).path


@pytest.fixture
def due_commitment(contributor) -> Commitment:
    mailable(contributor)
    prefer(contributor, digest=False)
    return CommitmentFactory(
        owner=contributor.person, due_on=today() + dt.timedelta(days=1), description="Send the memo"
    )


def test_the_commitment_link_opens_a_form_and_changes_nothing_until_posted(
    due_commitment, contributor
) -> None:
    path = nudge_link(contributor, "commitment-due")
    page = Client().get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert f"Mark {due_commitment.key} done" in content and "Send the memo" in content
    due_commitment.refresh_from_db()
    assert due_commitment.done_on is None
    assert ActionLink.objects.get().used_at is None


def test_posting_the_link_marks_it_done_as_its_owner_with_history(due_commitment, contributor) -> None:
    path = nudge_link(contributor, "commitment-due")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    done = client.post(path, {"csrfmiddlewaretoken": token, "version": due_commitment.version})
    assert done.status_code == 200 and "is marked done" in done.content.decode()
    due_commitment.refresh_from_db()
    assert due_commitment.done_on == timezone.localdate()
    assert due_commitment.history.first().history_user == contributor
    assert ActionLink.objects.get().used_at is not None


def test_a_reused_link_is_refused_and_changes_nothing(due_commitment, contributor) -> None:
    path = nudge_link(contributor, "commitment-due")
    Client().post(path, {"version": due_commitment.version})
    due_commitment.refresh_from_db()
    version = due_commitment.version
    again = Client().post(path, {"version": version})
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert Client().get(path).status_code == 410
    due_commitment.refresh_from_db()
    assert due_commitment.version == version


def test_an_expired_link_is_refused(due_commitment, contributor) -> None:
    path = nudge_link(contributor, "commitment-due")
    ActionLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    answer = Client().post(path, {"version": due_commitment.version})
    assert answer.status_code == 410 and "expired" in answer.content.decode()
    due_commitment.refresh_from_db()
    assert due_commitment.done_on is None


def test_a_link_older_than_seven_days_is_refused_by_its_signature(
    due_commitment, contributor, monkeypatch
) -> None:
    path = nudge_link(contributor, "commitment-due")
    ActionLink.objects.update(expires_at=timezone.now() + dt.timedelta(days=30))
    later = __import__("time").time() + 8 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    answer = Client().get(path)
    assert answer.status_code == 410 and "expired" in answer.content.decode()


@pytest.mark.parametrize("tamper", ["swap-token", "cut-signature", "garbage"])
def test_a_tampered_link_is_refused(due_commitment, contributor, tamper: str) -> None:
    path = nudge_link(contributor, "commitment-due")
    value = path.split("/act/")[1].rstrip("/")
    token, stamp, signature = value.rsplit(":", 2)
    changed = {
        "swap-token": f"{token[:-2]}xx:{stamp}:{signature}",
        "cut-signature": f"{token}:{stamp}:{signature[:-3]}",
        "garbage": "not-a-link",
    }[tamper]
    answer = Client().post(f"/outbound/act/{changed}/", {"version": due_commitment.version})
    assert answer.status_code == 400
    assert "not one Leadership OS made" in answer.content.decode()
    due_commitment.refresh_from_db()
    assert due_commitment.done_on is None


def test_someone_elses_link_is_refused_when_signed_in_as_another_user(
    due_commitment, contributor, client_as
) -> None:
    path = nudge_link(contributor, "commitment-due")
    answer = client_as("chief_of_staff").post(path, {"version": due_commitment.version})
    assert answer.status_code == 403 and "sent to someone else" in answer.content.decode()
    due_commitment.refresh_from_db()
    assert due_commitment.done_on is None


def test_the_link_is_checked_against_the_owners_current_role_and_ownership(
    due_commitment, contributor
) -> None:
    from django.contrib.auth.models import Group

    path = nudge_link(contributor, "commitment-due")
    contributor.groups.set([Group.objects.get(name=Role.VIEWER.value)])
    answer = Client().post(path, {"version": due_commitment.version})
    assert answer.status_code == 403 and "no longer do this" in answer.content.decode()
    contributor.groups.set([Group.objects.get(name=Role.CONTRIBUTOR.value)])
    other = UserFactory(username="other", role=Role.CONTRIBUTOR)
    from tests.factories import PersonFactory

    due_commitment.owner = PersonFactory(user=other)
    due_commitment.save()
    answer = Client().post(path, {"version": due_commitment.version})
    assert answer.status_code == 403
    due_commitment.refresh_from_db()
    assert due_commitment.done_on is None
    assert ActionLink.objects.get().used_at is None


def test_a_stale_version_reshows_the_form_and_keeps_the_link(due_commitment, contributor) -> None:
    path = nudge_link(contributor, "commitment-due")
    answer = Client().post(path, {"version": due_commitment.version + 5})
    assert answer.status_code == 200 and "changed this since" in answer.content.decode()
    assert ActionLink.objects.get().used_at is None


def test_the_stale_update_link_posts_a_status_update(contributor) -> None:
    mailable(contributor)
    prefer(contributor, digest=False)
    ws = WorkstreamFactory(owner=contributor.person, name="Partner portal")
    StatusUpdateFactory(workstream=ws, posted_on=today() - dt.timedelta(days=6))
    path = nudge_link(contributor, "update-stale")
    form = Client().get(path)
    assert form.status_code == 200 and "Post an update on" in form.content.decode()
    invalid = Client().post(path, {"version": ws.version, "state": "on_track", "note": ""})
    assert invalid.status_code == 200 and "Say what happened" in invalid.content.decode()
    assert ActionLink.objects.get().used_at is None
    posted = Client().post(
        path, {"version": ws.version, "state": "at_risk", "note": "Vendor slipped a week."}
    )
    assert posted.status_code == 200 and "is posted" in posted.content.decode()
    update = StatusUpdate.objects.filter(workstream=ws).latest("created_at")
    assert update.note == "Vendor slipped a week." and update.author == contributor.person
    ws.refresh_from_db()
    assert ws.state == "at_risk"


def test_unsubscribe_asks_on_get_and_acts_on_a_one_click_post_without_login(principal) -> None:
    from outbound.links import unsubscribe_url

    mailable(principal)
    prefer(principal, digest=True)
    path = urlsplit(unsubscribe_url(principal, "digest")).path
    ask = Client().get(path)
    assert ask.status_code == 200 and "Unsubscribe" in ask.content.decode()
    assert Preference.objects.get(user=principal).digest is True
    # RFC 8058: the mail client posts the form body itself, with no CSRF token of ours.
    done = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    preference = Preference.objects.get(user=principal)
    assert preference.digest is False and preference.commitments is True


def test_a_tampered_unsubscribe_link_changes_nothing(principal) -> None:
    from outbound.links import unsubscribe_url

    prefer(principal, digest=True)
    path = urlsplit(unsubscribe_url(principal, "digest")).path
    answer = Client().post(path[:-4] + "abc/")
    assert answer.status_code == 400
    assert Preference.objects.get(user=principal).digest is True
