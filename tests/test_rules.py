"""The rules on the real catalog: unit tests and planners' scenarios (properties: test_rules_properties.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from logic import load_catalog
from logic.constraints import ADAPTATION_PENALTY, BOOST_CAP, LEVEL_PENALTY, SEVERITY_PENALTY, WAY_AROUND_BONUS
from logic.coverage import coverage, coverage_sentence
from logic.explain import fit_summary, more_label, why_below
from logic.model import Catalog, ChallengeRef, Tool
from logic.package import balanced_package
from logic.profile import Profile
from logic.rules import rank, recommend
from logic.scoring import GO_TO_POINTS, IMPORTANCE_STEP_WEIGHT, LEAD_POINTS, POSSIBLE_AT, STRONG_AT, assess
from logic.taxonomy import Fit, Horizon, Level
from logic.what_if import what_if
from support import CONTENT

CAT = load_catalog(CONTENT)
GOALS = list(CAT.goals)
CHALLENGES = list(CAT.challenges)


def top_slugs(profile, n=10):
    return [r.slug for r in recommend(CAT, profile, top=n) if not r.excluded]


# ---- units ----


def test_scores_and_reasons_for_a_simple_profile():
    r = assess(CAT.tools["stormwatermanagement"], Profile(goals={"reduce-flood-risk": 2}), CAT)
    assert r.score == LEAD_POINTS and r.fit == "strong"
    assert r.reasons[0] == "Made for: Reduce flooding and stormwater damage."
    assert r.strength_summary() == "Made for your goal"
    assert not r.go_to_for and not any("reach for first" in line for line in r.reasons)


def test_a_goals_go_to_tool_gets_a_head_start_and_says_so():
    """Floodplain Ordinances is one of flooding's go-to tools (goals.yaml goTo): made for the
    goal like Stormwater Management, it scores GO_TO_POINTS more for a top goal, less for a
    less important one, its card says why, and the card below it says what separates them."""
    flood = "reduce-flood-risk"
    assert "floodplainordinances" in CAT.goals[flood].go_to
    assert "stormwatermanagement" not in CAT.goals[flood].go_to
    alone = assess(CAT.tools["floodplainordinances"], Profile(goals={flood: 2}), CAT)
    assert alone.score == LEAD_POINTS + GO_TO_POINTS and alone.go_to_for == (flood,)
    assert "Planners reach for it first for “Reduce flooding and stormwater damage”." in alone.notes
    second = Profile(goals={flood: 2, "walk-bike": 3})  # one step below the top goal
    lower = assess(CAT.tools["floodplainordinances"], second, CAT)
    plain = assess(CAT.tools["stormwatermanagement"], second, CAT)
    assert lower.exact - plain.exact == pytest.approx(GO_TO_POINTS * IMPORTANCE_STEP_WEIGHT[1])
    # a go-to tool for two goals asked for gets the head start once, by the more important goal
    land = "landacquisitionandconservationeasements"
    assert {flood, "conserve-land"} <= {g for g, goal in CAT.goals.items() if land in goal.go_to}
    both = assess(CAT.tools[land], Profile(goals={flood: 2, "conserve-land": 3}), CAT)
    assert both.head_start == GO_TO_POINTS and set(both.go_to_for) == {flood, "conserve-land"}
    recs = [r for r in recommend(CAT, Profile(goals={flood: 3})) if r.recommended]
    assert recs[0].slug == "floodplainordinances"
    assert recs[1].vs_above == (
        "Ranked below Floodplain Ordinances: Floodplain Ordinances is one of the tools planners reach for "
        "first for “Reduce flooding and stormwater damage”."
    )


def test_faced_challenge_costs_points_and_flags_with_note_and_mitigations():
    iot = CAT.tools["iotandsmartcommunities"]
    base = assess(iot, Profile(goals={"smart-services": 2}), CAT)
    faced = assess(iot, Profile(goals={"smart-services": 2}, faces=frozenset({"privacy-security"})), CAT)
    ref = iot.challenge("privacy-security")
    assert base.score - faced.score == SEVERITY_PENALTY[ref.severity]
    (flag,) = faced.flags
    # the flag's sentence is the tool's own note, with how hard it bites this tool
    assert flag.challenge == "privacy-security" and ref.note in flag.message and flag.mitigations


def test_a_challenge_weighs_by_its_severity_for_the_tool():
    goal = {"housing-choice": 3}
    opposed = frozenset({"public-opposition"})
    for slug in ("buildmissingmiddlehousing", "inclusionaryzoning"):
        tool = CAT.tools[slug]
        cost = (
            assess(tool, Profile(goals=goal), CAT).score - assess(tool, Profile(goals=goal, faces=opposed), CAT).score
        )
        assert cost == SEVERITY_PENALTY[tool.challenge("public-opposition").severity], slug
    assert CAT.tools["buildmissingmiddlehousing"].challenge("public-opposition").severity == 3


def test_a_tool_that_is_a_way_around_a_challenge_is_raised_not_penalised():
    for cid, challenge in CAT.challenges.items():
        for slug in challenge.enablers:
            tool = CAT.tools[slug]
            goal = {tool.goals[0]: 3}
            base = assess(tool, Profile(goals=goal), CAT)
            faced = assess(tool, Profile(goals=goal, faces=frozenset({cid})), CAT)
            assert faced.exact == min(100.0, base.exact + WAY_AROUND_BONUS) and not faced.flags, (slug, cid)
            assert f"A way around a challenge you face: {challenge.name.lower()}." in faced.reasons


def test_a_way_around_a_faced_challenge_moves_it_up_the_list():
    # a weak-market downtown: the plan that prepares sites and incentives comes before the
    # assessment-funded management district that an empty main street cannot pay for
    town = dict(goals={"revitalize-centers": 3}, setting="suburban", budget="low")
    before = [r.slug for r in recommend(CAT, Profile(**town)) if r.recommended]
    after = [r.slug for r in recommend(CAT, Profile(**town, faces=frozenset({"market-dependence"}))) if r.recommended]
    plan, district = "revitalizationplanningandprograms", "downtownmanagement"
    assert before.index(district) < before.index(plan)
    assert after.index(plan) < after.index(district)


def test_a_way_around_two_challenges_faced_is_offered_though_it_serves_no_goal():
    """A small borough short of staff whose flooding crosses its borders: Shared Services serves
    no flooding goal, but a planner offers it as the way to get the work done; a weak fit, below
    every tool that works toward the goal, saying which challenges it eases. One challenge alone
    does not bring it in."""
    shared = CAT.tools["sharedservices"]
    goal = {"reduce-flood-risk": 3}
    assert not shared.strength("reduce-flood-risk")
    eased = sorted(c for c, ch in CAT.challenges.items() if "sharedservices" in ch.enablers and not ch.money)[:2]
    assert len(eased) == 2
    recs = [r for r in recommend(CAT, Profile(goals=goal, faces=frozenset(eased))) if r.recommended]
    by_slug = {r.slug: r for r in recs}
    offered = by_slug["sharedservices"]
    assert offered.fit == "weak" and not offered.matched_goals
    names = "; ".join(CAT.challenge_name(c).lower() for c in eased)
    assert offered.reasons[0] == "Advances none of your goals directly."
    assert f"Offered because it is a way around challenges you face: {names}." in offered.notes
    position = [r.slug for r in recs].index("sharedservices")
    above = recs[position - 1]
    assert (
        offered.vs_above.endswith("this tool serves none of your goals directly.") and above.title in offered.vs_above
    )
    assert all(CAT.tools[r.slug].strength("reduce-flood-risk") < 2 for r in recs[position + 1 :] if r.applies)
    one = [r.slug for r in recommend(CAT, Profile(goals=goal, faces=frozenset(eased[:1]))) if r.recommended]
    assert "sharedservices" not in one


def test_a_fee_or_a_fund_is_never_brought_in_for_a_goal_it_does_not_serve_by_money_challenges():
    """A hot rowhouse neighborhood short of money (upfront funding and ongoing costs): a stormwater
    fee or an open space fund eases those only for its own purpose, so neither is offered for heat
    and housing, though each is raised where it serves a goal asked for."""
    money = frozenset(c for c, ch in CAT.challenges.items() if ch.money)
    assert money == {"upfront-funding", "ongoing-costs"}
    revenue = {"stormwaterfees", "dedicatedopenspacefunding"}
    assert all(all(s in CAT.challenges[c].enablers for c in money) for s in revenue)
    town = dict(goals={"cool-communities": 3, "housing-choice": 3}, setting="urban", budget="low", faces=money)
    assert not revenue & {r.slug for r in recommend(CAT, Profile(**town)) if r.recommended}
    flood = {r.slug: r for r in recommend(CAT, Profile(goals={"reduce-flood-risk": 3}, faces=money))}
    assert flood["stormwaterfees"].boost > 0 and flood["stormwaterfees"].recommended

    tool = CAT.tools["stormwaterfees"]  # a way around funding challenges, and it builds on stormwater management
    goal = {"stretch-budgets": 3}
    base = assess(tool, Profile(goals=goal), CAT)
    faced = frozenset(c for c, ch in CAT.challenges.items() if tool.slug in ch.enablers)
    have = {t.slug for t in tool.builds_on}
    both = assess(tool, Profile(goals=goal, faces=faced, have=have), CAT)
    assert faced and have and both.boost == BOOST_CAP and both.exact == min(100.0, base.exact + BOOST_CAP)


def test_budget_staff_and_horizon_flags():
    iot = CAT.tools["iotandsmartcommunities"]  # high cost, high effort
    r = assess(iot, Profile(goals={"smart-services": 2}, budget="low", staff="medium", horizon="short"), CAT)
    kinds = {f.kind: f for f in r.flags}
    assert set(kinds) == {"budget", "staff", "horizon"}
    assert kinds["budget"].challenge == "upfront-funding" and kinds["budget"].mitigations
    assert kinds["budget"].penalty == 2 * LEVEL_PENALTY and kinds["staff"].penalty == LEVEL_PENALTY


def test_tool_serving_nothing_asked_is_not_recommended():
    recs = recommend(CAT, Profile(goals={"local-food": 2}))
    assert recs and all("local-food" in CAT.tools[r.slug].goals for r in recs)


def test_state_law_lists_trid_apart_in_new_jersey():
    recs = recommend(CAT, Profile(goals={"transit-access": 3}, state="NJ"), top=3)
    assert len([r for r in recs if not r.excluded]) == 3
    barred = [r for r in recs if r.excluded]
    assert [r.slug for r in barred] == ["transitrevitalizationinvestmentdistricttrid"]
    # the card in the "barred by state law" list names the law
    assert (
        barred[0].reasons[0].startswith("Not available in New Jersey.") and "Pennsylvania law" in barred[0].reasons[0]
    )
    assert "transitrevitalizationinvestmentdistricttrid" in top_slugs(
        Profile(goals={"transit-access": 3}, state="PA"), 20
    )


def test_a_tool_that_does_not_apply_to_the_setting_sits_below_every_tool_that_does():
    profile = Profile(goals={"guide-growth": 3}, setting="rural")
    recs = [r for r in recommend(CAT, profile) if r.recommended]
    tod = next(r for r in recs if r.slug == "transit-orienteddevelopmenttodzoning")
    assert CAT.tools[tod.slug].setting_grade("rural") == 0
    assert not tod.applies and not tod.excluded and tod.fit == "unsuited"  # not called a weak fit
    position = recs.index(tod)
    assert all(r.applies for r in recs[:position]) and all(not r.applies for r in recs[position:])
    assert any(r.goal_strength["guide-growth"] < 3 for r in recs[:position]), "a lesser tool that applies ranks above"
    (flag,) = [f for f in tod.flags if f.kind == "setting"]
    assert "rural" in flag.message and CAT.tools[tod.slug].settings_note in flag.message and flag.mitigations
    # the card shows "title: message": the message does not say the title again
    assert flag.title == "Does not apply in rural places" and flag.title.lower() not in flag.message.lower()
    above = recs[position - 1]
    if above.applies:
        assert "does not apply in rural places" in tod.vs_above
    # in the city it applies, and is among the first answers
    urban = [r.slug for r in recommend(CAT, profile.replace(setting="urban"), top=6)]
    assert tod.slug in urban


def test_the_count_names_the_tools_that_serve_a_goal_but_not_the_setting_apart_from_the_fits():
    recs = [r for r in recommend(CAT, Profile(goals={"guide-growth": 3}, setting="rural")) if r.recommended]
    unsuited = [r for r in recs if not r.applies]
    assert unsuited and all(r.fit is Fit.UNSUITED for r in unsuited)
    assert all(r.fit is not Fit.UNSUITED for r in recs if r.applies)
    head, tail = fit_summary(recs, "rural")
    assert head == f"{len(recs) - len(unsuited)} tools fit"
    assert tail.endswith(f" {len(unsuited)} more serve your goals but do not suit rural places.")
    # where every tool applies, the count is the fits alone
    city = [r for r in recommend(CAT, Profile(goals={"walk-bike": 3}, setting="urban")) if r.recommended]
    assert all(r.applies for r in city) and "more serve" not in "".join(fit_summary(city, "urban"))


def test_tools_that_score_0_are_counted_apart_from_the_fits():
    """A planner read "26 tools fit" above three cards at "0 of 100": a tool whose burden
    outweighs what it does for the goals is still listed, but not counted as a fit."""
    town = Profile(
        goals={"housing-choice": 3, "revitalize-centers": 2},
        state="NJ",
        setting="suburban",
        budget="low",
        face=frozenset({"public-opposition"}),
    )
    recs = [r for r in recommend(CAT, town) if r.recommended]
    zero = [r for r in recs if r.score == 0]
    assert zero and all(r.fit is Fit.WEAK for r in zero)
    head, tail = fit_summary(recs, "suburban")
    assert head == f"{len(recs) - len(zero)} tools fit"
    weak = sum(1 for r in recs if r.fit is Fit.WEAK) - len(zero)
    assert f", {weak} weak." in tail
    assert tail.endswith(
        f" {len(zero)} more serve your goals but score 0: what stands in their way outweighs what they do for them."
    )
    assert (
        more_label(recs[-len(zero) - 2 :], "suburban")
        == f"Show the other 2 tools that fit and {len(zero)} that score 0"
    )
    assert more_label(recs[-1:], "suburban") == "Show the other 1 tool that scores 0"


def test_the_switch_to_the_rest_counts_the_fits_and_the_tools_for_another_setting_apart():
    recs = [r for r in recommend(CAT, Profile(goals={"guide-growth": 3}, setting="rural")) if r.recommended]
    rest = recs[5:]
    unsuited = sum(1 for r in rest if r.fit is Fit.UNSUITED)
    assert unsuited >= 2 and len(rest) - unsuited >= 2
    assert more_label(rest, "rural") == (
        f"Show the other {len(rest) - unsuited} tools that fit and {unsuited} that do not suit rural places"
    )
    only = [r for r in rest if r.fit is Fit.UNSUITED]
    assert more_label(only, "rural") == f"Show the other {len(only)} tools that do not suit rural places"
    assert more_label(only[:1], "rural") == "Show the other 1 tool that does not suit rural places"
    fitting = [r for r in rest if r.fit is not Fit.UNSUITED]
    assert more_label(fitting, "rural") == f"Show the other {len(fitting)} tools that fit"
    assert more_label(fitting[:1]) == "Show the other 1 tool that fits"


def test_a_setting_it_suits_only_with_adaptation_costs_points_and_says_why():
    tool = CAT.tools["curbsidemanagement"]
    assert tool.setting_grade("suburban") == 1
    goal = {"manage-traffic": 3, "revitalize-centers": 1}  # a main street in both: only the setting differs
    urban = assess(tool, Profile(goals=goal, setting="urban"), CAT)
    suburban = assess(tool, Profile(goals=goal, setting="suburban"), CAT)
    assert urban.score - suburban.score == ADAPTATION_PENALTY and suburban.applies
    (flag,) = suburban.flags
    assert flag.kind == "setting" and flag.title == "Fits suburban places only with adaptation"
    assert flag.message == tool.settings_note  # what the adaptation is, from the content


def test_agricultural_zoning_is_no_answer_for_a_dense_city():
    profile = Profile(goals={"conserve-land": 3}, setting="urban")
    top = [r for r in recommend(CAT, profile, top=6) if r.recommended]
    assert "agriculturalzoning" not in [r.slug for r in top]
    assert (
        assess(CAT.tools["agriculturalzoning"], profile, CAT).fit == "unsuited"
    )  # "not for your setting", not a weak fit


def test_a_city_neighbourhood_is_not_handed_a_joint_plan_as_if_it_were_a_borough():
    """Holdout12's Northern Liberties and holdout5's Roxborough (Philadelphia neighbourhoods asking
    to guide growth) had Multimunicipal Comprehensive Plans in their top 6, graded 0 by both
    planners: a large city plans on its own. In a city it now fits only with adaptation, and the
    card says what that is; a borough among townships still has it in its top 6 for guiding growth."""
    tool = CAT.tools["multimunicipalcomprehensiveplans"]
    city = assess(tool, Profile(goals={"guide-growth": 3}, setting="urban"), CAT)
    borough = assess(tool, Profile(goals={"guide-growth": 3}, setting="suburban"), CAT)
    assert borough.score - city.score == ADAPTATION_PENALTY
    (flag,) = [f for f in city.flags if f.kind == "setting"]
    assert "large city plans on its own" in flag.message
    assert tool.slug in [r.slug for r in recommend(CAT, Profile(goals={"guide-growth": 3}, setting="suburban"), top=6)]


def test_what_if_names_tools_that_enter_when_a_constraint_is_relaxed():
    profile = Profile(
        goals={"reduce-flood-risk": 3, "protect-water": 2},
        budget="low",
        staff="low",
        faces=frozenset({"upfront-funding", "staff-skills", "enforcement"}),
    )
    changes = {(w.kind, w.value): w for w in what_if(CAT, profile)}
    assert set(changes) == {
        ("budget", "low"),
        ("staff", "low"),
        ("face", "upfront-funding"),
        ("face", "staff-skills"),
        ("face", "enforcement"),
    }
    for (kind, value), w in changes.items():
        relaxed = top_slugs(profile.relax(kind, value))
        assert set(w.entered) == set(relaxed) - set(top_slugs(profile))
    assert any(w.entered or w.moved_up for w in changes.values())


def test_package_covers_every_goal_it_can_with_a_greedy_cover():
    profile = Profile(goals={"reduce-flood-risk": 3, "housing-choice": 2, "walk-bike": 2, "digital-access": 1})
    pkg = balanced_package(CAT, profile)
    assert set(pkg.covered_goals) == set(profile.goals) and pkg.gaps == ()
    assert 3 <= len(pkg.slugs) <= 5
    assert len(pkg.steps) == len(pkg.slugs)


def test_coverage_counts_and_gaps():
    slugs = ["floodplainordinances", "stormwaterfees"]
    cov = coverage(CAT, slugs, focus=["Economy", "Environment"], goals=["reduce-flood-risk", "local-food"])
    rows = {(r.dimension, r.key): r for r in cov.rows}
    assert rows[("Focus area", "Environment")].count == 2
    assert rows[("Focus area", "Economy")].count == 0
    assert {r.key for r in cov.gaps} == {"Economy", "local-food"}
    text = coverage_sentence(cov, 2)
    assert "Not covered:" in text and "Economy" in text


# ---- planners' scenarios ----


def test_a_town_facing_floods_gets_floodplain_and_stormwater_tools_near_the_top():
    top = top_slugs(
        Profile(goals={"reduce-flood-risk": 3}, focus=frozenset({"Environment"}), principles=frozenset({"Resiliency"})),
        5,
    )
    assert "floodplainordinances" in top
    assert {"stormwatermanagement", "stormwaterfees"} & set(top)


def test_an_under_resourced_town_asking_for_smart_services_still_sees_iot_flagged():
    profile = Profile(
        goals={"smart-services": 3},
        faces=frozenset({"upfront-funding", "staff-skills", "privacy-security", "procurement"}),
        budget="low",
        staff="low",
    )
    recs = {r.slug: r for r in recommend(CAT, profile)}
    iot = recs["iotandsmartcommunities"]
    flagged = {f.challenge for f in iot.flags}
    assert {"upfront-funding", "staff-skills", "privacy-security", "procurement"} <= flagged
    unlimited = assess(CAT.tools["iotandsmartcommunities"], Profile(goals={"smart-services": 3}), CAT)
    assert iot.score == unlimited.score - iot.penalty and iot.penalty >= 15


def test_farmland_in_a_rural_township():
    top = top_slugs(Profile(goals={"conserve-land": 3, "local-food": 2}, setting="rural"), 5)
    assert "agriculturalzoning" in top


@pytest.mark.parametrize("goal", GOALS)
def test_every_goal_has_at_least_one_tool(goal):
    assert top_slugs(Profile(goals={goal: 2}), 3)


def test_room_votes_are_shown_beside_the_fit_never_inside_it():
    base = Profile(goals={"walk-bike": 2, "reduce-flood-risk": 2})
    voted = base.replace(votes={"visionzero": 4, "floodplainordinances": 2, "agriculturalzoning": 9})
    before = {r.slug: r for r in rank(CAT, base)}
    after = {r.slug: r for r in rank(CAT, voted)}
    assert after["visionzero"].dots == 4 and before["visionzero"].dots == 0
    assert after["visionzero"].as_dict()["dots"] == 4
    assert {s: (r.score, r.fit) for s, r in after.items()} == {s: (r.score, r.fit) for s, r in before.items()}
    # votes never bring in a tool that serves nothing asked for, nor change the order
    assert "agriculturalzoning" not in after or not after["agriculturalzoning"].recommended
    assert [r.slug for r in recommend(CAT, voted)] == [r.slug for r in recommend(CAT, base)]


# ---- graded goals: what a planner expects, written from the tool pages ----

# For each goal, the tool a planner names first for it: goals.yaml's `exemplar` (validate
# checks each goal names one, graded 3 for it).
MADE_FOR = {gid: goal.exemplar for gid, goal in CAT.goals.items()}


@pytest.mark.parametrize("goal", sorted(MADE_FOR))
def test_the_tool_made_for_a_goal_ranks_in_its_top_three(goal):
    top = top_slugs(Profile(goals={goal: 2}), 3)
    assert MADE_FOR[goal] in top, [CAT.title(s) for s in top]


@pytest.mark.parametrize(
    ("goal", "above", "below"),
    [
        # the complaints, as a planner reads the pages
        ("walk-bike", "walkingandbikingencouragementprograms", "agefriendlycommunities"),
        ("walk-bike", "completestreets", "community-centereddesigninschoolsystems"),
        ("guide-growth", "officialmap", "brownfieldsredevelopment"),
        ("guide-growth", "multimunicipalcomprehensiveplans", "impactfees"),
        ("guide-growth", "transit-orienteddevelopmenttodzoning", "brownfieldsredevelopment"),
        ("clean-air", "traveldemandmanagementtdm", "alternativeenergyordinance"),
        ("reduce-flood-risk", "stormwatermanagement", "post-disasterplanning"),
        ("grow-business", "financialincentivezones", "liveworkzoning"),
        ("safer-streets", "visionzero", "truckroutenetworkdesignation"),
    ],
)
def test_planners_order_within_a_goal(goal, above, below):
    order = [r.slug for r in recommend(CAT, Profile(goals={goal: 2}))]
    assert above in order and order.index(above) < (order.index(below) if below in order else len(order))


def test_known_slips_are_fixed():
    assert CAT.tools["traveldemandmanagementtdm"].strength("clean-air") >= 2
    assert not CAT.tools["stormwatermanagement"].strength("cool-communities")
    assert not CAT.tools["communityshuttleprograms"].strength("manage-traffic")
    assert not CAT.tools["revitalizationplanningandprograms"].strength("housing-choice")
    assert CAT.tools["stormwatermanagement"].cost == "low"


def test_one_essential_goal_served_strongly_beats_three_touched_weakly():
    profile = Profile(goals={"revitalize-centers": 2, "grow-business": 2, "housing-choice": 2})
    order = [r.slug for r in recommend(CAT, profile)]
    assert order.index("downtownmanagement") < order.index("liveworkzoning")
    assert order.index("revitalizationplanningandprograms") < order.index("liveworkzoning")


def test_a_side_benefit_cannot_reach_strong_fit_on_goals_alone():
    r = assess(CAT.tools["nativeplantordinances"], Profile(goals={"conserve-land": 3}), CAT)
    assert r.goal_strength == {"conserve-land": 1} and r.score < STRONG_AT and r.fit != "strong"


def test_reasons_say_how_strongly_each_goal_is_served():
    r = assess(CAT.tools["completestreets"], Profile(goals={"walk-bike": 3, "all-ages": 1, "local-food": 1}), CAT)
    assert r.reasons[:3] == (
        "Made for: Make walking and biking easier (essential).",
        "Works toward: Serve residents of all ages and abilities (nice to have).",
        "Does not address: Strengthen local food systems and farms.",
    )


def test_each_card_after_the_first_says_why_it_sits_below():
    recs = [r for r in recommend(CAT, Profile(goals={"walk-bike": 2})) if not r.excluded]
    assert recs[0].vs_above == ""
    for above, r in zip(recs, recs[1:], strict=False):
        assert r.vs_above.startswith(f"Ranked below {above.title}: "), r.vs_above
    # a strength difference names the goal and both strengths
    first_two = next(r for r in recs if r.goal_strength["walk-bike"] == 2)
    assert "is made for “Make walking and biking easier”" in first_two.vs_above
    assert "this tool only works toward it" in first_two.vs_above  # the same goal, a weaker strength


def test_vs_above_names_the_burden_when_constraints_separate_two_tools():
    profile = Profile(goals={"safer-streets": 2}, budget="low")
    recs = [r for r in recommend(CAT, profile) if not r.excluded]
    costly = [r for r in recs if any(f.kind == "budget" for f in r.flags) and r.goal_strength["safer-streets"] == 3]
    below = [r for r in costly if r.vs_above]  # the first may top the list, a go-to tool for the goal
    assert below
    assert "cost above your budget" in below[0].vs_above


def test_package_covers_each_goal_with_its_strongest_tool_first():
    profile = Profile(goals={"reduce-flood-risk": 3, "walk-bike": 2, "local-food": 1})
    pkg = balanced_package(CAT, profile)
    for goal in profile.goals:
        best = max(CAT.tools[s].strength(goal) for s in CAT.tools)
        assert max(CAT.tools[s].strength(goal) for s in pkg.slugs) == best, goal
    assert pkg.steps[0].endswith(": made for “Reduce flooding and stormwater damage”.")


@pytest.mark.parametrize(
    "profile",
    [
        Profile(
            goals={"reduce-flood-risk": 3, "conserve-land": 3}, state="PA", budget="low", staff="low", setting="rural"
        ),
        Profile(goals={"housing-choice": 3, "revitalize-centers": 3}, state="NJ"),
        Profile(goals={"reduce-flood-risk": 3, "protect-water": 3, "cool-communities": 3}, setting="suburban"),
        Profile(goals={"local-food": 3, "conserve-land": 3, "grow-business": 3}, setting="rural"),
    ],
    ids=["pa-rural-workshop", "nj-borough", "three-water-goals", "farm-economy"],
)
def test_the_package_picks_the_card_marked_best_for_a_goal(profile):
    """The walk-through's reader asked which is best when the package took Stream Corridor
    Protection for flooding while the cards marked Floodplain Ordinances "Best for" it: a
    tool the package takes for a goal is that goal's "Best for" card."""
    leader = {r.leads_for: r.slug for r in rank(CAT, profile) if r.leads_for}
    assert leader, "two or more essential goals: each has a best tool"
    pkg = balanced_package(CAT, profile)
    taken = 0
    for slug, why in zip(pkg.slugs, pkg.steps, strict=True):
        for goal, best in leader.items():
            if f"for “{CAT.goal_name(goal)}”" in why.split(":", 1)[1]:
                assert slug == best, (CAT.goal_name(goal), slug, best)
                taken += 1
    assert taken


