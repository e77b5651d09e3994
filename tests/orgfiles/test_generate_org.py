"""generate_org: a synthetic org at a scale, the same for the same seed, written in bulk."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Count, Min
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry, StartHereStep
from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os.models import KeyCounter, Person, Surface, Tag
from orgfiles.generate import SCALES, OrgNotEmpty, generate_org, org_models
from rhythms.models import Occurrence, Ritual
from tests.factories import PersonFactory
from workstreams.models import Commitment, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db

# Derived tables (search index, write counters) and history carry write-time values, not the org.
DERIVED = ("OrgRevision", "TableRevision", "Snooze", "SearchDocument", "SearchText")
TINY = SCALES["tiny"]
SMALL = SCALES["small"]


def generate(scale: str = "tiny", seed: int = 1, *extra: str) -> None:
    call_command("generate_org", "--scale", scale, "--seed", str(seed), "--no-progress", *extra, stdout=None)


def org_digest() -> str:
    """A hash of every row of the org, with ids taken relative to each table's first id (databases
    number rows differently after a delete) and the write-time timestamps left out."""
    digest = hashlib.sha256()
    first_id: dict[type[models.Model], int] = {}

    def base(model: type[models.Model]) -> int:
        if model not in first_id:
            first_id[model] = model._default_manager.aggregate(m=Min("pk"))["m"] or 0
        return first_id[model]

    for model in org_models():
        if model.__name__.startswith("Historical") or model.__name__ in DERIVED:
            continue  # history rows carry write times; the revision counts writes, not content
        fields = [
            f
            for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        ]
        digest.update(model._meta.label.encode())
        for row in model._default_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            values: list[Any] = []
            for f, value in zip(fields, row, strict=True):
                if f.primary_key:
                    value -= base(model)
                elif f.is_relation and value is not None:
                    value -= base(f.related_model)
                values.append(value)
            digest.update(repr(values).encode())
    return digest.hexdigest()


def test_small_scale_writes_the_expected_number_of_every_record() -> None:
    generate("small")

    assert Person.objects.count() == SMALL.people == 25
    assert Surface.objects.count() == 5
    assert Tag.objects.count() == SMALL.tags
    assert Decision.objects.count() == 500
    assert Option.objects.count() == 1_500
    assert DecisionStakeholder.objects.count() == 1_000
    assert ReopenCondition.objects.exists()
    assert Workstream.objects.count() == 50
    assert StatusUpdate.objects.count() >= 50
    assert Commitment.objects.count() == 1_000
    assert Ritual.objects.count() == 10
    assert 10 * 47 <= Occurrence.objects.count() <= 10 * 53
    assert Engagement.objects.count() == Brief.objects.count() == 150
    assert StakeholderPosition.objects.exists()
    assert ContextEntry.objects.count() == 2_500
    assert StartHereStep.objects.exists()
    for through in (
        Decision.tags.through,
        Workstream.tags.through,
        Ritual.attendees.through,
        Engagement.attendees.through,
        Occurrence.decisions_informed.through,
        Occurrence.blockers_surfaced.through,
        ContextEntry.tags.through,
        ContextEntry.decisions.through,
        ContextEntry.workstreams.through,
    ):
        assert through.objects.exists(), through
    for model in (Decision, Option, Workstream, Commitment, Occurrence, ContextEntry, Brief):
        assert model.history.count() == model.objects.count(), model  # type: ignore[attr-defined]


def test_the_org_has_the_shapes_the_radar_looks_for() -> None:
    generate("small")
    today = timezone.localdate()

    statuses = dict(Decision.objects.values_list("status").annotate(n=Count("id")))
    assert statuses["decided"] > statuses["open"] > 0
    assert {"draft", "superseded", "withdrawn"} <= set(statuses)
    assert Decision.objects.filter(status="open", needed_by__lt=today).exists()
    assert Decision.objects.filter(supersedes__isnull=False).exists()
    chosen = Option.objects.filter(chosen=True, decision__status__in=["decided", "superseded"])
    assert chosen.count() == Decision.objects.filter(status__in=["decided", "superseded"]).count()
    states = set(Workstream.objects.values_list("state", flat=True))
    assert states == {"on_track", "at_risk", "blocked", "paused", "done"}
    assert Workstream.objects.filter(blocked_by_decision__status="open").exists()
    assert Commitment.objects.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert Commitment.objects.filter(done_on__isnull=False).exists()
    # Meeting notes come only from intake (a source the chief of staff reviewed), never from generation.
    kinds = set(ContextEntry.Kind.values) - {ContextEntry.Kind.MEETING_NOTES}
    assert set(ContextEntry.objects.values_list("kind", flat=True)) == kinds
    assert ContextEntry.objects.filter(kind="customer_signal", tags__isnull=False).exists()
    assert all(r.rrule.startswith("FREQ=") for r in Ritual.objects.all())
    assert set(Occurrence.objects.values_list("status", flat=True)) == {"held", "skipped", "planned"}


def test_keys_are_unique_and_counters_reserved_so_new_records_get_the_next_key() -> None:
    generate("tiny")

    assert sorted(Decision.objects.values_list("number", flat=True)) == list(range(1, TINY.decisions + 1))
    assert set(Decision.objects.values_list("key", flat=True)) == {
        f"D-{n}" for n in range(1, TINY.decisions + 1)
    }
    assert KeyCounter.objects.get(prefix="CX").last == TINY.context_entries

    decision = Decision.objects.create(title="A new one", question="Now?")
    workstream = Workstream.objects.create(name="A new workstream")
    assert decision.key == f"D-{TINY.decisions + 1}"
    assert workstream.key == f"WS-{TINY.workstreams + 1}"


def test_the_same_seed_gives_the_same_org() -> None:
    generate("tiny", 7)
    first = org_digest()
    generate("tiny", 7, "--replace")

    assert org_digest() == first


def test_a_different_seed_gives_a_different_org() -> None:
    generate("tiny", 7)
    first = org_digest()
    generate("tiny", 8, "--replace")

    assert org_digest() != first


def test_replace_swaps_the_whole_org_history_and_links_included() -> None:
    generate("tiny", 1)
    generate("tiny", 2, "--replace")

    assert Decision.objects.count() == TINY.decisions
    assert Decision.history.count() == TINY.decisions  # type: ignore[attr-defined]
    assert Person.objects.count() == TINY.people
    assert Occurrence.decisions_informed.through.objects.filter(decision__isnull=True).count() == 0
    assert KeyCounter.objects.get(prefix="D").last == TINY.decisions


def test_it_refuses_an_org_that_is_not_empty_without_replace() -> None:
    PersonFactory()

    with pytest.raises(CommandError, match="already holds an organization"):
        generate("tiny")

    assert Decision.objects.count() == 0
    assert Person.objects.count() == 1


def test_dates_are_relative_to_the_day_it_is_generated() -> None:
    day = dt.date(2031, 3, 14)
    generate_org(scale=TINY, seed=3, today=day)

    open_needed = Decision.objects.filter(status="open", needed_by__isnull=False).values_list(
        "needed_by", flat=True
    )
    assert open_needed and all(abs((d - day).days) <= 40 for d in open_needed)
    assert all(abs((e.starts_at.date() - day).days) <= 62 for e in Engagement.objects.all())
    with pytest.raises(OrgNotEmpty):
        generate_org(scale=TINY, seed=3, today=day)


def test_a_generated_org_goes_out_and_back_in_unchanged(tmp_path) -> None:
    """The generator keeps the state rules the loader checks (only a blocked workstream has a
    blocker, and every blocker is dated; every commitment has its original due date), so a
    generated org exports, imports into an empty database and exports again to the same file."""
    from orgfiles import snapshot

    generate("tiny", 3)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_org", "-o", str(first), stdout=None)
    snapshot.clear_org()
    call_command("import_org", str(first), stdout=None)
    call_command("export_org", "-o", str(second), stdout=None)
    assert first.read_text() == second.read_text()
