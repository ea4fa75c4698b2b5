"""Nothing clipped at 1280x720 (projector mode) or on a 390 px phone: every button's and page
link's text fits inside it (the walk-through found "Brief (H...", "Handou..." and package
titles cut off)."""

from __future__ import annotations

import pytest

from e2e_support import goto, settled

# the elements whose text overflows its box: a label cut with an ellipsis or hidden
OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll(
      "[data-testid='stMain'] button, [data-testid='stMain'] a[data-testid='stPageLink-NavLink']")) {
    if (!el.checkVisibility({visibilityProperty: true}) || el.closest("details:not([open])")) continue;
    for (const t of el.querySelectorAll('*')) {
      if (t.closest("[data-testid='stIconMaterial']") || !(t.textContent || '').trim()) continue;  // icons
      if (t.children.length === 0 && t.clientWidth > 0 && t.scrollWidth > t.clientWidth + 1) {
        out.push(t.textContent.trim().slice(0, 60));
        break;
      }
    }
  }
  return out;
}"""

FLOOD = "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA&setting=rural&staff=low"


@pytest.mark.parametrize("width,height,mode", [(1280, 720, "&present=1"), (390, 844, "")], ids=["projector", "phone"])
def test_no_button_text_is_cut(app_url, new_page, width, height, mode):
    page = new_page(width, height)
    goto(page, app_url + FLOOD + mode + "&step=results")
    page.get_by_text("Share or hand out this scenario").click()
    page.get_by_role("button", name="Brief (PDF)").wait_for()
    settled(page)
    cut = page.evaluate(OVERFLOWING)
    assert cut == [], cut
    goto(page, app_url + FLOOD + mode + "&step=package")
    if not mode:  # at the desk the package is a tab of the results
        page.get_by_role("tab", name="Package", exact=True).click()
    page.get_by_text("Add the package to the shortlist").wait_for()
    settled(page)
    cut = page.evaluate(OVERFLOWING)
    assert cut == [], cut


# each importance control whose buttons reach past the column that holds it (the column clips them)
PAST_THEIR_COLUMN = """() => {
  const out = [];
  for (const group of document.querySelectorAll("[data-testid='stMain'] [role='radiogroup']")) {
    const column = group.closest("[data-testid='stColumn']");
    if (!column) continue;
    const edge = column.getBoundingClientRect().right;
    for (const b of group.querySelectorAll('button')) {
      if (b.getBoundingClientRect().right > edge + 1) out.push(group.getAttribute('aria-label') + ': ' + b.textContent.trim());
    }
  }
  return out;
}"""


def test_projector_importance_choices_all_show_with_three_goals(app_url, new_page):
    # the walk-through saw "ice to have | Important" and no "Essential" for three goals at 1280 px
    page = new_page(1280, 720)
    goto(page, app_url + "/find?goal=reduce-flood-risk,walk-bike,revitalize-centers&present=1")
    page.get_by_text("How much does each goal matter?").wait_for()
    settled(page)
    for goal in (
        "Reduce flooding and stormwater damage",
        "Make walking and biking easier",
        "Revitalize downtowns and main streets",
    ):
        page.get_by_role("radiogroup", name=goal).get_by_text("Essential").wait_for()
    assert page.evaluate(PAST_THEIR_COLUMN) == []


@pytest.mark.parametrize("width", [1024, 1280])
def test_at_a_small_desk_no_goal_name_is_cut_and_every_result_tab_shows(app_url, new_page, width):
    """At 1024 px with the sidebar open the controls and the results side by side cut the goals'
    names ("Reduce flooding and stormwater…") and pushed the "What if" tab out of sight; there
    the results go under the controls. At 1280 they stay side by side."""
    page = new_page(width, 768)
    goto(page, app_url + "/find?goal=walk-bike:3,reduce-flood-risk,housing-choice:1")
    settled(page)
    cut = page.evaluate(OVERFLOWING)
    assert cut == [], cut
    tabs = page.locator("[data-testid='stTabs'] [role='tablist']").first
    assert tabs.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    assert page.get_by_role("tab", name="What if").is_visible()
    controls = page.locator(".st-key-find_controls").bounding_box()
    results = tabs.bounding_box()
    assert controls and results
    beside = results["x"] > controls["x"] + controls["width"] - 1
    assert beside == (width == 1280)


# each tool's cell of the compare table's first row: its box, and what the phone labels it with
COMPARE_CELLS = """() => [...document.querySelectorAll("[data-testid='stTable'] tbody tr:first-child td")]
  .filter((td) => td.checkVisibility())
  .map((td) => ({top: td.getBoundingClientRect().top, bottom: td.getBoundingClientRect().bottom,
                 label: getComputedStyle(td, '::before').content}))"""
SIDEWAYS = """() => [...document.querySelectorAll("[data-testid='stTable'] *")]
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').length"""
COMPARED = ["visionzero", "completestreets", "historicdistrictsoverlayzonesandfacadeimprovementgrants"]


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 720)], ids=["phone", "desk"])
def test_compare_stacks_the_tools_on_a_phone_and_sets_them_side_by_side_at_a_desk(app_url, new_page, width, height):
    """Three tools side by side on a 390 px phone showed one and a half and scrolled
    sideways for the rest: on a phone each row is a block, each tool's cell under its title."""
    page = new_page(width, height)
    goto(page, app_url + "/compare?tools=" + ",".join(COMPARED))
    page.locator("[data-testid='stTable']").wait_for()
    settled(page)
    cells = page.evaluate(COMPARE_CELLS)
    assert len(cells) == 5, cells
    if width < 640:  # the attribute and "differs", then the three tools one under another, each labelled
        assert page.evaluate(SIDEWAYS) == 0
        order = [cells[0], cells[4], *cells[1:4]]
        assert all(a["bottom"] <= b["top"] + 1 for a, b in zip(order, order[1:], strict=False)), cells
        assert [c["label"] for c in cells[1:4]] == [
            '"Vision Zero"',
            '"Complete Streets"',
            '"Historic Districts, Overlay Zones, and Facade Improvement Grants"',
        ]
    else:  # the attribute, three tools and "Differs" in one row, unlabelled
        assert len({round(c["top"]) for c in cells}) == 1, cells
        assert all(c["label"] in ("none", "normal") for c in cells), cells


# the badges on /find's cards whose text runs past their box (Streamlit cuts it with "…")
CUT_BADGES = """() => [...document.querySelectorAll("[data-testid='stMain'] .stMarkdownBadge")]
  .filter((b) => b.checkVisibility() && b.scrollWidth > b.clientWidth + 1)
  .map((b) => b.textContent.trim().slice(0, 60))"""


@pytest.mark.parametrize("mode", ["", "&present=1"], ids=["desk", "projector"])
def test_a_go_to_badge_naming_two_long_goals_wraps_whole(app_url, new_page, mode):
    """The walk-through at a 1280 desk: "Planners' go-to for “Preserve farmland, open space and
    habita…" (Agricultural Zoning, a go-to for two of three goals) was cut off."""
    page = new_page()
    goto(page, app_url + "/find?goal=reduce-flood-risk,conserve-land,local-food&step=results" + mode)
    badge = page.locator("[data-testid='stMain'] .stMarkdownBadge", has_text="Planners' go-to for").first
    badge.wait_for()
    settled(page)
    assert "“Strengthen local food systems and farms”" in badge.inner_text()
    cut = page.evaluate(CUT_BADGES)
    assert cut == [], cut
