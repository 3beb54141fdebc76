"""Small inline SVG charts drawn on the server: coordinates only, the template writes the markup, so the page
needs no script and no inline style."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

HISTORY_POINTS = 12
WIDTH, HEIGHT, PAD = 320, 120, 10


class Valued(Protocol):
    value: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y …"
    dots: list[tuple[float, float, Decimal]]
    low: Decimal
    high: Decimal


def history_chart(history: Sequence[Valued]) -> Chart | None:
    """A line of a score's values over its recomputes on a 0-100 scale; none for fewer than two values."""
    if len(history) < 2:
        return None
    step = (WIDTH - 2 * PAD) / (len(history) - 1)
    dots = [
        (round(PAD + n * step, 1), round(HEIGHT - PAD - float(entry.value) / 100 * (HEIGHT - 2 * PAD), 1), entry.value)
        for n, entry in enumerate(history)
    ]
    values = [entry.value for entry in history]
    return Chart(WIDTH, HEIGHT, " ".join(f"{x},{y}" for x, y, _ in dots), dots, min(values), max(values))
