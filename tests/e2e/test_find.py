"""/find in a real browser: choose goals and constraints, results and charts,
the copied address in a fresh browser, compare from the shortlist."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e_support import goto, wait_ready


def click_pill(page, text: str) -> None:
    page.locator("[data-testid='stButtonGroup'] button", has_text=text).first.click()
    wait_ready(page)


def ranking(page) -> list[str]:
    return [
        h.strip()
        for h in page.locator("[data-testid='stMarkdownContainer'] h3").all_inner_texts()
        if h.strip()[:1].isdigit()
    ]


def test_choose_goals_and_constraints_then_results_and_charts(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/find")
    assert page.get_by_text("Choose at least one goal").is_visible()
    click_pill(page, "Reduce flooding and stormwater damage")
    click_pill(page, "Protect streams and water quality")
    click_pill(page, "New Jersey")
    page.get_by_text("Upfront funding", exact=True).click()
    wait_ready(page)

    order = ranking(page)
    assert len(order) >= 5
    assert any("Floodplain Ordinances" in t for t in order[:5])
    assert "goal=reduce-flood-risk" in page.url and "state=NJ" in page.url and "face=upfront-funding" in page.url
    assert page.get_by_text("Strong fit").first.is_visible()

    page.get_by_role("tab", name="Coverage charts").click()
    wait_ready(page)  # the open tab runs on its own rerun
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts.nth(2)).to_be_attached()
    for i in range(3):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        drawn = chart.locator("canvas, svg").first
        drawn.wait_for(state="attached")
        box = drawn.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50

    # the copied address, in a fresh browser context, shows the same ranking
    other = new_page()
    goto(other, page.url)
    assert ranking(other) == order


def test_shortlist_then_compare(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/find?goal=walk-bike:3,safer-streets")
    buttons = page.locator("[data-testid='stButton'] button", has_text="Add to shortlist")
    buttons.nth(0).click()
    wait_ready(page)
    page.locator("[data-testid='stButton'] button", has_text="Add to shortlist").nth(0).click()
    wait_ready(page)
    assert "shortlist=" in page.url
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text="Compare the shortlist").click()
    wait_ready(page)
    assert "/compare" in page.url and "tools=" in page.url and "goal=" in page.url
    assert page.locator("[data-testid='stHeading'] h1").first.inner_text() == "Compare tools"
    table = page.locator("[data-testid='stTable']")
    table.wait_for()
    assert "differs" in table.inner_text() and "Fit for your scenario" in table.inner_text()
    # the page reads the scenario it came with: no note calls goal= ignored (it did)
    assert not [t for t in page.locator("[data-testid='stAlert']").all_inner_texts() if "Ignored" in t]
    goto(page, page.url + "&zz=1")  # a parameter no page reads is still named
    assert any("Ignored zz=" in t for t in page.locator("[data-testid='stAlert']").all_inner_texts())


def test_a_bad_value_in_a_shared_link_is_ignored_with_a_visible_note(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/find?goal=walk-bike,teleportation&state=NY")
    text = page.locator("[data-testid='stAlert']").all_inner_texts()
    joined = " ".join(text)
    assert "teleportation" in joined and "NY" in joined
    assert ranking(page)


def test_a_link_written_with_the_names_a_card_shows_ranks_them(app_url, new_page):
    """goal=Improve air quality:Essential&state=New Jersey, typed from a card: read as clean air,
    essential, in NJ; goal=flooding is ignored with the id it names, not taken for it."""
    page = new_page()
    goto(page, app_url + "/find?goal=Improve air quality:Essential,flooding&state=New Jersey")
    notes = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "did you mean 'reduce-flood-risk'?" in notes and "Improve air quality" not in notes
    assert ranking(page)[0].startswith("1. Truck Route Network Designation")
    assert "goal=clean-air%3A3" in page.url or "goal=clean-air:3" in page.url
    assert "state=NJ" in page.url


def test_the_goal_a_misnamed_link_meant_is_taken_in_one_click(app_url, new_page):
    """goal=flooding:3 is ignored with a button naming the goal it means; one click ranks the
    town's flood tools first, the note goes, and the address now holds the goal's id."""
    page = new_page()
    goto(page, app_url + "/find?goal=flooding:3&state=PA")
    assert not ranking(page), "nothing is ranked for a goal not read"
    page.get_by_role("button", name="Use “Reduce flooding and stormwater damage”").click()
    wait_ready(page)
    expect(page.get_by_text("did you mean 'reduce-flood-risk'?")).to_have_count(0)
    first = ranking(page)[0]
    assert first.startswith("1.") and any(w in first for w in ("Stormwater", "Floodplain", "Stream")), first
    assert "goal=reduce-flood-risk%3A3" in page.url or "goal=reduce-flood-risk:3" in page.url, page.url
    assert "state=PA" in page.url


def test_what_the_town_wants_typed_in_its_own_words_picks_its_goals(app_url, new_page):
    """A facilitator types the room's words and presses Enter: the goals they name are picked,
    said, ranked and in the address; a word that names no goal is said, not dropped silently."""
    page = new_page()
    goto(page, app_url + "/find?state=PA")
    box = page.get_by_role("textbox", name="Type what the town wants, or pick below")
    box.fill("flooding, seniors, zoning")
    box.press("Enter")
    wait_ready(page)
    expect(page.get_by_text("Picked “Reduce flooding and stormwater damage”, “Serve residents of all")).to_be_visible()
    expect(page.get_by_text("“zoning” names no goal; pick the goal you mean from the list below.")).to_be_visible()
    assert box.input_value() == ""
    assert "reduce-flood-risk" in page.url and "all-ages" in page.url, page.url
    assert ranking(page) and ranking(page)[0].startswith("1."), ranking(page)


def test_the_town_in_a_sentence_raises_the_tool_it_points_to_and_travels_in_the_link(app_url, new_page):
    """A planner describes a rural township whose warehouses send trucks down farm roads and
    presses Enter: Truck Route Network Designation moves to the top, its card quotes the words,
    the address keeps the sentence, and the link opens the same list with the sentence shown as
    typed (its markup as text)."""
    page = new_page()
    goto(page, app_url + "/find?goal=manage-traffic:3&setting=rural")
    assert ranking(page)[0] == "1. Travel Demand Management (TDM)", ranking(page)
    box = page.get_by_role("textbox", name="The town in a sentence (optional)")
    sentence = "<b>Warehouses</b> along I-295 send trucks down our farm roads"
    box.fill(sentence)
    box.press("Enter")
    wait_ready(page)
    assert ranking(page)[:2] == ["1. Truck Route Network Designation", "2. Travel Demand Management (TDM)"]
    expect(page.get_by_text("Your description of the town mentions “Warehouses” and “trucks”").first).to_be_visible()
    assert "about=" in page.url
    other = new_page()
    goto(other, page.url)
    assert ranking(other)[:2] == ranking(page)[:2]
    assert other.get_by_role("textbox", name="The town in a sentence (optional)").input_value() == sentence
    assert other.locator("[data-testid='stMarkdownContainer'] b").count() == 0  # no markup was drawn


# Every box between a button and its group: none is scrolled sideways or hides what overflows
# (a group too wide for its column becomes a strip that scrolls, "3+ years" cut off at its edge).
ALL_SHOWN = """group => [...group.querySelectorAll("*")].every(
  (el) => el.scrollWidth <= el.clientWidth + 1 || getComputedStyle(el).overflowX === "visible"
)"""


def test_every_constraint_choice_is_whole_on_a_laptop_screen(app_url, new_page):
    """At 1280x720 each constraint's buttons show in full, and the last of them sets
    the scenario."""
    page = new_page(1280, 720)
    goto(page, app_url + "/find?goal=walk-bike")
    section = page.locator("[data-testid='stVerticalBlock']", has=page.get_by_role("heading", name="2 · Constraints"))
    section = section.last
    groups = section.locator("[data-testid='stButtonGroup']")
    expect(groups).to_have_count(6)  # state, setting, budget, staff, horizon; challenges
    for i in range(groups.count()):
        assert groups.nth(i).evaluate(ALL_SHOWN), groups.nth(i).inner_text()
    section.locator("[data-testid='stButtonGroup'] button", has_text="3+ years").click()
    wait_ready(page)
    assert "horizon=long" in page.url


def test_focus_areas_open_from_their_section_and_rank(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/find")
    page.locator("[data-testid='stExpander'] summary", has_text="Optional: focus areas and principles").click()
    wait_ready(page)  # opening it draws the choices
    click_pill(page, "Environment")
    assert "focus=Environment" in page.url
    assert len(ranking(page)) >= 5


def test_back_undoes_a_change_on_the_page(app_url, new_page):
    """A change on /find adds a history entry: Back shows the scenario before it (the goals, the
    budget and the ranking), Forward the one after; before, Back moved the address but the page
    kept what its widgets held and wrote it back, so Back seemed to do nothing."""
    page = new_page()
    goto(page, app_url + "/find?goal=walk-bike:3")
    before = ranking(page)
    click_pill(page, "Reduce flooding and stormwater damage")
    after = ranking(page)
    assert "reduce-flood-risk" in page.url and after != before
    page.go_back()
    wait_ready(page)
    assert "reduce-flood-risk" not in page.url and "walk-bike" in page.url
    assert ranking(page) == before
    page.go_forward()
    wait_ready(page)
    assert "reduce-flood-risk" in page.url and ranking(page) == after
