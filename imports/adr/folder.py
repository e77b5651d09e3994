"""A folder of decision records, read whole: which files are records, which are skipped and why,
and what each record's links point to (by relative path, number or title).

Ways in: `read_directory` (a folder on disk), `read_zip` (an uploaded archive) and `read_uploads`
(several uploaded files). Each answers `SourceFile`s; `read_batch` turns them into a `Batch`.
The limits below bound what one import reads; `UploadRefused` says which one a whole upload broke.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import stat
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from imports.adr.parser import normalize_title, parse_record
from imports.adr.records import LinkKind, ParsedLink, ParsedRecord, Warning

MAX_FILES = 2000
MAX_FILE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 25_000_000
MAX_PATH = 500
MARKDOWN = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
TEMPLATE_NAME = re.compile(
    r"(?:^|[-_. ])(?:template|tmpl|skeleton|example-adr)(?:$|[-_. ])|^_?template", re.I
)
INDEX_NAMES = {
    "readme",
    "index",
    "_index",
    "toc",
    "summary",
    "_sidebar",
    "sidebar",
    "contents",
    "changelog",
    "license",
    "contributing",
    "adr-log",
    "decision-log",
    "log",
}
_PLACEHOLDER_TITLE = re.compile(
    r"^\s*(?:\{.*\}|\[.*\]|<.*>)\s*$|short title|title of (?:the )?(?:adr|decision)|^adr title$|^title$", re.I
)


INDEX_REASON = "an index or README page, not a record"
# A page bundle (`use-kafka/index.md`) is a record when it reads as one.
BUNDLE_NAMES = {"index", "_index", "readme"}


class UploadRefused(ValueError):
    """The whole upload is refused (unsafe or too big); nothing of it is read."""


@dataclass(frozen=True)
class SourceFile:
    path: str
    data: bytes
    problem: str | None = None


@dataclass(frozen=True)
class ResolvedLink:
    kind: LinkKind
    target: str | None
    text: str
    partial: bool
    line: int


@dataclass(frozen=True)
class FileResult:
    path: str
    skip_reason: str | None
    record: ParsedRecord | None
    links: tuple[ResolvedLink, ...] = ()
    warnings: tuple[Warning, ...] = ()


@dataclass(frozen=True)
class Batch:
    files: tuple[FileResult, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def records(self) -> list[FileResult]:
        return [f for f in self.files if f.record is not None and f.skip_reason is None]


# --- Ways in ---------------------------------------------------------------------------------------


def _check_count(count: int) -> None:
    if count > MAX_FILES:
        raise UploadRefused(f"It holds {count} files; an import reads at most {MAX_FILES}.")


def read_directory(root: Path) -> list[SourceFile]:
    """Every file under `root` (hidden folders included, to be listed as skipped), paths relative to
    it. Symbolic links are not followed out of the folder."""
    root = root.resolve()
    files: list[SourceFile] = []
    total = 0
    paths = sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
    _check_count(len(paths))
    for path in paths:
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root) or not target.is_file():
                files.append(SourceFile(relative, b"", "a symbolic link out of the folder; not followed"))
                continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            files.append(SourceFile(relative, b"", f"larger than {MAX_FILE_BYTES // 1000} kB; not read"))
            continue
        total += size
        if total > MAX_TOTAL_BYTES:
            raise UploadRefused(
                f"The folder holds more than {MAX_TOTAL_BYTES // 1_000_000} MB of files; an import reads at most that."
            )
        files.append(SourceFile(relative, path.read_bytes()))
    return files


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts or "\x00" in name
    )


def read_zip(data: bytes) -> list[SourceFile]:
    """The files of a zip archive. Refuses the whole archive if it is not a zip, if a member's path
    leaves the folder (`../`, absolute), or if it holds more than MAX_FILES files or more than
    MAX_TOTAL_BYTES uncompressed (whatever its headers claim)."""
    if not data:
        raise UploadRefused("The upload is empty.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UploadRefused(f"This is not a readable zip archive ({error}).") from None
    entries = [m for m in members if not m.is_dir()]
    _check_count(len(entries))
    unsafe = [m.filename for m in members if _unsafe(m.filename)]
    if unsafe:
        raise UploadRefused(
            f"The archive has paths that leave its folder ({', '.join(unsafe[:3])}); nothing was read."
        )
    declared = sum(m.file_size for m in entries)
    if declared > MAX_TOTAL_BYTES:
        raise UploadRefused(
            f"The archive unpacks to {declared // 1_000_000} MB; an import reads at most {MAX_TOTAL_BYTES // 1_000_000} MB."
        )
    files: list[SourceFile] = []
    seen: set[str] = set()
    total = 0
    for member in entries:
        name = member.filename.replace("\\", "/")
        if member.flag_bits & 0x800 == 0:
            # Not flagged UTF-8: zipfile decoded it as CP437; most tools wrote UTF-8 anyway.
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                name = name.encode("cp437").decode("utf-8")
        name = unicodedata.normalize("NFC", name)
        if name in seen:
            files.append(
                SourceFile(name + " (again)", b"", "the archive holds this path twice; the first is read")
            )
            continue
        seen.add(name)
        mode = member.external_attr >> 16
        if stat.S_ISLNK(mode):
            files.append(SourceFile(name, b"", "a symbolic link; not followed"))
            continue
        if member.flag_bits & 0x1:
            files.append(SourceFile(name, b"", "encrypted; not read"))
            continue
        if member.file_size > MAX_FILE_BYTES:
            files.append(SourceFile(name, b"", f"larger than {MAX_FILE_BYTES // 1000} kB; not read"))
            continue
        try:
            with archive.open(member) as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            files.append(SourceFile(name, b"", f"could not be unpacked ({error})"))
            continue
        if len(content) > MAX_FILE_BYTES:
            files.append(
                SourceFile(name, b"", f"larger than {MAX_FILE_BYTES // 1000} kB once unpacked; not read")
            )
            continue
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise UploadRefused(
                f"The archive unpacks to more than {MAX_TOTAL_BYTES // 1_000_000} MB; an import reads at most that."
            )
        files.append(SourceFile(name, content))
    return _strip_common_folder(files)


def _strip_common_folder(files: list[SourceFile]) -> list[SourceFile]:
    """A zip of a folder holds `adr/0001-….md`: paths are made relative to that folder, as when
    the folder itself is imported."""
    real = [f for f in files if not f.path.startswith("__MACOSX/")]
    heads = {f.path.split("/", 1)[0] for f in real if "/" in f.path}
    if len(heads) == 1 and all("/" in f.path for f in real):
        head = heads.pop() + "/"
        return [
            SourceFile(f.path[len(head) :], f.data, f.problem) if f.path.startswith(head) else f
            for f in files
        ]
    return files


def read_uploads(uploads: Sequence[tuple[str, bytes]]) -> list[SourceFile]:
    """Several uploaded files: each by its own name (browsers send no folder)."""
    _check_count(len(uploads))
    files: list[SourceFile] = []
    total = 0
    seen: set[str] = set()
    for name, content in uploads:
        name = unicodedata.normalize("NFC", posixpath.basename(name.replace("\\", "/"))) or "unnamed"
        if name in seen:
            files.append(SourceFile(name + " (again)", b"", "uploaded twice; the first is read"))
            continue
        seen.add(name)
        if len(content) > MAX_FILE_BYTES:
            files.append(SourceFile(name, b"", f"larger than {MAX_FILE_BYTES // 1000} kB; not read"))
            continue
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise UploadRefused(
                f"The files add up to more than {MAX_TOTAL_BYTES // 1_000_000} MB; an import reads at most that."
            )
        files.append(SourceFile(name, content))
    return files


# --- What each file is -------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str | None, str | None]:
    """The text of a file, or why it is not text (binary, not UTF-8)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "UTF-16 text, not UTF-8; save it as UTF-8 and import again"
    if b"\x00" in data[:8192]:
        return None, "a binary file, not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return (
            None,
            f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save it as UTF-8 and import again",
        )


