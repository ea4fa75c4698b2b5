"""axe-core on every page, normal and projector mode: no WCAG 2.1 A/AA or
best-practice violation, and no text whose contrast axe cannot decide.

axe-core comes from the pinned PyPI package axe-playwright-python (it ships
axe.min.js); nothing is fetched at run time.
"""

from __future__ import annotations

import pytest

from e2e_support import goto, settled
from ui.pages import PAGES

# every registered page at its example address (ui/pages.py), normal and projector mode
VIEWS = [
    pytest.param(spec.address, present, id=f"{spec.key}-{'projector' if present else 'desk'}")
    for spec in PAGES
    for present in (False, True)
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def address(path: str, present: bool) -> str:
    if not present:
        return path
    return path + ("&" if "?" in path else "?") + "present=1"


def axe_report(page) -> tuple[list[dict], list[dict]]:
    """Violations, and colour-contrast checks axe could not decide."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations", "incomplete"]}
    response = Axe().run(page, options=options).response
    undecided = [r for r in response["incomplete"] if r["id"] == "color-contrast"]
    return response["violations"], undecided


def describe(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r['id']} ({r.get('impact')}): {r['help']}")
        for node in r["nodes"][:8]:
            why = node["any"][0]["message"] if node.get("any") else ""
            lines.append(f"    {node['target']} {why}")
    return "\n".join(lines)


@pytest.mark.parametrize("path,present", VIEWS)
def test_axe_finds_nothing(app_url, new_page, path, present):
    page = new_page(1280, 720)
    goto(page, app_url + address(path, present))
    settled(page)  # charts and icons drawn
    violations, undecided = axe_report(page)
    assert not violations, "axe violations on " + address(path, present) + ":\n" + describe(violations)
    assert not undecided, "contrast axe could not decide on " + address(path, present) + ":\n" + describe(undecided)


def test_results_cards_charts_and_open_flags_pass_axe(app_url, new_page):
    """The deeper state of /find: cards with fit badges, progress bars and open flags."""
    page = new_page(1280, 720)
    goto(page, app_url + "/find?goal=reduce-flood-risk,walk-bike&face=upfront-funding&state=NJ&budget=low")
    page.locator("[data-testid='stExpander'] summary").first.click()
    settled(page)  # the flag has opened
    violations, undecided = axe_report(page)
    assert not violations, describe(violations)
    assert not undecided, describe(undecided)
