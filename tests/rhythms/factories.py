"""Factories for the operating rhythm's tests (and the few records of other apps they link to)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from briefs.models import Engagement
from decisions.models import Decision
from rhythms.models import Occurrence, Ritual
from workstreams.models import Workstream


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class RitualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ritual
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ritual {n}")
    kind = Ritual.Kind.PRODUCT_REVIEW
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    starts_at = factory.LazyFunction(lambda: local(2026, 1, 6))
    duration_minutes = 60
    purpose = "Walk the week's launches."
    informs_decision = "Launch go or no-go."
    surfaces_blocker = "Cross-team dependencies."

    @factory.post_generation
    def attendees(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.attendees.set(extracted)


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occurrence

    ritual = factory.SubFactory(RitualFactory)
    scheduled_for = factory.LazyFunction(lambda: local(2026, 1, 6))
    starts_at = factory.SelfAttribute("scheduled_for")
    status = Occurrence.Status.HELD


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    title = factory.Sequence(lambda n: f"Decision {n}")
    question = "What do we do?"
    status = Decision.Status.OPEN


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    name = factory.Sequence(lambda n: f"Workstream {n}")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Engagement {n}")
    kind = Engagement.Kind.CUSTOMER_BRIEFING
    starts_at = factory.LazyFunction(lambda: local(2026, 1, 8, 13))
    counterpart = "Helix Research"

    @factory.post_generation
    def attendees(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.attendees.set(extracted)
