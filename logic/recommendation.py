"""One tool's place in a ranking: its score, fit, reasons and what stands in its way
(`Flag`), as `logic.rules` writes it and the pages, exports and brief read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import Catalog
from .taxonomy import Fit, strength_phrase
from .text import join_words


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
    fit: Fit
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
    lead_goal: str = ""  # the goal it serves best for this town (strength x importance)
    applies: bool = True  # False: it does not apply to the town's setting (listed after those that do)
    boost: int = 0  # points on for building on a tool the town has in place
    go_to_for: tuple[str, ...] = ()  # the goals asked for that list it as a go-to tool (`go_to_goals`)
    head_start: float = 0.0  # the points that gives it (`go_to_points`)
    said: tuple[str, ...] = ()  # the words of the town's description its cues find (`logic.about`)
    said_points: float = 0.0  # the points they give it (`scoring.about_points`)
    dots: int = 0  # the room's dots (shown beside the fit, never in the score)
    leads_for: str = ""  # the goal it is the best tool for, when the list opens with it
    traits: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)  # the tool's (TRAITS), for tie-breaks
    position: str = ""  # its rank as shown: "3", or "=3" when level with a neighbor on every count
    # the reasons that are neither how it serves each goal nor a count of its flags (focus areas,
    # principles, what it builds on): a card shows these beside its goal-by-goal headline and flags
    notes: tuple[str, ...] = ()
    # the last of `reasons` when constraints were given: what stands in its way, counted ("2 things
    # may stand in the way: ..."), or that nothing does; a brief short of room leaves it out
    in_the_way: str = ""
    # the one of `reasons` that names the goals asked for it does not serve ("Does not address:
    # ..."), if any; a brief shortest of room leaves it out (the lines before it say what it serves)
    unserved: str = ""
    # the one of `reasons` that says it is a go-to tool for goals asked for, if any; a brief
    # short of room leaves it out (the card below it says so when that is what separates them)
    go_to_note: str = ""

    @property
    def recommended(self) -> bool:
        return not self.excluded and self.fit not in (Fit.NONE, Fit.IN_PLACE)

    @property
    def in_place(self) -> bool:
        return self.fit == Fit.IN_PLACE

    def go_to_badge(self, catalog: Catalog) -> str:
        """A card's mark for a go-to tool: "Planners' go-to" when it is one for every goal asked
        for, else naming the goals it is one for; "" for a tool that is not."""
        if not self.go_to_for:
            return ""
        if set(self.go_to_for) == set(self.goal_strength):
            return "Planners' go-to"
        return "Planners' go-to for " + join_words([f"“{catalog.goal_name(g)}”" for g in self.go_to_for])

    def strength_summary(self, catalog: Catalog | None = None) -> str:
        """How strongly it serves the goals asked for, goal by goal, for a card's headline:
        "Made for your goal", "Made for “Reduce flooding and stormwater damage”; a side benefit for
        “Preserve farmland, open space and habitat”" (with a catalog, the goals by name; without,
        counted: "Made for 1 of your 3 goals; a main effect on 1")."""
        n = len(self.goal_strength)
        if not n:
            return ""
        if n == 1:
            level = next(iter(self.goal_strength.values()))
            return _capital(strength_phrase(level, "your goal", headline=True))
        parts = []
        for lv in (3, 2, 1):
            goals = [g for g, v in self.goal_strength.items() if v == lv]
            if not goals:
                continue
            if catalog is not None:
                named = join_words([f"“{catalog.goal_name(g)}”" for g in goals])
            else:
                named = f"{len(goals)} of your {n} goals"
            parts.append(strength_phrase(lv, named, headline=True))
        if not parts:
            return "Serves none of your goals"
        return _capital("; ".join(parts))

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
            "rank": self.position or None,
            "leadsFor": self.leads_for or None,
            "appliesToSetting": self.applies,
            "dots": self.dots,
        }
        if self.said:
            out["descriptionMentions"] = list(self.said)
        if self.excluded:
            out["excluded"] = True
        if self.in_place:
            out["inPlace"] = True
        return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
