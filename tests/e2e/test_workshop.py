"""A whole dot vote in Chromium: a facilitator starts it, ten participants in
their own browser contexts join by the link and vote at once, and the
facilitator's live view shows the exact totals within seconds."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from e2e_support import goto, wait_ready
from logic.votes import VoteStore

_DB = Path(tempfile.mkdtemp(prefix="toolbox-votes-")) / "votes.db"
TOOLS = ["floodplainordinances", "stormwaterfees", "visionzero"]
TITLES = {
    "floodplainordinances": "Floodplain Ordinances",
    "stormwaterfees": "Stormwater Fees",
    "visionzero": "Vision Zero",
}


def SERVER_ENV():  # read by the app_url fixture (its name says it is a setting)
    return {"TOOLBOX_DB": str(_DB)}


def add_dot(page, slug: str) -> None:
    """Click "Add a dot" on a tool, found by its widget key (Streamlit's st-key-KEY class),
    without waiting."""
    page.locator(f".st-key-workshop_add_{slug} button").click(no_wait_after=True)


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
    # the address on the screen is the working one when copied: no invisible character in it
    join = host.locator("[data-testid='stMain'] a", has_text=f"join={code}")
    assert join.count() == 1
    shown = join.inner_text()
    assert "\u2060" not in shown and shown == join.get_attribute("href")

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
    for page in people:
        wait_ready(page)
    for i, page in enumerate(people[:5]):  # half of the room spends a second dot too, again all at once
        slug = TOOLS[(i + 1) % 3]
        add_dot(page, slug)
        expected[slug] += 1
    for page in people[:5]:  # wait_ready waits for a run after the last it saw: only these ran again
        wait_ready(page)

    want = "Totals: " + "; ".join(
        f"{TITLES[s]}: {n}" for s, n in sorted(expected.items(), key=lambda kv: (-kv[1], TITLES[kv[0]]))
    )
    live = host.locator("[data-testid='stMain']")  # the live view refreshes every 2 s
    expect(live).to_contain_text("10 participants · 15 dots spent", timeout=15_000)
    # hidden until the facilitator reveals them: nobody votes with the leader
    assert "Totals:" not in live.inner_text() and host.locator("[data-testid='stVegaLiteChart']").count() == 0
    host.get_by_role("button", name="Reveal results").click()
    expect(live).to_contain_text(want, timeout=15_000)
    assert VoteStore(str(_DB)).totals(code) == expected

    # closing the vote stops further dots
    host.get_by_role("button", name="Close voting").click()
    wait_ready(host)
    goto(people[0], people[0].url)
    assert "Voting is closed" in people[0].locator("[data-testid='stMain']").inner_text()
    assert people[0].get_by_role("button", name="Add a dot").first.is_disabled()


def test_votes_survive_an_app_restart(new_page):
    """Votes cast through one server are all there when a new server starts on the same database."""
    from testkit.server import start_server, stop_server

    store = VoteStore(str(_DB))
    session = store.create_session(TOOLS, dots=2, allow_stacking=True, title="Restart check", show_results=True)
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


def _joined_page(new_page, url: str, code: str):
    page = new_page(390, 844)
    goto(page, f"{url}/workshop?join={code}")
    page.get_by_role("button", name="Join the vote").click()
    page.wait_for_url(re.compile(r"me=[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}"))
    page.get_by_text("3 of 3 dots left").wait_for()
    return page


def test_a_made_up_identity_is_refused_and_join_gives_a_real_one(app_url, new_page):
    store = VoteStore(str(_DB))
    session = store.create_session(TOOLS, dots=3)
    page = new_page(390, 844)
    goto(page, f"{app_url}/workshop?join={session.code}&me=anything-i-like")
    main = page.locator("[data-testid='stMain']")
    page.get_by_text("not given out by this vote").wait_for()
    assert page.get_by_role("button", name="Add a dot").count() == 0
    page.get_by_role("button", name="Join the vote").click()
    page.get_by_text("3 of 3 dots left").wait_for()
    token = re.search(r"me=([^&]+)", page.url).group(1)
    assert token != "anything-i-like"
    assert store.stats(session.code) == (1, 0)
    # the confirmed link survives a reload: same identity, no new dots
    add_dot(page, "visionzero")
    page.get_by_text("was counted").first.wait_for()  # at the top and on the tool's card
    goto(page, page.url)
    assert "2 of 3 dots left" in main.inner_text()
    assert store.stats(session.code) == (1, 1)


def test_rapid_taps_are_each_counted_and_confirmed(app_url, new_page):
    store = VoteStore(str(_DB))
    session = store.create_session(TOOLS, dots=3)
    page = _joined_page(new_page, app_url, session.code)
    for slug in TOOLS:  # three taps as fast as a thumb: no waiting in between
        add_dot(page, slug)
    page.get_by_text("0 of 3 dots left").wait_for(timeout=15_000)
    assert store.totals(session.code, session.host_token) == {slug: 1 for slug in TOOLS}
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0  # no chart on the phone


def test_projected_results_start_hidden_and_one_click_reveals_them_for_good(app_url, new_page):
    """Projector at 1280x720: a new vote shows no tally, on the screen or on a phone; the
    Reveal button is on the first screen; once revealed, a reload still shows the results
    (the choice is stored with the vote, not in the browser)."""
    host = new_page()
    goto(host, app_url + "/workshop?present=1&tools=" + ",".join(TOOLS))
    host.get_by_role("button", name="Start the vote").click()
    host.wait_for_url(re.compile(r"session=[A-Z0-9]{6}"))
    wait_ready(host)
    code = re.search(r"session=([A-Z0-9]{6})", host.url).group(1)
    phone = _joined_page(new_page, app_url, code)
    add_dot(phone, "visionzero")
    phone.get_by_text("was counted").first.wait_for()
    live = host.locator("[data-testid='stMain']")
    expect(live).to_contain_text("1 participant · 1 dot spent", timeout=15_000)
    chart = host.locator("[data-testid='stVegaLiteChart']")
    assert chart.count() == 0 and "Totals:" not in live.inner_text()
    assert "Totals:" not in phone.locator("[data-testid='stMain']").inner_text()
    assert phone.locator("[data-testid='stVegaLiteChart']").count() == 0
    reveal = host.get_by_role("button", name="Reveal results")
    # the vote's view opens at its top although "Start the vote" sat low on the start page:
    # the join code and the Reveal button are on the projected screen, no scrolling
    for shown in (reveal, host.locator("[data-testid='stMain']").get_by_text(code, exact=True).first):
        box = shown.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720, box
    reveal.click()
    expect(live).to_contain_text("Totals: Vision Zero: 1", timeout=15_000)
    chart.first.wait_for()
    # the chart's hover toolbar (table, download, full screen) never covers the status line
    expect(live.get_by_text("Results are hidden")).to_have_count(0)  # the run that revealed them is drawn
    chart.first.hover()
    toolbar = host.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for()
    status = host.get_by_text(re.compile(r"· voting open")).bounding_box()
    tools = toolbar.bounding_box()
    assert status and tools and tools["y"] >= status["y"] + status["height"], (status, tools)
    goto(host, host.url)  # a reload of the projected page
    expect(live).to_contain_text("Totals: Vision Zero: 1", timeout=15_000)
    goto(phone, phone.url)
    assert "Totals:" not in phone.locator("[data-testid='stMain']").inner_text()  # the ballot stays a ballot


def test_hidden_results_do_not_reach_find(app_url, new_page):
    host = new_page()
    goto(host, app_url + "/workshop?tools=" + ",".join(TOOLS))
    host.get_by_role("button", name="Start the vote").click()
    host.wait_for_url(re.compile(r"session=[A-Z0-9]{6}"))
    code = re.search(r"session=([A-Z0-9]{6})", host.url).group(1)
    voter = _joined_page(new_page, app_url, code)
    add_dot(voter, "floodplainordinances")
    voter.get_by_text("was counted").first.wait_for()
    host.get_by_text("Results are hidden until you reveal them").wait_for()  # from the start
    goto(host, f"{app_url}/find?goal=reduce-flood-risk&room={code}")
    main = host.locator("[data-testid='stMain']")
    host.get_by_text("hidden until the facilitator reveals them").wait_for()
    assert "from the room" not in main.inner_text()
    VoteStore(str(_DB)).set_results_visible(code, VoteStore(str(_DB)).get_session(code).host_token, True)
    goto(host, f"{app_url}/find?goal=reduce-flood-risk&room={code}")
    assert "1 dot from the room" in main.inner_text()


def test_a_refresh_keeps_the_facilitators_controls_and_the_towns_goals(app_url, new_page):
    """F5 on the projected vote: the facilitator still has the controls (this browser kept
    its key, the address still shows none), and "See the results with the room's votes"
    opens Find tools with the goals the vote was started from, in projector mode."""
    host = new_page()
    scenario = "goal=reduce-flood-risk&goal=conserve-land&setting=rural&shortlist=" + ",".join(TOOLS)
    goto(host, f"{app_url}/find?{scenario}&present=1")
    host.locator("[data-testid='stPageLink'] a", has_text="Workshop vote").first.click()
    wait_ready(host)
    expect(host.get_by_text("On the ballot", exact=True)).to_be_visible()  # the shortlist from Find tools
    host.get_by_role("button", name="Start the vote").click()
    host.wait_for_url(re.compile(r"session=[A-Z0-9]{6}"))
    wait_ready(host)
    code = re.search(r"session=([A-Z0-9]{6})", host.url).group(1)
    expect(host.get_by_role("button", name="Close voting")).to_be_visible()

    host.reload()
    wait_ready(host)
    assert "host" not in host.url and "present=1" in host.url
    expect(host.get_by_text("0 participants")).to_be_visible()
    assert host.get_by_role("button", name="Close voting").count() == 1
    host.get_by_role("button", name="Reveal results").click()  # a control that works, not only one drawn
    expect(host.get_by_role("button", name="Hide results")).to_be_visible()
    host.get_by_role("link", name="See the results with the room's votes").click()
    host.wait_for_url(re.compile(r"/find\?"))
    wait_ready(host)
    query = parse_qs(urlsplit(host.url).query)
    assert query["goal"] == ["reduce-flood-risk,conserve-land"] and query["setting"] == ["rural"], host.url
    assert query["room"] == [code] and query["present"] == ["1"], host.url
    expect(host.get_by_role("heading", name="Find tools")).to_be_visible()

    onlooker = new_page()  # the projected address in another browser: no controls
    goto(onlooker, f"{app_url}/workshop?session={code}")
    expect(onlooker.get_by_text("Only the facilitator who started this vote")).to_be_visible()
    assert onlooker.get_by_role("button", name="Close voting").count() == 0
