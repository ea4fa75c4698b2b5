"""The town in a sentence (`logic.about`): the cue words it finds, the points they give
among the tools that serve a goal, the card's words, the address, the command line,
the content's `cues` and the evaluation that reads each town's sentence."""

from __future__ import annotations

import json

import pytest

from logic import load_catalog
from logic.about import ABOUT_LABEL, MAX_ABOUT_CHARS, clean_about, cue_line, cues_in
from logic.content.tool_page import known_keys
from logic.profile import Profile
from logic.rules import recommend
from logic.scenario import Scenario
from logic.scoring import ABOUT_POINTS, IMPORTANCE_STEP_WEIGHT, assess
from support import CONTENT, ROOT

CAT = load_catalog(CONTENT)
TRUCKS = "A township where warehouses along the interstate send trucks down farm roads."
FREIGHT = Profile(goals={"manage-traffic": 3, "clean-air": 2}, setting="suburban")


def test_a_cue_is_found_at_the_start_of_a_word_whatever_its_case():
    about = "Warehouses and a CONTAMINATED rail yard, trails along the creek"
    assert cues_in(("warehouse", "contaminat", "rail yard"), about) == ("Warehouses", "CONTAMINATED", "rail yard")
    assert cues_in(("rail",), "trails and a railroad") == ("railroad",)  # not inside "trails"
    assert cues_in(("ware",), "software") == ()
    assert cues_in(("truck",), "") == ()


def test_a_space_and_a_hyphen_join_a_cues_words_alike():
    """A planner writes "buy-out" or "buy out", "big box" or "big-box": a cue finds both."""
    assert cues_in(("buy out",), "Council wants to buy-out repeat-flood homes") == ("buy-out",)
    assert cues_in(("buy out",), "FEMA buy outs left vacant lots") == ("buy outs",)
    assert cues_in(("big-box",), "a dead big box store on the pike") == ("big box",)
    assert cues_in(("mom-and-pop",), "mom and pop shops") == ("mom and pop",)
    assert cues_in(("buy out",), "buyout") == ()  # one word is not two: content lists "buyout" too
    land = CAT.tools["landacquisitionandconservationeasements"].cues
    assert cues_in(land, "we want to buy-out the lowest streets", CAT.index.cues) == ("buy-out",)


def test_the_words_found_are_listed_once_in_the_order_the_sentence_says_them():
    about = "Trucks idle by the warehouse; more trucks every year"
    assert cues_in(("warehouse", "truck", "trucks"), about) == ("Trucks", "warehouse")


def test_each_place_is_read_by_the_longest_cue_found_there():
    every = ("office park", "parks", "regional", "regional rail", "station", "train station")
    about = "Office parks and a regional rail line; new parks by the train station"
    assert cues_in(("parks",), about, every) == ("parks",)  # the second "parks", not "Office parks"
    assert cues_in(("parks",), "Office parks line the pike", every) == ()
    assert cues_in(("office park",), about, every) == ("Office parks",)
    assert cues_in(("regional",), about, every) == ()  # "regional rail" is read whole
    assert cues_in(("station", "train station"), about, every) == ("train station",)
    assert cues_in(("parks",), "Office parks", ()) == ("parks",)  # alone, a cue reads every place
    # within one word, too: the longer cue reads it ("immigrant-owned" is a business, not a resident)
    owned = ("immigrant", "immigrant-owned")
    assert cues_in(("immigrant",), "Immigrant-owned shops", owned) == ()
    assert cues_in(("immigrant",), "Immigrant-owned shops and immigrant families", owned) == ("immigrant",)


def test_a_word_the_catalog_lists_as_no_cue_is_not_read():
    """catalog.yaml's notCues: a town's name or a word that only starts with a cue raises
    nothing; the cue still reads its own word elsewhere in the sentence."""
    assert "lawnside" in CAT.not_cues and "lawnside" in CAT.index.cues
    every = CAT.index.cues
    native = CAT.tools["nativeplantordinances"].cues
    assert cues_in(native, "Lawnside, a borough on the White Horse Pike", every) == ()
    assert cues_in(native, "Lawnside, where every yard is lawn", every) == ("lawn",)
    assert cues_in(CAT.tools["parklanddedicationandfee-in-lieu"].cues, "Parkside, a Camden neighborhood", every) == ()
    trips = CAT.tools["tripreductionordinances"].cues
    assert cues_in(trips, "a pharmacy on every corner", every) == ()
    assert cues_in(trips, "a pharmaceutical campus", every)[0] == "pharmaceutical"
    profile = Profile(
        goals={"revitalize-centers": 3}, setting="suburban", about="Merchantville wants a busier Main Street"
    )
    assert assess(CAT.tools["downtownmanagement"], profile, CAT).said == ()


