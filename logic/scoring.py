"""One tool's score for a town, and the order of equal scores (`TIE_BREAKS`). The model
is stated in `logic.rules`, which ranks the list; a card's own lines are written by
`logic.reasons`, and what compares one card with the next by `logic.explain`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from .about import cues_in
from .constraints import BOOST_CAP, REGISTRY, Hit
from .model import Catalog, Tool
from .profile import Profile
from .reasons import card_lines
from .recommendation import Recommendation
from .taxonomy import (
    FOCUS_AREAS,
    HORIZON_LABELS,
    HORIZONS,
    LEVELS,
    PRINCIPLES,
    STRENGTH_VALUE,
    Fit,
    Horizon,
    Level,
)
from .text import join_words, mid_sentence

GOAL_WEIGHT = 60
FOCUS_WEIGHT = 25
PRINCIPLE_WEIGHT = 15
NEUTRAL_RELEVANCE = 50.0
# the goal score: LEAD_POINTS x the best weighted goal, plus BREADTH_SLOPE x each other goal's
# weighted value, at most BREADTH_POINTS in all (a second goal as important as the first, served
# as a main effect, adds 24; as a side benefit, 10)
LEAD_POINTS = 75
BREADTH_SLOPE = 40
BREADTH_POINTS = 25
# a goal's weight by how many steps of importance it sits below the town's top goal
IMPORTANCE_STEP_WEIGHT: dict[int, float] = {0: 1.0, 1: 0.75, 2: 0.55}
STRONG_AT = 65
POSSIBLE_AT = 40
# points on for a goal's go-to tool (goals.yaml `goTo`: the few planners reach for first for it),
# times the goal's weight: a head start among the tools that serve the goal as well
GO_TO_POINTS = 10
# a tool that serves none of the town's goals but is a way around this many of the challenges
# it faces (a challenge's `enablers`; not those about money) is offered all the same, at this
# relevance before its flags and boost: a weak fit, below the tools that serve a goal unless much
# stands in their way (Shared Services for a borough short of staff whose problems cross its borders)
# points on for a tool whose own cue words (content `cues`) the town's description uses, times
# its lead goal's weight: as much as a go-to tool's head start (`logic.about`)
ABOUT_POINTS = GO_TO_POINTS
WAY_AROUND_CHALLENGES = 2
WAY_AROUND_RELEVANCE = 30.0


def goal_weights(profile: Profile) -> dict[str, float]:
    """Each goal's weight by how far its importance sits below the town's top goal:
    the top goals count in full, one step below 75%, two steps below 55%."""
    if not profile.goals:
        return {}
    top = max(profile.goals.values())
    return {g: IMPORTANCE_STEP_WEIGHT[top - v] for g, v in profile.goals.items()}


def go_to_goals(tool: Tool, profile: Profile, catalog: Catalog) -> list[str]:
    """The goals asked for that list this tool among their go-to tools (`Catalog.go_to_goals`),
    in the order they were asked for."""
    listing = catalog.go_to_goals(tool.slug)
    return [g for g in profile.goals if g in listing]


def go_to_points(goals: Iterable[str], weights: Mapping[str, float]) -> float:
    """The head start for being a go-to tool for these goals: GO_TO_POINTS x the weight of the
    most important of them (once: a go-to tool for two goals asked for is not raised twice)."""
    return max((GO_TO_POINTS * weights[g] for g in goals), default=0.0)


def has_center(profile: Profile, catalog: Catalog) -> bool:
    """Whether the town has a downtown, main street or village center to work in, as far as
    its profile says: an urban setting, or a goal marked `center` in goals.yaml asked for. With
    no setting given it is not known, and counts as yes (no tool is marked down on a guess)."""
    if profile.setting in (None, "urban"):
        return True
    return any(goal.center for g in profile.goals if (goal := catalog.goals.get(g)) is not None)


def about_points(
    tool: Tool, profile: Profile, weights: Mapping[str, float], lead: str, catalog: Catalog
) -> tuple[tuple[str, ...], float]:
    """(the words of the town's description the tool's cues find, each place read by the longest
    cue of the catalog found there (`cues_in`), the points they give): ABOUT_POINTS
    x the weight of its lead goal, once however many words it finds; none for a tool that serves
    no goal asked for (a description raises a tool among those that serve the town, never brings one in)."""
    said = cues_in(tool.cues, profile.about, catalog.index.cues) if lead else ()
    return said, ABOUT_POINTS * weights[lead] if said else 0.0


def goal_strengths(tool: Tool, profile: Profile, catalog: Catalog) -> dict[str, int]:
    """How strongly the tool serves each goal asked for, in this town (0-3): as graded, but a
    tool made for a center (`needsCenter`) counts what it is made for (3) as a main effect (2)
    where the town has none (`has_center`): parking rules made for a downtown's curb are not
    what a township of warehouses and highway corridors needs first for its traffic."""
    capped = bool(tool.needs_center) and not has_center(profile, catalog)
    return {g: min(tool.strength(g), 2) if capped else tool.strength(g) for g in profile.goals}


def goal_score(strength: Mapping[str, int], weights: Mapping[str, float]) -> tuple[float, str]:
    """(0 to 1, the lead goal): the tool's best weighted goal, plus a little for the others:
    (LEAD_POINTS x lead + min(BREADTH_POINTS, BREADTH_SLOPE x the others' weighted values)) / 100.
    (`strength`: `goal_strengths`.)"""
    values = sorted(
        ((w * STRENGTH_VALUE[strength[g]], g) for g, w in weights.items() if strength.get(g)),
        key=lambda x: -x[0],
    )
    if not values:
        return 0.0, ""
    lead, lead_goal = values[0]
    breadth = min(float(BREADTH_POINTS), BREADTH_SLOPE * sum(v for v, _ in values[1:]))
    return (LEAD_POINTS * lead + breadth) / 100.0, lead_goal


def relevance_value(
    tool: Tool, profile: Profile, weights: Mapping[str, float], strength: Mapping[str, int]
) -> tuple[float, float, str]:
    """(relevance 0-100, goal score 0-1, the lead goal): the goals' score shares the relevance
    with the focus areas and principles matched, when chosen (GOAL_, FOCUS_, PRINCIPLE_WEIGHT)."""
    fit, lead = goal_score(strength, weights) if profile.goals else (0.0, "")
    if not profile.asks_for_something:
        return NEUTRAL_RELEVANCE, fit, lead
    parts: list[tuple[float, float]] = []  # (weight, share)
    if profile.goals:
        parts.append((GOAL_WEIGHT, fit))
    if profile.focus:
        parts.append((FOCUS_WEIGHT, len(profile.focus.intersection(tool.focus_areas)) / len(profile.focus)))
    if profile.principles:
        parts.append(
            (PRINCIPLE_WEIGHT, len(profile.principles.intersection(tool.principles)) / len(profile.principles))
        )
    weight = sum(w for w, _ in parts)
    return 100.0 * sum(w * sh for w, sh in parts) / weight, fit, lead


def _relevance(
    tool: Tool, profile: Profile, weights: Mapping[str, float], strength: Mapping[str, int]
) -> tuple[float, float, str, list[str], list[str], list[str]]:
    """`relevance_value`, then the served goals, matched focus areas and matched principles."""
    goals = sorted((g for g in profile.goals if strength[g]), key=lambda g: (-strength[g], -weights[g]))
    focus = [f for f in FOCUS_AREAS if f in profile.focus and f in tool.focus_areas]
    principles = [p for p in PRINCIPLES if p in profile.principles and p in tool.principles]
    return (*relevance_value(tool, profile, weights, strength), goals, focus, principles)


def _eased(catalog: Catalog, challenge_id: str) -> tuple[str, ...]:
    """The tools that ease a challenge in a way that can bring them in for it: its enablers,
    unless it is about money (a fee or a fund eases it for its own purpose only)."""
    ch = catalog.challenges.get(challenge_id)
    return () if ch is None or ch.money else ch.enablers


def ways_around(tool: Tool, profile: Profile, catalog: Catalog) -> list[str]:
    """The challenges the town faces, not about money, that this tool is a way around (ids, sorted)."""
    return [c for c in sorted(profile.values("face")) if tool.slug in _eased(catalog, c)]


def _offered_for(tool: Tool, profile: Profile, catalog: Catalog) -> list[str]:
    """The challenges faced that bring this tool in whatever goals it serves: its `ways_around`
    when there are enough of them (`WAY_AROUND_CHALLENGES`) and the town asks for a goal, else []."""
    around = ways_around(tool, profile, catalog) if profile.goals else []
    return around if len(around) >= WAY_AROUND_CHALLENGES else []


def capacity_tools(catalog: Catalog, profile: Profile) -> set[str]:
    """Slugs of the tools `_offered_for` brings in: `rank` scores them beside those that serve a goal."""
    eased = {s for c in profile.values("face") for s in _eased(catalog, c) if s in catalog.tools}
    return {s for s in eased if _offered_for(catalog.tools[s], profile, catalog)}


Constraints = list[tuple[str, str]]


def split_constraints(profile: Profile) -> tuple[Constraints, Constraints]:
    """The profile's constraints: those that can take a tool out of the list (state law,
    what is in place: asked of every tool) and those that cost points (asked only of the
    tools that serve something asked for)."""
    special: Constraints = []
    penalties: Constraints = []
    for kind, value in profile.constraints():
        (penalties if REGISTRY[kind].effect == "penalty" else special).append((kind, value))
    return special, penalties


def constraint_hits(tool: Tool, catalog: Catalog, constraints: Constraints) -> list[tuple[str, str, Hit]]:
    """What each constraint does to this tool: (kind, value, hit) for those that do something."""
    return [(kind, value, hit) for kind, value in constraints if (hit := REGISTRY[kind].assess(tool, value, catalog))]


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
    split: tuple[Constraints, Constraints] | None = None,
    explain: bool = True,
    weights: Mapping[str, float] | None = None,
) -> Recommendation:
    """Score and explain one tool for one profile. (`split`: the profile's constraints
    as `split_constraints` gives them, and `weights` as `goal_weights` gives them, computed once by
    `rank` for the whole catalog.) `explain=False` scores only: the order's and the
    bands' fields, no reasons or flags (`rank` writes those for the tools it shows)."""
    special, penalties = split or split_constraints(profile)
    weights = goal_weights(profile) if weights is None else weights
    special_hits = constraint_hits(tool, catalog, special)
    apart = _apart(tool, [hit for _, _, hit in special_hits])
    if apart is not None:
        return apart
    strength = goal_strengths(tool, profile, catalog)
    relevance, fit_value, lead, goals, focus, principles = _relevance(tool, profile, weights, strength)
    around = _offered_for(tool, profile, catalog) if relevance <= 0 else []
    if around:  # serves nothing asked for, but eases what stands in the way of all of it
        relevance = WAY_AROUND_RELEVANCE
    if relevance <= 0:  # serves nothing asked for: not recommended, so nothing more to explain
        return Recommendation(
            slug=tool.slug,
            title=tool.title,
            score=0,
            fit=Fit.NONE,
            reasons=("Serves none of what you asked for.",),
            goal_strength=dict.fromkeys(profile.goals, 0),
            effort=effort_steps(tool),
            case_studies=len(tool.who_has_used),
        )
    hits = [h for h in special_hits + constraint_hits(tool, catalog, penalties) if not (h[2].excludes or h[2].in_place)]
    penalty = sum(hit.penalty for _, _, hit in hits)
    boost = min(BOOST_CAP, sum(hit.boost for _, _, hit in hits))
    applies = not any(hit.not_applicable for _, _, hit in hits)
    go_to = go_to_goals(tool, profile, catalog)
    head_start = go_to_points(go_to, weights)
    said, said_points = about_points(tool, profile, weights, lead, catalog)
    # rounded: equal sums compare equal
    exact = round(min(100.0, max(0.0, relevance + head_start + said_points - penalty + boost)), 9)
    if not applies:  # below every fit, whatever it would score where it applies
        exact = min(exact, float(POSSIBLE_AT - 1))
    if not profile.goals:  # a focus area or principle says where a tool works, not what it achieves:
        exact = round(exact * (STRONG_AT - 1) / 100, 9)  # at most a possible fit, the order kept
    score = int(round(exact))
    fit = _band(score, applies, strength.get(lead) == 3 and weights.get(lead) == 1.0)
    scored = Recommendation(
        slug=tool.slug,
        title=tool.title,
        score=score,
        fit=fit,
        reasons=(),
        relevance=relevance,
        matched_goals=tuple(goals),
        matched_focus=tuple(focus),
        matched_principles=tuple(principles),
        goal_strength=strength,
        exact=exact,
        penalty=penalty,
        effort=effort_steps(tool),
        case_studies=len(tool.who_has_used),
        goal_fit=fit_value,
        lead_goal=lead,
        applies=applies,
        boost=boost,
        go_to_for=tuple(go_to),
        head_start=head_start,
        said=said,
        said_points=said_points,
        dots=profile.votes.get(tool.slug, 0),
        traits=tool.traits,
        explained=False,
    )
    if not explain:
        return scored
    lines = card_lines(tool, profile, catalog, scored, hits, around, constrained=bool(special or penalties))
    return replace(scored, explained=True, **lines._asdict())


def _band(score: int, applies: bool, made_for_top_goal: bool) -> Fit:
    """The fit band: by score, except that a tool made for the town's top goal that applies
    to its setting is never called weak (what stands in its way can make it possible), and a
    tool that does not apply to the setting is not given a fit at all: "not for your setting"."""
    if not applies:
        return Fit.UNSUITED
    if score >= STRONG_AT:
        return Fit.STRONG
    if score >= POSSIBLE_AT or made_for_top_goal:
        return Fit.POSSIBLE
    return Fit.WEAK


_GROUP = {Fit.STRONG: 0, Fit.POSSIBLE: 0, Fit.WEAK: 0, Fit.UNSUITED: 0, Fit.NONE: 1, Fit.EXCLUDED: 2, Fit.IN_PLACE: 3}


@dataclass(frozen=True)
class TieBreak:
    """One criterion that orders tools of equal score. `key`: lower goes first. `rule`: the
    explainer's words for it; `name`: what "level on every count" lists; `but`: how a card
    placed below by it says so ("same score, but <but>: <detail>")."""

    name: str
    key: Callable[[Recommendation], float]
    rule: str
    but: str
    detail: Callable[[Recommendation, Recommendation, Catalog], str] = lambda r, above, catalog: ""


def extra_flags(r: Recommendation, above: Recommendation) -> str:
    """What stands in r's way and not in the way of the tool above, then what stands in both
    ways and weighs more on r (a challenge's severity, a larger gap), in words: "limited by
    New Jersey law. It is also hit harder by upfront funding" (no verb agrees with a flag's
    title, which may be plural: "ongoing operating and maintenance costs"); a second sentence,
    as a list of titles with their own "and" is set apart by semicolons (`join_words`)."""
    theirs = {f.kind + f.challenge: f.penalty for f in above.flags}
    new = [mid_sentence(f.title) for f in r.flags if f.kind + f.challenge not in theirs]
    heavier = [mid_sentence(f.title) for f in r.flags if f.penalty > theirs.get(f.kind + f.challenge, f.penalty)]
    if not heavier:
        return join_words(new)
    more = f"hit harder by {join_words(heavier)}"
    return f"{join_words(new)}. It is also {more}" if new else f"it is {more}"


def _burden_detail(r: Recommendation, above: Recommendation, catalog: Catalog) -> str:
    return extra_flags(r, above)


def _effort_detail(r: Recommendation, above: Recommendation, catalog: Catalog) -> str:
    a, b = catalog.tools.get(r.slug), catalog.tools.get(above.slug)
    if a is None or b is None:
        return "more cost, staff effort or time"
    parts = []
    if LEVELS.index(a.cost or Level.MEDIUM) > LEVELS.index(b.cost or Level.MEDIUM):
        parts.append(f"{a.cost or 'unrated'} cost rather than {b.cost or 'unrated'}")
    if LEVELS.index(a.staff_effort or Level.MEDIUM) > LEVELS.index(b.staff_effort or Level.MEDIUM):
        parts.append(f"{a.staff_effort or 'unrated'} staff effort rather than {b.staff_effort or 'unrated'}")
    if HORIZONS.index(a.time_to_results or Horizon.MEDIUM) > HORIZONS.index(b.time_to_results or Horizon.MEDIUM):
        parts.append(f"results in {_horizon_words(a.time_to_results)} rather than {_horizon_words(b.time_to_results)}")
    return join_words(parts) or "more cost, staff effort or time overall"


# Equal scores are ordered by these, in turn; the order (`tie_key`), each card's why-below
# and `ranking_explainer` read this list, so a new tie-break is one entry here.
TIE_BREAKS: tuple[TieBreak, ...] = (
    TieBreak(
        "burden",
        lambda r: r.penalty,
        "the lighter burden for your profile",
        "more stands in its way for you",
        _burden_detail,
    ),
    TieBreak(
        "effort",
        lambda r: r.effort,
        "the easier tool: cost, staff effort and time to results added up",
        "it asks more",
        _effort_detail,
    ),
    TieBreak(
        "case studies",
        lambda r: -r.case_studies,
        'more case studies ("Who has used this tool")',
        "it has fewer case studies",
        lambda r, above, catalog: f"{r.case_studies} against {above.case_studies}",
    ),
)


def place_key(r: Recommendation) -> tuple:
    """What places a tool before its score counts: recommended before barred or in place; those
    that apply to the setting before those that do not; strong and possible fits before weak
    ones (a tool made for the top goal is a possible fit below 40, and is not listed under a
    weak one). Tools that differ here never share a rank."""
    return (_GROUP[r.fit], not r.applies, r.fit is Fit.WEAK)


def order_key(r: Recommendation) -> tuple:
    """Best first: `place_key`, then the score (unrounded), each of `TIE_BREAKS` in turn, and only
    then the title."""
    return (*place_key(r), *tie_key(r), r.title.lower(), r.slug)


def tie_key(r: Recommendation) -> tuple:
    """What separates two tools before the title: equal keys share a rank ("=3")."""
    return (-r.exact, *(t.key(r) for t in TIE_BREAKS))


def deciding_tie_break(r: Recommendation, above: Recommendation) -> TieBreak | None:
    """The first tie-break that places `r` below `above` at equal score (None: none does)."""
    for t in TIE_BREAKS:
        if t.key(r) != t.key(above):
            return t if t.key(r) > t.key(above) else None
    return None


def set_apart(tool: Tool, catalog: Catalog, special: Constraints) -> Recommendation | None:
    """The tool listed apart (in place, or barred by state law), or None."""
    return _apart(tool, [hit for _, _, hit in constraint_hits(tool, catalog, special)])


def _apart(tool: Tool, hits: list[Hit]) -> Recommendation | None:
    """`set_apart` from what the constraints that can set a tool apart do to it."""
    in_place = next((h.message for h in hits if h.in_place), None)
    if in_place:
        return Recommendation(slug=tool.slug, title=tool.title, score=0, fit=Fit.IN_PLACE, reasons=(in_place,))
    barred = next((h.message for h in hits if h.excludes), None)
    if barred:
        return Recommendation(
            slug=tool.slug, title=tool.title, score=0, fit=Fit.EXCLUDED, excluded=True, reasons=(barred,)
        )
    return None


def listed_first_as_best(above: Recommendation, r: Recommendation) -> bool:
    """`above` is listed before `r` only because it is the best tool for one of the top goals:
    their order is then not arbitrary, level on every count or not (they never share a rank)."""
    return bool(above.leads_for) and not r.leads_for and order_key(r) < order_key(above)
