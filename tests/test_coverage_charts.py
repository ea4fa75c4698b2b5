"""The coverage charts: the grid draws tools as rows and fits a 1280 px screen and a
390 px phone with nothing cut; the focus-area line and bars name gaps only in what the
town chose (a flood and farmland workshop is not told "Not covered: Transportation")."""

from __future__ import annotations

import pytest
import vl_convert

from logic.charts import coverage_bars, heatmap
from logic.coverage import coverage, tags_headline
from logic.profile import Profile
from logic.rules import recommend

GOALS = {"reduce-flood-risk": 3, "conserve-land": 2}  # the walk-through's rural Pennsylvania workshop
IN_PLACE = ["completestreets"]


@pytest.fixture(scope="module")
def top(catalog) -> list[str]:
    return [r.slug for r in recommend(catalog, Profile(goals=GOALS, state="PA", setting="rural"))[:10]]


def _cov(catalog, top, focus=(), principles=()):
    return coverage(catalog, top, focus, principles, list(GOALS), in_place=IN_PLACE)


def _items(node: dict, ox: float = 0, oy: float = 0, out: list | None = None) -> list[dict]:
    """Every rect mark and axis label of a Vega scenegraph, with absolute x and y."""
    out = [] if out is None else out
    x, y = ox + node.get("x", 0), oy + node.get("y", 0)
    kind, role = node.get("marktype"), node.get("role")
    for item in node.get("items", []):
        if (kind == "rect" and role == "mark") or (kind == "text" and role == "axis-label"):
            out.append({"kind": kind, **item, "x": x + item.get("x", 0), "y": y + item.get("y", 0)})
        _items(item, x, y, out)
    return out


def test_heatmap_draws_tools_as_rows_and_fills_its_container(catalog, top):
    spec = heatmap(_cov(catalog, top), catalog, top, in_place=IN_PLACE).to_dict()
    assert spec["width"] == "container"
    for layer in spec["layer"]:
        enc = layer["encoding"]
        assert enc["y"]["field"] == "Tool" and enc["x"]["field"] == "Column"
        assert enc["y"]["axis"]["labelLimit"] == 0 and enc["x"]["axis"]["labelLimit"] == 0  # nothing cut
        assert enc["x"]["axis"]["labelAngle"] == -90  # headings read upwards, never past the right edge
    rows = [label.replace("|", " ") for label in spec["layer"][0]["encoding"]["y"]["sort"]]
    assert rows == [f"{i}. {catalog.title(s)}" for i, s in enumerate(top, 1)] + ["In place: Complete Streets"]


# the content column of a 390 px phone, of a 1280 px screen, and projector mode on it
@pytest.mark.parametrize(("width", "big"), [(358, False), (1200, False), (1200, True)], ids=["phone", "desk", "big"])
def test_heatmap_fits_the_width_it_is_given_with_every_name_whole(catalog, top, width, big):
    cov = _cov(catalog, top)
    spec = heatmap(cov, catalog, top, big, in_place=IN_PLACE).to_dict()
    spec["width"], spec["autosize"] = width, {"type": "fit", "contains": "padding"}  # as Streamlit draws it
    items = _items(vl_convert.vegalite_to_scenegraph(spec)["scenegraph"])
    cells = [i for i in items if i["kind"] == "rect" and i.get("width")]
    assert len(cells) == len(cov.rows) * (len(top) + len(IN_PLACE))
    assert max(c["x"] + c["width"] for c in cells) <= width
    assert min(c["width"] for c in cells) >= 16  # a check mark's width, on the phone too
    labels = [i["text"] for i in items if i["kind"] == "text"]
    words = " ".join(" ".join(t) if isinstance(t, list) else str(t) for t in labels)
    for slug in top:
        assert catalog.title(slug) in words
    assert "…" not in words
    for i in items:
        if i["kind"] == "text":
            assert i.get("limit", 0) == 0, i["text"]


def test_focus_area_line_names_no_gaps_when_nothing_was_chosen(catalog, top):
    cov = _cov(catalog, top)
    line = tags_headline(cov)
    assert "not covered" not in line.lower() and "Transportation" not in line and "Economy" not in line
    assert line.startswith("The top tools touch ") and "Environment" in line
    spec = coverage_bars(cov).to_dict()
    notes = {row["Note"] for row in spec["datasets"][spec["data"]["name"]]}
    assert "not covered" not in notes and "none" in notes
    assert spec["layer"][0]["encoding"]["color"]["legend"] is None  # no "You chose it" nobody chose


def test_focus_area_line_names_what_was_chosen_and_not_covered(catalog, top):
    cov = _cov(catalog, top, focus=["Economy", "Environment"])
    assert tags_headline(cov) == "Of what you chose, not covered by the top tools: Economy."
    spec = coverage_bars(cov).to_dict()
    notes = {row["Tag"]: row["Note"] for row in spec["datasets"][spec["data"]["name"]]}
    assert notes["Economy"] == "not covered" and notes["Transportation"] == "in place"
    assert spec["layer"][0]["encoding"]["color"]["legend"] is not None
    assert tags_headline(_cov(catalog, top, focus=["Environment"])) == (
        "Every focus area and principle you chose is covered."
    )


def test_the_live_vote_chart_fills_its_column_with_whole_number_ticks():
    """The walk-through: the chart used about 100 px of a 650 px column, its axis read
    "0 2 4", and an empty chart showed a "0.000000" tick."""
    from logic.charts import vote_chart

    for totals, ticks in (({"a": 5, "b": 2, "c": 0}, [0, 1, 2, 3, 4, 5]), ({"a": 0, "b": 0}, [0, 1])):
        spec = vote_chart(totals, str.upper).to_dict()
        assert spec["width"] == "container"
        x = spec["layer"][0]["encoding"]["x"]
        assert x["axis"]["values"] == ticks and x["axis"]["format"] == "d"
        assert x["scale"]["domain"] == [0, ticks[-1]]
    many = vote_chart({"a": 45, "b": 3}, str.upper).to_dict()["layer"][0]["encoding"]["x"]["axis"]["values"]
    assert many[0] == 0 and all(isinstance(v, int) for v in many) and len(many) <= 11


def test_the_grid_numbers_tools_level_with_a_neighbour_as_their_cards_do(catalog):
    """Managing traffic alone: the 2nd and 3rd tools are level on every count and their cards
    read "=2"; the grid's rows say "=2" for both, not 2 and 3."""
    recs = [r for r in recommend(catalog, Profile(goals={"manage-traffic": 3})) if r.recommended][:6]
    positions = [r.position for r in recs]
    assert positions.count("=2") == 2  # the case this test is about
    slugs = [r.slug for r in recs]
    cov = coverage(catalog, slugs, (), (), ["manage-traffic"])
    spec = heatmap(cov, catalog, slugs, positions=positions).to_dict()
    rows = [label.replace("|", " ") for label in spec["layer"][0]["encoding"]["y"]["sort"]]
    assert rows == [f"{r.position}. {r.title}" for r in recs]
    assert not any(row.startswith("3. ") for row in rows)
