"""AppTest for every page: renders, shows its heading, its main interaction works."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from logic import load_catalog
from logic.browse import filter_tools
from logic.content import files as content_files
from logic.text import escape_md
from support import CONTENT, FIXTURE, ROOT, card_bodies, card_titles, open_page
from ui.pages import PAGES as REGISTRY
from ui.pages import address_table, readme_table, write_readme

APP = str(ROOT / "app.py")
# every registered page (ui/pages.py), bare and at its example address
PAGES = [pytest.param(spec.file, spec.heading, id=spec.key) for spec in REGISTRY]
EXAMPLES = [pytest.param(spec, id=spec.key) for spec in REGISTRY if spec.example]


# The real catalog and the small test catalog (tests/fixtures/catalog): page tests
# that do not depend on what a tool says run on both.
CATALOGS = [pytest.param(CONTENT, id="content"), pytest.param(FIXTURE, id="fixture")]


def goal_group_key(goal: str, content=CONTENT) -> str:
    """/find's widget for the goal's group, by the group's id (never its display text)."""
    return f"find_goals_{load_catalog(content).goals[goal].group_id}"


pytestmark = pytest.mark.usefixtures("fresh_app")


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def qp(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value if isinstance(value, str) else ",".join(value)


def menu_trip(at: AppTest, *pages: str) -> AppTest:
    """Go to each page in turn through the menu, whose links carry no parameters."""
    for page in pages:
        at.query_params.clear()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def page_link_targets(at: AppTest) -> list[tuple[str, str]]:
    return [(p.label, p.proto.page) for p in at.get("page_link")]


@pytest.mark.parametrize("content", CATALOGS)
@pytest.mark.parametrize("page,heading", PAGES)
def test_every_page_renders_with_its_heading(page, heading, content, monkeypatch):
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    at = open_page(page)
    assert at.title[0].value == heading


@pytest.mark.parametrize("spec", EXAMPLES)
def test_every_page_opens_at_its_example_address_without_a_note(spec):
    """The address the README shows for each page works: its heading, no exception, no
    "ignored" note (every parameter in it is one the page reads)."""
    from urllib.parse import parse_qsl

    at = open_page(spec.file, **dict(parse_qsl(spec.example)))
    assert at.title[0].value == spec.heading_at_example
    assert not any("ignored" in str(w.value).lower() for w in at.warning), [w.value for w in at.warning]


def test_a_misspelt_parameter_is_ignored_with_the_one_the_page_reads_named():
    """A planner who types goals= (or shortlsit=) sees it ignored and the parameter
    meant; a name like no parameter of the page is only said to be ignored."""
    at = open_page("app_pages/find.py", goals="reduce-flood-risk:3", shortlsit="visionzero", zzz="1")
    notes = [str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value)]  # shown as text
    assert len(notes) == 1, notes
    assert "goals= (did you mean goal=?)" in notes[0] and "shortlsit= (did you mean shortlist=?)" in notes[0]
    assert "zzz= in the address" in notes[0], notes[0]


def test_a_parameter_another_page_reads_is_answered_with_that_page():
    """A planner who pastes a scenario's goal= onto the vote page, or the catalog's q= onto
    a tool page, is told which pages read it, not offered a look-alike of this page's own
    (goals= on /workshop was "did you mean tools=?"); goals= is answered with goal= and the
    pages that read that."""
    at = open_page("app_pages/workshop.py", goal="reduce-flood-risk:3", goals="walk-bike")
    notes = [str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value)]
    assert notes == [
        "Ignored goal= (Find tools and Compare read it), goals= (did you mean goal=? Find tools and Compare"
        " read it) in the address: this page does not read them."
    ], notes
    at = open_page("app_pages/tool.py", slug="visionzero", q="stormwater")
    notes = [str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value)]
    assert notes == ["Ignored q= (Catalog reads it) in the address: this page does not read it."], notes


def test_projector_typed_in_the_address_is_answered_with_present():
    """A facilitator who types ?projector=1 (the switch says "Projector mode") is told the
    address word is present=; no spelling of it is close enough for the usual guess."""
    at = open_page("app_pages/catalog.py", projector="1")
    notes = [str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value)]
    assert notes == ["Ignored projector= (did you mean present=?) in the address: this page does not read it."]


def test_a_goal_named_in_words_is_read_or_answered_with_its_id():
    """goal=Improve air quality (copied from a card) ranks for clean air; goal=flooding is
    ignored with the goal it names, and the results do not pretend it was read."""
    at = open_page("app_pages/find.py", goal="Improve air quality:3,flooding")
    notes = " ".join(str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value))
    assert "unknown goal 'flooding' (did you mean 'reduce-flood-risk'?)" in notes, notes
    assert at.segmented_control(key="find_imp_clean-air").value == 3, "read as the goal it names, essential"
    assert "find_imp_reduce-flood-risk" not in at.session_state, "a guess is not taken for an answer"


def test_a_goal_the_address_misnames_is_taken_in_one_click_and_its_note_goes():
    """goal=flooding:3 names one goal: the button under its note sets it as essential, keeps
    what else the page had, and the note goes; a value that names nothing gets no button."""
    at = open_page("app_pages/find.py", goal="flooding:3,walk-bike,teleport", state="Jersy")
    assert [b.label for b in at.button if b.key and b.key.startswith("find_guess_")] == [
        "Use “Reduce flooding and stormwater damage”"
    ]
    at.button(key="find_guess_0").click().run()
    assert not at.exception
    assert at.segmented_control(key="find_imp_reduce-flood-risk").value == 3, "taken with the importance typed"
    assert at.segmented_control(key="find_imp_walk-bike").value == 2, "the goal already read is kept"
    notes = " ".join(str(w.value).replace("\\", "") for w in at.warning if "Ignored" in str(w.value))
    assert "flooding" not in notes, "the note on the value taken goes"
    assert "teleport" in notes and "Jersy" in notes, "the notes on values that name nothing stay"
    assert not [b for b in at.button if b.key and b.key.startswith("find_guess_")]
    assert "reduce-flood-risk:3" in str(at.query_params["goal"]), at.query_params


def test_the_readme_lists_every_page_as_the_registry_prints_it():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table(text) == address_table(), "run `python -m ui.pages --write` to rewrite the README's table"


def test_a_stale_readme_table_is_told_apart_and_rewritten_in_place(tmp_path):
    """A row too many (a page taken out of the registry) or a row changed is a difference;
    `--write` replaces the table alone, the text around it as it was."""
    readme = tmp_path / "README.md"
    good = (ROOT / "README.md").read_text(encoding="utf-8")
    for stale in (
        good.replace(address_table(), address_table() + "\n| `/old` | a page no longer there |"),
        good.replace(address_table(), address_table().replace("one tool", "a tool")),
    ):
        assert readme_table(stale) != address_table()
        readme.write_text(stale, encoding="utf-8")
        assert write_readme(readme) and readme.read_text(encoding="utf-8") == good
        assert not write_readme(readme)  # current: the file is left alone


@pytest.mark.parametrize("content", CATALOGS)
def test_home_says_how_big_the_catalog_is_and_where_to_start(content, monkeypatch):
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    at = open_page("app_pages/home.py")
    assert at.metric[0].value == str(len(load_catalog(content).tools))
    labels = [label for label, _ in page_link_targets(at)]
    assert "Start with your goals" in labels and "Open the catalog" in labels


@pytest.mark.parametrize("content", CATALOGS)
def test_catalog_filters_by_every_chosen_tag_and_keeps_them_in_the_address(content, monkeypatch):
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    cat = load_catalog(content)
    n = len(cat.tools)
    both = len(filter_tools(cat, ["Economy"], ["Resiliency"]))
    either = len(filter_tools(cat, ["Economy"], ["Resiliency"], mode="any"))
    assert 0 < both < either < n  # each step below changes what is shown
    at = open_page("app_pages/catalog.py")
    assert f"{n} of {n} tools" in texts(at)
    at.pills(key="catalog_focus").select("Economy").run()
    at.pills(key="catalog_principle").select("Resiliency").run()
    assert f"{both} of {n} tools" in texts(at)
    assert qp(at, "focus") == "Economy" and qp(at, "principle") == "Resiliency"
    at.radio(key="catalog_mode").set_value("any").run()
    assert f"{either} of {n} tools" in texts(at) and f"{both} of {n} tools" not in texts(at)
    at.text_input(key="catalog_q").input("zzzz-nothing").run()
    assert f"0 of {n} tools" in texts(at)


