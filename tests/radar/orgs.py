"""Small orgs built straight from the models, sized to order, for the radar, queue and dashboard tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from briefs.models import Brief, Engagement
from decisions.models import Decision, Option
from leadership_os.models import Person, Surface
from rhythms.models import Occurrence, Ritual
from workstreams.models import Commitment, Workstream


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def build_org(scale: int = 1) -> dict[str, object]:
    """`scale` copies of an org that makes several rules fire: a blocked workstream not escalated, an
    open decision two workstreams wait on, a slipped commitment, a ritual without purpose, and an
    engagement tomorrow with no brief. Returns the first copy's records."""
    surface, _ = Surface.objects.get_or_create(key="government", defaults={"name": "Government"})
    first: dict[str, object] = {}
    offset = Person.objects.filter(key__startswith="owner-").count()
    for copy in range(offset, offset + scale):
        owner = Person.objects.create(key=f"owner-{copy}", name=f"Owner {copy}")
        decision = Decision.objects.create(
            title=f"Pick the accreditation boundary {copy}",
            question="Which boundary?",
            status=Decision.Status.OPEN,
            surface=surface,
            needed_by=days(-2),
            opened_on=days(-20),
        )
        Option.objects.create(decision=decision, title="Narrow boundary")
        blocked = Workstream.objects.create(
            name=f"Agency pilot {copy}",
            surface=surface,
            owner=owner,
            state="blocked",
            blocker="legal review of data terms",
            blocked_since=days(-5),
            escalation="watching",
            blocked_by_decision=decision,
            created_on=days(-30),
        )
        Workstream.objects.create(
            name=f"Audit logging {copy}",
            surface=surface,
            owner=owner,
            state="blocked",
            blocker="waiting on the boundary",
            blocked_since=days(-1),
            blocked_by_decision=decision,
            created_on=days(-2),
        )
        commitment = Commitment.objects.create(
            description=f"Send the agency the pilot plan {copy}",
            owner=owner,
            due_on=days(-3),
            workstream=blocked,
        )
        ritual = Ritual.objects.create(
            name=f"Friday readout {copy}",
            kind=Ritual.Kind.STATUS_READOUT,
            rrule="FREQ=WEEKLY;BYDAY=FR",
            starts_at=timezone.now() - dt.timedelta(days=60),
        )
        Occurrence.objects.create(
            ritual=ritual,
            scheduled_for=timezone.now() - dt.timedelta(days=7),
            starts_at=timezone.now() - dt.timedelta(days=7),
            status=Occurrence.Status.HELD,
        )
        engagement = Engagement.objects.create(
            title=f"Agency review {copy}",
            kind=Engagement.Kind.GOVERNMENT,
            starts_at=timezone.now() + dt.timedelta(days=1),
            surface=surface,
        )
        if copy % 2:
            Brief.objects.create(
                engagement=engagement, objective="Agree the pilot scope", one_thing="No data leaves"
            )
        if copy == offset:
            first = {
                "decision": decision,
                "blocked": blocked,
                "commitment": commitment,
                "ritual": ritual,
                "engagement": engagement,
            }
    return first
