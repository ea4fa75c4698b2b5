"""The rules: unit tests, properties over random profiles, planners' scenarios."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logic import load_catalog
from logic.coverage import coverage, coverage_sentence
from logic.rules import (
    CHALLENGE_PENALTY,
    Profile,
    assess,
    balanced_package,
    rank,
    recommend,
    what_if,
)
from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, PRINCIPLES, SETTINGS, STATES
from support import CONTENT

CAT = load_catalog(CONTENT)
GOALS = list(CAT.goals)
CHALLENGES = list(CAT.challenges)


def maybe(values):
    return st.one_of(st.none(), st.sampled_from(values))


profiles = st.builds(
    Profile,
    goals=st.dictionaries(st.sampled_from(GOALS), st.integers(1, 3), max_size=5),
    focus=st.frozensets(st.sampled_from(FOCUS_AREAS), max_size=3),
    principles=st.frozensets(st.sampled_from(PRINCIPLES), max_size=2),
    faces=st.frozensets(st.sampled_from(CHALLENGES), max_size=5),
    state=maybe(STATES),
    setting=maybe(SETTINGS),
    budget=maybe(LEVELS),
    staff=maybe(LEVELS),
    horizon=maybe(HORIZONS),
)
SETTINGS_H = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def top_slugs(profile, n=10):
    return [r.slug for r in recommend(CAT, profile, top=n) if not r.excluded]


# ---- properties ----


@SETTINGS_H
@given(profiles)
def test_deterministic(profile):
    assert [r.as_dict() for r in recommend(CAT, profile)] == [r.as_dict() for r in recommend(CAT, profile)]


@SETTINGS_H
@given(profiles)
def test_order_is_score_then_title(profile):
    recs = [r for r in recommend(CAT, profile) if not r.excluded]
    keys = [(-r.score, r.title.lower()) for r in recs]
    assert keys == sorted(keys)
    assert all(0 <= r.score <= 100 for r in recs)


@SETTINGS_H
@given(profiles, st.sampled_from(CHALLENGES))
def test_facing_one_more_challenge_never_raises_a_score(profile, extra):
    before = {r.slug: r.score for r in rank(CAT, profile)}
    after = {r.slug: r.score for r in rank(CAT, replace(profile, faces=profile.faces | {extra}))}
    assert all(after[s] <= before[s] for s in before)


@SETTINGS_H
@given(profiles, st.sampled_from(GOALS), st.integers(1, 3))
def test_one_more_goal_a_tool_serves_never_lowers_its_score(profile, goal, importance):
    if goal in profile.goals:
        return
    more = replace(profile, goals={**profile.goals, goal: importance})
    before = {r.slug: r.score for r in rank(CAT, profile)}
    for r in rank(CAT, more):
        if goal in CAT.tools[r.slug].goals:
            assert r.score >= before[r.slug], r.slug


@SETTINGS_H
@given(profiles)
def test_only_state_law_excludes_and_every_exclusion_says_why(profile):
    for r in rank(CAT, profile):
        tool = CAT.tools[r.slug]
        barred = bool(profile.state and tool.states and profile.state not in tool.states)
        assert r.excluded == barred
        if r.excluded:
            assert "state law" in r.reasons[0]


@SETTINGS_H
@given(profiles)
def test_every_recommendation_has_reasons_and_serves_something_asked(profile):
    for r in recommend(CAT, profile):
        assert r.reasons
        if not r.excluded and profile.asks_for_something:
            assert r.matched_goals or r.matched_focus or r.matched_principles


@SETTINGS_H
@given(profiles)
def test_package_is_three_to_five_recommended_tools_and_names_its_gaps(profile):
    pkg = balanced_package(CAT, profile)
    recommended = {r.slug for r in recommend(CAT, profile) if not r.excluded}
    assert set(pkg.slugs) <= recommended
    assert len(pkg.slugs) <= 5
    if len(recommended) >= 3:
        assert len(pkg.slugs) >= 3
    assert set(pkg.covered_goals) | set(pkg.gap_goals) == set(profile.goals)
    for g in pkg.gap_goals:  # a named gap is one no package tool covers
        assert all(g not in CAT.tools[s].goals for s in pkg.slugs)


# ---- units ----


def test_scores_and_reasons_for_a_simple_profile():
    r = assess(CAT.tools["floodplainordinances"], Profile(goals={"reduce-flood-risk": 2}), CAT)
    assert r.score == 100 and r.fit == "strong"
    assert r.reasons[0] == "Advances your goal: Reduce flooding and stormwater damage."


def test_faced_challenge_costs_points_and_flags_with_note_and_mitigations():
    iot = CAT.tools["iotandsmartcommunities"]
    base = assess(iot, Profile(goals={"smart-services": 2}), CAT)
    faced = assess(iot, Profile(goals={"smart-services": 2}, faces=frozenset({"privacy-security"})), CAT)
    assert base.score - faced.score == CHALLENGE_PENALTY
    (flag,) = faced.flags
    assert flag.challenge == "privacy-security" and flag.note and flag.mitigations


def test_budget_staff_and_horizon_flags():
    iot = CAT.tools["iotandsmartcommunities"]  # high cost, high effort
    r = assess(iot, Profile(goals={"smart-services": 2}, budget="low", staff="medium", horizon="short"), CAT)
    kinds = {f.kind: f for f in r.flags}
    assert set(kinds) == {"budget", "staff", "horizon"}
    assert kinds["budget"].challenge == "upfront-funding" and kinds["budget"].mitigations
    assert kinds["budget"].penalty == 12 and kinds["staff"].penalty == 6


def test_tool_serving_nothing_asked_is_not_recommended():
    recs = recommend(CAT, Profile(goals={"local-food": 2}))
    assert recs and all("local-food" in CAT.tools[r.slug].goals for r in recs)


def test_state_law_lists_trid_apart_in_new_jersey():
    recs = recommend(CAT, Profile(goals={"transit-access": 3}, state="NJ"), top=3)
    assert len([r for r in recs if not r.excluded]) == 3
    barred = [r for r in recs if r.excluded]
    assert [r.slug for r in barred] == ["transitrevitalizationinvestmentdistricttrid"]
    assert "Pennsylvania" in barred[0].reasons[0]
    assert "transitrevitalizationinvestmentdistricttrid" in top_slugs(
        Profile(goals={"transit-access": 3}, state="PA"), 20
    )


def test_setting_mismatch_lowers_but_does_not_exclude():
    rural = assess(
        CAT.tools["transit-orienteddevelopmenttodzoning"], Profile(goals={"transit-access": 2}, setting="rural"), CAT
    )
    urban = assess(
        CAT.tools["transit-orienteddevelopmenttodzoning"], Profile(goals={"transit-access": 2}, setting="urban"), CAT
    )
    assert rural.score < urban.score and not rural.excluded
    assert any("rural" in x for x in rural.reasons)


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
    assert iot.fit in ("possible", "weak")


def test_farmland_in_a_rural_township():
    top = top_slugs(Profile(goals={"conserve-land": 3, "local-food": 2}, setting="rural"), 5)
    assert "agriculturalzoning" in top


@pytest.mark.parametrize("goal", GOALS)
def test_every_goal_has_at_least_one_tool(goal):
    assert top_slugs(Profile(goals={goal: 2}), 3)


def test_room_votes_are_one_more_bounded_factor():
    base = Profile(goals={"walk-bike": 2, "reduce-flood-risk": 2})
    voted = replace(base, votes={"visionzero": 4, "floodplainordinances": 2, "agriculturalzoning": 9})
    before = {r.slug: r for r in rank(CAT, base)}
    after = {r.slug: r for r in rank(CAT, voted)}
    assert after["visionzero"].score - before["visionzero"].score <= 10
    assert after["visionzero"].score >= before["visionzero"].score
    assert any("The room gave it 4 dots" in x for x in after["visionzero"].reasons)
    # votes never bring in a tool that serves nothing asked for
    assert not after["agriculturalzoning"].recommended
    assert {r.slug for r in recommend(CAT, voted)} == {r.slug for r in recommend(CAT, base)}