def test_catalog_offers_the_pages_spelling_of_a_search_that_finds_nothing():
    n = len(load_catalog(CONTENT).tools)
    at = open_page("app_pages/catalog.py", q="stromwater fees")
    assert f"0 of {n} tools" in texts(at)
    assert any("Did you mean “stormwater fees”?" in i.value for i in at.info)
    at.button(key="catalog_respell").click().run()
    assert at.text_input(key="catalog_q").value == "stormwater fees"
    found = len(filter_tools(load_catalog(CONTENT), search="stormwater fees"))
    assert found and f"{found} of {n} tools" in texts(at) and qp(at, "q") == "stormwater fees"
    assert "Did you mean" not in texts(at)
    at.text_input(key="catalog_q").input("xqzw").run()  # nothing near: the plain advice, no button
    assert "Did you mean" not in texts(at) and not [b for b in at.button if b.key == "catalog_respell"]


def test_catalog_offers_the_tag_a_search_names():
    cat = load_catalog(CONTENT)
    n, carry = len(cat.tools), len(filter_tools(cat, principles=["Resiliency"]))
    at = open_page("app_pages/catalog.py", q="resilience")
    assert any(f"“Resiliency” is one of the toolbox's principles: {carry} tools carry it." in i.value for i in at.info)
    assert "No tool matches" not in texts(at)  # the offer is the advice
    at.button(key="catalog_tag_offer").click().run()
    assert at.pills(key="catalog_principle").value == ["Resiliency"] and at.text_input(key="catalog_q").value == ""
    assert f"{carry} of {n} tools" in texts(at) and qp(at, "principle") == "Resiliency" and "q" not in at.query_params
    assert not [b for b in at.button if b.key == "catalog_tag_offer"]  # chosen: no second offer


def test_catalog_links_a_search_that_names_a_goal_to_its_ranking():
    """ "extreme heat" finds no page but names a goal: the page says how many tools serve it and
    links to /find with the goal chosen, instead of "No tool matches"."""
    cat = load_catalog(CONTENT)
    serving = sum(1 for t in cat.tools.values() if t.strength("cool-communities"))
    at = open_page("app_pages/catalog.py", q="extreme heat")
    name = cat.goal_name("cool-communities")
    assert any(f"“{name}” is a goal Find tools ranks for a town: {serving} tools serve it." in i.value for i in at.info)
    assert "No tool matches" not in texts(at)
    link = next(p for p in at.get("page_link") if "Rank the tools" in p.label)
    assert link.proto.page.endswith("find") and "goal=cool-communities" in link.proto.query_string, link.proto
    at.text_input(key="catalog_q").input("trucks").run()
    assert not [p for p in at.get("page_link") if "Rank the tools" in p.label]
    # a word the room uses that goals.yaml lists for a goal ("seniors") links to that goal
    said = next(g for g, goal in cat.goals.items() if "seniors" in goal.also_called)
    at.text_input(key="catalog_q").input("seniors").run()
    link = next(p for p in at.get("page_link") if "Rank the tools" in p.label)
    assert f"goal={said}" in link.proto.query_string and cat.goal_name(said) in link.label


def test_catalog_restores_filters_from_the_address_and_notes_unknown_values():
    at = open_page("app_pages/catalog.py", focus="Environment,Moon", principle="Equity")
    assert at.pills(key="catalog_focus").value == ["Environment"]
    assert any("Moon" in w.value for w in at.warning)


def test_tool_page_shows_everything_about_a_tool():
    at = open_page("app_pages/tool.py", slug="floodplainordinances")
    assert at.title[0].value == "Floodplain Ordinances"
    heads = [h.value for h in at.header] + [h.value for h in at.subheader]
    for h in (
        "Resources",
        "Who has used this tool",
        "Model ordinances and design guidelines",
        "Tracking progress",
        "Related tools",
        "Challenges and ways around them",
    ):
        assert h in heads
    body = texts(at)
    assert "What it is" in body and "Reduce flooding and stormwater damage" in body
    related = [label for label, _ in page_link_targets(at)]
    assert "Stormwater Management" in related and "Stormwater Fees" in related


def test_tool_page_marks_the_goals_it_is_a_go_to_tool_for():
    """Land Acquisition is a go-to tool for flooding, open space and water (goals.yaml goTo):
    its page says so beside each of those goals' grades, and only there."""
    at = open_page("app_pages/tool.py", slug="landacquisitionandconservationeasements")
    box = next(m.value for m in at.markdown if m.value.startswith("**At a glance**"))
    lines = {line for line in box.splitlines() if line.startswith("- ") and ": _" in line}
    marked = {line.split(":")[0][2:] for line in lines if line.endswith("· planners' go-to")}
    assert marked == {
        "Reduce flooding and stormwater damage",
        "Preserve farmland, open space and habitat",
        "Protect streams and water quality",
    }, lines
    assert len(lines) > len(marked)  # the goals it serves without being a go-to tool are listed plain
    plain = open_page("app_pages/tool.py", slug="stormwatermanagement")
    assert not any("go-to" in m.value for m in plain.markdown)


def test_tool_page_says_where_a_tool_made_for_a_center_is_made_for():
    """Parking Management is made for traffic in a downtown or main street (`needsCenter`): its
    goals box says so under the grades, so "made for it" is not read as made for any town."""
    at = open_page("app_pages/tool.py", slug="parkingmanagement")
    box = next(m.value for m in at.markdown if m.value.startswith("**At a glance**"))
    grades, _, note = (
        box.partition("Goals it advances")[2].partition("**Words that raise it**")[0].strip().rpartition("\n\n")
    )
    assert "Manage traffic, parking and curb space: _made for_" in grades
    assert note.strip("_").replace("\\", "") == load_catalog(CONTENT).tools["parkingmanagement"].needs_center
    other = open_page("app_pages/tool.py", slug="accessmanagement")  # made for traffic anywhere
    glance = next(m.value for m in other.markdown if m.value.startswith("**At a glance**"))
    goals_part = glance.partition("**Words that raise it**")[0]
    assert goals_part.rstrip().splitlines()[-1].startswith("- ")  # the grades end the goals


def test_tool_page_lists_the_words_that_raise_it():
    """Truck Route Network Designation's page says which words of a town's sentence raise it on
    /find, as its content lists them, so a planner can see why a description moved it."""
    cues = load_catalog(CONTENT).tools["truckroutenetworkdesignation"].cues
    at = open_page("app_pages/tool.py", slug="truckroutenetworkdesignation")
    box = next(m.value for m in at.markdown if m.value.startswith("**At a glance**"))
    words = box.partition("**Words that raise it**")[2].replace("\\", "")  # as drawn, escapes read
    assert words.strip().startswith("On Find tools, a town's sentence (“The town in a sentence”)")
    assert all(f"“{c}”" in words for c in cues) and "warehouse" in cues


def test_tool_page_for_an_unknown_slug_is_friendly_with_close_matches():
    at = open_page("app_pages/tool.py", slug="floodplain")
    assert at.title[0].value == "Tool not found"
    assert "Floodplain Ordinances" in [label for label, _ in page_link_targets(at)]


def test_the_coverage_grid_numbers_its_rows_as_the_cards_are_numbered():
    """Cards level on every count share a rank ("=2"); the grid's rows say the same, not 2 and 3."""
    import json

    at = open_page("app_pages/find.py", goal="manage-traffic:3")
    cards = [c.replace("\\", "") for c in card_titles(at)]  # "=2. Travel Demand Management (TDM)", as shown
    assert cards[1].startswith("=2. ") and cards[2].startswith("=2. ")
    at.session_state["find_tab"] = "Coverage charts"
    at.run()
    grids = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    rows = [
        label.replace("|", " ")
        for g in grids
        for layer in g.get("layer", [])[:1]
        for label in layer["encoding"]["y"].get("sort", [])
    ]
    assert rows[:3] == cards[:3]


def test_find_keeps_a_goal_whose_importance_is_out_of_range():
    """goal=walk-bike:9: the goal stays chosen (as important) and the note names the levels."""
    at = open_page("app_pages/find.py", goal="walk-bike:9")
    assert "walk-bike" in (at.pills(key=goal_group_key("walk-bike")).value or [])
    assert at.segmented_control(key="find_imp_walk-bike").value == 2
    said = escape_md("Ignored the importance in goal='walk-bike:9' in the address: importance is 1 (nice to have)")
    assert any(w.value.startswith(said) for w in at.warning), [w.value for w in at.warning]
    assert qp(at, "goal") in ("walk-bike", "walk-bike:2")


def test_find_with_a_focus_area_alone_says_to_choose_a_goal():
    at = open_page("app_pages/find.py", focus="Economy")
    summary = next(m.value for m in at.markdown if "tools fit**" in m.value)
    assert " 0 strong," in summary and "choose a goal to rank the tools by what your town wants" in summary
    assert all(":green-badge[Strong fit]" not in m.value for m in at.markdown)


