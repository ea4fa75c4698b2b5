"""Properties of the rules over random profiles, on the small test catalog
(tests/fixtures/catalog) and on the real one: each example draws a catalog,
then a profile from that catalog's goals and challenges. Nothing here depends
on what the catalog says or how big it is; planners' expectations of the real
catalog are in test_rules.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logic import load_catalog
from logic.model import Catalog, ChallengeRef, Link, Tool
from logic.package import balanced_package
from logic.profile import Profile
from logic.rules import rank, recommend
from logic.scoring import TIE_BREAKS, WAY_AROUND_CHALLENGES, ways_around
from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, PRINCIPLES, SETTINGS, STATE_NAMES, STATES, Fit
from support import CONTENT, FIXTURE

CATALOGS = [load_catalog(FIXTURE), load_catalog(CONTENT)]  # the small one first: Hypothesis shrinks towards it
SETTINGS_H = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def maybe(values):
    return st.one_of(st.none(), st.sampled_from(values))


def profiles_for(cat: Catalog, max_goals: int = 5):
    return st.builds(
        Profile,
        goals=st.dictionaries(st.sampled_from(list(cat.goals)), st.integers(1, 3), max_size=max_goals),
        focus=st.frozensets(st.sampled_from(FOCUS_AREAS), max_size=3),
        principles=st.frozensets(st.sampled_from(PRINCIPLES), max_size=2),
        faces=st.frozensets(st.sampled_from(list(cat.challenges)), max_size=5),
        state=maybe(STATES),
        setting=maybe(SETTINGS),
        budget=maybe(LEVELS),
        staff=maybe(LEVELS),
        horizon=maybe(HORIZONS),
    )


@st.composite
def scenarios(draw, max_goals: int = 5):
    """(catalog, profile): a catalog, then a profile over its goals and challenges."""
    cat = draw(st.sampled_from(CATALOGS))
    return cat, draw(profiles_for(cat, max_goals))


def test_the_properties_run_on_a_catalog_smaller_than_the_real_one():
    small, real = CATALOGS
    assert small.tools and not small.errors
    assert set(small.tools).isdisjoint(real.tools), "the test catalog's tools are its own"


@SETTINGS_H
@given(scenarios())
def test_deterministic(scenario):
    cat, profile = scenario
    assert [r.as_dict() for r in recommend(cat, profile)] == [r.as_dict() for r in recommend(cat, profile)]


@SETTINGS_H
@given(scenarios())
def test_order_is_leaders_then_setting_then_score_then_each_tie_break_then_title(scenario):
    cat, profile = scenario
    recs = [r for r in recommend(cat, profile) if r.recommended]
    leaders = [r for r in recs if r.leads_for]
    assert recs[: len(leaders)] == leaders, "the best tool for each top goal opens the list"
    rest = recs[len(leaders) :]
    keys = [
        (not r.applies, r.fit is Fit.WEAK, -r.exact, *(t.key(r) for t in TIE_BREAKS), r.title.lower()) for r in rest
    ]
    assert keys == sorted(keys)
    for weak in (False, True):  # by score within a band: strong and possible fits, then weak ones
        applying = [r for r in rest if r.applies and (r.fit is Fit.WEAK) == weak]
        assert [r.score for r in applying] == sorted((r.score for r in applying), reverse=True)
    # no card reads "possible" (or "strong") under a "weak" one, but for a leader
    bands = [r.fit is Fit.WEAK for r in rest if r.applies]
    assert bands == sorted(bands)
    assert all(0 <= r.score <= 100 for r in recs)
    # a tool that does not apply to the setting is never above one that does
    assert [r.applies for r in recs] == sorted((r.applies for r in recs), reverse=True)


@SETTINGS_H
@given(scenarios())
def test_equal_scores_never_show_different_ranks_without_a_stated_reason(scenario):
    cat, profile = scenario
    recs = [r for r in recommend(cat, profile) if r.recommended]
    for above, r in zip(recs, recs[1:], strict=False):
        if r.score != above.score:
            continue
        if r.position == above.position:
            assert r.position.startswith("=") and r.vs_above.startswith("Level with")
        else:
            assert r.vs_above and not r.vs_above.startswith("Level with"), r.vs_above
            assert (
                "same score" in r.vs_above
                or "list opens" in r.vs_above
                or "apply" in r.vs_above
                or "possible fits come before weak ones" in r.vs_above
                or (r.exact != above.exact)
            ), r.vs_above


@SETTINGS_H
@given(scenarios())
def test_every_why_below_names_the_criterion_that_decided_it(scenario):
    """At equal score, the card names the first tie-break that differs (and the ones that were
    equal before it); level on all of them, it says so. Read from `TIE_BREAKS`, so a new
    tie-break without its sentence fails here."""
    cat, profile = scenario
    recs = [r for r in recommend(cat, profile) if r.recommended]
    for above, r in zip(recs, recs[1:], strict=False):
        if r.exact != above.exact or r.applies != above.applies or (above.leads_for and not r.leads_for):
            continue
        if (r.fit is Fit.WEAK) != (above.fit is Fit.WEAK):  # the band decided, before any tie-break
            assert r.vs_above.endswith("possible fits come before weak ones."), r.vs_above
            continue
        differs = [t for t in TIE_BREAKS if t.key(r) != t.key(above)]
        if not differs:
            assert r.vs_above.startswith("Level with"), r.vs_above
            for t in TIE_BREAKS:
                assert t.name in r.vs_above, (t.name, r.vs_above)
            continue
        decided = differs[0]
        assert decided.key(r) > decided.key(above), "the one below loses on the first tie-break that differs"
        equal = TIE_BREAKS[: TIE_BREAKS.index(decided)]
        assert f"but {decided.but}" in r.vs_above, (decided.name, r.vs_above)
        for t in equal:
            assert t.name in r.vs_above.split(", but")[0], (t.name, r.vs_above)


def test_a_tie_break_reaches_the_order_the_card_and_the_explainer(monkeypatch):
    """A made-up tie-break (fewer letters in the title first) is one entry in TIE_BREAKS: the
    order, the card's why-below and the explainer all follow it."""
    import logic.explain as explain
    import logic.scoring as scoring

    by_length = scoring.TieBreak("title length", lambda r: len(r.title), "the shorter title", "its title is longer")
    monkeypatch.setattr(scoring, "TIE_BREAKS", (by_length, *scoring.TIE_BREAKS))
    cat = CATALOGS[1]
    recs = [r for r in recommend(cat, Profile(goals={"walk-bike": 3})) if r.recommended]
    pairs = [(a, b) for a, b in zip(recs, recs[1:], strict=False) if a.exact == b.exact and a.applies == b.applies]
    assert pairs, "the real catalog has tools of equal score for one goal"
    for above, r in pairs:
        assert len(above.title) <= len(r.title)
        if len(above.title) < len(r.title):
            assert "same score, but its title is longer" in r.vs_above, r.vs_above
    assert "(1) the shorter title" in explain.ranking_explainer(cat)


