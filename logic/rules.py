"""The rules: a profile and the catalog in, a ranked and explained list out.
(What a town asks is `logic.profile`, one tool's place `logic.recommendation`; the
balanced package and the what-if view, built on this ranking, are `logic.package`
and `logic.what_if`.)

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
4. When two or more goals share the highest importance, the list opens with
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .constraints import (
    BOOST_CAP,
    REGISTRY,
    Hit,
    explainer_lines,
)
from .model import MAX_GO_TO, Catalog, Tool, gc_paused
from .profile import Profile
from .recommendation import Flag, Recommendation
from .taxonomy import (
    FOCUS_AREAS,
    HORIZON_LABELS,
    HORIZONS,
    IMPORTANCE_LABELS,
    LEVELS,
    PRINCIPLES,
    RECOMMENDED_FITS,
    STRENGTH_LEADS,
    STRENGTH_VALUE,
    Fit,
    Horizon,
    Level,
    shows_score,
    strength_phrase,
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
WAY_AROUND_CHALLENGES = 2
WAY_AROUND_RELEVANCE = 30.0
# said beside the results when only focus areas or principles were chosen (see `assess`)
NO_GOAL_NOTE = (
    "With no goal chosen, a focus area or principle says where a tool works, not what it achieves, "
    "so no tool is a strong fit: choose a goal to rank the tools by what your town wants."
)


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


def goal_strengths(tool: Tool, profile: Profile, catalog: Catalog) -> dict[str, int]:
    """How strongly the tool serves each goal asked for, in this town (0-3): as graded, but a
    tool made for a center (`needsCenter`) counts what it is made for (3) as a main effect (2)
    where the town has none (`has_center`): parking rules made for a downtown's curb are not
    what a township of warehouses and highway corridors needs first for its traffic."""
    capped = bool(tool.needs_center) and not has_center(profile, catalog)
    return {g: min(tool.strength(g), 2) if capped else tool.strength(g) for g in profile.goals}


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


def _relevance_value(
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
    """`_relevance_value`, then the served goals, matched focus areas and matched principles."""
    goals = sorted((g for g in profile.goals if strength[g]), key=lambda g: (-strength[g], -weights[g]))
    focus = [f for f in FOCUS_AREAS if f in profile.focus and f in tool.focus_areas]
    principles = [p for p in PRINCIPLES if p in profile.principles and p in tool.principles]
    return (*_relevance_value(tool, profile, weights, strength), goals, focus, principles)


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


def _capacity_tools(catalog: Catalog, profile: Profile) -> set[str]:
    """Slugs of the tools `_offered_for` brings in: `rank` scores them beside those that serve a goal."""
    eased = {s for c in profile.values("face") for s in _eased(catalog, c) if s in catalog.tools}
    return {s for s in eased if _offered_for(catalog.tools[s], profile, catalog)}


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


def _hits(tool: Tool, catalog: Catalog, constraints: Constraints) -> list[tuple[str, str, Hit]]:
    """What each constraint does to this tool: (kind, value, hit) for those that do something."""
    return [(kind, value, hit) for kind, value in constraints if (hit := REGISTRY[kind].assess(tool, value, catalog))]


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
    as `_split` gives them, and `weights` as `goal_weights` gives them, computed once by
    `rank` for the whole catalog.) `explain=False` scores only: the order's and the
    bands' fields, no reasons or flags (`rank` writes those for the tools it shows)."""
    special, penalties = split or _split(profile)
    weights = goal_weights(profile) if weights is None else weights
    special_hits = _hits(tool, catalog, special)
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
    hits = [h for h in special_hits + _hits(tool, catalog, penalties) if not (h[2].excludes or h[2].in_place)]
    penalty = sum(hit.penalty for _, _, hit in hits)
    boost = min(BOOST_CAP, sum(hit.boost for _, _, hit in hits))
    applies = not any(hit.not_applicable for _, _, hit in hits)
    go_to = go_to_goals(tool, profile, catalog)
    head_start = go_to_points(go_to, weights)
    # rounded: equal sums compare equal
    exact = round(min(100.0, max(0.0, relevance + head_start - penalty + boost)), 9)
    if not applies:  # below every fit, whatever it would score where it applies
        exact = min(exact, float(POSSIBLE_AT - 1))
    if not profile.goals:  # a focus area or principle says where a tool works, not what it achieves:
        exact = round(exact * (STRONG_AT - 1) / 100, 9)  # at most a possible fit, the order kept
    score = int(round(exact))
    fit = _band(score, applies, strength.get(lead) == 3 and weights.get(lead) == 1.0)
    dots = profile.votes.get(tool.slug, 0)
    common = dict(
        slug=tool.slug,
        title=tool.title,
        score=score,
        fit=fit,
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
        dots=dots,
        traits=tool.traits,
    )
    if not explain:
        return Recommendation(reasons=(), explained=False, **common)  # type: ignore[arg-type]
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
    if around:
        eased = "; ".join(catalog.challenge_name(c).lower() for c in around)
        reasons.append(f"Offered because it is a way around challenges you face: {eased}.")
    if focus:
        reasons.append(f"Covers {join_words(focus)}, which you chose.")
    if principles:
        word = "principle" if len(principles) == 1 else "principles"
        reasons.append(f"Supports the {join_words(principles)} {word}, which you chose.")
    if not profile.asks_for_something:
        reasons.append("You have not chosen goals, focus areas or principles yet, so only your constraints rank it.")
    # an offer for its ways around says them once, above, not one line per challenge
    reasons += [hit.message for kind, _, hit in hits if hit.boost and not (around and kind == "face")]
    notes = tuple(reasons[on_goals:])
    in_the_way = ""
    if flags:
        titles = join_words([mid_sentence(f.title) for f in flags])
        in_the_way = f"{len(flags)} thing{'s' if len(flags) != 1 else ''} may stand in the way: {titles}."
    elif special or penalties:
        in_the_way = "None of your constraints stands in its way."
    if in_the_way:
        reasons.append(in_the_way)
    return Recommendation(
        reasons=tuple(reasons),
        flags=tuple(flags),
        notes=notes,
        in_the_way=in_the_way,
        unserved=unserved,
        go_to_note=go_to_note,
        **common,  # type: ignore[arg-type]
    )


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