def skip_by_name(path: str) -> str | None:
    parts = path.split("/")
    if any(part.startswith(".") for part in parts[:-1]) or parts[0] == "__MACOSX":
        return "in a hidden folder"
    if any(part.lower() in ("template", "templates", "_templates") for part in parts[:-1]):
        return "in a templates folder, not a record"
    name = parts[-1]
    if name.startswith("."):
        return "a hidden file"
    stem, ext = posixpath.splitext(name)
    if ext.lower() not in MARKDOWN:
        return "not a Markdown file"
    if TEMPLATE_NAME.search(stem):
        return "a template (by its name), not a record"
    if stem.lower() in INDEX_NAMES:
        return INDEX_REASON
    return None


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0].lower()


def _reads_as_record(record: ParsedRecord) -> bool:
    return record.adr_status is not None and bool(record.decision or record.options or record.chosen_option)


def _skip_by_content(record: ParsedRecord, md_paths: set[str]) -> str | None:
    if _PLACEHOLDER_TITLE.search(record.title) and (
        "{" in record.text or "[" in record.title or "short title" in record.title.lower()
    ):
        return "a template (its title is a placeholder), not a record"
    has_body = bool(record.decision or record.options or record.chosen_option or record.consequences)
    if record.adr_status is None and not record.status_as_written and not has_body:
        listed = re.findall(r"\]\(([^)\s]+\.(?:md|markdown))(?:#[^)]*)?\)", record.text)
        if len(listed) >= 3:
            return "an index page (it lists other records), not a record"
    return None


