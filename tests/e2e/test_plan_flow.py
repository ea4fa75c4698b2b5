"""The facilitator's flow ends with the action plan: a flood scenario in projector
mode, the package, then the plan with its timeline and Tracking Progress links."""

from __future__ import annotations

import pytest

from e2e_support import RESULTS, goto, settled, wait_ready

FLOOD = "/find?goal=reduce-flood-risk:3,conserve-land&setting=rural&staff=low&budget=low&present=1&step=package"


def test_flood_scenario_package_then_plan_in_projector_mode(app_url, new_page):
    page = new_page()
    goto(page, app_url + FLOOD)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("4 · A balanced package").is_visible()
    page.get_by_role("button", name="Next").first.click()
    wait_ready(page)
    assert "step=plan" in page.url
    page.get_by_text("5 · Action plan").wait_for()
    for phase in ("Now (first 12 months)", "Next (1-3 years)", "Later (3 years and more)"):
        assert main.get_by_text(phase, exact=True).is_visible()
    # the timeline is drawn (Vega renders to a canvas or an svg inside the chart element)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for()
    chart.locator("canvas, svg").first.wait_for()
    box = chart.bounding_box()
    assert box and box["height"] > 150 and box["width"] > 600
    # indicators link to DVRPC's Tracking Progress anchors
    links = main.locator("a[href^='https://www.dvrpc.org/TrackingProgress/#']")
    assert links.count() >= 1
    assert all(
        h.startswith("https://www.dvrpc.org/TrackingProgress/#") for h in links.evaluate_all("l => l.map(a => a.href)")
    )
    # Next is disabled: the plan is the last step
    assert page.get_by_role("button", name="Next").first.is_disabled()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "plan-flood-projector.png"))


def test_from_the_action_plan_tab_every_other_tab_opens_and_stays(app_url, new_page):
    """At the desk, clicking Coverage charts, Package or What if from the Action
    plan tab snapped back to Ranked tools (3 of 3 tries)."""
    page = new_page()
    goto(page, app_url + "/find?goal=reduce-flood-risk:3,walk-bike:2&step=plan")
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    tabs.filter(has_text="Action plan").wait_for()
    assert tabs.filter(has_text="Action plan").get_attribute("aria-selected") == "true"
    for name in ("Coverage charts", "Package", "What if"):
        tabs.filter(has_text=name).click()
        wait_ready(page)
        page.wait_for_timeout(1000)  # a snap back came with the run that follows the address change
        assert tabs.filter(has_text=name).get_attribute("aria-selected") == "true", name
        assert tabs.filter(has_text="Ranked tools").get_attribute("aria-selected") == "false", name
        tabs.filter(has_text="Action plan").click()
        wait_ready(page)
        page.wait_for_timeout(1000)
        assert tabs.filter(has_text="Action plan").get_attribute("aria-selected") == "true"


# every text the timeline draws: its words, its box on the page, and whether it is shown
TEXTS = """svg => [...svg.querySelectorAll('text')].map(t => {
  const r = t.getBoundingClientRect(), style = getComputedStyle(t);
  let shown = style.visibility !== 'hidden' && style.display !== 'none';
  for (let e = t; e && e !== svg; e = e.parentElement) if (parseFloat(e.getAttribute('opacity') ?? '1') === 0) shown = false;
  return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height, shown};
}).filter(t => t.text.trim() && t.w > 0)"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - 1
        and b["x"] < a["x"] + a["w"] - 1
        and a["y"] < b["y"] + b["h"] - 1
        and b["y"] < a["y"] + a["h"] - 1
    )


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 720)], ids=["phone", "desk"])
def test_timeline_phase_headings_read_on_a_phone(app_url, new_page, width, height):
    """Issue 16: at 390 px the timeline's phase headings collided ("first 12 mon" over "3 years
    and more") and "Next" was dropped. Every text the chart draws is shown, inside the chart
    and the screen, and no two overlap; Now, Next and Later each head a column, left to right."""
    page = new_page(width, height)
    goto(page, app_url + "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA&setting=rural&staff=low&step=plan")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    svg = chart.locator("svg.marks").first
    svg.wait_for()
    settled(page)
    box = svg.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    texts = svg.evaluate(TEXTS)
    assert texts and all(t["shown"] for t in texts), [t["text"] for t in texts if not t["shown"]]
    for t in texts:  # nothing runs off the chart or the screen
        assert t["x"] >= box["x"] - 1 and t["x"] + t["w"] <= min(box["x"] + box["width"], width) + 1, t
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _overlap(a, b)]
    assert not clashes, clashes
    heads = [next(t for t in texts if t["text"] == name) for name in ("Now", "Next", "Later")]
    assert heads[0]["x"] + heads[0]["w"] < heads[1]["x"] and heads[1]["x"] + heads[1]["w"] < heads[2]["x"]
    tools = [t for t in texts if t["text"][:2] in {f"{n}." for n in range(1, 10)}]
    assert len(tools) >= 3 and all(t["y"] > heads[0]["y"] for t in tools)  # names under the headings
    RESULTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(RESULTS / f"plan-timeline-{width}.png"))