def _goal_words(goal: str, profile: Profile, catalog: Catalog) -> str:
    """A goal's name with its importance when the goals differ in importance:
    "Reduce flooding and stormwater damage (essential)"."""
    name = catalog.goal_name(goal)
    if len(set(profile.goals.values())) < 2:
        return name
    return f"{name} ({IMPORTANCE_LABELS[profile.goals[goal]].lower()})"


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


def _extra_flags(r: Recommendation, above: Recommendation) -> str:
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
    return _extra_flags(r, above)


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


def _place(r: Recommendation) -> tuple:
    """What places a tool before its score counts: recommended before barred or in place; those
    that apply to the setting before those that do not; strong and possible fits before weak
    ones (a tool made for the top goal is a possible fit below 40, and is not listed under a
    weak one). Tools that differ here never share a rank."""
    return (_GROUP[r.fit], not r.applies, r.fit is Fit.WEAK)


def order_key(r: Recommendation) -> tuple:
    """Best first: `_place`, then the score (unrounded), each of `TIE_BREAKS` in turn, and only
    then the title."""
    return (*_place(r), *tie_key(r), r.title.lower(), r.slug)


def tie_key(r: Recommendation) -> tuple:
    """What separates two tools before the title: equal keys share a rank ("=3")."""
    return (-r.exact, *(t.key(r) for t in TIE_BREAKS))


def deciding_tie_break(r: Recommendation, above: Recommendation) -> TieBreak | None:
    """The first tie-break that places `r` below `above` at equal score (None: none does)."""
    for t in TIE_BREAKS:
        if t.key(r) != t.key(above):
            return t if t.key(r) > t.key(above) else None
    return None