def test_office_parks_raise_the_retrofit_not_the_parkland_rule():
    """ "Office parks" is read as an office park: Suburban Retrofits' cue, not Parkland
    Dedication's "parks"; a sentence about new parks still raises Parkland Dedication."""
    profile = Profile(goals={"conserve-land": 3, "revitalize-centers": 3}, setting="suburban")
    offices = profile.replace(about="A township of aging office parks along the pike.")
    assert assess(CAT.tools["parklanddedicationandfee-in-lieu"], offices, CAT).said == ()
    assert assess(CAT.tools["suburbanretrofits"], offices, CAT).said == ("office parks",)
    parks = profile.replace(about="A township short of parks where new homes keep coming.")
    assert assess(CAT.tools["parklanddedicationandfee-in-lieu"], parks, CAT).said == ("parks",)


def test_a_description_is_kept_as_one_line_cut_at_a_word():
    assert clean_about("  a river\nborough\t\x00floods  ") == "a river borough floods"
    long = "flooding " * 100
    kept = clean_about(long)
    assert len(kept) <= MAX_ABOUT_CHARS and kept.endswith("flooding") and kept.startswith("flooding")
    assert clean_about(None) == ""


def test_a_tool_whose_cues_the_sentence_uses_gains_the_points_and_the_card_quotes_them():
    tool = CAT.tools["truckroutenetworkdesignation"]
    plain = assess(tool, FREIGHT, CAT)
    told = assess(tool, FREIGHT.replace(about=TRUCKS), CAT)
    weight = IMPORTANCE_STEP_WEIGHT[3 - FREIGHT.goals[told.lead_goal]]
    assert told.said == ("warehouses", "trucks")
    assert told.exact == pytest.approx(min(100.0, plain.exact + ABOUT_POINTS * weight))
    line = "Your description of the town mentions “warehouses” and “trucks”, where planners reach for it."
    assert line in told.reasons and line in told.notes
    assert not any("description" in r for r in plain.reasons)


def test_the_points_follow_the_lead_goals_weight():
    tool = CAT.tools["truckroutenetworkdesignation"]
    for goals in ({"manage-traffic": 3}, {"housing-choice": 3, "manage-traffic": 1}):
        p = Profile(goals=goals, about=TRUCKS)
        r = assess(tool, p, CAT)
        base = assess(tool, p.replace(about=""), CAT)
        assert r.said_points == pytest.approx(ABOUT_POINTS * IMPORTANCE_STEP_WEIGHT[3 - goals[r.lead_goal]])
        assert r.exact - base.exact == pytest.approx(r.said_points)


def test_a_description_raises_a_tool_in_the_order_and_the_card_below_says_why():
    before = [r.slug for r in recommend(CAT, Profile(goals={"manage-traffic": 3}, setting="rural"))]
    after = recommend(CAT, Profile(goals={"manage-traffic": 3}, setting="rural", about=TRUCKS))
    slugs = [r.slug for r in after]
    assert slugs.index("truckroutenetworkdesignation") < before.index("truckroutenetworkdesignation")
    i = slugs.index("truckroutenetworkdesignation")
    assert i == 0  # TDM led; the description puts truck routes first, and TDM's card says why
    below = after[1]
    assert below.exact >= after[0].exact - after[0].said_points
    assert "your description of the town mentions “warehouses” and “trucks”" in below.vs_above


def test_a_description_never_brings_in_a_tool_that_serves_no_goal_asked_for():
    profile = Profile(goals={"housing-choice": 3}, about=TRUCKS)
    r = assess(CAT.tools["truckroutenetworkdesignation"], profile, CAT)
    assert r.score == 0 and not r.said and not r.recommended
    assert "truckroutenetworkdesignation" not in [x.slug for x in recommend(CAT, profile)]