# ---- what the town already has ----


def test_a_tool_in_place_is_listed_apart_and_counts_toward_the_package():
    profile = Profile(goals={"walk-bike": 3, "revitalize-centers": 2}, have={"completestreets"})
    recs = recommend(CAT, profile)
    (done,) = [r for r in recs if r.slug == "completestreets"]
    assert done.in_place and not done.recommended and not done.excluded and recs[-1] is done
    assert done.as_dict()["inPlace"] is True and "Already in place" in done.reasons[0]
    pkg = balanced_package(CAT, profile)
    assert "completestreets" not in pkg.slugs and pkg.in_place == ("completestreets",)
    # walking and biking is served strongly by what is in place, so the package does not spend a tool on it
    assert all(CAT.tools[s].strength("walk-bike") < 3 for s in pkg.slugs[:1])
    assert "walk-bike" in pkg.covered_goals
    # no "what if" for a tool in place
    assert all(w.kind != "have" for w in what_if(CAT, profile))


def test_coverage_shows_what_is_in_place_apart_and_never_as_a_gap():
    cov = coverage(
        CAT,
        ["walkingandbikingencouragementprograms"],
        focus=["Economy"],
        goals=["walk-bike", "transit-access", "local-food"],
        in_place=["completestreets"],
    )
    rows = {(r.dimension, r.key): r for r in cov.rows}
    assert rows[("Goal", "transit-access")].count == 0 and rows[("Goal", "transit-access")].in_place == (
        "completestreets",
    )
    assert rows[("Goal", "walk-bike")].tools == ("walkingandbikingencouragementprograms",)
    assert {r.key for r in cov.gaps} == {"Economy", "local-food"}
    sentence = coverage_sentence(cov, 1)
    assert sentence.startswith("This tool covers")
    assert "Already served by tools in place: Make walking and biking easier, Improve transit access" in sentence


