"""The rules: a profile and the catalog in, a ranked and explained list out.

How a score is made (0 to 100), documented here and shown to users by
`ranking_explainer()`:

1. Relevance. Goals count most: each goal asked for contributes the value of
   the tool's strength for it (made for it 1.0, a main effect 0.6, a side
   benefit 0.25, not served 0), weighted by the importance the user gave the
   goal (1 to 3). So goal fit = sum(importance x value) / sum(importance), the
   importance-weighted mean strength value, 0 to 1. Focus areas and principles count as the
   share of those chosen that the tool carries. The parts are weighted 60
   (goals), 25 (focus areas), 15 (principles) over the parts the user filled
   in, giving 0 to 100. A tool that serves one essential goal strongly
   outranks one that touches three goals weakly; a strength-1 tool reaches at
   most 25 on goals alone, far below "strong fit". With nothing asked for, every
   tool starts at 50 and only constraints separate them.
2. Burden: points taken off for what stands in the way, each one a flag:
   - each challenge the user faces that the tool carries: 8;
   - each level the budget is below the tool's cost: 6;
   - each level the staff capacity is below its staff effort: 6;
   - each step the time horizon is shorter than its time to results: 6;
   - a setting (urban, suburban, rural) the tool does not usually suit: 10.
3. Score = relevance - burden (+ up to 10 for a room's dots), kept within 0
   to 100.

State law is the one hard rule: a tool not enabled in the user's state is
listed apart, with the reason. A tool with relevance 0 (it serves nothing
asked for) is not recommended.

Order: score; equal scores go to the lighter burden for this profile, then
the easier tool (cost, staff effort and time to results, added as steps), then
the tool with more case studies, and only then the title. So the same profile
and catalog always give the same order. Burden only ever subtracts, so facing
one more challenge never raises a score; a tool whose strengths are all at
least another's, with no more burden and no more effort, never ranks below it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .constraints import CHALLENGE_PENALTY, LEVEL_PENALTY, REGISTRY, SETTING_PENALTY
from .model import Catalog, Tool, gc_paused
from .taxonomy import (
    FOCUS_AREAS,
    HORIZON_LABELS,
    HORIZONS,
    LEVELS,
    PRINCIPLES,
    STRENGTH_LABELS,
    STRENGTH_LEADS,
    STRENGTH_VALUE,
)
from .text import join_words

GOAL_WEIGHT = 60
FOCUS_WEIGHT = 25
PRINCIPLE_WEIGHT = 15
NEUTRAL_RELEVANCE = 50.0
STRONG_AT = 75
POSSIBLE_AT = 45
VOTE_WEIGHT = 10  # at most this many points for the room's votes
TOP_FOR_WHAT_IF = 10


class Profile:
    """What a user tells the app. Every part is optional.

    Goals (id -> importance 1-3), focus areas, principles and a room's votes,
    plus one value (or, for a multi kind such as the challenges faced, a set of
    values) for each kind of constraint in `REGISTRY`, by its name:
    `Profile(goals={"walk-bike": 3}, budget="low", face={"upfront-funding"})`.
    `profile.budget` reads a constraint (None when unset); `faces` is the
    challenges faced (the `face` kind).
    """

    __slots__ = ("goals", "focus", "principles", "votes", "_limits")
    goals: dict[str, int]
    focus: frozenset[str]
    principles: frozenset[str]
    votes: dict[str, int]
    _limits: dict[str, str | frozenset[str]]

    def __init__(
        self,
        goals: Mapping[str, int] | None = None,
        focus: Iterable[str] = (),
        principles: Iterable[str] = (),
        votes: Mapping[str, int] | None = None,
        faces: Iterable[str] | None = None,
        **constraints: str | Iterable[str] | None,
    ) -> None:
        object.__setattr__(self, "goals", dict(goals or {}))
        object.__setattr__(self, "focus", frozenset(focus))
        object.__setattr__(self, "principles", frozenset(principles))
        object.__setattr__(self, "votes", dict(votes or {}))
        if faces is not None:
            constraints["face"] = faces
        limits: dict[str, str | frozenset[str]] = {}
        for name, value in constraints.items():
            if name not in REGISTRY:
                raise TypeError(f"unknown constraint {name!r}; known: {', '.join(REGISTRY.names())}")
            if REGISTRY[name].multi:
                values = frozenset([value] if isinstance(value, str) else (value or ()))
                if values:
                    limits[name] = values
            elif value:
                limits[name] = str(value) if not isinstance(value, str) else value
        object.__setattr__(self, "_limits", limits)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Profile is immutable; use .replace(...)")

    def __getattr__(self, name: str) -> Any:  # a constraint's value, as `get` gives it
        if name == "faces":
            return self._limits.get("face", frozenset())
        if name in REGISTRY:
            return self._limits.get(name, frozenset() if REGISTRY[name].multi else None)
        raise AttributeError(name)

    def get(self, name: str) -> str | frozenset[str] | None:
        """One constraint's value: a string, a set (multi kinds), or None/empty."""
        return self.__getattr__(name)

    def _key(self) -> tuple:
        return (
            tuple(sorted(self.goals.items())),
            self.focus,
            self.principles,
            tuple(sorted(self.votes.items())),
            tuple(sorted(self._limits.items())),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Profile) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        parts = [f"goals={self.goals!r}"]
        parts += [f"{k}={set(v) if isinstance(v, frozenset) else v!r}" for k, v in self._limits.items()]
        if self.focus:
            parts.append(f"focus={set(self.focus)!r}")
        if self.principles:
            parts.append(f"principles={set(self.principles)!r}")
        if self.votes:
            parts.append(f"votes={self.votes!r}")
        return f"Profile({', '.join(parts)})"

    def replace(self, **changes: object) -> Profile:
        """A copy with some parts changed (a constraint set to None clears it)."""
        args: dict[str, object] = {
            "goals": self.goals,
            "focus": self.focus,
            "principles": self.principles,
            "votes": self.votes,
            **self._limits,
        }
        if "faces" in changes:
            changes["face"] = changes.pop("faces")
        args.update(changes)
        return Profile(**args)  # type: ignore[arg-type]

    @property
    def asks_for_something(self) -> bool:
        return bool(self.goals or self.focus or self.principles)

    def constraints(self) -> list[tuple[str, str]]:
        """(kind, value) for every constraint set, in the registry's order."""
        out: list[tuple[str, str]] = []
        for kind in REGISTRY:
            value = self._limits.get(kind.name)
            if isinstance(value, frozenset):
                out += [(kind.name, v) for v in sorted(value)]
            elif value:
                out.append((kind.name, value))
        return out

    def relax(self, kind: str, value: str) -> Profile:
        """The same profile without one constraint."""
        current = self._limits.get(kind)
        if isinstance(current, frozenset):
            return self.replace(**{kind: current - {value}})
        return self.replace(**{kind: None})


