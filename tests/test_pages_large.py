"""Pages stay usable with a large catalog: a page of results at a time, counts shown,
closed sections drawn only when opened. Runs on a generated 300-tool catalog."""

from __future__ import annotations

import pytest

import support
from testkit.generate import generate

pytestmark = pytest.mark.usefixtures("fresh_app")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return generate(300, tmp_path_factory.mktemp("large") / "content")


def open_page(monkeypatch, content, page, **params):
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    return support.open_page(page, **params)


def test_catalog_shows_a_page_of_cards_and_the_count(monkeypatch, large):
    at = open_page(monkeypatch, large, "app_pages/catalog.py")
    assert [h.value for h in at.header][0] == "300 of 300 tools"
    cards = [m for m in at.markdown if "badge[" in m.value]
    assert len(cards) == 24
    assert any(c.value == "Showing 24 of 300." for c in at.caption)
    at.button(key="catalog_more").click().run()
    assert len([m for m in at.markdown if "badge[" in m.value]) == 48
    # new filters start again at the first page
    at.pills(key="catalog_focus").select("Environment").run()
    shown = [m for m in at.markdown if "badge[" in m.value]
    assert 0 < len(shown) <= 24


def test_challenges_draw_a_challenge_only_when_opened_and_page_its_tools(monkeypatch, large):
    at = open_page(monkeypatch, large, "app_pages/challenges.py")
    assert not [m for m in at.markdown if m.value == "**Tools that run into it**"]
    at = open_page(monkeypatch, large, "app_pages/challenges.py", challenge="upfront-funding")
    assert [m for m in at.markdown if m.value == "**Tools that run into it**"]
    more = at.button(key="challenges_more_upfront-funding")
    assert more.label.startswith("Show more (25 of ")
    more.click().run()
    assert at.button(key="challenges_more_upfront-funding").label.startswith("Show more (50 of ")


def test_find_answers_with_a_page_of_cards(monkeypatch, large):
    at = open_page(
        monkeypatch, large, "app_pages/find.py", goal="walk-bike", focus="Environment,Transportation,Communities"
    )
    cards = support.card_titles(at)
    assert len(cards) == 10 and cards[0].startswith(("1. ", "\\=1. "))
    at.toggle(key="find_show_all").set_value(True).run()
    cards = support.card_titles(at)
    assert len(cards) == 10 + 50  # the rest a page at a time
    at.button(key="find_more").click().run()
    assert len(support.card_titles(at)) == 10 + 100


def test_counts_in_the_thousands_are_written_with_a_separator(monkeypatch, tmp_path):
    content = generate(1200, tmp_path / "content")
    at = open_page(monkeypatch, content, "app_pages/catalog.py")
    assert [h.value for h in at.header][0] == "1,200 of 1,200 tools"
    assert any(c.value == "Showing 24 of 1,200." for c in at.caption)
    at = open_page(monkeypatch, content, "app_pages/find.py", focus="Environment,Transportation,Communities")
    fit = next(m.value for m in at.markdown if "tools fit**" in m.value)
    count = int(fit.split(" tools fit")[0].strip("*").replace(",", ""))
    assert count >= 1000 and f"**{count:,} tools fit**" in fit
    assert at.toggle(key="find_show_all").label == f"Show the other {count - 10:,} tools that fit"
