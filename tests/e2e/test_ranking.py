"""The ranking as the room sees it: /find?goal=walk-bike in projector mode."""

from __future__ import annotations

import json

from e2e_support import RESULTS, goto
from support import run_cli

CARD = "[data-testid='stVerticalBlockBorderWrapper'], [data-testid='stVerticalBlock']"


def cli_top(capsys, goal: str, n: int) -> list[dict]:
    """`python -m logic recommend --json`, in this process (support.run_cli)."""
    out = run_cli(capsys, "recommend", "--goal", goal, "--top", n, "--json")
    assert out.returncode == 0, out.stderr
    return [r for r in json.loads(out.stdout) if not r.get("excluded")]


def test_walk_bike_in_projector_mode_shows_strength_words_and_why_below(app_url, new_page, capsys):
    page = new_page()
    goto(page, app_url + "/find?goal=walk-bike&present=1&step=results")
    expected = cli_top(capsys, "walk-bike", 3)
    headings = page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer'] h3")
    page.wait_for_selector("text=" + expected[0]["title"])
    titles = [t.split(". ", 1)[1] for t in headings.all_inner_texts()[:3]]
    # the same order as the command line, with the tool made for walking and biking on top
    assert titles == [r["title"] for r in expected]
    assert titles[0] == "Complete Streets"
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    # strength and fit in words; the number is there but not the headline
    assert "Made for your goal" in text
    assert "Made for: Make walking and biking easier." not in text, "the headline says it once"
    assert f"Fit score {expected[0]['score']} of 100" in text
    assert page.locator("[data-testid='stProgress']").count() >= 3
    # the second card says why it sits below the first, as recommend --json does
    assert expected[1]["vsAbove"] in text
    assert expected[1]["vsAbove"].startswith("Ranked below Complete Streets")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "ranking-walk-bike-projector.png"))
