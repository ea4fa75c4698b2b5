"""The rules: a profile and the catalog in, a ranked and explained list out.

How a score is made (0 to 100), documented here and shown to users by
`ranking_explainer()`:

1. Relevance: the share of what the user asked for that the tool serves.
   Goals count most (60), then focus areas (25), then principles (15);
   goals are weighted by their importance (1 to 3). Only the parts the user
   filled in count, so a weighted share over them gives 0 to 100. With
   nothing asked for, every tool starts at 50 and only constraints separate
   them.
2. Burden: points taken off for what stands in the way.
   - each challenge the user faces that the tool carries: 8;
   - each level the budget is below the tool's cost: 6;
   - each level the staff capacity is below its staff effort: 6;
   - each step the time horizon is shorter than its time to results: 6;
   - a setting (urban, suburban, rural) the tool does not fit: 10.
3. Score = relevance - burden, kept within 0 to 100.

State law is the one hard rule: a tool not enabled in the user's state is
listed apart, with the reason. A tool with relevance 0 (it serves nothing
asked for) is not recommended. Order: score, then title, so the same
profile and catalog always give the same order. Because burden only ever
subtracts, facing one more challenge never raises a score; because a weighted
share can only grow when an item the tool serves is added, one more goal that
a tool serves never lowers its score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .model import Catalog, Tool
from .taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, PRINCIPLES, STATE_NAMES

GOAL_WEIGHT = 60
FOCUS_WEIGHT = 25
PRINCIPLE_WEIGHT = 15
NEUTRAL_RELEVANCE = 50.0
CHALLENGE_PENALTY = 8
LEVEL_PENALTY = 6
SETTING_PENALTY = 10
STRONG_AT = 65
POSSIBLE_AT = 40
VOTE_WEIGHT = 10  # at most this many points for the room's votes
TOP_FOR_WHAT_IF = 10

# the challenge whose mitigations answer each kind of constraint flag
CONSTRAINT_CHALLENGE = {
    "budget": "upfront-funding",
    "staff": "staff-skills",
    "horizon": "uncertain-roi",
}
CONSTRAINT_TITLES = {
    "budget": "Cost above your budget",
    "staff": "Staff effort above your capacity",
    "horizon": "Results after your time horizon",
}


@dataclass(frozen=True)
class Profile:
    """What a user tells the app. Every part is optional."""

    goals: Mapping[str, int] = field(default_factory=dict)  # id -> importance 1..3
    focus: frozenset[str] = frozenset()
    principles: frozenset[str] = frozenset()
    faces: frozenset[str] = frozenset()
    state: str | None = None
    setting: str | None = None
    budget: str | None = None
    staff: str | None = None
    horizon: str | None = None
    votes: Mapping[str, int] = field(default_factory=dict)  # slug -> dots from a room

    @property
    def asks_for_something(self) -> bool:
        return bool(self.goals or self.focus or self.principles)

    def constraints(self) -> list[tuple[str, str]]:
        """(kind, value) for every constraint set, in a stable order."""
        out: list[tuple[str, str]] = []
        for kind in ("state", "setting", "budget", "staff", "horizon"):
            value = getattr(self, kind)
            if value:
                out.append((kind, value))
        out += [("face", cid) for cid in sorted(self.faces)]
        return out

    def relax(self, kind: str, value: str) -> Profile:
        """The same profile without one constraint."""
        if kind == "face":
            return replace(self, faces=self.faces - {value})
        return replace(self, **{kind: None})


@dataclass(frozen=True)
class Flag:
    kind: str  # challenge | budget | staff | horizon
    challenge: str
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

    @property
    def recommended(self) -> bool:
        return not self.excluded and self.fit != "none"

    @property
    def burden(self) -> int:
        return sum(f.penalty for f in self.flags)

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
        }
        if self.excluded:
            out["excluded"] = True
        return out


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _gap(have: str | None, need: str | None, scale: tuple[str, ...]) -> int:
    """How many steps `have` falls short of `need` (0 when unknown or enough)."""
    if not have or not need:
        return 0
    return max(0, scale.index(need) - scale.index(have))


def _relevance(tool: Tool, profile: Profile) -> tuple[float, list[str], list[str], list[str]]:
    goals = [g for g in profile.goals if g in tool.goals]
    focus = [f for f in FOCUS_AREAS if f in profile.focus and f in tool.focus_areas]
    principles = [p for p in PRINCIPLES if p in profile.principles and p in tool.principles]
    if not profile.asks_for_something:
        return NEUTRAL_RELEVANCE, goals, focus, principles
    parts: list[tuple[float, float]] = []  # (weight, share)
    if profile.goals:
        total = sum(_importance(v) for v in profile.goals.values())
        got = sum(_importance(profile.goals[g]) for g in goals)
        parts.append((GOAL_WEIGHT, got / total))
    if profile.focus:
        parts.append((FOCUS_WEIGHT, len(focus) / len(profile.focus)))
    if profile.principles:
        parts.append((PRINCIPLE_WEIGHT, len(principles) / len(profile.principles)))
    weight = sum(w for w, _ in parts)
    return 100.0 * sum(w * s for w, s in parts) / weight, goals, focus, principles


def _importance(value: int) -> int:
    return min(3, max(1, int(value)))


def _flags(tool: Tool, profile: Profile, catalog: Catalog) -> list[Flag]:
    flags: list[Flag] = []

    def make(kind: str, cid: str, message: str, penalty: int) -> Flag:
        ch = catalog.challenges.get(cid)
        return Flag(
            kind=kind,
            challenge=cid,
            title=CONSTRAINT_TITLES.get(kind) or catalog.challenge_name(cid),
            message=message,
            note=tool.challenge_note(cid),
            mitigations=ch.mitigations if ch else (),
            enablers=tuple(s for s in (ch.enablers if ch else ()) if s in catalog.tools and s != tool.slug),
            penalty=penalty,
        )

    for cid in tool.challenge_ids:
        if cid in profile.faces:
            flags.append(
                make(
                    "challenge",
                    cid,
                    f"You face {catalog.challenge_name(cid).lower()}, which this tool runs into.",
                    CHALLENGE_PENALTY,
                )
            )
    horizon_words = f"{tool.time_to_results} ({_horizon_words(tool.time_to_results)})"
    limits = (
        ("budget", profile.budget, tool.cost, LEVELS, f"Costs {tool.cost}; your budget is {profile.budget}."),
        (
            "staff",
            profile.staff,
            tool.staff_effort,
            LEVELS,
            f"Needs {tool.staff_effort} staff effort; your staff capacity is {profile.staff}.",
        ),
        (
            "horizon",
            profile.horizon,
            tool.time_to_results,
            HORIZONS,
            f"Results take {horizon_words}; your horizon is {profile.horizon}.",
        ),
    )
    for kind, have, need, scale, message in limits:
        gap = _gap(have, need, scale)
        if gap:
            flags.append(make(kind, CONSTRAINT_CHALLENGE[kind], message, LEVEL_PENALTY * gap))
    return flags


def _horizon_words(h: str | None) -> str:
    return {"short": "under a year", "medium": "1 to 3 years", "long": "over 3 years"}.get(h or "", "unknown")


def state_allows(tool: Tool, state: str | None) -> bool:
    return not state or not tool.states or state in tool.states


def assess(tool: Tool, profile: Profile, catalog: Catalog, max_votes: int = 0) -> Recommendation:
    """Score and explain one tool for one profile."""
    if not state_allows(tool, profile.state):
        allowed = _join([STATE_NAMES.get(s, s) for s in tool.states])
        return Recommendation(
            slug=tool.slug,
            title=tool.title,
            score=0,
            fit="excluded",
            excluded=True,
            reasons=(
                f"Not available in {STATE_NAMES.get(profile.state or '', profile.state)}: state law enables it only in {allowed}.",
            ),
        )
    relevance, goals, focus, principles = _relevance(tool, profile)
    reasons: list[str] = []
    if profile.goals:
        if goals:
            names = [catalog.goal_name(g) for g in goals]
            n = len(profile.goals)
            if n == 1:
                lead = "Advances your goal"
            elif len(goals) == n:
                lead = "Advances both your goals" if n == 2 else f"Advances all {n} of your goals"
            else:
                lead = f"Advances {len(goals)} of your {n} goals"
            reasons.append(f"{lead}: {_join(names)}.")
        else:
            reasons.append("Advances none of your goals directly.")
    if focus:
        reasons.append(f"Covers {_join(focus)}, which you chose.")
    if principles:
        word = "principle" if len(principles) == 1 else "principles"
        reasons.append(f"Supports the {_join(principles)} {word}, which you chose.")
    if not profile.asks_for_something:
        reasons.append("You have not chosen goals, focus areas or principles yet, so only your constraints rank it.")
    flags = _flags(tool, profile, catalog)
    penalty = sum(f.penalty for f in flags)
    if profile.setting and tool.settings and profile.setting not in tool.settings:
        penalty += SETTING_PENALTY
        reasons.append(f"Usually suits {_join(list(tool.settings))} places; you chose {profile.setting}.")
    if flags:
        reasons.append(
            f"{len(flags)} thing{'s' if len(flags) != 1 else ''} may stand in the way: {_join([f.title.lower() for f in flags])}."
        )
    elif profile.constraints():
        reasons.append("None of your constraints stands in its way.")
    bonus = 0.0
    votes = profile.votes.get(tool.slug, 0)
    if votes and max_votes:
        bonus = VOTE_WEIGHT * votes / max_votes
        reasons.append(f"The room gave it {votes} dot{'s' if votes != 1 else ''} in the vote.")
    score = int(round(min(100.0, max(0.0, relevance - penalty + bonus))))
    if relevance <= 0:
        fit = "none"
    elif score >= STRONG_AT:
        fit = "strong"
    elif score >= POSSIBLE_AT:
        fit = "possible"
    else:
        fit = "weak"
    return Recommendation(
        slug=tool.slug,
        title=tool.title,
        score=score,
        fit=fit,
        reasons=tuple(reasons),
        flags=tuple(flags),
        relevance=relevance,
        matched_goals=tuple(goals),
        matched_focus=tuple(focus),
        matched_principles=tuple(principles),
    )


def rank(catalog: Catalog, profile: Profile) -> list[Recommendation]:
    """Every tool assessed, best first: recommended, then not relevant, then barred."""
    max_votes = max(profile.votes.values(), default=0)
    assessed = [assess(t, profile, catalog, max_votes) for t in catalog.tools.values()]
    group = {"strong": 0, "possible": 0, "weak": 0, "none": 1, "excluded": 2}
    return sorted(assessed, key=lambda r: (group[r.fit], -r.score, r.title.lower(), r.slug))


def recommend(catalog: Catalog, profile: Profile, top: int | None = None) -> list[Recommendation]:
    """Recommended tools (best first, at most `top`), then those barred by state law."""
    ranked = rank(catalog, profile)
    chosen = [r for r in ranked if r.recommended]
    if top is not None:
        chosen = chosen[: max(0, top)]
    return chosen + [r for r in ranked if r.excluded]


@dataclass(frozen=True)
class WhatIf:
    kind: str
    value: str
    label: str
    entered: tuple[str, ...]
    left: tuple[str, ...]
    moved_up: tuple[str, ...]


def constraint_label(kind: str, value: str, catalog: Catalog) -> str:
    if kind == "face":
        return f"Not facing {catalog.challenge_name(value).lower()}"
    if kind == "state":
        return f"Ignoring state law ({STATE_NAMES.get(value, value)})"
    words = {
        "setting": "Any setting",
        "budget": "A bigger budget",
        "staff": "More staff capacity",
        "horizon": "A longer time horizon",
    }
    return f"{words[kind]} (instead of {value})"


def what_if(catalog: Catalog, profile: Profile, top: int = TOP_FOR_WHAT_IF) -> list[WhatIf]:
    """For each constraint set, which tools enter or leave the top `top` without it."""

    def top_slugs(p: Profile) -> list[str]:
        return [r.slug for r in recommend(catalog, p, top=top) if not r.excluded]

    base = top_slugs(profile)
    out = []
    for kind, value in profile.constraints():
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

    @property
    def gaps(self) -> tuple[str, ...]:
        return self.gap_goals + self.gap_focus + self.gap_principles


def balanced_package(
    catalog: Catalog,
    profile: Profile,
    min_size: int = 3,
    max_size: int = 5,
) -> Package:
    """A greedy cover: 3 to 5 recommended tools covering the most of what was asked.

    Each step adds the tool that covers the most still-uncovered goal weight,
    then the most uncovered focus areas, then principles; ties go to the
    lighter challenge burden, then the higher score, then the title. Once
    nothing more can be covered, the package is topped up to `min_size` with
    the best-scoring tools of least burden.
    """
    recs = [r for r in rank(catalog, profile) if r.recommended]
    by_slug = {r.slug: r for r in recs}
    goals_left = set(profile.goals)
    focus_left = set(profile.focus)
    princ_left = set(profile.principles)
    chosen: list[str] = []
    steps: list[str] = []
    while len(chosen) < max_size:
        best = None
        best_key = None
        for r in recs:
            if r.slug in chosen:
                continue
            tool = catalog.tools[r.slug]
            g = sum(_importance(profile.goals[x]) for x in goals_left if x in tool.goals)
            f = len(focus_left & set(tool.focus_areas))
            p = len(princ_left & set(tool.principles))
            key = (g, f, p, -r.burden, r.score, [-ord(c) for c in r.title.lower()])
            if best_key is None or key > best_key:
                best, best_key = r, key
        if best is None or best_key is None:
            break
        gain = best_key[0] + best_key[1] + best_key[2]
        if gain == 0 and len(chosen) >= min_size:
            break
        tool = catalog.tools[best.slug]
        new = [catalog.goal_name(x) for x in profile.goals if x in goals_left and x in tool.goals]
        new += [x for x in FOCUS_AREAS if x in focus_left and x in tool.focus_areas]
        new += [x for x in PRINCIPLES if x in princ_left and x in tool.principles]
        steps.append(f"{best.title}: adds {_join(new)}." if new else f"{best.title}: a strong, light-burden addition.")
        chosen.append(best.slug)
        goals_left -= set(tool.goals)
        focus_left -= set(tool.focus_areas)
        princ_left -= set(tool.principles)
    return Package(
        slugs=tuple(chosen),
        covered_goals=tuple(g for g in profile.goals if g not in goals_left),
        covered_focus=tuple(f for f in FOCUS_AREAS if f in profile.focus and f not in focus_left),
        covered_principles=tuple(p for p in PRINCIPLES if p in profile.principles and p not in princ_left),
        gap_goals=tuple(g for g in profile.goals if g in goals_left),
        gap_focus=tuple(f for f in FOCUS_AREAS if f in focus_left),
        gap_principles=tuple(p for p in PRINCIPLES if p in princ_left),
        burden=sum(by_slug[s].burden for s in chosen),
        steps=tuple(steps),
    )


def ranking_explainer() -> str:
    """How the ranking works, in plain words for the page."""
    return (
        f"**Relevance.** Each tool gets the share of what you asked for that it serves: "
        f"goals count most ({GOAL_WEIGHT} points, weighted by the importance you gave each), "
        f"then focus areas ({FOCUS_WEIGHT}) and principles ({PRINCIPLE_WEIGHT}). Only the parts "
        f"you filled in count, so a tool serving all of them scores 100.\n\n"
        f"**What stands in the way.** Points come off for each challenge you face that the tool "
        f"runs into ({CHALLENGE_PENALTY}), for each level your budget or staff capacity falls "
        f"below what it needs ({LEVEL_PENALTY}), for each step your time horizon is shorter than "
        f"its time to results ({LEVEL_PENALTY}), and for a setting it does not suit "
        f"({SETTING_PENALTY}). Each shows as a flag with ways around it.\n\n"
        f"**Bands.** Strong fit: {STRONG_AT} or more; possible: {POSSIBLE_AT} to {STRONG_AT - 1}; "
        f"weak: below {POSSIBLE_AT}. A tool that serves nothing you asked for is not listed.\n\n"
        f"**The room's votes.** When a workshop vote is linked, the most-voted tool gains "
        f"{VOTE_WEIGHT} points and the others in proportion to their dots; it never makes a tool "
        f"that serves nothing you asked for appear.\n\n"
        f"**State law** is the only hard rule: a tool your state does not enable is listed apart, "
        f"with the reason. Ties are broken by title, so the same choices always give the same order."
    )
