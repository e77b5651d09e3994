"""Geometry of the radar chart: rings for severity (high at the centre), sectors for surfaces, one
mark per item. Pure arithmetic; the template draws the SVG."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 440
CENTRE = SIZE / 2
RADIUS = 190
RINGS = (("high", 0.0, 1 / 3), ("medium", 1 / 3, 2 / 3), ("low", 2 / 3, 1.0))


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    href: str
    label: str
    severity: str


@dataclass(frozen=True)
class SectorLine:
    x: float
    y: float


@dataclass(frozen=True)
class SectorLabel:
    x: float
    y: float
    text: str
    anchor: str


@dataclass(frozen=True)
class Ring:
    r: float
    severity: str
    label_y: float


@dataclass(frozen=True)
class Chart:
    size: int
    centre: float
    rings: list[Ring]
    lines: list[SectorLine]
    labels: list[SectorLabel]
    marks: list[Mark]


def _point(angle: float, radius: float) -> tuple[float, float]:
    return round(CENTRE + radius * math.sin(angle), 1), round(CENTRE - radius * math.cos(angle), 1)


def build_chart(entries: list[tuple[str, str, str, str]], sectors: list[str]) -> Chart:
    """`entries` are (sector name, severity, href, accessible label); `sectors` in display order.
    Items of one sector and ring are spread evenly across the sector's arc and the ring's band."""
    count = max(len(sectors), 1)
    width = 2 * math.pi / count
    rings = [
        Ring(r=round(RADIUS * outer, 1), severity=name, label_y=round(CENTRE - RADIUS * outer + 13, 1))
        for name, _inner, outer in RINGS
    ]
    lines = [SectorLine(*_point(index * width, RADIUS)) for index in range(count)] if count > 1 else []
    labels = []
    for index, name in enumerate(sectors):
        angle = (index + 0.5) * width
        x, y = _point(angle, RADIUS + 14)
        sin = math.sin(angle)
        anchor = "middle" if abs(sin) < 0.3 else ("start" if sin > 0 else "end")
        labels.append(SectorLabel(x=x, y=round(y + 4, 1), text=name, anchor=anchor))
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sector, severity, href, label in entries:
        grouped.setdefault((sector, severity), []).append((href, label))
    marks = []
    for (sector, severity), items in grouped.items():
        index = sectors.index(sector) if sector in sectors else 0
        inner, outer = next((i, o) for name, i, o in RINGS if name == severity)
        n = len(items)
        per_row = max(1, min(n, 6))
        rows = math.ceil(n / per_row)
        for position, (href, label) in enumerate(items):
            row, column = divmod(position, per_row)
            angle = index * width + width * (column + 1) / (per_row + 1)
            band = inner + (outer - inner) * ((row + 1) / (rows + 1))
            x, y = _point(angle, RADIUS * max(band, 0.08))
            marks.append(Mark(x=x, y=y, href=href, label=label, severity=severity))
    return Chart(size=SIZE, centre=CENTRE, rings=rings, lines=lines, labels=labels, marks=marks)
