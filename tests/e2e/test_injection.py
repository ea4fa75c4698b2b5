"""Markdown from the address: every query parameter of every page, set to a link,
an image, an autolink, a bare URL and HTML pointing at a foreign host, is shown
as text. No <a> or <img> to that host appears and nothing is fetched from it.

The toolbox's own resource links to real sites are expected on tool pages, so
the assertions look only at the injected host.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from e2e_support import goto

HOST = "evil.example"
PAYLOAD = (
    f"[Click to log in](https://{HOST}/phish) ![x](https://{HOST}/i.png) <https://{HOST}/auto> "
    f'https://{HOST}/bare www.{HOST}/w <img src="https://{HOST}/h.png"> :red[red] :material/home:'
)
PARAMS = {
    "/": ["present"],
    "/find": [
        "goal",
        "focus",
        "principle",
        "face",
        "state",
        "setting",
        "budget",
        "staff",
        "horizon",
        "shortlist",
        "room",
        "step",
        "present",
    ],
    "/catalog": ["focus", "principle", "q", "mode", "present"],
    "/tool": ["slug", "present"],
    "/compare": ["tools", "present"],
    "/challenges": ["challenge", "present"],
    "/workshop": ["tools", "join", "session", "host", "present"],
}
CASES = [(path, key) for path, keys in PARAMS.items() for key in keys]
CASES.append(("/workshop?join=ABCDEF", "me"))  # a participant's token
# where the value is quoted back to the reader (a note, a warning), it must be readable
ECHOED = {("/tool", "slug"), ("/challenges", "challenge"), ("/compare", "tools"), ("/find", "goal")}

FOREIGN = """host => [...document.querySelectorAll('[href], [src], [srcset]')]
  .flatMap(e => [e.getAttribute('href'), e.getAttribute('src'), e.getAttribute('srcset')])
  .filter(Boolean)
  .filter(v => { try { return new URL(v, location.href).hostname.endsWith(host); } catch (e) { return false; } })"""


def open_with(page, app_url: str, path: str, key: str) -> list[str]:
    """Open path with key=PAYLOAD; return the requests made to the foreign host."""
    fetched: list[str] = []
    page.route(f"**://*{HOST}/**", lambda route: (fetched.append(route.request.url), route.abort()))
    page.route(f"**://{HOST}/**", lambda route: (fetched.append(route.request.url), route.abort()))
    sep = "&" if "?" in path else "?"
    goto(page, f"{app_url}{path}{sep}{key}={quote(PAYLOAD)}")
    page.wait_for_load_state("networkidle")  # anything the page would fetch has been asked for
    return fetched


@pytest.mark.parametrize("path,key", CASES, ids=[f"{p}:{k}" for p, k in CASES])
def test_address_values_are_shown_as_text(app_url, new_page, path, key):
    page = new_page()
    fetched = open_with(page, app_url, path, key)
    main = page.locator("[data-testid='stApp']")
    assert not page.locator("[data-testid='stException']").count(), main.inner_text()[:500]
    assert page.evaluate(FOREIGN, HOST) == [], f"live links or images to {HOST}"
    assert fetched == [], f"fetched from {HOST}: {fetched}"
    # no Streamlit colour or icon directive ran either
    coloured = page.evaluate(
        "() => [...document.querySelectorAll('.stMarkdownColoredText')].filter(e => e.textContent.trim() === 'red').length"
    )
    assert coloured == 0
    if (path, key) in ECHOED:
        text = main.inner_text()
        assert "[Click to log in]" in text and HOST in text, text[:800]
