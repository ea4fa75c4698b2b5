"""The plan's timeline chart builds, with one bar a tool and what it builds on noted."""

from __future__ import annotations

from logic.model import BuildsOn, Catalog, Tool
from logic.plan import make_plan, plan_summary
from ui.charts import FOCUS_COLOURS, plan_timeline, plan_timeline_frame


def _catalog() -> Catalog:
    tools = [
        Tool(
            slug="plan", title="Plan", focus_areas=("Regional Planning",), time_to_results="long", staff_effort="medium"
        ),
        Tool(
            slug="map",
            title="Map",
            focus_areas=("Environment", "Regional Planning"),
            time_to_results="medium",
            builds_on=(BuildsOn("plan", "The map comes from the plan."),),
        ),
        Tool(
            slug="quick",
            title="Quick",
            focus_areas=("Transportation",),
            time_to_results="short",
            cost="low",
            staff_effort="low",
        ),
        Tool(slug="heavy", title="Heavy", time_to_results="short", staff_effort="high"),
        Tool(slug="heavier", title="Heavier", focus_areas=("Economy",), time_to_results="long", staff_effort="high"),
        Tool(slug="base", title="Base", builds_on=()),
        Tool(slug="fees", title="Fees", focus_areas=("Environment",), builds_on=(BuildsOn("base", "x"),)),
    ]
    return Catalog(tools={t.slug: t for t in tools})


def test_timeline_frame_has_one_bar_a_tool_in_start_order():
    cat = _catalog()
    plan = make_plan(cat, ["map", "plan", "quick", "heavy", "heavier", "fees"], have=["base"], staff="low")
    frame = plan_timeline_frame(plan, cat)
    assert list(frame["Tool"]) == [i.title for i in plan.items]
    rows = {r["Tool"]: r for r in frame.to_dict("records")}
    assert (rows["Quick"]["Start"], rows["Quick"]["End"]) == (0, 1)  # results in under a year
    assert (rows["Plan"]["Start"], rows["Plan"]["End"]) == (0, 3)  # over 3 years: runs to the end
    assert (rows["Map"]["Start"], rows["Map"]["End"]) == (1, 3)  # Next, 1-3 years
    assert rows["Heavier"]["Phase"] != "Now" and plan.item("heavier").pushed_by_capacity  # low staff capacity
    assert rows["Map"]["Label"].endswith("|after Plan") and rows["Map"]["Focus area"] == "Environment"
    assert rows["Fees"]["Label"].endswith("|after Base (in place)")
    assert rows["Heavy"]["Focus area"] == "No focus area"
    assert "|" not in rows["Quick"]["Label"]


def test_timeline_spec_builds_and_is_larger_in_projector_mode():
    cat = _catalog()
    plan = make_plan(cat, ["map", "plan", "quick"])
    spec = plan_timeline(plan, cat).to_dict()
    big = plan_timeline(plan, cat, big=True).to_dict()
    data = next(rows for rows in spec["datasets"].values() if rows and "Tool" in rows[0])
    assert [d["Tool"] for d in data] == ["Quick", "Plan", "Map"]
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert bars["encoding"]["x2"]["field"] == "End"
    colour = bars["encoding"]["color"]
    assert colour["field"] == "Focus area"
    assert colour["scale"]["domain"] == ["Environment", "Transportation", "Regional Planning"]
    assert colour["scale"]["range"] == [FOCUS_COLOURS[f] for f in colour["scale"]["domain"]]
    # each phase heads its column: its name, then its span on lines a phone's column holds
    headings = next(rows for rows in spec["datasets"].values() if rows and "Span" in rows[0])
    assert [(h["Name"], h["x"]) for h in headings] == [("Now", 0.5), ("Next", 1.5), ("Later", 2.5)]
    assert headings[0]["Span"] == "first 12|months"
    names = next(layer for layer in spec["layer"] if layer["encoding"]["y"]["field"] == "NameY")
    assert names["encoding"]["x"] == {"value": 0}  # above the bars, not an axis beside them
    assert spec["autosize"]["type"] == "fit-x"  # the rows keep their height in a page's column
    assert big["config"]["axis"]["labelFontSize"] > spec["config"]["axis"]["labelFontSize"]
    assert big["height"] > spec["height"]


def test_summary_beside_the_chart():
    cat = _catalog()
    plan = make_plan(cat, ["map", "plan", "quick"])
    assert plan_summary(cat, plan) == (
        "Now (first 12 months): Quick and Plan. Next (1-3 years): Map. Later (3 years and more): nothing."
    )


def test_an_empty_plan_still_builds():
    cat = _catalog()
    plan = make_plan(cat, ["base"], have=["base"])
    assert plan_timeline_frame(plan, cat).empty
    plan_timeline(plan, cat, big=True).to_dict()
