"""A corpus of malformed org files, made from the sample org: each case breaks one thing and names
the place a refusal must name. Used by test_malformed_corpus.py (both commands, both databases).

A case writes its file (or folder) under a directory and returns the path to load; `place` is text
the refusal must contain (a place, and where that is not enough, the reason)."""

from __future__ import annotations

import codecs
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgfiles import snapshot

Document = dict[str, Any]
DUPLICATE = "__duplicate__"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]
    place: str


def sample() -> Document:
    return snapshot.read_path(snapshot.DEFAULT_SAMPLE)


def _position(doc: Document, section: str, key: str) -> int:
    return next(n for n, item in enumerate(doc[section]) if item.get("key") == key)


def _text(doc: Document) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate is written as an escape, as JSON allows
        text = json.dumps(doc, indent=1)
    return text


def _file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _json(name: str, change: Callable[[Document], Any]) -> Callable[[Path], Path]:
    """A file of the sample org after `change` (which edits the document in place)."""

    def make(folder: Path) -> Path:
        doc = sample()
        change(doc)
        path = folder / f"{name}.json"
        path.write_text(_text(doc), encoding="utf-8")
        return path

    return make


def _raw(name: str, change: Callable[[Document], Any], replace: str) -> Callable[[Path], Path]:
    """Like _json, then the marker `"__duplicate__": 0` replaced by raw JSON text (duplicate keys,
    NaN: what a Python dict cannot hold)."""

    def make(folder: Path) -> Path:
        doc = sample()
        change(doc)
        text = _text(doc).replace(f'"{DUPLICATE}": 0', replace)
        path = folder / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        return path

    return make


def _set(section: str, index: int | str, /, **fields: Any) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        position = index if isinstance(index, int) else _position(doc, section, index)
        doc[section][position].update(fields)

    return change


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def _history(doc: Document) -> list[dict[str, Any]]:
    """A good first history entry for positions[0] (every field), to break one part of."""
    position = doc["positions"][0]
    values = {
        "person": position["person"],
        "engagement": position["engagement"],
        "position": position["position"],
        "stance": position["stance"],
        "recorded_on": "2026-01-05",
        "source": position["source"],
        "version": 1,
    }
    return [{"at": "2026-01-05T10:00:00+00:00", "by": None, "type": "created", "values": values}]


def _with_history(**broken: Any) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        entries = _history(doc)
        changes = dict(broken)
        values = changes.pop("values", {})
        entries[0].update(changes)
        if isinstance(values, dict):
            entries[0]["values"].update(values)
        else:
            entries[0]["values"] = values
        doc["positions"][0]["history"] = entries

    return change


def _supersede(pairs: dict[str, str | None], statuses: dict[str, str]) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        for key, old in pairs.items():
            doc["decisions"][_position(doc, "decisions", key)]["supersedes"] = old
        for key, status in statuses.items():
            doc["decisions"][_position(doc, "decisions", key)]["status"] = status

    return change


