"""The facilitator's flow ends with the action plan: a flood scenario in projector
mode, the package, then the plan with its timeline and Tracking Progress links."""

from __future__ import annotations

from e2e_support import RESULTS, goto, wait_ready

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
    """At the desk, clicking Coverage charts, Balanced package or What if from the Action
    plan tab snapped back to Ranked tools (3 of 3 tries)."""
    page = new_page()
    goto(page, app_url + "/find?goal=reduce-flood-risk:3,walk-bike:2&step=plan")
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    tabs.filter(has_text="Action plan").wait_for()
    assert tabs.filter(has_text="Action plan").get_attribute("aria-selected") == "true"
    for name in ("Coverage charts", "Balanced package", "What if"):
        tabs.filter(has_text=name).click()
        wait_ready(page)
        page.wait_for_timeout(1000)  # a snap back came with the run that follows the address change
        assert tabs.filter(has_text=name).get_attribute("aria-selected") == "true", name
        assert tabs.filter(has_text="Ranked tools").get_attribute("aria-selected") == "false", name
        tabs.filter(has_text="Action plan").click()
        wait_ready(page)
        page.wait_for_timeout(1000)
        assert tabs.filter(has_text="Action plan").get_attribute("aria-selected") == "true"
