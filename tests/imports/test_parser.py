"""The decision-record reader on its own: text in, typed record out (no database)."""

from __future__ import annotations

import pytest

from imports.adr.dates import DateProblem, read_date
from imports.adr.parser import parse_record


def parse(text: str, path: str = "0001-some-record.md"):
    return parse_record(text, path=path)


def messages(record) -> list[str]:
    return [w.message for w in record.warnings]


# Front matter and metadata -------------------------------------------------------------------------


def test_madr_front_matter_gives_status_date_and_people() -> None:
    record = parse(
        "---\nstatus: accepted\ndate: 2022-05-01\ndecision-makers: [Ana Ruiz, Bo Chen]\n"
        "consulted:\n  - Cy Diaz\ninformed: 'Dee Ek'\n---\n\n# Use Postgres\n\n## Context and Problem Statement\n\nWhich database?\n"
    )
    assert record.title == "Use Postgres"
    assert record.adr_status == "accepted"
    assert record.date is not None and record.date.iso() == "2022-05-01"
    assert record.deciders == ("Ana Ruiz", "Bo Chen")
    assert record.consulted == ("Cy Diaz",)
    assert record.informed == ("Dee Ek",)
    assert record.context == "Which database?"


def test_madr_2_bullet_metadata_is_read() -> None:
    record = parse(
        "# Use Markdown Architectural Decision Records\n\n* Status: superseded by [ADR-0005](0005-x.md)\n"
        "* Deciders: Ana, Bo and Cy\n* Date: 2018-09-02\n\n## Context and Problem Statement\n\nWhy?\n"
    )
    assert record.adr_status == "superseded"
    assert record.deciders == ("Ana", "Bo", "Cy")
    assert record.date.iso() == "2018-09-02"
    assert [(link.kind, link.href) for link in record.links] == [("superseded_by", "0005-x.md")]


def test_nygard_sections_with_the_status_at_the_end() -> None:
    record = parse(
        "# 4. Use shell scripts\n\nDate: 2016-02-12\n\n## Context\n\nThe tool must run anywhere.\n\n"
        "## Decision\n\nWe write it in POSIX shell.\n\nNo Bash-isms.\n\n## Consequences\n\nNo Windows.\n\n## Status\n\nAccepted\n",
        path="0004-use-shell-scripts.md",
    )
    assert (record.title, record.original_id, record.number) == ("Use shell scripts", "4", 4)
    assert record.adr_status == "accepted"
    assert record.context == "The tool must run anywhere."
    assert record.decision == "We write it in POSIX shell.\n\nNo Bash-isms."
    assert record.consequences == "No Windows."
    assert record.warnings == ()


@pytest.mark.parametrize(
    ("status_block", "expected"),
    [
        ("Accepted", "accepted"),
        ("**Accepted**", "accepted"),
        ("_Deprecated_", "deprecated"),
        ("*Rejected*", "rejected"),
        ("Accepted and applied in v7", "accepted"),
        ("Proposed\n\n2020-01-03 accepted", "accepted"),
        ("* 2020-01-01: proposed\n* 2020-02-01: accepted\n* 2021-03-01: deprecated", "deprecated"),
        ("* 2021-03-01: deprecated\n* 2020-02-01: accepted", "deprecated"),
        ("Pending", "proposed"),
        ("Proposed → Accepted", "accepted"),
        ("Not accepted", "rejected"),
        ("Approved", "accepted"),
        ("Superceded by [ADR 9](0009-x.md)", "superseded"),
        ("Accepted\n\nSuperseded by [5. Later](0005-later.md)", "superseded"),
        ("This decision was accepted by the board on 2 March 2021.", "accepted"),
    ],
)
def test_the_status_is_found_however_it_is_written(status_block: str, expected: str) -> None:
    record = parse(f"# A record\n\n## Status\n\n{status_block}\n\n## Context\n\nSomething.\n")
    assert record.adr_status == expected


@pytest.mark.parametrize(
    "written", ["on hold", "Under consideration by legal", "proposed | accepted | rejected"]
)
def test_an_unknown_status_is_kept_as_written_with_a_warning(written: str) -> None:
    record = parse(f"# A record\n\n## Status\n\n{written}\n")
    assert record.adr_status is None
    assert record.status_as_written == written
    assert any("kept as written" in m for m in messages(record))
    assert record.warnings[0].line == 5


