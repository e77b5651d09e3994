"""Reads of the directory: the people list, a person's page across every artifact, surfaces and tags.

Each screen reads with a fixed number of queries whatever the size of the org: a person's page
shows the newest few records of each kind with the count of all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from briefs.models import Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, DecisionStakeholder
from leadership_os.access import Role
from leadership_os.models import LoginChange, Person, Surface, Tag
from rhythms.models import Ritual
from workstreams.models import Commitment, Workstream

SHOWN = 15


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    affiliation: str = ""  # "internal", "external", or one affiliation
    surface: str = ""
    left: bool = False

    def as_params(self) -> dict[str, str]:
        params = {"q": self.q, "affiliation": self.affiliation, "surface": self.surface}
        if self.left:
            params["left"] = "1"
        return {k: v for k, v in params.items() if v}


def people(filters: PeopleFilters) -> QuerySet[Person]:
    queryset = Person.objects.select_related("surface", "user").order_by("name", "key")
    if not filters.left:
        queryset = queryset.filter(left_on__isnull=True)
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q)
            | Q(organization__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    if filters.affiliation == "external":
        queryset = queryset.exclude(affiliation=Person.Affiliation.INTERNAL)
    elif filters.affiliation:
        queryset = queryset.filter(affiliation=filters.affiliation)
    if filters.surface:
        queryset = queryset.filter(surface__key=filters.surface)
    return queryset


def roles_of(users: list[int]) -> dict[int, str]:
    """Each login's role name, in one query."""
    names: dict[int, list[str]] = {}
    for user_id, name in User.groups.through.objects.filter(user_id__in=users).values_list(
        "user_id", "group__name"
    ):
        names.setdefault(user_id, []).append(name)
    order = [Role.STAFF, Role.CHIEF_OF_STAFF, Role.PRINCIPAL, Role.CONTRIBUTOR, Role.VIEWER]
    return {
        user_id: next((r.value for r in order if r.value in held), "No role")
        for user_id, held in names.items()
    }


@dataclass
class Part:
    """The newest records of one kind on a person's page, and how many there are in all."""

    rows: list[Any]
    total: int


def _part(queryset: QuerySet[Any]) -> Part:
    # Always two queries, so that the page reads the same way for a newcomer and a veteran.
    return Part(rows=list(queryset[:SHOWN]), total=queryset.count())


def person_page(person: Person, *, today: dt.date) -> dict[str, Any]:
    """What a person's page shows from every artifact."""
    commitments = Commitment.objects.filter(owner=person).select_related("workstream", "promised_to")
    counts = commitments.aggregate(
        kept=Count("pk", filter=Q(done_on__isnull=False)),
        slipped=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
        open=Count("pk", filter=Q(done_on__isnull=True, due_on__gte=today)),
        kept_late=Count("pk", filter=Q(done_on__isnull=False, recommitted_count__gt=0)),
    )
    return {
        "workstreams": _part(
            Workstream.objects.filter(owner=person)
            .select_related("surface")
            .order_by("archived_on", "-number")
        ),
        "slipped": _part(
            commitments.filter(done_on__isnull=True, due_on__lt=today).order_by("due_on", "number")
        ),
        "open_commitments": _part(
            commitments.filter(done_on__isnull=True, due_on__gte=today).order_by("due_on", "number")
        ),
        "kept": _part(commitments.filter(done_on__isnull=False).order_by("-done_on", "-number")),
        "commitment_counts": counts,
        "decisions": _part(
            Decision.objects.filter(Q(driver=person) | Q(decider=person))
            .select_related("driver", "decider")
            .order_by("-number")
        ),
        "decision_positions": _part(
            DecisionStakeholder.objects.filter(person=person)
            .select_related("decision")
            .order_by("-decision__number")
        ),
        "engagement_positions": _part(
            StakeholderPosition.objects.filter(person=person)
            .select_related("engagement")
            .order_by("-recorded_on", "-id")
        ),
        "rituals": _part(
            Ritual.objects.filter(Q(attendees=person) | Q(owner=person))
            .distinct()
            .order_by("-is_active", "name")
        ),
        "engagements": _part(Engagement.objects.filter(attendees=person).order_by("-starts_at")),
    }


def login_history(user: User | None) -> list[LoginChange]:
    if user is None:
        return []
    return list(LoginChange.objects.filter(user=user).select_related("by")[:30])


def _count(queryset: QuerySet[Any], link: str) -> Any:
    """A correlated count (a join per kind would multiply the rows of one by the others)."""
    return Coalesce(
        Subquery(
            queryset.filter(**{link: OuterRef("pk")})
            .order_by()
            .values(link)
            .annotate(n=Count("*"))
            .values("n")[:1]
        ),
        Value(0),
    )


def surfaces() -> list[Surface]:
    """Every surface with how many workstreams and people name it."""
    return list(
        Surface.objects.annotate(
            n_workstreams=_count(Workstream.objects.all(), "surface"),
            n_people=_count(Person.objects.all(), "surface"),
        ).order_by("retired_on", "name")
    )


def tags(q: str = "") -> QuerySet[Tag]:
    """Tags with how many decisions, context entries and workstreams carry them."""
    queryset = Tag.objects.annotate(
        n_decisions=_count(Decision.tags.through.objects.all(), "tag"),
        n_workstreams=_count(Workstream.tags.through.objects.all(), "tag"),
        n_context=_count(ContextEntry.tags.through.objects.all(), "tag"),
        n_engagements=_count(Engagement.tags.through.objects.all(), "tag"),
    ).order_by("name")
    if q:
        queryset = queryset.filter(name__icontains=q)
    return queryset
