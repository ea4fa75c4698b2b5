"""A card's own lines, written from what `logic.scoring.assess` measured: how the tool
serves each goal asked for, why it is offered, and what stands in its way (its flags,
each with ways around it). What compares one card with another, and the page's own
text, is `logic.explain`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from .constraints import REGISTRY, Hit
from .model import Catalog, Tool
from .profile import Profile
from .recommendation import Flag, Recommendation
from .taxonomy import IMPORTANCE_LABELS, STRENGTH_LEADS
from .text import join_words, mid_sentence


class CardLines(NamedTuple):
    """The lines a card shows for one tool: the Recommendation fields of the same names."""

    reasons: tuple[str, ...]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...]
    in_the_way: str
    unserved: str
    go_to_note: str


def center_goal_names(catalog: Catalog) -> str:
    """The goals that mark a town with a center (`Goal.center`), as a card or the explainer names them."""
    return join_words([f"“{g.name}”" for g in catalog.goals.values() if g.center], "or")


def center_words(tool: Tool, profile: Profile, catalog: Catalog, goals: Sequence[str]) -> str:
    """Why a tool made for a center counts only as working toward these goals here (`goal_strengths`)."""
    asked = center_goal_names(catalog)
    named = join_words([f"“{catalog.goal_name(g)}”" for g in goals])
    return (
        f"{tool.needs_center} Your {profile.setting} town has no center among its goals ({asked}), "
        f"so here it counts as working toward {named}."
    )


def _flag(tool: Tool, catalog: Catalog, kind: str, value: str, hit: Hit) -> Flag:
    """One thing that stands in the way, with its ways around it."""
    spec = REGISTRY[kind]
    cid = spec.challenge(value) or ""
    ch = catalog.challenges.get(cid)
    note = tool.challenge_note(cid) if cid and kind != "face" else ""  # a faced challenge's note is its message
    return Flag(
        kind=kind,
        challenge=cid,
        title=hit.title or spec.flag_title(value, catalog) or spec.label,
        message=hit.message,
        note=note,
        mitigations=ch.mitigations if ch else spec.mitigations,
        enablers=tuple(s for s in (ch.enablers if ch else ()) if s in catalog.tools and s != tool.slug),
        penalty=hit.penalty,
    )


def _goal_words(goal: str, profile: Profile, catalog: Catalog) -> str:
    """A goal's name with its importance when the goals differ in importance:
    "Reduce flooding and stormwater damage (essential)"."""
    name = catalog.goal_name(goal)
    if len(set(profile.goals.values())) < 2:
        return name
    return f"{name} ({IMPORTANCE_LABELS[profile.goals[goal]].lower()})"


def card_lines(
    tool: Tool,
    profile: Profile,
    catalog: Catalog,
    scored: Recommendation,
    hits: Sequence[tuple[str, str, Hit]],
    around: Sequence[str],
    constrained: bool,
) -> CardLines:
    """The card's lines for a tool `assess` has scored: how it serves each goal (by strength), a
    made-for-a-center note, the go-to note, why it is offered, the boosts' messages, then what
    stands in its way. (`hits`: the constraints that act on it, as (kind, value, hit); `around`:
    the challenges it is offered as a way around; `constrained`: the town set any constraint.)"""
    strength, goals, go_to = scored.goal_strength, scored.matched_goals, scored.go_to_for
    flags = [_flag(tool, catalog, kind, value, hit) for kind, value, hit in hits if hit.penalty or hit.not_applicable]
    # a level (staff, budget) gives the tool's note on the challenge it comes to; when the town
    # faces that challenge too, its own flag says the note, so the level's flag does not repeat it
    faced = {f.challenge for f in flags if f.kind == "face"}
    flags = [replace(f, note="") if f.kind != "face" and f.challenge in faced else f for f in flags]
    reasons: list[str] = []
    unserved = ""
    if profile.goals:
        for level in sorted(STRENGTH_LEADS, reverse=True):
            names = [_goal_words(g, profile, catalog) for g in goals if strength[g] == level]
            if names:
                # a list after a colon, by semicolons: goal names hold "and" ("...; Revitalize downtowns and main streets")
                reasons.append(f"{STRENGTH_LEADS[level]}: {'; '.join(names)}.")
        missing = [catalog.goal_name(g) for g in profile.goals if not strength[g]]
        if not goals:
            reasons.append("Advances none of your goals directly.")
        elif missing:
            unserved = f"Does not address: {'; '.join(missing)}."
            reasons.append(unserved)
    on_goals = len(reasons)  # the lines above say how it serves each goal (a card's headline says it too)
    below_grade = [g for g in goals if strength[g] < tool.strength(g)]
    if below_grade:
        reasons.append(center_words(tool, profile, catalog, below_grade))
    go_to_note = ""
    if go_to:
        go_to_note = f"Planners reach for it first for {join_words([f'“{catalog.goal_name(g)}”' for g in go_to])}."
        reasons.append(go_to_note)
    if scored.said:
        reasons.append(
            f"Your description of the town mentions {join_words([f'“{w}”' for w in scored.said])}, "
            "where planners reach for it."
        )
    if around:
        eased = "; ".join(catalog.challenge_name(c).lower() for c in around)
        reasons.append(f"Offered because it is a way around challenges you face: {eased}.")
    if scored.matched_focus:
        reasons.append(f"Covers {join_words(scored.matched_focus)}, which you chose.")
    if scored.matched_principles:
        word = "principle" if len(scored.matched_principles) == 1 else "principles"
        reasons.append(f"Supports the {join_words(scored.matched_principles)} {word}, which you chose.")
    if not profile.asks_for_something:
        reasons.append("You have not chosen goals, focus areas or principles yet, so only your constraints rank it.")
    # an offer for its ways around says them once, above, not one line per challenge
    reasons += [hit.message for kind, _, hit in hits if hit.boost and not (around and kind == "face")]
    notes = tuple(reasons[on_goals:])
    in_the_way = ""
    if flags:
        titles = join_words([mid_sentence(f.title) for f in flags])
        in_the_way = f"{len(flags)} thing{'s' if len(flags) != 1 else ''} may stand in the way: {titles}."
    elif constrained:
        in_the_way = "None of your constraints stands in its way."
    if in_the_way:
        reasons.append(in_the_way)
    return CardLines(tuple(reasons), tuple(flags), notes, in_the_way, unserved, go_to_note)
