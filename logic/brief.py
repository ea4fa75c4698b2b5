"""Take-aways of a scenario: a brief (PDF and HTML), data exports, scenario files.

`make_brief(catalog, scenario, ...)` gathers everything a facilitator hands out
after a workshop, or a planner sends a manager after a desk session, into one
`Brief`: the title and date, the goals and constraints as chosen, the top
recommendations (fit, strength, reasons, flags with their ways around), the
balanced package and its gaps, the action plan's phases, the coverage charts
and the timeline (the very Altair specifications the pages draw, from
logic/charts.py), each recommended tool's case studies and model ordinances as
numbered sources, a link that reopens the scenario, and the catalog's edition.

Renderers, each from the same `Brief`, so they hold the same facts:

- `brief_html(brief)`: one self-contained file (inline CSS, charts as SVG data
  URIs, a content security policy that forbids any request), readable on a
  phone, with print CSS;
- `brief_pdf(brief)`: fpdf2, Letter pages, charts as PNG, black text; two
  pages for a top 5;
- `brief_markdown(brief)` (the handout) and `brief_csv(brief)` (the results);
- `scenario_json(brief)`: a scenario file (`SCHEMA`, `SCHEMA_VERSION`) that
  `load_scenario_file` reads back, refusing anything that is not one with a
  message that says why.

Charts are rendered with vl-convert (Vega in an embedded JavaScript engine, no
browser, no network), imported on first use.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
import struct
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

from .charts import coverage_bars, goal_bars, heatmap, plan_timeline
from .constraints import REGISTRY
from .coverage import coverage, coverage_sentence
from .export import handout_markdown, results_csv
from .model import Catalog, Link
from .plan import Plan, make_plan, plan_summary
from .rules import Recommendation, balanced_package, rank
from .scenario import Scenario
from .taxonomy import FIT_LABELS, IMPORTANCE_LABELS
from .text import is_safe_link, join_words
from .text import summary as what_it_is

APP_NAME = "Municipal Toolbox Navigator"
SCHEMA = "toolbox-scenario"
SCHEMA_VERSION = 1
MAX_SCENARIO_BYTES = 100 * 1024
MAX_FILE_PROBLEMS = 3  # a refused scenario file's message names this many problems, then "and N more"
DEFAULT_TOP = 5
MAX_TITLE = 120
MAX_SLUG = 60  # characters of the title in a file name
PNG_SCALE = 3  # chart images at three times their pixel size: crisp on paper
MM_PER_PX = 0.27  # a chart's 13 px labels print at about 10 pt, as the body text
PT = 0.3528  # mm
TIMELINE_WIDTH = 520  # px: the page's timeline fills its container; an image needs a width
HEATMAP_WIDTH = 360  # px for the coverage grid's columns, its tool names beside them: as for the timeline
FORMATS: dict[str, tuple[str, str]] = {  # format -> (file suffix, MIME type)
    "pdf": ("pdf", "application/pdf"),
    "html": ("html", "text/html"),
    "md": ("md", "text/markdown"),
    "csv": ("csv", "text/csv"),
    "json": ("json", "application/json"),
}


def default_title(today: dt.date) -> str:
    """ "Municipal Toolbox Navigator: November 29, 2026"."""
    return f"{APP_NAME}: {long_date(today)}"


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def file_name(title: str, fmt: str, today: dt.date | None = None) -> str:
    """A download's name, after the brief's title and the date: "rural-township-workshop-2026-12-04.pdf",
    "rural-township-workshop-results-2026-12-04.csv". An untitled brief (or one with the default
    title) is "toolbox-brief-2026-12-04.pdf"; the name is plain ASCII whatever the title says."""
    day = (today or dt.date.today()).isoformat()
    kind = {"csv": "results", "md": "handout", "json": "scenario"}.get(fmt, "")
    stem = title_slug(title)
    if not stem or re.fullmatch(rf"{APP_NAME}: [A-Z][a-z]+ \d{{1,2}}, \d{{4}}", (title or "").strip()):
        stem = "toolbox"
        kind = kind or "brief"
    stem = stem.removesuffix(f"-{day}")  # a title that already ends with the date
    return "-".join(part for part in (stem, kind, day) if part) + f".{FORMATS[fmt][0]}"


def title_slug(title: str, limit: int = MAX_SLUG) -> str:
    """A safe file-name stem of a title: ASCII letters and digits joined by hyphens, at most
    `limit` characters, cut at a hyphen ("Rural Township: Workshop #2" -> "rural-township-workshop-2")."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", " and ")
    slug = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return slug.strip("-")


