"""Towns with several goals and real constraints: the content keys that carry them
(settings grades, challenge severity, state law, mandates), what `validate` says about
them, the rules that read them, and the planners' evaluation set (eval/scenarios.yaml)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logic import load_catalog
from logic.cli import main as cli
from logic.constraints import BUILDS_ON_BONUS, LEVEL_PENALTY, LIMITED_LAW_PENALTY
from logic.evaluation import ScenarioFileError, evaluate, load_scenarios, ndcg
from logic.explain import ranking_explainer
from logic.export import compare_rows
from logic.package import balanced_package
from logic.profile import Profile
from logic.rules import recommend
from logic.scoring import assess
from logic.taxonomy import LEVELS, SETTINGS, STATES
from support import CONTENT, ROOT

CAT = load_catalog(CONTENT)
SCENARIOS = ROOT / "eval" / "scenarios.yaml"

PAGE = """---
slug: "zz-town"
title: "ZZ Town"
focusAreas: [Environment]
principles: []
goals: {{reduce-flood-risk: 3}}
challenges:
{challenges}
cost: low
staffEffort: low
timeToResults: short
toolType: program
{extra}
---

## What it is
A page used by the tests. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow. It says enough to read as a real page would, in words a planner could follow.

## When it fits
Wherever a test needs it.

## How to get started
1. Write the page.