def _warn_links(record: ParsedRecord, target: ParsedLink, message: str) -> Warning:
    return Warning(target.line, message)


class _Index:
    def __init__(self, results: Iterable[FileResult]):
        self.paths: dict[str, FileResult] = {}
        self.by_lower: dict[str, list[str]] = defaultdict(list)
        self.by_number: dict[int, list[str]] = defaultdict(list)
        self.by_title: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_stem: dict[str, list[str]] = defaultdict(list)
        for result in results:
            record = result.record
            assert record is not None
            self.paths[result.path] = result
            self.by_lower[result.path.lower()].append(result.path)
            if record.number is not None:
                self.by_number[record.number].append(result.path)
            self.by_title[normalize_title(record.title)].append(result.path)
            name = posixpath.basename(result.path)
            self.by_name[name.lower()].append(result.path)
            stem = posixpath.splitext(name)[0].lower()
            self.by_stem[stem].append(result.path)
            slug = re.sub(r"^(?:(?:19|20|21)\d{6}|(?:adr|rfc)?[-_]?\d{1,6})[-_]", "", stem)
            if slug != stem:
                self.by_stem[slug].append(result.path)
            self.by_title[normalize_title(slug.replace("-", " "))].append(result.path)

    def _one(self, found: list[str], source: str) -> tuple[str | None, list[str]]:
        found = list(dict.fromkeys(found))
        if len(found) == 1:
            return found[0], found
        if len(found) > 1:
            near = [p for p in found if posixpath.dirname(p) == posixpath.dirname(source)]
            if len(near) == 1:
                return near[0], found
        return None, found

    def resolve(self, link: ParsedLink, source: str) -> tuple[str | None, str | None]:
        """The path a link points to, or None and why."""
        if link.href:
            href = link.href.strip()
            parts = urlsplit(href)
            path = unquote(parts.path)
            if parts.scheme in ("http", "https") or parts.netloc:
                if not path.lower().endswith(MARKDOWN):
                    return None, f"the link '{link.text}' points outside the folder ({href}); kept as text"
                found, all_found = self._one(self.by_name.get(posixpath.basename(path).lower(), []), source)
                if found:
                    return found, None
                return (
                    None,
                    f"the link '{link.text}' points to a file that is not in this folder ({href}); kept as text",
                )
            if parts.scheme:
                return None, f"the link '{link.text}' is not a file link ({href}); kept as text"
            base = posixpath.dirname(source)
            joined = posixpath.normpath(
                path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
            )
            stem, ext = posixpath.splitext(joined)
            tries = [joined, joined + ".md", stem + ".md" if ext.lower() in (".html", ".htm", "") else joined]
            for candidate in tries:
                if candidate in self.paths:
                    return candidate, None
                lowered = self.by_lower.get(candidate.lower(), [])
                if len(lowered) == 1:
                    return lowered[0], None
            name = posixpath.basename(joined).lower()
            found, all_found = self._one(
                self.by_name.get(name, []) or self.by_name.get(name + ".md", []), source
            )
            if found:
                return found, None
            found, all_found = self._one(self.by_stem.get(posixpath.splitext(name)[0], []), source)
            if found:
                return found, None
            if link.number is None and not link.title:
                return (
                    None,
                    f"the link '{link.text}' points to {href}, which is not in this folder; kept as text",
                )
        if link.number is not None:
            found, all_found = self._one(self.by_number.get(link.number, []), source)
            if found:
                return found, None
            if all_found and link.title:
                titled = [
                    p
                    for p in all_found
                    if normalize_title(self.paths[p].record.title) == normalize_title(link.title)
                ]  # type: ignore[union-attr]
                if len(titled) == 1:
                    return titled[0], None
            if all_found:
                return (
                    None,
                    f"'{link.text}' could be any of {', '.join(all_found)} (they share number {link.number}); kept as text",
                )
        if link.title:
            key = normalize_title(link.title)
            found, all_found = self._one(self.by_title.get(key, []), source)
            if found:
                return found, None
            if len(all_found) > 1:
                return None, f"'{link.text}' matches several records ({', '.join(all_found)}); kept as text"
        where = f" ({link.href})" if link.href else ""
        return None, f"the link '{link.text}'{where} points to no record in this folder; kept as text"


