"""Home -> catalog -> filter -> tool -> related tool, and every page by its address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e_support import ROOT, goto, wait_ready
from logic import load_catalog
from logic.browse import filter_tools, goal_offer
from ui.pages import PAGES, SPECS

CATALOG = load_catalog(ROOT / "content")
N = len(CATALOG.tools)

# every registered page, by its example address (ui/pages.py)
ADDRESSES = [pytest.param(spec.address, spec.heading_at_example, id=spec.key) for spec in PAGES]


def heading(page) -> str:
    return page.locator("[data-testid='stHeading'] h1").first.inner_text().strip()


@pytest.mark.parametrize("path,title", ADDRESSES)
def test_each_page_opens_directly_by_its_address_inside_the_router(app_url, new_page, path, title):
    page = new_page()
    goto(page, app_url + path)
    assert heading(page) == title
    nav = page.locator(".st-key-app_menu")
    assert "Find tools" in nav.inner_text() and "Challenges" in nav.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0


def test_home_to_catalog_to_filter_to_tool_to_related(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/")
    page.locator("[data-testid='stPageLink'] a", has_text="Open the catalog").click()
    wait_ready(page)
    assert heading(page) == "Catalog"
    expect(page.get_by_text(f"{N} of {N} tools")).to_be_visible()

    page.locator("[data-testid='stButtonGroup'] button", has_text="Economy").first.click()
    wait_ready(page)
    page.locator("[data-testid='stButtonGroup'] button", has_text="Resiliency").first.click()
    wait_ready(page)
    both = filter_tools(CATALOG, ["Economy"], ["Resiliency"])
    assert "broadbanduniversalaccess" in [t.slug for t in both]  # the tool opened below
    expect(page.get_by_text(f"{len(both)} of {N} tools")).to_be_visible()
    assert "focus=Economy" in page.url and "principle=Resiliency" in page.url

    page.locator("[data-testid='stPageLink'] a", has_text="Broadband Universal Access").click()
    wait_ready(page)
    assert heading(page) == "Broadband Universal Access"
    assert "slug=broadbanduniversalaccess" in page.url
    assert page.get_by_role("heading", name="Who has used this tool").is_visible()

    related = page.locator("[data-testid='stPageLink'] a", has_text="IoT and Smart Communities")
    related.first.click()
    wait_ready(page)
    assert heading(page) == "IoT and Smart Communities"
    links = page.locator("[data-testid='stMarkdownContainer'] a[href^='http']")
    assert links.count() >= 4


def test_unknown_slug_and_unknown_filter_values_show_a_note(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/tool?slug=no-such-tool")
    assert heading(page) == "Tool not found"
    goto(page, app_url + "/catalog?focus=Moon")
    alert = page.locator("[data-testid='stAlert']").first
    assert "Moon" in alert.inner_text()
    expect(page.get_by_text(f"{N} of {N} tools")).to_be_visible()


def test_only_http_links_are_rendered_on_tool_pages(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/tool?slug=floodplainordinances")
    hrefs = page.locator("[data-testid='stMain'] a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs
    external = [h for h in hrefs if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", h)]
    assert external and all(h.startswith(("http://", "https://", "mailto:")) for h in external)


def test_compare_keeps_its_tools_after_a_trip_through_the_menu(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/compare?tools=visionzero,completestreets")
    nav = page.locator(".st-key-app_menu")
    nav.get_by_text("Catalog", exact=True).click()
    wait_ready(page)
    assert heading(page) == "Catalog"
    nav.get_by_text("Compare", exact=True).click()
    wait_ready(page)
    assert heading(page) == "Compare tools"
    chosen = page.locator("[data-testid='stMultiSelect']").first.inner_text()
    assert "Vision Zero" in chosen and "Complete Streets" in chosen
    page.wait_for_url(re.compile(r"/compare\?tools=visionzero(%2C|,)completestreets"))


@pytest.mark.parametrize(
    ("start", "via"),
    [("/find?goal=walk-bike", "Catalog"), ("/catalog?q=ADU", "Home"), ("/catalog?q=ADU&present=1", "Home")],
    ids=["find-catalog-find", "catalog-home-catalog", "projector"],
)
def test_back_undoes_one_trip_through_the_menu_with_no_false_note(app_url, new_page, start, via):
    """A page, another through the menu, the first again through the menu (it comes back as it
    was), then Back twice: each Back goes one page back, with no "Ignored ..." note. (With
    Streamlit's own menu the returning page's address landed on the other page's path, so Back
    opened /catalog?goal=walk-bike with a false "Ignored goal=" note, or seemed to do nothing.)"""
    page = new_page()
    goto(page, app_url + start)
    first = heading(page)
    nav = page.locator(".st-key-app_menu")
    nav.get_by_text(via, exact=True).click()
    wait_ready(page)
    middle = heading(page)
    nav.get_by_text(first, exact=True).click()  # its menu label is its heading
    wait_ready(page)
    assert heading(page) == first and page.url == app_url + start  # back as it was, address whole
    page.go_back()
    wait_ready(page)
    assert heading(page) == middle
    assert "?" not in page.url.replace("?present=1", "")  # the page the menu opened, as it was opened
    assert page.locator("[data-testid='stAlert']").count() == 0
    page.go_back()
    wait_ready(page)
    assert heading(page) == first and page.url == app_url + start


def test_a_shared_link_makes_no_request_beyond_the_app_and_draws_its_icon(app_url, new_page):
    """The page icon is drawn by the browser (an inline SVG of the emoji): no image fetched,
    no font host, no request to anywhere but the app's own address."""
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    goto(page, app_url + "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA")
    page.locator("[data-testid='stHeading']").first.wait_for()
    elsewhere = [u for u in requests if not u.startswith((app_url, "data:", "blob:"))]
    assert elsewhere == []
    icons = page.evaluate("Array.from(document.querySelectorAll('link[rel*=icon]')).map(l => l.href)")
    assert icons and all(h.startswith("data:image/svg+xml") for h in icons), icons


