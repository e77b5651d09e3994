"""Factories for the briefs' tests, with the few records of other artifacts a brief reads."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, DecisionStakeholder
from tests.factories import PersonFactory
from workstreams.models import Commitment, Workstream


def at(days: int, hour: int = 10) -> dt.datetime:
    """A moment `days` from today, at `hour` local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Engagement {n}")
    kind = Engagement.Kind.CUSTOMER_BRIEFING
    starts_at = factory.LazyFunction(lambda: at(1))
    counterpart = ""

    @factory.post_generation
    def attendees(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.attendees.set(extracted)

    @factory.post_generation
    def tags(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class BriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brief

    engagement = factory.SubFactory(EngagementFactory)
    objective = "Leave with a yes on the pilot."
    one_thing = "The pilot starts next month."
    notes = ""


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderPosition

    person = factory.SubFactory(PersonFactory)
    engagement = None
    position = "Supports the pilot."
    stance = "support"
    recorded_on = factory.LazyFunction(lambda: day(-1))
    source = "Call"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Decision {n}")
    question = "Should we?"
    status = Decision.Status.OPEN
    opened_on = factory.LazyFunction(lambda: day(-10))

    @factory.post_generation
    def tags(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def stakeholders(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            for person in extracted:
                DecisionStakeholder.objects.create(decision=self, person=person, stance="support")


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    name = factory.Sequence(lambda n: f"Workstream {n}")
    state = "on_track"
    created_on = factory.LazyFunction(lambda: day(-1))


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextEntry

    kind = ContextEntry.Kind.CUSTOMER_SIGNAL
    title = factory.Sequence(lambda n: f"Signal {n}")
    dated_on = factory.LazyFunction(lambda: day(-2))


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    description = factory.Sequence(lambda n: f"Commitment {n}")
    due_on = factory.LazyFunction(lambda: day(5))