def _tie_sentence(r: Recommendation, above: Recommendation, catalog: Catalog, where: str) -> str:
    """ "same score and burden, but it asks more: high cost against low" (the first tie-break that
    decided, after those that were equal), or "" when none places it below."""
    decided = deciding_tie_break(r, above)
    if decided is None:
        return ""
    equal = [t.name for t in TIE_BREAKS[: TIE_BREAKS.index(decided)]]
    detail = f": {d}" if (d := decided.detail(r, above, catalog)) else ""
    if not (r.applies or above.applies):  # both held below every fit: neither shows a score to compare
        same = f"; same {join_words(equal)}" if equal else ""
        return f"like it, this tool does not apply in {where}{same}, but {decided.but}{detail}"
    return f"same {join_words(['score', *equal])}, but {decided.but}{detail}"


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
    split = _split(profile)
    special, _ = split
    weights = goal_weights(profile)
    if profile.asks_for_something:
        relevant = catalog.index.serving(profile.goals, profile.focus, profile.principles)
        relevant |= _capacity_tools(catalog, profile)
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
                    r = _set_apart(tool, catalog, special) if special else None
                    if r is None:
                        pending.append((_best_reachable(tool, profile, catalog, weights), tool))
                    else:
                        assessed.append(r)
                    continue
                assessed.append(score(tool))
            elif special:  # serves nothing asked for: listed only when barred or in place
                r = _set_apart(tool, catalog, special)
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
                level = above is not None and _level(r, above) and not _listed_first_as_best(above, r)
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
    relevance = _relevance_value(tool, profile, weights, goal_strengths(tool, profile, catalog))[0]
    if relevance <= 0:  # brought in as a way around what the town faces (`_offered_for`)
        relevance = WAY_AROUND_RELEVANCE
    best = min(100.0, relevance + BOOST_CAP + go_to_points(go_to_goals(tool, profile, catalog), weights))
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
    firsts = sorted((*_place(r), -r.exact) for r in scored if r.recommended)
    out: list[Recommendation] = []
    for best, tool in sorted(pending, key=lambda p: (-p[0], p[1].slug)):
        bound = (0, False, False, -(best + 1e-6))  # above the rounding to 9 places
        if len(firsts) >= wanted and firsts[wanted - 1] < bound:
            break
        r = score(tool)
        out.append(r)
        insort(firsts, (*_place(r), -r.exact))
    return out


def _level(r: Recommendation, above: Recommendation) -> bool:
    """Level on every count but the title: they share a rank."""
    return _place(r) == _place(above) and tie_key(r) == tie_key(above)


def _set_apart(tool: Tool, catalog: Catalog, special: Constraints) -> Recommendation | None:
    """The tool listed apart (in place, or barred by state law), or None."""
    return _apart(tool, [hit for _, _, hit in _hits(tool, catalog, special)])


def _apart(tool: Tool, hits: list[Hit]) -> Recommendation | None:
    """`_set_apart` from what the constraints that can set a tool apart do to it."""
    in_place = next((h.message for h in hits if h.in_place), None)
    if in_place:
        return Recommendation(slug=tool.slug, title=tool.title, score=0, fit=Fit.IN_PLACE, reasons=(in_place,))
    barred = next((h.message for h in hits if h.excludes), None)
    if barred:
        return Recommendation(
            slug=tool.slug, title=tool.title, score=0, fit=Fit.EXCLUDED, excluded=True, reasons=(barred,)
        )
    return None


def _goal_difference(r: Recommendation, above: Recommendation, catalog: Catalog, profile: Profile) -> str:
    """How the tool above serves the goals better, in words: a stronger best goal than this
    tool's; a weaker best goal but more of the others ("serves more of your goals"); or the same
    best and more of the others ("both serve their main goal equally well")."""
    weights = goal_weights(profile)

    def says(x: Recommendation, goal: str) -> str:
        return strength_phrase(x.goal_strength.get(goal, 0), f"“{catalog.goal_name(goal)}”")

    def lead_value(x: Recommendation) -> float:
        return weights.get(x.lead_goal, 0.0) * STRENGTH_VALUE[x.goal_strength.get(x.lead_goal, 0)]

    if above.lead_goal and not r.matched_goals:  # offered for the challenges it eases (`WAY_AROUND_RELEVANCE`)
        return f"{above.title} {says(above, above.lead_goal)}; this tool serves none of your goals directly"
    if r.lead_goal and above.lead_goal and lead_value(above) > lead_value(r) + 1e-9:
        less = weights.get(r.lead_goal, 0) < weights.get(above.lead_goal, 0)
        if r.lead_goal == above.lead_goal:  # the same goal: "this tool only works toward it"
            mine = "only " + strength_phrase(r.goal_strength.get(r.lead_goal, 0), "it")
        else:
            mine = says(r, r.lead_goal) + (", a less important goal" if less else "")
        return f"{above.title} {says(above, above.lead_goal)}; this tool {mine}"

    def serves(x: Recommendation, goals: list[str]) -> str:
        """Goals that share a strength named together: "works toward “A” and “B”, and helps “C"
        as a side benefit" (`join_words` keeps the groups apart where one has its own "and")."""
        levels = sorted({x.goal_strength.get(g, 0) for g in goals}, reverse=True)
        return join_words(
            strength_phrase(v, join_words([f"“{catalog.goal_name(g)}”" for g in goals if x.goal_strength.get(g) == v]))
            for v in levels
        )

    def others(x: Recommendation) -> str:
        return serves(x, [g for g in profile.goals if g != x.lead_goal and x.goal_strength.get(g, 0)])

    if r.lead_goal and lead_value(r) > lead_value(above) + 1e-9:  # its best goal is served better: breadth won
        theirs = serves(above, [g for g in profile.goals if above.goal_strength.get(g, 0)])
        mine = serves(r, [g for g in profile.goals if r.goal_strength.get(g, 0)]) + ("" if others(r) else " alone")
        return f"{above.title} serves more of your goals (it {theirs}); this tool {mine}"

    theirs, mine = others(above), others(r)
    if theirs and theirs != mine:
        tail = f"this tool {mine}" if mine else "this tool serves none of your other goals"
        also = f"is also {theirs[3:]}" if theirs.startswith("is ") else f"also {theirs}"
        return f"both serve their main goal equally well, but {above.title} {also}; {tail}"
    return ""


