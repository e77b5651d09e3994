"""What the five artifacts share: people, product surfaces, tags, and stable record keys."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from simple_history.models import HistoricalRecords


class KeyCounter(models.Model):
    """The last number handed out for a key prefix, so that a key is never reused, even after a delete."""

    prefix = models.CharField(max_length=10, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last}"

    @classmethod
    def next_number(cls, prefix: str) -> int:
        with transaction.atomic():
            counter, _ = cls.objects.select_for_update().get_or_create(prefix=prefix)
            counter.last = F("last") + 1
            counter.save(update_fields=["last"])
            counter.refresh_from_db(fields=["last"])
            return counter.last

    @classmethod
    def reserve(cls, prefix: str, number: int) -> None:
        """Make sure later keys of this prefix come after `number` (used by imports and bulk loads)."""
        with transaction.atomic():
            counter, _ = cls.objects.select_for_update().get_or_create(prefix=prefix)
            if counter.last < number:
                counter.last = number
                counter.save(update_fields=["last"])


class KeyedModel(models.Model):
    """A record with a stable, human key such as `D-42`: a prefix and a number that is never reused."""

    KEY_PREFIX: ClassVar[str] = ""

    number = models.PositiveIntegerField(unique=True, editable=False)
    key = models.CharField(max_length=20, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.number:
            self.number = KeyCounter.next_number(self.KEY_PREFIX)
        self.key = f"{self.KEY_PREFIX}-{self.number}"
        super().save(*args, **kwargs)

    @staticmethod
    def number_from_key(key: str, prefix: str) -> int | None:
        head, _, tail = key.partition("-")
        if head.upper() != prefix or not tail.isdigit():
            return None
        return int(tail)


class VersionedModel(models.Model):
    """A record edited in the browser: `version` grows with every save, for optimistic locking."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Surface(models.Model):
    """A product surface the VP runs, e.g. frontier labs, government, enterprise deployments."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    # A retired surface stays on the records that name it; it is no longer offered for new ones.
    retired_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A theme shared across artifacts (a customer signal cluster is a tag)."""

    name = models.SlugField(max_length=50, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(VersionedModel):
    """A stakeholder, inside the company or outside it; a person may have a login."""

    class Affiliation(models.TextChoices):
        INTERNAL = "internal", "Internal"
        CUSTOMER = "customer", "Customer"
        AGENCY = "agency", "Government agency"
        PARTNER = "partner", "Partner"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    organization = models.CharField(max_length=120, blank=True)
    affiliation = models.CharField(max_length=20, choices=Affiliation.choices, default=Affiliation.INTERNAL)
    email = models.EmailField(blank=True)
    surface = models.ForeignKey(
        Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # Someone who left the org stays on every record they touched; pickers no longer offer them.
    left_on = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.affiliation != self.Affiliation.INTERNAL


class LoginChange(models.Model):
    """One change to a login, as the audit trail of who gave whom which access: a login given, a
    role changed, a login disabled or enabled, a set-password link issued or used."""

    class Action(models.TextChoices):
        CREATED = "created", "Login given"
        ROLE = "role", "Role changed"
        DISABLED = "disabled", "Login disabled"
        ENABLED = "enabled", "Login enabled"
        LINK = "link", "Set-password link issued"
        PASSWORD = "password", "Password set"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.user})"


class PasswordLink(models.Model):
    """A one-time link to set a password: only the digest of its secret is kept; it works once,
    until `expires_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_links"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Password link for {self.user}"


class RoleGrant(models.Model):
    """Holds the custom permissions that the roles' groups are given (no rows: permissions only)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("read_all", "Read every artifact"),
            ("edit_all", "Create and edit every artifact"),
            ("record_outcome", "Record a decision's outcome"),
            ("snooze_radar", "Snooze radar items"),
            ("write_context", "Write context entries"),
            ("write_drafts", "Write draft decisions"),
            ("post_own_updates", "Post status updates and commitments on owned workstreams"),
            ("load_sample", "Load the sample organization"),
        ]

    def __str__(self) -> str:
        return "Role permissions"


class TableRevision(models.Model):
    """How many writes each table of the org has seen, beside the org revision: what is computed
    from a few tables (a part of the rules engine's input) is reused until one of them changes."""

    ALL = "*"
    """The row counting bulk writes, which change any table."""

    table = models.CharField(max_length=100, unique=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.table}: {self.number}"

    EPOCH = "#epoch"
    """A row holding a random number drawn when the counts start: a database counted again from
    zero (a new or emptied one) does not meet the values kept for another under the same counts."""

    @classmethod
    def current(cls) -> dict[str, int]:
        """Every table's count, by `app_label.model_name` (a table never written is 0), and the
        epoch (EPOCH). One query, two the first time."""
        counts = dict(cls.objects.values_list("table", "number"))
        if cls.EPOCH not in counts:
            row, _ = cls.objects.get_or_create(table=cls.EPOCH, defaults={"number": secrets.randbits(62)})
            counts[cls.EPOCH] = row.number
        return counts

    @classmethod
    def epoch(cls) -> int:
        return cls.current()[cls.EPOCH]


class OrgRevision(models.Model):
    """One row whose number grows with every write to any artifact, so that what is computed from the
    whole org (the engine's result) can be reused until the org changes, on every app server."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Org revision {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls, table: str = TableRevision.ALL) -> None:
        """Count a change to the org, and to `table` (a model's `app_label.model_name`; a bulk
        writer, which does not say what it wrote, counts a change to every table)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
        if not TableRevision.objects.filter(table=table).update(number=F("number") + 1):
            TableRevision.objects.get_or_create(table=table, defaults={"number": 1})
            TableRevision.current()  # the epoch too, with the first count
