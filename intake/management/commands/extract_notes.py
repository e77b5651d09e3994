"""`python manage.py extract_notes FILE [--date YYYY-MM-DD] [--attendees "Name, Name"] --format json|text`:
the proposals the intake would make from FILE. Writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.extract import SourceError, extract_bytes, people_from_names
from intake.extract.readers import MAX_SOURCE_BYTES
from leadership_os.storable import date_problem


class Command(BaseCommand):
    help = "Extract proposals (decisions, actions, blockers, signals, positions, updates) from meeting notes; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            help="Markdown or text notes, a .vtt or .srt transcript, or a Slack channel export (.json)",
        )
        parser.add_argument(
            "--date", help="the meeting date, YYYY-MM-DD (default: from the file name or a heading)"
        )
        parser.add_argument(
            "--attendees",
            default="",
            help='comma-separated names owners are resolved to, e.g. "Maya Okafor, Dan Reyes"',
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        meeting_date = None
        if options["date"]:
            try:
                meeting_date = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date (YYYY-MM-DD).") from None
            problem = date_problem(meeting_date)
            if problem:
                raise CommandError(f"--date: {problem}")
        try:
            size = path.stat().st_size
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        if size > MAX_SOURCE_BYTES:
            raise CommandError(
                f"{path}: {size / 1024 / 1024:.1f} MB is over the {MAX_SOURCE_BYTES // 1024 // 1024} MB limit for a source."
            )
        people = people_from_names([name for name in options["attendees"].split(",") if name.strip()])
        try:
            result = extract_bytes(
                path.read_bytes(), filename=path.name, meeting_date=meeting_date, people=people or None
            )
        except SourceError as error:
            raise CommandError(f"{path}: {error}") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Meeting date: {result.meeting_date or 'unknown'}")
        self.stdout.write(f"{len(result.proposals)} proposals")
        for proposal in result.proposals:
            lines = ",".join(str(n) for n in proposal.lines)
            self.stdout.write(f"\n[{proposal.kind}] {proposal.text}")
            details = [f"lines {lines}", f"rule {proposal.rule}"]
            if proposal.owner:
                details.append(
                    f"owner {proposal.owner}"
                    + (f" ({proposal.owner_person})" if proposal.owner_person else "")
                )
            if proposal.due:
                details.append(f"due {proposal.due.isoformat()}")
            self.stdout.write("  " + " · ".join(details))
            for note in proposal.notes:
                self.stdout.write(f"  ! {note}")
