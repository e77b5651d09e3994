"""Source readers: bytes or text in, a list of `Line`s out, each keeping its line number in the file.

Formats: Markdown or plain-text notes, WebVTT and SRT transcripts (speakers from `<v Name>` or a
`Name:` prefix), and a Slack channel export (one day's JSON file: a list of messages; a thread's
replies are kept right after the message that started it; bots and joins are left out).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from intake.extract.model import Line, SourceError

# A source larger than this is refused before it is read (a year of weekly notes is ~1 MB).
MAX_SOURCE_BYTES = 2 * 1024 * 1024
FORMATS = ("markdown", "vtt", "srt", "slack")


def _clean(value: str) -> str:
    # The same rule as leadership_os.storable.clean_text, kept here so the extractor needs no Django.
    return re.sub("[\ud800-\udfff]", "\ufffd", value.replace("\x00", ""))


def decode(data: bytes) -> str:
    """The text of an uploaded file, or SourceError saying why it is not a text file we read."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; sources are limited to "
            f"{MAX_SOURCE_BYTES // 1024 // 1024} MB. Split it, or paste the part that matters."
        )
    if b"\x00" in data[:8192]:
        raise SourceError(
            "This looks like a binary file, not text. Upload Markdown, plain text, VTT, SRT or a Slack JSON export."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Save it as UTF-8 and try again."
        ) from None
    return text


def guess_format(text: str, filename: str = "") -> str:
    name = filename.lower()
    if name.endswith(".vtt") or text.lstrip().startswith("WEBVTT"):
        return "vtt"
    if name.endswith(".srt"):
        return "srt"
    if name.endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return "slack"
    if re.match(r"\s*1\s*\n\d\d:\d\d:\d\d,\d{3}\s*-->", text):
        return "srt"
    return "markdown"


def read(text: str, fmt: str) -> list[Line]:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"The text is over {MAX_SOURCE_BYTES // 1024 // 1024} MB; paste the part that matters."
        )
    text = _clean(text)
    if not text.strip():
        raise SourceError("The source is empty: paste the notes or choose a file.")
    if fmt == "vtt":
        return read_vtt(text)
    if fmt == "srt":
        return read_srt(text)
    if fmt == "slack":
        return read_slack(text)
    return read_markdown(text)


def read_markdown(text: str) -> list[Line]:
    return [Line(number, raw) for number, raw in enumerate(text.splitlines(), start=1)]


_TIMING_VTT = re.compile(
    r"^\s*((?:\d+:)?[0-5]\d:[0-5]\d\.\d{3})\s+-->\s+((?:\d+:)?[0-5]\d:[0-5]\d\.\d{3})(\s.*)?$"
)
_TIMING_SRT = re.compile(r"^\s*(\d+:[0-5]\d:[0-5]\d[,.]\d{3})\s+-->\s+(\d+:[0-5]\d:[0-5]\d[,.]\d{3})(\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_PREFIX = re.compile(
    r"^\s*(?:\[([^\]]{1,40})\]|([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}|[A-Z]{2,}(?: [A-Z]{2,})?))\s*:\s+(.*)$"
)


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(part) * 60**index for index, part in enumerate(reversed(parts)))


def _cues(text: str, timing: re.Pattern[str], label: str, *, header: bool) -> list[Line]:
    lines = text.splitlines()
    out: list[Line] = []
    index = 0
    if header:
        if not lines or not lines[0].startswith("WEBVTT"):
            raise SourceError("line 1: a WebVTT transcript starts with 'WEBVTT'.")
        index = 1
        while index < len(lines) and lines[index].strip():  # header block
            index += 1
    in_cue = False
    skipping_block = False
    speaker: str | None = None
    for number in range(index + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            in_cue = False
            skipping_block = False
            continue
        if skipping_block:
            continue
        if "-->" in raw:
            match = timing.match(raw)
            if not match:
                raise SourceError(
                    f"line {number}: '{raw.strip()[:60]}' is not a valid {label} timing (hh:mm:ss.ttt --> hh:mm:ss.ttt)."
                )
            if _seconds(match.group(2)) < _seconds(match.group(1)):
                raise SourceError(f"line {number}: the cue ends before it starts.")
            in_cue = True
            speaker = None
            continue
        if not in_cue:
            if header and re.match(r"^(NOTE|STYLE|REGION)\b", raw):
                skipping_block = True
                continue
            following = lines[number] if number < len(lines) else ""
            if re.search(r"\d:\d\d", raw):
                raise SourceError(
                    f"line {number}: '{raw.strip()[:60]}' is not a valid {label} timing (hh:mm:ss.ttt --> hh:mm:ss.ttt)."
                )
            if "-->" in following and (header or re.fullmatch(r"\s*\d+\s*", raw)):
                continue  # a cue number or a cue identifier
            raise SourceError(f"line {number}: text outside a cue; expected a {label} timing line first.")
        content = raw
        voice = _VOICE.search(content)
        if voice:
            speaker = voice.group(1).strip()
        content = _TAG.sub("", content).strip()
        prefix = _PREFIX.match(content)
        if prefix and not voice:
            speaker = (prefix.group(1) or prefix.group(2)).strip()
            content = prefix.group(3)
        if content:
            out.append(Line(number, content, speaker))
    if not out:
        raise SourceError(f"The {label} transcript holds no spoken text.")
    return out


def read_vtt(text: str) -> list[Line]:
    return _cues(text, _TIMING_VTT, "WebVTT", header=True)


def read_srt(text: str) -> list[Line]:
    return _cues(text, _TIMING_SRT, "SRT", header=False)


_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]+))?>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")
_SKIPPED_SUBTYPES = {
    "channel_join",
    "channel_leave",
    "bot_message",
    "channel_topic",
    "channel_purpose",
    "pinned_item",
}