def test_the_readme_states_every_tie_break_in_order():
    import re

    from support import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    ties = next(p for p in re.split(r"\n(?=- \*\*)", text) if p.startswith("- **Ties.**"))
    ties = " ".join(ties.split())
    places = [ties.find(t.rule.split(":")[0].split(" (")[0]) for t in TIE_BREAKS]  # the rule before its detail
    assert -1 not in places, (ties, [t.rule for t in TIE_BREAKS])
    assert places == sorted(places)


@SETTINGS_H
@given(scenarios(), st.data())
def test_facing_one_more_challenge_lowers_only_the_tools_it_holds_back(scenario, data):
    """A challenge never raises a tool it holds back, and never lowers a way around it."""
    cat, profile = scenario
    extra = data.draw(st.sampled_from(list(cat.challenges)))
    before = {r.slug: r.exact for r in rank(cat, profile)}
    after = {r.slug: r.exact for r in rank(cat, profile.replace(faces=profile.faces | {extra}))}
    ways_around = set(cat.challenges[extra].enablers)
    assert all(after[s] >= before[s] for s in before if s in ways_around)
    assert all(after[s] <= before[s] for s in before if s not in ways_around)


@SETTINGS_H
@given(st.sampled_from(CATALOGS), st.data())
def test_one_more_goal_never_moves_a_tool_serving_it_below_one_that_does_not(cat, data):
    """On goals alone (the design's promise; the weighted mean may lower every score)."""
    goals = list(cat.goals)
    profile = Profile(goals=data.draw(st.dictionaries(st.sampled_from(goals), st.integers(1, 3), max_size=4)))
    goal = data.draw(st.sampled_from(goals))
    importance = data.draw(st.integers(1, 3))
    if goal in profile.goals:
        return
    more = profile.replace(goals={**profile.goals, goal: importance})
    # everything=True: the tools that serve nothing asked for too (score 0)
    before = {r.slug: r.exact for r in rank(cat, profile, everything=True)}
    after = {r.slug: r.exact for r in rank(cat, more, everything=True)}
    serving = [s for s in before if cat.tools[s].strength(goal)]
    others = [s for s in before if not cat.tools[s].strength(goal)]
    for a in serving:
        for b in others:
            if before[a] > before[b]:
                assert after[a] > after[b], (a, b)
            elif before[a] == before[b]:  # at the breadth cap one more goal served adds nothing: level stays level
                assert after[a] >= after[b], (a, b)