def test_rank_scores_only_what_serves_the_profile_but_still_lists_barred_and_in_place_tools():
    profile = Profile(goals={"local-food": 2}, state="NJ", have={"visionzero"})
    ranked = rank(CAT, profile)
    listed = {r.slug: r for r in ranked}
    serving = {s for s, t in CAT.tools.items() if t.strength("local-food")}
    assert {s for s, r in listed.items() if r.recommended} == serving
    # TRID serves no food goal but is barred in New Jersey, and Vision Zero is in place: both still listed
    assert listed["transitrevitalizationinvestmentdistricttrid"].excluded
    assert listed["visionzero"].in_place
    assert all(r.recommended or r.excluded or r.in_place for r in ranked)
    everything = rank(CAT, profile, everything=True)
    assert {r.slug for r in everything} == set(CAT.tools)
    assert [r.slug for r in everything if r.recommended] == [r.slug for r in ranked if r.recommended]


def test_a_tool_listed_first_as_best_for_a_goal_never_shares_its_rank_with_the_next():
    """Clean air and heat, both essential: Truck Route Network Designation opens the list as the
    best for clean air; Cooling Centers is level with it on every count but sorts first by title.
    Their order is the "best for" rule, not chance: two ranks, and the card says why (they
    once shared "=2" while the card gave the rule as the reason)."""
    recs = [r for r in recommend(CAT, Profile(goals={"clean-air": 3, "cool-communities": 3})) if r.recommended]
    slugs = [r.slug for r in recs]
    leader = recs[slugs.index("truckroutenetworkdesignation")]
    after = recs[slugs.index("truckroutenetworkdesignation") + 1]
    assert leader.leads_for == "clean-air" and after.slug == "coolingcenters"
    assert after.score == leader.score and not after.leads_for and after.title < leader.title
    assert not leader.position.startswith("=") and not after.position.startswith("=")
    assert int(after.position) == int(leader.position) + 1
    assert "the best for “Improve air quality”" in after.vs_above


