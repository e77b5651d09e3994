"""Writes of the org's directory, which every artifact shares: people, logins and their roles,
product surfaces and tags.

Each is a keyword-only function that checks everything before it writes anything, raises
ValidationError by field (nothing written then), runs in one transaction, and leaves history
(simple-history on people, surfaces and tags; `LoginChange` rows for logins). The kernel knows no
artifact: what links to a tag or a surface is found through the models' relations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from leadership_os.access import ROLE_PERMS, Perm, Role, ensure_roles, user_roles
from leadership_os.locking import StaleEdit
from leadership_os.models import LoginChange, OrgRevision, PasswordLink, Person, Surface, Tag

PASSWORD_LINK_HOURS = 72
# The roles a login is given in the product's pages; staff is given with `is_staff` too.
GRANTABLE = (Role.PRINCIPAL, Role.CHIEF_OF_STAFF, Role.CONTRIBUTOR, Role.VIEWER, Role.STAFF)


def _unique_slug(model: type[models.Model], field: str, text: str, *, limit: int) -> str:
    base = (slugify(text) or "x")[: limit - 4].strip("-") or "x"
    taken = set(model._default_manager.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _history(obj: models.Model, by: Any, reason: str = "") -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]


# People -------------------------------------------------------------------------------------------

PERSON_FIELDS = ("name", "title", "organization", "affiliation", "email", "surface")


def _check_person(values: dict[str, Any], *, person: Person | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        problems["name"] = "Give the person's name."
    if values.get("affiliation") not in Person.Affiliation.values:
        problems["affiliation"] = "Choose whether they are internal, a customer, an agency or a partner."
    others = Person.objects.exclude(pk=person.pk) if person else Person.objects.all()
    email = (values.get("email") or "").strip()
    if email:
        holder = others.filter(email__iexact=email).first()
        if holder is not None:
            problems["email"] = f"{holder.name} already uses {email}. One email belongs to one person."
    if name and "name" not in problems:
        organization = (values.get("organization") or "").strip()
        twin = others.filter(name__iexact=name, organization__iexact=organization).first()
        if twin is not None:
            where = f" at {organization}" if organization else ""
            problems["name"] = f"{twin.name}{where} is already in the directory ({twin.key})."
    return problems


def person_create(*, by: Any, **values: Any) -> Person:
    """Add someone to the directory: `name`, `title`, `organization`, `affiliation`, `email`,
    `surface`. Refused by field for a missing name, an email another person uses, or the same name
    at the same organization."""
    values = {name: values.get(name) for name in PERSON_FIELDS}
    for name in ("name", "title", "organization", "email"):
        values[name] = (values[name] or "").strip()
    values["affiliation"] = values["affiliation"] or Person.Affiliation.INTERNAL
    with transaction.atomic():
        problems = _check_person(values, person=None)
        if problems:
            raise ValidationError(problems)
        person = Person(key=_unique_slug(Person, "key", values["name"], limit=60), **values)
        _history(person, by, "Added to the directory")
        person.save()
        OrgRevision.bump()
    return person


def person_update(*, person: Person, by: Any, expected_version: int, **values: Any) -> Person:
    """Change a person's details (the fields of person_create). Raises StaleEdit when someone saved
    the person since `expected_version`, ValidationError as person_create does."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        merged = {name: getattr(current, name) for name in PERSON_FIELDS} | values
        for name in ("name", "title", "organization", "email"):
            merged[name] = (merged[name] or "").strip()
        problems = _check_person(merged, person=current)
        if problems:
            raise ValidationError(problems)
        if all(getattr(current, name) == merged[name] for name in PERSON_FIELDS):
            return current
        for name, value in merged.items():
            setattr(current, name, value)
        current.version += 1
        _history(current, by)
        current.save()
        OrgRevision.bump()
    return current


def person_leave(*, person: Person, by: Any, on: dt.date, expected_version: int) -> Person:
    """Mark someone as having left the org on `on`: they stay on every record they touched, pickers
    no longer offer them, and their login (if any) is disabled."""
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.left_on is not None:
            return current
        if current.user_id is not None and current.user_id == getattr(by, "pk", None):
            raise ValidationError({"left_on": "You cannot mark yourself as having left the org."})
        current.left_on = on
        current.version += 1
        _history(current, by, "Left the org")
        current.save()
        if current.user is not None and current.user.is_active:
            _set_active(current.user, active=False, by=by, detail=f"{current.name} left the org")
        OrgRevision.bump()
    return current