def test_a_record_without_a_status_says_so() -> None:
    record = parse("# A record\n\n## Context\n\nText.\n")
    assert record.adr_status is None
    assert "no status found; imported as a draft" in messages(record)


# Titles -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "title", "original_id", "number"),
    [
        ("# 4. Use Kafka", "Use Kafka", "4", 4),
        ("# ADR 001: Use Kafka", "Use Kafka", "ADR 001", 1),
        ("# ADR-0012 - Use Kafka", "Use Kafka", "ADR-0012", 12),
        ("# [ADR-0012] Use Kafka", "Use Kafka", "ADR-0012", 12),
        ("# ADR-12 — Use Kafka", "Use Kafka", "ADR-12", 12),
        ("# Architecture Decision Record: Use Kafka", "Use Kafka", None, None),
        ("# 3 tiers are enough", "3 tiers are enough", None, None),
        ("Use Kafka\n=========", "Use Kafka", None, None),
    ],
)
def test_the_title_loses_its_numbering_which_is_kept_as_the_original_id(
    heading: str, title: str, original_id: str | None, number: int | None
) -> None:
    record = parse(f"{heading}\n\n## Status\n\nAccepted\n", path="notes/use-kafka.md")
    assert (record.title, record.original_id, record.number) == (title, original_id, number)


def test_the_file_name_gives_the_number_when_the_heading_has_none() -> None:
    record = parse("# Use Kafka\n\n## Status\n\nAccepted\n", path="adr/0007-use-kafka.md")
    assert (record.original_id, record.number) == ("0007", 7)


def test_a_date_prefixed_file_name_is_not_a_number() -> None:
    record = parse("# Use Kafka\n\n- Status: accepted\n", path="20200925-use-kafka.md")
    assert record.number is None


def test_the_front_matter_title_is_used_only_without_a_level_1_heading() -> None:
    with_heading = parse("---\ntitle: From front matter\nstatus: accepted\n---\n# From heading\n")
    assert with_heading.title == "From heading"
    without = parse(
        "---\ntitle: 'ADR013: Proper fetching'\nstatus: accepted\n---\n\n## Context\n\nText.\n",
        path="adr013-fetch.md",
    )
    assert (without.title, without.number) == ("Proper fetching", 13)
    assert any("front matter" in m for m in messages(without))


def test_the_file_name_is_the_last_resort_for_a_title() -> None:
    record = parse("Status: accepted\n\nWe will use tabs.\n", path="0009-use-tabs-for-indentation.md")
    assert record.title == "Use tabs for indentation"
    assert any("file name" in m for m in messages(record))


# Options, outcome, consequences ------------------------------------------------------------------------------

MADR = """---
status: accepted
date: 2023-03-01
---
# Choose a queue

## Context and Problem Statement

We need a queue for jobs.

## Considered Options

* [Kafka](#kafka)
* RabbitMQ
* Postgres SKIP LOCKED

## Decision Outcome

Chosen option: "Postgres SKIP LOCKED", because we already run Postgres and the volume is small.

### Consequences

* Good, because one less system to run.
* Bad, because it needs careful indexing.

## Pros and Cons of the Options

### Kafka

Very scalable log.

* Good, because it scales
* Bad, because operating it is heavy

### RabbitMQ

* Good, because mature
* Neutral, because we know it a little
* Bad, because another system

### Postgres SKIP LOCKED

* Good, because we have it
"""


def test_madr_options_pros_cons_and_the_chosen_one() -> None:
    record = parse(MADR)
    titles = [o.title for o in record.options]
    assert titles == ["Kafka", "RabbitMQ", "Postgres SKIP LOCKED"]
    kafka, rabbit, postgres = record.options
    assert kafka.pros == ("it scales",) and kafka.cons == ("operating it is heavy",)
    assert "Very scalable log." in kafka.description
    assert rabbit.cons == ("another system",) and "Neutral: we know it a little" in rabbit.description
    assert postgres.chosen and not kafka.chosen
    assert record.chosen_option == "Postgres SKIP LOCKED"
    assert record.justification == "We already run Postgres and the volume is small."
    assert "one less system" in record.consequences


