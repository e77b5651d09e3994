"""The imports app's panel on a decision's page: where the decision came from (kernel panel slot)."""

from __future__ import annotations

from typing import Any

from leadership_os import panels


def _provenance(decision: Any) -> dict[str, Any] | None:
    from imports.models import ImportedRecord

    record = ImportedRecord.objects.filter(decision_id=decision.pk).prefetch_related("links__target").first()
    if record is None:
        return None
    return {"record": record, "decision": decision}


def register() -> None:
    panels.register("decision-side", "imports/_provenance_panel.html", _provenance)