def test_focus_areas_alone_make_no_tool_a_strong_fit(catalog):
    """Only a focus area chosen: every tool that covers it is listed, none as a strong fit
    (the walk-through found all 18 Economy tools "strong, 100"), and the order still weighs
    the town's constraints."""
    from logic.scoring import STRONG_AT

    recs = [r for r in recommend(catalog, Profile(focus=("Economy",))) if r.recommended]
    assert len(recs) == sum("Economy" in t.focus_areas for t in catalog.tools.values())
    assert {r.fit for r in recs} == {"possible"} and max(r.score for r in recs) < STRONG_AT
    light = [r for r in recommend(catalog, Profile(focus=("Economy",), budget="low")) if r.recommended]
    assert len({r.score for r in light}) > 1  # a cost above the budget still lowers a tool
    with_goal = [
        r for r in recommend(catalog, Profile(goals={"grow-business": 3}, focus=("Economy",))) if r.recommended
    ]
    assert with_goal[0].fit == "strong"


def test_a_tool_that_does_not_apply_is_never_said_to_fit_with_adaptation(catalog):
    """Rural town, transit goal: TOD does not apply there; its flag's heading says so (the
    walk-through found "Fits rural places only with adaptation: Does not apply in rural
    places..."), and a tool that needs adaptation keeps its own heading."""
    recs = {r.slug: r for r in recommend(catalog, Profile(goals={"transit-access": 3}, setting="rural"))}
    tod = [f for f in recs["transit-orienteddevelopmenttodzoning"].flags if f.kind == "setting"]
    assert [f.title for f in tod] == ["Does not apply in rural places"]
    assert tod[0].message.startswith("Listed after the tools that suit rural places")  # not the heading again
    adapted = [f for r in recs.values() for f in r.flags if f.kind == "setting" and r.applies]
    assert adapted and all(f.title == "Fits rural places only with adaptation" for f in adapted)


