"""The catalog keeps the toolbox's facts; filters behave as the toolbox site does."""

from __future__ import annotations

import itertools
import re

import pytest

from logic.abbreviations import ABBREVIATIONS, ALSO_SEARCHED
from logic.browse import (
    MAX_WANTS_CHARS,
    close_slugs,
    filter_tools,
    goal_offer,
    matches_tags,
    matches_text,
    named_value,
    read_wants,
    respelled,
    tag_named,
    tag_offer,
    unused_words,
    values_named,
)
from logic.model import Tool
from logic.taxonomy import FOCUS_AREAS, PRINCIPLES
from logic.text import plain

TAGS = [("focus", f) for f in FOCUS_AREAS] + [("principle", p) for p in PRINCIPLES]


def test_titles_slugs_and_tags_are_the_toolboxs(catalog, facts):
    assert {t["slug"] for t in facts["tools"]} == set(catalog.tools)
    for ref in facts["tools"]:
        tool = catalog.tools[ref["slug"]]
        assert tool.title == ref["title"]
        assert list(tool.focus_areas) == ref["focusAreas"]
        assert list(tool.principles) == ref["principles"]


def test_every_link_is_carried_over(catalog, facts):
    for ref in facts["tools"]:
        tool = catalog.tools[ref["slug"]]
        for key, attr in (
            ("resources", "resources"),
            ("whoHasUsedThisTool", "who_has_used"),
            ("guidelines", "guidelines"),
        ):
            assert [x["link"].strip() for x in ref[key]] == [x.link for x in getattr(tool, attr)], (ref["slug"], key)


def test_indicators_are_carried_over_with_the_typo_fixed(catalog, facts):
    assert catalog.indicators == facts["trackingProgressIndicators"]
    for ref in facts["tools"]:
        wanted = [("Transportation Safety" if x == "Tranportation Safety" else x) for x in ref["trackingProgressLinks"]]
        assert list(catalog.tools[ref["slug"]].indicators) == list(dict.fromkeys(wanted))


def test_related_tools_match_the_toolbox_except_self_references(catalog, facts):
    by_title = {t["title"].lower(): t["slug"] for t in facts["tools"]}
    for ref in facts["tools"]:
        wanted = [by_title[s.lower()] for s in ref["seeOther"] if by_title[s.lower()] != ref["slug"]]
        assert list(catalog.tools[ref["slug"]].related) == list(dict.fromkeys(wanted))


def _facts_filter(facts, focus=(), principles=()):
    return sorted(
        t["slug"]
        for t in facts["tools"]
        if all(f in t["focusAreas"] for f in focus) and all(p in t["principles"] for p in principles)
    )


@pytest.mark.parametrize("kind,tag", TAGS)
def test_single_tag_filter_matches_the_toolbox(catalog, facts, kind, tag):
    focus, principles = ([tag], []) if kind == "focus" else ([], [tag])
    got = sorted(t.slug for t in filter_tools(catalog, focus, principles))
    assert got == _facts_filter(facts, focus, principles)
    assert got, f"some tool carries {tag}"


@pytest.mark.parametrize("focus,principle", list(itertools.product(FOCUS_AREAS, PRINCIPLES)))
def test_focus_and_principle_pairs_need_both(catalog, facts, focus, principle):
    got = sorted(t.slug for t in filter_tools(catalog, [focus], [principle]))
    assert got == _facts_filter(facts, [focus], [principle])


def test_any_mode_is_the_union(catalog):
    env = {t.slug for t in filter_tools(catalog, ["Environment"])}
    eq = {t.slug for t in filter_tools(catalog, [], ["Equity"])}
    both = {t.slug for t in filter_tools(catalog, ["Environment"], ["Equity"])}
    anyof = {t.slug for t in filter_tools(catalog, ["Environment"], ["Equity"], mode="any")}
    assert anyof == env | eq and both == env & eq and len(anyof) > len(both)


