"""The extractor alone: plain pytest, no database. Tables of cases at the edges."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from intake.extract import Person, SourceError, extract, extract_bytes, people_from_names
from intake.extract.dates import find_due
from intake.extract.people import Resolver

THU = dt.date(2026, 12, 3)  # a Thursday
PEOPLE = people_from_names(["Ada Brooks", "Ben Osei (@bosei)", "Cleo Park", "Alex Kim", "Alex Roy", "Dee Ng"])


def kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    result = extract(text, meeting_date=THU, people=PEOPLE, **kwargs)  # type: ignore[arg-type]
    return [(p.kind, p.text) for p in result.proposals]


@pytest.mark.parametrize(
    "text",
    [
        "```\nAda to send the deck by Friday\nDecision: ship it\n```",
        "~~~\nACTION: Ben to file the bug\n~~~",
        "- ~~Ada to send the deck by Friday~~",
        "- [x] Ada to send the deck by Friday",
        "- Ada to send the deck (done)",
        "- Ada to send the deck -- DONE",
        "- [ ] <!-- rebase-check -->If you want to rebase/retry this PR, check this box",
        "- [ ] I have signed the CLA",
        "Action item scribe: Cleo Park",
        "Note taker: Ben Osei",
        "Scribe: Ada",
        "Chair: Ben Osei",
        "## Agenda\n- Review the launch checklist\n- Goal: decide the pricing tier",
        "Goal: decide the pricing tier for agencies",
        "Ada:",
        "**Ben Osei:**",
        "> Ada to send the deck by Friday\n> Decision: ship it",
        "Proposed: ship the beta on the 15th",
        "PROPOSED RESOLUTION: adopt option B",
        "q+\nack ada\nZakim, take up item 2\npresent+ Ada",
        "<!-- Decision: hidden in a comment -->",
        "- We are not blocked on anything this week.",
    ],
)
def test_what_real_notes_hold_that_must_not_become_proposals(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("line", "kind", "rule"),
    [
        ("Decision: the beta ships without the audit export", "decision", "decision-label"),
        ("RESOLUTION: publish the working draft", "decision", "decision-label"),
        ("- Agreed to keep the enterprise tier at list price", "decision", "decision-sentence"),
        ("- No objections, agreed to keep spec in core", "decision", "decision-sentence"),
        ("- Consensus: deprecate v1 in 1.36", "decision", "decision-label"),
        ("- The council unanimously approved the budget", "decision", "decision-sentence"),
        ("- Decision needed on the per-person cap", "decision_needed", "decision-needed-sentence"),
        ("- TBD: who owns the migration", "decision_needed", "decision-needed-label"),
        ("- Pricing is still undecided", "decision_needed", "decision-needed-sentence"),
        ("- ACTION: Ada to send the deck", "action", "action-label"),
        ("- AI(bosei): file the bug", "action", "action-label"),
        ("- Cleo will draft the memo", "action", "action-owner-verb"),
        ("- Export API is blocked on legal review", "blocker", "blocker-sentence"),
        ("- We should escalate the quota request to infra", "blocker", "escalation-sentence"),
        ("- Two enterprise customers complained about EU latency", "signal", "signal-sentence"),
        ("- Ben is against a public waitlist", "position", "position-sentence"),
    ],
)
def test_each_rule_finds_its_kind_and_names_itself(line: str, kind: str, rule: str) -> None:
    result = extract(line, meeting_date=THU, people=PEOPLE)
    assert [(p.kind, p.rule) for p in result.proposals][:1] == [(kind, rule)]
    assert result.proposals[0].lines == [1]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("by Friday", dt.date(2026, 12, 4)),
        ("by Thursday", dt.date(2026, 12, 10)),  # the meeting's own weekday: a week later
        ("tomorrow", dt.date(2026, 12, 4)),
        ("today", THU),
        ("EOW", dt.date(2026, 12, 4)),
        ("by end of week", dt.date(2026, 12, 4)),
        ("next week", dt.date(2026, 12, 11)),
        ("next Tuesday", dt.date(2026, 12, 8)),
        ("in two weeks", dt.date(2026, 12, 17)),
        ("by end of month", dt.date(2026, 12, 31)),
        ("by 2026-12-15", dt.date(2026, 12, 15)),
        ("by Dec 15", dt.date(2026, 12, 15)),
        ("by 15 December", dt.date(2026, 12, 15)),
        ("by Jan 8", dt.date(2027, 1, 8)),  # the next January, not the last
        ("by 12/15", dt.date(2026, 12, 15)),
        ("by 12/11", None),  # December 11 or November 12
        ("before the next review", None),
        ("next month", None),
        ("by Friday or next week", None),  # two dates: unclear
        ("to summarize the Dec 3 discussion", None),  # a date in passing is not a due date
    ],
)
def test_due_dates_relative_to_the_meeting(text: str, due: dt.date | None) -> None:
    found = find_due(f"Ada to do it {text}", THU)
    assert (found.date if found else None) == due


def test_a_due_date_that_needs_the_meeting_date_is_unclear_without_it() -> None:
    proposal = extract("- Ada to send the deck by Friday", people=PEOPLE).proposals[0]
    assert proposal.due is None
    assert any("needs the meeting date" in note for note in proposal.notes)


def test_before_the_next_review_resolves_when_the_next_meeting_is_known() -> None:
    proposal = extract(
        "- Ada to send it before the next review",
        meeting_date=THU,
        next_meeting=dt.date(2026, 12, 10),
        people=PEOPLE,
    ).proposals[0]
    assert proposal.due == dt.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Ada Brooks", "ada-brooks"),
        ("Ada", "ada-brooks"),
        ("@bosei", "ben-osei"),
        ("bosei", "ben-osei"),
        ("CP", "cleo-park"),
        ("Brooks", "ada-brooks"),
        ("Alex", None),  # two people called Alex
        ("Zed", None),
    ],
)
def test_owners_resolve_only_when_one_person_fits(raw: str, person: str | None) -> None:
    assert Resolver(PEOPLE).resolve(raw).person == person


def test_an_ambiguous_owner_says_so_instead_of_guessing() -> None:
    proposal = extract("- Alex to draft the memo by Friday", meeting_date=THU, people=PEOPLE).proposals[0]
    assert proposal.owner == "Alex" and proposal.owner_person is None
    assert any("Alex Kim" in note and "Alex Roy" in note for note in proposal.notes)


def test_i_will_is_the_speaker_in_a_transcript() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dee Ng>Sure, I'll send the timeline by Friday.\n"
    proposal = extract(vtt, meeting_date=THU, people=PEOPLE).proposals[0]
    assert (proposal.kind, proposal.owner_person, proposal.due, proposal.lines) == (
        "action",
        "dee-ng",
        dt.date(2026, 12, 4),
        [4],
    )


def test_an_srt_transcript_with_name_prefixes() -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nAda Brooks: I will book the room tomorrow.\n\n2\n00:00:03,500 --> 00:00:05,000\nBen Osei: Thanks.\n"
    proposal = extract(srt, filename="call.srt", meeting_date=THU, people=PEOPLE).proposals[0]
    assert (proposal.owner_person, proposal.due, proposal.lines) == ("ada-brooks", dt.date(2026, 12, 4), [3])


def test_a_slack_export_keeps_threads_together_and_cites_its_json_lines() -> None:
    messages = [
        {
            "type": "message",
            "user": "U1",
            "text": "Thread about the beta",
            "ts": "1764835200.0001",
            "thread_ts": "1764835200.0001",
            "user_profile": {"real_name": "Ada Brooks"},
        },
        {
            "type": "message",
            "user": "U2",
            "text": "Unrelated: lunch?",
            "ts": "1764835250.0001",
            "user_profile": {"real_name": "Ben Osei"},
        },
        {
            "type": "message",
            "user": "U2",
            "text": "I'll write the FAQ by Friday",
            "ts": "1764835300.0001",
            "thread_ts": "1764835200.0001",
            "user_profile": {"real_name": "Ben Osei"},
        },
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "text": "ACTION: Ada to do the bot thing",
            "ts": "1764835400.0001",
        },
    ]
    text = json.dumps(messages, indent=4)
    result = extract(text, filename="2025-12-04.json", people=PEOPLE)
    assert result.source_format == "slack"
    assert result.meeting_date == dt.date(2025, 12, 4)
    [proposal] = result.proposals
    line = text.splitlines()[proposal.lines[0] - 1]
    assert "I'll write the FAQ" in line
    assert proposal.owner_person == "ben-osei"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("caf\u00e9".encode("cp1252"), "not UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "limited to 2 MB"),
        (b'[{"text": "no ts"}]', "has no 'ts'"),
        (b'[{"ts": "1.0", "text": ', "not valid JSON"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n", "ends before it starts"),
        (b"WEBVTT\n\n00:00:99.000 --> 00:01:00.000\nbad seconds\n", "not a valid WebVTT timing"),
    ],
)
def test_unreadable_sources_are_refused_with_a_reason(data: bytes, message: str) -> None:
    filename = "x.json" if data.startswith(b"[") else "x.vtt" if data.startswith(b"WEBVTT") else "x.md"
    with pytest.raises(SourceError, match=message):
        extract_bytes(data, filename=filename)


def test_the_same_source_gives_the_same_proposals() -> None:
    text = "\n".join(f"- Ada to send item {n} by Friday\n- Decision: option {n}" for n in range(30))
    first = extract(text, meeting_date=THU, people=PEOPLE).as_json()
    assert all(extract(text, meeting_date=THU, people=PEOPLE).as_json() == first for _ in range(3))


def test_the_json_shape_is_the_issue_s() -> None:
    result = extract("# 2026-12-03\n- Ada to send the deck by Friday", people=PEOPLE).as_json()
    assert result == {
        "meeting_date": "2026-12-03",
        "proposals": [
            {
                "kind": "action",
                "text": "Ada to send the deck by Friday",
                "owner": "Ada",
                "owner_person": "ada-brooks",
                "due": "2026-12-04",
                "lines": [2],
                "rule": "action-owner-verb",
            }
        ],
    }


def test_extracted_text_is_storable() -> None:
    proposal = extract("- Decision: keep \x00 the \ud800 flag", people=PEOPLE).proposals[0]
    assert "\x00" not in proposal.text and "\ud800" not in proposal.text


def test_people_from_names_keys_and_handles() -> None:
    assert people_from_names(["Ben Osei (@bosei)", "@dee", "Ada Brooks", "Ada Brooks"]) == [
        Person("ben-osei", "Ben Osei", ("bosei",)),
        Person("dee", "dee", ("dee",)),
        Person("ada-brooks", "Ada Brooks"),
    ]
