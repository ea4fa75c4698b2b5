"""Issue 18 in Chromium: taps that arrive together each get their own confirmation,
and no page load asks a font host for anything."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import expect
from test_workshop import TITLES, TOOLS, _joined_page, add_dot

from e2e_support import wait_ready
from logic.votes import VoteStore

_DB = Path(tempfile.mkdtemp(prefix="toolbox-taps-")) / "votes.db"


def SERVER_ENV():  # read by the app_url fixture
    return {"TOOLBOX_DB": str(_DB)}


def test_rapid_taps_each_get_their_own_confirmation_on_the_phone(app_url, new_page):
    """Issue 18: taps 0 ms apart each show 'Your dot on X was counted' (one message slot
    kept only the last); and no page load asks a font host for the page icon."""
    store = VoteStore(str(_DB))
    session = store.create_session(TOOLS, dots=3)
    page = _joined_page(new_page, app_url, session.code)
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if "127.0.0.1" not in r.url else None)
    for slug in TOOLS[:2]:
        add_dot(page, slug)
    page.get_by_text("1 of 3 dots left").wait_for(timeout=15_000)
    for slug in TOOLS[:2]:  # each tap's answer on its own tool's card
        card = page.locator("[data-testid='stMarkdownContainer']").filter(has_text=TITLES[slug])
        expect(card.filter(has_text="your dot was counted")).to_have_count(1, timeout=10_000)
    page.reload()
    wait_ready(page)
    assert not [u for u in foreign if "fonts.gstatic.com" in u or "googleapis" in u], foreign
