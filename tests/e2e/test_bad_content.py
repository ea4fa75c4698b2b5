"""A content folder with a broken page and hostile markup: named, skipped, shown as text."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from e2e_support import ROOT, goto

_TMP = Path(tempfile.mkdtemp(prefix="toolbox-bad-content-"))


def SERVER_ENV():  # noqa: N802 - read by the app_url fixture
    dest = _TMP / "content"
    if not dest.exists():
        shutil.copytree(ROOT / "content", dest)
        (dest / "tools" / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
        hostile = (ROOT / "content" / "tools" / "visionzero.md").read_text(encoding="utf-8")
        hostile = hostile.replace(
            "## What it is\n",
            "## What it is\n<script>window.__owned = 1</script> <b>bold?</b> [click me](javascript:window.__owned=2)\n\n",
        )
        hostile = hostile.replace('  - label: "', '  - label: "[x](javascript:alert(1)) ', 1)
        (dest / "tools" / "visionzero.md").write_text(hostile, encoding="utf-8")
    return {"TOOLBOX_CONTENT_DIR": str(dest)}


def test_a_broken_page_is_named_and_every_good_tool_still_loads(app_url, new_page):
    page = new_page()
    goto(page, app_url + "/catalog")
    assert page.get_by_text("75 of 75 tools").is_visible()
    notice = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']", has_text="Content problems")
    assert notice.count() == 1
    notice.locator("summary").click()
    body = notice.inner_text()
    assert "tools/zz-broken.md" in body and "YAML error" in body


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
