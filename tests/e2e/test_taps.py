"""Issue 18 in Chromium: taps that arrive together each get their own confirmation,
and no page load asks a font host for anything."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_workshop import TITLES, TOOLS, _joined_page, add_dot

from e2e_support import goto, wait_ready
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


# the longest title in the catalog first: its answer is the longest a tap gets
LONG = ["historicdistrictsoverlayzonesandfacadeimprovementgrants", "stormwaterfees", "visionzero"]


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 720)], ids=["phone", "desk"])
def test_the_first_answer_does_not_move_the_buttons_under_the_next_tap(app_url, new_page, width, height):
    """The first tap's answer took a line above the ballot that was empty before it,
    pushing every button down while a quick thumb was on its way to the next tool: the
    second tap hit the text above that tool and was lost without a word. The answer's
    slot now holds a hint until then and keeps its height."""
    store = VoteStore(str(_DB))
    session = store.create_session(LONG, dots=3)
    page = new_page(width, height)
    goto(page, f"{app_url}/workshop?join={session.code}")
    page.get_by_role("button", name="Join the vote").click()
    page.wait_for_url(re.compile(r"me="))
    page.get_by_text("3 of 3 dots left").wait_for()
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Tap Add a dot on the tools")).to_be_visible()
    buttons = [page.locator(f".st-key-workshop_add_{slug} button") for slug in LONG[1:]]
    before = [b.bounding_box()["y"] for b in buttons]
    add_dot(page, LONG[0])
    page.get_by_text("2 of 3 dots left").wait_for()
    expect(main.get_by_text("Your dot on Historic Districts")).to_be_visible()
    wait_ready(page)
    after = [b.bounding_box()["y"] for b in buttons]
    assert after == pytest.approx(before, abs=1), (before, after)