def _listed_first_as_best(above: Recommendation, r: Recommendation) -> bool:
    """`above` is listed before `r` only because it is the best tool for one of the top goals:
    their order is then not arbitrary, level on every count or not (they never share a rank)."""
    return bool(above.leads_for) and not r.leads_for and order_key(r) < order_key(above)


def why_below(r: Recommendation, above: Recommendation, catalog: Catalog, profile: Profile | None = None) -> str:
    """One sentence: why `r` sits right below `above` (the first rule that separates them)."""
    profile = profile or Profile()
    lead = f"Ranked below {above.title}"
    where = f"{profile.value('setting') or 'your'} places"  # a tool applies or not only where a setting is given
    if _listed_first_as_best(above, r):
        goal = catalog.goal_name(above.leads_for)
        return f"{lead}: the list opens with the best tool for each of your goals, and {above.title} is the best for “{goal}”."
    if above.applies and not r.applies:
        return f"{lead}: it does not apply in {where}, so it comes after every tool that does."
    # a tool that does not suit the setting shows no score (`shows_score`), so a tie does not name one
    counts = join_words([*(["score"] if shows_score(r.fit) else []), *(t.name for t in TIE_BREAKS)])
    if r.position.startswith("=") and r.position == above.position:
        return f"Level with {above.title} on every count ({counts}), so they share rank {r.position} and are listed by title."
    if r.exact < above.exact:
        if r.relevance < above.relevance - 1e-9:
            if r.goal_fit < above.goal_fit - 1e-9:
                detail = _goal_difference(r, above, catalog, profile)
                return f"{lead}: {detail}." if detail else f"{lead}: it serves your goals less strongly."
            if len(r.matched_focus) < len(above.matched_focus):
                return f"{lead}: it covers fewer of the focus areas you chose."
            return f"{lead}: it supports fewer of the principles you chose."
        if above.head_start > r.head_start + 1e-9 and r.penalty <= above.penalty:
            named = join_words([f"“{catalog.goal_name(g)}”" for g in above.go_to_for if g not in r.go_to_for])
            return f"{lead}: {above.title} is one of the tools planners reach for first for {named}."
        if r.penalty > above.penalty:
            return f"{lead}: {_burden_words(r, above)}"
        # neither the head start nor the burden: what raises the tool above (`BOOST_CAP`) decides
        raised = _raised_words(above, r, catalog, profile)
        if raised and r.relevance > above.relevance + 1e-9:
            return f"{lead}: it fits what you asked for better, but {raised}."
        if raised:
            return f"{lead}: {raised}."
        return f"{lead}: it scores lower."
    if r.fit is Fit.WEAK and above.fit is not Fit.WEAK:  # not below it on score: below it on band
        return (
            f"{lead}: {above.title} is made for your most important goal, so it stays a possible fit "
            "however much stands in its way, and possible fits come before weak ones."
        )
    if r.exact > above.exact:  # only the leaders sit above a higher score, and that is said above
        return f"{lead}: the list opens with the best tool for each of your goals."
    tie = _tie_sentence(r, above, catalog, where)
    if tie:
        return f"{lead}: {tie}."
    return f"Level with {above.title} on every count ({counts}), so listed by title."


