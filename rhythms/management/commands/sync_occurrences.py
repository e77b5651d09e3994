from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rhythms.services import FUTURE_DAYS, PAST_DAYS, sync_all_occurrences


class Command(BaseCommand):
    help = (
        f"Materialize every ritual's occurrences from its rule, {PAST_DAYS // 7} weeks back to "
        f"{FUTURE_DAYS // 7} weeks ahead. Idempotent; recorded occurrences are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="The day to sync around, YYYY-MM-DD (default: today in the configured zone)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date written YYYY-MM-DD, not {options['today']!r}"
                ) from None
        result = sync_all_occurrences(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Occurrences synced around {today:%Y-%m-%d}: {result.created} created, {result.removed} removed."
            )
        )