@SETTINGS_H
@given(scenarios(), st.data())
def test_a_side_benefit_never_ranks_above_a_made_for_tool_with_the_same_burden_that_applies(scenario, data):
    cat, profile = scenario
    goal = data.draw(st.sampled_from(list(cat.goals)))
    profile = profile.replace(goals={goal: 2}, focus=frozenset(), principles=frozenset())
    ranked = [r for r in rank(cat, profile) if r.recommended]
    position = {r.slug: i for i, r in enumerate(ranked)}
    made_for = [r for r in ranked if r.goal_strength[goal] == 3]
    side = [r for r in ranked if r.goal_strength[goal] == 1]
    for m in made_for:
        for s_ in side:
            if m.penalty == s_.penalty and m.applies:  # one that does not apply to the setting sits below all that do
                assert position[m.slug] < position[s_.slug], (m.slug, s_.slug)


def _tool(slug, title, strengths, **kw):
    return Tool(
        slug=slug,
        title=title,
        goals=tuple(sorted(strengths, key=lambda g: -strengths[g])),
        goal_strength=dict(strengths),
        **kw,
    )


@st.composite
def dominating_pairs(draw, cat: Catalog):
    """Two tools, A at least as good as B on everything: strengths, tags, challenges, effort, reach."""
    goals = draw(st.lists(st.sampled_from(list(cat.goals)), min_size=1, max_size=4, unique=True))
    b_strength = {g: draw(st.integers(0, 3)) for g in goals}
    a_strength = {g: draw(st.integers(v, 3)) for g, v in b_strength.items()}
    b_focus = draw(st.frozensets(st.sampled_from(FOCUS_AREAS)))
    a_focus = b_focus | draw(st.frozensets(st.sampled_from(FOCUS_AREAS)))
    b_princ = draw(st.frozensets(st.sampled_from(PRINCIPLES)))
    a_princ = b_princ | draw(st.frozensets(st.sampled_from(PRINCIPLES)))
    challenges = st.sampled_from(list(cat.challenges))
    a_ch = draw(st.frozensets(challenges, max_size=4))
    b_ch = a_ch | draw(st.frozensets(challenges, max_size=3))
    levels = {}
    for key, scale in (("cost", LEVELS), ("staff_effort", LEVELS), ("time_to_results", HORIZONS)):
        b = draw(st.integers(0, 2))
        levels[key] = (scale[draw(st.integers(0, b))], scale[b])
    b_cases = draw(st.integers(0, 4))
    a_cases = b_cases + draw(st.integers(0, 3))
    link = Link("case", "https://example.org/case")

    def make(slug, title, strengths, focus, princ, ch, which, cases):
        return _tool(
            slug,
            title,
            {g: v for g, v in strengths.items() if v},
            focus_areas=tuple(f for f in FOCUS_AREAS if f in focus),
            principles=tuple(p for p in PRINCIPLES if p in princ),
            challenges=tuple(ChallengeRef(c) for c in sorted(ch)),
            cost=levels["cost"][which],
            staff_effort=levels["staff_effort"][which],
            time_to_results=levels["time_to_results"][which],
            who_has_used=(link,) * cases,
        )

    # A's title sorts last, so the title never helps it
    a = make("a", "Zz dominant", a_strength, a_focus, a_princ, a_ch, 0, a_cases)
    b = make("b", "Aa dominated", b_strength, b_focus, b_princ, b_ch, 1, b_cases)
    return a, b