@pytest.mark.parametrize(
    "about",
    [
        TRUCKS,
        "A rowhouse neighborhood near the train station where rents are rising and longtime owners are leaving.",
        "A river borough whose Main Street floods; buyouts have left vacant lots.",
    ],
)
def test_a_short_list_is_the_head_of_the_whole_list_with_a_description(about):
    """The short list scores only the tools that can reach it: a description's points
    are part of what a tool can reach, so none is left out that would place."""
    profile = Profile(goals={"manage-traffic": 2, "housing-choice": 3, "reduce-flood-risk": 2}, about=about)
    whole = [(r.slug, r.position) for r in recommend(CAT, profile) if r.recommended]
    for top in (1, 3, 6):
        assert [(r.slug, r.position) for r in recommend(CAT, profile, top=top)] == whole[:top]


def test_the_address_keeps_the_sentence_commas_and_all_and_says_what_it_cuts():
    sentence = "A borough, on the river, with <b>trucks</b> & warehouses"
    s = Scenario.from_query({"goal": "manage-traffic", "about": sentence}, CAT)
    assert s.profile.about == sentence and s.notes == []  # kept as text, never read as markup
    assert s.to_query()["about"] == sentence
    assert Scenario.from_query(s.to_query(), CAT).profile == s.profile
    long = Scenario.from_query({"about": "word " * 200}, CAT)
    assert len(long.profile.about) <= MAX_ABOUT_CHARS
    assert any(f"at most {MAX_ABOUT_CHARS}" in n and "about=" in n for n in long.notes)
    two = Scenario.from_query({"about": ["trucks", "farms"]}, CAT)
    assert two.profile.about == "trucks" and any("Several values for about" in n for n in two.notes)


def test_the_command_line_reads_about_and_the_card_says_it(logic_cli):
    done = logic_cli(
        "recommend", "--goal", "manage-traffic:3,clean-air:2", "--setting", "suburban", "--about", TRUCKS, "--json"
    )
    assert done.returncode == 0
    cards = json.loads(done.stdout)
    cards = cards["recommendations"] if isinstance(cards, dict) else cards
    truck = next(c for c in cards if c["slug"] == "truckroutenetworkdesignation")
    assert truck["descriptionMentions"] == ["warehouses", "trucks"]
    assert any("mentions “warehouses”" in r for r in truck["reasons"])


def test_evaluation_reads_each_towns_sentence_unless_asked_for_the_profile_alone(logic_cli):
    told = logic_cli("evaluate", str(ROOT / "eval" / "scenarios.yaml"), "--json")
    alone = logic_cli("evaluate", str(ROOT / "eval" / "scenarios.yaml"), "--json", "--profile-only")
    assert told.returncode == alone.returncode == 0
    a, b = json.loads(told.stdout), json.loads(alone.stdout)
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert [r["top"] for r in a] != [r["top"] for r in b]  # the sentences move some lists


def test_every_tool_has_its_cues_and_the_content_readme_documents_the_key():
    assert "cues" in known_keys()
    few = [s for s, t in CAT.tools.items() if not 3 <= len(t.cues) <= 10]
    assert few == [], f"tools with fewer than 3 or more than 10 cues: {few}"


def test_validate_names_a_cue_it_cannot_use_and_keeps_the_others(content_copy):
    page = content_copy / "tools" / "truckroutenetworkdesignation.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("\ncues:")
    end = text.index("\n", start + 1)
    page.write_text(
        text[:start]
        + '\ncues: ["truck", "Trucks!", "one two three four", "warehouse", "truck-stop", "truck stop"]'
        + text[end:],
        encoding="utf-8",
    )
    catalog = load_catalog(content_copy)
    assert catalog.tools["truckroutenetworkdesignation"].cues == ("truck", "warehouse", "truck-stop")
    lines = [p.line() for p in catalog.problems if p.file.endswith("truckroutenetworkdesignation.md")]
    assert any("cues[1]" in x and "'Trucks!'" in x and "lower-case" in x for x in lines), lines
    assert any("cues[2]" in x and "more than 3 words" in x for x in lines), lines
    assert any("cues[5]" in x and "'truck stop' reads as 'truck-stop'" in x for x in lines), lines
    assert len(catalog.tools) == len(CAT.tools)


