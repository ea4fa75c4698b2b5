"""Issue 18, hardening second pass: what the pages do (AppTest)."""

from __future__ import annotations

import pytest

from support import open_page

pytestmark = pytest.mark.usefixtures("fresh_app")


def _vote_session(**kwargs):
    from logic.votes import VoteStore

    store = VoteStore()
    return store, store.create_session(["floodplainordinances", "stormwaterfees", "visionzero"], **kwargs)


def _server_limit_reached():
    from ui.resources import join_attempts

    limiter = join_attempts()
    for i in range(limiter.overall):  # a script's wrong codes, each from a new tab
        limiter.fail(f"attacker-{i}")
    return limiter


# --- items 2 and 3: join-code limits lock nobody out, and every lookup counts ---


def test_a_right_code_and_a_joined_participant_are_not_stopped_by_the_server_wide_limit():
    store, s = _vote_session()
    voter = open_page("app_pages/workshop.py", join=s.code)
    voter.button(key="workshop_join").click().run()
    token = voter.query_params["me"]
    token = token if isinstance(token, str) else token[0]
    _server_limit_reached()
    newcomer = open_page("app_pages/workshop.py", join=s.code)
    assert [b for b in newcomer.button if b.key == "workshop_join"], [e.value for e in newcomer.error]
    refreshed = open_page("app_pages/workshop.py", join=s.code, me=token)
    assert not refreshed.error and [b for b in refreshed.button if b.key.startswith("workshop_add_")]
    projector = open_page("app_pages/workshop.py", session=s.code)
    assert s.code in [m.value for m in projector.markdown]  # the join code, on its own line
    wrong = open_page("app_pages/workshop.py", join="WRONG7")
    assert any("Too many wrong join codes on this server" in e.value for e in wrong.error)


@pytest.mark.parametrize("page,param", [("app_pages/workshop.py", "session"), ("app_pages/find.py", "room")])
def test_looking_a_code_up_on_the_projector_view_or_find_counts_toward_the_limit(page, param):
    from ui.resources import join_attempts

    limiter = join_attempts()
    at = open_page(page, **{param: "WRONG0"})
    assert len(limiter._all) == 1
    at.run()  # the same wrong code again is not a new guess
    assert len(limiter._all) == 1
    _server_limit_reached()
    at = open_page(page, **{param: "WRONG1"})
    shown = " ".join([e.value for e in at.error] + [w.value for w in at.warning])
    assert "Too many wrong join codes" in shown and "No voting session" not in shown


# --- item 5: a tap the storage does not answer ends within seconds in "not counted, try again" ---


@pytest.mark.slow
def test_a_tap_on_a_stalled_database_says_not_counted_within_seconds():
    import socket
    import time

    from logic.vote_storage import PostgresStorage
    from ui.resources import get_store

    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    at = open_page("app_pages/workshop.py", join=s.code, me=token)
    silent = socket.socket()  # takes connections and never answers: a stalled network
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    app_store = get_store()
    working = app_store.storage
    app_store.storage = PostgresStorage(f"postgresql://x:y@127.0.0.1:{silent.getsockname()[1]}/z")
    try:
        started = time.monotonic()
        at.button(key="workshop_add_visionzero").click().run()
        elapsed = time.monotonic() - started
    finally:
        app_store.storage = working
        silent.close()
    assert not at.exception
    assert any("Your dot was not counted, try again." in e.value for e in at.error), [e.value for e in at.error]
    assert elapsed < 9, elapsed


# --- item 7: the smaller ones on the pages ---


def test_tools_already_in_place_are_listed_without_escape_backslashes():
    at = open_page("app_pages/find.py", goal="walk-bike", have="certifiedlocalgovernmentclg", step="constraints")
    have = at.multiselect(key="find_have")
    assert "Certified Local Government (CLG)" in have.options, [o for o in have.options if "CLG" in o]
    assert not [o for o in have.options if "\\" in o]


def test_the_page_icon_is_served_from_the_app_not_fetched_from_a_font_host():
    from support import APP

    source = APP.read_text(encoding="utf-8")
    assert 'page_icon=":material/' not in source
    at = open_page("app_pages/home.py")
    assert not at.exception


@pytest.mark.parametrize(
    "page,params,named",
    [
        ("app_pages/home.py", {"present": "abc"}, "present"),
        ("app_pages/tool.py", {"slug": "visionzero", "colour": "red"}, "colour"),
        ("app_pages/find.py", {"goal": "walk-bike", "utm_source": "x"}, "utm_source"),
        ("app_pages/catalog.py", {"nonsense": "1"}, "nonsense"),
    ],
)
def test_present_values_and_unknown_parameters_get_a_visible_note(page, params, named):
    at = open_page(page, **params)
    notes = [w.value.replace("\\", "") for w in at.warning]  # shown escaped (Markdown)
    assert any(named in n and "Ignored" in n for n in notes), notes