def test_options_as_sub_headings_only_and_a_chosen_option_in_curly_quotes() -> None:
    record = parse(
        "# Pick\n\n## Status\n\nAccepted\n\n## Options\n\n### Option 1: Build it\n\nPros:\n- control\n\nCons:\n- time\n\n"
        "### Option 2: Buy it\n\n**Pros**\n\n- fast\n\n## Decision\n\nChosen option: “Buy it”, because time matters more.\n"
    )
    assert [(o.title, o.pros, o.cons, o.chosen) for o in record.options] == [
        ("Build it", ("control",), ("time",), False),
        ("Buy it", ("fast",), (), True),
    ]
    assert record.justification == "Time matters more."


def test_options_as_numbered_paragraphs() -> None:
    record = parse(
        "# Migrate\n\n## Status\n\nAccepted\n\n## Options considered\n\n1) Move step by step, group by group.\n\n"
        "2) Move everything in one go.\n\n## Decision\n\nAll in one go.\n"
    )
    assert [o.title for o in record.options] == [
        "Move step by step, group by group",
        "Move everything in one go",
    ]
    assert record.decision == "All in one go."


def test_a_chosen_option_missing_from_the_list_is_added_with_a_warning() -> None:
    record = parse(
        '# Pick\n\n* Status: accepted\n\n## Considered Options\n\n* A\n* B\n\n## Decision Outcome\n\nChosen option: "C", because it is new.\n'
    )
    assert [o.title for o in record.options] == ["A", "B", "C"]
    assert record.options[2].chosen
    warning = next(w for w in record.warnings if "not among" in w.message)
    assert warning.line == 12


# Links ------------------------------------------------------------------------------------------------


def test_links_of_every_kind_are_read_as_written() -> None:
    record = parse(
        "# Later\n\n## Status\n\nAccepted\n\nSupersedes [1. First](../old/0001-first.md)\n\nAmends ADR-0003\n\n"
        'Partially superseded by [ADR 9](0009-nine.md)\n\nRelates to "Use Kafka"\n\nAmended by 0012\n'
    )
    found = [(link.kind, link.href, link.number, link.title, link.partial) for link in record.links]
    assert ("supersedes", "../old/0001-first.md", None, "1. First", False) in found
    assert ("amends", None, 3, None, False) in found
    assert ("superseded_by", "0009-nine.md", 9, "ADR 9", True) in found
    assert ("relates_to", None, None, "Use Kafka", False) in found
    assert ("amended_by", None, 12, None, False) in found


def test_link_words_in_prose_outside_metadata_are_not_links() -> None:
    record = parse(
        "# X\n\n## Status\n\nAccepted\n\n## Context\n\nThe new cron job replaces the old script.\n"
    )
    assert record.links == ()


# Dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2022-05-01", "2022-05-01"),
        ("2022/05/01", "2022-05-01"),
        ("13/01/2022", "2022-01-13"),
        ("01/13/2022", "2022-01-13"),
        ("16-Jan-2020", "2020-01-16"),
        ("January 28th, 2022", "2022-01-28"),
        ("28 January 2022", "2022-01-28"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("May 2025", "2025-05"),
        ("2025-05", "2025-05"),
        ("2021-03-04T10:00:00Z", "2021-03-04"),
    ],
)
def test_dates_in_the_forms_people_write_them(written: str, iso: str) -> None:
    found = read_date(written)
    assert found is not None and found.iso() == iso


@pytest.mark.parametrize(
    "written", ["05/01/2022", "2022-02-30", "31/04/2021", "2020", "YYYY-MM-DD", "05/01/22", "1850-01-01"]
)
def test_an_ambiguous_or_impossible_date_is_refused_not_guessed(written: str) -> None:
    with pytest.raises(DateProblem):
        read_date(written)


def test_a_bad_date_leaves_the_record_undated_with_a_warning_on_its_line() -> None:
    record = parse("# X\n\n* Status: accepted\n* Date: 05/01/2022\n")
    assert record.date is None
    assert record.date_as_written == "05/01/2022"
    assert [(w.line, "day-month" in w.message) for w in record.warnings] == [(4, True)]