def test_find_calls_a_tool_that_does_not_suit_the_setting_not_for_your_setting_rather_than_weak():
    """TOD zoning is made for guiding growth but does not apply in a rural township: its card
    says so in its badge, and the count keeps it apart from the fits."""
    at = open_page("app_pages/find.py", goal="guide-growth:3", setting="rural")
    summary = next(m.value for m in at.markdown if "tools fit**" in m.value)
    assert "more serve your goals but do not suit rural places." in summary
    fits, unsuited = (int(x) for x in re.findall(r"\*\*(\d+) tools fit\*\*.* (\d+) more serve", summary)[0])
    # the switch counts the rest as the summary does, not the unsuited among "the tools that fit"
    assert at.toggle(key="find_show_all").label == (
        f"Show the other {fits - 10} tools that fit and {unsuited} that do not suit rural places"
    )
    at.toggle(key="find_show_all").set_value(True).run()
    cards = dict(zip(card_titles(at), card_bodies(at), strict=True))
    (tod,) = [body for title, body in cards.items() if "Transit\\-Oriented Development" in title]
    assert tod.startswith(":gray-badge[Not for your setting]") and "does not apply in rural places" in tod
    weak = [body for body in cards.values() if body.startswith(":gray-badge[Weak fit]")]
    assert weak and list(cards.values()).index(weak[-1]) < list(cards.values()).index(tod)
    # no fit-score bar on those cards (their score is capped below every fit): a sentence instead
    unsuited = sum(1 for body in cards.values() if body.startswith(":gray-badge[Not for your setting]"))
    assert len(at.get("progress")) == len(cards) - unsuited
    assert sum("No fit score: it does not suit your setting" in c.value for c in at.caption) == unsuited


def test_tool_page_picker_opens_a_tool():
    at = open_page("app_pages/tool.py")
    at.selectbox(key="tool_pick").select("Vision Zero").run()
    assert at.title[0].value == "Vision Zero"


def test_find_full_scenario():
    at = open_page("app_pages/find.py")
    assert "Choose at least one goal" in texts(at)
    at.pills(key=goal_group_key("reduce-flood-risk")).select("reduce-flood-risk").run()
    at.segmented_control(key="find_imp_reduce-flood-risk").set_value(3).run()
    at.segmented_control(key="find_state").set_value("NJ").run()
    at.segmented_control(key="find_budget").set_value("low").run()
    faces = at.pills(key="find_face")
    # what each challenge means, in the choice's one tooltip
    for ch in load_catalog(CONTENT).challenges.values():
        assert f"**{escape_md(ch.name)}**: {escape_md(ch.description)}" in faces.help
    faces.select("upfront-funding").run()
    assert not at.exception
    cards = card_titles(at)
    # the first card is rank 1, or shares it ("=1") with the next, level with it on every count
    assert cards and cards[0].startswith(("1. ", "\\=1. "))
    if cards[0].startswith("\\=1. "):
        assert cards[1].startswith("\\=1. ") and "Level with" in card_bodies(at)[1]
    assert "Floodplain Ordinances" in "\n".join(cards[:5])
    assert qp(at, "goal") == "reduce-flood-risk:3"
    assert qp(at, "state") == "NJ" and qp(at, "face") == "upfront-funding"
    # shortlist, then compare from it
    at.button(key="find_short_floodplainordinances").click().run()
    at.button(key="find_short_stormwaterfees").click().run()
    assert qp(at, "shortlist") == "floodplainordinances,stormwaterfees"
    compare = [p for p in at.get("page_link") if p.label == "Compare the shortlist"]
    assert compare and "compare" in compare[0].proto.page
    assert "How the ranking works" in [e.label for e in at.expander]
    assert len(at.get("vega_lite_chart")) == 0  # tabs are lazy: only the open one runs
    at.session_state["find_tab"] = "Coverage charts"
    at.run()
    assert len(at.get("vega_lite_chart")) >= 3
    assert any(m.value.startswith("**These ") and "tools cover" in m.value for m in at.markdown)
    at.session_state["find_tab"] = "What if"
    at.run()
    assert any("**If upfront funding were not a challenge**, " in m.value for m in at.markdown)


def test_find_restores_a_copied_scenario_and_notes_bad_values():
    at = open_page("app_pages/find.py", goal="walk-bike:3,teleport", state="NY", shortlist="visionzero")
    assert at.pills(key=goal_group_key("walk-bike")).value == ["walk-bike"]
    assert at.segmented_control(key="find_imp_walk-bike").value == 3
    warnings = " ".join(w.value for w in at.warning)
    assert "teleport" in warnings and "NY" in warnings
    assert "Vision Zero" in texts(at)


@pytest.mark.parametrize(
    "content,barred,law",
    [
        (CONTENT, "Transit Revitalization Investment District", "the TRID Act is Pennsylvania law"),
        (FIXTURE, "Transit Investment District", "New Jersey has no such law"),
    ],
    ids=["content", "fixture"],
)
def test_find_lists_state_barred_tools_apart(content, barred, law, monkeypatch):
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    at = open_page("app_pages/find.py", goal="transit-access", state="NJ")
    body = texts(at)
    assert "Not available in New Jersey" in body
    assert barred in body and law in body


def test_find_shows_one_widget_for_a_goal_group_spelled_two_ways(content_copy, monkeypatch):
    """Keys come from the group's id: "Getting-around" and "Getting around" are one
    group (the old keys from display text gave two widgets the same key, a crash)."""
    path = content_copy / "goals.yaml"
    size = len([g for g in load_catalog(content_copy).goals.values() if g.group_id == "getting-around"])
    before, _, after = path.read_text(encoding="utf-8").rpartition("group: Getting around")
    path.write_text(before + "group: Getting-around" + after, encoding="utf-8")
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content_copy))
    at = open_page("app_pages/find.py", goal="walk-bike")
    cat = load_catalog(content_copy)
    key = goal_group_key("walk-bike", content_copy)
    group = [g for g in cat.goals.values() if g.group_id == "getting-around"]
    assert len(group) == size and {g.group for g in group} == {"Getting around"}
    assert len(at.pills(key=key).options) == len(group) and at.pills(key=key).value == ["walk-bike"]


def test_compare_shows_differences_and_limits_to_four():
    at = open_page(
        "app_pages/compare.py", tools="stormwaterfees,stormwatermanagement,visionzero,completestreets,officialmap"
    )
    assert len(at.multiselect(key="compare_tools").value) == 4
    assert any("Only 4 tools" in w.value for w in at.warning)
    frame = at.table[0].value
    assert "Stormwater Fees" in frame.columns and "differs" in set(frame["Differs"])
    at.toggle(key="compare_only_diff").set_value(True).run()
    assert set(at.table[0].value["Differs"]) == {"differs"}


def test_compare_says_when_a_tool_is_named_twice():
    """/compare?tools=visionzero,visionzero: one tool, and the page says why, beside "choose at least two"."""
    at = open_page("app_pages/compare.py", tools="visionzero,visionzero")
    assert at.multiselect(key="compare_tools").value == ["visionzero"]
    assert any("Vision Zero is named more than once in tools\\=" in w.value for w in at.warning)
    assert "Choose at least two tools" in texts(at)


@pytest.mark.parametrize("key", ["session", "join"])
def test_workshop_quotes_a_bad_code_as_it_was_typed(key):
    """/workshop?session=[x](javascript:alert(1)): the note quotes what was typed (as text, the
    brackets escaped), and the page still offers a way on: the start view or the join box."""
    at = open_page("app_pages/workshop.py", **{key: "[x](javascript:alert(1))"})
    assert not at.exception and at.title[0].value == "Workshop vote"
    warned = [w.value for w in at.warning]
    typed = escape_md(f"Ignored {key}='[x](javascript:alert(1))' in the address")  # shown as text
    assert any(w.startswith(typed) for w in warned), warned
    assert not any("XJAVASCRIPTA" in t for t in warned + [e.value for e in at.error])
    if key == "join":
        assert at.text_input(key="workshop_code")  # type the code instead
    else:
        assert at.multiselect(key="workshop_tools")  # start a vote


def test_challenges_page_lists_mitigations_enablers_and_carriers():
    at = open_page("app_pages/challenges.py", challenge="upfront-funding")
    labels = [e.label for e in at.expander]
    assert len(labels) == len(load_catalog(CONTENT).challenges) and any(
        lbl.startswith("Upfront funding") for lbl in labels
    )
    assert "Shared Services" in [label for label, _ in page_link_targets(at)]
    assert "Ways around it" in texts(at)