@SETTINGS_H
@given(scenarios(), st.data())
def test_dominance_a_tool_at_least_as_good_on_everything_never_ranks_below(scenario, data):
    cat, profile = scenario
    a, b = data.draw(dominating_pairs(cat))
    small = Catalog(tools={"a": a, "b": b}, goals=cat.goals, challenges=cat.challenges)
    ranked = rank(small, profile.replace(state=None, setting=None))
    by_slug = {r.slug: r for r in ranked}
    ra, rb = by_slug.get("a"), by_slug.get("b")
    if rb is None or not rb.recommended:  # b serves nothing asked for: not listed
        return
    assert ra is not None
    assert ra.recommended
    assert ra.exact >= rb.exact and ra.penalty <= rb.penalty
    same = (ra.exact, ra.penalty, ra.effort, ra.case_studies) == (rb.exact, rb.penalty, rb.effort, rb.case_studies)
    if not same:
        assert [r.slug for r in ranked].index("a") < [r.slug for r in ranked].index("b")


@SETTINGS_H
@given(scenarios())
def test_only_state_law_excludes_and_every_exclusion_says_why(scenario):
    cat, profile = scenario
    for r in rank(cat, profile):
        tool = cat.tools[r.slug]
        barred = bool(profile.state and tool.law(profile.state).status == "unavailable")
        assert r.excluded == barred
        if r.excluded:
            assert r.reasons[0].startswith(f"Not available in {STATE_NAMES[profile.state]}.")


@SETTINGS_H
@given(scenarios())
def test_every_recommendation_has_reasons_and_serves_something_asked(scenario):
    cat, profile = scenario
    for r in recommend(cat, profile):
        assert r.reasons
        if not r.excluded and profile.asks_for_something:  # or it eases enough of what the town faces
            eases = len(ways_around(cat.tools[r.slug], profile, cat)) >= WAY_AROUND_CHALLENGES
            assert r.matched_goals or r.matched_focus or r.matched_principles or (eases and profile.goals)


@SETTINGS_H
@given(scenarios())
def test_package_is_three_to_five_recommended_tools_and_names_its_gaps(scenario):
    cat, profile = scenario
    pkg = balanced_package(cat, profile)
    recommended = {r.slug for r in recommend(cat, profile) if not r.excluded}
    assert set(pkg.slugs) <= recommended
    assert len(pkg.slugs) <= 5
    if len(recommended) >= 3:
        assert len(pkg.slugs) >= 3
    assert set(pkg.covered_goals) | set(pkg.gap_goals) == set(profile.goals)
    for g in pkg.gap_goals:  # a named gap is one no package tool covers
        assert all(g not in cat.tools[s].goals for s in pkg.slugs)


@SETTINGS_H
@given(scenarios(), st.integers(0, 12))
def test_explaining_only_the_first_n_changes_no_order_and_no_score(scenario, n):
    cat, profile = scenario
    full = [r for r in rank(cat, profile) if r.recommended]
    some = [r for r in rank(cat, profile, explain=n) if r.recommended]
    assert [(r.slug, r.exact, r.fit, r.penalty) for r in some] == [(r.slug, r.exact, r.fit, r.penalty) for r in full]
    for i, (a, b) in enumerate(zip(some, full, strict=True)):
        if i < n:
            assert a.explained and a.reasons == b.reasons and a.flags == b.flags and a.vs_above == b.vs_above
        else:
            assert not a.explained and a.reasons == () and a.vs_above == ""