# pages whose links carry state: a scenario with a shortlist, a tool, a running vote's start page
LINK_SOURCES = [
    "/find?goal=reduce-flood-risk:3,conserve-land:2&state=PA&budget=low&shortlist=stormwaterfees,agriculturalzoning",
    "/tool?slug=impactfees",
    "/catalog?focus=Environment",
    "/catalog?q=extreme heat",
]
IN_APP_LINKS = """() => [...document.querySelectorAll("[data-testid='stMain'] a[href], [data-testid='stSidebar'] a[href]")]
  .map((a) => a.href).filter((h) => h.startsWith(location.origin) && h.includes("?"))"""


def test_every_link_the_app_writes_carries_only_what_its_page_reads(app_url, new_page):
    """Find's "Compare the shortlist" opened /compare under "Ignored goal= in the address:
    this page does not read it" although the page reads the scenario: every address the app
    itself writes into a link opens without such a note."""
    page = new_page(1280, 720)
    links: list[str] = []
    for source in LINK_SOURCES:
        goto(page, app_url + source)
        links += [h for h in page.evaluate(IN_APP_LINKS) if h not in links]
    assert any("/compare?" in h for h in links) and any("/tool?" in h for h in links), links
    for href in links[:30]:
        goto(page, href)
        notes = [t for t in page.locator("[data-testid='stAlert']").all_inner_texts() if "Ignored" in t]
        assert not notes, (href, notes)


MENU_LINKS = """() => [...document.querySelectorAll(".st-key-app_menu [data-testid='stPageLink'] a")]
  .map((a) => [a.innerText.split("\\n").pop().trim(), a.href])"""


