"""Time the import preview of a 300-file folder (issue 15): reading, parsing, linking, planning and
rendering the preview page, in process against a fresh test database. Not a test: it prints figures.

    .venv/bin/python bench/imports_preview.py [--files 300] [--runs 7]

The folder is made from the real corpus in tests/imports/corpus (MADR, Nygard, log4brains, …),
copied under new numbers until it holds the requested number of Markdown files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadership_os.settings")


def corpus_files(count: int) -> list[tuple[str, bytes]]:
    sources = sorted(p for p in (ROOT / "tests/imports/corpus").rglob("*.md"))
    files: list[tuple[str, bytes]] = []
    round_ = 0
    while len(files) < count:
        for path in sources:
            if len(files) >= count:
                break
            folder = path.parent.name
            files.append((f"{folder}-{round_}/{path.name}", path.read_bytes()))
        round_ += 1
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth.models import User
        from django.urls import reverse

        from imports import services
        from imports.adr.folder import SourceFile, read_batch
        from imports.models import ImportBatch
        from leadership_os.access import Role, ensure_roles

        ensure_roles()
        user = User.objects.create_user("bench-cos", password="x")
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=Role.CHIEF_OF_STAFF.value))
        raw = corpus_files(args.files)
        sources = [SourceFile(path, data) for path, data in raw]

        parse_times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            plan = services.import_plan(read_batch(sources), source="bench")
            parse_times.append(time.perf_counter() - start)
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in raw:
                archive.writestr(f"bench/{path}", data)
        archive_bytes = buffer.getvalue()
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = Client()
        client.force_login(user)
        upload_times = []
        page_times = []
        for run in range(args.runs):
            upload = SimpleUploadedFile("bench.zip", archive_bytes)
            start = time.perf_counter()
            response = client.post(
                reverse("imports:import_upload"), {"files": [upload], "source": f"bench-{run}"}
            )
            upload_times.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
            url = response["Location"]
            start = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - start)
            assert response.status_code == 200
        assert ImportBatch.objects.count() == args.runs
        print(
            f"{len(plan.files)} files ({plan.count('create')} records, {plan.count('skip')} skipped), "
            f"{plan.warning_count} warnings, {plan.links_resolved} links resolved"
        )
        print(
            f"read + parse + link + plan: median {statistics.median(parse_times) * 1000:.0f} ms, max {max(parse_times) * 1000:.0f} ms"
        )
        print(
            f"upload (POST: unzip, read, parse, keep): median {statistics.median(upload_times) * 1000:.0f} ms, max {max(upload_times) * 1000:.0f} ms"
        )
        print(
            f"preview page (GET, whole):  median {statistics.median(page_times) * 1000:.0f} ms, max {max(page_times) * 1000:.0f} ms, {len(response.content) // 1024} kB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
