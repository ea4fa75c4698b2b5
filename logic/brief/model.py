"""The brief's model: everything a brief shows, gathered from a scenario.

`make_brief(catalog, scenario, ...)` gathers everything a facilitator hands out
after a workshop, or a planner sends a manager after a desk session, into one
`Brief`: the title and date, the goals and constraints as chosen, the top
recommendations (fit, strength, reasons, flags with their ways around), the
balanced package and its gaps, the action plan's phases, the coverage charts
and the timeline (the very Altair specifications the pages draw, from
logic/charts.py), each recommended tool's case studies and model ordinances as
numbered sources, a link that reopens the scenario, and the catalog's edition.
The renderers (html.py, pdf.py, data.py) only lay it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

from ..charts import coverage_bars, goal_bars, heatmap, plan_timeline
from ..coverage import coverage, coverage_sentence
from ..explain import fit_summary, room_dots_sentence
from ..export import asked
from ..model import Catalog, Link
from ..package import Package, balanced_package
from ..plan import Plan, make_plan
from ..profile import Profile
from ..recommendation import Recommendation
from ..rules import rank
from ..scenario import Scenario
from ..taxonomy import FIT_LABELS, Fit
from ..text import clean_title, is_safe_link
from ..text import summary as what_it_is

APP_NAME = "Municipal Toolbox Navigator"
DEFAULT_TOP = 5
TIMELINE_WIDTH = 520  # px: the page's timeline fills its container; an image needs a width
HEATMAP_WIDTH = 360  # px for the coverage grid's columns, its tool names beside them: as for the timeline


def default_title(today: dt.date) -> str:
    """ "Municipal Toolbox Navigator: November 29, 2026"."""
    return f"{APP_NAME}: {long_date(today)}"


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class Source:
    """A cited link: numbered once in the brief, however many tools cite it."""

    n: int
    label: str
    link: str


@dataclass(frozen=True)
class BriefFlag:
    title: str
    message: str
    note: str = ""
    mitigations: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefTool:
    rank: int
    slug: str
    title: str
    score: int
    fit: Fit
    what: str  # what the tool is: the first sentence of its page's "What it is", in the catalog's words
    strength: str  # "Made for 1 of your 2 goals; a main effect on 1"
    reasons: tuple[str, ...]
    vs_above: str = ""
    in_the_way: str = ""  # the last of `reasons` when constraints were given (Recommendation.in_the_way)
    unserved: str = ""  # the one of `reasons` naming the goals it does not serve (Recommendation.unserved)
    go_to_note: str = ""  # the one of `reasons` saying it is a go-to tool (Recommendation.go_to_note)
    position: str = ""  # its rank as /find shows it: "3", or "=3" when level with a neighbor
    leads_for: str = ""  # the goal (its name) it is the best tool for, when the list opens with it
    flags: tuple[BriefFlag, ...] = ()
    phase: str | None = None  # its plan phase, when it is in the plan
    votes: int = 0  # the room's dots
    case_studies: tuple[Source, ...] = ()  # "Who has used this tool"
    ordinances: tuple[Source, ...] = ()  # model ordinances and design guidelines

    @property
    def fit_label(self) -> str:
        return FIT_LABELS.get(self.fit, self.fit)


@dataclass(frozen=True)
class BriefChart:
    name: str  # heatmap | goals | tags | timeline
    title: str
    caption: str  # what it shows, in one sentence (also the image's alt text)
    spec: Mapping[str, Any] = field(hash=False, compare=False)  # the Vega-Lite specification


@dataclass(frozen=True)
class Obstacle:
    """Something that stands in the way of one or more top tools, and the ways around it
    (listed once, however many tools it flags)."""

    title: str
    tools: tuple[str, ...]  # titles of the top tools it flags
    mitigations: tuple[str, ...]
    # what it says, each text once with the tools it applies to: a message several tools
    # share ("Needs medium staff effort; your staff capacity is low.") and each tool's own note
    details: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class BriefPhase:
    name: str
    label: str
    items: tuple[tuple[str, str, tuple[str, ...]], ...]  # (title, why, indicators to watch)


@dataclass
class Brief:
    """Everything a brief shows; the renderers only lay it out."""

    title: str
    date: dt.date
    scenario: Scenario
    goals: list[tuple[str, str]]  # (goal name, importance in words)
    choices: list[tuple[str, str]]  # (label, values in words): focus areas, principles, constraints
    summary: str  # "12 tools fit: 3 strong, 6 possible, 3 weak."
    tools: list[BriefTool]
    obstacles: list[Obstacle]
    barred: list[tuple[str, str]]  # (title, why) barred by state law
    in_place: list[str]  # titles of the tools the town has
    package: list[str]  # why each package tool was picked
    gaps: list[str]  # what the package leaves uncovered
    plan_source: str  # "your shortlist" | "the balanced package" | ""
    plan_note: str  # capacity
    phases: list[BriefPhase]
    coverage_line: str
    charts: list[BriefChart]
    sources: list[Source]
    link: str
    edition: str  # the catalog's version, date and content fingerprint
    ranked: list[Recommendation] = field(default_factory=list)  # every tool, for the CSV
    plan: Plan | None = None
    balanced: Package | None = None  # the balanced package (the handout lists it)
    room: bool = False  # made with a room's votes (its dots beside each tool)

    @property
    def tools_heading(self) -> str:
        """The heading over the tools: the room's dots are beside them, not in their order."""
        return f"Top {len(self.tools)} recommendations" + (", with the room's dots" if self.room else "")

    @property
    def facts(self) -> list[str]:
        """Phrases every rendering must hold (the tests compare the PDF's and the HTML's text)."""
        out = [self.title, long_date(self.date), self.edition]
        out += [name for name, _ in self.goals]
        for t in self.tools:
            out += [t.title, t.fit_label, t.what]
            out += [f.title for f in t.flags]
        out += [m.rstrip(".") for o in self.obstacles for m in o.mitigations]
        out += self.gaps
        out += [p.name for p in self.phases if p.items]
        out += [item[0] for p in self.phases for item in p.items]
        out += [s.label for s in self.sources]
        return out