@dataclass(frozen=True)
class Flag:
    kind: str  # the constraint kind's name (face, budget, staff, horizon, setting, ...)
    challenge: str  # whose mitigations answer it ("" when the kind brings its own)
    title: str
    message: str
    note: str = ""
    mitigations: tuple[str, ...] = ()
    enablers: tuple[str, ...] = ()
    penalty: int = 0

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "challenge": self.challenge,
            "title": self.title,
            "message": self.message,
            "note": self.note,
            "mitigations": list(self.mitigations),
            "enablers": list(self.enablers),
            "penalty": self.penalty,
        }


@dataclass(frozen=True)
class Recommendation:
    slug: str
    title: str
    score: int
    fit: str  # strong | possible | weak | excluded | none
    reasons: tuple[str, ...]
    flags: tuple[Flag, ...] = ()
    excluded: bool = False
    relevance: float = 0.0
    matched_goals: tuple[str, ...] = ()
    matched_focus: tuple[str, ...] = ()
    matched_principles: tuple[str, ...] = ()
    goal_strength: Mapping[str, int] = field(default_factory=dict)  # asked-for goal -> 0..3
    goal_fit: float = 0.0  # the importance-weighted mean strength value over the goals asked for, 0 to 1
    exact: float = 0.0  # the score before rounding; what the order uses
    penalty: int = 0  # every point taken off for this profile (flags and setting)
    effort: int = 0  # cost + staff effort + time to results, in steps (0 to 6)
    case_studies: int = 0
    vs_above: str = ""  # why it sits below the tool above it (empty for the first)
    explained: bool = True  # False: scored and placed only (rank(explain=N) beyond the first N)

    @property
    def recommended(self) -> bool:
        return not self.excluded and self.fit not in ("none", "inplace")

    @property
    def in_place(self) -> bool:
        return self.fit == "inplace"

    def strength_summary(self) -> str:
        """How strongly it serves the goals asked for, in a few words for a card's headline:
        "Made for your goal", "Made for 1 of your 3 goals; a main effect on 1"."""
        n = len(self.goal_strength)
        if not n:
            return ""
        counts = {lv: sum(1 for v in self.goal_strength.values() if v == lv) for lv in (3, 2, 1)}
        phrases = {3: "made for", 2: "a main effect on", 1: "a side benefit for"}
        if n == 1:
            level = next(iter(self.goal_strength.values()))
            return f"{phrases[level].capitalize()} your goal" if level else "Does not serve your goal"
        parts = [f"{phrases[lv]} {c}" for lv, c in counts.items() if c]
        if not parts:
            return "Serves none of your goals"
        first = parts[0]
        parts[0] = f"{first} of your {n} goals"
        text = "; ".join(parts)
        return text[0].upper() + text[1:]

    def as_dict(self) -> dict:
        out = {
            "slug": self.slug,
            "title": self.title,
            "score": self.score,
            "fit": self.fit,
            "reasons": list(self.reasons),
            "flags": [f.as_dict() for f in self.flags],
            "matchedGoals": list(self.matched_goals),
            "matchedFocusAreas": list(self.matched_focus),
            "matchedPrinciples": list(self.matched_principles),
            "goalStrength": {g: v for g, v in self.goal_strength.items() if v},
            "burden": self.penalty,
            "vsAbove": self.vs_above or None,
        }
        if self.excluded:
            out["excluded"] = True
        if self.in_place:
            out["inPlace"] = True
        return out


