"""The take-aways in a real browser: the HTML brief opens offline with its charts, and
/find's download buttons deliver files with the right names and types; the scenario
file they deliver, uploaded again, restores the scenario."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from e2e_support import goto, wait_ready
from logic import load_catalog
from logic.brief import brief_html, make_brief, scenario_link
from logic.rules import rank
from logic.scenario import Scenario
from support import CONTENT

FLOOD = {"goal": "reduce-flood-risk:3,protect-water", "face": "upfront-funding", "state": "NJ", "budget": "low"}


def test_html_brief_opens_with_the_network_blocked_and_shows_its_charts(new_page, tmp_path):
    catalog = load_catalog(CONTENT)
    sc = Scenario.from_query(FLOOD, catalog)
    brief = make_brief(catalog, sc, link=scenario_link("https://navigator.example/find", sc))
    path = tmp_path / "brief.html"
    path.write_text(brief_html(brief), encoding="utf-8")

    page = new_page(390, 844)  # a phone
    asked: list[str] = []

    def block(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            asked.append(url)
            route.abort()

    page.context.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert asked == []
    images = page.locator("figure img")
    assert images.count() == 4
    for i in range(4):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        assert img.evaluate("el => el.complete && el.naturalWidth > 300 && el.naturalHeight > 50")
        box = img.bounding_box()
        assert box and box["width"] > 250 and box["height"] > 50  # drawn at a readable size, not squeezed
    assert page.locator("h1").inner_text() == brief.title
    body = page.locator("body").inner_text()
    for t in brief.tools:
        assert t.title in body
    # nothing wider than the phone but the charts' own scrolling boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_find_download_buttons_deliver_named_typed_files_and_the_scenario_file_reopens(app_url, new_page, tmp_path):
    page = new_page()
    goto(page, app_url + "/find?" + "&".join(f"{k}={v}" for k, v in FLOOD.items()))
    page.locator("[data-testid='stExpander'] summary", has_text="Share or hand out this scenario").click()
    wait_ready(page)  # opening it draws its content
    title = page.get_by_label("Title of the brief")
    title.fill("Flood workshop, Riverside Township")
    title.press("Enter")
    wait_ready(page)

    day = dt.date.today().isoformat()
    stem = "flood-workshop-riverside-township"  # the files are named after the brief's title
    wanted = {
        "Brief (PDF)": (f"{stem}-{day}.pdf", "application/pdf"),
        "Brief (HTML, opens offline)": (f"{stem}-{day}.html", "text/html"),
        "Results (CSV)": (f"{stem}-results-{day}.csv", "text/csv"),
        "Handout (Markdown)": (f"{stem}-handout-{day}.md", "text/markdown"),
        "Scenario file (JSON)": (f"{stem}-scenario-{day}.json", "application/json"),
    }
    saved = {}
    for label, (name, mime) in wanted.items():
        button = page.locator("[data-testid='stDownloadButton'] button", has_text=label)
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == name
        target = tmp_path / name
        download.save_as(target)
        saved[name] = target
        # the type the server declares for the file, asked for again by its own address
        # (a download's response event is not reliably reported, so it is not listened for)
        served = page.request.get(download.url)
        assert served.ok, (label, download.url, served.status)
        assert served.headers.get("content-type", "").startswith(mime), (label, served.headers)

    assert saved[f"{stem}-{day}.pdf"].read_bytes().startswith(b"%PDF-")
    html_text = saved[f"{stem}-{day}.html"].read_text(encoding="utf-8")
    assert "<h1>Flood workshop, Riverside Township</h1>" in html_text
    assert not re.search(r'\bsrc="https?:', html_text)
    doc = json.loads(saved[f"{stem}-scenario-{day}.json"].read_text(encoding="utf-8"))
    assert doc["title"] == "Flood workshop, Riverside Township" and doc["scenario"]["state"] == "NJ"

    # the scenario file, opened in a fresh browser on another scenario, restores this one
    other = new_page()
    goto(other, app_url + "/find?goal=walk-bike&setting=rural")
    other.locator("[data-testid='stExpander'] summary", has_text="Share or hand out this scenario").click()
    wait_ready(other)
    # the limit it states is the one it keeps (the drop zone's own "Limit 1MB" is not shown)
    uploader = other.locator("[data-testid='stFileUploader']")
    expect(uploader).to_contain_text("up to 100 KB")
    assert "1MB" not in uploader.inner_text()
    other.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(saved[f"{stem}-scenario-{day}.json"])
    )
    other.get_by_text("loaded: 2 goals").wait_for(timeout=30_000)
    wait_ready(other)
    catalog = load_catalog(CONTENT)
    from_url = Scenario.from_query(parse_qs(urlparse(other.url).query), catalog)
    expected = Scenario.from_query(FLOOD, catalog).profile
    assert from_url.profile == expected
    assert [r.slug for r in rank(catalog, from_url.profile)] == [r.slug for r in rank(catalog, expected)]
    assert "setting=" not in other.url
