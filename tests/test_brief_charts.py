"""The charts the brief renders (with vl-convert, as the pages draw them): the timeline's
phase headings stay clear of the first bar (they overlapped it before)."""

from __future__ import annotations

import pytest
import vl_convert

from logic.charts import plan_timeline
from logic.plan import PHASE_NAMES, make_plan


def _marks(node: dict, ox: float = 0, oy: float = 0, out: list | None = None) -> list:
    """(kind, text, y, font size) of the texts and bars in a Vega scenegraph, y absolute."""
    out = [] if out is None else out
    x, y = ox + node.get("x", 0), oy + node.get("y", 0)
    kind, role = node.get("marktype"), node.get("role")
    for item in node.get("items", []):
        if kind == "text" and role in ("mark", "axis-label"):
            out.append(("label", item.get("text"), y + item.get("y", 0), item.get("fontSize")))
        elif kind == "rect" and role == "mark":
            out.append(("bar", item.get("fill"), y + item.get("y", 0), None))
        _marks(item, x, y, out)
    return out


@pytest.mark.parametrize("big", [False, True], ids=["desk", "projector"])
def test_timeline_phase_headings_do_not_overlap_the_first_bar(catalog, big):
    plan = make_plan(catalog, ["stormwatermanagement", "floodplainordinances", "stormwaterfees"])
    spec = plan_timeline(plan, catalog, big).to_dict()
    spec["width"] = 500
    marks = _marks(vl_convert.vegalite_to_scenegraph(spec)["scenegraph"])
    named = [m for m in marks if m[0] == "label" and m[1] in PHASE_NAMES]
    headings = [m for m in named if m[3] == max(n[3] for n in named)]  # not the smaller names in the bars
    spans = [m for m in marks if m[0] == "label" and ("years" in str(m[1]) or "months" in str(m[1]))]
    bars = [m for m in marks if m[0] == "bar" and m[1] != "#EEEEEE"]  # not the middle phase's shading
    assert len(headings) == 3 and len(spans) == 3 and bars
    first_bar = min(b[2] for b in bars)
    for _, lines, y, size in headings + spans:
        # baseline top: the text runs down from y, a line for each of its lines
        n = len(lines) if isinstance(lines, list) else 1
        assert y + n * size * 1.2 <= first_bar, (lines, y, first_bar)
