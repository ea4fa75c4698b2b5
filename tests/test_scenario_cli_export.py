"""Addresses, the command line and exports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logic import load_catalog
from logic.browse import filter_tools, named_value
from logic.export import compare_rows, handout_markdown, profile_lines, results_csv
from logic.package import balanced_package
from logic.profile import Profile
from logic.rules import recommend
from logic.scenario import parse_catalog_query, parse_scenario, pick_tools, scenario_params, take_guess
from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, PRINCIPLES, SETTINGS, STATES
from support import CONTENT, FIXTURE, ROOT

# ---- addresses ----


@settings(max_examples=60, deadline=None)
@given(
    goals=st.dictionaries(
        st.sampled_from(["reduce-flood-risk", "walk-bike", "housing-choice", "smart-services"]), st.integers(1, 3)
    ),
    focus=st.frozensets(st.sampled_from(FOCUS_AREAS)),
    principles=st.frozensets(st.sampled_from(PRINCIPLES)),
    faces=st.frozensets(st.sampled_from(["upfront-funding", "leadership", "enforcement"])),
    state=st.one_of(st.none(), st.sampled_from(STATES)),
    setting=st.one_of(st.none(), st.sampled_from(SETTINGS)),
    budget=st.one_of(st.none(), st.sampled_from(LEVELS)),
    horizon=st.one_of(st.none(), st.sampled_from(HORIZONS)),
)
def test_a_scenario_survives_the_round_trip_through_the_address(
    catalog, goals, focus, principles, faces, state, setting, budget, horizon
):
    profile = Profile(
        goals=goals,
        focus=focus,
        principles=principles,
        faces=faces,
        state=state,
        setting=setting,
        budget=budget,
        horizon=horizon,
    )
    params = scenario_params(profile, ["visionzero", "completestreets"])
    back = parse_scenario(params, catalog)
    assert back.notes == []
    assert back.profile == profile
    assert back.shortlist == ["visionzero", "completestreets"]


def test_unknown_values_in_the_address_are_ignored_with_a_note(catalog):
    s = parse_scenario(
        {
            "goal": ["walk-bike,flying-cars", "housing-choice:9"],
            "state": ["NY"],
            "face": ["leadership", "aliens"],
            "budget": ["huge"],
            "shortlist": ["visionzero,nope"],
        },
        catalog,
    )
    # a known goal with an importance outside 1-3 is kept, as important, and the note says so
    assert s.profile.goals == {"walk-bike": 2, "housing-choice": 2}
    assert any(
        n == "Ignored the importance in goal='housing-choice:9' in the address: importance is 1 (nice to have), "
        "2 (important), 3 (essential); kept “Expand housing choice and affordability” as important."
        for n in s.notes
    )
    assert s.profile.state is None and s.profile.budget is None
    assert s.profile.faces == frozenset({"leadership"})
    assert s.shortlist == ["visionzero"]
    text = " ".join(s.notes)
    for bad in ("flying-cars", "housing-choice:9", "NY", "aliens", "huge", "nope"):
        assert bad in text
    assert "valid: PA, NJ" in text


def test_a_near_miss_in_the_address_says_which_value_was_meant(catalog):
    """A planner who types the goal's words, not its id, is told the id as well as the list."""
    s = parse_scenario({"goal": ["reduce-flooding:3,walk-bike"], "budget": ["lo"]}, catalog)
    assert s.profile.goals == {"walk-bike": 2}
    text = " ".join(s.notes)
    assert "unknown goal 'reduce-flooding' (did you mean 'reduce-flood-risk'?)." in text
    assert "(did you mean 'low'?)" in text
    assert "valid: " not in text, "a note that names the one meant does not list every valid value"
    two = " ".join(parse_scenario({"goal": ["flooding,teleport"]}, catalog).notes)
    assert "(did you mean 'reduce-flood-risk'?)" in two and two.count("valid: reduce-flood-risk") == 1, two
    far = " ".join(parse_scenario({"goal": ["teleport"]}, catalog).notes)
    assert "unknown goal 'teleport'; valid: " in far, "no guess when nothing is close"


