"""Real public ADR folders (tests/imports/corpus/<name>/, each with its licence) and our own nasty
folder, imported into the log; prints per folder: files read, decisions created, warnings, links resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from decisions.models import Decision
from imports import services
from imports.adr.folder import read_batch, read_directory
from tests.imports import nasty

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
# folder: (decisions created, at least this many links resolved)
EXPECTED = {
    "adr-tools": (9, 2),
    "arachne": (17, 2),
    "govuk-aws": (38, 3),
    "log4brains": (9, 2),
    "madr": (19, 0),
    "nasty": (8, 5),
}


def test_every_corpus_folder_keeps_its_licence() -> None:
    for folder in CORPUS.iterdir():
        assert any(p.name.upper().startswith(("LICENSE", "LICENCE")) for p in folder.iterdir()), folder


def test_the_corpus_imports_and_a_summary_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = {p.name: p for p in sorted(CORPUS.iterdir())}
    folders["nasty"] = nasty.write(tmp_path / "nasty")
    rows = []
    for name, path in folders.items():
        plan = services.import_plan(read_batch(read_directory(path)), source=name)
        applied = services.import_apply(plan=plan, surface=None, by=None, today=timezone.localdate())
        rows.append((name, len(plan.files), len(applied.created), plan.warning_count, plan.links_resolved))
        created, links = EXPECTED[name]
        assert len(applied.created) == created, name
        assert plan.links_resolved >= links, name
    with capsys.disabled():
        print(f"\n{'folder':<12} {'files read':>10} {'created':>8} {'warnings':>9} {'links resolved':>15}")
        for row in rows:
            print(f"{row[0]:<12} {row[1]:>10} {row[2]:>8} {row[3]:>9} {row[4]:>15}")
    assert Decision.objects.count() == sum(created for created, _ in EXPECTED.values())
    superseded = Decision.objects.filter(
        imported_from__source="log4brains", status=Decision.Status.SUPERSEDED
    ).get()
    assert superseded.superseded_by.title == "Use the ADR slug as its unique ID"