## What to watch out for
Nothing here.
"""


def load_with(content_copy, extra: str = "", challenges: str = "  - id: upfront-funding\n    severity: 2"):
    (content_copy / "tools" / "zz-town.md").write_text(
        PAGE.format(extra=extra, challenges=challenges), encoding="utf-8"
    )
    cat = load_catalog(content_copy)
    mine = [p for p in cat.problems if p.file == "tools/zz-town.md"]
    return cat, mine


# ---- the content keys and what validate says ----


def test_every_tool_of_the_catalog_grades_settings_challenges_and_both_states():
    for tool in CAT.tools.values():
        assert set(tool.settings) == set(SETTINGS), tool.file
        assert set(tool.state_law) == set(STATES), tool.file
        assert all(c.severity in (1, 2, 3) and c.note for c in tool.challenges), tool.file
        if any(g < 2 for g in tool.settings.values()):
            assert tool.settings_note, tool.file
        for state, law in tool.state_law.items():
            assert law.law, (tool.file, state)
            if law.status != "available":
                assert law.note, (tool.file, state)


def test_public_opposition_is_no_longer_on_most_tools():
    opposed = [t for t in CAT.tools.values() if "public-opposition" in t.challenge_ids]
    assert len(opposed) < len(CAT.tools) / 2, len(opposed)
    assert len({t.challenge("public-opposition").note for t in opposed}) == len(opposed), "each its own note"


def test_the_graded_keys_load(content_copy):
    extra = (
        'settings: {urban: 0, suburban: 1, rural: 2}\nsettingsNote: "Needs farms."\n'
        'stateLaw:\n  PA: {status: available, law: "An act"}\n'
        '  NJ: {status: limited, law: "Another act", note: "Only in part."}\nmandate: "Every town has one."'
    )
    cat, problems = load_with(content_copy, extra, "  - id: upfront-funding\n    severity: 3\n    note: Costly.")
    assert problems == []
    tool = cat.tools["zz-town"]
    assert dict(tool.settings) == {"urban": 0, "suburban": 1, "rural": 2} and tool.settings_note == "Needs farms."
    assert tool.law("NJ").status == "limited" and tool.law("NJ").note == "Only in part." and tool.law("PA").law
    assert tool.challenge("upfront-funding").severity == 3 and tool.mandate == "Every town has one."


def test_bad_grades_are_named_by_file_and_field_and_the_page_still_loads(content_copy):
    extra = (
        "settings: {urban: 3, downtown: 1}\n"
        "stateLaw:\n  PA: {status: maybe}\n  NY: {status: available}\n  NJ: {status: limited}\nmandate: 12"
    )
    cat, problems = load_with(content_copy, extra, "  - id: upfront-funding\n    severity: 5")
    assert "zz-town" in cat.tools
    where = {(p.severity, p.field) for p in problems}
    assert ("error", "settings.urban") in where and ("error", "settings.downtown") in where
    assert ("error", "stateLaw.PA.status") in where and ("error", "stateLaw.NY") in where
    assert ("warning", "stateLaw.NJ.note") in where, "limited without a note"
    assert ("error", "challenges[0].severity") in where and ("error", "mandate") in where
    text = " ".join(p.message for p in problems)
    assert "is not 0, 1 or 2" in text and "is not 1, 2 or 3" in text and "is not one of available, limited" in text
    tool = cat.tools["zz-town"]
    assert tool.setting_grade("urban") == 2 and tool.challenge("upfront-funding").severity == 2  # repaired


def test_a_tool_made_for_a_center_and_the_goals_that_mark_one_load_and_bad_values_are_named(content_copy):
    cat, problems = load_with(content_copy, 'needsCenter: "Made for a main street."')
    assert problems == [] and cat.tools["zz-town"].needs_center == "Made for a main street."
    assert {g.id for g in cat.goals.values() if g.center} == {"revitalize-centers", "historic-character"}
    goals = content_copy / "goals.yaml"
    goals.write_text(goals.read_text().replace("  center: true", "  center: maybe", 1))
    cat, problems = load_with(content_copy, "needsCenter: [a, b]")
    where = {(p.file, p.severity, p.field) for p in cat.problems}
    assert ("tools/zz-town.md", "error", "needsCenter") in where and "zz-town" in cat.tools
    assert ("goals.yaml", "warning", "historic-character.center") in where  # read as false, as `money` is
    assert not cat.goals["historic-character"].center and cat.goals["revitalize-centers"].center  # the rest loads


# ---- a tool made for a center ----

TRAFFIC_TOWN = {"manage-traffic": 3, "clean-air": 2}  # a township of warehouses and highway corridors


def test_parking_and_curb_rules_are_not_what_a_township_without_a_center_gets_for_its_traffic():
    profile = Profile(goals=TRAFFIC_TOWN, setting="suburban", state="NJ")
    top = [r for r in recommend(CAT, profile, top=6) if r.recommended]
    made_for = [r.slug for r in top if r.goal_strength["manage-traffic"] == 3]
    assert len(made_for) >= 3 and not {"parkingmanagement", "curbsidemanagement"} & set(made_for)
    parking = assess(CAT.tools["parkingmanagement"], profile, CAT)
    assert parking.goal_strength["manage-traffic"] == 2 and parking.fit != "strong"
    assert top.index(next(r for r in top if r.slug == "parkingmanagement")) > top.index(
        next(r for r in top if r.slug == "accessmanagement")
    )
    note = next(line for line in parking.notes if CAT.tools["parkingmanagement"].needs_center in line)
    assert "suburban" in note and "Revitalize downtowns and main streets" in note  # says why, and what would change it
    assert "Works toward: Manage traffic" in parking.reasons[0]
    assert "Made for a center" in ranking_explainer(CAT) and "“Revitalize downtowns" in ranking_explainer(CAT)


@pytest.mark.parametrize(
    "where",
    [
        {"setting": "urban"},
        {"setting": "suburban", "also": "historic-character"},
        {"setting": "rural", "also": "revitalize-centers"},
        {},  # no setting given: not known, so not marked down
    ],
    ids=["urban", "historic-borough", "village-center", "no-setting"],
)
def test_a_town_with_a_center_keeps_parking_management_made_for_its_traffic(where):
    goals = {"manage-traffic": 3, **({where["also"]: 1} if "also" in where else {})}
    profile = Profile(goals=goals, setting=where.get("setting"))
    parking = assess(CAT.tools["parkingmanagement"], profile, CAT)
    assert parking.goal_strength["manage-traffic"] == 3 and parking.fit == "strong"
    assert not any(CAT.tools["parkingmanagement"].needs_center in line for line in parking.reasons)
    top3 = [r.slug for r in recommend(CAT, profile, top=3) if r.recommended]
    assert "parkingmanagement" in top3


def test_the_package_and_the_comparison_read_a_center_tool_as_the_cards_do():
    profile = Profile(goals={"manage-traffic": 3}, setting="rural")
    rows = {r["Attribute"]: r for r in compare_rows(CAT, ["parkingmanagement", "accessmanagement"], profile)}
    goal = rows["Goal: Manage traffic, parking and curb space"]
    assert (goal["Parking Management"], goal["Access Management"]) == ("a main effect", "made for it")
    # a suburban town with no center, asking for traffic and charging: the package's pick for
    # traffic is a tool made for it there, not curb rules the cards call a main effect
    package = balanced_package(CAT, Profile(goals={"manage-traffic": 3, "new-mobility": 2}, setting="suburban"))
    first = package.steps[0]
    assert "made for “Manage traffic" in first and not first.startswith(("Curbside", "Parking")), first


def test_the_older_lists_still_load(content_copy):
    cat, problems = load_with(content_copy, "settings: [rural]\nstates: [PA]")
    tool = cat.tools["zz-town"]
    assert dict(tool.settings) == {"urban": 1, "suburban": 1, "rural": 2}
    assert tool.law("NJ").status == "unavailable" and tool.states == ("PA",)
    assert [p.severity for p in problems] == ["info"]


def test_a_tool_listing_a_challenge_it_is_a_way_around_is_warned(content_copy):
    page = content_copy / "tools" / "communityengagement.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("challenges:\n", "challenges:\n  - id: public-opposition\n    severity: 2\n", 1))
    cat = load_catalog(content_copy)
    (warning,) = [p for p in cat.problems if p.field == "challenges.public-opposition"]
    assert warning.file == "tools/communityengagement.md" and "way around" in warning.message


# ---- the rules that read them ----


def test_limited_state_law_costs_points_and_the_flag_says_what_the_limit_is():
    tool = CAT.tools["impactfees"]
    goal = {"stretch-budgets": 3}
    assert tool.law("NJ").status == "limited"
    free = assess(tool, Profile(goals=goal), CAT)
    nj = assess(tool, Profile(goals=goal, state="NJ"), CAT)
    assert free.score - nj.score == LIMITED_LAW_PENALTY and not nj.excluded
    (flag,) = [f for f in nj.flags if f.kind == "state"]
    assert flag.title == "Limited by New Jersey law" and tool.law("NJ").note in flag.message


def test_a_tools_note_on_a_challenge_is_said_once_when_the_town_also_faces_it():
    """Low staff brings the tool's note on staff skills; facing staff skills too, the
    challenge's own flag says it and the staff flag does not repeat it."""
    tool = CAT.tools["stormwatermanagement"]
    note = tool.challenge_note("staff-skills")
    assert note
    low = assess(tool, Profile(goals={"reduce-flood-risk": 3}, staff="low"), CAT)
    both = assess(tool, Profile(goals={"reduce-flood-risk": 3}, staff="low", face=frozenset({"staff-skills"})), CAT)
    (alone,) = [f for f in low.flags if f.kind == "staff"]
    assert alone.note == note
    said = [f for f in both.flags if note in f.message or f.note == note]
    assert [f.kind for f in said] == ["face"]
    assert [f.note for f in both.flags if f.kind == "staff"] == [""]
    assert both.score == low.score - next(f.penalty for f in both.flags if f.kind == "face")  # points unchanged