def test_no_filter_lists_every_tool_by_title(catalog):
    tools = filter_tools(catalog)
    assert len(tools) == len(catalog.tools)
    assert [t.title.lower() for t in tools] == sorted(t.title.lower() for t in tools)


def test_search_is_case_insensitive_over_title_and_body(catalog):
    hits = {t.slug for t in filter_tools(catalog, search="STORMWATER")}
    assert {"stormwaterfees", "stormwatermanagement"} <= hits
    body_only = [
        t for t in catalog.tools.values() if "floodplain" in t.body.lower() and "floodplain" not in t.title.lower()
    ]
    assert body_only and {t.slug for t in body_only} <= {t.slug for t in filter_tools(catalog, search="floodplain")}
    assert filter_tools(catalog, search="zzzz-nothing") == []


def _saying(catalog, pattern: str) -> set[str]:
    """The tools whose title or body says this (a regular expression, any case)."""
    found = re.compile(pattern, re.I)
    return {t.slug for t in catalog.tools.values() if found.search(f"{t.title}\n{plain(t.body)}")}


def _search(catalog, text: str) -> set[str]:
    return {t.slug for t in filter_tools(catalog, search=text)}


def test_search_adu_finds_accessory_dwelling_units_and_not_cooling_centers(catalog):
    # the walk-through: "ADU" returned Cooling Centers and Community Shuttle Programs ("grADUate", "ADUlt")
    about_adus = _saying(catalog, r"accessory[\s-]+dwelling|\bADUs?\b")
    assert about_adus
    for query in ("ADU", "adu", "ADUs", "accessory dwelling units"):
        assert _search(catalog, query) == about_adus, query
    assert "coolingcenters" not in _search(catalog, "ADU")
    assert "communityshuttleprograms" not in _search(catalog, "ADU")


def test_search_accessory_dwelling_finds_every_page_that_says_it(catalog):
    says = _saying(catalog, r"accessory[\s-]+dwelling")
    assert says and _search(catalog, "accessory dwelling") == says
    assert _search(catalog, "Accessory-Dwelling") == says


def test_search_mixed_use_is_mixed_hyphen_use(catalog):
    says = _saying(catalog, r"mixed[\s-]+use")
    assert says <= _search(catalog, "mixed use")
    assert _search(catalog, "mixed use") == _search(catalog, "mixed-use") == _search(catalog, "Mixed  Use.")
    assert "inclusionaryzoning" not in _search(catalog, "mixed use")  # "mixed-income" is not mixed use


def test_search_matches_words_and_prefixes_not_substrings(catalog):
    assert {"agriculturalzoning", "inclusionaryzoning", "performancezoning"} <= _search(catalog, "zon")
    tool = Tool("x", "Graduated fees", body="Adult classes; a new zone every year. The town's code.")
    assert not matches_text(tool, "ADU")  # an abbreviation is a whole word, never a prefix
    assert not matches_text(tool, "one")  # zone: only prefixes count
    assert not matches_text(tool, "ev")  # every: two letters are never a prefix
    assert matches_text(tool, "GRAD") and matches_text(tool, "zones") and matches_text(tool, "towns code")
    assert matches_text(tool, "") and matches_text(tool, "  -- ")
    assert not matches_text(tool, "graduated zzz")  # every word must match


@pytest.mark.parametrize("abbr,expansion", sorted(ABBREVIATIONS.items()))
def test_abbreviations_match_both_ways(abbr, expansion):
    short = Tool("x", "X", body=f"Several {abbr}s were approved last year.")
    long = Tool("y", "Y", body=f"The {expansion.title()} rules changed.")
    assert matches_text(short, abbr) and matches_text(short, abbr.lower()) and matches_text(short, expansion)
    assert matches_text(long, abbr) and matches_text(long, abbr.lower() + "s") and matches_text(long, expansion)
    assert not matches_text(Tool("z", "Z", body="Nothing here."), abbr)


