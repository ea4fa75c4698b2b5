"""The rules: a profile and the catalog in, a ranked and explained list out.
(What a town asks is `logic.profile`, one tool's place `logic.recommendation`; one
tool's score and the order of equal scores are `logic.scoring`, a card's own lines
`logic.reasons`, the words that compare cards `logic.explain`; the balanced package
and the what-if view, built on this ranking, are `logic.package` and `logic.what_if`.)

The model, as a planner would state it (`ranking_explainer` says the same
on the page, the README in more words):

1. Fit is read per goal. A tool's strength for each goal asked for (made for
   it, a main effect, a side benefit) is weighted by how much the town cares
   about that goal relative to its top goal (the top importance counts in
   full, one step below 75%, two steps below 55%). The tool's lead is its
   best weighted goal; serving the other goals adds a little (breadth), so one
   essential goal well served beats three touched in passing:
   goal score = 75 x lead + min(25, 40 x the other goals' weighted values).
   A made-for tool for the town's top goal scores 75 before anything stands
   in its way, however many goals were asked for. Focus areas and principles,
   when chosen, share the relevance with the goals (60/25/15); chosen
   without a goal they say where a tool works, not what it achieves, so the
   score is scaled to at most a possible fit. A tool made for a center
   (parking, curb rules: `needsCenter`) counts what it is made for as a main
   effect in a suburban or rural town that asks for no center goal
   (`goal_strengths`).
2. What stands in the way takes points off, each a flag with its reason and
   ways around it (the points are declared once, in logic/constraints.py): a
   setting the tool suits only with adaptation, each level the budget or staff
   capacity falls below its cost or staff effort, each step the horizon is
   shorter than its time to results, each challenge faced by its severity for
   this tool, and a state law that limits it. A tool that is itself a way
   around a challenge faced, or builds on one the town has in place, gains
   points instead (together capped). A tool that is a way around two or more
   of the challenges faced is offered even when it serves no goal asked for,
   as a weak fit (`WAY_AROUND_RELEVANCE`).
3. A tool that does not apply to the town's setting sits below every tool that
   does, and is given no fit ("not for your setting", `Fit.UNSUITED`); strong
   and possible fits come before weak ones (a tool made for the top goal stays
   a possible fit whatever stands in its way); state law that does not enable
   it lists it apart; one the town has is listed apart too.
4. A town described in a sentence (`Profile.about`) raises, among the tools
   that serve a goal, each whose own cue words (content `cues`) it uses, by
   the go-to head start again (`scoring.about_points`); it brings none in.
5. When two or more goals share the highest importance, the list opens with
   the best tool for each of them (the first, in the order below, of those
   that apply and serve it most strongly), then goes on by score.

Order: score, then the tie-breaks in `TIE_BREAKS`, in turn (declared once:
the order, each card's "why below" and the page's explainer read that list);
tools level on all of these share a rank ("=3") and are listed by title. A
room's votes never change a score: its dots are shown beside the fit, and the
action plan starts the room's favorites first.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Mapping
from dataclasses import replace

from .constraints import BOOST_CAP
from .explain import why_below
from .model import Catalog, Tool, gc_paused
from .profile import Profile
from .recommendation import Recommendation
from .scoring import (
    STRONG_AT,
    WAY_AROUND_RELEVANCE,
    about_points,
    assess,
    capacity_tools,
    go_to_goals,
    go_to_points,
    goal_strengths,
    goal_weights,
    listed_first_as_best,
    order_key,
    place_key,
    relevance_value,
    set_apart,
    split_constraints,
    tie_key,
)


def _leaders(ordered: list[Recommendation], profile: Profile) -> dict[str, str]:
    """slug -> goal: with two or more top goals (the goals at the highest importance given),
    the best tool for each: the first in `ordered` among those that apply and serve it most
    strongly (a main effect at least)."""
    goals = _top_goals(profile)
    if not goals:
        return {}
    pool = [r for r in ordered if r.recommended and r.applies]
    out: dict[str, str] = {}
    for g in goals:
        free = [r for r in pool if r.slug not in out]  # one tool leads for one goal: the next best takes the other
        best = max((r.goal_strength.get(g, 0) for r in free), default=0)
        if best < 2:
            continue
        leader = next(r for r in free if r.goal_strength.get(g, 0) == best)
        out[leader.slug] = g
    return out


def rank(
    catalog: Catalog,
    profile: Profile,
    explain: int | None = None,
    everything: bool = False,
    upto: int | None = None,
) -> list[Recommendation]:
    """The tools that matter for this profile, best first: the recommended ones (the best
    tool for each goal first, then by score), then those state law bars, then those the
    town already has.

    Only the tools that serve something asked for are scored (the catalog's index
    finds them), and for a short list (`upto`) only those that can reach it
    (`_contenders`); every tool is still asked about state law and what is in place.
    `everything`: also list the tools that serve nothing asked for (fit "none").
    `explain`: write the reasons, flags and why-below of the first N recommended
    only (all when None); the others are scored and placed, with `explained`
    False (a large catalog ranks in a fraction of the time).
    `upto`: list only the first N recommended (each still placed among all: a tool level
    with the one after it shows "=N"); the barred and those in place follow all the same."""
    split = split_constraints(profile)
    special, _ = split
    weights = goal_weights(profile)
    if profile.asks_for_something:
        relevant = catalog.index.serving(profile.goals, profile.focus, profile.principles)
        relevant |= capacity_tools(catalog, profile)
    else:
        relevant = set(catalog.tools)
    with gc_paused():  # thousands of short-lived objects, no cycles: collecting on the way only costs time
        assessed: list[Recommendation] = []
        # a short list scores only the tools that can reach it (`_contenders`)
        short = upto is not None and not everything and profile.asks_for_something
        pending: list[tuple[float, Tool]] = []  # (the best score it can reach, the tool)
        top_goals = _top_goals(profile)
        candidates = _leader_candidates(catalog, top_goals) if short else set()

        def score(tool: Tool) -> Recommendation:
            return assess(tool, profile, catalog, split, explain=explain is None, weights=weights)

        for tool in catalog.tools.values():
            if tool.slug in relevant or everything:
                if short and tool.slug not in candidates:
                    r = set_apart(tool, catalog, special) if special else None
                    if r is None:
                        pending.append((_best_reachable(tool, profile, catalog, weights), tool))
                    else:
                        assessed.append(r)
                    continue
                assessed.append(score(tool))
            elif special:  # serves nothing asked for: listed only when barred or in place
                r = set_apart(tool, catalog, special)
                if r is not None:
                    assessed.append(r)
        if pending:
            assessed += _contenders(assessed, pending, (upto or 0) + 1 + len(top_goals), score)
        assessed.sort(key=order_key)
        leaders = _leaders(assessed, profile)
        if leaders:
            first = [replace(r, leads_for=leaders[r.slug]) for r in assessed if r.slug in leaders]
            assessed = first + [r for r in assessed if r.slug not in leaders]
        last = len(assessed) if upto is None else upto  # the number of the last recommended listed
        out: list[Recommendation] = []
        shown = 0
        number = 0
        for r in assessed:
            if r.recommended:
                number += 1
                past = number > last  # not listed
                if number > last + 1:
                    continue
                above = out[-1] if out and out[-1].recommended else None
                level = above is not None and _level(r, above) and not listed_first_as_best(above, r)
                if past:  # the first not listed only tells the last listed that they share its rank
                    if level and above is not None:
                        out[-1] = replace(above, position="=" + above.position.lstrip("="))
                    continue
                if level and above is not None:
                    shared = above.position.lstrip("=")
                    out[-1] = replace(above, position=f"={shared}")
                    r = replace(r, position=f"={shared}")
                else:
                    r = replace(r, position=str(number))
                if explain is None or shown < explain:
                    shown += 1
                    if not r.explained:
                        r = replace(
                            assess(catalog.tools[r.slug], profile, catalog, split, weights=weights),
                            leads_for=r.leads_for,
                            position=r.position,
                        )
                    if above is not None:
                        r = replace(r, vs_above=why_below(r, above, catalog, profile))
            out.append(r)
        return out


def _top_goals(profile: Profile) -> list[str]:
    """The goals at the highest importance given, when two or more share it (each gets a
    leader, `_leaders`); else []."""
    if len(profile.goals) < 2:
        return []
    top = max(profile.goals.values())
    goals = [g for g, v in profile.goals.items() if v == top]
    return goals if len(goals) >= 2 else []


def _leader_candidates(catalog: Catalog, goals: list[str]) -> set[str]:
    """The tools that could lead for one of the top goals (`_top_goals`; `_leaders`: a main
    effect at least): a short list scores them all, whatever their score, as the best for a
    goal goes first."""
    return {t.slug for t in catalog.tools.values() if any(t.strength(g) >= 2 for g in goals)}


def _best_reachable(tool: Tool, profile: Profile, catalog: Catalog, weights: Mapping[str, float]) -> float:
    """The highest score the tool can reach for this profile, from what it serves alone:
    nothing that stands in its way, every boost and head start (`assess` can only give it less)."""
    relevance, _, lead = relevance_value(tool, profile, weights, goal_strengths(tool, profile, catalog))
    if relevance <= 0:  # brought in as a way around what the town faces (`_offered_for`)
        relevance = WAY_AROUND_RELEVANCE
    head_start = go_to_points(go_to_goals(tool, profile, catalog), weights)
    best = min(100.0, relevance + BOOST_CAP + head_start + about_points(tool, profile, weights, lead, catalog)[1])
    return best if profile.goals else best * (STRONG_AT - 1) / 100


def _contenders(
    scored: list[Recommendation],
    pending: list[tuple[float, Tool]],
    wanted: int,
    score: Callable[[Tool], Recommendation],
) -> list[Recommendation]:
    """Score the pending tools, best reachable first, until `wanted` scored ones place above
    all that any pending tool could reach: the rest cannot come into the first `wanted`, so
    are left unscored. (A bound is a key as `order_key` starts: recommended, applies, not weak,
    that score; a scored tool places above it only when strictly before it on those.)"""
    firsts = sorted((*place_key(r), -r.exact) for r in scored if r.recommended)
    out: list[Recommendation] = []
    for best, tool in sorted(pending, key=lambda p: (-p[0], p[1].slug)):
        bound = (0, False, False, -(best + 1e-6))  # above the rounding to 9 places
        if len(firsts) >= wanted and firsts[wanted - 1] < bound:
            break
        r = score(tool)
        out.append(r)
        insort(firsts, (*place_key(r), -r.exact))
    return out


def _level(r: Recommendation, above: Recommendation) -> bool:
    """Level on every count but the title: they share a rank."""
    return place_key(r) == place_key(above) and tie_key(r) == tie_key(above)


def recommend(catalog: Catalog, profile: Profile, top: int | None = None) -> list[Recommendation]:
    """Recommended tools (best first, at most `top`), then those barred by state law,
    then those the town already has."""
    ranked = rank(catalog, profile, explain=top, upto=None if top is None else max(0, top))
    chosen = [r for r in ranked if r.recommended]
    return chosen + [r for r in ranked if r.excluded] + [r for r in ranked if r.in_place]
