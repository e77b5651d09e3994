"""Factories of the workstreams tests (and a minimal decision, until the decision log has its own)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from decisions.models import Decision
from leadership_os.models import Person
from tests.factories import PersonFactory, SurfaceFactory
from workstreams.models import Commitment, State, StatusUpdate, Workstream


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    """A date n days from today (negative: in the past)."""
    return today() + dt.timedelta(days=n)


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
    surface = factory.SubFactory(SurfaceFactory)
    owner = factory.SubFactory(PersonFactory)
    state = State.ON_TRACK
    created_on = factory.LazyFunction(lambda: days(-30))


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    workstream = factory.SubFactory(WorkstreamFactory)
    posted_on = factory.LazyFunction(lambda: days(-1))
    state = State.ON_TRACK
    note = "Moving along."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    description = factory.Sequence(lambda n: f"Deliver thing {n}")
    owner = factory.SubFactory(PersonFactory)
    due_on = factory.LazyFunction(lambda: days(5))
    original_due_on = factory.LazyAttribute(lambda o: o.due_on)


class ExternalPersonFactory(PersonFactory):
    affiliation = Person.Affiliation.CUSTOMER
    organization = "Northbank Financial"