def _relevance(tool: Tool, profile: Profile) -> tuple[float, float, list[str], list[str], list[str]]:
    """(relevance 0-100, goal fit 0-3, served goals, matched focus areas, matched principles)."""
    goals = sorted((g for g in profile.goals if tool.strength(g)), key=lambda g: -tool.strength(g))
    focus = [f for f in FOCUS_AREAS if f in profile.focus and f in tool.focus_areas]
    principles = [p for p in PRINCIPLES if p in profile.principles and p in tool.principles]
    goal_fit = 0.0
    if profile.goals:
        total = sum(_importance(v) for v in profile.goals.values())
        goal_fit = sum(_importance(imp) * STRENGTH_VALUE[tool.strength(g)] for g, imp in profile.goals.items()) / total
    if not profile.asks_for_something:
        return NEUTRAL_RELEVANCE, goal_fit, goals, focus, principles
    parts: list[tuple[float, float]] = []  # (weight, share)
    if profile.goals:
        parts.append((GOAL_WEIGHT, goal_fit))
    if profile.focus:
        parts.append((FOCUS_WEIGHT, len(focus) / len(profile.focus)))
    if profile.principles:
        parts.append((PRINCIPLE_WEIGHT, len(principles) / len(profile.principles)))
    weight = sum(w for w, _ in parts)
    return 100.0 * sum(w * sh for w, sh in parts) / weight, goal_fit, goals, focus, principles


def _importance(value: int) -> int:
    return min(3, max(1, int(value)))