def test_inclusionary_zoning_ranks_higher_in_new_jersey_than_in_pennsylvania():
    def place(state):
        order = [r.slug for r in recommend(CAT, Profile(goals={"housing-choice": 3}, state=state)) if r.recommended]
        return order.index("inclusionaryzoning")

    assert place("NJ") < place("PA")
    assert place("NJ") < 3


def test_a_heavy_tool_does_not_top_a_light_towns_list_while_a_lighter_one_serves_the_goal():
    light = Profile(goals={"conserve-land": 3}, setting="rural", budget="low", staff="low")
    recs = [r for r in recommend(CAT, light) if r.recommended]
    heavy = next(r for r in recs if r.slug == "landacquisitionandconservationeasements")
    lighter = [r for r in recs if r.goal_strength["conserve-land"] == 3 and r.effort < heavy.effort and r.applies]
    assert lighter and recs.index(lighter[0]) < recs.index(heavy)
    budget = next(f for f in heavy.flags if f.kind == "budget")
    assert budget.penalty == 2 * LEVEL_PENALTY and "Costs high" in budget.message


def test_a_tool_that_builds_on_one_in_place_is_raised_and_says_so():
    tool = next(t for t in CAT.tools.values() if t.builds_on)
    prerequisite = tool.builds_on[0].slug
    goal = {tool.goals[0]: 3}
    before = assess(tool, Profile(goals=goal), CAT)
    after = assess(tool, Profile(goals=goal, have={prerequisite}), CAT)
    assert after.exact - before.exact == min(BUILDS_ON_BONUS, 100 - before.exact)
    assert any(f"Builds on {CAT.title(prerequisite)}" in x for x in after.reasons)


