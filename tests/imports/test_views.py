"""The chief of staff's import in the browser's terms: upload, preview, confirm; who may; the original."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from decisions.models import Decision
from imports.models import ImportBatch, ImportedRecord
from tests.imports import nasty
from tests.imports.test_folder import zip_of

pytestmark = pytest.mark.django_db


def upload(client: Client, *files: SimpleUploadedFile, **fields: str):
    return client.post(reverse("imports:import_upload"), {"files": list(files), **fields})


def team_zip() -> SimpleUploadedFile:
    return SimpleUploadedFile("team-adrs.zip", zip_of({f"team-adrs/{k}": v for k, v in nasty.FILES.items()}))


def test_the_upload_page_is_for_the_chief_of_staff_only(client_as) -> None:
    assert client_as("chief_of_staff").get(reverse("imports:import_start")).status_code == 200
    for role in ("principal", "contributor", "viewer"):
        response = client_as(role).get(reverse("imports:import_start"))
        assert response.status_code == 403
        assert "Only the chief of staff imports decision records." in response.content.decode()
    response = upload(client_as("contributor"), team_zip())
    assert response.status_code == 403 and ImportBatch.objects.count() == 0


def test_upload_preview_and_confirm_import_everything_in_one_go(cos_client: Client) -> None:
    response = upload(cos_client, team_zip())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:import_preview", args=[batch.pk]
    )
    assert batch.source == "team-adrs"
    page = cos_client.get(response["Location"]).content.decode()
    for path in nasty.FILES:
        assert path.replace("é", "&eacute;") in page or path in page
    assert "line 3" in page and "could be day-month or month-day" in page
    assert "a template (by its name), not a record" in page
    assert Decision.objects.count() == 0
    confirmed = cos_client.post(reverse("imports:import_confirm", args=[batch.pk]))
    assert confirmed.status_code == 302
    assert Decision.objects.count() == 8
    batch.refresh_from_db()
    assert batch.applied_at is not None and batch.files == []
    done = cos_client.get(confirmed["Location"]).content.decode()
    assert "Imported: team-adrs" in done and "8 created, 0 updated, 7 skipped" in done
    assert done.count("Created</span>") == 8
    again = cos_client.post(reverse("imports:import_confirm", args=[batch.pk]))
    assert again.status_code == 409 and Decision.objects.count() == 8


def test_several_markdown_files_can_be_uploaded_together(cos_client: Client) -> None:
    files = [
        SimpleUploadedFile("0001-a.md", b"# 1. A\n\n## Status\n\nAccepted\n"),
        SimpleUploadedFile("0002-b.md", b"# 2. B\n\n## Status\n\nAccepted\n\nSupersedes [A](0001-a.md)\n"),
    ]
    response = upload(cos_client, *files, source="Payments ADRs")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.source == "Payments ADRs"
    cos_client.post(reverse("imports:import_confirm", args=[batch.pk]))
    b = ImportedRecord.objects.get(path="0002-b.md").decision
    assert b.supersedes.imported_from.path == "0001-a.md"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose a .zip of the folder"),
        ([SimpleUploadedFile("adrs.zip", b"nope")], "not a readable zip archive"),
        ([SimpleUploadedFile("adrs.zip", zip_of({"../x.md": b"# x"}))], "leave its folder"),
        ([SimpleUploadedFile("0001-a.md", b"")], "The upload is empty."),
        (
            [SimpleUploadedFile("a.zip", zip_of({"a.md": b"# a"})), SimpleUploadedFile("b.md", b"# b")],
            "Upload one .zip on its own",
        ),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_kept(
    cos_client: Client, files, message: str
) -> None:
    response = upload(cos_client, *files)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Decision.objects.count() == 0


def test_a_binary_or_non_utf8_upload_is_listed_as_skipped(cos_client: Client) -> None:
    upload(
        cos_client,
        SimpleUploadedFile("0001-ok.md", b"# 1. OK\n\n## Status\n\nAccepted\n"),
        SimpleUploadedFile("0002-latin.md", "# Café\n".encode("latin-1")),
        SimpleUploadedFile("0003-bin.md", b"\x00\x01\x02"),
    )
    page = cos_client.get(
        reverse("imports:import_preview", args=[ImportBatch.objects.get().pk])
    ).content.decode()
    assert "not UTF-8 text" in page and "a binary file, not text" in page


def test_the_decision_page_shows_where_it_came_from_and_the_original_markdown(
    cos_client: Client, client_as
) -> None:
    upload(cos_client, team_zip())
    cos_client.post(reverse("imports:import_confirm", args=[ImportBatch.objects.get().pk]))
    record = ImportedRecord.objects.get(path="decisions/0001-use-mysql.md")
    viewer = client_as("viewer")
    page = viewer.get(reverse("decisions:decision_detail", args=[record.decision.key])).content.decode()
    assert "Imported record" in page and "team-adrs/decisions/0001-use-mysql.md" in page
    assert "ADR 001" in page
    original_url = reverse("imports:record_original", args=[record.pk])
    assert original_url in page
    assert "Superseded." in page  # the log's own callout, pointing at the successor
    original = viewer.get(original_url).content.decode()
    assert "# ADR 001: Use MySQL" in original
    download = viewer.get(reverse("imports:record_original_download", args=[record.pk]))
    assert download["Content-Type"].startswith("text/markdown")
    assert download.content.decode().startswith("---")


def test_a_decision_typed_in_the_app_shows_no_import_panel(cos_client: Client) -> None:
    from tests.decisions.factories import DecisionFactory

    decision = DecisionFactory()
    page = cos_client.get(reverse("decisions:decision_detail", args=[decision.key])).content.decode()
    assert "Imported record" not in page


def test_the_preview_reads_the_upload_kept_on_the_server_not_the_browser(cos_client: Client) -> None:
    upload(cos_client, SimpleUploadedFile("0001-a.md", b"# 1. A\n\n## Status\n\nAccepted\n"))
    batch = ImportBatch.objects.get()
    cos_client.post(
        reverse("imports:import_confirm", args=[batch.pk]), {"files": "forged", "title": "Forged"}
    )
    assert list(Decision.objects.values_list("title", flat=True)) == ["A"]


def _folder_zip(size: int) -> SimpleUploadedFile:
    files = {
        f"adrs/{n:04d}-record-{n}.md": (
            f"# {n}. Record {n}\n\n## Status\n\nAccepted\n\nSupersedes [{n - 1}]("
            + f"{n - 1:04d}-record-{n - 1}.md)\n"
        ).encode()
        for n in range(1, size + 1)
    }
    return SimpleUploadedFile("adrs.zip", zip_of(files))


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_preview_and_the_import_pages_read_the_same_number_of_queries_at_any_size(
    cos_client: Client,
) -> None:
    counts = []
    for size in (3, 30):
        upload(cos_client, _folder_zip(size), source=f"size-{size}")
        batch = ImportBatch.objects.get(source=f"size-{size}")
        preview = _queries(cos_client, reverse("imports:import_preview", args=[batch.pk]))
        cos_client.post(reverse("imports:import_confirm", args=[batch.pk]))
        again = _queries(cos_client, reverse("imports:import_preview", args=[batch.pk]))
        start = _queries(cos_client, reverse("imports:import_start"))
        record = ImportedRecord.objects.filter(source=f"size-{size}").order_by("-path").first()
        page = _queries(cos_client, reverse("decisions:decision_detail", args=[record.decision.key]))
        counts.append((preview, again, start, page))
    assert counts[0] == counts[1]


def test_what_a_file_says_reaches_the_pages_escaped(cos_client: Client) -> None:
    upload(
        cos_client,
        SimpleUploadedFile("0001-<i>x.md", b"# <script>alert(1)</script>\n\n## Status\n\nAccepted\n"),
    )
    batch = ImportBatch.objects.get()
    preview = cos_client.get(reverse("imports:import_preview", args=[batch.pk])).content.decode()
    assert "<script>alert(1)</script>" not in preview and "&lt;script&gt;" in preview
    cos_client.post(reverse("imports:import_confirm", args=[batch.pk]))
    record = ImportedRecord.objects.get()
    page = cos_client.get(reverse("decisions:decision_detail", args=[record.decision.key])).content.decode()
    assert "<i>x" not in page and "0001-&lt;i&gt;x.md" in page
    assert "<script>alert(1)</script>" not in page
