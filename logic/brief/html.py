"""The brief as one self-contained HTML file: inline CSS, charts as SVG data URIs, a
content security policy that forbids any request, readable on a phone, with print CSS."""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from urllib.parse import urlparse

from ..taxonomy import Fit, score_words
from ..text import is_safe_link, join_words
from .chart_images import chart_svg
from .model import APP_NAME, Brief, BriefChart, Source, long_date, short_link

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

    heading = b.tools_heading
    out.append(f'<section id="recommendations"><h2>{_e(heading)}</h2><p>{_e(b.summary)}</p>')
    for t in b.tools:
        out.append('<article class="tool">')
        out.append(f"<h3>{_e(t.position or t.rank)}. {_e(t.title)}</h3>")
        if t.what:
            out.append(f'<p class="what">{_e(t.what)}</p>')
        extra = [score_words(t.fit, t.score)]
        if t.votes:
            extra.append(f"{t.votes} dot{'s' if t.votes != 1 else ''}")
        if t.phase:
            extra.append(f"plan: {t.phase}")
        badge = "badge strong" if t.fit == Fit.STRONG else "badge"
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