Constraints = list[tuple[str, str]]


def _split(profile: Profile) -> tuple[Constraints, Constraints]:
    """The profile's constraints: those that can take a tool out of the list (state law,
    what is in place: asked of every tool) and those that cost points (asked only of the
    tools that serve something asked for)."""
    special: Constraints = []
    penalties: Constraints = []
    for kind, value in profile.constraints():
        (penalties if REGISTRY[kind].effect == "penalty" else special).append((kind, value))
    return special, penalties


def _flags(tool: Tool, catalog: Catalog, constraints: Constraints) -> tuple[list[Flag], str | None, str | None]:
    """Each constraint asked what it does to this tool: (the flags, each with its
    penalty and ways around it; a reason when state law bars it; a reason when the
    town has it already)."""
    flags: list[Flag] = []
    barred: str | None = None
    in_place: str | None = None
    for kind, value in constraints:
        spec = REGISTRY[kind]
        hit = spec.assess(tool, value, catalog)
        if hit is None:
            continue
        if hit.excludes:
            barred = barred or hit.message
            continue
        if hit.in_place:
            in_place = in_place or hit.message
            continue
        cid = spec.challenge(value) or ""
        ch = catalog.challenges.get(cid)
        flags.append(
            Flag(
                kind=kind,
                challenge=cid,
                title=spec.flag_title(value, catalog) or spec.label,
                message=hit.message,
                note=tool.challenge_note(cid) if cid else "",
                mitigations=ch.mitigations if ch else spec.mitigations,
                enablers=tuple(s for s in (ch.enablers if ch else ()) if s in catalog.tools and s != tool.slug),
                penalty=hit.penalty,
            )
        )
    return flags, barred, in_place


def _horizon_words(h: str | None) -> str:
    return HORIZON_LABELS.get(h or "", "unknown")


def effort_steps(tool: Tool) -> int:
    """How much the tool asks in its basic form: cost, staff effort and time to
    results added as steps (low/short 0, medium 1, high/long 2); unrated counts
    as medium. 0 to 6."""

    def steps(value: str | None, scale: tuple[str, ...]) -> int:
        return scale.index(value) if value in scale else 1

    return steps(tool.cost, LEVELS) + steps(tool.staff_effort, LEVELS) + steps(tool.time_to_results, HORIZONS)