def test_abbreviations_are_told_from_ordinary_words():
    tool = Tool("x", "X", body="Keep pace with the bid; the lid stays on.")
    assert not matches_text(tool, "property assessed clean energy")  # "pace" is not PACE
    assert not matches_text(tool, "business improvement district")
    assert matches_text(tool, "pace") and matches_text(tool, "bid")  # the words themselves still match
    assert matches_text(Tool("y", "Y", body="A C-PACE loan."), "property assessed clean energy")
    assert len({a.casefold() for a in ABBREVIATIONS}) == len(ABBREVIATIONS)
    assert all(e == e.lower() for e in ABBREVIATIONS.values())


def test_unknown_mode_is_rejected(catalog):
    with pytest.raises(ValueError, match="valid: all, any"):
        matches_tags(next(iter(catalog.tools.values())), ["Economy"], mode="some")


def test_close_slugs_suggest_the_right_tool(catalog):
    assert "floodplainordinances" in close_slugs(catalog, "floodplain")
    assert "visionzero" in close_slugs(catalog, "vision-zero")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("stromwater fees", "stormwater fees"),  # two letters swapped
        ("soler", "solar"),  # as close as solve and older: solar shares more letters in order
        ("bke lanes", "bike lanes"),  # a letter dropped: bike, not the shorter 'be'
        ("Historc  district", "historic district"),
        ("greenhuose", "greenhouse"),
        ("bycicle lanes", "bicycle lanes"),  # a word the search is taught (bicycle: bike), respelled too
        ("STROMWATER fees", "stormwater fees"),  # caps lock: a long word in capitals is no acronym
    ],
)
def test_a_search_with_a_typing_slip_is_offered_the_pages_spelling(catalog, typed, meant):
    assert not filter_tools(catalog, search=typed)
    assert respelled(catalog, search=typed) == meant
    assert filter_tools(catalog, search=meant)


def test_respelling_is_offered_only_where_it_finds_something(catalog):
    assert respelled(catalog, search="stormwater") is None  # it finds tools as typed
    assert respelled(catalog, search="") is None
    assert respelled(catalog, search="xqzw") is None  # no page word is near
    assert respelled(catalog, search="zoning cycling") is None  # each word is on a page, never together
    # under tags that leave no stormwater tool, the respelled search would find nothing either
    assert filter_tools(catalog, ["Transportation"], search="stormwater fees") == []
    assert respelled(catalog, ["Transportation"], search="stromwater fees") is None


@pytest.mark.parametrize("typed", ["C-PACE", "PACE", "cpace", "parklet"])
def test_a_word_that_is_no_slip_is_not_respelled_into_an_unrelated_one(catalog, typed):
    """The planner walk-through: "C-PACE" was offered "co place", "parklet" "market". An
    acronym, a one- or two-letter word and a change of first letter are not typing slips."""
    assert not filter_tools(catalog, search=typed)
    assert respelled(catalog, search=typed) is None


def test_a_word_the_pages_do_not_use_finds_the_words_searched_with_it(catalog):
    # the pages say "bike", "senior", "vacant"; a planner types "bicycle", "elderly", "blight"
    assert not _saying(catalog, r"\bbicycl") and not _saying(catalog, r"\belderly\b")
    bike = _saying(catalog, r"\bbik(e|es|ing)\b")
    assert bike and _search(catalog, "bicycle") == bike == _search(catalog, "cyclists")
    assert _search(catalog, "elderly") == _saying(catalog, r"\bseniors?\b")
    assert _search(catalog, "blight") == _saying(catalog, r"\bvacant\b|\babandoned\b")
    # an alternative matches as a word in any form, never as a prefix: "car" is not carbon or care
    by_car = _search(catalog, "automobile")
    assert by_car == _saying(catalog, r"\bcars?\b|\bvehicles?\b")
    assert _saying(catalog, r"\bcar(bon|e)\b") - by_car


