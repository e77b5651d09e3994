"""A folder read whole: skips with reasons, links resolved across files, and unsafe uploads refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from imports.adr import folder
from imports.adr.folder import UploadRefused, read_batch, read_directory, read_uploads, read_zip
from tests.imports import nasty


@pytest.fixture
def batch(tmp_path: Path):
    return read_batch(read_directory(nasty.write(tmp_path)))


def by_path(batch):
    return {f.path: f for f in batch.files}


def test_every_file_is_listed_and_the_non_records_are_skipped_with_a_reason(batch) -> None:
    files = by_path(batch)
    assert set(files) == set(nasty.FILES)
    skipped = {path for path, f in files.items() if f.skip_reason}
    assert skipped == nasty.EXPECTED_SKIPS
    assert "template" in files["decisions/template.md"].skip_reason
    assert "index" in files["decisions/index.md"].skip_reason
    assert "README" in files["README.md"].skip_reason
    assert "not UTF-8" in files["decisions/0007-latin1.md"].skip_reason
    assert "binary" in files["decisions/diagram.md"].skip_reason
    assert files["decisions/diagram.png"].skip_reason == "not a Markdown file"
    assert files["decisions/0008-empty.md"].skip_reason == "an empty file"


def test_links_resolve_by_relative_path_number_and_title(batch) -> None:
    files = by_path(batch)
    links = {(path, link.kind, link.target, link.partial) for path, f in files.items() for link in f.links}
    assert ("decisions/0001-use-mysql.md", "superseded_by", "decisions/0004-use-postgres.md", False) in links
    assert ("decisions/0004-use-postgres.md", "supersedes", "decisions/0001-use-mysql.md", False) in links
    assert (
        "decisions/0002-cache-in-redis.md",
        "superseded_by",
        "decisions/later/0005-cache-at-the-edge.md",
        True,
    ) in links
    assert (
        "decisions/0003-adopt-trunk-based-development.md",
        "amends",
        "decisions/0002-cache-in-redis.md",
        False,
    ) in links


def test_a_link_that_points_nowhere_is_kept_as_text_with_a_warning(batch) -> None:
    record = by_path(batch)["decisions/0003-duplicate-number.md"]
    dangling = [link for link in record.links if link.target is None]
    assert [link.text for link in dangling] == ["nothing"]
    assert any(w.line == 8 and "0099-does-not-exist.md" in w.message for w in record.warnings)


def test_duplicate_numbers_and_same_names_in_two_folders_stay_separate_records(batch) -> None:
    files = by_path(batch)
    for path in ("decisions/0003-adopt-trunk-based-development.md", "decisions/0003-duplicate-number.md"):
        assert any("number 3 is also used by" in w.message for w in files[path].warnings)
    assert files["decisions/later/0005-cache-at-the-edge.md"].record is not None
    assert files["teams/payments/0005-cache-at-the-edge.md"].record.adr_status == "deprecated"


def test_non_ascii_names_and_missing_headings_are_handled(batch) -> None:
    files = by_path(batch)
    french = files["decisions/0006-éviter-les-dépendances.md"].record
    assert french.title == "Éviter les dépendances inutiles"
    assert french.adr_status is None and french.status_as_written == "On hold"
    edge = files["decisions/later/0005-cache-at-the-edge.md"].record
    assert edge.title == "Cache at the edge"
    assert edge.adr_status == "proposed"


def test_an_ambiguous_date_is_left_empty(batch) -> None:
    record = by_path(batch)["decisions/0003-adopt-trunk-based-development.md"]
    assert record.record.date is None
    assert any(w.line == 3 and "day-month or month-day" in w.message for w in record.warnings)


# Uploads ------------------------------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_of_a_folder_is_read_relative_to_that_folder() -> None:
    files = read_zip(zip_of({"adr/0001-a.md": b"# A\n", "adr/sub/0002-b.md": b"# B\n"}))
    assert [f.path for f in files] == ["0001-a.md", "sub/0002-b.md"]


@pytest.mark.parametrize(
    "name", ["../evil.md", "adr/../../evil.md", "/etc/evil.md", "C:/evil.md", "..\\evil.md"]
)
def test_a_zip_with_paths_leaving_its_folder_is_refused_whole(name: str) -> None:
    with pytest.raises(UploadRefused, match="leave its folder"):
        read_zip(zip_of({"0001-ok.md": b"# OK\n", name: b"# bad\n"}))


def test_a_zip_bomb_is_refused_by_its_unpacked_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder, "MAX_TOTAL_BYTES", 50_000)
    bomb = zip_of({f"{n:04d}.md": b"#" * 20_000 for n in range(5)})
    assert len(bomb) < 5_000
    with pytest.raises(UploadRefused, match="unpacks to"):
        read_zip(bomb)


def test_a_zip_whose_headers_lie_about_sizes_is_still_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder, "MAX_FILE_BYTES", 1000)
    files = read_zip(zip_of({"0001-big.md": b"a" * 5000}))
    assert files[0].problem and "larger than" in files[0].problem


def test_too_many_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder, "MAX_FILES", 3)
    with pytest.raises(UploadRefused, match="at most 3"):
        read_zip(zip_of({f"{n}.md": b"# x\n" for n in range(4)}))


@pytest.mark.parametrize("data", [b"", b"not a zip at all"])
def test_an_empty_or_broken_archive_is_refused(data: bytes) -> None:
    with pytest.raises(UploadRefused):
        read_zip(data)


def test_an_empty_upload_has_nothing_to_import() -> None:
    with pytest.raises(UploadRefused):
        read_batch(read_uploads([]))


def test_uploaded_files_keep_only_their_names() -> None:
    files = read_uploads([("C:\\Users\\me\\0001-a.md", b"# A\n"), ("../0002-b.md", b"# B\n")])
    assert [f.path for f in files] == ["0001-a.md", "0002-b.md"]


def test_page_bundles_are_records_when_they_read_as_records(tmp_path: Path) -> None:
    (tmp_path / "use-kafka").mkdir()
    (tmp_path / "use-kafka/index.md").write_text("## Status\n\nAccepted\n\n## Decision\n\nWe use Kafka.\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/README.md").write_text("# Docs\n\nSee the records.\n")
    (tmp_path / "README.md").write_text(
        "# Records\n\n## Status\n\nAccepted\n\n## Decision\n\nNot a record at the root.\n"
    )
    files = {f.path: f for f in read_batch(read_directory(tmp_path)).files}
    assert files["use-kafka/index.md"].record.title == "Use kafka"
    assert files["docs/README.md"].skip_reason == folder.INDEX_REASON
    assert files["README.md"].skip_reason == folder.INDEX_REASON


def test_utf16_text_is_skipped_with_its_own_reason() -> None:
    files = read_batch(read_uploads([("0001-a.md", "# A\n".encode("utf-16"))])).files
    assert files[0].skip_reason.startswith("UTF-16 text")