def test_a_tool_keeps_its_first_ten_cues_and_the_catalog_every_not_cue(content_copy):
    page = content_copy / "tools" / "truckroutenetworkdesignation.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("\ncues:")
    end = text.index("\n", start + 1)
    many = [f"cue{i}" for i in range(12)]
    page.write_text(text[:start] + f"\ncues: {many}" + text[end:], encoding="utf-8")
    words = [f"truckstop{i}" for i in range(12)]
    (content_copy / "catalog.yaml").write_text(f'version: "1"\ndate: 2026-01-02\nnotCues: {words}\n', encoding="utf-8")
    catalog = load_catalog(content_copy)
    assert catalog.tools["truckroutenetworkdesignation"].cues == tuple(many[:10])
    lines = [p.line() for p in catalog.problems if p.file.endswith("truckroutenetworkdesignation.md")]
    assert any("cues[10]" in x and "more than 10 cues" in x and "'cue10'" in x for x in lines), lines
    assert catalog.not_cues == tuple(words)  # no limit: a not-cue costs no tool anything


@pytest.mark.parametrize(
    "fmt,shown,markup",
    [
        (
            "md",
            r"The town in a sentence: A \*bold\* \[link\](http:⁠//x.y) \<b\>warehouse\</b\> town with trucks",
            "[link]",
        ),
        ("html", "The town in a sentence</dt><dd>A *bold* [link](http://x.y) &lt;b&gt;warehouse&lt;/b&gt; town", "<b>"),
    ],
)
def test_a_brief_and_a_handout_give_the_sentence_as_text(logic_cli, tmp_path, fmt, shown, markup):
    out = tmp_path / f"brief.{fmt}"
    sentence = "A *bold* [link](http://x.y) <b>warehouse</b> town with trucks"
    done = logic_cli("brief", "--goal", "manage-traffic:3", "--about", sentence, "--format", fmt, "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert shown in text and markup not in text


def test_a_scenario_file_keeps_the_sentence():
    from logic.scenario_file import SCHEMA, SCHEMA_VERSION, read_scenario_file

    body = {"goal": "manage-traffic:3", "setting": "rural", "about": TRUCKS}
    doc = {"schema": SCHEMA, "version": SCHEMA_VERSION, "scenario": body}
    loaded = read_scenario_file(json.dumps(doc).encode(), CAT)
    assert loaded.scenario is not None, loaded.message
    assert loaded.scenario.profile.about == TRUCKS
    assert loaded.scenario.to_query()["about"] == TRUCKS


def test_a_tool_page_line_names_every_cue_or_nothing():
    assert cue_line(()) == ""
    assert cue_line(("truck",)).endswith(
        "with a word that starts with “truck” raises it among the tools for the town's goals."
    )
    line = cue_line(("truck", "warehouse", "freight"))
    assert "“truck”, “warehouse” or “freight”" in line and ABOUT_LABEL in line


def test_a_trailer_park_is_housing_not_a_trail():
    """ "Trailer park" is read as housing (Housing Maintenance's cue), not as a trail for the
    Official Map or the walking programs; a sentence about a trail still raises them."""
    profile = Profile(goals={"housing-choice": 3, "walk-bike": 3}, setting="rural")
    homes = profile.replace(about="A township whose two trailer parks need repairs before winter.")
    assert assess(CAT.tools["housingmaintenanceandrehabilitationprograms"], homes, CAT).said == ("trailer parks",)
    for slug in ("officialmap", "walkingandbikingencouragementprograms"):
        assert assess(CAT.tools[slug], homes, CAT).said == ()
    trail = profile.replace(about="A township that wants its rail trail to reach the school.")
    assert assess(CAT.tools["walkingandbikingencouragementprograms"], trail, CAT).said == ("trail",)


def test_combined_sewers_are_read_as_a_stormwater_fee_story():
    """A city neighbourhood whose combined sewers overflow (holdout12's Northern Liberties: both
    planners grade Stormwater Fees 3) names the fee's purpose; the sentence now raises it."""
    profile = Profile(goals={"protect-water": 3}, setting="urban")
    town = profile.replace(about="Rowhouse blocks above combined sewers that overflow into the river.")
    assert assess(CAT.tools["stormwaterfees"], town, CAT).said == ("combined sewers",)
    assert (
        assess(CAT.tools["stormwaterfees"], town, CAT).score > assess(CAT.tools["stormwaterfees"], profile, CAT).score
    )