# Messy files ---------------------------------------------------------------------------------------------


def test_code_blocks_and_html_comments_hold_no_metadata() -> None:
    record = parse(
        "# Real title\n\n<!-- status: rejected -->\n<!--\n## Status\nDeprecated\n-->\n\n## Status\n\nAccepted\n\n"
        "## Context\n\nExample:\n\n```markdown\n---\nstatus: superseded\n---\n# Not a title\n## Status\nRejected\n```\n"
    )
    assert record.title == "Real title"
    assert record.adr_status == "accepted"
    assert "# Not a title" in record.context  # kept in the prose it belongs to


def test_a_byte_order_mark_and_windows_line_endings_change_nothing() -> None:
    text = "\ufeff---\r\nstatus: accepted\r\ndate: 2021-01-02\r\n---\r\n# Title\r\n\r\n## Context\r\n\r\nText.\r\n"
    record = parse(text)
    assert (record.title, record.adr_status, record.date.iso(), record.context) == (
        "Title",
        "accepted",
        "2021-01-02",
        "Text.",
    )


def test_warnings_count_lines_from_the_top_of_the_file_front_matter_included() -> None:
    record = parse("---\nstatus: accepted\n---\n# T\n\n* Date: 2022-02-30\n")
    assert [w.line for w in record.warnings] == [6]


def test_a_two_column_status_table_is_read() -> None:
    record = parse("# T\n\n| Status | Accepted |\n|---|---|\n| Date | 2021-06-01 |\n")
    assert record.adr_status == "accepted"
    assert record.date.iso() == "2021-06-01"


def test_a_status_line_with_its_date_dates_the_record() -> None:
    record = parse("# T\n\n## 📌 Status\n\nAccepted on 14 March 2021\n")
    assert record.adr_status == "accepted"
    assert record.date.iso() == "2021-03-14"


def test_a_tyree_akerman_record_with_a_rationale_section() -> None:
    record = parse(
        "# Architecture Decision Record: CSS framework\n\n## Summary\n\n### Issue\n\nWe need a CSS framework.\n\n"
        "### Decision\n\nDecided on Bulma.\n\n### Status\n\nDecided on Bulma. Open to new choices.\n\n"
        "## Details\n\n### Argument\n\nNo jQuery.\n\n### Implications\n\nLighter pages.\n"
    )
    assert (record.title, record.adr_status) == ("CSS framework", "accepted")
    assert (record.context, record.decision) == ("We need a CSS framework.", "Decided on Bulma.")
    assert (record.justification, record.consequences) == ("No jQuery.", "Lighter pages.")


def test_a_bare_number_before_the_title_is_stripped_when_the_file_name_agrees() -> None:
    record = parse(
        "# 28 Repo vulnerability scanning\n\nDate: 2021-11-05\n", path="028-Repo-vulnerability-scanning.md"
    )
    assert (record.title, record.number) == ("Repo vulnerability scanning", 28)
    other = parse("# 3 tiers are enough\n\n## Status\n\nAccepted\n", path="0007-three-tiers.md")
    assert other.title == "3 tiers are enough"


def test_chosen_options_written_the_ways_real_records_write_them() -> None:
    record = parse(
        "# Pick\n\n* Status: accepted\n\n## Considered Options\n\n- **Option 1**: Keep the lock pair\n"
        "- **Option 2**: Extract a function\n\n## Decision Outcome\n\n"
        'Chosen option: "**Option 2: Extract a function**",\nbecause the scope is then the function.\n'
    )
    assert [o.title for o in record.options] == ["Keep the lock pair", "Extract a function"]
    assert record.chosen_option == "Extract a function"
    assert record.justification == "The scope is then the function."
    bold = parse(
        "# Pick\n\n* Status: accepted\n\n## Considered Options\n\n1. **Registry** (chosen)\n2. **Signals**\n\n"
        '## Decision Outcome\n\n**Chosen option: "Registry"**, because:\n- one place\n'
    )
    assert bold.chosen_option == "Registry" and bold.justification == "- one place"