def assess(
    tool: Tool,
    profile: Profile,
    catalog: Catalog,
    max_votes: int = 0,
    split: tuple[Constraints, Constraints] | None = None,
    explain: bool = True,
) -> Recommendation:
    """Score and explain one tool for one profile. (`split`: the profile's constraints
    as `_split` gives them, computed once by `rank` for the whole catalog.)
    `explain=False` scores only: the order's and the bands' fields, no reasons or flags
    (`rank` writes those for the tools it shows)."""
    special, penalties = split or _split(profile)
    apart = _set_apart(tool, catalog, special)
    if apart is not None:
        return apart
    relevance, goal_fit, goals, focus, principles = _relevance(tool, profile)
    if relevance <= 0:  # serves nothing asked for: not recommended, so nothing more to explain
        return Recommendation(
            slug=tool.slug,
            title=tool.title,
            score=0,
            fit="none",
            reasons=("Serves none of what you asked for.",),
            goal_strength=dict.fromkeys(profile.goals, 0),
            effort=effort_steps(tool),
            case_studies=len(tool.who_has_used),
        )
    hits = [(kind, value, hit) for kind, value in penalties if (hit := REGISTRY[kind].assess(tool, value, catalog))]
    penalty = sum(hit.penalty for _, _, hit in hits)
    votes = profile.votes.get(tool.slug, 0)
    bonus = VOTE_WEIGHT * votes / max_votes if votes and max_votes else 0.0
    exact = round(min(100.0, max(0.0, relevance - penalty + bonus)), 9)  # rounded: equal sums compare equal
    score = int(round(exact))
    if score >= STRONG_AT:
        fit = "strong"
    elif score >= POSSIBLE_AT:
        fit = "possible"
    else:
        fit = "weak"
    common = dict(
        slug=tool.slug,
        title=tool.title,
        score=score,
        fit=fit,
        relevance=relevance,
        matched_goals=tuple(goals),
        matched_focus=tuple(focus),
        matched_principles=tuple(principles),
        goal_strength={g: tool.strength(g) for g in profile.goals},
        exact=exact,
        penalty=penalty,
        effort=effort_steps(tool),
        case_studies=len(tool.who_has_used),
        goal_fit=goal_fit,
    )
    if not explain:
        return Recommendation(reasons=(), explained=False, **common)  # type: ignore[arg-type]
    flags, _, _ = _flags(tool, catalog, [(kind, value) for kind, value, _ in hits])
    reasons: list[str] = []
    if profile.goals:
        for level in sorted(STRENGTH_LEADS, reverse=True):
            names = [catalog.goal_name(g) for g in goals if tool.strength(g) == level]
            if names:
                reasons.append(f"{STRENGTH_LEADS[level]}: {join_words(names)}.")
        missing = [catalog.goal_name(g) for g in profile.goals if not tool.strength(g)]
        if not goals:
            reasons.append("Advances none of your goals directly.")
        elif missing:
            reasons.append(f"Does not address: {join_words(missing)}.")
    if focus:
        reasons.append(f"Covers {join_words(focus)}, which you chose.")
    if principles:
        word = "principle" if len(principles) == 1 else "principles"
        reasons.append(f"Supports the {join_words(principles)} {word}, which you chose.")
    if not profile.asks_for_something:
        reasons.append("You have not chosen goals, focus areas or principles yet, so only your constraints rank it.")
    if flags:
        reasons.append(
            f"{len(flags)} thing{'s' if len(flags) != 1 else ''} may stand in the way: {join_words([f.title.lower() for f in flags])}."
        )
    elif special or penalties:
        reasons.append("None of your constraints stands in its way.")
    if votes and max_votes:
        reasons.append(f"The room gave it {votes} dot{'s' if votes != 1 else ''} in the vote.")
    return Recommendation(reasons=tuple(reasons), flags=tuple(flags), **common)  # type: ignore[arg-type]


_GROUP = {"strong": 0, "possible": 0, "weak": 0, "none": 1, "excluded": 2, "inplace": 3}


def order_key(r: Recommendation) -> tuple:
    """Best first: score (unrounded), then the lighter burden for this profile,
    the easier tool, more case studies, and only then the title."""
    return (_GROUP[r.fit], -r.exact, r.penalty, r.effort, -r.case_studies, r.title.lower(), r.slug)


def rank(
    catalog: Catalog, profile: Profile, explain: int | None = None, everything: bool = False
) -> list[Recommendation]:
    """The tools that matter for this profile, best first: the recommended ones, then
    those state law bars, then those the town already has.

    Only the tools that serve something asked for are scored (the catalog's index
    finds them); every tool is still asked about state law and what is in place.
    `everything`: also list the tools that serve nothing asked for (fit "none").
    `explain`: write the reasons, flags and why-below of the first N recommended
    only (all when None); the others are scored and placed, with `explained`
    False (a large catalog ranks in a fraction of the time)."""
    max_votes = max(profile.votes.values(), default=0)
    split = _split(profile)
    special, _ = split
    if profile.asks_for_something:
        relevant = catalog.index.serving(profile.goals, profile.focus, profile.principles)
    else:
        relevant = set(catalog.tools)
    with gc_paused():  # thousands of short-lived objects, no cycles: collecting on the way only costs time
        assessed: list[Recommendation] = []
        for tool in catalog.tools.values():
            if tool.slug in relevant or everything:
                assessed.append(assess(tool, profile, catalog, max_votes, split, explain=explain is None))
            elif special:  # serves nothing asked for: listed only when barred or in place
                r = _set_apart(tool, catalog, special)
                if r is not None:
                    assessed.append(r)
        assessed.sort(key=order_key)
        out: list[Recommendation] = []
        shown = 0
        for r in assessed:
            if r.recommended and (explain is None or shown < explain):
                shown += 1
                if not r.explained:
                    r = assess(catalog.tools[r.slug], profile, catalog, max_votes, split)
                above = out[-1] if out and out[-1].recommended else None
                if above is not None:
                    r = replace(r, vs_above=why_below(r, above, catalog))
            out.append(r)
        return out


