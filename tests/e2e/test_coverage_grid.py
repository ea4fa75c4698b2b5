"""The coverage grid in Chromium: on a 1280x720 screen, in projector mode, and on a
390x844 phone it stays inside the page (no sideways scrolling, no column off the edge)."""

from __future__ import annotations

import pytest

from e2e_support import goto, wait_ready

WORKSHOP = "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA&setting=rural&have=completestreets"


@pytest.mark.parametrize(
    ("width", "height", "present"),
    [(1280, 720, False), (1280, 720, True), (390, 844, False)],
    ids=["desk", "projector", "phone"],
)
def test_coverage_grid_fits_the_screen(app_url, new_page, width, height, present):
    page = new_page(width, height)
    goto(page, app_url + WORKSHOP + ("&present=1" if present else ""))
    if present:
        page.get_by_text("3 Results", exact=True).first.click()
        wait_ready(page)
    page.get_by_role("tab", name="Coverage charts").click()
    wait_ready(page)
    grid = page.locator("[data-testid='stVegaLiteChart']").first
    grid.scroll_into_view_if_needed()
    drawn = grid.locator("canvas, svg").first
    drawn.wait_for(state="visible")
    box = drawn.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert box["height"] > 300  # the rows are drawn, not squeezed
    assert page.evaluate("document.documentElement.scrollWidth") <= width
