"""Pure helpers of the benchmark suite: summaries, ratios, the printed table.

No timing happens here (the other modules measure); these functions only turn
lists of measurements into figures and text, so they are unit-tested
(tests/test_bench.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Several measurements of one thing, in milliseconds (None: did not finish)."""

    median: float | None
    low: float | None
    high: float | None
    runs: int
    failed: int = 0

    def as_dict(self) -> dict:
        return {
            "median_ms": self.median,
            "min_ms": self.low,
            "max_ms": self.high,
            "runs": self.runs,
            "failed": self.failed,
        }


def summarise(samples: Iterable[float | None]) -> Summary:
    """Median, minimum and maximum of the samples that finished; `failed` counts the Nones."""
    values = list(samples)
    done = [v for v in values if v is not None]
    if not done:
        return Summary(None, None, None, len(values), len(values))
    return Summary(statistics.median(done), min(done), max(done), len(values), len(values) - len(done))


def ratio(ours: float | None, reference: float | None) -> float | None:
    """ours / reference, or None when either is missing or the reference is not positive."""
    if ours is None or reference is None or reference <= 0:
        return None
    return ours / reference


def fmt_ms(value: float | None) -> str:
    """A duration for the table: 0.042 ms, 4.20 ms, 42.0 ms, 420 ms, 4.20 s; '-' when missing."""
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    if value >= 1:
        return f"{value:.2f} ms"
    return f"{value:.3f} ms"


def fmt_ratio(value: float | None) -> str:
    """A ratio for the table: 1.23x; '-' when missing."""
    return "-" if value is None else f"{value:.2f}x"


@dataclass(frozen=True)
class Row:
    """One line of the printed table; `key` names the figure it shows (the key in the
    results JSON), so code and tests find a row without matching its wording."""

    section: str
    what: str
    value: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    key: str = ""


def render_table(rows: Sequence[Row]) -> str:
    """Rows grouped under their section, in columns sized to fit; a Markdown table, so
    the same text reads in a terminal and pastes into the README."""
    header = ("what", "measured", "reference", "ratio", "target")
    body = [(r.what, r.value, r.reference, r.ratio, r.target) for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out: list[str] = []
    section = None
    for row, cells in zip(rows, body, strict=True):
        if row.section != section:
            section = row.section
            if out:
                out.append("")
            out += [f"### {section}", "", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out.append(line(cells))
    return "\n".join(out)


def target_note(value: float | None, limit: float, unit: str = "ms") -> str:
    """'< 100 ms: met' / 'NOT met' against an upper limit (value in the same unit)."""
    if value is None:
        return f"< {limit:g} {unit}: not measured"
    return f"< {limit:g} {unit}: {'met' if value < limit else 'NOT met'}"


def ratio_note(value: float | None, limit: float) -> str:
    """'<= 1.2x: met' / 'NOT met' against a ratio limit."""
    if value is None:
        return f"<= {limit:g}x: not measured"
    return f"<= {limit:g}x: {'met' if value <= limit else 'NOT met'}"
