"""/find at a desk (1280x720, no projector): the results beside the goals, and the
keyboard: a skip link to the goals, no heading anchors on cards, focus kept on a
pressed shortlist button."""

from __future__ import annotations

from e2e_support import goto, wait_ready

FLOOD = "Reduce flooding and stormwater damage"
CARD_TITLE = "[data-testid='stMain'] [data-testid='stMarkdownContainer'] h3"
ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: "BODY", text: "", key: ""};
  const box = e.closest("[class*='st-key-']");
  const key = box ? [...box.classList].find((c) => c.startsWith("st-key-")) : "";
  return {tag: e.tagName, text: (e.innerText || e.getAttribute("aria-label") || "").trim(), key};
}"""
SKIP_SHOWN = """() => {
  const link = document.querySelector("[data-testid='findSkipToGoals']");
  return !!link && !link.closest("[hidden]");
}"""
WHOLE = """(el) => el.scrollWidth <= el.clientWidth + 1"""
GROUP_WHOLE = """(el) => [el, ...el.querySelectorAll("*")].every(
  (e) => e.scrollWidth <= e.clientWidth + 1 || getComputedStyle(e).overflowX === "visible"
)"""


def test_after_choosing_a_goal_the_first_result_sits_beside_the_goals_on_the_first_screen(app_url, new_page):
    page = new_page(1280, 720)
    goto(page, app_url + "/find")
    page.locator("[data-testid='stButtonGroup'] button", has_text=FLOOD).first.click()
    wait_ready(page)
    title = page.locator(CARD_TITLE).first
    title.wait_for()
    card = title.bounding_box()
    goals = page.get_by_role("heading", name="1 · Goals").bounding_box()
    assert card and goals
    # the first card's title is inside the window without scrolling, in a column right of the goals
    assert card["y"] + card["height"] <= 720, card
    assert card["x"] >= goals["x"] + goals["width"], (card, goals)
    assert page.get_by_text("Strong fit").first.is_visible()
    # each goal's name shows whole in its narrower column (no "Reduce flooding and stormwater dam...")
    pills = page.locator("[class*='st-key-find_goals_'] button")
    assert pills.count() >= 20
    for i in range(pills.count()):
        assert pills.nth(i).evaluate(WHOLE), pills.nth(i).inner_text()
    # a second goal; how much each matters: every choice whole (side by side they cut "Nice to have")
    page.locator("[data-testid='stButtonGroup'] button", has_text="Preserve farmland, open space and habitat").click()
    wait_ready(page)
    importance = page.locator("[class*='st-key-find_imp_'] [data-testid='stButtonGroup']")
    assert importance.count() == 2
    for i in range(2):  # the group shows all three buttons, nothing scrolled out of it
        assert importance.nth(i).evaluate(GROUP_WHOLE), importance.nth(i).inner_text()
    # a constraint far down the controls: the results stay in view while they scroll past, so the
    # click changes something on screen
    medium = page.locator("[class*='st-key-find_budget'] button", has_text="Medium")
    medium.scroll_into_view_if_needed()
    medium.click()
    wait_ready(page)
    assert "budget=medium" in page.url
    box = page.locator(CARD_TITLE).first.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720, box
    assert medium.bounding_box()["y"] >= 0  # the control clicked is still on screen too


def test_a_skip_link_reaches_the_goals_in_two_keys(app_url, new_page):
    page = new_page(1280, 720)
    goto(page, app_url + "/find")
    # the link is added by the page's script once the goals are drawn
    page.wait_for_function(SKIP_SHOWN)
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first["tag"] == "A" and first["text"] == "Skip to goals", first
    assert page.locator("[data-testid='findSkipToGoals']").is_visible()  # shown while focused
    page.keyboard.press("Enter")
    goal = page.evaluate(ACTIVE)
    assert goal["tag"] == "BUTTON" and goal["key"].startswith("st-key-find_goals_"), goal
    page.keyboard.press("Enter")  # the focused goal is chosen from the keyboard
    wait_ready(page)
    assert "goal=" in page.url


def test_cards_have_no_heading_anchors_and_focus_stays_on_the_shortlist_button(app_url, new_page):
    page = new_page(1280, 720)
    goto(page, app_url + "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA&setting=rural&staff=low")
    cards = page.locator("[data-testid='stVerticalBlock']", has=page.locator(CARD_TITLE))
    assert page.locator(CARD_TITLE).count() >= 5
    assert page.locator("[data-testid='stMain'] a[aria-label='Link to heading']").count() <= 1  # "3 · Results"
    assert cards.last.locator("a[aria-label='Link to heading']").count() == 0
    add = page.locator("[class*='st-key-find_short_'] button").first
    key = add.evaluate("(b) => [...b.closest(\"[class*='st-key-']\").classList].find((c) => c.startsWith('st-key-'))")
    add.focus()
    page.keyboard.press("Enter")
    wait_ready(page)
    page.wait_for_function("(k) => document.querySelector('.' + k + ' button')?.innerText.includes('Remove')", arg=key)
    page.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
    now = page.evaluate(ACTIVE)
    assert now["tag"] == "BUTTON" and now["key"] == key and "Remove from shortlist" in now["text"], now
    assert "shortlist=" in page.url
    page.keyboard.press("Enter")  # and again: back to "Add to shortlist", focus still there
    wait_ready(page)
    page.wait_for_function("(k) => document.querySelector('.' + k + ' button')?.innerText.includes('Add')", arg=key)
    page.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
    now = page.evaluate(ACTIVE)
    assert now["key"] == key and "Add to shortlist" in now["text"], now