def _set_apart(tool: Tool, catalog: Catalog, special: Constraints) -> Recommendation | None:
    """The tool listed apart (in place, or barred by state law), or None."""
    _, barred, in_place = _flags(tool, catalog, special)
    if in_place:
        return Recommendation(slug=tool.slug, title=tool.title, score=0, fit="inplace", reasons=(in_place,))
    if barred:
        return Recommendation(
            slug=tool.slug, title=tool.title, score=0, fit="excluded", excluded=True, reasons=(barred,)
        )
    return None


_STRENGTH_PHRASE = {3: "made for it", 2: "a main effect", 1: "a side benefit", 0: "not served"}


def _levels_word(r: Recommendation, above: Recommendation, catalog: Catalog) -> str:
    """The first goal (most important first) that the tool above serves more strongly, in words."""
    for gid in r.goal_strength:
        mine, theirs = r.goal_strength.get(gid, 0), above.goal_strength.get(gid, 0)
        if theirs > mine:
            return (
                f"for {catalog.goal_name(gid).lower()}: {above.title}, {_STRENGTH_PHRASE[theirs]}; "
                f"this tool, {_STRENGTH_PHRASE[mine]}"
            )
    return ""


def why_below(r: Recommendation, above: Recommendation, catalog: Catalog) -> str:
    """One sentence: why `r` sits right below `above` (the first rule that separates them)."""
    lead = f"Ranked below {above.title}"
    if r.exact < above.exact:
        if r.relevance < above.relevance - 1e-9:
            if r.goal_fit < above.goal_fit - 1e-9:
                detail = _levels_word(r, above, catalog)
                return (
                    f"{lead}: it serves your goals less strongly ({detail})."
                    if detail
                    else f"{lead}: it serves your goals less strongly."
                )
            if len(r.matched_focus) < len(above.matched_focus):
                return f"{lead}: it covers fewer of the focus areas you chose."
            return f"{lead}: it supports fewer of the principles you chose."
        if r.penalty > above.penalty:
            return f"{lead}: {_burden_words(r, above)}"
        if r.relevance > above.relevance + 1e-9:
            return f"{lead}: it fits what you asked for better, but more stands in its way ({_burden_words(r, above, short=True)})."
        return f"{lead}: the room gave it fewer dots."
    if r.penalty > above.penalty:
        return f"{lead}: same score, but {_burden_words(r, above, short=True)}."
    if r.effort > above.effort:
        return f"{lead}: same score and burden, but it asks more: {_effort_words(r, above, catalog)}."
    if r.case_studies < above.case_studies:
        return f"{lead}: same score and effort, but fewer case studies ({r.case_studies} against {above.case_studies})."
    return f"{lead}: level on every count, so listed by title."


def _burden_words(r: Recommendation, above: Recommendation, short: bool = False) -> str:
    mine = {f.kind + f.challenge: f for f in r.flags}
    theirs = {f.kind + f.challenge for f in above.flags}
    extra = [f.title.lower() for k, f in mine.items() if k not in theirs]
    text = f"more stands in its way for you ({join_words(extra)})" if extra else "more stands in its way for you"
    return text if short else f"{text}."


