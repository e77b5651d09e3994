"""`python manage.py import_decisions PATH [--surface NAME] [--source NAME] [--dry-run] [--format json|text]`"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from imports import services
from imports.adr.folder import UploadRefused, read_batch, read_directory, read_uploads, read_zip
from leadership_os.models import Surface


class Command(BaseCommand):
    help = (
        "Import a folder (or a .zip, or one .md file) of decision records into the decision log. "
        "With --dry-run nothing is written; --format json prints the preview as one JSON document."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="A folder of Markdown decision records, a .zip of one, or one .md file."
        )
        parser.add_argument("--surface", help="The surface (its name or key) the decisions belong to.")
        parser.add_argument(
            "--source",
            help="The name the folder is remembered by, for re-imports (default: the folder's name).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]).expanduser()
        surface = None
        if options["surface"]:
            name = options["surface"].strip()
            surface = Surface.objects.filter(Q(name__iexact=name) | Q(key__iexact=name)).first()
            if surface is None:
                known = ", ".join(Surface.objects.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"No surface is called '{name}' (surfaces: {known}).")
        try:
            if path.is_dir():
                files = read_directory(path)
                default_source = path.resolve().name
            elif path.is_file() and path.suffix.lower() == ".zip":
                files = read_zip(path.read_bytes())
                default_source = path.stem
            elif path.is_file():
                files = read_uploads([(path.name, path.read_bytes())])
                default_source = path.resolve().parent.name
            else:
                raise CommandError(f"{path} is neither a folder nor a file.")
            batch = read_batch(files)
        except UploadRefused as refused:
            raise CommandError(str(refused)) from None
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror or error}") from None
        source = services.source_name(options["source"] or default_source)
        plan = services.import_plan(batch, source=source)
        applied = None
        if not options["dry_run"]:
            applied = services.import_apply(plan=plan, surface=surface, by=None, today=timezone.localdate())
        if options["format"] == "json":
            self.stdout.write(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
            for path_gone in plan.vanished:
                self.stderr.write(f"vanished: {path_gone} (imported before, not in the folder now; kept)")
            return
        self._write_text(plan, applied, dry_run=options["dry_run"])

    def _write_text(self, plan: services.Plan, applied: services.Applied | None, *, dry_run: bool) -> None:
        out = self.stdout
        for item in plan.files:
            record = item.record
            if item.action == "skip":
                out.write(f"skip    {item.path}: {item.skip_reason}")
                continue
            assert record is not None
            number = f" [{record.original_id}]" if record.original_id else ""
            date = f", {record.date.iso()}" if record.date else ""
            options = f", {len(record.options)} options" if record.options else ""
            chosen = f", chose '{record.chosen_option}'" if record.chosen_option else ""
            out.write(
                f"{item.action:<7} {item.path}: {record.title}{number} ({item.status}{date}{options}{chosen})"
            )
            for link in item.result.links:
                target = link.target or "not found"
                out.write(
                    f"          {link.kind.replace('_', ' ')}{' (partly)' if link.partial else ''}: {link.text} -> {target}"
                )
            for warning in item.result.warnings:
                out.write(f"          line {warning.line}: {warning.message}")
        for path_gone in plan.vanished:
            out.write(f"vanished {path_gone}: imported before, not in the folder now; kept as it is")
        summary = (
            f"{len(plan.files)} files: {plan.count('create')} to create, {plan.count('update')} to update, "
            f"{plan.count('skip')} skipped; {plan.warning_count} warnings; {plan.links_resolved} links resolved."
        )
        if dry_run or applied is None:
            out.write(f"Dry run, nothing written. {summary}")
        else:
            for note in applied.notes:
                out.write(f"note: {note}")
            out.write(
                self.style.SUCCESS(
                    f"Imported from '{plan.source}': {len(applied.created)} created, {len(applied.updated)} updated, "
                    f"{applied.unchanged} unchanged. {summary}"
                )
            )
