"""The charts the pages draw. They are built in logic/charts.py (pure Altair, no
Streamlit) so the brief (logic/brief/) renders the very same specifications;
this module re-exports them for the pages."""

from logic.charts import (
    BLUE,
    FOCUS_COLOURS,
    GAP,
    IN_PLACE,
    NO_FOCUS,
    NONE,
    PALE,
    coverage_bars,
    goal_bars,
    heatmap,
    plan_timeline,
    plan_timeline_frame,
)

__all__ = [
    "BLUE",
    "FOCUS_COLOURS",
    "GAP",
    "IN_PLACE",
    "NONE",
    "NO_FOCUS",
    "PALE",
    "coverage_bars",
    "goal_bars",
    "heatmap",
    "plan_timeline",
    "plan_timeline_frame",
]