def test_tools_most_towns_have_by_mandate_say_so():
    mandated = {s for s, t in CAT.tools.items() if t.mandate}
    assert {"stormwatermanagement", "floodplainordinances"} <= mandated
    assert len(mandated) <= 5


def test_the_best_tool_for_each_top_goal_opens_the_list():
    profile = Profile(goals={"reduce-flood-risk": 3, "historic-character": 3}, setting="suburban")
    recs = [r for r in recommend(CAT, profile) if r.recommended]
    first_two = recs[:2]
    assert {r.leads_for for r in first_two} == {"reduce-flood-risk", "historic-character"}
    assert all(r.goal_strength[r.leads_for] == 3 for r in first_two)


def test_fit_is_stated_goal_by_goal():
    profile = Profile(goals={"reduce-flood-risk": 3, "conserve-land": 2, "local-food": 1})
    r = assess(CAT.tools["landacquisitionandconservationeasements"], profile, CAT)
    assert r.strength_summary(CAT) == (
        "Made for “Preserve farmland, open space and habitat”; works toward “Reduce flooding and stormwater damage”; "
        "helps “Strengthen local food systems and farms” as a side benefit"
    )


MULTI_GOALS = st.dictionaries(st.sampled_from(list(CAT.goals)), st.integers(1, 3), min_size=2, max_size=3)


@settings(max_examples=80, deadline=None)
@given(
    MULTI_GOALS,
    st.sampled_from([None, *SETTINGS]),
    st.sampled_from([None, *LEVELS]),
    st.sampled_from([None, *LEVELS]),
    st.frozensets(st.sampled_from(list(CAT.challenges)), max_size=2),
)
def test_a_tool_made_for_an_essential_goal_is_never_called_weak(goals, setting, budget, staff, faces):
    goals = {**goals, next(iter(goals)): 3}
    profile = Profile(goals=goals, setting=setting, budget=budget, staff=staff, faces=faces)
    for r in recommend(CAT, profile):
        # where it does not apply to the setting it is "not for your setting", not weak either
        if r.recommended and any(r.goal_strength[g] == 3 for g, v in goals.items() if v == 3):
            assert r.fit != "weak", (r.slug, r.score)
            assert (r.fit == "unsuited") == (not r.applies), (r.slug, r.fit)


# ---- the planners' evaluation set ----


def test_ndcg_is_one_for_the_planners_order_and_less_for_another():
    grades = {"a": 3, "b": 2, "c": 0}
    assert ndcg(["a", "b", "c"], grades) == 1.0
    assert ndcg(["c", "b", "a"], grades) < ndcg(["b", "a", "c"], grades) < 1.0
    assert ndcg(["x", "y"], grades) == 0.0


EVALUATION_SETS = {"scenarios": 30, **{f"holdout{n}": 30 for n in ("", *range(2, 13))}, "traffic_check": 16}


