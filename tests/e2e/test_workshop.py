"""A whole dot vote in Chromium: a facilitator starts it, ten participants in
their own browser contexts join by the link and vote at once, and the
facilitator's live view shows the exact totals within seconds."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from e2e_support import goto, wait_ready
from logic.votes import VoteStore

_DB = Path(tempfile.mkdtemp(prefix="toolbox-votes-")) / "votes.db"
TOOLS = ["floodplainordinances", "stormwaterfees", "visionzero"]
TITLES = {
    "floodplainordinances": "Floodplain Ordinances",
    "stormwaterfees": "Stormwater Fees",
    "visionzero": "Vision Zero",
}


def SERVER_ENV():  # noqa: N802 - read by the app_url fixture
    return {"TOOLBOX_DB": str(_DB)}


def add_dot(page, slug: str) -> None:
    """Click "Add a dot" on a tool (the ballot lists tools in order) without waiting."""
    page.get_by_role("button", name="Add a dot").nth(TOOLS.index(slug)).click(no_wait_after=True)


def test_facilitator_and_ten_participants(app_url, new_page):
    host = new_page()
    goto(host, app_url + "/workshop?tools=" + ",".join(TOOLS))
    host.get_by_role("button", name="Start the vote").click()
    wait_ready(host)
    host.wait_for_url(re.compile(r"session=[A-Z0-9]{6}"))
    code = re.search(r"session=([A-Z0-9]{6})", host.url).group(1)
    host.locator("[data-testid='stImage'] img").first.wait_for()  # the QR code
    assert host.locator("[data-testid='stImage'] img").count() == 1
    assert f"workshop?join={code}" in host.locator("[data-testid='stMain']").inner_text()

    people = [new_page(390, 844) for _ in range(10)]
    for i, page in enumerate(people):
        goto(page, f"{app_url}/workshop?join={code}")
        page.get_by_label("Your name (optional)").fill(f"Person {i}")
        page.get_by_role("button", name="Join the vote").click()
    for page in people:
        page.wait_for_url(re.compile(r"me="))
        wait_ready(page)
        assert "3 of 3 dots left" in page.locator("[data-testid='stMain']").inner_text()

    # everyone votes at once: first click on every page, then wait for all
    expected = {slug: 0 for slug in TOOLS}
    for i, page in enumerate(people):
        slug = TOOLS[i % 3]
        expected[slug] += 1
        add_dot(page, slug)
    for i, page in enumerate(people[:5]):  # half of the room spends a second dot too
        slug = TOOLS[(i + 1) % 3]
        add_dot(page, slug)
        expected[slug] += 1
    for page in people:
        wait_ready(page)

    want = "Totals: " + "; ".join(
        f"{TITLES[s]}: {n}" for s, n in sorted(expected.items(), key=lambda kv: (-kv[1], TITLES[kv[0]]))
    )
    deadline = time.time() + 15
    text = ""
    while time.time() < deadline:
        text = host.locator("[data-testid='stMain']").inner_text()
        if want in text and "10 participants · 15 dots spent" in text:
            break
        time.sleep(0.5)
    assert "10 participants · 15 dots spent" in text
    assert want in text
    assert VoteStore(str(_DB)).totals(code) == expected

    # closing the vote stops further dots
    host.get_by_role("button", name="Close voting").click()
    wait_ready(host)
    goto(people[0], people[0].url)
    assert "Voting is closed" in people[0].locator("[data-testid='stMain']").inner_text()
    assert people[0].get_by_role("button", name="Add a dot").first.is_disabled()


def test_votes_survive_an_app_restart(new_page):
    """Votes cast through one server are all there when a new server starts on the same database."""
    from e2e_support import start_server, stop_server

    store = VoteStore(str(_DB))
    session = store.create_session(TOOLS, dots=2, allow_stacking=True, title="Restart check")
    proc, url, log = start_server({"TOOLBOX_DB": str(_DB)})
    try:
        voters = [new_page(390, 844) for _ in range(3)]
        for page in voters:
            goto(page, f"{url}/workshop?join={session.code}")
            page.get_by_role("button", name="Join the vote").click()
            page.wait_for_url(re.compile(r"me="))
            wait_ready(page)
            add_dot(page, "visionzero")
            wait_ready(page)
    finally:
        stop_server(proc, log)
    proc, url, log = start_server({"TOOLBOX_DB": str(_DB)})
    try:
        host = new_page()
        goto(host, f"{url}/workshop?session={session.code}")
        host.get_by_text("3 participants · 3 dots spent").wait_for(timeout=15_000)
        assert "Vision Zero: 3" in host.locator("[data-testid='stMain']").inner_text()
        # a participant coming back after the restart keeps their identity and dots
        again = new_page(390, 844)
        goto(again, voters[0].url.replace(voters[0].url.split("/workshop")[0], url))
        assert "1 of 2 dots left" in again.locator("[data-testid='stMain']").inner_text()
    finally:
        stop_server(proc, log)