def _effort_words(r: Recommendation, above: Recommendation, catalog: Catalog) -> str:
    a, b = catalog.tools.get(r.slug), catalog.tools.get(above.slug)
    if a is None or b is None:
        return "more cost, staff effort or time"
    parts = []
    if LEVELS.index(a.cost or "medium") > LEVELS.index(b.cost or "medium"):
        parts.append(f"{a.cost or 'unrated'} cost against {b.cost or 'unrated'}")
    if LEVELS.index(a.staff_effort or "medium") > LEVELS.index(b.staff_effort or "medium"):
        parts.append(f"{a.staff_effort or 'unrated'} staff effort against {b.staff_effort or 'unrated'}")
    if HORIZONS.index(a.time_to_results or "medium") > HORIZONS.index(b.time_to_results or "medium"):
        parts.append(f"results in {_horizon_words(a.time_to_results)} against {_horizon_words(b.time_to_results)}")
    return join_words(parts) or "more cost, staff effort or time overall"


def recommend(catalog: Catalog, profile: Profile, top: int | None = None) -> list[Recommendation]:
    """Recommended tools (best first, at most `top`), then those barred by state law,
    then those the town already has."""
    ranked = rank(catalog, profile, explain=top)
    chosen = [r for r in ranked if r.recommended]
    if top is not None:
        chosen = chosen[: max(0, top)]
    return chosen + [r for r in ranked if r.excluded] + [r for r in ranked if r.in_place]


@dataclass(frozen=True)
class WhatIf:
    kind: str
    value: str
    label: str
    entered: tuple[str, ...]
    left: tuple[str, ...]
    moved_up: tuple[str, ...]


def constraint_label(kind: str, value: str, catalog: Catalog) -> str:
    """What relaxing one constraint means, in words (from the registry)."""
    return REGISTRY[kind].relax(value, catalog)


def what_if(catalog: Catalog, profile: Profile, top: int = TOP_FOR_WHAT_IF) -> list[WhatIf]:
    """For each constraint set, which tools enter or leave the top `top` without it."""

    def top_slugs(p: Profile) -> list[str]:
        return [r.slug for r in recommend(catalog, p, top=top) if not r.excluded]

    base = top_slugs(profile)
    out = []
    for kind, value in profile.constraints():
        if not REGISTRY[kind].what_if:
            continue
        relaxed = top_slugs(profile.relax(kind, value))
        entered = tuple(s for s in relaxed if s not in base)
        left = tuple(s for s in base if s not in relaxed)
        moved = tuple(s for s in relaxed if s in base and relaxed.index(s) < base.index(s))
        out.append(WhatIf(kind, value, constraint_label(kind, value, catalog), entered, left, moved))
    return out


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