def test_madr_2_metadata_with_comments_links_and_no_space_after_the_colon() -> None:
    record = parse(
        "# 1. Introduce an accounts service\n\n* Status:superseded by [ADR-0003](0003-outsource.md) <!-- optional -->\n"
        "* Deciders: @butonic, @felixboehm <!-- optional -->\n"
        "* Date: [2020-06-15](https://example.org/pull/34/commits/2fd05e2b6fe2) <!-- optional -->\n"
    )
    assert (record.adr_status, record.date.iso(), record.deciders) == (
        "superseded",
        "2020-06-15",
        ("@butonic", "@felixboehm"),
    )
    assert [(link.kind, link.href) for link in record.links] == [("superseded_by", "0003-outsource.md")]
    bare = parse(
        "# ADR003 - Superseded\n\n* Date: 2026-07-01\n* Status: SUPERSEDED by 004\n* Labels: history\n"
    )
    assert (bare.adr_status, [link.number for link in bare.links], bare.tags) == (
        "superseded",
        [4],
        ("history",),
    )


@pytest.mark.parametrize(
    "said", ["We chose option 2.", "Option B was selected by the board.", "We decided to go with Option 2"]
)
def test_an_option_chosen_by_its_label_in_the_decision(said: str) -> None:
    record = parse(
        f"# Pick\n\n## Status\n\nAccepted\n\n## Options\n\n1. Build\n2. Buy\n\n## Decision\n\n{said}\n"
    )
    assert record.chosen_option == "Buy" and [o.chosen for o in record.options] == [False, True]


def test_an_accepted_record_superseded_since_is_superseded() -> None:
    record = parse("# Old\n\n* Status: accepted (superseded by [ADR-9](0009-new.md))\n")
    assert record.adr_status == "superseded"
    partly = parse("# Old\n\n## Status\n\nAccepted, partially superseded by [ADR-9](0009-new.md)\n")
    assert partly.adr_status == "accepted" and partly.links[0].partial


def test_front_matter_block_scalars_lists_and_toml() -> None:
    record = parse(
        "---\ntitle: >-\n  A long title\n  on two lines\nstatus: accepted\ndeciders:\n- Ana\n- Bo\n---\n\nBody.\n"
    )
    assert (record.title, record.adr_status, record.deciders) == (
        "A long title on two lines",
        "accepted",
        ("Ana", "Bo"),
    )
    toml = parse('+++\ntitle = "Hugo record"\nstatus = "proposed"\n+++\n\nBody.\n')
    assert (toml.title, toml.adr_status) == ("Hugo record", "proposed")


def test_a_related_decisions_section_lists_links_and_refinement_words_are_amendments() -> None:
    record = parse(
        "# T\n\n## Status\n\nAccepted\n\nRefined by [ADR-0010](0010-x.md)\n\n## Related decisions\n\n"
        "* [ADR-0002](0002-y.md)\n* [Design doc](https://example.org/doc)\n* Depends on [Z](0003-z.md)\n"
    )
    found = {(link.kind, link.href) for link in record.links}
    assert found == {("amended_by", "0010-x.md"), ("relates_to", "0002-y.md"), ("relates_to", "0003-z.md")}


def test_metadata_lines_inside_the_status_section() -> None:
    record = parse("# T\n\n## Status\n\nAccepted\n\nDeciders: Ana, Bo\nDate: 2020-02-02\n")
    assert (record.adr_status, record.deciders, record.date.iso()) == (
        "accepted",
        ("Ana", "Bo"),
        "2020-02-02",
    )


def test_horizontal_rules_around_prose_are_not_front_matter() -> None:
    record = parse("---\n# Real title\n\nSome text.\n---\n\n## Status\n\nAccepted\n")
    assert (record.title, record.adr_status) == ("Real title", "accepted")
    assert record.warnings == ()
    unclosed = parse("---\nstatus: accepted\n# Title\n")
    assert any("never closed" in m for m in messages(unclosed))


def test_pros_and_cons_marked_with_symbols() -> None:
    record = parse(
        "# P\n\n## Status\n\nAccepted\n\n## Options\n\n* Kafka\n  * 👍 scales\n  * ❌ heavy\n  * Pro: known\n"
    )
    assert (record.options[0].pros, record.options[0].cons) == (("scales", "known"), ("heavy",))