def _folder(build: Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        parts = folder / "parts"
        parts.mkdir()
        build(parts)
        return parts

    return make


def _parts_with_subfolder(parts: Path) -> None:
    for file in sorted(snapshot.DEFAULT_SAMPLE.glob("*.json")):
        (parts / file.name).write_bytes(file.read_bytes())
    (parts / "60_extra.json").mkdir()


def _parts_with_latin1(parts: Path) -> None:
    (parts / "00_people.json").write_bytes((snapshot.DEFAULT_SAMPLE / "00_people.json").read_bytes())
    (parts / "10_bad.json").write_bytes('{"format": "leadership-os/org@1", "x": "caf\xe9"}'.encode("latin-1"))


def _parts_with_duplicate_format(parts: Path) -> None:
    (parts / "00_people.json").write_bytes((snapshot.DEFAULT_SAMPLE / "00_people.json").read_bytes())
    (parts / "10_twice.json").write_text('{"format": "other", "format": "leadership-os/org@1"}')


def cases() -> list[Case]:
    found: list[Case] = [
        # Bytes and encodings.
        Case(
            "latin-1",
            lambda folder: _file(
                "latin-1.json", _text(_changed(_set("people", 0, title="Caf\u00e9 lead"))).encode("latin-1")
            )(folder),
            "latin-1.json byte",
        ),
        Case(
            "utf-16 with BOM", _file("utf16.json", _text(sample()).encode("utf-16")), "utf16.json: is UTF-16"
        ),
        Case(
            "utf-16 without BOM",
            _file("utf16le.json", _text(sample()).encode("utf-16-le")),
            "utf16le.json byte 1",
        ),
        Case("utf-32", _file("utf32.json", _text(sample()).encode("utf-32")), "utf32.json: is UTF-32"),
        Case("random bytes", _file("noise.json", bytes(range(128, 256)) * 10), "noise.json byte 0"),
        Case(
            "utf-8 cut inside a character",
            _file("cut.json", '{"format": "\u00e9'.encode()[:-1]),
            "cut.json byte",
        ),
        Case(
            "BOM then a wrong format",
            _file("bom.json", codecs.BOM_UTF8 + _text(_changed(lambda d: d.update(format="org@2"))).encode()),
            "format: must be",
        ),
        Case("empty file", _file("empty.json", b""), "empty.json line 1 column 1"),
        Case("only spaces", _file("spaces.json", b"   \n  \n"), "spaces.json line 3 column 1"),
        Case(
            "truncated",
            lambda folder: _file("truncated.json", _text(sample()).encode()[:5000])(folder),
            "truncated.json line",
        ),
        Case(
            "truncated in a string",
            _file("instring.json", b'{"format": "leadership-os/org@1", "people": [{"key": "a'),
            "instring.json line 1",
        ),
        Case(
            "trailing comma",
            _file("comma.json", b'{"format": "leadership-os/org@1", "people": [],}'),
            "comma.json line 1",
        ),
        Case(
            "two documents",
            _file("two.json", b'{"format": "leadership-os/org@1"}\n{"people": []}'),
            "two.json line 2",
        ),
        Case(
            "raw control character",
            _file("control.json", b'{"format": "leadership-os/org@1", "people": [{"key": "a\x01"}]}'),
            "control.json line 1",
        ),
        Case(
            "nested 100,000 deep",
            _file(
                "deep.json",
                b'{"format": "leadership-os/org@1", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            ),
            "deep.json line 1 column",
        ),
        Case(
            "nested 70 deep in a field",
            _json("deep70", _set("decisions", 0, context=_nested(70))),
            "deep70.json line",
        ),
        Case(
            "a string left open over 200,000 escaped quotes",
            _file("open-string.json", b'{"format": "' + b'\\"' * 200_000),
            "open-string.json line 1",
        ),
        Case(
            "the same, ending in a backslash",
            _file("open-backslash.json", b'{"format": "' + b'\\"' * 200_000 + b"\\"),
            "open-backslash.json line 1",
        ),
        Case("a million quotes", _file("quotes.json", b'"' * 1_000_000), "quotes.json line 1"),
        Case("a list, not an object", _file("list.json", b"[1, 2, 3]"), "list.json: must be a JSON object"),
        Case(
            "a string, not an object",
            _file("string.json", b'"leadership-os/org@1"'),
            "string.json: must be a JSON object",
        ),
        Case("null", _file("null.json", b"null"), "null.json: must be a JSON object"),
        # JSON that Python reads but a record cannot hold.
        Case(
            "NaN",
            _raw("nan", _set("engagements", 0, **{DUPLICATE: 0}), '"duration_minutes": NaN'),
            "engagements[0].duration_minutes",
        ),
        Case(
            "Infinity",
            _raw("inf", _set("rituals", 0, **{DUPLICATE: 0}), '"duration_minutes": -Infinity'),
            "rituals[0].duration_minutes",
        ),
        Case(
            "a 5,000-digit number",
            _raw("digits", _set("commitments", 0, **{DUPLICATE: 0}), '"recommitted_count": ' + "9" * 5000),
            "commitments[0].recommitted_count",
        ),
        Case(
            "a huge float",
            _set_case("float", "engagements", 0, duration_minutes=1e308),
            "engagements[0].duration_minutes",
        ),
        # Duplicate keys.
        Case(
            "format twice",
            _file("twice.json", b'{"format": "org@0", "format": "leadership-os/org@1", "people": []}'),
            "twice.json: the key 'format' is given twice",
        ),
        Case(
            "a decision's title twice",
            _raw("title-twice", _set("decisions", 0, **{DUPLICATE: 0}), '"title": "Shadow"'),
            "decisions[0]: the key 'title' is given twice",
        ),
        Case(
            "an option's field twice",
            _raw(
                "option-twice",
                lambda d: d["decisions"][0]["options"][0].update({DUPLICATE: 0}),
                '"chosen": true, "chosen": false',
            ),
            "decisions[0].options[0]: the key 'chosen' is given twice",
        ),
        Case(
            "a history value twice",
            _raw(
                "history-twice",
                lambda d: (
                    _with_history()(d),
                    d["positions"][0]["history"][0]["values"].update({DUPLICATE: 0}),
                ),
                '"stance": "x", "stance": "y"',
            ),
            "positions[0].history[0].values: the key 'stance' is given twice",
        ),
        # Text no database stores.
        Case(
            "NUL in a name",
            _set_case("nul-name", "people", 0, name="Maya\u0000Okafor"),
            "people[0].name: contains a NUL character",
        ),
        Case(
            "NUL in Markdown",
            _set_case("nul-body", "context", 0, body="line\u0000"),
            "context[0].body: contains a NUL",
        ),
        Case(
            "NUL in a field name",
            _set_case("nul-field", "people", 1, **{"ti\u0000tle": "x"}),
            "people[1]: a field name contains a NUL",
        ),
        Case(
            "NUL in a history reason",
            _json("nul-reason", _with_history(reason="why\u0000")),
            "positions[0].history[0].reason: contains a NUL",
        ),
        Case(
            "NUL in a section name",
            _json("nul-section", lambda d: d.update({"peo\u0000ple": []})),
            "the document: a field name contains a NUL",
        ),
        Case(
            "lone surrogate",
            _file(
                "surrogate.json",
                b'{"format": "leadership-os/org@1", "people": [{"key": "a", "name": "\\ud800"}]}',
            ),
            "people[0].name: contains an unpaired surrogate",
        ),
        Case(
            "lone surrogate in a tag",
            _json("surrogate-tag", lambda d: d["decisions"][0]["tags"].append("\udfff")),
            "decisions[0].tags[2]: contains an unpaired surrogate",
        ),
        # Dates and date-times the database cannot store.
        Case(
            "relative date @+99999999",
            _set_case("far-relative", "decisions", 0, needed_by="@+99999999"),
            "decisions[0].needed_by: out of range",
        ),
        Case(
            "relative date @-99999999",
            _set_case("far-back", "status_updates", 0, posted_on="@-99999999"),
            "status_updates[0].posted_on: out of range",
        ),
        Case(
            "relative date past 2200 from today",
            _set_case("past-2200", "commitments", 0, due_on="@+70000"),
            "commitments[0].due_on: @+70000 from the anchor",
        ),
        Case(
            "relative date of 5,000 digits",
            _set_case("digits-date", "decisions", 0, opened_on="@-" + "9" * 5000),
            "decisions[0].opened_on: out of range",
        ),
        Case(
            "year 9999",
            _set_case("y9999", "commitments", 0, due_on="9999-12-31"),
            "commitments[0].due_on: out of range",
        ),
        Case(
            "year 1",
            _set_case("y1", "status_updates", 0, posted_on="0001-01-01"),
            "status_updates[0].posted_on: out of range",
        ),
        Case(
            "1899-12-31",
            _set_case("y1899", "positions", 0, recorded_on="1899-12-31"),
            "positions[0].recorded_on: out of range",
        ),
        Case(
            "2201-01-01",
            _set_case("y2201", "context", 0, dated_on="2201-01-01"),
            "context[0].dated_on: out of range",
        ),
        Case(
            "date-time in year 9999",
            _set_case("dt9999", "engagements", 0, starts_at="9999-12-31T23:00"),
            "engagements[0].starts_at: out of range",
        ),
        Case(
            "date-time whose UTC day is 2201",
            _set_case("dtutc", "engagements", 0, starts_at="2200-12-31T23:30-05:00"),
            "engagements[0].starts_at: out of range",
        ),
        Case(
            "relative date-time @+99999999",
            _set_case("far-time", "rituals", 0, starts_at="@+99999999T10:00"),
            "rituals[0].starts_at: out of range",
        ),
        Case(
            "anchor in year 9999",
            _json("anchor9999", lambda d: d.update(anchor="9999-12-31")),
            "anchor: out of range",
        ),
        Case(
            "anchor in year 1",
            _json("anchor1", lambda d: d.update(anchor="0001-01-01")),
            "anchor: out of range",
        ),
        Case(
            "anchor a number", _json("anchor-number", lambda d: d.update(anchor=20261120)), "anchor: must be"
        ),
        Case(
            "history at year 9999",
            _json("hist9999", _with_history(at="9999-12-31T23:59:59+00:00")),
            "positions[0].history[0].at: out of range",
        ),
        Case(
            "history at year 1 east of UTC",
            _json("hist1", _with_history(at="0001-01-01T00:00:00+05:00")),
            "positions[0].history[0].at: out of range",
        ),
        Case(
            "history date value in year 1",
            _json("histdate", _with_history(values={"recorded_on": "0001-01-01"})),
            "positions[0].history[0].values.recorded_on: out of range",
        ),
        # Key numbers the database cannot store.
        Case(
            "a 25-digit decision key",
            _set_case("key25", "decisions", 0, key="D-" + "9" * 25),
            "decisions[0].key: key number out of range",
        ),
        Case(
            "D-3000000000",
            _set_case("key3e9", "decisions", 0, key="D-3000000000"),
            "decisions[0].key: key number out of range",
        ),
        Case(
            "WS-2147483648",
            _set_case("ws-key", "workstreams", 0, key="WS-2147483648"),
            "workstreams[0].key: key number out of range",
        ),
        Case(
            "R-99999999999",
            _set_case("r-key", "rituals", 0, key="R-99999999999"),
            "rituals[0].key: key number out of range",
        ),
        Case(
            "E-3000000000",
            _set_case("e-key", "engagements", 0, key="E-3000000000"),
            "engagements[0].key: key number out of range",
        ),
        Case(
            "CX-10000000000",
            _set_case("cx-key", "context", 0, key="CX-10000000000"),
            "context[0].key: key number out of range",
        ),
        Case(
            "commitment made in an occurrence C-3000000000",
            _json("c-key", lambda d: d["occurrences"][0]["commitments"][0].update(key="C-3000000000")),
            "occurrences[0].commitments[0].key: key number out of range",
        ),
        Case(
            "a decision key D-0",
            _set_case("d0", "decisions", 0, key="D-0"),
            "decisions[0].key: must be a decision key",
        ),
        # Supersession that contradicts itself.
        Case(
            "A supersedes B supersedes A",
            _json(
                "cycle2", _supersede({"D-1": "D-3", "D-3": "D-1"}, {"D-1": "superseded", "D-3": "superseded"})
            ),
            "supersession goes round in a circle: D-1 supersedes D-3 supersedes D-1",
        ),
        Case(
            "A -> B -> C -> A",
            _json("cycle3", _supersede({"D-2": "D-17"}, {"D-17": "superseded"})),
            "supersession goes round in a circle: D-2 supersedes D-17 supersedes D-9 supersedes D-2",
        ),
        Case(
            "superseded with no successor",
            _json("orphan", _supersede({}, {"D-1": "superseded"})),
            "is 'superseded' but no decision in this file supersedes it",
        ),
        Case(
            "still decided while superseded",
            _json("still-decided", _supersede({"D-5": "D-1"}, {})),
            "so its status is 'superseded', not 'decided'",
        ),
        Case(
            "supersedes itself",
            _json("self", _supersede({"D-1": "D-1"}, {})),
            "a decision cannot supersede itself",
        ),
        # Wrong types at every level.
        Case(
            "a section that is an object",
            _json("section-object", lambda d: d.update(decisions={"D-1": {}})),
            "decisions: must be a list",
        ),
        Case(
            "a section that is text",
            _json("section-text", lambda d: d.update(people="everyone")),
            "people: must be a list",
        ),
        Case(
            "a record that is text",
            _json("record-text", lambda d: d["workstreams"].__setitem__(0, "WS-1")),
            "workstreams[0]: must be an object",
        ),
        Case(
            "a record that is null",
            _json("record-null", lambda d: d["context"].__setitem__(0, None)),
            "context[0]: must be an object",
        ),
        Case(
            "a number where text is expected",
            _set_case("title-number", "decisions", 0, title=42),
            "decisions[0].title: must be text",
        ),
        Case(
            "a list where text is expected",
            _set_case("name-list", "people", 0, name=["Maya"]),
            "people[0].name: must be text",
        ),
        Case(
            "an object where a list is expected",
            _set_case("options-object", "decisions", 0, options={"title": "x"}),
            "decisions[0].options: must be a list",
        ),
        Case(
            "text where a list is expected",
            _set_case("tags-text", "decisions", 0, tags="fedramp"),
            "decisions[0].tags: must be a list",
        ),
        Case(
            "a boolean where a date is expected",
            _set_case("date-bool", "decisions", 0, needed_by=True),
            "decisions[0].needed_by: not a date",
        ),
        Case(
            "text where a whole number is expected",
            _set_case("minutes-text", "rituals", 0, duration_minutes="sixty"),
            "rituals[0].duration_minutes: must be a whole number",
        ),
        Case(
            "history that is an object",
            _set_case("history-object", "positions", 0, history={"at": "x"}),
            "positions[0].history: must be a list",
        ),
        Case(
            "history values that are a list",
            _json("values-list", _with_history(values=["a", "list"])),
            "positions[0].history[0].values",
        ),
        Case(
            "a history text value that is a number",
            _json("values-number", _with_history(values={"position": 7})),
            "positions[0].history[0].values.position: must be text",
        ),
        Case(
            "an unknown field",
            _set_case("unknown", "people", 0, shoe_size=44),
            "people[0].shoe_size: unknown field",
        ),
        Case(
            "an unknown section",
            _json("unknown-section", lambda d: d.update(widgets=[1])),
            "widgets: unknown section",
        ),
        # Huge strings and huge counts.
        Case(
            "a megabyte title",
            _set_case("mega-title", "people", 0, title="x" * 1_000_000),
            "people[0].title: is longer than 120 characters",
        ),
        Case(
            "a long surface key",
            _set_case("surface-key", "surfaces", 0, key="s" * 50),
            "surfaces[0].key: is longer than 40 characters",
        ),
        Case(
            "a long workstream tag",
            _json("ws-tag", lambda d: d["workstreams"][0].update(tags=["t" * 60])),
            "workstreams[0].tags[0]: is longer than 50 characters",
        ),
        Case(
            "a long email",
            _set_case("email", "people", 0, email="a" * 300 + "@example.com"),
            "people[0].email: is longer than 254 characters",
        ),
        Case(
            "a megabyte field name",
            _set_case("mega-field", "people", 0, **{"f" * 1_000_000: 1}),
            "people[0].ffff",
        ),
        Case(
            "100,000 junk records",
            _json("junk", lambda d: d.update(status_updates=list(range(100_000)))),
            "status_updates[0]: must be an object",
        ),
        # References to nothing.
        Case(
            "a dangling person",
            _set_case("dangling-person", "decisions", 0, driver="nobody"),
            "decisions[0].driver: no person with key 'nobody'",
        ),
        Case(
            "a dangling ritual",
            _json("dangling-ritual", lambda d: d["occurrences"][0].update(ritual="R-999")),
            "occurrences[0].ritual: no ritual with key 'R-999'",
        ),
        Case(
            "a dangling start step",
            _json("dangling-step", lambda d: d["start_here"][0].update(entry="CX-999")),
            "start_here[0].entry: no context entry",
        ),
        Case(
            "a rule too frequent", _set_case("rrule", "rituals", 0, rrule="FREQ=SECONDLY"), "rituals[0].rrule"
        ),
        # Paths that are not a file of JSON.
        Case("no such file", lambda folder: folder / "missing.json", "missing.json: no such file or folder"),
        Case(
            "a folder of parts holding a folder named x.json",
            _folder(_parts_with_subfolder),
            "60_extra.json: a folder",
        ),
        Case("an empty folder", _folder(lambda parts: None), "parts: no snapshot file found"),
        Case("a part that is not UTF-8", _folder(_parts_with_latin1), "10_bad.json byte"),
        Case(
            "a part with a key twice",
            _folder(_parts_with_duplicate_format),
            "10_twice.json: the key 'format' is given twice",
        ),
    ]
    return found


def _changed(change: Callable[[Document], Any]) -> Document:
    doc = copy.deepcopy(sample())
    change(doc)
    return doc


def _set_case(name: str, section: str, index: int, /, **fields: Any) -> Callable[[Path], Path]:
    return _json(name, _set(section, index, **fields))
