from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgfiles.generate import SCALES, OrgNotEmpty, generate_org


class Command(BaseCommand):
    help = (
        "Generate a synthetic org for benchmarks: the same org for the same seed on the same day, dates "
        "relative to today. Written with bulk inserts in one transaction (all or nothing). History: one "
        "'created' history row per record (skip with --no-history); no history rows for many-to-many links. "
        "Scales: small (25 people, 500 decisions), medium (x4), large (500 people, 10,000 decisions); "
        "tiny is for tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=list(SCALES), required=True, help="How big an org to generate."
        )
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the org already in the database first (every artifact, its history and links).",
        )
        parser.add_argument(
            "--no-history", action="store_true", help="Write no history rows (faster, smaller database)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        try:
            result = generate_org(
                scale=scale,
                seed=options["seed"],
                replace=options["replace"],
                history=not options["no_history"],
                progress=not options["no_progress"] and sys.stderr.isatty(),
            )
        except OrgNotEmpty as error:
            raise CommandError(f"{error}. Nothing was written.") from None
        width = max(len(name) for name in result.counts)
        self.stdout.write(f"Generated the {scale.name} org (seed {options['seed']}):")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>8,}")
        self.stdout.write(f"  {'History rows':<{width}}  {result.history_rows:>8,}")
        self.stdout.write(f"Search: {result.search_index}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {result.seconds:.1f} s."))
