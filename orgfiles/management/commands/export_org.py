from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from orgfiles import snapshot


class Command(BaseCommand):
    help = "Write the whole org as one snapshot file (leadership-os/org@1), with absolute dates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        document = snapshot.export()
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            counts = ", ".join(
                f"{len(v)} {k.replace('_', ' ')}" for k, v in document.items() if isinstance(v, list)
            )
            self.stderr.write(f"Exported {counts} to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