def test_projector_mode_switches_navigation_and_keeps_through_pages():
    at = open_page("app_pages/find.py", present="1", goal="walk-bike")
    assert at.toggle(key="app_projector").value is True
    menu_trip(at, "app_pages/catalog.py")  # the menu's link carries no present=1
    assert at.toggle(key="app_projector").value is True and qp(at, "present") == "1"
    at.toggle(key="app_projector").set_value(False).run()
    assert "present" not in at.query_params
    menu_trip(at, "app_pages/find.py")
    assert at.toggle(key="app_projector").value is False and "present" not in at.query_params


def test_find_step_by_step_in_projector_mode_keeps_every_choice():
    at = open_page("app_pages/find.py", present="1", goal="reduce-flood-risk:3")
    assert at.segmented_control(key="find_step").value == "goals"
    assert at.button(key="find_back_top").disabled
    at.button(key="find_next_top").click().run()
    assert at.segmented_control(key="find_step").value == "constraints"
    at.segmented_control(key="find_state").set_value("PA").run()
    at.button(key="find_next_top").click().run()
    assert qp(at, "step") == "results" and qp(at, "state") == "PA"
    assert qp(at, "goal") == "reduce-flood-risk:3"  # the hidden goals step kept its value
    cards = card_titles(at)
    assert cards[4].startswith("5. ")
    assert at.toggle(key="find_show_all").label.startswith("Show the other")  # five on screen, the rest on demand
    at.button(key="find_next_top").click().run()
    assert any(s.value == "4 · A balanced package" for s in at.header)
    at.button(key="find_next_top").click().run()  # the plan is the last step of the flow
    assert not at.exception
    assert qp(at, "step") == "plan"
    assert any(s.value == "5 · Action plan" for s in at.header)
    assert [s.value for s in at.subheader][:3] == [
        "Now (first 12 months)",
        "Next (1-3 years)",
        "Later (3 years and more)",
    ]
    assert at.button(key="find_next_top").disabled


def test_find_plan_step_from_its_own_address_with_tools_in_place():
    at = open_page(
        "app_pages/find.py", goal="walk-bike,revitalize-centers", have="completestreets", step="plan", present="1"
    )
    assert not at.exception
    assert any(s.value == "5 · Action plan" for s in at.header)
    text = " ".join(m.value for m in at.markdown)
    assert "Already in place:** Complete Streets" in text
    assert "Sidewalk Standards and Management" in text and "Complete Streets" not in text.split("Already")[0]
    # indicators link to DVRPC's Tracking Progress
    assert "https://www.dvrpc.org/TrackingProgress/" in text
    # on the desk the same address opens the plan tab; the widgets show what is in place
    desk = open_page("app_pages/find.py", goal="walk-bike", have="completestreets", step="plan")
    assert desk.session_state["find_tab"] == "Action plan"
    assert desk.multiselect(key="find_have").value == ["completestreets"]
    assert qp(desk, "step") == "plan" and qp(desk, "have") == "completestreets"


@pytest.mark.parametrize("present", ["1", None], ids=["projector", "desk"])
def test_the_facilitator_link_reopens_the_vote_in_the_mode_it_was_started_in(present):
    extra = {"present": present} if present else {}
    at = open_page("app_pages/workshop.py", tools="visionzero,completestreets", **extra)
    at.button(key="workshop_start").click().run()
    code = qp(at, "session")
    links = [c.value for c in at.code if f"session={code}&host=" in c.value]
    assert len(links) == 1 and links[0].endswith("&present=1") == bool(present), links


def test_the_vote_keeps_the_goals_it_was_started_with_for_the_room_results():
    """Started from Find tools, the vote keeps that scenario: the facilitator's link on
    another computer (a session that never opened Find tools) still opens the room's
    results with the town's goals, not an empty Find tools."""
    from logic.votes import VoteStore

    find = open_page("app_pages/find.py", goal="safer-streets", setting="urban", shortlist="visionzero,completestreets")
    find.switch_page("app_pages/workshop.py").run()
    find.button(key="workshop_start").click().run()
    code = qp(find, "session")
    host = find.session_state[f"_workshop_host_{code}"]
    assert VoteStore().get_session(code).scenario

    elsewhere = open_page("app_pages/workshop.py", session=code, host=host)
    links = [link.proto.query_string for link in elsewhere.get("page_link") if "room's votes" in link.proto.label]
    assert len(links) == 1
    assert parse_qs(links[0]) == {
        "goal": ["safer-streets"],
        "setting": ["urban"],
        "shortlist": ["visionzero,completestreets"],
        "room": [code],
    }


def test_workshop_start_join_vote_and_rank_with_the_room():
    from logic.votes import VoteStore

    at = open_page("app_pages/workshop.py", tools="floodplainordinances,stormwaterfees,visionzero")
    assert at.multiselect(key="workshop_tools").value == ["floodplainordinances", "stormwaterfees", "visionzero"]
    at.button(key="workshop_start").click().run()
    code = qp(at, "session")
    assert len(code) == 6 and "host" not in at.query_params  # the key stays off the projector
    assert at.session_state[f"_workshop_host_{code}"]
    assert code in [m.value for m in at.markdown]  # the join code, on its own line
    assert len(at.get("image")) == 1  # the QR code

    onlooker = open_page("app_pages/workshop.py", session=code)  # e.g. someone who copied the projected address
    assert not [b for b in onlooker.button if b.key == "workshop_toggle_open"]
    host = at.session_state[f"_workshop_host_{code}"]
    other_computer = open_page("app_pages/workshop.py", session=code, host=host)
    assert [b for b in other_computer.button if b.key == "workshop_toggle_open"]

    voter = open_page("app_pages/workshop.py", join=code)
    voter.text_input(key="workshop_name").input("<b>Ana</b>")
    voter.button(key="workshop_join").click().run()
    token = qp(voter, "me")
    assert token
    voter.button(key="workshop_add_visionzero").click().run()
    voter.button(key="workshop_add_stormwaterfees").click().run()
    assert any("1 of 3 dots left" in m.value for m in voter.markdown)
    assert any("\\<b\\>Ana" in m.value for m in voter.markdown)  # shown as text
    assert VoteStore().totals(code, host) == {"floodplainordinances": 0, "stormwaterfees": 1, "visionzero": 1}

    # a refresh keeps the same identity: no new dots
    again = open_page("app_pages/workshop.py", join=code, me=token)
    assert any("1 of 3 dots left" in m.value for m in again.markdown)

    at.button(key="workshop_toggle_open").click().run()
    # closed: nobody can join, so the code and QR give way to the results
    assert not at.get("image") and code not in [m.value for m in at.markdown]
    assert any("Voting is closed" in c.value for c in at.caption)
    closed = open_page("app_pages/workshop.py", join=code, me=token)
    assert any("closed" in w.value for w in closed.warning)
    assert closed.button(key="workshop_add_floodplainordinances").disabled

    at.button(key="workshop_toggle_visible").click().run()  # the facilitator reveals the results
    ranked = open_page("app_pages/find.py", goal="safer-streets", room=code)  # Vision Zero is made for it
    assert any("1 dot from the room" in m.value for m in ranked.markdown)


def _tally(at: AppTest) -> list[str]:
    """What a page shows of the room's tally: the chart and the totals line."""
    return [c.value for c in at.caption if c.value.startswith("Totals:")] + ["chart" for _ in at.get("vega_lite_chart")]


def test_workshop_results_are_hidden_until_revealed_and_the_choice_is_kept():
    """No bandwagon: a new vote's tally is hidden on the projected screen, on a copy of its
    address and on the phones; one click reveals it; the choice is stored with the vote, so a
    reload of the facilitator's page (or their link on another computer) keeps it."""
    at = open_page("app_pages/workshop.py", tools="floodplainordinances,stormwaterfees,visionzero")
    assert at.checkbox(key="workshop_show").value is False
    at.button(key="workshop_start").click().run()
    code = qp(at, "session")
    host = at.session_state[f"_workshop_host_{code}"]
    voter = open_page("app_pages/workshop.py", join=code)
    voter.button(key="workshop_join").click().run()
    voter.button(key="workshop_add_visionzero").click().run()
    at.run()
    assert any("1 participant · 1 dot spent" in m.value for m in at.markdown)  # the count, not the tally
    assert not _tally(at) and any("hidden until you reveal them" in i.value for i in at.info)
    assert not _tally(open_page("app_pages/workshop.py", session=code, host=host))  # a reload
    assert not _tally(open_page("app_pages/workshop.py", session=code))  # the projected address, copied
    assert not _tally(voter) and not any("Vision Zero: 1" in m.value for m in voter.markdown)

    assert at.button(key="workshop_toggle_visible").label == "Reveal results"
    at.button(key="workshop_toggle_visible").click().run()  # one click
    assert _tally(at) == ["Totals: Vision Zero: 1; Floodplain Ordinances: 0; Stormwater Fees: 0", "chart"]
    assert at.button(key="workshop_toggle_visible").label == "Hide results"
    reloaded = open_page("app_pages/workshop.py", session=code, host=host)
    assert len(_tally(reloaded)) == 2  # kept across a reload
    voter.run()
    assert not _tally(voter)  # the phone ballot never carries the tally

    reloaded.button(key="workshop_toggle_visible").click().run()  # hidden again, from the other computer
    at.run()
    assert not _tally(at) and at.button(key="workshop_toggle_visible").label == "Reveal results"

    shown = open_page("app_pages/workshop.py", tools="visionzero,completestreets")
    shown.checkbox(key="workshop_show").check().run()  # the facilitator chose live results
    shown.button(key="workshop_start").click().run()
    assert len(_tally(shown)) == 2


