"""What the decision-record reader produces: plain, frozen values, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

AdrStatus = Literal["proposed", "accepted", "rejected", "deprecated", "superseded"]
LinkKind = Literal["superseded_by", "supersedes", "amends", "amended_by", "relates_to"]
Precision = Literal["day", "month"]


@dataclass(frozen=True)
class Warning:
    line: int
    message: str


@dataclass(frozen=True)
class ParsedDate:
    """A date as far as the record says it: a day, or only a month (then `value` is its first day)."""

    value: dt.date
    precision: Precision

    def iso(self) -> str:
        return self.value.isoformat() if self.precision == "day" else self.value.strftime("%Y-%m")


@dataclass(frozen=True)
class ParsedOption:
    title: str
    description: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    chosen: bool = False


@dataclass(frozen=True)
class ParsedLink:
    """A reference to another record, as written: a Markdown link (`href`), a number or a title."""

    kind: LinkKind
    text: str
    line: int
    href: str | None = None
    number: int | None = None
    title: str | None = None
    partial: bool = False


@dataclass(frozen=True)
class ParsedRecord:
    path: str
    title: str
    original_id: str | None
    number: int | None
    adr_status: AdrStatus | None
    status_as_written: str | None
    date: ParsedDate | None
    date_as_written: str | None
    deciders: tuple[str, ...]
    consulted: tuple[str, ...]
    informed: tuple[str, ...]
    tags: tuple[str, ...]
    context: str
    decision: str
    justification: str
    consequences: str
    options: tuple[ParsedOption, ...]
    chosen_option: str | None
    links: tuple[ParsedLink, ...]
    warnings: tuple[Warning, ...]
    text: str
    # Facts a MADR export of this product writes under "More Information" (None elsewhere).
    facts: dict[str, str] = field(default_factory=dict)
