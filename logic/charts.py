"""Altair charts drawn from coverage results and action plans. Large type in projector mode.

Pure Altair (no Streamlit): the pages draw these specs with st.altair_chart, and
the brief (logic/brief/) renders the very same specs to images."""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd
else:

    class _OnFirstUse:
        """A module imported when first used: pandas and Altair take about a second to import,
        and /find's default view draws no chart (a cold shared link opens without them)."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module(self._name), attr)

    alt = _OnFirstUse("altair")
    pd = _OnFirstUse("pandas")

from .coverage import Coverage, CoverageRow
from .model import Catalog
from .plan import PHASE_NAMES, PHASES, Plan
from .taxonomy import HORIZON_LABELS

BLUE = "#0B5394"
PALE = "#9FC5E8"
GAP = "#E06666"
NONE = "#F3F3F3"
IN_PLACE = "#38761D"  # what the town already has: dark enough for a white check


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


def _wrap(text: str, width: int, most: int = 3) -> str:
    """Text in lines of about `width` characters (longer when it would take more than
    `most` lines), joined by "|" (an axis label splits them)."""
    while len(lines := textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) > most:
        width += 2
    return "|".join(lines) or text


def heatmap(
    cov: Coverage,
    catalog: Catalog,
    slugs: list[str],
    big: bool = False,
    in_place: Sequence[str] = (),
    width: int | str = "container",
) -> alt.Chart:
    """One row a top tool (by rank), then the tools the town already has ("In place: ...",
    their cells in green); one column a goal, focus area or principle. Tool names run
    across (wrapped, never cut) and the columns share what is left of the container's
    width, so the grid fits a 1280 px screen and a 390 px phone alike. `width`: a
    number of pixels where there is no container (the brief's image)."""
    covered = {(s, dim, label) for s, dim, label in cov.cells}
    prefix = {"Goal": "Goal: ", "Focus area": "", "Principle": ""}
    rows = [r for r in cov.rows if r.dimension == "Goal"] + [r for r in cov.rows if r.dimension != "Goal"]
    size = _sizes(big)
    # A column's heading reads upwards: in one line where the columns may be a phone's narrow
    # ones, in two where they are wide (a projector, an image of a known width). A tool's
    # name: lines of `wrap` characters.
    wide = big or isinstance(width, int)
    wrap = 30 if big else (26 if wide else 20)
    headings = [prefix[r.dimension] + r.label for r in rows]
    column_labels = [_wrap(h, 22, most=2) for h in headings] if wide else headings
    placed = [s for s in in_place if s not in slugs]
    tool_labels = [f"{i}. {catalog.title(s)}" for i, s in enumerate(slugs, 1)]
    tool_labels += [f"In place: {catalog.title(s)}" for s in placed]
    tool_labels = [_wrap(label, wrap) for label in tool_labels]
    records = []
    for s, tool_label in zip(slugs + placed, tool_labels, strict=True):
        for r, column_label in zip(rows, column_labels, strict=True):
            is_cov = (s, r.dimension, r.label) in covered
            if is_cov and s in placed:
                state = "In place"
            elif is_cov:
                state = "Covers, you chose it" if r.selected else "Covers"
            else:
                state = "Does not cover, you chose it" if r.selected else "Does not cover"
            records.append(
                {
                    "Tool": tool_label,
                    "Column": column_label,
                    "Tool name": tool_label.replace("|", " "),
                    "Covers": column_label.replace("|", " "),
                    "Kind": r.dimension,
                    "State": state,
                    "Mark": "✓" if is_cov else "",
                }
            )
    frame = pd.DataFrame(records)
    domain = ["Covers, you chose it", "Covers", "In place", "Does not cover, you chose it", "Does not cover"]
    colors = [BLUE, PALE, IN_PLACE, "#F4CCCC", NONE]
    lines = max((label.count("|") + 1 for label in tool_labels), default=1)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "Column:N",
            sort=column_labels,
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=-90,
                labelAlign="left",
                labelBaseline="middle",
                labelExpr="split(datum.label, '|')",
                labelLimit=0,
                labelOverlap=False,
            ),
        ),
        y=alt.Y(
            "Tool:N",
            sort=tool_labels,
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, labelPadding=6),
        ),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "State:N",
            scale=alt.Scale(domain=domain, range=colors),
            title=None,
            legend=alt.Legend(columns=2 if wide else 1),  # one column: a phone's width
        ),
        tooltip=["Tool name:N", "Covers:N", "State:N"],
    )
    text = base.mark_text(fontSize=size["label"] + 2, fontWeight="bold").encode(
        text="Mark:N",
        color=alt.condition(
            (alt.datum.State == domain[0]) | (alt.datum.State == "In place"), alt.value("white"), alt.value(BLUE)
        ),
    )
    # each row tall enough for its name's lines
    step = max(40 if big else 28, int(lines * size["label"] * 1.25) + 6)
    return _configure((rect + text).properties(height=alt.Step(step), width=width), big)