def test_a_front_matter_field_the_ranking_uses_is_a_trait_and_a_tie_break(monkeypatch, tmp_path):
    """`evidence: emerging | moderate | strong` as a tie-break after effort: one declare_trait
    (the loader reads and checks the key) and one TieBreak; the pages carry the values."""
    import shutil

    import logic.scoring as scoring
    from logic import cli
    from logic.model import Trait, declare_trait, forget_trait
    from support import CONTENT

    scale = ("strong", "moderate", "emerging")
    content = tmp_path / "catalog"
    shutil.copytree(CONTENT, content)
    pages = sorted((content / "tools").glob("*.md"))
    for i, page in enumerate(pages):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("---\n", f"---\nevidence: {scale[i % 3]}\n", 1), encoding="utf-8")
    declare_trait(Trait("evidence", "evidence", scale))
    try:
        by_evidence = scoring.TieBreak(
            "evidence",
            lambda r: scale.index(str(r.traits.get("evidence", "moderate"))),
            "the stronger evidence",
            "its evidence is weaker",
        )
        effort_at = next(i for i, t in enumerate(scoring.TIE_BREAKS) if t.name == "effort")
        breaks = (*scoring.TIE_BREAKS[: effort_at + 1], by_evidence, *scoring.TIE_BREAKS[effort_at + 1 :])
        monkeypatch.setattr(scoring, "TIE_BREAKS", breaks)
        cat = load_catalog(content)
        assert not cat.errors and {t.traits["evidence"] for t in cat.tools.values()} == set(scale)
        decided = 0
        for goal in cat.goals:
            recs = [r for r in recommend(cat, Profile(goals={goal: 3})) if r.recommended]
            for above, r in zip(recs, recs[1:], strict=False):
                if (above.exact, above.penalty, above.effort) == (
                    r.exact,
                    r.penalty,
                    r.effort,
                ) and r.applies == above.applies:
                    assert scale.index(above.traits["evidence"]) <= scale.index(r.traits["evidence"])
                    if above.traits["evidence"] != r.traits["evidence"]:
                        assert "same score, burden and effort, but its evidence is weaker" in r.vs_above
                        decided += 1
        assert decided, "the evidence decided at least one place"
        pages[0].write_text(pages[0].read_text(encoding="utf-8").replace("evidence: strong", "evidence: anecdotal"))
        assert cli.main(["validate", str(content)]) == 1
    finally:
        forget_trait("evidence")


def test_a_top_n_still_opens_with_the_best_tool_for_each_top_goal_however_low_it_scores():
    """A short list scores only the tools that can reach it, and the best tool for a top goal
    always can: six tools made for flooding score 75 and one with a main effect on farmland
    scores 45 at most, yet with both goals essential the farmland tool is second in a top 2,
    as in the full list."""
    cat = load_catalog(CONTENT)
    made = {
        f"flood{i}": Tool(
            slug=f"flood{i}",
            title=f"Flood tool {i}",
            goals=("reduce-flood-risk",),
            goal_strength={"reduce-flood-risk": 3},
        )
        for i in range(6)
    }
    farm = Tool(slug="farm", title="Farm tool", goals=("conserve-land",), goal_strength={"conserve-land": 2})
    small = Catalog(tools={**made, "farm": farm}, goals=cat.goals, challenges=cat.challenges)
    profile = Profile(goals={"reduce-flood-risk": 3, "conserve-land": 3})
    full = [r for r in recommend(small, profile) if r.recommended]
    assert [r.slug for r in full[:2]] == ["flood0", "farm"] and full[1].leads_for == "conserve-land"
    assert full[1].score < min(r.score for r in full[2:])
    for n in (1, 2, 3):
        assert [r.as_dict() for r in recommend(small, profile, top=n)] == [r.as_dict() for r in full[:n]]


@SETTINGS_H
@given(scenarios(), st.integers(0, 12))
def test_a_top_n_is_the_full_list_cut_after_n_with_the_same_ranks(scenario, n):
    """`recommend(top=n)` places only the first n (the fast path at scale), yet reads as the
    full list cut: the same cards, each with its rank, "=n" when the next one is level with it."""
    cat, profile = scenario
    full = recommend(cat, profile)
    top = recommend(cat, profile, top=n)
    listed = [r for r in full if r.recommended][:n]
    apart = [r for r in full if not r.recommended]
    assert [r.as_dict() for r in top] == [r.as_dict() for r in listed + apart]
    assert [r.position for r in top if r.recommended] == [r.position for r in listed]
