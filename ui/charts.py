"""Altair charts drawn from logic.coverage results. Large type in projector mode."""

from __future__ import annotations

import altair as alt
import pandas as pd

from logic.coverage import Coverage
from logic.model import Catalog

BLUE = "#0B5394"
PALE = "#9FC5E8"
GAP = "#E06666"
NONE = "#F3F3F3"


def _sizes(big: bool) -> dict[str, int]:
    return {"label": 20 if big else 13, "title": 22 if big else 14, "limit": 420 if big else 300}


def _configure(chart: alt.Chart, big: bool) -> alt.Chart:
    s = _sizes(big)
    return (
        chart.configure_axis(
            labelFontSize=s["label"], titleFontSize=s["title"], labelLimit=s["limit"], labelColor="#111111"
        )
        .configure_legend(
            labelFontSize=s["label"],
            titleFontSize=s["title"],
            orient="bottom",
            labelLimit=s["limit"],
            symbolSize=300 if big else 120,
            labelColor="#111111",
        )
        .configure_view(strokeWidth=0)
    )


def heatmap(cov: Coverage, catalog: Catalog, slugs: list[str], big: bool = False) -> alt.Chart:
    """One row a goal, focus area or principle; one column a top tool (by rank)."""
    covered = {(s, dim, label) for s, dim, label in cov.cells}
    prefix = {"Goal": "Goal: ", "Focus area": "", "Principle": ""}
    rows = [r for r in cov.rows if r.dimension == "Goal"] + [r for r in cov.rows if r.dimension != "Goal"]
    row_labels = [prefix[r.dimension] + r.label for r in rows]
    tool_labels = [f"{i}. {catalog.title(s)}" for i, s in enumerate(slugs, 1)]
    records = []
    for s, tool_label in zip(slugs, tool_labels, strict=True):
        for r, row_label in zip(rows, row_labels, strict=True):
            is_cov = (s, r.dimension, r.label) in covered
            if is_cov:
                state = "Covers, you chose it" if r.selected else "Covers"
            else:
                state = "Does not cover, you chose it" if r.selected else "Does not cover"
            records.append(
                {
                    "Tool": tool_label,
                    "Row": row_label,
                    "Kind": r.dimension,
                    "State": state,
                    "Mark": "✓" if is_cov else "",
                }
            )
    frame = pd.DataFrame(records)
    domain = ["Covers, you chose it", "Covers", "Does not cover, you chose it", "Does not cover"]
    colors = [BLUE, PALE, "#F4CCCC", NONE]
    s = _sizes(big)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "Tool:N",
            sort=tool_labels,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=260 if big else 190, labelOverlap=False),
        ),
        y=alt.Y("Row:N", sort=row_labels, title=None),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("State:N", scale=alt.Scale(domain=domain, range=colors), title=None),
        tooltip=["Tool", "Row", "State"],
    )
    text = base.mark_text(fontSize=s["label"] + 2, fontWeight="bold").encode(
        text="Mark:N",
        color=alt.condition(alt.datum.State == domain[0], alt.value("white"), alt.value(BLUE)),
    )
    step = 40 if big else 28
    return _configure((rect + text).properties(height=alt.Step(step), width=alt.Step(int(step * 1.6))), big)


def coverage_bars(cov: Coverage, big: bool = False) -> alt.Chart:
    """How many of the top tools carry each focus area and principle."""
    rows = [r for r in cov.rows if r.dimension != "Goal"]
    frame = pd.DataFrame(
        {
            "Tag": [r.label for r in rows],
            "Kind": [r.dimension for r in rows],
            "Tools": [r.count for r in rows],
            "Chosen": ["You chose it" if r.selected else "Not chosen" for r in rows],
            "Note": [("not covered" if r.count == 0 else str(r.count)) for r in rows],
        }
    )
    return _bars(frame, big, "Tag")


def goal_bars(cov: Coverage, big: bool = False) -> alt.Chart:
    rows = [r for r in cov.rows if r.dimension == "Goal"]
    frame = pd.DataFrame(
        {
            "Goal": [r.label for r in rows],
            "Tools": [r.count for r in rows],
            "Chosen": ["You chose it"] * len(rows),
            "Note": [("not covered" if r.count == 0 else str(r.count)) for r in rows],
        }
    )
    return _bars(frame, big, "Goal", legend=False)


def _bars(frame: pd.DataFrame, big: bool, field: str, legend: bool = True) -> alt.Chart:
    s = _sizes(big)
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{field}:N", sort=list(frame[field]), title=None),
        x=alt.X("Tools:Q", title="Top tools that cover it", axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "Chosen:N",
            scale=alt.Scale(domain=["You chose it", "Not chosen"], range=[BLUE, PALE]),
            title=None,
            legend=alt.Legend() if legend else None,
        ),
        tooltip=[field, "Tools"],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=s["label"]).encode(
        text="Note:N",
        color=alt.condition(alt.datum.Tools == 0, alt.value(GAP), alt.value("#333333")),
    )
    return _configure((bars + labels).properties(height=alt.Step(44 if big else 30)), big)
