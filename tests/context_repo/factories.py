"""Factories for the context repository's tests, and the records of other apps it links to."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from briefs.models import Brief, Engagement
from context_repo.models import ContextEntry, StartHereStep
from decisions.models import Decision, Option
from workstreams.models import Workstream


class ContextEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextEntry
        skip_postgeneration_save = True

    kind = ContextEntry.Kind.NOTE
    title = factory.Sequence(lambda n: f"Context entry number {n}")
    body = "A short body."
    dated_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            from leadership_os.models import Tag

            self.tags.set([Tag.objects.get_or_create(name=name)[0] for name in extracted])


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Decision number {n}")
    question = "What should we do?"
    status = Decision.Status.OPEN
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            from leadership_os.models import Tag

            self.tags.set([Tag.objects.get_or_create(name=name)[0] for name in extracted])


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    decision = factory.SubFactory(DecisionFactory)
    title = factory.Sequence(lambda n: f"Option {n}")


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    name = factory.Sequence(lambda n: f"Workstream number {n}")
    created_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    title = factory.Sequence(lambda n: f"Engagement number {n}")
    kind = Engagement.Kind.CUSTOMER_BRIEFING
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    counterpart = "Helix Research"


class BriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brief

    engagement = factory.SubFactory(EngagementFactory)
    objective = "Agree the evaluation pilot's scope."


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartHereStep

    position = factory.Sequence(lambda n: n + 1)
    why = "Why it matters, in a line."