def test_a_value_may_be_given_by_the_name_the_page_shows(catalog):
    """Copied from a card or a brief: "Improve air quality", "New Jersey", "Upfront funding"."""
    s = parse_scenario(
        {"goal": ["Improve air quality:3"], "state": ["new  Jersey"], "face": ["Upfront funding"]}, catalog
    )
    assert s.profile.goals == {"clean-air": 3} and not s.notes
    assert s.profile.value("state") == "NJ" and s.profile.values("face") == frozenset({"upfront-funding"})
    assert parse_scenario({"have": ["Stormwater Fees"]}, catalog).profile.values("have") == frozenset(
        {"stormwaterfees"}
    )


def test_importance_may_be_given_as_the_page_says_it(catalog, logic_cli):
    s = parse_scenario({"goal": ["walk-bike:Essential,clean-air:nice to have"]}, catalog)
    assert s.profile.goals == {"walk-bike": 3, "clean-air": 1} and not s.notes
    kept = parse_scenario({"goal": ["Improve air quality:high"]}, catalog)
    assert kept.profile.goals == {"clean-air": 2}, "a goal read by its name is kept, as one read by its id is"
    assert "Ignored the importance in goal='Improve air quality:high'" in kept.notes[0]
    bad = logic_cli("recommend", "--goal", "walk-bike:high")
    assert bad.returncode == 2 and "unknown importance 'high'" in bad.stderr and "1, 2, 3" in bad.stderr


def test_a_word_of_one_name_is_answered_with_its_id(catalog):
    """ "flooding" is in one goal's name; "heat" in another's; a word in many names guesses nothing."""
    notes = " ".join(parse_scenario({"goal": ["flooding,heat"]}, catalog).notes)
    assert "unknown goal 'flooding' (did you mean 'reduce-flood-risk'?)" in notes
    assert "unknown goal 'heat' (did you mean 'cool-communities'?)" in notes
    assert named_value("floods", {"a": "Reduce flooding", "b": "Protect water"}) == "a", "in any form"
    assert named_value("flood", {"a": "Reduce flooding", "b": "Flood insurance"}) is None, "two names have it"
    assert named_value("and", {g: catalog.goal_name(g) for g in catalog.goals}) is None
    assert named_value("", {"a": "Reduce flooding"}) is None


def test_a_miss_that_names_one_value_is_offered_as_a_guess_to_take(catalog):
    """Each miss that names one value has a note of its own and a guess (what it reads as,
    with the importance typed, and the page's name for it); taking it gives an address that
    reads it with nothing else lost, added to a list, in place of a one-value parameter."""
    s = parse_scenario({"goal": ["flooding:3,walk-bike,teleport"], "have": ["stormwater fee"]}, catalog)
    by_key = {g.key: g for g in s.guesses}
    assert set(by_key) == {"goal", "have"}, s.guesses
    goal = by_key["goal"]
    assert (goal.typed, goal.value, goal.name) == (
        "flooding:3",
        "reduce-flood-risk:3",
        catalog.goal_name("reduce-flood-risk"),
    )
    assert goal.note in s.notes and "teleport" not in goal.note, "a note of its own"
    assert by_key["have"].name == "Stormwater Fees"
    taken = parse_scenario(take_guess(s.to_query(), goal), catalog)
    assert taken.profile.goals == {"walk-bike": 2, "reduce-flood-risk": 3} and not taken.notes
    assert parse_scenario(take_guess(s.to_query(), by_key["have"]), catalog).profile.values("have") == frozenset(
        {"stormwaterfees"}
    )
    step = parse_scenario({"step": ["reslts"], "goal": ["walk-bike"]}, catalog)
    assert take_guess(step.to_query(), step.guesses[0])["step"] == "results", "a one-value parameter: replaced"
    assert not parse_scenario({"goal": ["teleport"]}, catalog).guesses
    many = parse_scenario({"goal": ["flooding,heat,nope,zz"]}, catalog)
    assert not many.guesses and len(many.notes) == 1, "past three misses, one summary and no lookups"


def test_a_goal_named_by_another_word_planners_use_is_guessed_in_the_address_and_the_cli(catalog, logic_cli):
    """goal=seniors:3 names all-ages by a word goals.yaml lists for it: the note guesses it,
    the button's guess keeps the importance, and the command line's error says it."""
    said = next(g for g, goal in catalog.goals.items() if "seniors" in goal.also_called)
    s = parse_scenario({"goal": ["seniors:3"]}, catalog)
    assert [(g.value, g.name) for g in s.guesses] == [(f"{said}:3", catalog.goal_name(said))]
    assert f"unknown goal 'seniors' (did you mean '{said}'?)" in s.notes[0]
    run = logic_cli("recommend", "--goal", "seniors")
    assert run.returncode == 2 and f"unknown goal 'seniors' (did you mean '{said}'?)" in run.stderr