def test_a_flag_for_adapting_a_tool_says_what_the_adaptation_is_not_its_heading_again():
    """The walk-through read "Fits rural places only with adaptation: Works in rural places only
    with adaptation. A rural township usually has only a site or two ...": the heading twice.
    The message is now the tool's own note on the setting, in every setting it suits only with
    adaptation."""
    seen = 0
    for setting in ("urban", "suburban", "rural"):
        for tool in CAT.tools.values():
            if tool.setting_grade(setting) != 1:
                continue
            goal = next(iter(tool.goal_strength))
            (flag,) = [
                f for f in assess(tool, Profile(goals={goal: 3}, setting=setting), CAT).flags if f.kind == "setting"
            ]
            assert flag.title == f"Fits {setting} places only with adaptation"
            assert flag.message == tool.settings_note and "only with adaptation" not in flag.message
            seen += 1
    assert seen >= 40  # every grade-1 setting of the catalog (49 tools have one)


def test_a_tool_made_for_the_top_goal_is_never_listed_as_possible_under_a_weak_fit():
    """A tool made for the town's top goal, heavy for a thin town and running hard into six of
    the challenges it faces, stays a possible fit below 40; a light tool that serves a less
    important goal as a main effect scores more but is a weak fit, so it is listed below, and
    its card says why."""
    faced = ("leadership", "staff-skills", "procurement", "legal-authority", "public-opposition", "enforcement")
    made = Tool(
        slug="made",
        title="Made for flooding",
        goals=("reduce-flood-risk",),
        goal_strength={"reduce-flood-risk": 3},
        challenges=tuple(ChallengeRef(c, severity=3) for c in faced),
        cost=Level.HIGH,
        staff_effort=Level.HIGH,
        time_to_results=Horizon.LONG,
    )
    light = Tool(
        slug="light",
        title="Aa light side tool",  # its title sorts first, so the title never places it below
        goals=("conserve-land",),
        goal_strength={"conserve-land": 2},
        cost=Level.LOW,
        staff_effort=Level.LOW,
        time_to_results=Horizon.SHORT,
    )
    small = Catalog(tools={"made": made, "light": light}, goals=CAT.goals, challenges=CAT.challenges)
    profile = Profile(
        goals={"reduce-flood-risk": 3, "conserve-land": 2}, budget="low", staff="low", horizon="short", faces=faced
    )
    first, second = [r for r in recommend(small, profile) if r.recommended]
    assert (first.slug, first.fit, second.slug, second.fit) == ("made", Fit.POSSIBLE, "light", Fit.WEAK)
    assert first.score < second.score < POSSIBLE_AT
    assert second.vs_above == (
        "Ranked below Made for flooding: Made for flooding is made for your most important goal, so it stays "
        "a possible fit however much stands in its way, and possible fits come before weak ones."
    )


