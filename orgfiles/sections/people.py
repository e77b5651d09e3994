"""Snapshot sections of what the apps share: people and product surfaces (whose history does not
travel in the snapshot: an import gives each a "created" history row dated now)."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth import get_user_model
from pydantic import Field

from leadership_os.models import Person, Surface
from orgfiles.format import KeyIndex, Problems, Record, RelDate, Section, WriteContext

Slug = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$")
SurfaceSlug = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class PersonIn(Record):
    key: str = Slug
    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=120)
    organization: str = Field(default="", max_length=120)
    affiliation: Literal["internal", "customer", "agency", "partner"] = "internal"
    email: str = Field(default="", max_length=254)
    user: str | None = Field(default=None, description="The username of this person's login, if any.")
    surface: str | None = None
    left_on: RelDate | None = None


class SurfaceIn(Record):
    key: str = SurfaceSlug
    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    retired_on: RelDate | None = None


def write_people(items: list[PersonIn], ctx: WriteContext) -> None:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[i.user for i in items if i.user])
    }
    for item in items:
        user = users.get(item.user) if item.user else None
        if user is not None:
            Person.objects.filter(user=user).update(user=None)
        person = Person.objects.create(
            key=item.key,
            name=item.name,
            title=item.title,
            organization=item.organization,
            affiliation=item.affiliation,
            email=item.email,
            user=user,
            surface=ctx.get("surfaces", item.surface),
            left_on=ctx.date(item.left_on),
        )
        ctx.put("people", item.key, person)


def write_surfaces(items: list[SurfaceIn], ctx: WriteContext) -> None:
    for item in items:
        ctx.put(
            "surfaces",
            item.key,
            Surface.objects.create(
                key=item.key,
                name=item.name,
                description=item.description,
                retired_on=ctx.date(item.retired_on),
            ),
        )


def check_people(items: list[PersonIn], index: KeyIndex, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for position, item in enumerate(items):
        if item.user:
            if item.user in seen:
                problems.add(
                    f"people[{position}].user",
                    f"{item.user!r} is already the login of people[{seen[item.user]}]",
                )
            seen[item.user] = position
        index.check(problems, f"people[{position}].surface", "surfaces", item.surface, "surface")


def export_people() -> list[dict[str, Any]]:
    rows = []
    for p in Person.objects.select_related("user", "surface").order_by("key"):
        row: dict[str, Any] = {
            "key": p.key,
            "name": p.name,
            "title": p.title,
            "organization": p.organization,
            "affiliation": p.affiliation,
            "email": p.email,
        }
        if p.user:
            row["user"] = p.user.username
        # Written only when set, so that the files of an org without them stay as they were.
        if p.surface:
            row["surface"] = p.surface.key
        if p.left_on:
            row["left_on"] = p.left_on.isoformat()
        rows.append(row)
    return rows


def export_surfaces() -> list[dict[str, Any]]:
    return [
        {"key": s.key, "name": s.name, "description": s.description}
        | ({"retired_on": s.retired_on.isoformat()} if s.retired_on else {})
        for s in Surface.objects.order_by("key")
    ]


SECTIONS = [
    Section(
        name="people",
        record=PersonIn,
        order=10,
        key_of=lambda r: r.key,
        check=check_people,
        write=write_people,
        export=export_people,
        models=(Person,),
    ),
    Section(
        name="surfaces",
        record=SurfaceIn,
        order=5,  # before the people, who may name their surface
        key_of=lambda r: r.key,
        write=write_surfaces,
        export=export_surfaces,
        models=(Surface,),
    ),
]