def make_brief(
    catalog: Catalog,
    scenario: Scenario,
    title: str | None = None,
    link: str = "",
    top: int = DEFAULT_TOP,
    plan: Plan | None = None,
    plan_source: str | None = None,
    only: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> Brief:
    """The brief of a scenario. `plan` (and what it was made from) defaults to the
    shortlist's plan when there is a shortlist, else the balanced package's, as on
    /find. `only` keeps the ranking to these tools (a workshop's ballot)."""
    today = today or dt.date.today()
    profile = scenario.profile
    ranked, recs, shown = _ranking(catalog, profile, top, only)
    have = sorted(profile.values("have"))
    pkg = balanced_package(catalog, profile) if profile.asks_for_something else None
    if plan is None:
        plan, plan_source = _default_plan(catalog, scenario, pkg, have)
    planned = plan if plan is not None and plan.items else None
    sources = _Sources()
    tools = [
        _brief_tool(catalog, r, i, plan, profile, sources, ballot=only is not None) for i, r in enumerate(shown, 1)
    ]
    goals, choices = asked(profile, catalog)
    charts, cov_line = _coverage_charts(catalog, profile, tools, have)
    return Brief(
        title=clean_title(title) or default_title(today),
        date=today,
        scenario=scenario,
        goals=goals,
        choices=choices,
        summary=_summary(recs, profile),
        tools=tools,
        obstacles=obstacles(tools),
        barred=[(r.title, r.reasons[0]) for r in ranked if r.excluded],
        in_place=[r.title for r in ranked if r.in_place],
        package=list(pkg.steps) if pkg else [],
        gaps=_gaps(catalog, pkg),
        plan_source=(plan_source or "") if planned else "",
        plan_note=planned.capacity_note if planned else "",
        phases=_phases(planned),
        coverage_line=cov_line,
        charts=charts + ([_timeline_chart(catalog, planned)] if planned else []),
        sources=sources.listed,
        link=link if is_safe_link(link) else "",
        edition=catalog.edition,
        ranked=ranked,
        plan=plan,
        balanced=pkg,
        room=bool(profile.votes),
    )


def _ranking(
    catalog: Catalog, profile: Profile, top: int, only: Sequence[str] | None
) -> tuple[list[Recommendation], list[Recommendation], list[Recommendation]]:
    """(every tool ranked, the recommended ones, the ones the brief shows). A ballot (`only`)
    ranks just its tools and shows every one of them, those that serve nothing asked for last."""
    ranked = rank(catalog, profile)
    if only is not None:
        keep = set(only)
        ranked = [r for r in ranked if r.slug in keep]
    recs = [r for r in ranked if r.recommended]
    shown = recs[: max(1, top)]
    if only is not None:
        shown = (recs + [r for r in ranked if r.fit == Fit.NONE])[: max(1, top)]
    return ranked, recs, shown


def _default_plan(
    catalog: Catalog, scenario: Scenario, pkg: Package | None, have: Sequence[str]
) -> tuple[Plan | None, str]:
    """The plan /find shows: the shortlist's when there is one, else the balanced package's;
    and what it was made from ("your shortlist", "the balanced package")."""
    profile = scenario.profile
    if scenario.shortlist:
        slugs, source = [s for s in scenario.shortlist if s not in have], "your shortlist"
    elif pkg is not None:
        slugs, source = list(pkg.slugs), "the balanced package"
    else:
        return None, ""
    if not slugs:
        return None, source
    plan = make_plan(catalog, slugs, have=have, staff=profile.value("staff"), votes=profile.votes)
    return plan, source


class _Sources:
    """The brief's numbered sources: each link numbered once, in the order first cited."""

    def __init__(self) -> None:
        self.listed: list[Source] = []
        self._by_link: dict[str, Source] = {}

    def cite(self, links: Sequence[Link]) -> tuple[Source, ...]:
        out = []
        for item in links:
            if not is_safe_link(item.link):
                continue
            src = self._by_link.get(item.link)
            if src is None:
                src = self._by_link[item.link] = Source(len(self.listed) + 1, item.label, item.link)
                self.listed.append(src)
            out.append(src)
        return tuple(out)


def _brief_tool(
    catalog: Catalog,
    r: Recommendation,
    i: int,
    plan: Plan | None,
    profile: Profile,
    sources: _Sources,
    ballot: bool,
) -> BriefTool:
    """The `i`th tool shown, with its sources cited (and numbered) in rank order."""
    tool = catalog.tools[r.slug]
    return BriefTool(
        rank=i,
        position=str(i) if ballot else (r.position or str(i)),  # a ballot numbers its own
        leads_for=catalog.goal_name(r.leads_for) if r.leads_for else "",
        slug=r.slug,
        title=r.title,
        score=r.score,
        fit=r.fit,
        what=what_it_is(tool.body, limit=10_000),  # the whole first sentence, never cut
        strength=r.strength_summary(catalog),  # goal by goal, by name
        reasons=r.reasons,
        in_the_way=r.in_the_way,
        unserved=r.unserved,
        go_to_note=r.go_to_note,
        vs_above=r.vs_above if i > 1 else "",
        flags=tuple(BriefFlag(f.title, f.message, f.note, f.mitigations) for f in r.flags),
        phase=plan.phase_of(r.slug) if plan else None,
        votes=profile.votes.get(r.slug, 0),
        case_studies=sources.cite(tool.who_has_used),
        ordinances=sources.cite(tool.guidelines),
    )


def _summary(recs: Sequence[Recommendation], profile: Profile) -> str:
    """ "12 tools fit: 3 strong, 6 possible, 3 weak." (and the room's dots, when it voted)."""
    if not recs:
        return "No tool serves what was asked for."
    return "".join(fit_summary(recs, profile.value("setting"))) + room_dots_sentence(profile.votes)


def _gaps(catalog: Catalog, pkg: Package | None) -> list[str]:
    """What the balanced package leaves uncovered, by name."""
    if pkg is None:
        return []
    return [catalog.goal_name(g) for g in pkg.gap_goals] + list(pkg.gap_focus) + list(pkg.gap_principles)


def _coverage_charts(
    catalog: Catalog, profile: Profile, tools: Sequence[BriefTool], have: Sequence[str]
) -> tuple[list[BriefChart], str]:
    """The coverage grid and bars of the top tools (numbered as their cards are), and the
    sentence that sums them up."""
    top_slugs = [t.slug for t in tools]
    if not top_slugs:
        return [], ""
    cov = coverage(catalog, list(top_slugs), profile.focus, profile.principles, list(profile.goals), in_place=have)
    charts = [
        BriefChart(
            "heatmap",
            "What each of the top tools covers",
            "A grid of the top tools (rows) against your goals, the focus areas and the principles "
            "(columns); a check marks what a tool covers, dark cells what you chose.",
            heatmap(
                cov, catalog, top_slugs, in_place=have, width=HEATMAP_WIDTH, positions=[t.position for t in tools]
            ).to_dict(),
        )
    ]
    if profile.goals:
        charts.append(
            BriefChart(
                "goals", "Your goals", "How many of the top tools advance each of your goals.", goal_bars(cov).to_dict()
            )
        )
    charts.append(
        BriefChart(
            "tags",
            "Focus areas and principles",
            "How many of the top tools carry each focus area and principle.",
            coverage_bars(cov).to_dict(),
        )
    )
    return charts, coverage_sentence(cov, len(top_slugs))


def _timeline_chart(catalog: Catalog, plan: Plan) -> BriefChart:
    spec = plan_timeline(plan, catalog).to_dict()
    spec["width"] = TIMELINE_WIDTH
    return BriefChart(
        "timeline",
        "Action plan timeline",
        "One bar a tool, from the phase it starts in (Now, Next, Later) to when its results are expected.",
        spec,
    )


def _phases(plan: Plan | None) -> list[BriefPhase]:
    if plan is None:
        return []
    return [
        BriefPhase(p.name, p.label, tuple((i.title, i.why, tuple(ind.name for ind in i.indicators)) for i in p.items))
        for p in plan.phases
    ]


def obstacles(tools: Sequence[BriefTool]) -> list[Obstacle]:
    """Each flag of the top tools once, with every tool it flags, what it says (a message that
    several tools share said once, then each tool's own note) and its ways around."""
    by_title: dict[str, list[tuple[str, BriefFlag]]] = {}
    for t in tools:
        for f in t.flags:
            by_title.setdefault(f.title, []).append((t.title, f))
    out: list[Obstacle] = []
    for title, flagged in by_title.items():
        said: dict[str, list[str]] = {}  # text -> the tools it applies to, in rank order
        for tool, f in flagged:
            shared = sum(1 for _, g in flagged if g.message == f.message) > 1
            texts = [f.message, f.note] if shared else [" ".join(x for x in (f.message, f.note) if x)]
            for text in texts:
                if text:
                    said.setdefault(text, []).append(tool)
        mitigations = next((f.mitigations for _, f in flagged if f.mitigations), ())
        out.append(
            Obstacle(title, tuple(t for t, _ in flagged), mitigations, tuple((x, tuple(w)) for x, w in said.items()))
        )
    return out


def room_brief(
    catalog: Catalog,
    find_params: Mapping[str, object],
    votes: Mapping[str, int],
    ballot: Sequence[str],
    title: str | None = None,
    find_address: str = "",
    room: str | None = None,
    today: dt.date | None = None,
) -> Brief:
    """A workshop's brief: the scenario last used on /find (its address parameters, if
    any) with the room's dots beside each tool, every tool on the ballot and only those, the plan
    made for the ballot. `find_address` and `room` make the link that reopens it."""
    scenario = Scenario.from_query(find_params, catalog)
    scenario.profile = scenario.profile.replace(votes={s: n for s, n in votes.items() if n})
    scenario.shortlist = [s for s in ballot if s in catalog.tools]
    scenario.room = room
    link = scenario_link(find_address, scenario) if find_address else ""
    return make_brief(catalog, scenario, title, link, top=len(ballot), only=ballot, today=today)


def short_link(link: str) -> str:
    """The page a scenario link opens, as a reader would type it: "toolbox.example.org/find"."""
    parsed = urlparse(link)
    return (parsed.netloc.removeprefix("www.") + parsed.path).rstrip("/") or link


def scenario_link(base: str, scenario: Scenario) -> str:
    """The address that reopens the scenario on /find (`base` is the app's /find address)."""
    query = scenario.to_query(with_room=True, with_step=False)
    return f"{base}?{urlencode(query)}" if query else base