def test_two_tools_that_do_not_suit_the_setting_are_not_said_to_share_a_score():
    """Their cards show no fit score, so 'same score, burden and effort, but ...' pointed at a
    number nobody sees: two tools held below every fit say that neither applies instead."""
    profile = Profile(goals={"transit-access": 3, "guide-growth": 2}, setting="rural", state="PA")
    recs = [r for r in rank(CAT, profile, explain=75) if r.recommended]
    pairs = [(above, r) for above, r in zip(recs, recs[1:], strict=False) if not (r.applies or above.applies)]
    level = [r for above, r in pairs if r.exact == above.exact]
    assert level, "no two unsuited tools level on score in this town"
    for r in level:
        assert "like it, this tool does not apply in rural places" in r.vs_above, r.vs_above
        assert "same score" not in r.vs_above, r.vs_above
    fits = [(above, r) for above, r in zip(recs, recs[1:], strict=False) if r.applies and above.applies]
    assert any("same score" in r.vs_above for above, r in fits if r.exact == above.exact)  # fits still say it


def test_two_tools_that_do_not_suit_the_setting_level_on_every_count_do_not_name_a_score():
    """When two such tools also tie on burden, effort and case studies, the line says what they
    are level on, without the score their cards do not show; two fits still name it."""
    profile = Profile(goals={"transit-access": 3, "guide-growth": 2}, setting="rural", state="PA")
    recs = [r for r in rank(CAT, profile, explain=75) if r.recommended]
    unsuited = next(x for x in recs if not x.applies)
    fit = next(x for x in recs if x.applies)
    for x, counts in ((unsuited, "burden, effort and case studies"), (fit, "score, burden, effort and case studies")):
        # the same tool twice: level on every count, as the rare full ties are
        line = why_below(replace(x, slug="twin", title="Twin", position="=9"), replace(x, position="=9"), CAT, profile)
        assert line.startswith(f"Level with {x.title} on every count ({counts}), so they share rank =9"), line