@pytest.mark.parametrize(("name", "size"), EVALUATION_SETS.items(), ids=list(EVALUATION_SETS))
def test_the_evaluation_set_is_thirty_graded_towns_that_load_against_the_catalog(name, size):
    scenarios = load_scenarios(SCENARIOS.with_name(f"{name}.yaml"), CAT)
    assert len(scenarios) == size and len({s.id for s in scenarios}) == size
    assert all(sc.second_grades is not None for sc in scenarios) or name == "holdout"  # graded twice, blind
    for sc in scenarios:
        assert len(sc.grades) >= 8 and sum(1 for g in sc.grades.values() if g >= 2) >= 2, sc.id
        assert sc.profile.goals and sc.profile.get("state") and sc.profile.get("setting"), sc.id
        assert all(sc.grades.get(s, 0) == 0 for s in sc.profile.get("have") or ()), sc.id
    results = evaluate(CAT, scenarios)
    mean = sum(r.ndcg for r in results) / len(results)
    assert 0.0 < mean <= 1.0


def test_the_single_goal_set_grades_every_goal_of_the_catalog_twice():
    scenarios = load_scenarios(SCENARIOS.with_name("single_goals.yaml"), CAT)
    assert sorted(g for sc in scenarios for g in sc.profile.goals) == sorted(CAT.goals)
    for sc in scenarios:
        assert len(sc.profile.goals) == 1 and sc.second_grades is not None, sc.id
        for grades in sc.gradings:
            assert len(grades) >= 6 and any(g == 3 for g in grades.values()), sc.id
    results = evaluate(CAT, scenarios)
    assert all(r.agreement is not None and 0.0 < r.ndcg <= 1.0 for r in results)


def test_a_second_blind_grading_scores_the_app_against_both_and_says_how_far_the_planners_agree(tmp_path, capsys):
    same = {"visionzero": 3, "completestreets": 2, "transportationsafetyprograms": 1}
    other = {"tacticalurbanismandpedestrianplazas": 3, "coolingcenters": 2}
    text = (
        "- id: agree\n  goals: {safer-streets: 3}\n"
        f"  grades: {same}\n  second_grades: {same}\n"
        "- id: differ\n  goals: {safer-streets: 3}\n"
        f"  grades: {same}\n  second_grades: {other}\n"
    )
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    agree, differ = evaluate(CAT, load_scenarios(path, CAT))
    assert agree.agreement == 1.0 and agree.by_grading[0] == agree.by_grading[1] == agree.ndcg
    assert differ.agreement == 0.0  # neither planner's top tools are the other's
    assert differ.ndcg == pytest.approx(sum(differ.by_grading) / 2) and differ.by_grading[0] != differ.by_grading[1]
    assert cli(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 graded twice, blind" in out and "the two planners agree at 0.500" in out


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("- id: town-a\n  goals: {walk-bike: 3}\n  grades: {nosuchtool: 3}\n", ("town-a.grades", "nosuchtool")),
        ("- id: town-b\n  goals: {walk-bike: 3}\n  setting: downtown\n", ("town-b", "downtown")),
        ("- id: town-c\n  goals: {walk-bike: 3}\n  second_grades: {visionzero: 5}\n", ("town-c.second_grades", "5")),
    ],
)
def test_a_bad_scenario_is_named(tmp_path, text, named):
    bad = tmp_path / "s.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        load_scenarios(bad, CAT)
    assert all(part in str(caught.value) for part in named)


def test_a_planner_may_grade_tools_by_their_titles(tmp_path):
    """A planner writing grades from the toolbox writes its titles; they read as the slugs do."""
    by_title = tmp_path / "titles.yaml"
    by_title.write_text(
        "- id: town-t\n  goals: {reduce-flood-risk: 3}\n"
        "  grades: {Floodplain Ordinances: 3, stormwater fees: 2, Stream Corridor Protection Ordinances: 1}\n",
        encoding="utf-8",
    )
    (town,) = load_scenarios(by_title, CAT)
    assert dict(town.grades) == {
        "floodplainordinances": 3,
        "stormwaterfees": 2,
        "streamcorridorprotectionordinances": 1,
    }