def test_a_search_word_no_page_uses_is_searched_by_its_stem_and_a_word_they_use_as_typed(catalog):
    # "densities" is on no page; "density" is (Snowball: both "densiti")
    assert unused_words(catalog, "densities") == {"densities"}
    assert _search(catalog, "densities") == _saying(catalog, r"\bdensit(y|ies)\b") != set()
    assert _search(catalog, "redeveloping") == _saying(catalog, r"\bredevelop\w*") != set()
    # "parking" is on pages, so it is searched as typed: pages that only say "parks" stay out
    assert unused_words(catalog, "parking lots") == set()
    assert _search(catalog, "parking") == _saying(catalog, r"\bparking")
    assert _saying(catalog, r"\bparks?\b") - _search(catalog, "parking")
    tool = Tool("x", "X", body="A walkable centre.")
    assert not matches_text(tool, "walkability") and matches_text(tool, "walkability", frozenset({"walkability"}))


@pytest.mark.parametrize("word", sorted(ALSO_SEARCHED))
def test_every_word_searched_with_another_is_on_a_page(catalog, word):
    others = ALSO_SEARCHED[word]
    assert word == word.lower() and " " not in word and all(o == o.lower() and " " not in o for o in others)
    assert _search(catalog, word), f"{word!r} finds nothing: its words {others} are on no page"


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("resilience", ("principle", "Resiliency")),  # the same stem
        ("Transport", ("focus", "Transportation")),
        ("environmental", ("focus", "Environment")),  # nearly the same letters
        ("economic", ("focus", "Economy")),
        ("sustainable", ("principle", "Sustainability")),
        ("regional planning", ("focus", "Regional Planning")),
        ("equitable", None),  # a word of its own
        ("region", None),
        ("stormwater", None),
        ("", None),
    ],
)
def test_a_search_that_names_a_tag_in_another_form_is_read_as_it(typed, tag):
    assert tag_named(typed) == tag


def test_a_search_naming_a_goal_offers_its_tools_ranked(catalog):
    """ "extreme heat" is on no page but names one goal: the offer counts the tools that serve
    it; a word of no goal's name, a small word, or words of several names offer nothing."""
    assert not filter_tools(catalog, search="extreme heat"), "why it is offered"
    offer = goal_offer(catalog, "extreme heat")
    serving = [t for t in catalog.tools.values() if t.strength("cool-communities")]
    assert offer and (offer.goal, offer.name, offer.tools) == (
        "cool-communities",
        catalog.goal_name("cool-communities"),
        len(serving),
    )
    assert goal_offer(catalog, "Flooding").goal == "reduce-flood-risk", "any case, any form"
    assert goal_offer(catalog, "the flooding").goal == "reduce-flood-risk", "small words do not count"
    for nothing in ("trucks", "the", "and", "residents", ""):
        assert goal_offer(catalog, nothing) is None, nothing


def test_a_search_in_the_words_a_room_uses_names_the_goal_that_lists_them(catalog):
    """ "seniors" is in no goal's name: goals.yaml lists it among the words all-ages is also
    called, so the catalog offers that goal's ranking."""
    also = {g: goal.also_called for g, goal in catalog.goals.items()}
    said = next(g for g, words in also.items() if "seniors" in words)
    assert goal_offer(catalog, "Seniors").goal == said
    assert goal_offer(catalog, "senior").goal == said, "singular or plural"


def test_what_a_room_says_it_wants_is_read_as_goals(catalog):
    """Each phrase is the goal it names, once, in the order said; "and" joins two when each
    part names one ("walking and biking" is one goal, "flooding and seniors" two); a phrase
    naming none or several is kept to say, and a long text is read up to the limit, said."""
    read = read_wants(catalog, "Flooding, walking and biking; flooding\nseniors & downtown, zoning, residents")
    assert read.goals == ("reduce-flood-risk", "walk-bike", "all-ages", "revitalize-centers")
    assert read.unread == ("zoning",) and [p for p, _ in read.several] == ["residents"]
    assert set(read.several[0][1]) == {"cool-communities", "all-ages", "engage-residents"}
    misses = read.misses(catalog)
    assert misses[0] == "“zoning” names no goal; pick the goal you mean from the list below."
    assert misses[1].startswith("“residents” could be “") and " or “" in misses[1] and not read.cut
    assert read_wants(catalog, "flooding and zoning").unread == ("flooding and zoning",), "every part or none"
    assert read_wants(catalog, " , ;") == read_wants(catalog, "") and not read_wants(catalog, "").goals
    long = read_wants(catalog, "seniors, " + "x" * MAX_WANTS_CHARS + ", flooding")
    assert long.cut and long.goals == ("all-ages",) and long.misses(catalog)[-1].startswith("Only the first")


