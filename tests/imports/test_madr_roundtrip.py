"""The MADR export (decisions.madr) and this import agree: export the log, import it into an empty
database, and the same decisions, options, statuses and links come back."""

from __future__ import annotations

import datetime as dt

import pytest

from decisions import madr, services
from decisions.models import Decision
from imports import services as imports
from imports.adr.folder import read_batch, read_zip
from imports.models import ImportedLink

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def build_log() -> None:
    queue = services.decision_create(
        by=None,
        fields={
            "title": "Pick a queue for background jobs",
            "question": "Which queue runs our jobs?",
            "context": "Jobs pile up at night.\n\nWe run Postgres already.",
        },
        options=[
            {
                "title": "Kafka",
                "description": "A distributed log.",
                "pros": "Scales far",
                "cons": "Heavy to run\nNeeds a team",
            },
            {"title": "Postgres SKIP LOCKED", "pros": "Nothing new to run", "cons": "Needs careful indexing"},
        ],
        open_now=True,
    )
    chosen = queue.options.get(title="Postgres SKIP LOCKED")
    other = queue.options.get(title="Kafka")
    services.decision_record_outcome(
        decision=queue,
        option=chosen,
        reasoning="The volume is small and we know Postgres.",
        by=None,
        decided_on=DAY,
        rejected={other.pk: "Too much to operate for our size."},
    )
    queue.refresh_from_db()
    successor = services.decision_supersede(
        decision=queue, by=None, title="Move jobs to a managed queue", reason="Volume grew tenfold."
    )
    successor.opened_on = DAY
    successor.save()
    services.decision_create(
        by=None,
        fields={"title": "Name the on-call rotation", "question": "Who is on call first?"},
        open_now=False,
    )
    withdrawn = services.decision_create(
        by=None,
        fields={"title": "Adopt a four-day week", "question": "Do we try a four-day week?"},
        open_now=True,
    )
    services.decision_withdraw(decision=withdrawn, by=None, reason="The pilot was cancelled by HR.")
    plain = services.decision_create(
        by=None,
        fields={"title": "Write docs in English", "question": "Which language for docs?"},
        open_now=True,
    )
    services.decision_record_outcome(
        decision=plain,
        option=None,
        reasoning="Most readers read English.\n\nTranslations later.",
        by=None,
        outcome="English only",
        decided_on=DAY,
    )


def snapshot() -> dict[str, dict[str, object]]:
    result = {}
    for d in Decision.objects.prefetch_related("options").select_related("supersedes"):
        result[d.title] = {
            "question": d.question,
            "status": d.status,
            "outcome": d.outcome,
            "reasoning": d.reasoning,
            "decided_on": d.decided_on,
            "options": [
                (o.title, o.description, o.pros, o.cons, o.chosen, o.rejected_because)
                for o in d.options.all()
            ],
            "supersedes": d.supersedes.title if d.supersedes else None,
        }
    return result


def test_exporting_the_log_and_importing_it_gives_the_same_log() -> None:
    build_log()
    before = snapshot()
    archive = madr.log_zip(Decision.objects.all())
    Decision.objects.all().delete()
    batch = read_batch(read_zip(archive))
    plan = imports.import_plan(batch, source="export")
    assert plan.count("create") == len(before)
    assert [f.path for f in plan.files if f.action == "skip"] == ["README.md"]
    imports.import_apply(plan=plan, surface=None, by=None, today=DAY)
    after = snapshot()
    assert after == before
    links = set(ImportedLink.objects.values_list("record__decision__title", "kind", "target__title"))
    assert ("Pick a queue for background jobs", "superseded_by", "Move jobs to a managed queue") in links
    assert ("Move jobs to a managed queue", "supersedes", "Pick a queue for background jobs") in links
