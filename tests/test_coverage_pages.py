"""/find's coverage charts (AppTest): the grid draws tools as rows across the column's
width, and the focus-area line names gaps only in what the town chose."""

from __future__ import annotations

import json

import pytest

from support import open_page

pytestmark = pytest.mark.usefixtures("fresh_app")
WORKSHOP = {"goal": "reduce-flood-risk:3,conserve-land:2", "state": "PA", "setting": "rural"}


def _coverage_tab(**params: str):
    at = open_page("app_pages/find.py", session_state={"find_tab": "Coverage charts"}, **WORKSHOP, **params)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3
    return at, charts, " ".join(c.value for c in at.caption)


def test_find_coverage_grid_has_tools_as_rows_and_stretches():
    _, charts, _ = _coverage_tab()
    grid = json.loads(charts[0].proto.spec)
    assert grid["layer"][0]["encoding"]["y"]["field"] == "Tool"
    assert grid["width"] == "container"


def test_find_focus_area_line_is_context_when_nothing_was_chosen():
    _, _, captions = _coverage_tab()
    assert "not covered" not in captions.lower() and "Transportation" not in captions
    assert "The top tools touch Environment" in captions


def test_find_focus_area_line_speaks_of_what_was_chosen():
    _, _, captions = _coverage_tab(focus="Economy")
    assert "you chose" in captions