def test_the_cli_reads_what_the_town_wants_in_the_rooms_words(logic_cli):
    """--wants "flooding, seniors" ranks as --goal reduce-flood-risk --goal all-ages; a --goal
    keeps its importance; a phrase that names no goal, or several, exits 2 naming it."""
    words = logic_cli("recommend", "--wants", "flooding, seniors", "--state", "PA", "--json")
    ids = logic_cli("recommend", "--goal", "reduce-flood-risk,all-ages", "--state", "PA", "--json")
    assert words.returncode == 0 and json.loads(words.stdout) == json.loads(ids.stdout)
    both = logic_cli("recommend", "--goal", "reduce-flood-risk:3", "--wants", "flooding", "--json")
    assert json.loads(both.stdout) == json.loads(
        logic_cli("recommend", "--goal", "reduce-flood-risk:3", "--json").stdout
    )
    zoning = logic_cli("recommend", "--wants", "flooding, zoning")
    assert zoning.returncode == 2 and "unknown goal 'zoning'" in zoning.stderr and "reduce-flood-risk" in zoning.stderr
    roads = logic_cli("recommend", "--wants", "safer roads", "--json")
    assert roads.returncode == 0 and roads.stdout == logic_cli("recommend", "--goal", "safer-streets", "--json").stdout
    several = logic_cli("recommend", "--wants", "residents")
    assert several.returncode == 2 and "'residents' names several goals (" in several.stderr


def test_a_value_given_twice_is_kept_once_and_said(catalog):
    """goal=walk-bike,walk-bike:3 keeps the first importance and says so; a tool named twice in
    tools= is listed once, with a note (not silently, then "choose at least two")."""
    s = parse_scenario({"goal": ["walk-bike,walk-bike:3"]}, catalog)
    assert s.profile.goals == {"walk-bike": 2}
    assert s.notes == [
        f"Goal “{catalog.goal_name('walk-bike')}” is given more than once in the address with different "
        "importance; kept the first: important."
    ]
    assert parse_scenario({"goal": ["walk-bike:3,walk-bike:3"]}, catalog).notes == []  # the same twice: nothing lost
    notes: list[str] = []
    assert pick_tools({"tools": "visionzero,visionzero"}, "tools", catalog, notes) == ["visionzero"]
    assert notes == ["Vision Zero is named more than once in tools=; listed once."]
    notes = []
    assert pick_tools({"tools": ["visionzero", "/VisionZero/", "officialmap"]}, "tools", catalog, notes) == [
        "visionzero",
        "officialmap",
    ]
    assert len(notes) == 1 and "Vision Zero" in notes[0]


def test_catalog_query_parsing(catalog):
    q = parse_catalog_query({"focus": ["Economy,Space"], "principle": ["equity"], "q": ["parking"], "mode": ["any"]})
    assert q.focus == ["Economy"] and q.principles == ["Equity"] and q.search == "parking" and q.mode == "any"
    assert any("Space" in n for n in q.notes)


# ---- command line ----
# The tests below call logic.cli.main in this process (the `logic_cli` fixture); this one
# runs the real command, so `python -m logic` itself (its __main__ and exit status) is covered.


def test_python_m_logic_is_a_command(tmp_path):
    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "logic", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
        )

    ok = command("recommend", "--content", str(FIXTURE), "--goal", "transit-access", "--state", "NJ", "--json")
    assert ok.returncode == 0, ok.stderr
    assert [d["slug"] for d in json.loads(ok.stdout) if d.get("excluded")] == ["transit-district"]
    bad = command("recommend", "--content", str(FIXTURE), "--goal", "flying-cars")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "flying-cars" in bad.stderr and "transit-access" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("content", [CONTENT, FIXTURE], ids=["content", "fixture"])
def test_validate_exits_0_on_good_content(content, logic_cli):
    out = logic_cli("validate", str(content))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(list((content / 'tools').glob('*.md')))} tools loaded" in out.stdout and "0 errors" in out.stdout