def person_return(*, person: Person, by: Any, expected_version: int) -> Person:
    """Undo "left the org" (marked by mistake, or they came back). Their login stays disabled until
    the chief of staff enables it."""
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.left_on is None:
            return current
        current.left_on = None
        current.version += 1
        _history(current, by, "Back in the org")
        current.save()
        OrgRevision.bump()
    return current


def pickable_people() -> models.QuerySet[Person]:
    """The people a picker offers: everyone who has not left the org."""
    return Person.objects.filter(left_on__isnull=True)


# Logins and roles ---------------------------------------------------------------------------------


def role_of(user: User) -> Role | None:
    """The role a login holds (the highest, should an admin have given several)."""
    names = set(user_roles(user))
    for role in (Role.STAFF, Role.CHIEF_OF_STAFF, Role.PRINCIPAL, Role.CONTRIBUTOR, Role.VIEWER):
        if role.value in names:
            return role
    return None


def _perms(role: Role | None, *, staff: bool = False) -> set[Perm]:
    held = set(ROLE_PERMS.get(role, ())) if role else set()
    return held | ({Perm.LOAD_SAMPLE} if staff else set())


def _check_may_grant(*, by: Any, role: Role, user: User | None) -> None:
    if not by.has_perm(Perm.EDIT_ALL) and not by.is_staff:
        raise ValidationError({"role": "Only the chief of staff gives logins and roles."})
    if role not in GRANTABLE:
        raise ValidationError({"role": "Choose a role."})
    if role == Role.STAFF and not by.is_staff:
        raise ValidationError({"role": "Only staff can make someone staff."})
    if user is not None and user.is_staff and not by.is_staff:
        raise ValidationError({"role": "This login is staff: only staff change it."})
    # Nobody raises their own role: the new role may hold nothing the current one does not.
    own = user is not None and user.pk == by.pk
    if own and not _perms(role, staff=role == Role.STAFF) <= _perms(role_of(user), staff=user.is_staff):  # type: ignore[union-attr]
        raise ValidationError({"role": "You cannot raise your own role. Ask another chief of staff."})


def _set_role(user: User, role: Role) -> None:
    ensure_roles_if_missing()
    user.groups.set([Group.objects.get(name=role.value)])
    user.is_staff = role == Role.STAFF
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_role_names"):
        del user._role_names
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)


def ensure_roles_if_missing() -> None:
    if Group.objects.filter(name__in=[r.value for r in Role]).count() < len(Role):
        ensure_roles()


def _log(user: User, action: str, *, by: Any, detail: str = "") -> LoginChange:
    by_user = by if getattr(by, "is_authenticated", False) else None
    return LoginChange.objects.create(user=user, action=action, by=by_user, detail=detail[:200])


def login_create(*, person: Person, role: Role, by: Any) -> tuple[User, str]:
    """Give `person` a login with `role`; answer the login and the secret of its one-time
    set-password link. Refused for someone who left, who already has a login, or a role the
    granter may not give (only staff make staff)."""
    _check_may_grant(by=by, role=role, user=None)
    problems: dict[str, str] = {}
    if person.left_on is not None:
        problems["role"] = f"{person.name} has left the org; mark them back first."
    elif person.user_id is not None:
        problems["role"] = f"{person.name} already has a login ({person.user.username})."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        username = _unique_slug(User, "username", person.key, limit=150)
        first, _, last = person.name.partition(" ")
        user = User(username=username, email=person.email, first_name=first[:150], last_name=last[:150])
        user.set_unusable_password()
        user.save()
        _set_role(user, role)
        Person.objects.filter(pk=person.pk).update(user=user)
        person.user = user
        _log(user, LoginChange.Action.CREATED, by=by, detail=f"for {person.name}, as {role.value}")
        token = _issue_link(user, by=by)
    return user, token


def login_set_role(*, user: User, role: Role, by: Any) -> User:
    """Change a login's role. Only staff make staff or change a staff login; nobody raises their own."""
    _check_may_grant(by=by, role=role, user=user)
    before = role_of(user)
    if before == role:
        return user
    with transaction.atomic():
        _set_role(user, role)
        was = before.value if before else "no role"
        _log(user, LoginChange.Action.ROLE, by=by, detail=f"{was} → {role.value}")
    return user


