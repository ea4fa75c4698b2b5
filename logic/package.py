"""The balanced package: a few recommended tools that together cover what a town asked
for, each goal's strongest tool first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Catalog
from .profile import Profile
from .recommendation import Recommendation
from .rules import rank
from .scoring import goal_strengths
from .taxonomy import FOCUS_AREAS, PRINCIPLES, strength_phrase
from .text import join_words


@dataclass(frozen=True)
class Package:
    slugs: tuple[str, ...]
    covered_goals: tuple[str, ...]
    covered_focus: tuple[str, ...]
    covered_principles: tuple[str, ...]
    gap_goals: tuple[str, ...]
    gap_focus: tuple[str, ...]
    gap_principles: tuple[str, ...]
    burden: int
    steps: tuple[str, ...]  # why each tool was picked
    in_place: tuple[str, ...] = ()  # tools the town has that already cover some of what was asked

    @property
    def gaps(self) -> tuple[str, ...]:
        return self.gap_goals + self.gap_focus + self.gap_principles


def _package_reason(level: int, goal: str) -> str:
    """Why a package takes a tool for a goal: "made for “Reduce flooding and stormwater damage”.",
    or, when no available tool is made for it, "the strongest available tool for “...”: it works
    toward it." """
    if level >= 3:
        return f"made for “{goal}”."
    return f"the strongest available tool for “{goal}”: it {strength_phrase(level, 'it')}."


def balanced_package(
    catalog: Catalog,
    profile: Profile,
    min_size: int = 3,
    max_size: int = 5,
) -> Package:
    """A small package (3 to 5 recommended tools) covering what was asked.

    Goals first, most important first: each goal not yet well served gets its
    strongest available tool (ties: the card marked "Best for" that goal, then the
    tool that also serves more of the other open goals, by importance x strength,
    then the lighter burden, the higher score, the easier tool, the title). A goal
    counts as well served once a chosen tool has at least a main effect on it (or
    the best strength any recommended tool has, when that is a side benefit). Then
    focus areas and principles still uncovered, greedily; then, if fewer than
    `min_size`, the best-ranked remaining tools.
    """
    recs = [r for r in rank(catalog, profile, explain=0) if r.recommended]  # scores and burden are enough
    position = {r.slug: i for i, r in enumerate(recs)}
    # each goal's strength in this town: the ranking's own for what it recommends (as the cards
    # say it), `goal_strengths` for a tool in place
    strengths: dict[str, Mapping[str, int]] = {r.slug: r.goal_strength for r in recs}

    def strength(slug: str) -> Mapping[str, int]:
        if slug not in strengths:
            strengths[slug] = goal_strengths(catalog.tools[slug], profile, catalog)
        return strengths[slug]

    best_available = {g: max((strength(r.slug)[g] for r in recs), default=0) for g in profile.goals}
    enough = {g: min(2, best_available[g]) for g in profile.goals}
    served: dict[str, int] = dict.fromkeys(profile.goals, 0)
    focus_left = set(profile.focus)
    princ_left = set(profile.principles)
    chosen: list[str] = []
    steps: list[str] = []
    in_place: list[str] = []
    for slug in sorted(profile.values("have")):  # what the town has covers goals already
        tool = catalog.tools.get(slug)
        if tool is None:
            continue
        helps = any(strength(slug).values()) or focus_left & set(tool.focus_areas)
        helps = helps or princ_left & set(tool.principles)
        for g in profile.goals:
            served[g] = max(served[g], strength(slug)[g])
            best_available[g] = max(best_available[g], strength(slug)[g])
        focus_left.difference_update(tool.focus_areas)
        princ_left.difference_update(tool.principles)
        if helps:
            in_place.append(slug)
    enough = {g: min(2, best_available[g]) for g in profile.goals}

    def open_goals() -> list[str]:
        return [g for g in profile.goals if best_available[g] and served[g] < enough[g]]

    def add(r: Recommendation, why: str) -> None:
        tool = catalog.tools[r.slug]
        chosen.append(r.slug)
        steps.append(why)
        for g in profile.goals:
            served[g] = max(served[g], strength(r.slug)[g])
        focus_left.difference_update(tool.focus_areas)
        princ_left.difference_update(tool.principles)

    while len(chosen) < max_size:
        goals_open = open_goals()
        if goals_open:
            target = max(goals_open, key=lambda g: profile.goals[g])
            others = [g for g in goals_open if g != target]

            def goal_key(r: Recommendation, target: str = target, others: tuple[str, ...] = tuple(others)) -> tuple:
                st = strength(r.slug)
                extra = sum(profile.goals[g] * st[g] for g in others)
                # the card marked "Best for" the goal is its pick: the package never names another
                return (
                    not r.applies,
                    -st[target],
                    r.leads_for != target,
                    -extra,
                    r.penalty,
                    position[r.slug],
                )

            pool = [r for r in recs if r.slug not in chosen and strength(r.slug)[target]]
            best = min(pool, key=goal_key)
            st = strength(best.slug)
            also = [catalog.goal_name(g) for g in others if st[g] >= enough[g] and served[g] < enough[g]]
            why = f"{best.title}: {_package_reason(st[target], catalog.goal_name(target))}"
            why += f" It also serves {join_words([f'“{a}”' for a in also])}." if also else ""
            add(best, why)
            continue
        pool = [r for r in recs if r.slug not in chosen]
        if not pool:
            break

        def tag_gain(r: Recommendation) -> tuple[int, int]:
            tool = catalog.tools[r.slug]
            return len(focus_left & set(tool.focus_areas)), len(princ_left & set(tool.principles))

        best = min(pool, key=lambda r: (tuple(-x for x in tag_gain(r)), r.penalty, position[r.slug]))
        f_gain, p_gain = tag_gain(best)
        if f_gain or p_gain:
            tool = catalog.tools[best.slug]
            new = [x for x in FOCUS_AREAS if x in focus_left and x in tool.focus_areas]
            new += [x for x in PRINCIPLES if x in princ_left and x in tool.principles]
            add(best, f"{best.title}: adds {join_words(new)}.")
            continue
        if len(chosen) >= min_size:
            break
        best = min(pool, key=lambda r: position[r.slug])
        add(
            best,
            f"{best.title}: your next-best fit in the ranking, which rounds the package out to {len(chosen) + 1} tools.",
        )

    by_slug = {r.slug: r for r in recs}
    covered = {g for g in profile.goals if served[g]}
    covered_focus = set(profile.focus) - focus_left
    covered_princ = set(profile.principles) - princ_left
    return Package(
        slugs=tuple(chosen),
        covered_goals=tuple(g for g in profile.goals if g in covered),
        covered_focus=tuple(f for f in FOCUS_AREAS if f in covered_focus),
        covered_principles=tuple(p for p in PRINCIPLES if p in covered_princ),
        gap_goals=tuple(g for g in profile.goals if g not in covered),
        gap_focus=tuple(f for f in FOCUS_AREAS if f in profile.focus and f not in covered_focus),
        gap_principles=tuple(p for p in PRINCIPLES if p in profile.principles and p not in covered_princ),
        burden=sum(by_slug[s].penalty for s in chosen),
        steps=tuple(steps),
        in_place=tuple(in_place),
    )
