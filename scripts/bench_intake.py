"""How long the intake extractor takes on a 100 KB meeting note (a benchmark, not a test).

    python scripts/bench_intake.py [SIZE_KB]

Builds the note from the labelled notes in tests/intake/corpus (numbered so that no two lines
repeat), extracts it five times, and prints the best and the median time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake.extract import extract, people_from_names  # noqa: E402


def note(size_kb: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/intake/corpus").glob("*.md"))]
    out: list[str] = []
    n = 0
    while sum(len(p) for p in out) < size_kb * 1024:
        n += 1
        out.append(
            f"\n## Session {n}\n\n"
            + parts[n % len(parts)].replace("2026", str(2026 + n % 3)).replace(" the ", f" the #{n} ")
        )
    return "".join(out)


def main() -> None:
    size_kb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    text = note(size_kb)
    people = people_from_names(
        ["Maya Okafor", "Dan Reyes (@dreyes)", "Priya Natarajan", "Lee Chen", "Sam Ortiz"]
        + [f"Person {i}" for i in range(200)]
    )
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = extract(text, filename="bench.md", people=people)
        times.append(time.perf_counter() - start)
    print(
        f"{len(text.encode()) / 1024:.0f} KB, {len(text.splitlines())} lines, {len(result.proposals)} proposals"
    )
    print(f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