def _raised_words(above: Recommendation, r: Recommendation, catalog: Catalog, profile: Profile) -> str:
    """What raises `above` and not `r` (constraints.py's boosts), in words: "Shared Services is a
    way around challenges you face: upfront funding; staff time and data skills", or "Vision Zero
    builds on Transportation Safety Programs, which your town has in place"; "" when nothing does."""
    a, b = catalog.tools.get(above.slug), catalog.tools.get(r.slug)
    if a is None or b is None or above.boost <= r.boost:
        return ""

    def eases(t: Tool) -> list[str]:
        return [
            c
            for c in sorted(profile.values("face"))
            if c in catalog.challenges and t.slug in catalog.challenges[c].enablers
        ]

    def builds(t: Tool) -> list[str]:
        return [s for s in sorted(profile.values("have")) if s in t.builds_on_slugs]

    around = [catalog.challenge_name(c).lower() for c in eases(a) if c not in eases(b)]
    on = [catalog.title(s) for s in builds(a) if s not in builds(b)]
    parts = [f"builds on {join_words(on)}, which your town has in place"] if on else []
    if around:  # as a card's own line words them: "... challenges you face: upfront funding; ..."
        parts.append(
            f"is a way around {'a challenge' if len(around) == 1 else 'challenges'} you face: {'; '.join(around)}"
        )
    return f"{above.title} {', and '.join(parts)}" if parts else ""


def _burden_words(r: Recommendation, above: Recommendation) -> str:
    extra = _extra_flags(r, above)
    return f"more stands in its way for you: {extra}." if extra else "more stands in its way for you."


def setting_words(setting: str | None) -> str:
    """The town's setting as the counts name it: "rural places", or "your setting"."""
    return f"{setting} places" if setting else "your setting"


def outweighed(r: Recommendation) -> bool:
    """A tool that serves a goal asked for and suits the setting, but scores 0 once what stands
    in its way is counted: listed with its fit, not counted among the tools that fit."""
    return r.fit is not Fit.UNSUITED and r.score == 0


def _counted_apart(recs: Sequence[Recommendation], setting: str | None) -> list[tuple[int, str, str]]:
    """The tools counted apart from the fits: (how many, what they do not do, why in a few
    words more), for those that do not suit the setting and those that score 0."""
    unsuited = sum(1 for r in recs if r.fit is Fit.UNSUITED)
    zero = sum(1 for r in recs if outweighed(r))
    out = []
    if unsuited:
        out.append((unsuited, f"{'does' if unsuited == 1 else 'do'} not suit {setting_words(setting)}", ""))
    if zero:
        why = (
            ": what stands in its way outweighs what it does for them"
            if zero == 1
            else ": what stands in their way outweighs what they do for them"
        )
        out.append((zero, f"score{'s' if zero == 1 else ''} 0", why))
    return out


def fit_summary(recs: Sequence[Recommendation], setting: str | None = None) -> tuple[str, str]:
    """The count of the recommended tools by fit, in two parts so a page can set the first in
    bold: ("12 tools fit", ": 3 strong, 6 possible, 3 weak.") and, when some do not suit the
    setting, " 2 more serve your goals but do not suit rural places."; when some score 0 (what
    stands in their way outweighs what they do for the goals), " 3 more serve your goals but
    score 0: ..." (a planner read "26 tools fit" over three cards at 0 of 100 as untrue)."""
    fitting = [r for r in recs if r.fit is not Fit.UNSUITED and not outweighed(r)]
    counts = {band: sum(1 for r in fitting if r.fit == band) for band in RECOMMENDED_FITS}
    head = f"{len(fitting):,} tool{'s' if len(fitting) != 1 else ''} fit"
    tail = f": {counts[Fit.STRONG]:,} strong, {counts[Fit.POSSIBLE]:,} possible, {counts[Fit.WEAK]:,} weak."
    for n, what, why in _counted_apart(recs, setting):
        tail += f" {n:,} more serve{'s' if n == 1 else ''} your goals but {what}{why}."
    return head, tail


def room_dots_sentence(votes: Mapping[str, int]) -> str:
    """What the room's vote does to the results, said beside their count on /find and in the
    brief: " The room's 8 dots show beside each tool's fit; ..." ("" with no votes)."""
    if not votes:
        return ""
    return (
        f" The room's {sum(votes.values())} dots show beside each tool's fit; they do not change "
        "its score, and the action plan starts the room's favorites first."
    )