def test_validate_exits_1_and_names_file_and_field(content_copy, logic_cli):
    (content_copy / "tools" / "visionzero.md").write_text(
        "---\ntitle: Vision Zero\nslug: visionzero\ncost: free\n---\nbody\n"
    )
    out = logic_cli("validate", str(content_copy))
    assert out.returncode == 1
    assert "tools/visionzero.md cost" in out.stdout and "'free' is not one of low, medium, high" in out.stdout


@pytest.mark.parametrize("content", [CONTENT, FIXTURE], ids=["content", "fixture"])
def test_catalog_json_lists_every_tool_with_the_documented_fields(content, logic_cli):
    out = logic_cli("catalog", "--json", "--content", str(content))
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert sorted(t["slug"] for t in data) == sorted(load_catalog(content).tools)
    for key in ("slug", "title", "focusAreas", "principles", "goals", "challenges", "related"):
        assert key in data[0]


def test_catalog_filters_like_the_site(logic_cli):
    out = logic_cli("catalog", "--focus", "Economy", "--principle", "Resiliency", "--json")
    slugs = {t["slug"] for t in json.loads(out.stdout)}
    assert slugs == {
        "broadbanduniversalaccess",
        "iotandsmartcommunities",
        "wirelesscommunicationsfacilitiesordinances5g",
    }
    n = len(load_catalog(CONTENT).tools)
    assert f"3 of {n} tools" in logic_cli("catalog", "--focus", "Economy", "--principle", "Resiliency").stdout
    searched = json.loads(logic_cli("catalog", "--search", "Stormwater", "--json").stdout)
    assert {"stormwaterfees", "stormwatermanagement"} <= {t["slug"] for t in searched}
    adu = {t["slug"] for t in json.loads(logic_cli("catalog", "--search", "ADU", "--json").stdout)}
    assert "agefriendlycommunities" in adu and "coolingcenters" not in adu
    slip = logic_cli("catalog", "--search", "stromwater fees")
    assert slip.returncode == 0 and f"0 of {n} tools" in slip.stdout
    assert "Did you mean --search 'stormwater fees'?" in slip.stdout
    assert "Did you mean" not in logic_cli("catalog", "--search", "xqzw").stdout
    heat = logic_cli("catalog", "--search", "extreme heat").stdout
    assert f"0 of {n} tools" in heat and "'python -m logic recommend --goal cool-communities' ranks its" in heat
    carry = len(filter_tools(load_catalog(CONTENT), principles=["Resiliency"]))
    named = logic_cli("catalog", "--search", "resilience").stdout
    assert (
        f"'Resiliency' is one of the toolbox's principles: --principle 'Resiliency' lists its {carry} tools." in named
    )


def test_recommend_json_follows_the_design(logic_cli):
    out = logic_cli("recommend", "--goal", "transit-access", "--state", "NJ", "--budget", "low", "--top", "3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    recommended = [d for d in data if not d.get("excluded")]
    excluded = [d for d in data if d.get("excluded")]
    assert len(recommended) == 3 and excluded
    assert data.index(excluded[0]) > data.index(recommended[-1])
    for d in recommended:
        assert set(d) >= {"slug", "title", "score", "fit", "reasons", "flags"}
        assert 0 <= d["score"] <= 100 and d["fit"] in ("strong", "possible", "weak") and d["reasons"]
        for f in d["flags"]:
            assert f["challenge"] and isinstance(f["mitigations"], list)
    assert "Pennsylvania" in excluded[0]["reasons"][0]


@pytest.mark.parametrize(
    "args,named,valid",
    [
        (["recommend", "--goal", "flying-cars"], "flying-cars", "reduce-flood-risk"),
        (["recommend", "--goal", "walk-biking"], "walk-biking' (did you mean 'walk-bike'?)", "reduce-flood-risk"),
        (["recommend", "--goal", "flooding"], "flooding' (did you mean 'reduce-flood-risk'?)", "reduce-flood-risk"),
        (["recommend", "--face", "aliens"], "aliens", "upfront-funding"),
        (["recommend", "--state", "NY"], "NY", "PA, NJ"),
        (["recommend", "--setting", "lunar"], "lunar", "urban, suburban, rural"),
        (["recommend", "--budget", "huge"], "huge", "low, medium, high"),
        (["recommend", "--horizon", "forever"], "forever", "short, medium, long"),
        (["catalog", "--focus", "Space"], "Space", "Environment, Transportation"),
        (["catalog", "--principle", "Speed"], "Speed", "Sustainability, Equity, Resiliency"),
        (["catalog", "--mode", "some"], "some", "all, any"),
    ],
)
def test_bad_values_exit_2_naming_them_and_listing_valid_ones(args, named, valid, logic_cli):
    out = logic_cli(*args)
    assert out.returncode == 2
    assert named in out.stderr and valid in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args", [["nonsense"], ["recommend", "--top", "x"], ["recommend", "--top", "0"], ["validate", "/no/such/dir"], []]
)
def test_bad_arguments_exit_2_without_a_traceback(args, logic_cli):
    out = logic_cli(*args)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.strip()