def _external_page(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc) and not parts.path.lower().endswith(MARKDOWN)


def read_batch(files: Sequence[SourceFile]) -> Batch:
    """Every file, each a record or skipped with its reason, records' links resolved within the batch."""
    results: list[FileResult] = []
    md_paths = {f.path for f in files if posixpath.splitext(f.path)[1].lower() in MARKDOWN}
    notes: list[str] = []
    if not files:
        raise UploadRefused("There are no files to import.")
    for source in files:
        if source.problem:
            results.append(FileResult(source.path, source.problem, None))
            continue
        reason = skip_by_name(source.path) or (
            f"a path longer than {MAX_PATH} characters" if len(source.path) > MAX_PATH else None
        )
        bundle = reason == INDEX_REASON and "/" in source.path and _stem(source.path) in BUNDLE_NAMES
        if reason and not bundle:
            results.append(FileResult(source.path, reason, None))
            continue
        text, problem = decode(source.data)
        if text is None:
            results.append(FileResult(source.path, problem, None))
            continue
        if not text.strip():
            results.append(FileResult(source.path, "an empty file", None))
            continue
        record = parse_record(text, path=source.path)
        if bundle and not _reads_as_record(record):
            results.append(FileResult(source.path, INDEX_REASON, None))
            continue
        reason = _skip_by_content(record, md_paths)
        results.append(
            FileResult(
                source.path, reason, None if reason else record, (), record.warnings if not reason else ()
            )
        )
    records = [r for r in results if r.record is not None]
    index = _Index(records)
    duplicates = {n: paths for n, paths in index.by_number.items() if len(paths) > 1}
    final: list[FileResult] = []
    for result in results:
        record = result.record
        if record is None:
            final.append(result)
            continue
        warnings = list(result.warnings)
        if record.number is not None and record.number in duplicates:
            others = [p for p in duplicates[record.number] if p != result.path]
            warnings.append(
                Warning(
                    1,
                    f"number {record.number} is also used by {', '.join(others)}; each file stays its own record",
                )
            )
        resolved: list[ResolvedLink] = []
        seen: set[tuple[str, str | None, str]] = set()
        for link in record.links:
            if link.kind == "relates_to" and link.href and _external_page(link.href):
                continue  # a reference to a web page, not to another record
            target, problem = index.resolve(link, result.path)
            if target == result.path:
                warnings.append(
                    Warning(link.line, f"the link '{link.text}' points to this record itself; ignored")
                )
                continue
            if problem:
                warnings.append(Warning(link.line, problem))
            key = (link.kind, target, "" if target else link.text)
            if key in seen:
                continue
            seen.add(key)
            resolved.append(ResolvedLink(link.kind, target, link.text, link.partial, link.line))
        warnings.sort(key=lambda w: w.line)
        final.append(FileResult(result.path, None, record, tuple(resolved), tuple(warnings)))
    return Batch(tuple(final), tuple(notes))
