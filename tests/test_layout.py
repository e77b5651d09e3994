"""The house's layout: the kernel at the bottom, the five artifacts on it, the features on top; and a
database made before the radar became an app of its own migrates forward with its rows."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(settings.BASE_DIR)
KERNEL = "leadership_os"
ARTIFACTS = ("decisions", "workstreams", "briefs", "rhythms", "context_repo")
FEATURES = ("radar", "orgfiles", "outbound", "people", "intake", "imports")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_of_the_code(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for package in (KERNEL, *ARTIFACTS, *FEATURES):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("leadership_os/memo.py", "from decisions import models as _up"),  # kernel -> artifact
        ("leadership_os/markdown.py", "from radar import queries as _up"),  # kernel -> feature
        ("decisions/queries.py", "from orgfiles import snapshot as _up"),  # artifact -> feature
    ],
)
def test_the_layers_contract_breaks_when_an_import_points_up(
    tmp_path: Path, module: str, upward_import: str
) -> None:
    copy = _copy_of_the_code(tmp_path)
    assert _lint_imports(copy).returncode == 0, "the copy must keep the contracts before the change"

    with (copy / module).open("a") as source:
        source.write(f"\n{upward_import}  # noqa\n")
    result = _lint_imports(copy)

    assert result.returncode != 0
    assert "Layers: features above the five artifacts above the kernel BROKEN" in result.stdout


def test_every_app_says_in_one_sentence_what_it_is() -> None:
    for label in (KERNEL, *ARTIFACTS, *FEATURES):
        config = apps.get_app_config(label)
        said = (
            type(config).__doc__
            or sys.modules[type(config).__module__].__doc__
            or sys.modules[config.name].__doc__
            or ""
        ).strip()
        assert said, f"{label}: its apps.py or __init__.py says nothing about what it is"


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_snoozes_history_and_revision() -> None:
    before = [("leadership_os", "0005_change_reason_text"), ("radar", None)]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old_apps = (
            MigrationExecutor(connection)
            .loader.project_state([before[0], ("contenttypes", "0002_remove_content_type_name")])
            .apps
        )
        old_snooze = old_apps.get_model("leadership_os", "Snooze")
        old_history = old_apps.get_model("leadership_os", "HistoricalSnooze")
        revision = old_apps.get_model("leadership_os", "OrgRevision")
        content_type = old_apps.get_model("contenttypes", "ContentType")
        content_type.objects.get_or_create(app_label="leadership_os", model="snooze")
        snooze = old_snooze.objects.create(
            rule="stale-update",
            subject_type="workstream",
            subject_key="WS-3",
            fingerprint="f" * 64,
            until=dt.date(2026, 12, 20),
            note="Owner is on leave this week",
        )
        old_history.objects.create(
            id=snooze.pk,
            rule=snooze.rule,
            subject_type=snooze.subject_type,
            subject_key=snooze.subject_key,
            fingerprint=snooze.fingerprint,
            until=snooze.until,
            note=snooze.note,
            created_at=snooze.created_at,
            history_date=snooze.created_at,
            history_type="+",
            history_change_reason="Snoozed from the radar",
        )
        revision.objects.update_or_create(pk=1, defaults={"number": 41})

        MigrationExecutor(connection).migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)

    from leadership_os.models import OrgRevision
    from radar.models import Snooze

    moved = Snooze.objects.get()
    assert (moved.subject_key, moved.note, moved.until) == (
        "WS-3",
        "Owner is on leave this week",
        snooze.until,
    )
    assert [h.history_change_reason for h in moved.history.all()] == ["Snoozed from the radar"]
    assert OrgRevision.current() == 41
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Snooze).app_label == "radar"
    assert not ContentType.objects.filter(app_label="leadership_os", model="snooze").exists()