def test_projector_step_flow_carries_the_shortlist_and_its_vote():
    """The sidebar is folded on the projector: each step's bar (above and below) opens the
    shortlist and links to a vote on it; an empty shortlist says how to fill it."""
    at = open_page("app_pages/find.py", present="1", goal="walk-bike", step="results")
    assert [p.key for p in at.get("popover")] == ["find_shortlist_top", "find_shortlist_bottom"]
    assert at.get("popover")[0].proto.popover.label == "Shortlist (0)"
    assert any("Add tools from the results" in c.value for c in at.get("popover")[0].caption)
    add = next(b for b in at.button if b.key.startswith("find_short_"))
    slug = add.key.removeprefix("find_short_")
    add.click().run()
    top = at.get("popover")[0]
    title = escape_md(load_catalog(CONTENT).title(slug))
    assert top.proto.popover.label == "Shortlist (1)" and any(title in m.value for m in top.markdown)
    main_links = [p for p in at.main.get("page_link") if p.label == "Vote on the shortlist"]
    # beside each bar and inside each shortlist: a vote on it, one click from the steps
    assert len(main_links) == 4 and all(p.proto.query_string == f"tools={slug}" for p in main_links)
    desk = open_page("app_pages/find.py", goal="walk-bike", shortlist="visionzero")
    assert not desk.get("popover")  # at the desk the sidebar holds it


def test_workshop_unknown_code_is_a_clear_message():
    at = open_page("app_pages/workshop.py", join="NOPE42")
    assert any("No voting session has the code" in e.value for e in at.error)


def test_the_catalog_reloads_when_a_content_file_changes(content_copy, monkeypatch):
    import os
    import time

    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content_copy))
    at = open_page("app_pages/tool.py", slug="visionzero")
    assert at.title[0].value == "Vision Zero"
    path = content_copy / "tools" / "visionzero.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace('title: "Vision Zero"', 'title: "Vision Zero Now"'), encoding="utf-8"
    )
    later = time.time() + 5
    os.utime(path, (later, later))
    monkeypatch.setattr(content_files, "RECHECK_SECONDS", 0.2)  # the app looks again at most this often
    time.sleep(0.3)
    at.run()
    assert at.title[0].value == "Vision Zero Now"


def test_a_broken_page_shows_a_content_notice_and_the_rest_still_loads(content_copy, monkeypatch):
    (content_copy / "tools" / "zz-broken.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content_copy))
    at = open_page("app_pages/catalog.py")
    n = len(load_catalog(CONTENT).tools)  # the broken page is not one of them
    assert f"{n} of {n} tools" in texts(at)
    labels = [e.label for e in at.expander]
    assert any(lbl.startswith("Content problems: 1 error") for lbl in labels)
    assert "zz\\-broken\\.md" in texts(at) and "YAML error" in texts(at)


def _vote_session(**kwargs):
    from logic.votes import VoteStore

    store = VoteStore()
    return store, store.create_session(["floodplainordinances", "stormwaterfees", "visionzero"], **kwargs)


def test_workshop_made_up_identity_is_refused_with_a_join_button():
    store, s = _vote_session()
    forged = open_page("app_pages/workshop.py", join=s.code, me="made-up-by-hand")
    assert any("not given out by this vote" in e.value for e in forged.error)
    assert not [b for b in forged.button if b.key.startswith("workshop_add_")]
    assert store.stats(s.code) == (0, 0)  # opening the link made no participant
    forged.button(key="workshop_join").click().run()
    assert not forged.exception
    token = qp(forged, "me")
    assert token != "made-up-by-hand" and store.ballot(s.code, token).left == 3
    assert any("3 of 3 dots left" in m.value for m in forged.markdown)
    assert not [b for b in forged.button if b.key == "workshop_join"]
    assert store.stats(s.code) == (1, 0)


def test_workshop_participant_refresh_reads_only(tmp_path, monkeypatch):
    """A rerun works while another writer holds the database: it writes nothing."""
    import os
    import sqlite3

    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    blocker = sqlite3.connect(os.environ["TOOLBOX_DB"], isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        at = open_page("app_pages/workshop.py", join=s.code, me=token)
        assert any("3 of 3 dots left" in m.value for m in at.markdown)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_workshop_a_tap_that_cannot_be_stored_says_so(monkeypatch):
    import os
    import sqlite3

    from logic import vote_storage

    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    at = open_page("app_pages/workshop.py", join=s.code, me=token)
    monkeypatch.setattr(vote_storage, "BUSY_TIMEOUT_S", 0.1)
    blocker = sqlite3.connect(os.environ["TOOLBOX_DB"], isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        at.button(key="workshop_add_visionzero").click().run()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not at.exception
    assert any("Your dot was not counted, try again." in e.value for e in at.error)
    assert any("3 of 3 dots left" in m.value for m in at.markdown)
    at.button(key="workshop_add_visionzero").click().run()
    assert any("was counted" in m.value for m in at.success)
    assert any("2 of 3 dots left" in m.value for m in at.markdown)
    assert store.totals(s.code, s.host_token)["visionzero"] == 1


def test_workshop_hidden_results_stay_hidden_on_find_until_revealed():
    store, s = _vote_session()
    token = store.new_token(s.code)
    store.join(s.code, token)
    store.cast_vote(s.code, token, "floodplainordinances")
    store.set_results_visible(s.code, s.host_token, False)
    hidden = open_page("app_pages/find.py", goal="reduce-flood-risk", room=s.code)
    assert not any("from the room" in m.value for m in hidden.markdown)
    assert any("hidden until the facilitator reveals them" in w.value for w in hidden.warning)
    onlooker = open_page("app_pages/workshop.py", session=s.code)
    assert any("hidden" in i.value for i in onlooker.info) and not onlooker.get("arrow_vega_lite_chart")
    store.set_results_visible(s.code, s.host_token, True)
    shown = open_page("app_pages/find.py", goal="reduce-flood-risk", room=s.code)
    assert any("1 dot from the room" in m.value for m in shown.markdown)


@pytest.mark.parametrize("key", ["ñ", "ключ", "x" * 5000])
def test_workshop_non_ascii_host_key_is_just_not_the_host(key):
    store, s = _vote_session()
    at = open_page("app_pages/workshop.py", session=s.code, host=key)  # open_page asserts no exception
    assert not [b for b in at.button if b.key == "workshop_toggle_open"]
    at.run()  # the rest of the browser session works too
    assert not at.exception
    assert s.code in [m.value for m in at.markdown]  # the join code, on its own line


def test_workshop_join_code_guessing_is_limited():
    store, s = _vote_session()
    at = open_page("app_pages/workshop.py", join="WRONG0")
    for i in range(1, 10):
        at.text_input(key="workshop_code").input(f"WRONG{i}").run()
        assert any("No voting session has the code" in e.value for e in at.error)
    at.text_input(key="workshop_code").input(s.code).run()  # the 11th try, even a right one, waits
    assert not at.exception
    assert any("Too many wrong join codes from here" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "workshop_join"]
    other = open_page("app_pages/workshop.py", join=s.code)  # another browser still joins
    assert [b for b in other.button if b.key == "workshop_join"]


# ---- names from content are shown as text (issue 8, finding 8) ----
EVIL = (
    "[Click](https://evil.example/c) ![i](https://evil.example/i.png) <https://evil.example/a> https://evil.example/b"
)


def _live_targets(text: str) -> list[str]:
    """Foreign addresses that this text would turn into a link, image or HTML when
    rendered as Markdown (GFM: bare addresses become links too)."""
    from markdown_it import MarkdownIt

    found = []
    stack = list(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text))
    while stack:
        tok = stack.pop()
        stack.extend(tok.children or [])
        target = str(tok.attrGet("href") or tok.attrGet("src") or "")
        if "evil.example" in target or (tok.type.startswith("html") and "evil.example" in tok.content):
            found.append(f"{tok.type}: {target or tok.content}")
    found += [m for m in re.findall(r"(?:https?://|www\.)evil\.example\S*", text)]
    return found


def _strings(message) -> list[str]:
    """Every string in an element's protobuf (labels, bodies, help, options)."""
    out = []
    for _field, value in message.ListFields():
        repeated = (
            not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") and hasattr(value, "__len__")
        )
        values = [value[i] for i in range(len(value))] if repeated else [value]
        for v in values:
            if isinstance(v, str):
                out.append(v)
            elif hasattr(v, "ListFields"):
                out += _strings(v)
    return out


# Widgets that show their options and values as plain text, never as Markdown.
PLAIN_TEXT = {"multiselect", "selectbox", "text_input", "text_area", "code", "text"}


def _shown_strings(at: AppTest) -> list[str]:
    """Every string a page hands to an element that renders Markdown."""
    out = []
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") in PLAIN_TEXT:
            out.append(getattr(proto, "label", ""))
        elif proto is not None and hasattr(proto, "ListFields"):
            out += _strings(proto)
    return out


@pytest.fixture()
def hostile_content(content_copy, monkeypatch):
    """A content folder whose names carry Markdown links, images, autolinks and bare URLs."""
    tool = content_copy / "tools" / "visionzero.md"
    text = tool.read_text(encoding="utf-8")
    text = text.replace('title: "Vision Zero"', f'title: "Vision Zero {EVIL}"')
    text = text.replace('  - label: "Office of Safe Streets, DVRPC"', f'  - label: "Office of Safe Streets {EVIL}"')
    text = text.replace('note: "The zero-deaths goal', f'note: "{EVIL} The zero-deaths goal')
    tool.write_text(text, encoding="utf-8")
    goals = content_copy / "goals.yaml"
    text = goals.read_text(encoding="utf-8")
    text = text.replace("name: Make streets safer for everyone", f'name: "Make streets safer {EVIL}"')
    text = text.replace("group: Environment and climate", f'group: "Environment {EVIL}"')
    goals.write_text(text, encoding="utf-8")
    challenges = content_copy / "challenges.yaml"
    text = challenges.read_text(encoding="utf-8")
    text = text.replace("name: Leadership and political will", f'name: "Leadership {EVIL}"', 1)
    text = text.replace(
        "description: Elected officials are unsure", f'description: "{EVIL}" # Elected officials are unsure', 1
    )
    text = text.replace("    - Tie the tool to goals", f'    - "{EVIL}"\n    - Tie the tool to goals', 1)
    challenges.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content_copy))
    return content_copy


