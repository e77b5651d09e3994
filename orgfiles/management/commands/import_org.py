from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgfiles import snapshot


class Command(BaseCommand):
    help = "Import an org snapshot file. Validates the whole file first and writes all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A snapshot file written by export_org (or by hand).")
        parser.add_argument("--replace", action="store_true", help="Replace the org already in the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = snapshot.read_path(Path(options["path"]))
            counts = snapshot.load(document, replace=options["replace"])
        except snapshot.SnapshotError as error:
            raise CommandError(error.problems.refusal("The file")) from None
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