def test_evaluate_names_every_bad_town_and_still_scores_the_others(tmp_path, capsys):
    """One mistyped slug in a file of thirty towns is named with the tool meant, with every
    other problem in the file, and the good towns are still scored (exit 1, as validate)."""
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(
        "- id: town-bad\n  goals: {reduce-flood-risk: 3}\n  setting: suburbia\n"
        "  grades: {floodplainordinance: 3, visionzero: yes}\n"
        "- id: town-good\n  goals: {revitalize-centers: 3}\n  grades: {downtownmanagement: 3}\n"
        "- goals: {walk-bike: 3}\n"
        "- id: town-good\n  goals: {walk-bike: 3}\n"
        "- id: town-ungraded\n  goals: {walk-bike: 3}\n  setting: rural\n"
        "- id: town-budjet\n  goals: {walk-bike: 3}\n  budjet: low\n  grades: {visionzero: 3}\n",
        encoding="utf-8",
    )
    assert cli(["evaluate", str(mixed)]) == 1
    out, err = capsys.readouterr()
    assert "town-good" in out and "town-budjet" in out and "2 scenarios: NDCG@6 mean" in out and "town-bad" not in out
    assert "town-bad.grades: 'floodplainordinance' is not a tool (did you mean 'floodplainordinances'?)" in err
    assert "town-bad.grades.visionzero: True is not a grade 0-3" in err
    assert "town-bad: cannot read setting='suburbia': unknown setting 'suburbia' (did you mean 'suburban'?)" in err
    assert "Ignored" not in err, "a town with a problem is left out, not read without the value"
    assert "scenario 3: has no id" in err and "town-good (scenario 4): the id is used by an earlier scenario" in err
    assert "town-ungraded.grades: no tool graded above 0, so there is nothing to score the order against" in err
    assert (
        "note: town-budjet.budjet: not a scenario key, so not read (did you mean 'budget'?); valid: about, budget,"
        in err
    )
    assert "6 problem(s); the towns they name are left out, the other 2 are scored" in err
    assert cli(["evaluate", str(mixed), "--json"]) == 1
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["town-good", "town-budjet"]


def test_python_m_logic_evaluate_prints_each_town_and_the_mean(capsys):
    assert cli(["evaluate"]) == 0
    out = capsys.readouterr().out
    assert "30 scenarios: NDCG@6 mean" in out and "rural-pa-creek-township" in out
    assert cli(["evaluate", "--k", "0"]) == 2
    assert "--k must be 1 or more" in capsys.readouterr().err


def test_evaluate_detail_shows_every_top_place_with_each_planners_grade_and_what_it_leaves_out(tmp_path, capsys):
    """Reading every top 6, as the issue asks: each place with both planners' grades, and the
    tools they grade 2 or more on average that the app's list does not hold."""
    path = tmp_path / "read.yaml"
    path.write_text(
        "- id: town-read\n  town: A borough on a fast state road.\n  goals: {safer-streets: 3}\n"
        "  grades: {visionzero: 3, coolingcenters: 3, buylocalcampaign: 1}\n"
        "  second_grades: {visionzero: 2, coolingcenters: 2, buylocalcampaign: 2}\n",
        encoding="utf-8",
    )
    (result,) = evaluate(CAT, load_scenarios(path, CAT))
    assert "visionzero" in result.top and result.missed == ("coolingcenters",)  # Buy Local averages 1.5
    assert cli(["evaluate", str(path), "--detail"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "A borough on a fast state road." in out
    place = next(line for line in lines if "Vision Zero" in line)
    assert place.split()[0] == str(result.top.index("visionzero") + 1) and place.split()[-2:] == ["3", "2"]
    assert sum(1 for line in lines if re.match(r"\s{3}\s?\d+  \S", line)) == len(result.top)
    assert "left out: Cooling Centers (3 2)\n" in out and "Buy Local" not in out
    assert cli(["evaluate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["missed"] == ["coolingcenters"]
