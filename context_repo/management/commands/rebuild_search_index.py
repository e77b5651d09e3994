from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from context_repo.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Index every decision, context entry, workstream and brief again, from scratch. "
        "Saves keep the index in step by themselves; run this after bulk writes that bypass them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} records for search."))
