"""export_org and import_org: the whole org out and back in gives the same file, history included;
a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from briefs.models import Brief
from context_repo.models import ContextEntry
from context_repo.services import ENTRY_FIELDS, entry_update
from decisions import services
from decisions.models import Decision
from decisions.queries import decision_history, previous_outcome
from leadership_os.access import Role
from leadership_os.history import HistoryEntry
from leadership_os.models import Person
from orgfiles import snapshot
from rhythms.models import Ritual
from rhythms.services import ritual_retire
from tests.factories import UserFactory
from workstreams.models import Commitment, Workstream
from workstreams.services import commitment_complete, commitment_recommit, workstream_change

pytestmark = pytest.mark.django_db


def test_export_then_import_into_an_empty_database_gives_the_same_file(tmp_path) -> None:
    call_command("load_sample")
    first = tmp_path / "first.json"
    call_command("export_org", "-o", str(first))
    snapshot.clear_org()
    assert not Person.objects.exists()
    call_command("import_org", str(first))
    second = tmp_path / "second.json"
    call_command("export_org", "-o", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    assert first.read_text() == second.read_text()


def test_import_refuses_a_bad_file_with_every_problem_by_place_and_changes_nothing(tmp_path) -> None:
    call_command("load_sample")
    before = Person.objects.count()
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"format": snapshot.FORMAT, "people": [{"key": "x"}], "surfaces": [{"name": 7}]})
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_org", str(path), "--replace")
    message = str(caught.value)
    assert "people[0].name: required" in message
    assert "surfaces[0].key: required" in message
    assert "surfaces[0].name: must be text" in message
    assert Person.objects.count() == before


def test_import_over_an_existing_org_needs_replace(tmp_path) -> None:
    call_command("load_sample")
    path = tmp_path / "org.json"
    call_command("export_org", "-o", str(path))
    with pytest.raises(CommandError, match="already holds an organization"):
        call_command("import_org", str(path))
    call_command("import_org", str(path), "--replace")


def _readable(entries: list[HistoryEntry]) -> list[tuple[object, ...]]:
    return [
        (e.when, e.who, e.kind, e.subject, e.reason, [(c.field, c.old, c.new) for c in e.changes])
        for e in entries
    ]


def _what_readers_see() -> dict[str, object]:
    """Each decision's history page, and the outcome a reopened decision had, as readers see them."""
    seen: dict[str, object] = {}
    for decision in Decision.objects.order_by("number"):
        outcome = previous_outcome(decision)
        seen[decision.key] = (
            _readable(decision_history(decision)),
            outcome
            and (
                outcome.history_date,
                outcome.history_user_id,
                outcome.outcome,
                outcome.reasoning,
                outcome.decided_on,
            ),
        )
    return seen


def _another(stance: str) -> str:
    return "support" if stance != "support" else "neutral"


def _edit_the_org(cos: object, vp: object) -> Decision:
    """Real edits through the services and forms, by the chief of staff and the principal."""
    decision = Decision.objects.get(key="D-3")  # open, three options, four stakeholders
    options = list(decision.options.all())
    stakeholders = list(decision.stakeholders.select_related("person"))
    services.decision_update(
        decision=decision,
        by=cos,
        expected_version=decision.version,
        fields={"title": f"{decision.title} (revised)"},
        tags=[*decision.tags.values_list("name", flat=True), "revisited"],
        # The first option reworded, the last deleted; the first stakeholder changes their stance.
        options=[
            {"id": options[0].pk, "title": f"{options[0].title}, for a year", "pros": options[0].pros},
            {"id": options[1].pk, "title": options[1].title},
        ],
        stakeholders=[
            {
                "id": s.pk,
                "person": s.person,
                "stance": _another(s.stance) if n == 0 else s.stance,
                "position": s.position,
            }
            for n, s in enumerate(stakeholders)
        ],
    )
    decision.refresh_from_db()
    services.decision_record_outcome(
        decision=decision, option=decision.options.first(), reasoning="Counsel agreed.", by=vp
    )
    decision.refresh_from_db()
    services.decision_reopen(decision=decision, by=cos, note="Helix changed counsel.")

    workstream = Workstream.objects.filter(state="on_track").order_by("number").first()
    workstream_change(workstream=workstream, by=cos, expected_version=workstream.version, state="at_risk")

    done, moved = Commitment.objects.filter(done_on__isnull=True, occurrence__isnull=True).order_by("number")[
        :2
    ]
    commitment_complete(commitment=done, by=cos, expected_version=done.version)
    commitment_recommit(
        commitment=moved,
        by=cos,
        expected_version=moved.version,
        due_on=moved.due_on + dt.timedelta(days=14),
        reason="Waiting on legal",
    )

    entry = ContextEntry.objects.order_by("number").first()
    entry._history_user = cos  # type: ignore[attr-defined]  # what the request middleware sets in a view
    data = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    entry_update(
        entry=entry,
        data={**data, "title": f"{entry.title} (updated)", "tags": ["revisited"], "decisions": [decision]},
        expected_version=entry.version,
    )

    ritual = Ritual.objects.filter(is_active=True).order_by("number").first()
    ritual._history_user = cos  # type: ignore[attr-defined]
    ritual_retire(ritual=ritual, reason="Nobody decides anything there.", expected_version=ritual.version)

    brief = Brief.objects.select_related("engagement").order_by("engagement__number").first()
    client = Client()
    client.force_login(cos)
    response = client.post(
        f"/briefs/{brief.engagement.pk}/edit/objective/",
        {"objective": "Leave with a yes on the pilot.", "version": brief.version},
    )
    assert response.status_code == 302
    return decision


def test_history_travels_and_reads_the_same_after_an_import(tmp_path) -> None:
    cos = UserFactory(username="cos", role=Role.CHIEF_OF_STAFF)
    vp = UserFactory(username="vp", role=Role.PRINCIPAL)
    call_command("load_sample")
    decision = _edit_the_org(cos, vp)
    before = _what_readers_see()
    assert before[decision.key][1] is not None  # reopened: its outcome is kept in its history
    restanced = decision.stakeholders.select_related("person").first().person.key
    first = tmp_path / "first.json"
    call_command("export_org", "-o", str(first))

    snapshot.clear_org()
    call_command("import_org", str(first))
    second = tmp_path / "second.json"
    call_command("export_org", "-o", str(second))

    assert first.read_text() == second.read_text()
    assert _what_readers_see() == before
    document = json.loads(first.read_text())
    written = next(d for d in document["decisions"] if d["key"] == decision.key)
    parts = {entry.get("part") for entry in written["history"]}
    assert {"option 1", f"stakeholder {restanced}", "deleted option 1"} <= parts
    reopened = written["history"][-1]
    assert (reopened["by"], reopened["reason"]) == ("cos", "Reopened: Helix changed counsel.")
    assert reopened["values"]["status"] == "open"
