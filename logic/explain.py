"""The ranking in words: why each card sits below the one above (`why_below`), the
counts by fit, and "How the ranking works" (`ranking_explainer`). Every figure is read
from `logic.scoring`, so the words follow the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import scoring  # TIE_BREAKS read through it: the order and the words read one list
from .constraints import explainer_lines
from .model import MAX_GO_TO, Catalog, Tool
from .profile import Profile
from .reasons import center_goal_names
from .recommendation import Recommendation
from .scoring import (
    ABOUT_POINTS,
    BREADTH_POINTS,
    BREADTH_SLOPE,
    FOCUS_WEIGHT,
    GO_TO_POINTS,
    GOAL_WEIGHT,
    IMPORTANCE_STEP_WEIGHT,
    LEAD_POINTS,
    POSSIBLE_AT,
    PRINCIPLE_WEIGHT,
    STRONG_AT,
    WAY_AROUND_CHALLENGES,
    WAY_AROUND_RELEVANCE,
    deciding_tie_break,
    extra_flags,
    goal_weights,
    listed_first_as_best,
)
from .taxonomy import (
    RECOMMENDED_FITS,
    STRENGTH_VALUE,
    Fit,
    shows_score,
    strength_phrase,
)
from .text import join_words

# said beside the results when only focus areas or principles were chosen (see `assess`)
NO_GOAL_NOTE = (
    "With no goal chosen, a focus area or principle says where a tool works, not what it achieves, "
    "so no tool is a strong fit: choose a goal to rank the tools by what your town wants."
)


def _tie_sentence(r: Recommendation, above: Recommendation, catalog: Catalog, where: str) -> str:
    """ "same score and burden, but it asks more: high cost against low" (the first tie-break that
    decided, after those that were equal), or "" when none places it below."""
    decided = deciding_tie_break(r, above)
    if decided is None:
        return ""
    equal = [t.name for t in scoring.TIE_BREAKS[: scoring.TIE_BREAKS.index(decided)]]
    detail = f": {d}" if (d := decided.detail(r, above, catalog)) else ""
    if not (r.applies or above.applies):  # both held below every fit: neither shows a score to compare
        same = f"; same {join_words(equal)}" if equal else ""
        return f"like it, this tool does not apply in {where}{same}, but {decided.but}{detail}"
    return f"same {join_words(['score', *equal])}, but {decided.but}{detail}"


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


def why_below(r: Recommendation, above: Recommendation, catalog: Catalog, profile: Profile | None = None) -> str:
    """One sentence: why `r` sits right below `above` (the first rule that separates them)."""
    profile = profile or Profile()
    lead = f"Ranked below {above.title}"
    where = f"{profile.value('setting') or 'your'} places"  # a tool applies or not only where a setting is given
    if listed_first_as_best(above, r):
        goal = catalog.goal_name(above.leads_for)
        return f"{lead}: the list opens with the best tool for each of your goals, and {above.title} is the best for “{goal}”."
    if above.applies and not r.applies:
        return f"{lead}: it does not apply in {where}, so it comes after every tool that does."
    # a tool that does not suit the setting shows no score (`shows_score`), so a tie does not name one
    counts = join_words([*(["score"] if shows_score(r.fit) else []), *(t.name for t in scoring.TIE_BREAKS)])
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
        lift = above.said_points - r.said_points
        if lift > 1e-9 and r.exact >= above.exact - lift - 1e-9:  # the description's words decide
            named = join_words([f"“{w}”" for w in above.said])
            return f"{lead}: your description of the town mentions {named}, where planners reach for {above.title}."
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
    extra = extra_flags(r, above)
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


def ranking_explainer(catalog: Catalog) -> str:
    """How the ranking works, in plain words for the page."""
    ties = "; ".join(f"({i}) {t.rule}" for i, t in enumerate(scoring.TIE_BREAKS, 1))
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
        f"**The town in a sentence.** When you describe the town, a tool whose own cue words the sentence "
        f"uses (warehouses and trucks for truck routes, a train station for transit-oriented zoning) gets "
        f"{ABOUT_POINTS} points more for a top goal, less for a less important one, among the tools that serve "
        f"your goals; the card quotes the words. Each place is read by the longest cue found there (“office "
        f"parks” is not “parks”, and Lawnside is not a lawn). The sentence never brings in a tool that serves "
        f"none of them.\n\n"
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
