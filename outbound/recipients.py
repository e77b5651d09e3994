"""Who outbound mail may reach: active logins linked to an internal person with an address. People
outside the company and people without a login are never emailed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from leadership_os.access import Role
from leadership_os.models import Person
from outbound.models import Preference, Topic

# What each role may receive: a nudge asks for an action the role must be allowed to take.
TOPICS_OF_ROLE: dict[str, set[Topic]] = {
    Role.PRINCIPAL: {Topic.DIGEST},
    Role.CHIEF_OF_STAFF: {Topic.DIGEST, Topic.COMMITMENTS, Topic.UPDATES, Topic.WEEKLY},
    Role.CONTRIBUTOR: {Topic.DIGEST, Topic.COMMITMENTS, Topic.UPDATES},
    Role.VIEWER: {Topic.DIGEST},
    Role.STAFF: {Topic.DIGEST},
}


def allowed_topics(roles: set[str]) -> set[Topic]:
    return set().union(*(TOPICS_OF_ROLE.get(role, set()) for role in roles)) if roles else set()


def default_preference(user: Any, roles: set[str]) -> Preference:
    """A person's preferences before they chose: the digest for the principal and the chief of staff,
    reminders for whoever owns work, the weekly note for the chief of staff."""
    return Preference(
        user=user,
        digest=bool(roles & {Role.PRINCIPAL, Role.CHIEF_OF_STAFF}),
        commitments=True,
        updates=True,
        weekly=Role.CHIEF_OF_STAFF in roles,
    )


@dataclass
class Recipient:
    user: Any
    person: Person
    email: str
    roles: set[str]
    preference: Preference

    def gets(self, topic: Topic) -> bool:
        return topic in allowed_topics(self.roles) and self.preference.wants(topic)


def address_of(person: Person | None, user: Any) -> str:
    if person is None or person.is_external or not user.is_active:
        return ""
    return person.email or user.email or ""


def recipients() -> list[Recipient]:
    """Everyone mail may reach, with their roles and preferences (three queries, whatever the size)."""
    people = list(
        Person.objects.filter(
            user__is_active=True, affiliation=Person.Affiliation.INTERNAL, user__groups__isnull=False
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    user_ids = [p.user_id for p in people]
    roles: dict[int, set[str]] = {}
    memberships = get_user_model().groups.through.objects.filter(user_id__in=user_ids)
    for user_id, name in memberships.values_list("user_id", "group__name"):
        roles.setdefault(user_id, set()).add(name)
    chosen = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    found = []
    for person in people:
        email = address_of(person, person.user)
        if not email:
            continue
        user_roles = roles.get(person.user_id, set())
        preference = chosen.get(person.user_id) or default_preference(person.user, user_roles)
        found.append(Recipient(person.user, person, email, user_roles, preference))
    return found


def recipient_of(user: Any) -> Recipient | None:
    """One user as a recipient, or None when mail may not reach them."""
    person = Person.objects.filter(user=user).select_related("user").first()
    email = address_of(person, user)
    if person is None or not email:
        return None
    user_roles = set(user.groups.values_list("name", flat=True))
    preference = Preference.objects.filter(user=user).first() or default_preference(user, user_roles)
    return Recipient(user, person, email, user_roles, preference)