def balanced_package(
    catalog: Catalog,
    profile: Profile,
    min_size: int = 3,
    max_size: int = 5,
) -> Package:
    """A small package (3 to 5 recommended tools) covering what was asked.

    Goals first, most important first: each goal not yet well served gets its
    strongest available tool (ties: the tool that also serves more of the other
    open goals, by importance x strength, then the lighter burden, the higher
    score, the easier tool, the title). A goal counts as well served once a
    chosen tool has at least a main effect on it (or the best strength any
    recommended tool has, when that is a side benefit). Then focus areas and
    principles still uncovered, greedily; then, if fewer than `min_size`, the
    best-ranked remaining tools.
    """
    recs = [r for r in rank(catalog, profile, explain=0) if r.recommended]  # scores and burden are enough
    position = {r.slug: i for i, r in enumerate(recs)}
    best_available = {g: max((catalog.tools[r.slug].strength(g) for r in recs), default=0) for g in profile.goals}
    enough = {g: min(2, best_available[g]) for g in profile.goals}
    served: dict[str, int] = dict.fromkeys(profile.goals, 0)
    focus_left = set(profile.focus)
    princ_left = set(profile.principles)
    chosen: list[str] = []
    steps: list[str] = []
    in_place: list[str] = []
    for slug in sorted(profile.get("have") or ()):  # what the town has covers goals already
        tool = catalog.tools.get(slug)
        if tool is None:
            continue
        helps = any(tool.strength(g) for g in profile.goals) or focus_left & set(tool.focus_areas)
        helps = helps or princ_left & set(tool.principles)
        for g in profile.goals:
            served[g] = max(served[g], tool.strength(g))
            best_available[g] = max(best_available[g], tool.strength(g))
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
            served[g] = max(served[g], tool.strength(g))
        focus_left.difference_update(tool.focus_areas)
        princ_left.difference_update(tool.principles)

    while len(chosen) < max_size:
        goals_open = open_goals()
        if goals_open:
            target = max(goals_open, key=lambda g: _importance(profile.goals[g]))
            others = [g for g in goals_open if g != target]

            def goal_key(r: Recommendation, target: str = target, others: tuple[str, ...] = tuple(others)) -> tuple:
                tool = catalog.tools[r.slug]
                extra = sum(_importance(profile.goals[g]) * tool.strength(g) for g in others)
                return (-tool.strength(target), -extra, r.penalty, position[r.slug])

            pool = [r for r in recs if r.slug not in chosen and catalog.tools[r.slug].strength(target)]
            best = min(pool, key=goal_key)
            tool = catalog.tools[best.slug]
            word = STRENGTH_LABELS[tool.strength(target)].lower()
            also = [catalog.goal_name(g) for g in others if tool.strength(g) >= enough[g] and served[g] < enough[g]]
            why = f"{best.title}: the strongest available tool for {catalog.goal_name(target).lower()} ({word})"
            why += f"; also serves {join_words(also).lower()}." if also else "."
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
        add(best, f"{best.title}: the best-ranked tool not yet in the package.")

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


def ranking_explainer() -> str:
    """How the ranking works, in plain words for the page."""
    return (
        f"**How strongly it serves your goals.** Every tool is graded for each goal: "
        f"**made for it** (a planner names it first for that goal; counts in full), **main effect** (counts "
        f"{STRENGTH_VALUE[2]:.0%}) or **side benefit** (counts {STRENGTH_VALUE[1]:.0%}). Goal fit is the "
        f"importance-weighted mean over the goals you chose: sum of (importance x value) / sum of importance. "
        f"A tool made for one goal outranks one that touches three goals in passing.\n\n"
        f"**Relevance** = {GOAL_WEIGHT} x goal fit + {FOCUS_WEIGHT} x share of your focus areas it carries "
        f"+ {PRINCIPLE_WEIGHT} x share of your principles, over the parts you filled in, as 0 to 100.\n\n"
        f"**What stands in the way.** Points come off for each challenge you face that the tool "
        f"runs into ({CHALLENGE_PENALTY}), for each level your budget or staff capacity falls "
        f"below what it needs ({LEVEL_PENALTY}), for each step your time horizon is shorter than "
        f"its time to results ({LEVEL_PENALTY}), and for a setting it does not usually suit "
        f"({SETTING_PENALTY}). Each shows as a flag with ways around it.\n\n"
        f"**Score** = relevance - those points (+ up to {VOTE_WEIGHT} for a room's dots), 0 to 100. "
        f"**Bands:** strong fit {STRONG_AT} or more; possible {POSSIBLE_AT} to {STRONG_AT - 1}; weak below "
        f"{POSSIBLE_AT}. A tool with only side benefits cannot be a strong fit on goals alone. "
        f"A tool that serves nothing you asked for is not listed.\n\n"
        f"**Equal scores** are ordered by, in turn: (1) the lighter burden for your profile; "
        f"(2) the easier tool: cost, staff effort and time to results added up; (3) more case studies "
        f'("Who has used this tool"); (4) only then the title. Each card from the second on says '
        f"which of these put it below the card above.\n\n"
        f"**The room's votes.** When a workshop vote is linked, the most-voted tool gains "
        f"{VOTE_WEIGHT} points and the others in proportion to their dots; it never makes a tool "
        f"that serves nothing you asked for appear.\n\n"
        f"**State law** is the only hard rule: a tool your state does not enable is listed apart, "
        f"with the reason."
    )