def _set_active(user: User, *, active: bool, by: Any, detail: str = "") -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = LoginChange.Action.ENABLED if active else LoginChange.Action.DISABLED
    _log(user, action, by=by, detail=detail)
    if not active:
        PasswordLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())


def login_disable(*, user: User, by: Any) -> User:
    """Disable a login: it can no longer sign in; its unused set-password links stop working."""
    if user.pk == by.pk:
        raise ValidationError({"role": "You cannot disable your own login."})
    if user.is_staff and not by.is_staff:
        raise ValidationError({"role": "This login is staff: only staff disable it."})
    if user.is_active:
        with transaction.atomic():
            _set_active(user, active=False, by=by)
    return user


def login_enable(*, user: User, by: Any) -> User:
    if user.is_staff and not by.is_staff:
        raise ValidationError({"role": "This login is staff: only staff enable it."})
    person = Person.objects.filter(user=user).first()
    if person is not None and person.left_on is not None:
        raise ValidationError({"role": f"{person.name} has left the org; mark them back first."})
    if not user.is_active:
        with transaction.atomic():
            _set_active(user, active=True, by=by)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_link(user: User, *, by: Any) -> str:
    now = timezone.now()
    # A new link replaces the ones not used yet.
    PasswordLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    PasswordLink.objects.create(
        user=user,
        digest=_digest(token),
        expires_at=now + dt.timedelta(hours=PASSWORD_LINK_HOURS),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _log(user, LoginChange.Action.LINK, by=by, detail=f"valid {PASSWORD_LINK_HOURS} hours")
    return token


def password_link_issue(*, user: User, by: Any) -> str:
    """A new one-time set-password link for `user` (the earlier unused ones stop working); answer
    its secret, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationError({"role": "This login is disabled; enable it first."})
    if user.is_staff and not by.is_staff:
        raise ValidationError({"role": "This login is staff: only staff send it a link."})
    with transaction.atomic():
        return _issue_link(user, by=by)


LINK_REFUSED = "This link does not work any more: it was used already, has expired or was replaced. Ask the chief of staff for a new one."


def password_link_find(token: str) -> PasswordLink | None:
    """The link of this secret if it can still be used: unused, not expired, its login active."""
    link = (
        PasswordLink.objects.select_related("user")
        .filter(digest=_digest(token or ""), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not link.user.is_active:
        return None
    return link


def password_link_use(*, token: str, password: str) -> User:
    """Set the password of the link's login and spend the link. Raises ValidationError (nothing
    changed) for a link used, expired, replaced or of a disabled login."""
    with transaction.atomic():
        link = password_link_find(token)
        if link is None:
            raise ValidationError(LINK_REFUSED)
        locked = PasswordLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise ValidationError(LINK_REFUSED)
        user = link.user
        user.set_password(password)
        user.save(update_fields=["password"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        _log(user, LoginChange.Action.PASSWORD, by=user)
    return user


# Surfaces -----------------------------------------------------------------------------------------


def _check_surface_name(name: str, *, surface: Surface | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the surface a name."})
    others = Surface.objects.exclude(pk=surface.pk) if surface else Surface.objects.all()
    if others.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a surface named “{name}”."})
    return name


def surface_create(*, name: str, description: str = "", by: Any) -> Surface:
    """Add a product surface. Refused for an empty name or one another surface has."""
    with transaction.atomic():
        name = _check_surface_name(name, surface=None)
        surface = Surface(
            key=_unique_slug(Surface, "key", name, limit=40), name=name, description=description
        )
        _history(surface, by, "Added")
        surface.save()
        OrgRevision.bump()
    return surface


def surface_update(*, surface: Surface, name: str, description: str, by: Any) -> Surface:
    """Rename a surface or change its description (its key, used in addresses and files, stays)."""
    with transaction.atomic():
        name = _check_surface_name(name, surface=surface)
        if (surface.name, surface.description) == (name, description):
            return surface
        reason = f"Renamed from {surface.name!r}" if surface.name != name else ""
        surface.name, surface.description = name, description
        _history(surface, by, reason)
        surface.save()
        OrgRevision.bump()
    return surface


def surface_users(surface: Surface) -> list[Any]:
    """The workstreams that still name this surface (through the relation, not the app)."""
    return list(surface.workstreams.order_by("number"))  # type: ignore[attr-defined]


def surface_retire(*, surface: Surface, by: Any, today: dt.date) -> Surface:
    """Retire a surface: it is no longer offered for new records. Refused, naming them, while
    workstreams still use it: move them to another surface first."""
    users = surface_users(surface)
    if users:
        names = ", ".join(f"{ws.key} {ws.name}" for ws in users[:20])
        more = f" and {len(users) - 20} more" if len(users) > 20 else ""
        raise ValidationError(
            f"{len(users)} workstream{'s' if len(users) != 1 else ''} still use {surface.name}: "
            f"{names}{more}. Move them to another surface first."
        )
    if surface.retired_on is None:
        with transaction.atomic():
            surface.retired_on = today
            _history(surface, by, "Retired")
            surface.save()
            OrgRevision.bump()
    return surface


def surface_restore(*, surface: Surface, by: Any) -> Surface:
    if surface.retired_on is not None:
        with transaction.atomic():
            surface.retired_on = None
            _history(surface, by, "Back in use")
            surface.save()
            OrgRevision.bump()
    return surface


# Tags ---------------------------------------------------------------------------------------------


def _check_tag_name(name: str, *, tag: Tag | None) -> str:
    slug = slugify((name or "").strip())[:50]
    if not slug:
        raise ValidationError({"name": "Give the tag a name: letters, digits and dashes."})
    others = Tag.objects.exclude(pk=tag.pk) if tag else Tag.objects.all()
    if others.filter(name=slug).exists():
        raise ValidationError({"name": f"There is already a tag “{slug}”; merge into it instead."})
    return slug


def tag_create(*, name: str, by: Any) -> Tag:
    with transaction.atomic():
        tag = Tag(name=_check_tag_name(name, tag=None))
        _history(tag, by, "Added")
        tag.save()
    return tag


def tag_rename(*, tag: Tag, name: str, by: Any) -> Tag:
    """Rename a tag; every record keeps it (links are by the tag, not its name)."""
    with transaction.atomic():
        slug = _check_tag_name(name, tag=tag)
        if slug != tag.name:
            reason = f"Renamed from {tag.name!r}"
            tag.name = slug
            _history(tag, by, reason)
            tag.save()
            OrgRevision.bump()
    return tag


def tag_links() -> list[models.ManyToManyRel]:
    """Every many-to-many relation to Tag, whichever app declares it."""
    return [rel for rel in Tag._meta.related_objects if rel.many_to_many]  # type: ignore[misc]


def tag_usage(tag: Tag) -> dict[str, int]:
    """How many records of each kind carry `tag`, by their plural name."""
    counts = {}
    for rel in tag_links():
        n = rel.related_model._default_manager.filter(**{rel.field.name: tag}).count()
        if n:
            counts[str(rel.related_model._meta.verbose_name_plural)] = n
    return counts


def tag_merge(*, source: Tag, into: Tag, by: Any) -> dict[str, int]:
    """Merge `source` into `into`: every record that carries `source` carries `into` instead (each
    record's history says so where it keeps one), `source` is removed, and `into`'s history names
    what moved. Answers how many records of each kind moved."""
    if source.pk == into.pk:
        raise ValidationError({"into": "Choose another tag to merge into."})
    moved: dict[str, int] = {}
    reason = f"Tag {source.name!r} merged into {into.name!r}"[:100]
    with transaction.atomic():
        for rel in tag_links():
            model = rel.related_model
            name = rel.field.name
            records = list(model._default_manager.filter(**{name: source}))
            if not records:
                continue
            for record in records:
                _history(record, by, reason)
                manager = getattr(record, name)
                manager.add(into)
                manager.remove(source)
            moved[str(model._meta.verbose_name_plural)] = len(records)
        summary = ", ".join(f"{n} {what}" for what, n in moved.items()) or "nothing"
        _history(into, by, f"Merged {source.name!r} into this tag; moved {summary}"[:100])
        into.save()
        _history(source, by, f"Merged into {into.name!r}"[:100])
        source.delete()
        OrgRevision.bump()
    return moved