@pytest.mark.parametrize(
    "page,params",
    [
        ("app_pages/tool.py", {"slug": "visionzero"}),
        ("app_pages/challenges.py", {"challenge": "leadership"}),
        ("app_pages/find.py", {"goal": "safer-streets,reduce-flood-risk", "face": "leadership"}),
        ("app_pages/catalog.py", {"q": "vision"}),
        ("app_pages/compare.py", {"tools": "visionzero,completestreets"}),
        ("app_pages/workshop.py", {"tools": "visionzero,completestreets"}),
    ],
)
def test_titles_goal_and_challenge_names_from_content_are_shown_as_text(hostile_content, page, params):
    at = open_page(page, **params)
    shown = _shown_strings(at)
    assert any("evil" in s for s in shown), "the hostile names should be on the page"
    live = [(s, t) for s in shown for t in _live_targets(s)]
    assert not live, live


# ---- one page registry; page state that survives a trip through the menu ----


def test_compare_keeps_its_selection_after_a_trip_through_the_menu():
    at = open_page("app_pages/compare.py", tools="stormwaterfees,visionzero")
    at.multiselect(key="compare_tools").select("completestreets").run()
    menu_trip(at, "app_pages/catalog.py", "app_pages/compare.py")
    assert at.multiselect(key="compare_tools").value == ["stormwaterfees", "visionzero", "completestreets"]
    assert qp(at, "tools") == "stormwaterfees,visionzero,completestreets"  # and the address says so again
    assert "Complete Streets" in at.table[0].value.columns
    # a link (as "Compare with related tools" on a tool page) still wins over what the page remembers
    at.query_params.clear()
    at.query_params["tools"] = "officialmap,visionzero"
    at.switch_page("app_pages/tool.py").run()
    at.switch_page("app_pages/compare.py").run()
    assert at.multiselect(key="compare_tools").value == ["officialmap", "visionzero"]


def test_catalog_keeps_its_filters_after_a_trip_through_the_menu_and_a_link_wins():
    at = open_page("app_pages/catalog.py", focus="Environment")
    assert at.pills(key="catalog_focus").value == ["Environment"]  # entered from a link: the address
    at.pills(key="catalog_principle").select("Equity").run()
    at.text_input(key="catalog_q").input("stormwater").run()
    menu_trip(at, "app_pages/home.py", "app_pages/catalog.py")
    assert at.pills(key="catalog_focus").value == ["Environment"]
    assert (
        at.pills(key="catalog_principle").value == ["Equity"] and at.text_input(key="catalog_q").value == "stormwater"
    )
    assert qp(at, "focus") == "Environment" and qp(at, "q") == "stormwater"  # and the address says so again
    # a link with filters wins over what the page remembers
    at.query_params.clear()
    at.query_params["principle"] = "Resiliency"
    at.switch_page("app_pages/tool.py").run()
    at.switch_page("app_pages/catalog.py").run()
    assert at.pills(key="catalog_principle").value == ["Resiliency"] and not at.pills(key="catalog_focus").value
    assert not at.text_input(key="catalog_q").value


def test_the_tool_page_reopens_the_tool_last_read_from_the_menu():
    at = open_page("app_pages/tool.py", slug="visionzero")
    menu_trip(at, "app_pages/compare.py", "app_pages/tool.py")
    assert at.title[0].value == "Vision Zero" and qp(at, "slug") == "visionzero"


def test_challenges_from_the_menu_open_none_of_them():
    """/challenges remembers nothing: `challenge=` only opens one for the link that named it."""
    at = open_page("app_pages/challenges.py", challenge="upfront-funding")
    assert [e.label for e in at.expander if e.proto.expanded][0].startswith("Upfront funding")
    menu_trip(at, "app_pages/home.py", "app_pages/challenges.py")
    assert not [e for e in at.expander if e.proto.expanded]


def test_workshop_starts_from_the_find_shortlist_and_ranks_with_the_last_scenario():
    at = open_page("app_pages/find.py", goal="walk-bike", shortlist="visionzero,completestreets")
    menu_trip(at, "app_pages/workshop.py")
    assert at.multiselect(key="workshop_tools").value == ["visionzero", "completestreets"]
    at.button(key="workshop_start").click().run()
    code = qp(at, "session")
    rank = [p for p in at.get("page_link") if p.label == "See the results with the room's votes"]
    assert rank and rank[0].proto.page == "find"
    query = dict(pair.split("=") for pair in rank[0].proto.query_string.split("&"))
    assert query["goal"] == "walk-bike" and query["room"] == code
    assert query["shortlist"] == "visionzero%2Ccompletestreets"


LINK_SCENARIOS = [  # each page, with enough state to draw its links
    ("app_pages/home.py", {}),
    ("app_pages/find.py", {"goal": "walk-bike", "shortlist": "visionzero,completestreets"}),
    ("app_pages/catalog.py", {}),
    ("app_pages/tool.py", {"slug": "floodplainordinances"}),
    ("app_pages/tool.py", {"slug": "floodplain"}),
    ("app_pages/compare.py", {"tools": "visionzero,completestreets"}),
    ("app_pages/challenges.py", {}),
    ("app_pages/workshop.py", {"tools": "visionzero,completestreets"}),
]


def test_the_router_registers_every_registry_page_and_every_link_targets_one(monkeypatch):
    from ui.pages import PAGES

    registered: list[list] = []
    navigation = st.navigation

    def spy(pages, **kwargs):
        registered.append(list(pages))
        return navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    paths = {spec.url_path for spec in PAGES}
    linked: set[str] = set()
    for file, params in LINK_SCENARIOS:
        at = open_page(file, **params)
        routed = registered[-1]
        assert [p.url_path for p in routed] == [spec.url_path for spec in PAGES]
        assert [p.title for p in routed] == [spec.title for spec in PAGES]
        assert [str(p._page.relative_to(ROOT)) for p in routed] == [spec.file for spec in PAGES]
        built = list(at.session_state["_pages_built"].values())  # what page(key) hands out
        assert all(a is b for a, b in zip(built, routed, strict=True))
        hashes = {p._script_hash for p in routed}
        for link in at.get("page_link"):
            assert link.proto.page in paths and link.proto.page_script_hash in hashes, (file, link.label)
            linked.add(link.proto.page)
    assert linked >= {"find", "catalog", "tool", "compare", "challenges", "workshop"}