def coverage_bars(cov: Coverage, big: bool = False) -> alt.Chart:
    """How many of the top tools carry each focus area and principle."""
    rows = [r for r in cov.rows if r.dimension != "Goal"]
    frame = pd.DataFrame(
        {
            "Tag": [r.label for r in rows],
            "Kind": [r.dimension for r in rows],
            "Tools": [r.count for r in rows],
            "Chosen": ["You chose it" if r.selected else "Not chosen" for r in rows],
            "Note": [_note(r) for r in rows],
        }
    )
    # the legend tells chosen from not chosen: only when something was chosen
    return _bars(frame, big, "Tag", legend=any(r.selected for r in rows))


def _note(row: CoverageRow) -> str:
    """The label beside a bar: how many proposed tools, and whether something in place
    covers it; "not covered" (in red) only for what the town chose, else "none"."""
    if row.in_place:
        return f"{row.count} + in place" if row.count else "in place"
    if row.count:
        return str(row.count)
    return "not covered" if row.selected else "none"


def goal_bars(cov: Coverage, big: bool = False) -> alt.Chart:
    rows = [r for r in cov.rows if r.dimension == "Goal"]
    frame = pd.DataFrame(
        {
            "Goal": [r.label for r in rows],
            "Tools": [r.count for r in rows],
            "Chosen": ["You chose it"] * len(rows),
            "Note": [_note(r) for r in rows],
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
        color=alt.condition(alt.datum.Note == "not covered", alt.value(GAP), alt.value("#333333")),
    )
    return _configure((bars + labels).properties(height=alt.Step(44 if big else 30)), big)


# colours per focus area, each dark enough for white text and told apart by the legend's words too
FOCUS_COLOURS: dict[str, str] = {
    "Environment": "#1B7837",
    "Transportation": "#0B5394",
    "Economy": "#B45F06",
    "Communities": "#674EA7",
    "Regional Planning": "#444444",
}
NO_FOCUS = "No focus area"
# how far a bar runs from the phase it starts in: to the phase its results are expected in
_RESULT_SPAN = {"short": 1, "medium": 2, "long": 3}


def plan_timeline_frame(plan: Plan, catalog: Catalog) -> pd.DataFrame:
    """One row a planned tool, in the order they start: where its bar starts (0 Now,
    1 Next, 2 Later) and ends (when results are expected, at most the end of Later),
    its first focus area, and what it waits for ("after X")."""
    rows = []
    for n, item in enumerate(plan.items, 1):
        tool = catalog.tools[item.slug]
        start = PHASE_NAMES.index(item.phase)
        end = min(len(PHASE_NAMES), start + _RESULT_SPAN.get(tool.time_to_results or "", 1))
        after = [catalog.title(s) for s in item.waits_for] + [
            f"{catalog.title(s)} (in place)" for s in item.after_in_place
        ]
        rows.append(
            {
                "Order": n,
                "Tool": item.title,
                # two lines on the axis: the tool, then what it waits for
                "Label": f"{n}. {item.title}" + (f"|after {', '.join(after)}" if after else ""),
                "Start": start,
                "End": end,
                "Phase": item.phase,
                "Focus area": item.focus_area or NO_FOCUS,
                "Results": HORIZON_LABELS.get(tool.time_to_results or "", "not rated"),
                "After": ", ".join(after) or "nothing in the plan",
                "Effort": "high" if item.high_effort else (tool.staff_effort or "not rated"),
            }
        )
    return pd.DataFrame(
        rows, columns=["Order", "Tool", "Label", "Start", "End", "Phase", "Focus area", "Results", "After", "Effort"]
    )


def plan_timeline(plan: Plan, catalog: Catalog, big: bool = False) -> alt.Chart:
    """One bar a tool across Now, Next and Later, from the phase it starts in to when
    its results are expected; coloured by its first focus area; what it builds on
    written under its name ("after X"). Larger type and rows in projector mode."""
    frame = plan_timeline_frame(plan, catalog)
    s = _sizes(big)
    labels = list(frame["Label"])
    present = [f for f in (*FOCUS_COLOURS, NO_FOCUS) if f in set(frame["Focus area"])]
    colours = [FOCUS_COLOURS.get(f, "#777777") for f in present]
    # two lines over each phase: its name, then its span
    phase_names = "[" + ", ".join(f"['{name}', '{label}']" for name, label in PHASES) + "]"
    x_axis = alt.Axis(
        orient="top",
        values=[0.5, 1.5, 2.5],
        labelExpr=f"{phase_names}[floor(datum.value)]",
        grid=False,
        ticks=False,
        domain=False,
        labelAngle=0,
        labelFontWeight="bold",
        # the second line is set below the first: lift both clear of the first bar
        labelPadding=s["label"] + 6,
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=4, height={"band": 0.7})
        .encode(
            x=alt.X("Start:Q", scale=alt.Scale(domain=[0, len(PHASES)], nice=False), axis=x_axis, title=None),
            x2="End:Q",
            y=alt.Y(
                "Label:N",
                sort=labels,
                title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=s["limit"] + 80, labelPadding=8),
            ),
            color=alt.Color(
                "Focus area:N",
                scale=alt.Scale(domain=present, range=colours),
                title="Focus area",
                legend=alt.Legend(columns=3, direction="horizontal"),
            ),
            tooltip=["Tool:N", "Phase:N", "Results:N", "After:N", "Effort:N", "Focus area:N"],
        )
    )
    phase_text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=8, color="white", fontSize=s["label"] - 2, fontWeight="bold")
        .encode(x="Start:Q", y=alt.Y("Label:N", sort=labels), text="Phase:N")
    )
    bounds = (
        alt.Chart(pd.DataFrame({"x": list(range(1, len(PHASES)))}))
        .mark_rule(strokeDash=[6, 4], color="#666666", strokeWidth=2 if big else 1)
        .encode(x="x:Q")
    )
    step = 64 if big else 44
    title = alt.TitleParams(
        "Each bar runs from when the tool starts to when its results are expected",
        fontSize=s["title"],
        anchor="start",
        color="#111111",
        fontWeight="normal",
        offset=12,
    )
    layers = bounds + bars + phase_text
    return _configure(layers.properties(height=alt.Step(step), width="container", title=title), big)


def vote_chart(totals: Mapping[str, int], title: Callable[[str], str], big: bool = False) -> alt.Chart:
    """The room's dots, one bar a tool, most first: as wide as its column, whole-number ticks
    (never "0 2 4" or "0.000000"), labels that read from the back of a room in projector mode."""
    frame = pd.DataFrame({"Tool": [title(s) for s in totals], "Dots": list(totals.values())}).sort_values(
        ["Dots", "Tool"], ascending=[False, True]
    )
    most = max([*totals.values(), 1])
    step = max(1, -(-most // 10))  # at most about ten ticks, each a whole number of dots
    size = 22 if big else 14
    base = alt.Chart(frame).encode(
        y=alt.Y("Tool:N", sort=list(frame["Tool"]), title=None),
        x=alt.X(
            "Dots:Q",
            title="Dots",
            scale=alt.Scale(domain=[0, most]),
            axis=alt.Axis(values=list(range(0, most + 1, step)), format="d"),
        ),
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=8, fontSize=size, fontWeight="bold").encode(text="Dots:Q")
    return (
        (bars + labels)
        .properties(width="container", height=alt.Step(48 if big else 34))
        .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=460 if big else 320, labelColor="#111111")
        .configure_view(strokeWidth=0)
    )
