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


def _configure(chart: alt.Chart | alt.LayerChart | alt.FacetChart, big: bool) -> alt.Chart:
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
    positions: Sequence[str] = (),
) -> alt.Chart:
    """One row a top tool (by rank, numbered by `positions` where given: "=2" for tools
    level with a neighbor, as the cards show them), then the tools the town already has ("In place: ...",
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
    numbers = list(positions) or [str(i) for i in range(1, len(slugs) + 1)]
    tool_labels = [f"{n}. {catalog.title(s)}" for n, s in zip(numbers, slugs, strict=True)]
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
            # never hidden as "overlapping": each row is tall enough for its name's lines (step below)
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, labelPadding=6, labelOverlap=False),
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


# The timeline's rows, in pixels: a tool's name (and what it waits for) on lines of its own
# above its bar, so the bars get the chart's whole width on a 390 px phone as on a projector
# (names on an axis beside the bars left a phone about 80 px for three phases).
_ROW_CHARS = {False: 40, True: 60}  # a tool's name wraps at about this many characters
_PHASE_CHARS = 10  # a phase's span wraps at this many: three columns of a phone are about 110 px


def _timeline_rows(frame: pd.DataFrame, big: bool) -> tuple[pd.DataFrame, float, float]:
    """Where each row's lines and bar go (pixels from the chart's top, after the phase
    headings), the headings' height and the chart's height."""
    size = _sizes(big)["label"]
    line = round(size * 1.3)
    bar = 34 if big else 22
    head = 3 * line + 10  # a phase name and its span on up to two lines
    y = head
    tops: dict[str, list] = {"Name": [], "NameY": [], "After": [], "AfterY": [], "BarTop": [], "BarBottom": []}
    for label in frame["Label"]:
        name, _, after = label.partition("|")
        name_lines = _wrap(name, _ROW_CHARS[big], most=3).split("|")
        after_lines = _wrap(after, _ROW_CHARS[big], most=3).split("|") if after else []
        tops["Name"].append("|".join(name_lines))
        tops["NameY"].append(y + 4)
        tops["After"].append("|".join(after_lines))
        tops["AfterY"].append(y + 4 + line * len(name_lines))
        bar_top = y + 4 + line * (len(name_lines) + len(after_lines)) + 4
        tops["BarTop"].append(bar_top)
        tops["BarBottom"].append(bar_top + bar)
        y = bar_top + bar + (14 if big else 10)
    return frame.assign(**tops), head, y


def plan_timeline(plan: Plan, catalog: Catalog, big: bool = False) -> alt.Chart:
    """One bar a tool across Now, Next and Later, from the phase it starts in to when
    its results are expected; coloured by its first focus area. The tool's name, and what
    it builds on ("after X"), sit on their own lines above its bar, so the three phases get
    the chart's full width at any size; each phase's heading is centred over its column
    (nothing overlaps or drops out at 390 px). Larger type and rows in projector mode."""
    s = _sizes(big)
    frame, head, height = _timeline_rows(plan_timeline_frame(plan, catalog), big)
    present = [f for f in (*FOCUS_COLOURS, NO_FOCUS) if f in set(frame["Focus area"])]
    colours = [FOCUS_COLOURS.get(f, "#777777") for f in present]
    line = round(s["label"] * 1.3)
    # pixels down from the top: the y scale is the chart's own height, top first
    y_scale = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)
    x_scale = alt.Scale(domain=[0, len(PHASES)], nice=False)

    def ypx(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", scale=y_scale, axis=None)

    headings = pd.DataFrame(
        [
            {"x": i + 0.5, "Name": name, "Span": _wrap(span, _PHASE_CHARS, most=2), "y": 4, "y2": 4 + line}
            for i, (name, span) in enumerate(PHASES)
        ]
    )
    heading_name = (
        alt.Chart(headings)
        .mark_text(align="center", baseline="top", fontSize=s["label"], fontWeight="bold", color="#111111")
        .encode(x=alt.X("x:Q", scale=x_scale, axis=None), y=ypx("y"), text="Name:N")
    )
    heading_span = (
        alt.Chart(headings)
        .mark_text(align="center", baseline="top", fontSize=s["label"] - 1, color="#111111", lineBreak="|")
        .encode(x=alt.X("x:Q", scale=x_scale, axis=None), y=ypx("y2"), text="Span:N")
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=4)
        .encode(
            x=alt.X("Start:Q", scale=x_scale, axis=None, title=None),
            x2="End:Q",
            y=ypx("BarTop"),
            y2="BarBottom:Q",
            color=alt.Color(
                "Focus area:N",
                scale=alt.Scale(domain=present, range=colours),
                title="Focus area",
                legend=alt.Legend(columns=3 if big else 2, direction="horizontal"),
            ),
            tooltip=["Tool:N", "Phase:N", "Results:N", "After:N", "Effort:N", "Focus area:N"],
        )
    )
    names = (
        alt.Chart(frame)
        .mark_text(align="left", baseline="top", fontSize=s["label"], fontWeight="bold", color="#111111", lineBreak="|")
        .encode(x=alt.value(0), y=ypx("NameY"), text="Name:N")
    )
    afters = (
        alt.Chart(frame)
        .mark_text(align="left", baseline="top", fontSize=s["label"] - 1, color="#333333", lineBreak="|")
        .encode(x=alt.value(0), y=ypx("AfterY"), text="After:N")
    )
    phase_text = (
        alt.Chart(frame)
        .mark_text(align="left", baseline="middle", dx=8, color="white", fontSize=s["label"] - 2, fontWeight="bold")
        .transform_calculate(Middle="(datum.BarTop + datum.BarBottom) / 2")
        .encode(x=alt.X("Start:Q", scale=x_scale, axis=None), y=ypx("Middle"), text="Phase:N")
    )
    # the middle phase shaded from top to bottom (a dashed line between phases ran through the names)
    bounds = (
        alt.Chart(pd.DataFrame({"x": [1], "x2": [2], "y": [0], "y2": [height]}))
        .mark_rect(color="#EEEEEE")
        .encode(x=alt.X("x:Q", scale=x_scale, axis=None), x2="x2:Q", y=ypx("y"), y2="y2:Q")
    )
    title = alt.TitleParams(
        # in lines a phone's width holds (a title is never wrapped by Vega: it was cut at 390 px)
        _wrap("Each bar runs from when the tool starts to when its results are expected", 40, most=3).split("|"),
        fontSize=s["title"],
        anchor="start",
        color="#111111",
        fontWeight="normal",
        offset=12,
    )
    layers = alt.layer(bounds, heading_name, heading_span, bars, phase_text, names, afters)
    # fit the width only: the rows are laid out in pixels, so the height must not be squeezed
    # to fit (Streamlit's default for a chart as wide as its column fits both)
    fit_width = alt.AutoSizeParams(type="fit-x", contains="padding")
    return _configure(layers.properties(height=height, width="container", title=title, autosize=fit_width), big)


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