def test_hiding_the_results_reaches_the_downloads_of_a_find_page_opened_before(monkeypatch):
    """The files are made when a button is pressed, after the page ran: they ask the
    room again, and carry no dots once the facilitator has hidden them."""
    from streamlit.delta_generator import DeltaGenerator

    store, s = _vote_session(show_results=True)  # the facilitator revealed them
    token = store.new_token(s.code)
    store.join(s.code, token)
    for slug in ("visionzero", "stormwaterfees"):
        store.cast_vote(s.code, token, slug)
    made = {}
    real = DeltaGenerator.download_button

    def capture(self, label, data, *args, **kwargs):
        made[kwargs.get("key")] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    at = open_page("app_pages/find.py", session_state={"find_share": True}, goal="reduce-flood-risk", room=s.code)
    assert at.session_state["find_room"] == s.code
    assert made, "the share block drew no download buttons"
    import csv
    import io
    import re

    one_dot = re.compile(r"\b1 dot\b")  # each voted tool got one dot, however a file words it

    def dots_in_csv() -> list[str]:
        rows = csv.DictReader(io.StringIO(made["find_dl_csv"]().decode()))
        return [r["room dots"] for r in rows if r["room dots"]]

    for key in ("find_dl_md", "find_dl_html"):
        assert one_dot.search(made[key]().decode()), key
    assert dots_in_csv() and set(dots_in_csv()) == {"1"}
    store.set_results_visible(s.code, s.host_token, False)
    for key in ("find_dl_md", "find_dl_html"):
        assert not one_dot.search(made[key]().decode()), key
    assert dots_in_csv() == []


# --- item 6: every counted dot is confirmed to the phone that cast it ---


def test_taps_that_arrive_together_are_each_confirmed():
    """Streamlit runs the callbacks of taps that arrive together in one run; each tap's
    confirmation must be shown, not only the last one's."""
    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    at = open_page("app_pages/workshop.py", join=s.code, me=token)
    at.button(key="workshop_add_visionzero").click()
    at.button(key="workshop_add_stormwaterfees").click()
    at.run()
    cards = [m.value for m in at.markdown]
    for title in ("Vision Zero", "Stormwater Fees"):  # each tap's answer on its own tool's card
        assert any(f"**{title}**" in c and "your dot was counted" in c for c in cards), cards
    assert len(at.success) == 1  # one message at the top: nothing grows under a quick thumb
    assert (
        store.totals(s.code, s.host_token)["visionzero"] == 1
        and store.totals(s.code, s.host_token)["stormwaterfees"] == 1
    )
    at.button(key="workshop_add_floodplainordinances").click().run()  # a later tap, seconds apart in life
    assert any("Floodplain Ordinances" in m.value for m in at.success)


@pytest.mark.parametrize("page,param", [("app_pages/tool.py", "slug"), ("app_pages/challenges.py", "challenge")])
def test_a_long_single_value_in_the_address_is_not_echoed_and_names_the_limit(page, param):
    import time

    from logic.scenario import MAX_VALUE_CHARS

    started = time.monotonic()
    at = open_page(page, **{param: "visionzero" * 2_000})  # 20,000 characters
    assert time.monotonic() - started < 10
    shown = " ".join(w.value for w in at.warning)
    assert "visionzero" * 20 not in shown and f"at most {MAX_VALUE_CHARS}" in shown, shown[:300]


def test_the_phone_ballot_says_in_one_line_what_each_tool_is():
    from logic import load_catalog
    from logic.text import escape_md, summary
    from support import CONTENT

    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    at = open_page("app_pages/workshop.py", join=s.code, me=token)
    cards = " ".join(m.value for m in at.markdown)
    catalog = load_catalog(CONTENT)
    for slug in s.tools:
        line = summary(catalog.tools[slug].body, limit=140)
        assert line and escape_md(line) in cards, slug


def test_a_vote_title_may_be_a_sentence_and_the_field_says_its_limit():
    from logic.vote_rules import MAX_TITLE

    title = "Riverside Township flood workshop: which tools come first?"  # 58 characters
    store, s = _vote_session(title=title)
    assert store.get_session(s.code).title == title and MAX_TITLE >= 80
    at = open_page("app_pages/workshop.py")
    field = at.text_input(key="workshop_title")
    assert field.max_chars == MAX_TITLE and str(MAX_TITLE) in field.help
