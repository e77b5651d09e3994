"""A stand-in for the decisions app's snapshot section, so that the workstreams part of the sample org
can be validated and loaded on its own (the decision log writes the real one)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from unittest import mock

from django.conf import settings

from decisions.models import Decision
from orgfiles import snapshot
from orgfiles.snapshot import Record, Section, WriteContext

# The decisions the workstreams part of the sample org may refer to, with the status each has in the
# decision log's part (fixtures/sample/10_decisions.json).
SAMPLE_DECISIONS = {
    "D-1": "decided",
    "D-2": "superseded",
    "D-3": "open",
    "D-5": "open",
    "D-8": "open",
    "D-12": "open",
}
SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample"


class DecisionStubIn(Record):
    key: str
    title: str = "A decision"
    question: str = ""
    status: Literal["draft", "open", "decided", "superseded", "withdrawn"] = "open"


def _write(items: list[DecisionStubIn], ctx: WriteContext) -> None:
    for item in items:
        number = int(item.key.split("-")[1])
        decision = Decision.objects.create(
            number=number, key=item.key, title=item.title, question=item.title, status=item.status
        )
        ctx.put("decisions", item.key, decision)


STUB = Section(
    name="decisions",
    record=DecisionStubIn,
    order=30,
    key_of=lambda r: r.key,
    write=_write,
    models=(Decision,),
)


@contextmanager
def decisions_section() -> Iterator[None]:
    """Within this block the snapshot loader knows a minimal `decisions` section, unless the
    decisions app already provides one."""
    real = snapshot.sections

    def with_stub() -> list[Section]:
        found = real()
        if any(section.name == "decisions" for section in found):
            return found
        return sorted([*found, STUB], key=lambda s: s.order)

    with mock.patch.object(snapshot, "sections", with_stub):
        yield


def decisions_app_has_a_section() -> bool:
    return any(section.name == "decisions" for section in snapshot.sections())


def sample_decisions() -> list[dict[str, Any]]:
    """The decisions the workstreams part of the sample refers to: the decision log's own part of the
    sample when the decisions app can load it, else stand-ins with the same keys and statuses."""
    part = SAMPLE / "10_decisions.json"
    if decisions_app_has_a_section() and part.exists():
        return list(json.loads(part.read_text())["decisions"])
    return stub_decisions()


def stub_decisions() -> list[dict[str, str]]:
    return [
        {"key": key, "title": f"Sample decision {key}", "status": status}
        for key, status in SAMPLE_DECISIONS.items()
    ]
