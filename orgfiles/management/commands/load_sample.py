from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leadership_os.demo_users import DEMO_PASSWORD, ensure_demo_users
from orgfiles import snapshot


class Command(BaseCommand):
    help = "Load an org snapshot (default: the sample org in fixtures/). Validates the whole file first; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=str(snapshot.DEFAULT_SAMPLE),
            help="A snapshot file, or a folder of JSON parts (default: the sample org).",
        )
        parser.add_argument("--replace", action="store_true", help="Replace the org already in the database.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no org yet (used by 'make run').",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create one login per role (refused when DEBUG is off).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo_users"]:
            try:
                users = ensure_demo_users()
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
        if options["if_empty"] and not snapshot.org_is_empty():
            self.stdout.write("The database already holds an organization; nothing loaded.")
        else:
            try:
                document = snapshot.read_path(Path(options["path"]))
                counts = snapshot.load(document, replace=options["replace"])
            except snapshot.SnapshotError as error:
                raise CommandError(error.problems.refusal("The snapshot")) from None
            summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) or "nothing"
            self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))
        if options["demo_users"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for user in users:
                self.stdout.write(f"  {user.username:<8} {user.role.value}")