def more_label(rest: Sequence[Recommendation], setting: str | None = None) -> str:
    """The switch that lists the tools below the top ones, counted as `fit_summary` counts
    them: "Show the other 12 tools that fit" and, when some do not suit the setting,
    "... and 3 that do not suit rural places"; when some score 0, "... and 2 that score 0"."""
    fits = sum(1 for r in rest if r.fit is not Fit.UNSUITED and not outweighed(r))
    parts = [f"{fits:,} {'tool that fits' if fits == 1 else 'tools that fit'}"] if fits else []
    for n, what, _ in _counted_apart(rest, setting):
        noun = "" if parts else ("tool " if n == 1 else "tools ")
        parts.append(f"{n:,} {noun}that {what}")
    return f"Show the other {' and '.join(parts)}"


def recommend(catalog: Catalog, profile: Profile, top: int | None = None) -> list[Recommendation]:
    """Recommended tools (best first, at most `top`), then those barred by state law,
    then those the town already has."""
    ranked = rank(catalog, profile, explain=top, upto=None if top is None else max(0, top))
    chosen = [r for r in ranked if r.recommended]
    return chosen + [r for r in ranked if r.excluded] + [r for r in ranked if r.in_place]


def ranking_explainer(catalog: Catalog) -> str:
    """How the ranking works, in plain words for the page."""
    ties = "; ".join(f"({i}) {t.rule}" for i, t in enumerate(TIE_BREAKS, 1))
    return (
        f"**Fit, goal by goal.** Every tool is graded for each goal: **made for it** (a planner names it "
        f"first for that goal), **main effect** or **side benefit**. Your top goals count in full, a goal one "
        f"step less important {IMPORTANCE_STEP_WEIGHT[1]:.0%}, two steps {IMPORTANCE_STEP_WEIGHT[2]:.0%}. "
        f"A tool scores mostly on the goal it serves best ({LEAD_POINTS} points for a tool made for your top "
        f"goal, {round(LEAD_POINTS * STRENGTH_VALUE[2])} for a main effect, "
        f"{round(LEAD_POINTS * STRENGTH_VALUE[1])} for a side benefit), and up to {BREADTH_POINTS} more for "
        f"serving your other goals too ({BREADTH_SLOPE} x each one's weighted value: a second goal served as a "
        f"main effect fills it), so one essential goal served well beats three touched in passing, "
        f"and adding a goal never makes a tool made for your top goal a weak fit. Focus areas and "
        f"principles, when you choose them, share the score ({GOAL_WEIGHT}/{FOCUS_WEIGHT}/{PRINCIPLE_WEIGHT}); "
        f"chosen without a goal, they say where a tool works, not what it achieves, so scores are scaled to "
        f"{STRONG_AT - 1} or less (at most a possible fit).\n\n"
        f"**Made for a center.** A few tools are made for a goal only where there is a downtown or main "
        f"street to work in (parking and curb rules, for traffic). In a suburban or rural town that asks for "
        f"no center goal ({center_goal_names(catalog)}), they count as a main effect, not made for it, and the card "
        f"says so.\n\n"
        f"**Go-to tools.** For each goal, the few tools planners reach for first (at most {MAX_GO_TO}, each made "
        f"for the goal or a main effect on it) get a head start of {GO_TO_POINTS} points for a top goal, less "
        f"for a less important one (the same weights), counted once however many of your goals list it; "
        f"the card says so.\n\n"
        f"**The best tool for each top goal first.** When two or more goals share the highest importance "
        f"you gave, the list opens with the best tool for each of them, then goes on by score.\n\n"
        f"**What stands in the way** takes points off, each shown as a flag with ways around it: "
        f"{'; '.join(explainer_lines())}. A tool that is a way around {WAY_AROUND_CHALLENGES} or more of the "
        f"challenges you face is offered even when it serves none of your goals, as a weak fit starting at "
        f"{WAY_AROUND_RELEVANCE:.0f}.\n\n"
        f"**Bands:** strong fit {STRONG_AT} or more; possible {POSSIBLE_AT} to {STRONG_AT - 1}; weak below "
        f"{POSSIBLE_AT}, except that a tool made for your top goal stays a possible fit whatever stands in "
        f"its way; strong and possible fits are listed before weak ones. A tool that does not apply to your "
        f'setting is given no fit ("not for your setting") and comes after '
        f"every tool that does. A tool that serves nothing you asked for is not listed, unless it is offered "
        f"as a way around the challenges you face (above).\n\n"
        f"**Equal scores** are ordered by, in turn: {ties}. Tools level on all of these share a rank "
        '("=3") and are listed by title. Each card from the second on says why it sits below the card above.\n\n'
        f"**The room's votes** never change a score: with a workshop vote linked, each card shows its "
        f"dots beside the fit, and the action plan starts the room's favorites first."
    )
