"""Factories of the decision log."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from tests.factories import PersonFactory, SurfaceFactory


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Decision {n} about data retention")
    question = factory.Sequence(lambda n: f"How do we settle question {n}?")
    status = Decision.Status.OPEN
    surface = factory.SubFactory(SurfaceFactory, key="enterprise", name="Enterprise deployments")
    decider = factory.SubFactory(PersonFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))

    @factory.post_generation
    def tags(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    decision = factory.SubFactory(DecisionFactory)
    title = factory.Sequence(lambda n: f"Option {n}")
    pros = "Cheap\nFast"
    cons = "Risky"


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionStakeholder

    decision = factory.SubFactory(DecisionFactory)
    person = factory.SubFactory(PersonFactory)
    stance = "support"
    position = "Wants it done this quarter."


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReopenCondition

    decision = factory.SubFactory(DecisionFactory)
    text = "If the customer changes its retention policy."


def decided(**kwargs: object) -> Decision:
    """A decided decision with a chosen and a rejected option."""
    fields = {
        "status": Decision.Status.DECIDED,
        "decided_on": timezone.localdate() - dt.timedelta(days=2),
        "outcome": "Keep prompts for 30 days.",
        "reasoning": "Abuse monitoring needs **30 days**.",
    }
    decision = DecisionFactory(**(fields | kwargs))
    OptionFactory(decision=decision, title="30 days", chosen=True, position=0)
    OptionFactory(decision=decision, title="Zero retention", rejected_because="Blind to abuse.", position=1)
    return decision