# ---- exports ----


def test_results_csv_has_a_row_a_tool_and_defuses_formulas(catalog):
    recs = recommend(catalog, Profile(goals={"walk-bike": 2}))
    rows = list(csv.reader(io.StringIO(results_csv(recs))))
    assert rows[0][:5] == ["rank", "tool", "slug", "score", "fit"]
    assert len(rows) == len(recs) + 1
    assert rows[1][0] == "1"
    from logic.recommendation import Recommendation

    evil = Recommendation(slug="x", title="=HYPERLINK(1)", score=1, fit="weak", reasons=("r",))
    assert list(csv.reader(io.StringIO(results_csv([evil]))))[1][1] == "'=HYPERLINK(1)"


def test_handout_names_the_choices_the_tools_and_the_package(catalog):
    profile = Profile(goals={"reduce-flood-risk": 3}, state="NJ", budget="low")
    recs = recommend(catalog, profile)
    text = handout_markdown(
        catalog, profile, recs, balanced_package(catalog, profile), link="http://x/find?goal=reduce-flood-risk:3"
    )
    assert "Reduce flooding and stormwater damage (essential)" in text
    assert "State: New Jersey" in text and recs[0].title in text and "balanced package" in text.lower()


def test_handout_numbers_tools_level_with_a_neighbour_as_their_cards_do(catalog):
    """Two tools level on every count share "=2" on /find; the handout says so too, in bold so
    that a Markdown viewer does not renumber them 2 and 3."""
    recs = recommend(catalog, Profile(goals={"manage-traffic": 3}))
    shown = [r for r in recs if r.recommended][:4]
    assert [r.position for r in shown][:3] == ["1", "=2", "=2"]
    text = handout_markdown(catalog, Profile(goals={"manage-traffic": 3}), recs)
    for r in shown:
        assert f"- **{r.position}. {r.title}**: " in text
    assert f"**3. {shown[2].title}**" not in text


def test_the_take_home_names_each_choice_as_its_button_does(catalog):
    """The brief's and the handout's list of choices uses the words on /find's buttons (the
    walk-through found "short (under a year)" in the brief for the button "Under 1 year")."""
    from logic.constraints import REGISTRY

    checked = 0
    for kind in REGISTRY:
        if kind.multi or not kind.value_labels:
            continue
        for value, label in kind.value_labels.items():
            lines = profile_lines(Profile(goals={"walk-bike": 3}, **{kind.name: value}), catalog)
            assert f"{kind.label}: {label}" in lines, lines
            checked += 1
    assert checked >= 9  # budget, staff, horizon at least


def test_compare_rows_mark_differences(catalog):
    rows = {r["Attribute"]: r for r in compare_rows(catalog, ["stormwaterfees", "stormwatermanagement"])}
    assert rows["Focus areas"]["Differs"] is False
    assert rows["Cost"]["Differs"] is True
    assert rows["Cost"]["Stormwater Fees"] == "medium"


def test_csv_and_handout_carry_strength_and_the_plan(catalog):
    from logic.plan import make_plan

    profile = Profile(goals={"walk-bike": 3, "revitalize-centers": 2}, have={"completestreets"})
    recs = recommend(catalog, profile)
    package = balanced_package(catalog, profile)
    plan = make_plan(catalog, package.slugs, have=["completestreets"])
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(results_csv(recs, plan)))}
    first = package.slugs[0]
    assert rows[first]["plan phase"] == plan.phase_of(first) and rows[first]["plan phase"] in ("Now", "Next", "Later")
    assert rows["completestreets"]["plan phase"] == "in place" and rows["completestreets"]["rank"] == ""
    assert rows["sidewalkstandardsandmanagement"]["strength"].startswith("Made for 1 of your 2 goals")
    text = handout_markdown(catalog, profile, recs, package, plan=plan)
    assert "## Already in place" in text and "## Action plan" in text
    assert text.index("### Now (first 12 months)") < text.index("### Next (1-3 years)")
    assert all(f"**{catalog.title(s)}**" in text.split("## Action plan")[1] for s in package.slugs)


