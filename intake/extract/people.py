"""Who an owner is: a name as written in the notes resolved against the people passed in.

A match by full name, by handle (`@mdawson`, `mdawson`), by a first or last name that only one person
has, or by initials that only one person has. Anything else (two people called Alex, a name no
one has) resolves to no one, and the proposal says the owner is unclear rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from intake.extract.model import Person


def fold(value: str) -> str:
    """Lower case, accents removed, only letters, digits and single spaces."""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", value.lower()).split())


def slug(value: str) -> str:
    return fold(value).replace(" ", "-").replace("_", "-")


@dataclass(frozen=True)
class Resolution:
    person: str | None
    note: str | None = None


class Resolver:
    def __init__(self, people: list[Person]):
        self.people = list(people)
        self._full: dict[str, set[str]] = {}
        self._handle: dict[str, set[str]] = {}
        self._part: dict[str, set[str]] = {}
        self._initials: dict[str, set[str]] = {}
        for person in self.people:
            full = fold(person.name)
            self._full.setdefault(full, set()).add(person.key)
            for handle in (person.key, *person.handles):
                self._handle.setdefault(fold(handle.lstrip("@")).replace(" ", ""), set()).add(person.key)
            words = full.split()
            for word in words:
                if len(word) > 1:
                    self._part.setdefault(word, set()).add(person.key)
            if len(words) >= 2:
                # the handles people are often given: smcgruer, stephenm, stephenmcgruer
                for guess in (words[0][0] + words[-1], words[0] + words[-1][0], words[0] + words[-1]):
                    self._handle.setdefault(guess, set()).add(person.key)
                self._initials.setdefault("".join(w[0] for w in words), set()).add(person.key)
                self._initials.setdefault(words[0][0] + words[-1][0], set()).add(person.key)
        self.names = {fold(p.name) for p in self.people}
        self.words = set(self._part) | set(self._handle)

    def __bool__(self) -> bool:
        return bool(self.people)

    def knows(self, raw: str) -> bool:
        """Whether `raw` names someone on the list (even if ambiguously)."""
        text = fold(raw.lstrip("@"))
        return bool(text) and (
            text in self._full
            or text.replace(" ", "") in self._handle
            or text in self._part
            or (raw.isupper() and text in self._initials)
        )

    def resolve(self, raw: str) -> Resolution:
        text = fold(raw.lstrip("@"))
        if not text:
            return Resolution(None, "owner unclear")
        if not self.people:
            return Resolution(None)
        for keys, _how in (
            (self._full.get(text), "full name"),
            (self._handle.get(text.replace(" ", "")), "handle"),
            (self._part.get(text) if " " not in text else None, "name"),
            (self._initials.get(text) if raw.strip().isupper() and 2 <= len(text) <= 3 else None, "initials"),
        ):
            if keys:
                if len(keys) == 1:
                    return Resolution(next(iter(keys)))
                names = ", ".join(sorted(p.name for p in self.people if p.key in keys))
                return Resolution(None, f"owner unclear: '{raw}' could be {names}")
        parts = text.split()
        if len(parts) > 1:
            # "Alice S." or "Alice Smith" where only the first name is on the list
            keys = self._part.get(parts[0])
            if keys and len(keys) == 1:
                person = next(p for p in self.people if p.key in keys)
                surname = fold(person.name).split()[-1]
                if surname.startswith(parts[-1].rstrip(".")):
                    return Resolution(person.key)
        return Resolution(None, f"owner unclear: '{raw}' is not on the attendee list")


def people_from_names(names: list[str]) -> list[Person]:
    """People for a plain list of names (the command's --attendees): each keyed by its slug."""
    out: list[Person] = []
    seen: set[str] = set()
    for name in names:
        name = name.strip()
        handles: list[str] = []
        for found in re.findall(r"\(?@([\w.-]+)\)?", name):
            handles.append(found)
        initials = re.search(r"\(([A-Z]{2,4})\)", name)
        if initials:
            handles.append(initials.group(1))
        name = re.sub(r"\(?@[\w.-]+\)?|\([A-Z]{2,4}\)", "", name).strip() or (handles[0] if handles else "")
        key = slug(name)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(Person(key=key, name=name, handles=tuple(handles)))
    return out
