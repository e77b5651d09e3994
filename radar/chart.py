"""Geometry of the radar chart: rings for severity (high at the centre), sectors for surfaces, one
mark per item. Pure arithmetic; the template draws the SVG."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 440
CENTRE_X = WIDTH / 2
CENTRE_Y = HEIGHT / 2
RADIUS = 180
RINGS = (("high", 0.0, 1 / 3), ("medium", 1 / 3, 2 / 3), ("low", 2 / 3, 1.0))


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    href: str
    label: str
    severity: str

    @property
    def points(self) -> str:
        """A triangle around the point (high severity is drawn as a triangle, as on the badges)."""
        return f"{self.x:.1f},{self.y - 7:.1f} {self.x + 6.5:.1f},{self.y + 5:.1f} {self.x - 6.5:.1f},{self.y + 5:.1f}"

    @property
    def square_x(self) -> float:
        return round(self.x - 5, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - 5, 1)


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
    width: int
    height: int
    centre_x: float
    centre_y: float
    rings: list[Ring]
    lines: list[SectorLine]
    labels: list[SectorLabel]
    marks: list[Mark]


def _point(angle: float, radius: float) -> tuple[float, float]:
    return round(CENTRE_X + radius * math.sin(angle), 1), round(CENTRE_Y - radius * math.cos(angle), 1)


def build_chart(entries: list[tuple[str, str, str, str]], sectors: list[str]) -> Chart:
    """`entries` are (sector name, severity, href, accessible label); `sectors` in display order.
    Items of one sector and ring are spread evenly across the sector's arc and the ring's band."""
    count = max(len(sectors), 1)
    width = 2 * math.pi / count
    rings = [
        Ring(r=round(RADIUS * outer, 1), severity=name, label_y=round(CENTRE_Y - RADIUS * outer + 13, 1))
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
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        centre_x=CENTRE_X,
        centre_y=CENTRE_Y,
        rings=rings,
        lines=lines,
        labels=labels,
        marks=marks,
    )