def _slack_name(message: dict[str, object]) -> str | None:
    profile = message.get("user_profile")
    if isinstance(profile, dict):
        for field_name in ("real_name", "display_name", "name"):
            value = profile.get(field_name)
            if isinstance(value, str) and value.strip():
                return value.strip()
    for field_name in ("user_name", "username", "user"):
        value = message.get(field_name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read_slack(text: str) -> list[Line]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"This Slack export is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        data = data["messages"]
    if not isinstance(data, list):
        raise SourceError("A Slack channel export is a list of messages; this file holds something else.")
    raw_lines = text.splitlines()
    ts_line: dict[str, int] = {}
    text_lines: list[int] = []
    for number, raw in enumerate(raw_lines, start=1):
        found = re.search(r'(?<![\w])"ts"\s*:\s*"([\d.]+)"', raw)
        if found:
            ts_line.setdefault(found.group(1), number)
        if re.match(r'\s*"text"\s*:', raw):
            text_lines.append(number)
    messages: list[dict[str, object]] = []
    names: dict[str, str] = {}
    for position, message in enumerate(data):
        if not isinstance(message, dict) or not isinstance(message.get("ts"), str):
            raise SourceError(
                f"Slack export: message {position + 1} has no 'ts' (timestamp); this is not a channel export."
            )
        if not isinstance(message.get("text", ""), str):
            raise SourceError(f"Slack export: message {position + 1} has a 'text' that is not text.")
        name = _slack_name(message)
        if isinstance(message.get("user"), str) and name:
            names[str(message["user"])] = name
        messages.append(message)
    keep = [
        m
        for m in messages
        if m.get("subtype") not in _SKIPPED_SUBTYPES
        and not m.get("bot_id")
        and str(m.get("text", "")).strip()
    ]
    parents = {str(m["ts"]) for m in keep if m.get("thread_ts") in (None, m["ts"])}

    def order(message: dict[str, object]) -> tuple[float, float]:
        thread = str(message.get("thread_ts") or message["ts"])
        root = thread if thread in parents else str(message["ts"])
        return (float(root), float(str(message["ts"])))

    out: list[Line] = []
    for message in sorted(keep, key=order):
        ts = str(message["ts"])
        anchor = ts_line.get(ts, 1)
        # The message's "text" key nearest to its "ts" key is the line to cite.
        number = min(text_lines, key=lambda n: (abs(n - anchor), n)) if text_lines else anchor
        if text_lines and abs(number - anchor) > 40:
            number = anchor
        body = _MENTION.sub(
            lambda m: "@" + (m.group(2) or names.get(m.group(1), m.group(1))), str(message["text"])
        )
        body = _LINK.sub(lambda m: m.group(2) or m.group(1), body)
        body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        thread = str(message.get("thread_ts") or ts)
        for part in body.splitlines():
            if part.strip():
                out.append(Line(number, part, _slack_name(message), thread))
    if not out:
        raise SourceError("The Slack export holds no messages from people.")
    return out


def slack_date(text: str) -> dt.date | None:
    """The day (UTC) of a Slack export's first message."""
    stamps = [float(found) for found in re.findall(r'(?<![\w])"ts"\s*:\s*"(\d{9,11}(?:\.\d+)?)"', text)]
    if not stamps:
        return None
    try:
        return dt.datetime.fromtimestamp(min(stamps), tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