@pytest.mark.parametrize("mode", ["", "?present=1"])
def test_each_menu_link_opened_in_a_new_tab_opens_the_page_it_names(app_url, new_page, mode):
    """Streamlit gave Home an empty address, so "Open in new tab" (or "Copy link") on
    Home, from /find, gave /find. Each menu link's own address, opened by itself, shows the
    page the link names, in the mode the user is in; clicking Home still goes home."""
    page = new_page()
    goto(page, app_url + "/find" + mode)
    links = dict(page.evaluate(MENU_LINKS))
    assert list(links) == [p.title for p in PAGES], links
    assert links["Home"] == app_url + "/" + mode
    other = new_page()
    for spec in PAGES:
        goto(other, links[spec.title])
        assert heading(other) == spec.heading, (spec.title, links[spec.title])
        assert ("present=1" in other.url) == bool(mode), (spec.title, other.url)
    page.locator(".st-key-app_menu [data-testid='stPageLink'] a", has_text="Home").click()
    wait_ready(page)
    assert heading(page) == SPECS["home"].heading and "/find" not in page.url


def test_back_undoes_a_catalog_filter(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/catalog")
    count = page.get_by_text(re.compile(r"^\d+ of \d+ tools$")).first
    assert count.inner_text() == f"{N} of {N} tools"
    page.locator("[data-testid='stButtonGroup'] button", has_text="Economy").first.click()
    wait_ready(page)
    assert "focus=Economy" in page.url and count.inner_text() != f"{N} of {N} tools"
    page.go_back()
    wait_ready(page)
    assert "focus" not in page.url and count.inner_text() == f"{N} of {N} tools"


def search_catalog(page, app_url: str, text: str):
    """Open the catalog and search it for `text`, as a planner types it; the search box."""
    goto(page, app_url + "/catalog")
    box = page.locator(".st-key-catalog_q input")
    box.fill(text)
    box.press("Enter")
    wait_ready(page)
    return box


def test_a_search_with_a_slip_or_a_tag_name_is_one_click_from_its_tools(app_url, new_page):
    page = new_page()
    box = search_catalog(page, app_url, "stromwater fees")
    expect(page.get_by_text(f"0 of {N} tools")).to_be_visible()
    page.locator(".st-key-catalog_respell button").click()
    wait_ready(page)
    found = filter_tools(CATALOG, search="stormwater fees")
    expect(page.get_by_text(f"{len(found)} of {N} tools")).to_be_visible()
    assert box.input_value() == "stormwater fees" and "q=stormwater+fees" in page.url
    expect(page.locator("[data-testid='stPageLink'] a", has_text=found[0].title).first).to_be_visible()

    box.fill("resilience")
    box.press("Enter")
    wait_ready(page)
    carry = filter_tools(CATALOG, principles=["Resiliency"])
    page.locator(".st-key-catalog_tag_offer button", has_text=f"Show the {len(carry)} tools tagged Resiliency").click()
    wait_ready(page)
    expect(page.get_by_text(f"{len(carry)} of {N} tools")).to_be_visible()
    assert box.input_value() == "" and "principle=Resiliency" in page.url and "q=" not in page.url


@pytest.mark.parametrize("typed", ["extreme heat", "seniors"])
def test_a_search_that_names_a_goal_is_one_click_from_its_ranking(app_url, new_page, typed):
    """ "extreme heat" is on no tool's page, "seniors" on few and in no goal's name (goals.yaml
    lists it for one); the catalog links to /find with the goal it names chosen, and the tools
    that serve it are ranked there."""
    goal = goal_offer(CATALOG, typed).goal
    page = new_page()
    search_catalog(page, app_url, typed)
    expect(page.get_by_text(f"{len(filter_tools(CATALOG, search=typed))} of {N} tools")).to_be_visible()
    page.locator("[data-testid='stPageLink'] a", has_text="Rank the tools for").click()
    wait_ready(page)
    expect(page.get_by_role("heading", name="Find tools")).to_be_visible()
    assert f"goal={goal}" in page.url, page.url
    ranked = [h for h in page.locator("[data-testid='stMarkdownContainer'] h3").all_inner_texts() if h[:2] == "1."]
    serving = {t.title for t in CATALOG.tools.values() if t.strength(goal)}
    assert ranked and ranked[0].removeprefix("1.").strip() in serving, ranked