def test_the_menu_links_each_page_with_what_it_last_showed():
    """The sidebar menu opens a page with its state already in the address (one history entry,
    no rewrite that could land on the previous page's path); /workshop opens its start page."""
    from ui.pages import PAGES

    at = open_page("app_pages/find.py", goal="walk-bike:3", state="NJ")
    menu = {link.label: link.proto.query_string for link in at.sidebar.get("page_link")}
    assert list(menu) == [spec.title for spec in PAGES]
    assert "goal=walk-bike%3A3" in menu["Find tools"] and "state=NJ" in menu["Find tools"]
    assert menu["Catalog"] == menu["Compare"] == menu["Workshop vote"] == ""  # nothing shown there yet


@pytest.mark.parametrize("file", ["app_pages/compare.py", "app_pages/tool.py", "app_pages/home.py"])
def test_the_menu_is_there_on_a_page_with_nothing_to_show(file):
    """/compare and /tool opened bare show a start view; the menu (drawn by the router after the
    page) is there too. A page that called st.stop() ended the run before the menu was drawn."""
    at = open_page(file)
    assert not at.exception
    assert [link.label for link in at.sidebar.get("page_link")][:7] == [spec.title for spec in REGISTRY]


def test_no_page_stops_the_run():
    """st.stop() in a page would skip what the router draws after it (the menu)."""
    import ast

    for path in [*sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "stop":
                raise AssertionError(f"{path.name}:{node.lineno}: st.stop()")


def test_every_link_and_switch_in_the_source_names_a_registry_page():
    """No file path or title as a link target: `st.page_link(page("key"), ...)` only."""
    import ast

    from ui.pages import SPECS

    calls = 0
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("page_link", "switch_page"):
                continue
            calls += 1
            target = node.args[0] if node.args else None
            ok = (
                isinstance(target, ast.Call)
                and isinstance(target.func, ast.Name)
                and target.func.id == "page"
                and (
                    (isinstance(target.args[0], ast.Constant) and target.args[0].value in SPECS)
                    # the menu walks the registry: page(spec.key) for spec in PAGES
                    or (path.name == "page_state.py" and ast.unparse(target.args[0]) == "spec.key")
                )
            )
            assert ok, f"{path.name}:{node.lineno}: link target is not page('<registry key>')"
    assert calls >= 10


def test_a_facilitator_back_through_the_menu_gets_one_link_to_the_running_vote():
    at = open_page("app_pages/workshop.py", tools="visionzero,completestreets")
    at.button(key="workshop_start").click().run()
    code = qp(at, "session")
    menu_trip(at, "app_pages/find.py", "app_pages/workshop.py")
    assert at.button(key="workshop_start")  # the start page, for another vote
    back = [p for p in at.get("page_link") if p.label == f"Back to the vote {code}"]
    assert back and back[0].proto.query_string == f"session={code}"
    at.query_params["session"] = code  # following the link
    at.switch_page("app_pages/workshop.py").run()
    assert [b for b in at.button if b.key == "workshop_toggle_open"]  # still the facilitator


def test_a_participants_page_and_its_reruns_write_nothing(monkeypatch):
    from logic.vote_storage import SqliteStorage

    store, s = _vote_session(dots=3)
    token = store.new_token(s.code)
    store.join(s.code, token)
    store.cast_vote(s.code, token, "visionzero")
    writes: list[bool] = []
    transaction = SqliteStorage.transaction

    def spy(self, *, write):
        writes.append(write)
        return transaction(self, write=write)

    monkeypatch.setattr(SqliteStorage, "transaction", spy)
    at = open_page("app_pages/workshop.py", join=s.code, me=token)
    at.run()
    at.run()
    assert any("2 of 3 dots left" in m.value for m in at.markdown)
    assert writes and not any(writes)  # read, and only read
    at.button(key="workshop_add_stormwaterfees").click().run()
    assert writes.count(True) == 1  # a tap is one write


def test_find_after_a_trip_through_the_menu_still_answers_a_goal():
    """Coming back to /find through the menu restores its widgets; a goal chosen then ranks."""
    at = open_page("app_pages/find.py", goal="reduce-flood-risk")
    menu_trip(at, "app_pages/catalog.py", "app_pages/find.py")
    assert qp(at, "goal") == "reduce-flood-risk"  # the last scenario is back
    at.pills(key="find_goals_getting-around").select("walk-bike").run()
    assert not at.exception, [e.value for e in at.exception]
    assert qp(at, "goal") == "reduce-flood-risk,walk-bike"
    assert any(t.startswith(("1. ", "\\=1. ")) for t in card_titles(at))


def test_find_reads_what_the_town_wants_typed_in_the_rooms_words():
    """ "flooding, seniors, zoning, residents" typed in the Goals step picks the two goals it
    names (important, in the address, ranked), says so, and says what it could not read; the
    box empties, and a goal typed again is said to be picked already, its importance kept."""
    cat = load_catalog(CONTENT)
    at = open_page("app_pages/find.py", goal="walk-bike:3")
    at.text_input(key="find_wants").input("flooding, seniors, zoning, residents").run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(qp(at, "goal").split(",")) == {"walk-bike:3", "reduce-flood-risk", "all-ages"}
    picked = [s.value for s in at.success]
    assert picked == [f"Picked “{cat.goal_name('reduce-flood-risk')}”, “{cat.goal_name('all-ages')}”."], picked
    warned = [w.value.replace("\\", "") for w in at.warning]  # as shown: the typed words are escaped
    assert "“zoning” names no goal; pick the goal you mean from the list below." in warned
    assert any(w.startswith("“residents” could be") and cat.goal_name("engage-residents") in w for w in warned)
    assert at.text_input(key="find_wants").value == "" and "tools fit" in texts(at)
    at.text_input(key="find_wants").input("walking and biking").run()
    assert [i.value for i in at.info if "Already picked" in i.value] == [
        f"Already picked: “{cat.goal_name('walk-bike')}”."
    ]
    assert set(qp(at, "goal").split(",")) == {"walk-bike:3", "reduce-flood-risk", "all-ages"} and not at.success


def test_find_reads_the_town_in_a_sentence_raises_the_tool_it_points_to_and_keeps_it_in_the_address():
    """A rural township asking to manage traffic: Travel Demand Management leads. Described as a
    place where warehouses send trucks down farm roads, Truck Route Network Designation leads,
    its card quotes the words, the card below says the description decides, and the address
    keeps the sentence (a link opens the same list)."""
    at = open_page("app_pages/find.py", goal="manage-traffic:3", setting="rural")
    assert card_titles(at)[0].replace("\\", "") == "1. Travel Demand Management (TDM)"
    sentence = "Warehouses along the interstate send trucks down our farm roads"
    at.text_input(key="find_about").input(sentence).run()
    assert not at.exception, [e.value for e in at.exception]
    titles, cards = [t.replace("\\", "") for t in card_titles(at)], [c.replace("\\", "") for c in card_bodies(at)]
    assert titles[:2] == ["1. Truck Route Network Designation", "2. Travel Demand Management (TDM)"]
    assert "Your description of the town mentions “Warehouses” and “trucks”" in cards[0]
    assert "your description of the town mentions “Warehouses” and “trucks”" in cards[1]
    assert qp(at, "about") == sentence
    again = open_page("app_pages/find.py", goal="manage-traffic:3", setting="rural", about=sentence)
    assert [t.replace("\\", "") for t in card_titles(again)][:2] == titles[:2]
    assert again.text_input(key="find_about").value == sentence


def test_find_focus_areas_and_principles_open_when_asked_or_named_and_keep_their_values():
    at = open_page("app_pages/find.py")
    # closed and not drawn until opened
    assert "find_focus" not in [p.key for p in at.pills]
    at.session_state["find_tags"] = True  # the planner opens "Optional: focus areas and principles"
    at.run()
    at.pills(key="find_focus").select("Environment").run()
    at.pills(key="find_principle").select("Equity").run()
    assert qp(at, "focus") == "Environment" and qp(at, "principle") == "Equity"
    assert "tools fit" in texts(at)  # a focus area alone is enough to rank
    at.session_state["find_tags"] = False  # closed again: the choices stay in the scenario
    at.run()
    assert "find_focus" not in [p.key for p in at.pills]
    assert qp(at, "focus") == "Environment" and qp(at, "principle") == "Equity"

    # a link that names a focus area opens the section with it chosen; clearing it is fine
    at = open_page("app_pages/find.py", focus="Environment")
    assert at.pills(key="find_focus").value == ["Environment"]
    at.pills(key="find_focus").unselect("Environment").run()
    assert not at.exception and "focus" not in at.query_params


def test_find_card_flags_say_what_stands_in_the_way_and_the_ways_around_it():
    at = open_page("app_pages/find.py", goal="reduce-flood-risk", face="upfront-funding")
    challenge = load_catalog(CONTENT).challenges["upfront-funding"]
    flags = [e for e in at.expander if e.label.startswith(escape_md(challenge.name))]
    assert flags, [e.label for e in at.expander]
    text = "\n".join(m.value for m in flags[0].markdown)
    assert "**Ways around it**" in text
    for m in challenge.mitigations:
        assert f"- {escape_md(m)}" in text
    helpers = [p.label for p in flags[0].get("page_link")]
    assert helpers and all(label.startswith("Tool that helps") for label in helpers)


def test_find_asks_in_one_click_whether_the_tools_most_towns_have_are_in_place():
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3")
    assert any("Most towns already have these by mandate" in m.value for m in at.markdown)
    at.button(key="find_mandate_stormwatermanagement").click().run()
    assert not at.exception
    assert qp(at, "have") == "stormwatermanagement"
    assert at.button(key="find_mandate_stormwatermanagement").label == "We have Stormwater Management"
    cards = card_titles(at)
    assert not any(c.endswith(". Stormwater Management") for c in cards), "a tool in place is not recommended again"
    at.button(key="find_mandate_stormwatermanagement").click().run()
    assert "have" not in at.query_params


def test_find_cards_mark_a_goals_go_to_tools_and_say_for_which_goal():
    """Flooding first, walking second: Floodplain Ordinances, one of flooding's go-to tools, tops
    the list with the badge naming the goal (the reason is not said twice, as a bullet too); a
    card that is no go-to tool has no badge; with flooding alone the badge needs no goal name."""
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3,walk-bike:2")
    titles, cards = card_titles(at), [c.replace("\\", "") for c in card_bodies(at)]  # as shown
    assert titles[0] == "1. Floodplain Ordinances"
    assert "Planners' go-to for “Reduce flooding and stormwater damage”" in cards[0]
    assert "Planners reach for it first" not in cards[0]
    plain = titles.index("2. Stormwater Management")
    assert "go-to" not in cards[plain]
    alone = open_page("app_pages/find.py", goal="reduce-flood-risk:3")
    assert ":material/thumb_up: Planners' go-to]" in card_bodies(alone)[0].replace("\\", "")


def test_find_cards_state_fit_goal_by_goal_and_open_with_the_best_tool_for_each_top_goal():
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3,historic-character:3", setting="suburban")
    cards = card_bodies(at)
    assert "Best for “Reduce flooding and stormwater damage”" in cards[0] + cards[1]
    assert "Best for “Protect historic and community character”" in cards[0] + cards[1]
    assert any("Made for “Reduce flooding and stormwater damage”" in c for c in cards)


def test_tools_in_place_and_the_ballot_picker_offer_no_select_all():
    """Typing "Complete" then Enter chose "Select 2 matches": two tools marked in place silently."""
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3")
    assert at.multiselect(key="find_have").proto.select_all == 0
    ws = open_page("app_pages/workshop.py")
    assert ws.multiselect(key="workshop_tools").proto.select_all == 0


def test_compare_with_a_scenario_shows_each_tools_fit_strength_per_goal_and_flags():
    at = open_page(
        "app_pages/compare.py",
        tools="stormwatermanagement,visionzero",
        goal="reduce-flood-risk:3,walk-bike:2",
        budget="low",
    )
    assert not at.exception
    frame = at.table[0].value
    cells = " | ".join(str(v) for v in frame.to_numpy().ravel())
    assert list(frame.iloc[:4, 0]) == [
        "Fit for your scenario",
        "Goal\\: Reduce flooding and stormwater damage",
        "Goal\\: Make walking and biking easier",
        "What stands in the way",
    ]
    assert "made for it" in cells and "does not serve it" in cells and "Cost above your budget" in cells
    assert qp(at, "goal") == "reduce-flood-risk:3,walk-bike" and qp(at, "budget") == "low"
    plain = open_page("app_pages/compare.py", tools="stormwatermanagement,visionzero")
    assert plain.table[0].value.iloc[0, 0] == "Focus areas"


def test_compare_says_why_tools_at_the_same_score_hold_different_ranks():
    """Three traffic tools all at 75 but ranks 4, 1 and =2: the table gives each its card's reason."""
    at = open_page(
        "app_pages/compare.py",
        tools="accessmanagement,curbsidemanagement,parkingmanagement",
        goal="manage-traffic:3",
        state="NJ",
    )
    frame = at.table[0].value
    rows = {
        str(r.iloc[0]): [str(v).replace("\\", "") for v in r.iloc[1:4]] for _, r in frame.iterrows()
    }  # shown as text
    fits = rows["Fit for your scenario"]
    assert len({f.split("(")[0] for f in fits}) == 1 and len(set(fits)) == 3, fits  # one score, three ranks
    why = rows["Why not ranked higher"]
    assert why[1] == "First of all the tools that fit."
    assert "Ranked below" in why[0] and "medium staff effort rather than low" in why[0], why[0]
    assert "Ranked below Curbside Management" in why[2] and "fewer case studies: 2 against 4" in why[2], why[2]
    spread = open_page(
        "app_pages/compare.py", tools="stormwatermanagement,visionzero", goal="reduce-flood-risk:3", state="NJ"
    )
    assert "Why not ranked higher" not in set(spread.table[0].value.iloc[:, 0]), "no tie, no row"


def test_a_code_block_in_a_tool_body_shows_as_code_on_the_tool_page(tmp_path, monkeypatch):
    """The page's whole body path (filter, then headings under the page's own): a `#` line in
    a code block stays code, the body's own headings become h2."""
    import shutil

    content = tmp_path / "catalog"
    shutil.copytree(FIXTURE, content)
    page = content / "tools" / "bike-lanes.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "## When it fits", "```sh\n# count the riders first\ncounter --site main\n```\n\n## When it fits"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("TOOLBOX_CONTENT_DIR", str(content))
    at = open_page("app_pages/tool.py", slug="bike-lanes")
    body = next(m.value for m in at.markdown if "count the riders first" in m.value)
    lines = body.splitlines()
    assert "# count the riders first" in lines and "## count the riders first" not in lines
    assert "## When it fits" in lines and "## What it is" in lines


def test_a_registered_kind_of_constraint_shows_on_the_tool_page():
    """What a tool says about a kind of constraint comes from the registry: a made-up kind
    registered in one place shows in the tool page's "At a glance"."""
    from logic.constraints import REGISTRY
    from support import flood_zone_kind

    REGISTRY.register(flood_zone_kind())
    try:
        at = open_page("app_pages/tool.py", slug="inclusionaryzoning")
    finally:
        REGISTRY.unregister("floodzone")
    glance = next(m.value for m in at.markdown if "At a glance" in m.value)
    assert "- **Hard to permit in a floodplain:** yes" in glance
    assert "- **Cost:**" in glance and "- **State law, Pennsylvania:**" in glance


def test_a_shared_find_link_loads_no_image_chart_or_pdf_library():
    """The first run of a shared /find?goal=... link (its own process, as a fresh server):
    the page icon, the cards and the share section need no numpy, Pillow, pandas, Altair,
    fpdf or segno; they load when a chart, a QR code or a file is first made."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.query_params['goal'] = 'reduce-flood-risk:3,conserve-land:2'\n"
        "at.query_params['state'] = 'PA'\n"
        "at.switch_page('app_pages/find.py')\n"
        "at.run()\n"
        "assert not at.exception and len(at.subheader) > 0\n"
        "heavy = [m for m in ('numpy', 'PIL', 'pandas', 'altair', 'fpdf', 'segno', 'vl_convert') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr[-2000:]


def test_find_offers_a_way_around_two_challenges_and_its_card_says_why():
    """A borough short of staff whose flooding crosses its borders: Shared Services serves no
    flooding goal, yet its card is on the list, a weak fit, naming the two challenges it eases."""
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3", face="staff-skills,cross-boundary")
    assert not at.exception
    text = texts(at)
    assert "Shared Services" in text
    cat = load_catalog(CONTENT)
    eased = "; ".join(cat.challenge_name(c).lower() for c in ("cross-boundary", "staff-skills"))
    assert escape_md(f"Offered because it is a way around challenges you face: {eased}.") in text
    at = open_page("app_pages/find.py", goal="reduce-flood-risk:3", face="staff-skills")
    assert "Offered because it is a way around" not in texts(at)