@pytest.mark.parametrize(
    ("said", "goal"),
    [
        ("more affordable homes", "housing-choice"),  # "affordable": a word of the goal's name
        ("safer roads", "safer-streets"),
        ("flooded basements", "reduce-flood-risk"),
        ("better bus service", "transit-access"),  # "bus service" is held; "better" and "service" are not read alone
        ("too much truck traffic", "manage-traffic"),
        ("empty storefronts", "revitalize-centers"),
        ("solar farms", "cut-emissions"),  # "solar" is held; "farms" alone is not read
    ],
)
def test_a_phrase_in_a_rooms_words_is_read_by_what_it_holds(catalog, said, goal):
    """The walk-through typed everyday phrases and got "names no goal": a phrase of one part
    names the goal a phrase it holds is also called, or failing that the one its words name."""
    read = read_wants(catalog, said)
    assert read.goals == (goal,) and not read.unread and not read.several


def test_a_phrase_whose_words_name_two_goals_is_offered_not_guessed(catalog):
    read = read_wants(catalog, "housing near transit")
    assert read.goals == () and read.several == (("housing near transit", ("housing-choice", "transit-access")),)
    assert read_wants(catalog, "fix potholes").unread == ("fix potholes",)


def test_a_goals_other_words_count_whole_and_before_a_name_with_the_same_stem():
    """A phrase counts when the words typed are its words, singular or plural, and it comes
    before a name that shares a stem ("parks" is not "parking"); part of a phrase names
    nothing, and a phrase two values list names neither."""
    names = {"traffic": "Manage traffic and parking", "land": "Preserve open space", "ages": "Serve all ages"}
    also = {"land": ("parks", "green space"), "ages": ("older adults", "kids")}
    assert values_named("parks", names, also) == ["land"]
    assert values_named("park", names, also) == ["land"], "singular or plural"
    assert values_named("parking", names, also) == ["traffic"], "a name's own word"
    assert values_named("Older Adults", names, also) == ["ages"]
    assert values_named("the kids", names, also) == ["ages"], "small words do not count"
    assert values_named("older", names, also) == [] and values_named("space green", names, also) == ["land"]
    assert named_value("kids", names, {**also, "traffic": ("kids",)}) is None, "two values list it"


def test_a_search_naming_a_tag_offers_the_tag_unless_it_is_chosen(catalog):
    offer = tag_offer(catalog, search="resilience")
    carry = [t for t in catalog.tools.values() if "Resiliency" in t.principles]
    assert offer and (offer.kind, offer.tag, offer.tools) == ("principle", "Resiliency", len(carry))
    assert len(filter_tools(catalog, search="resilience")) < len(carry)  # why it is offered
    assert tag_offer(catalog, principles=["Resiliency"], search="resilience") is None
    assert tag_offer(catalog, focus=["Resiliency"], search="resilience") is not None  # a principle, not an area
    assert tag_offer(catalog, search="stormwater") is None


def test_a_search_lists_the_tools_named_by_it_first(catalog):
    """The planner walk-through: a search for "parking" listed Access Management first (by
    title) and Parking Management further down. Tools whose title holds the search come
    first, each group by title."""
    found = filter_tools(catalog, search="parking")
    assert found[0].title == "Parking Management" and len(found) > 1
    zoning = [t.title for t in filter_tools(catalog, search="zoning")]
    named = [t for t in zoning if "Zoning" in t]
    assert zoning[: len(named)] == sorted(named) and len(named) < len(zoning)
    assert zoning[len(named) :] == sorted(zoning[len(named) :])
    assert filter_tools(catalog) == list(catalog.tools.values())  # no search: the catalog order