# ---------------------------------------------------------------- the model


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
    fit: str
    what: str  # what the tool is: the first sentence of its page's "What it is", in the catalog's words
    strength: str  # "Made for 1 of your 2 goals; a main effect on 1"
    reasons: tuple[str, ...]
    vs_above: str = ""
    position: str = ""  # its rank as /find shows it: "3", or "=3" when level with a neighbour
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
    package_titles: list[str]
    gaps: list[str]  # what the package leaves uncovered
    plan_source: str  # "your shortlist" | "the balanced package" | ""
    plan_note: str  # capacity
    plan_line: str  # plan_summary
    phases: list[BriefPhase]
    coverage_line: str
    charts: list[BriefChart]
    sources: list[Source]
    link: str
    edition: str  # the catalog's version, date and content fingerprint
    ranked: list[Recommendation] = field(default_factory=list)  # every tool, for the CSV
    plan: Plan | None = None
    room: bool = False  # ranked with a room's votes

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
    ranked = rank(catalog, profile)
    if only is not None:
        keep = set(only)
        ranked = [r for r in ranked if r.slug in keep]
    recs = [r for r in ranked if r.recommended]
    shown = recs[: max(1, top)]
    if only is not None:  # a ballot: every tool on it, those that serve nothing asked for last
        shown = (recs + [r for r in ranked if r.fit == "none"])[: max(1, top)]
    have = sorted(profile.get("have") or ())
    pkg = balanced_package(catalog, profile) if profile.asks_for_something else None
    if plan is None:
        if scenario.shortlist:
            plan_slugs, plan_source = [s for s in scenario.shortlist if s not in have], "your shortlist"
        elif pkg is not None:
            plan_slugs, plan_source = list(pkg.slugs), "the balanced package"
        else:
            plan_slugs, plan_source = [], ""
        staff = profile.get("staff")  # a single-valued kind: a level or None
        plan = (
            make_plan(
                catalog, plan_slugs, have=have, staff=staff if isinstance(staff, str) else None, votes=profile.votes
            )
            if plan_slugs
            else None
        )

    sources: list[Source] = []
    by_link: dict[str, Source] = {}

    def cite(links: Sequence[Link]) -> tuple[Source, ...]:
        out = []
        for item in links:
            if not is_safe_link(item.link):
                continue
            src = by_link.get(item.link)
            if src is None:
                src = by_link[item.link] = Source(len(sources) + 1, item.label, item.link)
                sources.append(src)
            out.append(src)
        return tuple(out)

    tools: list[BriefTool] = []
    for i, r in enumerate(shown, 1):
        tool = catalog.tools[r.slug]
        tools.append(
            BriefTool(
                rank=i,
                position=(r.position or str(i)) if only is None else str(i),  # a ballot numbers its own
                leads_for=catalog.goal_name(r.leads_for) if r.leads_for else "",
                slug=r.slug,
                title=r.title,
                score=r.score,
                fit=r.fit,
                what=what_it_is(tool.body, limit=10_000),  # the whole first sentence, never cut
                strength=r.strength_summary(catalog),  # goal by goal, by name
                reasons=r.reasons,
                vs_above=r.vs_above if i > 1 else "",
                flags=tuple(BriefFlag(f.title, f.message, f.note, f.mitigations) for f in r.flags),
                phase=plan.phase_of(r.slug) if plan else None,
                votes=profile.votes.get(r.slug, 0),
                case_studies=cite(tool.who_has_used),
                ordinances=cite(tool.guidelines),
            )
        )

    counts = {band: sum(1 for r in recs if r.fit == band) for band in ("strong", "possible", "weak")}
    summary = (
        f"{len(recs)} tool{'s' if len(recs) != 1 else ''} fit: {counts['strong']} strong, "
        f"{counts['possible']} possible, {counts['weak']} weak."
    )
    if profile.votes:
        summary += f" Ranked with the room's {sum(profile.votes.values())} dots as one more factor."
    if not recs:
        summary = "No tool serves what was asked for."

    goals = [(catalog.goal_name(g), IMPORTANCE_LABELS.get(imp, str(imp))) for g, imp in profile.goals.items()]
    choices: list[tuple[str, str]] = []
    if profile.focus:
        choices.append(("Focus areas", ", ".join(sorted(profile.focus))))
    if profile.principles:
        choices.append(("Principles", ", ".join(sorted(profile.principles))))
    for kind in REGISTRY:
        value = profile.get(kind.name)
        values = sorted(value) if isinstance(value, frozenset) else ([value] if value else [])
        if values:
            choices.append((kind.label, ", ".join(kind.words(v, catalog) for v in values)))

    gaps: list[str] = []
    if pkg is not None:
        gaps = [catalog.goal_name(g) for g in pkg.gap_goals] + list(pkg.gap_focus) + list(pkg.gap_principles)

    charts: list[BriefChart] = []
    top_slugs = [t.slug for t in tools]
    cov_line = ""
    if top_slugs:
        cov = coverage(catalog, top_slugs, profile.focus, profile.principles, list(profile.goals), in_place=have)
        cov_line = coverage_sentence(cov, len(top_slugs))
        charts.append(
            BriefChart(
                "heatmap",
                "What each of the top tools covers",
                "A grid of the top tools (rows) against your goals, the focus areas and the principles "
                "(columns); a check marks what a tool covers, dark cells what you chose.",
                heatmap(cov, catalog, top_slugs, in_place=have, width=HEATMAP_WIDTH).to_dict(),
            )
        )
        if profile.goals:
            charts.append(
                BriefChart(
                    "goals",
                    "Your goals",
                    "How many of the top tools advance each of your goals.",
                    goal_bars(cov).to_dict(),
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
    phases: list[BriefPhase] = []
    if plan is not None and plan.items:
        spec = plan_timeline(plan, catalog).to_dict()
        spec["width"] = TIMELINE_WIDTH
        charts.append(
            BriefChart(
                "timeline",
                "Action plan timeline",
                "One bar a tool, from the phase it starts in (Now, Next, Later) to when its results are expected.",
                spec,
            )
        )
        phases = [
            BriefPhase(
                p.name,
                p.label,
                tuple((i.title, i.why, tuple(ind.name for ind in i.indicators)) for i in p.items),
            )
            for p in plan.phases
        ]

    return Brief(
        title=clean_title(title) or default_title(today),
        date=today,
        scenario=scenario,
        goals=goals,
        choices=choices,
        summary=summary,
        tools=tools,
        obstacles=obstacles(tools),
        barred=[(r.title, r.reasons[0]) for r in ranked if r.excluded],
        in_place=[r.title for r in ranked if r.in_place],
        package=list(pkg.steps) if pkg else [],
        package_titles=[catalog.title(s) for s in pkg.slugs] if pkg else [],
        gaps=gaps,
        plan_source=plan_source or "" if plan and plan.items else "",
        plan_note=plan.capacity_note if plan and plan.items else "",
        plan_line=plan_summary(catalog, plan) if plan and plan.items else "",
        phases=phases,
        coverage_line=cov_line,
        charts=charts,
        sources=sources,
        link=link if is_safe_link(link) else "",
        edition=catalog.edition,
        ranked=ranked,
        plan=plan,
        room=bool(profile.votes),
    )


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
    any), ranked with the room's dots, every tool on the ballot and only those, the plan
    made for the ballot. `find_address` and `room` make the link that reopens it."""
    scenario = Scenario.from_query(find_params, catalog)
    scenario.profile = scenario.profile.replace(votes={s: n for s, n in votes.items() if n})
    scenario.shortlist = [s for s in ballot if s in catalog.tools]
    scenario.room = room
    link = scenario_link(find_address, scenario) if find_address else ""
    return make_brief(catalog, scenario, title, link, top=len(ballot), only=ballot, today=today)


def clean_title(title: str | None) -> str:
    """A title on one line, without control characters, at most MAX_TITLE characters."""
    if not title:
        return ""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    return text[:MAX_TITLE]


def scenario_link(base: str, scenario: Scenario) -> str:
    """The address that reopens the scenario on /find (`base` is the app's /find address)."""
    query = scenario.to_query(with_room=True, with_step=False)
    return f"{base}?{urlencode(query)}" if query else base


# ---------------------------------------------------------------- charts


def _vlc() -> Any:
    import vl_convert

    return vl_convert


def chart_svg(chart: BriefChart) -> str:
    return str(_vlc().vegalite_to_svg(dict(chart.spec)))


def chart_png(chart: BriefChart, scale: float = 3) -> bytes:
    return bytes(_vlc().vegalite_to_png(dict(chart.spec), scale=scale))


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# ---------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #111; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  "Liberation Sans", Arial, sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid #0B5394; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
p, ul, ol, dl { margin: .35rem 0; }
ul, ol { padding-left: 1.3rem; }
a { color: #0B5394; overflow-wrap: anywhere; }
.meta { color: #333; font-size: .9rem; }
.reopen { display: inline-block; margin: .4rem 0; padding: .45rem .8rem; border: 2px solid #0B5394;
  border-radius: .4rem; font-weight: 600; text-decoration: none; }
.url { font-size: .9rem; color: #333; overflow-wrap: anywhere; }
.reopen-box { display: flow-root; margin: .4rem 0; }
.reopen-box .qr { float: right; margin: 0 0 .4rem .8rem; image-rendering: pixelated; }
dl.asked { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; }
dl.asked dt { font-weight: 600; }
dl.asked dd { margin: 0; }
.tool { border: 1px solid #999; border-radius: .5rem; padding: .7rem .9rem; margin: .8rem 0; break-inside: avoid; }
.fit { font-weight: 600; }
.badge { display: inline-block; border: 1.5px solid #111; border-radius: 1rem; padding: 0 .55rem; margin-right: .35rem;
  font-size: .85rem; }
.badge.strong { background: #111; color: #fff; }
.below { color: #333; font-size: .9rem; font-style: italic; }
.flag { border-left: 4px solid #111; padding: .1rem 0 .1rem .6rem; margin: .5rem 0; }
.cites { font-size: .9rem; }
figure { margin: 1rem 0; break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
figcaption { font-size: .85rem; color: #333; }
.gaps { border: 2px dashed #111; padding: .4rem .6rem; }
.phase, .way { break-inside: avoid; }
ol.sources { font-size: .85rem; }
footer { margin-top: 2rem; padding-top: .5rem; border-top: 1px solid #999; font-size: .85rem; color: #333; }
@media (max-width: 30rem) {
  body { font-size: 15px; }
  main { padding: .75rem; }
  dl.asked { grid-template-columns: 1fr; }
  dl.asked dd { margin-bottom: .3rem; }
  /* a chart keeps a readable size on a phone and scrolls sideways instead of shrinking */
  .scroll figure img, .scroll img { max-width: none; }
}
@media print {
  @page { size: letter; margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: #111; }
  .reopen { border: none; padding: 0; }
  h2 { break-after: avoid; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _a(label: str, link: str, cls: str = "") -> str:
    """An anchor only for an http(s) or mailto link; anything else stays text."""
    if not is_safe_link(link):
        return _e(label)
    attr = f' class="{cls}"' if cls else ""
    return f'<a{attr} href="{_e(link)}" rel="noopener noreferrer">{_e(label)}</a>'


def _cites(what: str, sources: Sequence[Source]) -> str:
    if not sources:
        return ""
    items = "; ".join(f"{_a(s.label, s.link)} [{s.n}]" for s in sources)
    return f'<p class="cites"><strong>{_e(what)}:</strong> {items}</p>'


def brief_html(brief: Brief) -> str:
    """One self-contained HTML file: no script, no external stylesheet, image or font."""
    b = brief
    out: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # nothing may be fetched: styles are inline, images are data URIs, there is no script
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_e(b.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head><body><main>",
        "<header>",
        f"<h1>{_e(b.title)}</h1>",
        f'<p class="meta">Made {_e(long_date(b.date))} with the {APP_NAME}. Catalog {_e(b.edition)}.</p>',
    ]
    if b.link:  # the whole address only in the links (and the code); what a reader sees is short
        out.append(
            f'<div class="reopen-box"><img class="qr" src="{_qr_data_uri(b.link)}" width="{QR_PX}" '
            f'height="{QR_PX}" alt="QR code that reopens this scenario in the navigator">'
            f"<p>{_a('Reopen this scenario in the navigator', b.link, 'reopen')}</p>"
            f'<p class="url">Scan the code, or open {_a(short_link(b.link), b.link)}: it opens these exact '
            "choices.</p></div>"
        )
    out.append("</header>")

    out.append('<section id="asked"><h2>What was asked</h2><dl class="asked">')
    if b.goals:
        goals = "<br>".join(f"{_e(name)} ({_e(imp.lower())})" for name, imp in b.goals)
        out.append(f"<dt>Goals</dt><dd>{goals}</dd>")
    for label, value in b.choices:
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    if not b.goals and not b.choices:
        out.append("<dt>Choices</dt><dd>None made yet.</dd>")
    out.append("</dl></section>")

    heading = f"The room's ranking: top {len(b.tools)}" if b.room else f"Top {len(b.tools)} recommendations"
    out.append(f'<section id="recommendations"><h2>{_e(heading)}</h2><p>{_e(b.summary)}</p>')
    for t in b.tools:
        out.append('<article class="tool">')
        out.append(f"<h3>{_e(t.position or t.rank)}. {_e(t.title)}</h3>")
        if t.what:
            out.append(f'<p class="what">{_e(t.what)}</p>')
        extra = [f"score {t.score} of 100"]
        if t.votes:
            extra.append(f"{t.votes} dot{'s' if t.votes != 1 else ''}")
        if t.phase:
            extra.append(f"plan: {t.phase}")
        badge = "badge strong" if t.fit == "strong" else "badge"
        strength = f"{_e(t.strength)} · " if t.strength else ""
        out.append(f'<p class="fit"><span class="{badge}">{_e(t.fit_label)}</span>{strength}{_e(", ".join(extra))}</p>')
        out.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in t.reasons) + "</ul>")
        for f in t.flags:
            out.append(
                f'<p class="flag"><strong>Watch out: {_e(f.title)}.</strong> {_e(f.note or f.message)} '
                f'<a href="#way-{_slug(f.title)}">Ways around it</a></p>'
            )
        out.append(_cites("Who has used this tool", t.case_studies))
        out.append(_cites("Model ordinances and guidelines", t.ordinances))
        out.append("</article>")
    if b.barred:
        out.append("<h3>Not available under your state's law</h3><ul>")
        out += [f"<li><strong>{_e(title)}</strong>: {_e(why)}</li>" for title, why in b.barred]
        out.append("</ul>")
    if b.in_place:
        out.append(f"<p><strong>Already in place:</strong> {_e(', '.join(b.in_place))}</p>")
    out.append("</section>")

    if b.obstacles:
        out.append('<section id="ways-around"><h2>What stands in the way, and ways around it</h2>')
        for o in b.obstacles:
            out.append(
                f'<div class="way" id="way-{_slug(o.title)}"><h3>{_e(o.title)}</h3>'
                f'<p class="below">For {_e(join_words(list(o.tools)))}.</p><ul>'
                + "".join(f"<li>{_e(m)}</li>" for m in o.mitigations)
                + "</ul></div>"
            )
        out.append("</section>")

    if b.package:
        out.append('<section id="package"><h2>A balanced package</h2>')
        out.append(
            "<p>A small set of tools that together cover your goals: each goal gets its strongest "
            "available tool first, then focus areas and principles, with the least that stands in the way.</p>"
        )
        out.append("<ol>" + "".join(f"<li>{_e(step)}</li>" for step in b.package) + "</ol>")
        if b.gaps:
            out.append(f'<p class="gaps"><strong>Still not covered:</strong> {_e(", ".join(b.gaps))}.</p>')
        else:
            out.append("<p>Everything you chose is covered by this package.</p>")
        out.append("</section>")

    cov_charts = [c for c in b.charts if c.name != "timeline"]
    if cov_charts:
        out.append('<section id="coverage"><h2>Coverage</h2>')
        if b.coverage_line:
            out.append(f"<p><strong>{_e(b.coverage_line)}</strong></p>")
        out += [_figure(c) for c in cov_charts]
        out.append("</section>")

    if b.phases:
        out.append('<section id="plan"><h2>Action plan</h2>')
        out.append(f"<p>A plan for {_e(b.plan_source)} in three phases. {_e(b.plan_note)}</p>")
        out += [_figure(c) for c in b.charts if c.name == "timeline"]
        for p in b.phases:
            out.append(f'<div class="phase"><h3>{_e(p.name)} ({_e(p.label)})</h3>')
            if not p.items:
                out.append("<p>Nothing in this phase.</p>")
            else:
                out.append("<ul>")
                for title, why, watch in p.items:
                    watching = f" <em>Watch:</em> {_e(', '.join(watch))}." if watch else ""
                    out.append(f"<li><strong>{_e(title)}</strong>: {_e(why)}{watching}</li>")
                out.append("</ul>")
            out.append("</div>")
        out.append("</section>")

    if b.sources:
        out.append('<section id="sources"><h2>Sources</h2><ol class="sources">')
        for s in b.sources:
            out.append(f'<li value="{s.n}">{_a(s.label, s.link)} <span class="url">({_e(_host(s.link))})</span></li>')
        out.append("</ol></section>")

    out.append(
        f"<footer>{_e(b.title)} · made {_e(b.date.isoformat())} · catalog {_e(b.edition)}. "
        "Scores, fits and plans follow the navigator's published rules; every tool's full page is in the "
        "navigator.</footer>"
    )
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


QR_PX = 132  # the reopen code's size on the page (px): a phone camera reads it from a screen or paper


def _qr_data_uri(link: str) -> str:
    """The QR code of `link` as an SVG data URI (base64, as the charts: the page loads nothing)."""
    import segno

    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="svg", scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _host(link: str) -> str:
    """The site a source is on, as a reader would say it: "fema.gov"."""
    return urlparse(link).netloc.removeprefix("www.") or link


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _figure(chart: BriefChart) -> str:
    svg = chart_svg(chart)
    size = re.search(r'<svg[^>]*?\bwidth="(\d+(?:\.\d+)?)"[^>]*?\bheight="(\d+(?:\.\d+)?)"', svg)
    dims = f' width="{round(float(size[1]))}" height="{round(float(size[2]))}"' if size else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure id="chart-{_e(chart.name)}"><h3>{_e(chart.title)}</h3><div class="scroll">'
        f'<img src="data:image/svg+xml;base64,{data}"{dims} alt="{_e(chart.caption)}"></div>'
        f"<figcaption>{_e(chart.caption)}</figcaption></figure>"
    )


# ---------------------------------------------------------------- PDF

_PDF_CHARS = {
    "\u2713": "x",
    "\u2714": "x",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u200b": "",
    "\u00a0": " ",
}


def _t(text: object) -> str:
    """Text the PDF's core fonts can set (Windows-1252); anything else becomes '?'."""
    s = str(text)
    for ch, rep in _PDF_CHARS.items():
        s = s.replace(ch, rep)
    return s.encode("cp1252", "replace").decode("cp1252")


BODY = 10.0  # pt: every line of the brief's body
SMALL = 8.0  # pt: the sources and the page footer
LEADING = 1.2  # line height, times the font size
QR_SIZE = 26.0  # mm: the reopen code, top right of the first page
MARGIN = 12.7  # mm: left and right (half an inch)
PDF_WIDTH = 215.9 - 2 * MARGIN  # mm: Letter's text width
CHART_TITLE = 6.0  # mm: a chart's title line and the space under it
PDF_PAGES = 2  # for a top 5
# The charts the PDF carries, tried in turn until a top 5 fits on two pages. The bars of
# goals and of focus areas repeat what the grid and each tool's reasons say: the HTML has them.
PDF_CHARTS: tuple[tuple[str, ...], ...] = (("heatmap", "timeline"), ("heatmap",), ("timeline",), ())
PDF_CITES = (3, 2, 1)  # sources of each kind a tool cites, tried in turn when all of them run over
_BLUE = (11, 83, 148)


def paper_url(link: str) -> str:
    """A link as printed on paper, whole: host, path and query, without the scheme, "www.",
    campaign tags ("utm_source=...") or a text fragment ("#:~:text=..."), so that it can be
    typed into a browser and opens the same page."""
    parsed = urlparse(link)
    text = parsed.netloc.removeprefix("www.") + parsed.path
    query = "&".join(p for p in parsed.query.split("&") if p and not p.lower().startswith("utm_"))
    if query:
        text += "?" + query
    if parsed.fragment and not parsed.fragment.startswith(":~:"):
        text += "#" + parsed.fragment
    return (text.rstrip("/") or link).replace(" ", "%20")


def short_link(link: str) -> str:
    """The page a scenario link opens, as a reader would type it: "toolbox.example.org/find"."""
    parsed = urlparse(link)
    return (parsed.netloc.removeprefix("www.") + parsed.path).rstrip("/") or link


def brief_pdf(brief: Brief) -> bytes:
    """Letter pages, black text at 10 pt (sources at 8 pt), a QR code that reopens the
    scenario. Two pages for a top 5: the charts go in only where they fit (the least useful
    left out first), and when the text alone runs over, each tool cites fewer of its sources
    (it says how many more its page has)."""
    charts = {c.name: c for c in brief.charts}
    pngs: dict[str, bytes] = {}  # each chart rendered once, when first wanted

    def attempt(names: Sequence[str], cap: int | None = None) -> tuple[bytes, int, float]:
        for name in names:
            if name in charts and name not in pngs:
                pngs[name] = chart_png(charts[name], scale=PNG_SCALE)
        return _pdf(brief, {n: pngs[n] for n in names if n in pngs}, cap)

    if len(brief.tools) > DEFAULT_TOP:  # a longer list (a workshop's ballot) takes the pages it needs
        return attempt(PDF_CHARTS[0])[0]
    data, pages, free = attempt(())
    if pages <= PDF_PAGES:
        # a chart's height from its scene (cheap), so that one that cannot fit is never rendered
        heights = {n: _chart_height(charts[n]) for n in set(PDF_CHARTS[0]) & set(charts)}
        for names in PDF_CHARTS[:-1]:
            wanted = [n for n in names if n in heights]
            if wanted and sum(heights[n] for n in wanted) <= free:
                with_charts, pages, _ = attempt(wanted)
                if pages <= PDF_PAGES:
                    return with_charts
        return data
    for cap in PDF_CITES:
        data, pages, _ = attempt((), cap)
        if pages <= PDF_PAGES:
            break
    return data


def _chart_size(width_px: float, height_px: float, room: float) -> tuple[float, float]:
    """A chart's size on paper (mm): its 13 px labels at 10 pt, narrowed to `room` mm."""
    w, h = width_px * MM_PER_PX, height_px * MM_PER_PX
    return (room, h * room / w) if w > room else (w, h)


def _chart_height(chart: BriefChart) -> float:
    """The height (mm) a chart takes on the page, its title included, from its Vega scene."""
    scene = _vlc().vegalite_to_scenegraph(dict(chart.spec))
    return _chart_size(float(scene["width"]), float(scene["height"]), PDF_WIDTH)[1] + CHART_TITLE


def _url_pieces(url: str) -> list[str]:
    """A URL cut after each / ? & = - _ . : where a line may break without losing a character."""
    return [p for p in re.findall(r"[^/?&=_.-]*[/?&=_.-]?", url) if p]


def _pdf(brief: Brief, pngs: Mapping[str, bytes], cap: int | None = None) -> tuple[bytes, int, float]:
    """The PDF, its page count and the room left (mm) within two pages: with these chart
    images, each tool citing at most `cap` case studies and `cap` model ordinances (None:
    all), numbered in the order cited."""
    import segno
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    b = brief
    footer_text = _t(f"{b.title} · catalog {b.edition}")

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("Helvetica", "", SMALL)
            self.set_text_color(60)
            self.cell(0, 4, footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

    pdf = _PDF(format="letter", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(MARGIN, 11, MARGIN)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_title(_t(b.title))
    pdf.set_author(APP_NAME)
    pdf.set_creation_date(dt.datetime.combine(b.date, dt.time(12), tzinfo=dt.UTC))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def runs(
        parts: Sequence[tuple[str, str] | tuple[str, str, str]],
        size: float = BODY,
        indent: float = 0,
        right: float = 0,
        after: float = 0.6,
    ) -> None:
        """Inline runs of (style, text[, link]) as one paragraph, wrapped at spaces across runs;
        `right` mm kept free on the right."""
        with (
            pdf.text_columns(
                ncols=1,
                text_align="LEFT",
                line_height=LEADING,
                l_margin=pdf.l_margin + indent,
                r_margin=pdf.r_margin + right,
                skip_leading_spaces=True,
            ) as cols,
            cols.paragraph() as par,
        ):
            for part in parts:
                style, text = part[0], part[1]
                link = part[2] if len(part) > 2 else None
                pdf.set_font("Helvetica", style, size)
                pdf.set_text_color(*(_BLUE if link else (0, 0, 0)))
                par.write(_t(text), link=link)
        pdf.set_text_color(0)
        pdf.ln(after)

    def item(marker: str, text: str, indent: float, after: float = 0) -> None:
        """A list item: its marker ("1.", a bullet) hanging left of the text, which wraps under itself."""
        if pdf.get_y() + BODY * PT * LEADING > pdf.page_break_trigger:  # marker and text on the next page
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font("Helvetica", "", BODY)
        pdf.set_xy(pdf.l_margin + indent, y)
        pdf.cell(4, BODY * PT * LEADING, _t(marker))
        pdf.set_xy(pdf.l_margin, y)
        runs([("", text)], indent=indent + 4, after=after)

    def heading(text: str, need: float = 20) -> None:
        """A section heading with a rule under it (8.4 mm), on the next page unless `need` mm
        more fit under it here."""
        if pdf.get_y() + 8.4 + need > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(1.8)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 5.0, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y() + 0.3
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
        pdf.ln(1.3)

    def chart(name: str) -> None:
        """A chart image at a scale where its 13 px labels print at 10 pt, narrowed to the page."""
        if name not in pngs:
            return
        spec = next(c for c in b.charts if c.name == name)
        w_px, h_px = _png_size(pngs[name])
        w, h = _chart_size(w_px / PNG_SCALE, h_px / PNG_SCALE, width)
        if pdf.get_y() + h + CHART_TITLE > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", BODY)
        pdf.cell(0, 5, _t(spec.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.image(io.BytesIO(pngs[name]), x=pdf.l_margin, y=pdf.get_y(), w=w, h=h, alt_text=_t(spec.caption))
        pdf.set_y(pdf.get_y() + h + 1)

    # -- header: the title, the date and edition, and a QR code that reopens the scenario
    top = pdf.get_y()
    beside = QR_SIZE + 5 if b.link else 0
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(width - beside, 7.4, _t(b.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)
    runs([("", f"Made {long_date(b.date)} with the {APP_NAME}. Catalog {b.edition}.")], right=beside)
    if b.link:
        runs(
            [
                ("B", "Reopen this scenario: "),
                ("", "scan the code to open these exact choices in the navigator, or open "),
                ("", short_link(b.link), b.link),
                ("", " and choose them again."),
            ],
            right=beside,
        )
        qr = segno.make(b.link, error="m")
        cells = [list(row) for row in qr.matrix_iter(scale=1, border=0)]
        module = QR_SIZE / len(cells)
        x0 = pdf.w - pdf.r_margin - QR_SIZE
        pdf.set_fill_color(0)
        for r, row in enumerate(cells):
            c = 0
            while c < len(row):  # one rectangle for each run of dark modules in a row
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x0 + start * module, top + r * module, (c - start) * module, module, style="F")
        pdf.link(x0, top, QR_SIZE, QR_SIZE, b.link)
        pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 1))

    # -- what was asked
    heading("What was asked")
    if b.goals:
        runs([("B", "Goals: "), ("", "; ".join(f"{n} ({imp.lower()})" for n, imp in b.goals) + ".")])
    if b.choices:
        parts: list[tuple[str, str]] = []
        for i, (label, value) in enumerate(b.choices):
            parts += [("B", f"{label}: "), ("", value + (".  " if i < len(b.choices) - 1 else "."))]
        runs(parts)
    if not b.goals and not b.choices:
        runs([("", "No choices made yet.")])

    # -- the top tools: what each is, how it fits, what stands in its way, its sources
    listed: list[Source] = []  # the sources cited here, renumbered in the order cited
    numbers: dict[str, int] = {}

    def cite(sources: Sequence[Source]) -> str:
        for src in sources[:cap]:
            if src.link not in numbers:
                numbers[src.link] = len(listed) + 1
                listed.append(Source(numbers[src.link], src.label, src.link))
        return " ".join(f"[{numbers[src.link]}]" for src in sources[:cap])

    heading(f"The room's ranking: top {len(b.tools)}" if b.room else f"Top {len(b.tools)} recommendations")
    runs([("", b.summary)], after=0.4)
    for t in b.tools:
        if pdf.get_y() + 22 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(1.4)
        extra = [f"best for {t.leads_for.lower()}"] if t.leads_for else []
        extra.append(f"score {t.score} of 100")
        if t.votes:
            extra.append(f"{t.votes} dot{'s' if t.votes != 1 else ''}")
        if t.phase:
            extra.append(f"plan: {t.phase}")
        runs(
            [
                ("B", f"{t.position or t.rank}. {t.title}"),
                ("", "   "),
                ("B", t.fit_label),
                ("", " · " + " · ".join(extra)),
            ],
            size=11,
            after=0.2,
        )
        if t.what:
            runs([("I", t.what)], indent=5, after=0.2)
        body = [("", " ".join(t.reasons))]  # "Made for: ... Also helps: ..." (the strength in words)
        cites = []
        if t.case_studies:
            cites.append("who has used it " + cite(t.case_studies))
        if t.ordinances:
            cites.append("model ordinances " + cite(t.ordinances))
        more = (
            len(t.case_studies)
            + len(t.ordinances)
            - sum(min(cap or 99, len(x)) for x in (t.case_studies, t.ordinances))
        )
        if more:
            cites.append(f"{more} more on its page in the navigator")
        if cites:
            body += [("B", "  Sources: "), ("", "; ".join(cites) + ".")]
        runs(body, indent=5, after=0.2)
    if b.barred:
        pdf.ln(1)
        runs([("B", "Not available under your state's law: "), ("", "; ".join(f"{t} ({w})" for t, w in b.barred))])
    if b.in_place:
        runs([("B", "Already in place: "), ("", ", ".join(b.in_place) + ".")])

    # -- each obstacle once: the tools it stands in front of, what it says, the ways around it
    if b.obstacles:
        heading("What stands in the way, and ways around it", need=30)
        ways: dict[tuple[str, ...], str] = {}  # ways around -> the obstacle they were listed for
        for o in b.obstacles:
            if pdf.get_y() + 16 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.ln(0.8)
            runs([("B", o.title), ("", f" (for {join_words(list(o.tools))})")], after=0.2)
            for text, who in o.details:
                said = text if set(who) == set(o.tools) else f"{join_words(list(who))}: {text}"
                runs([("", said)], indent=5, after=0.2)
            if o.mitigations in ways:  # the same ways around as an obstacle above: said once
                runs([("B", "Ways around it: "), ("", f"as for {ways[o.mitigations]}, above.")], indent=5, after=0)
            elif o.mitigations:
                ways[o.mitigations] = o.title.lower()
                if pdf.get_y() + 10 > pdf.page_break_trigger:
                    pdf.add_page()
                runs([("B", "Ways around it:")], indent=5, after=0)
                for m in o.mitigations:
                    item("\u2022", m, indent=6.5)

    # -- the balanced package
    if b.package:
        heading("A balanced package", need=24)
        for i, step in enumerate(b.package, 1):
            item(f"{i}.", step, indent=1, after=0.2)
        if b.gaps:
            runs([("B", "Still not covered: "), ("", ", ".join(b.gaps) + ".")], indent=1)
        else:
            runs([("", "Everything you chose is covered by this package.")], indent=1)

    # -- the action plan, then what the top tools cover
    if b.phases:
        heading("Action plan", need=30)
        runs([("", f"A plan for {b.plan_source} in three phases. {b.plan_note}")])
        empty = [f"{p.name} ({p.label})" for p in b.phases if not p.items]
        for p in b.phases:
            if not p.items:
                continue
            runs([("B", f"{p.name} ({p.label})")], after=0.2)
            for title, why, watch in p.items:
                parts = [("B", f"{title}: "), ("", why)]
                if watch:  # the space ends the line before, should it break here
                    parts = [("B", f"{title}: "), ("", why + " "), ("I", "Watch: "), ("", ", ".join(watch) + ".")]
                runs(parts, indent=5, after=0.3)
        if empty:
            runs([("B", join_words(empty) + ": "), ("", "nothing in this phase.")])
        chart("timeline")

    if b.coverage_line or "heatmap" in pngs:
        heading("Coverage", need=20)
        if b.coverage_line:
            runs([("", b.coverage_line)])
        chart("heatmap")

    # -- sources: every link whole, broken only after a / ? & = - _ or .
    if listed:
        _sources(pdf, listed, heading, width)

    free = pdf.page_break_trigger - pdf.get_y() + (pdf.page_break_trigger - pdf.t_margin) * (PDF_PAGES - pdf.page)
    return bytes(pdf.output()), pdf.pages_count, free


def _sources(pdf: Any, sources: Sequence[Source], heading: Any, width: float) -> None:
    """The numbered sources at 8 pt, run on across the page's width (one after another, as
    a reference list in a report), each link printed whole (as `paper_url` writes it) and
    clickable, broken only after a / ? & = - _ or . when it is longer than a line."""
    line_h = SMALL * PT * LEADING
    # (style, text, link, space after it in mm, what must fit on the line with it: a link's whole
    # address for its first piece)
    tokens: list[tuple[str, str, str | None, float, str]] = []
    pdf.set_font("Helvetica", "", SMALL)
    word_gap, entry_gap = pdf.get_string_width(" "), pdf.get_string_width(" ") * 4
    for src in sources:
        words = _t(src.label).split()
        # the number kept with the label's first word: `whole` is what must fit with it
        tokens.append(("B", f"[{src.n}]", None, word_gap, f"[{src.n}] {words[0]}" if words else ""))
        tokens += [("", w + (":" if i == len(words) - 1 else ""), None, word_gap, "") for i, w in enumerate(words)]
        url = _t(paper_url(src.link))
        pieces = _url_pieces(url)
        tokens += [
            ("", p, src.link, 0.0 if i < len(pieces) - 1 else entry_gap, url if i == 0 else "")
            for i, p in enumerate(pieces)
        ]

    lines: list[list[tuple[str, str, str | None, float]]] = [[]]  # runs of (style, text, link, x)
    x, gap = 0.0, 0.0
    for style, text, link, after, whole in tokens:
        pdf.set_font("Helvetica", style, SMALL)
        w = pdf.get_string_width(text)
        start = x + gap if lines[-1] else 0.0
        whole_w = pdf.get_string_width(whole) if whole else w
        # a new line when the piece does not fit, or when the whole link fits on a line but not here
        if lines[-1] and (start + w > width or start + whole_w > width >= whole_w):
            lines.append([])
            start = 0.0
        while start + w > width:  # a piece longer than the line (no break in it): split by characters
            cut = len(text)
            while cut > 1 and pdf.get_string_width(text[:cut]) > width - start:
                cut -= 1
            lines[-1].append((style, text[:cut], link, start))
            lines.append([])
            text, start = text[cut:], 0.0
            w = pdf.get_string_width(text)
        last = lines[-1][-1] if lines[-1] else None
        if last and last[0] == style and last[2] == link and start == x:  # the same run, on: one text
            lines[-1][-1] = (style, last[1] + text, link, last[3])
        else:
            lines[-1].append((style, text, link, start))
        x, gap = start + w, after

    heading("Sources", need=len(lines) * line_h + 2)
    y = pdf.get_y()
    for line in lines:
        if y + line_h > pdf.page_break_trigger:  # longer than a page: on, on the next
            pdf.add_page()
            y = pdf.get_y()
        for style, text, link, start in line:
            pdf.set_font("Helvetica", style, SMALL)
            pdf.set_text_color(*(_BLUE if link else (0, 0, 0)))
            pdf.set_xy(pdf.l_margin + start, y)
            pdf.cell(pdf.get_string_width(text), line_h, text, link=link or "")
        y += line_h
    pdf.set_text_color(0)
    pdf.set_y(y)


# ---------------------------------------------------------------- data and scenario files


def brief_markdown(brief: Brief, catalog: Catalog) -> str:
    """The plain handout (logic/export.py), under the brief's title."""
    pkg = balanced_package(catalog, brief.scenario.profile) if brief.scenario.profile.asks_for_something else None
    text = handout_markdown(
        catalog,
        brief.scenario.profile,
        brief.ranked,
        pkg,
        brief.link,
        top=len(brief.tools) or DEFAULT_TOP,
        plan=brief.plan,
    )
    head, _, rest = text.partition("\n")
    del head
    from .text import escape_md_file

    # the title may come from a shared scenario file: text in any Markdown viewer, never a link or HTML
    return f"# {escape_md_file(brief.title)}\n\n_Made {long_date(brief.date)}; catalog {escape_md_file(brief.edition)}._\n{rest}"


def brief_csv(brief: Brief, catalog: Catalog | None = None) -> str:
    return results_csv(brief.ranked, brief.plan, catalog)


def scenario_json(brief: Brief, catalog: Catalog) -> str:
    """A scenario file: schema, version, title, the catalog it was made with, and the
    scenario as the address writes it."""
    return (
        json.dumps(
            {
                "schema": SCHEMA,
                "version": SCHEMA_VERSION,
                "title": brief.title,
                "created": brief.date.isoformat(),
                "catalog": {"version": catalog.version, "date": catalog.date, "fingerprint": catalog.fingerprint},
                "scenario": brief.scenario.to_query(with_room=True, with_step=False),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario | None
    message: str
    title: str = ""


def _scenario_keys() -> list[str]:
    return ["goal", "focus", "principle", *REGISTRY.names(), "shortlist", "room"]


def read_scenario_file(data: bytes, catalog: Catalog) -> LoadedScenario:
    """A scenario file's bytes -> the scenario, or None and a message that says why not.
    Nothing in a refused file is used: one unknown id refuses the whole file."""
    if len(data) > MAX_SCENARIO_BYTES:
        return LoadedScenario(
            None, f"The file is {len(data) / 1024:.0f} KB; a scenario file is at most {MAX_SCENARIO_BYTES // 1024} KB."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return LoadedScenario(None, "The file is not text (UTF-8), so it is not a scenario file.")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return LoadedScenario(None, f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).")
    except RecursionError:
        return LoadedScenario(None, "The file is not valid JSON (nested too deeply).")
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        return LoadedScenario(
            None, f'The file is JSON but not a scenario file (it needs "schema": "{SCHEMA}" at the top).'
        )
    version = doc.get("version")
    if type(version) is not int or version != SCHEMA_VERSION:  # 1.0 and true are not version 1
        return LoadedScenario(
            None,
            f"The file is a scenario file of version {json.dumps(version)[:20]}; this navigator reads version "
            f"{SCHEMA_VERSION}. Open it in the navigator that made it, or make the scenario again.",
        )
    body = doc.get("scenario")
    if not isinstance(body, dict):
        return LoadedScenario(None, 'The scenario file has no "scenario" object.')
    known = _scenario_keys()
    params: dict[str, str] = {}
    problems: list[str] = []
    for key, value in body.items():
        if key not in known:
            problems.append(
                f"unknown field {str(key)[:40]!r} (known: {', '.join(known)})"
                if not problems
                else f"unknown field {str(key)[:40]!r}"
            )
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            problems.append(f"{key} must be text")
            continue
        params[key] = value
    if not problems:
        scenario = Scenario.from_query(params, catalog)
        problems += [_unquote_note(n) for n in scenario.notes]
    if problems:  # summarised: a file can hold thousands of bad values
        shown = "; ".join(problems[:MAX_FILE_PROBLEMS])
        more = f"; and {len(problems) - MAX_FILE_PROBLEMS:,} more problems" if len(problems) > MAX_FILE_PROBLEMS else ""
        return LoadedScenario(None, f"The scenario file was not loaded: {shown}{more}.")
    title = clean_title(doc.get("title") if isinstance(doc.get("title"), str) else "")
    p = scenario.profile
    parts = [f"{len(p.goals)} goal{'s' if len(p.goals) != 1 else ''}", f"{len(p.constraints())} constraints"]
    if scenario.shortlist:
        parts.append(f"{len(scenario.shortlist)} tools on the shortlist")
    made = doc.get("catalog")
    if not isinstance(made, dict):
        made = {}
    note = ""
    if made.get("fingerprint") and catalog.fingerprint and made.get("fingerprint") != catalog.fingerprint:
        other = made.get("version") or "another version"
        note = f" It was made with catalog {str(other)[:40]}; rankings follow today's catalog ({catalog.edition})."
    named = f" {title!r}" if title else ""
    return LoadedScenario(scenario, f"Scenario{named} loaded: {', '.join(parts)}.{note}", title)


def _unquote_note(note: str) -> str:
    """An address note reworded for a file: "Ignored shortlist='x' in the address: no tool has
    that slug." -> "shortlist='x': no tool has that slug"."""
    m = re.match(r"Ignored (.*?) in the address: (.*)$", note, re.S)
    return f"{m[1]}: {m[2]}".rstrip(".") if m else note.rstrip(".")


def load_scenario_file(data: bytes, catalog: Catalog) -> tuple[Scenario | None, str]:
    """(scenario, message), or (None, why not): invalid JSON, another schema version,
    unknown goal or tool ids, a file over 100 KB."""
    loaded = read_scenario_file(data, catalog)
    return loaded.scenario, loaded.message


def render(brief: Brief, catalog: Catalog, fmt: str) -> bytes:
    """The brief in one format (see FORMATS), as the bytes of the file."""
    if fmt == "pdf":
        return brief_pdf(brief)
    text = {
        "html": brief_html,
        "md": lambda b: brief_markdown(b, catalog),
        "csv": lambda b: brief_csv(b, catalog),
        "json": lambda b: scenario_json(b, catalog),
    }[fmt](brief)
    return text.encode("utf-8")


__all__ = [
    "FORMATS",
    "MAX_SCENARIO_BYTES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Brief",
    "BriefChart",
    "BriefTool",
    "LoadedScenario",
    "Source",
    "brief_csv",
    "brief_html",
    "brief_markdown",
    "brief_pdf",
    "paper_url",
    "short_link",
    "default_title",
    "file_name",
    "title_slug",
    "load_scenario_file",
    "make_brief",
    "read_scenario_file",
    "render",
    "room_brief",
    "scenario_json",
    "scenario_link",
]
