"""A content folder with broken pages and hostile markup: named, skipped, shown as text.

Besides a page with bad YAML it holds a looping and a dangling symlink, a 524-byte
YAML alias bomb, a 300 KB page, and a newcomer claiming an existing page's slug.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from e2e_support import ROOT, goto
from logic import load_catalog

_TMP = Path(tempfile.mkdtemp(prefix="toolbox-bad-content-"))


BODY_CASES = (
    "Reference [image][pixel] ![tracker][pixel] and ![quoted](https://evil.example/q.png 'single') "
    "[data link](data:text/html,<b>x</b>) [Vision Zero (Wikipedia)](https://en.wikipedia.org/wiki/Vision_Zero_(policy)) "
    "[https://evil.example/phish](javascript:alert(1))\n\n[pixel]: https://evil.example/pixel.gif\n\n"
)
WIKIPEDIA = "https://en.wikipedia.org/wiki/Vision_Zero_(policy)"
# 9**7 strings from 524 bytes: PyYAML would build them all.
BOMB = "\n".join(
    [
        "---",
        "title: Bomb",
        "slug: bomb",
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 7)),
        "focusAreas: *a6",
        "---",
        "body",
    ]
)


def SERVER_ENV():  # read by the app_url fixture (its name says it is a setting)
    dest = _TMP / "content"
    if not dest.exists():
        shutil.copytree(ROOT / "content", dest)
        (dest / "tools" / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
        hostile = (ROOT / "content" / "tools" / "visionzero.md").read_text(encoding="utf-8")
        hostile = hostile.replace(
            "## What it is\n",
            "## What it is\n<script>window.__owned = 1</script> <b>bold?</b> [click me](javascript:window.__owned=2)\n\n"
            + BODY_CASES,
        )
        hostile = hostile.replace('  - label: "', '  - label: "[x](javascript:alert(1)) ', 1)
        (dest / "tools" / "visionzero.md").write_text(hostile, encoding="utf-8")
        tools = dest / "tools"
        (tools / "loop.md").symlink_to("loop.md")
        (tools / "dangling.md").symlink_to("deleted.md")
        (tools / "bomb.md").write_text(BOMB, encoding="utf-8")
        flood = (tools / "floodplainordinances.md").read_text(encoding="utf-8")
        (tools / "aaa-takeover.md").write_text(flood.replace('title: "Floodplain Ordinances"', 'title: "Takeover"'))
        (tools / "zz-huge.md").write_text(flood + ("Filler text for a page far too long. " * 30 + "\n") * 300)
    return {"TOOLBOX_CONTENT_DIR": str(dest)}


def test_a_broken_page_is_named_and_every_good_tool_still_loads(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/catalog")
    n = len(load_catalog(ROOT / "content").tools)  # every good page of the copy: the original's tools
    expect(page.get_by_text(f"{n} of {n} tools")).to_be_visible()
    notice = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']", has_text="Content problems")
    assert notice.count() == 1
    notice.locator("summary").click()
    body = notice.inner_text()
    assert "tools/zz-broken.md" in body and "YAML error" in body
    assert "tools/loop.md" in body and "symbolic link that loops" in body
    assert "tools/dangling.md" in body and "points to a missing file" in body
    assert "tools/bomb.md" in body and "anchors and aliases" in body
    assert "tools/zz-huge.md" in body and "over the limit of 256 KB" in body
    assert "tools/aaa-takeover.md" in body and "tools/floodplainordinances.md keeps it" in body


def test_a_newcomer_cannot_take_over_an_existing_page(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/tool?slug=floodplainordinances")
    assert page.locator("h1").first.inner_text().strip() == "Floodplain Ordinances"
    assert page.locator("[data-testid='stMain']").get_by_text("Takeover").count() == 0


def test_markup_in_content_is_shown_as_text_never_run(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/tool?slug=visionzero")
    main = page.locator("[data-testid='stMain']")
    assert "<script>window.__owned = 1</script>" in main.inner_text()
    assert page.evaluate("window.__owned") is None
    assert main.locator("b", has_text="bold?").count() == 0
    hrefs = main.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert main.get_by_text("click me").count() >= 1


def test_a_body_loads_no_outside_image_and_links_only_to_allowed_addresses(app_url, new_page):
    page = new_page()
    outside: list[str] = []  # requests to the content's outside host (Streamlit itself fetches an icon font)
    page.on("request", lambda r: outside.append(r.url) if "evil.example" in r.url else None)
    goto(page, app_url + "/tool?slug=visionzero")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("data link").count() >= 1
    page.wait_for_load_state("networkidle")  # anything the page would fetch has been asked for
    assert outside == []
    assert main.locator("img[src*='evil.example']").count() == 0
    hrefs = main.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert WIKIPEDIA in hrefs
    assert {h for h in hrefs if "evil.example" in h} == {
        "https://evil.example/pixel.gif",
        "https://evil.example/q.png",
    }  # the images, shown as links labelled "Image: ..."
    assert not [h for h in hrefs if h.lower().startswith(("data:", "javascript:"))]
    assert main.locator("a", has_text="Image: tracker").count() == 1
    shown = main.inner_text().replace("\u2060", "")  # the invisible word joiner that keeps it from being a link
    assert "https://evil.example/phish" in shown
    assert main.locator("a", has_text="evil.example/phish").count() == 0