# ---- the command line on the test catalog (--content DIR) ----


def test_catalog_filters_the_test_catalog_all_or_any(logic_cli):
    cat = load_catalog(FIXTURE)
    for mode in ("all", "any"):
        wanted = sorted(t.slug for t in filter_tools(cat, ["Economy"], ["Resiliency"], mode=mode))
        args = ["catalog", "--content", str(FIXTURE), "--focus", "Economy", "--principle", "Resiliency"]
        out = logic_cli(*args, "--mode", mode, "--json")
        assert sorted(t["slug"] for t in json.loads(out.stdout)) == wanted
        assert f"{len(wanted)} of {len(cat.tools)} tools" in logic_cli(*args, "--mode", mode).stdout
    assert len(filter_tools(cat, ["Economy"], ["Resiliency"])) < len(
        filter_tools(cat, ["Economy"], ["Resiliency"], mode="any")
    )


def test_recommend_on_the_test_catalog_ranks_its_tools_and_sets_the_state_barred_one_apart(logic_cli):
    out = logic_cli(
        "recommend",
        "--content",
        str(FIXTURE),
        "--goal",
        "transit-access",
        "--goal",
        "revitalize-centers",
        "--state",
        "NJ",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [d["slug"] for d in data if not d.get("excluded")][0] == "main-street"
    (barred,) = [d for d in data if d.get("excluded")]
    assert barred["slug"] == "transit-district" and "New Jersey has no such law" in barred["reasons"][0]
    assert {d["slug"] for d in data} <= set(load_catalog(FIXTURE).tools)


def test_plan_on_the_test_catalog_starts_a_tool_after_the_one_it_builds_on(logic_cli):
    out = logic_cli("plan", "--content", str(FIXTURE), "--tools", "flood-overlay,comprehensive-plan", "--json")
    assert out.returncode == 0, out.stderr
    phase = {item["slug"]: i for i, ph in enumerate(json.loads(out.stdout)["phases"]) for item in ph["items"]}
    assert set(phase) == {"flood-overlay", "comprehensive-plan"}
    assert phase["comprehensive-plan"] <= phase["flood-overlay"]  # flood-overlay buildsOn comprehensive-plan


def test_a_goal_only_the_real_catalog_has_is_refused_on_the_test_catalog(logic_cli):
    goal = next(g for g in load_catalog(CONTENT).goals if g not in load_catalog(FIXTURE).goals)
    out = logic_cli("recommend", "--content", str(FIXTURE), "--goal", goal)
    assert out.returncode == 2 and goal in out.stderr and "reduce-flood-risk" in out.stderr


def test_options_take_comma_separated_values_as_the_address_does(logic_cli):
    """A planner copies `goal=housing-choice:3,safer-streets` from an address into --goal."""
    listed = ["--goal", "housing-choice:3,safer-streets:1", "--face", "market-dependence,upfront-funding"]
    repeated = ["--goal", "housing-choice:3", "--goal", "safer-streets:1"]
    repeated += ["--face", "market-dependence", "--face", "upfront-funding"]
    one_by_one = logic_cli("recommend", *repeated, "--state", "NJ", "--top", "6", "--json")
    together = logic_cli("recommend", *listed, "--state", "NJ", "--top", "6", "--json")
    assert together.returncode == 0, together.stderr
    assert json.loads(together.stdout) == json.loads(one_by_one.stdout)
    assert "Make streets safer" in together.stdout  # the second goal was read, not swallowed by the first
    tags = logic_cli("catalog", "--focus", "Environment,Transportation", "--mode", "any", "--json")
    assert tags.returncode == 0, tags.stderr
    assert {t["slug"] for t in json.loads(tags.stdout)} >= {"stormwaterfees", "completestreets"}
    bad = logic_cli("recommend", "--goal", "housing-choice:3,flying-cars")
    assert bad.returncode == 2 and "unknown goal 'flying-cars'" in bad.stderr and "safer-streets" in bad.stderr
