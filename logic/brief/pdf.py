"""The brief as a PDF: fpdf2, Letter pages, charts as PNG, black text at 10 pt (sources
at 8 pt), a QR code that reopens the scenario; two pages for a top 5 where they can hold it."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from ..taxonomy import score_words
from ..text import join_words, mid_sentence
from .chart_images import _png_size, _vlc, chart_png
from .model import APP_NAME, DEFAULT_TOP, Brief, BriefChart, BriefTool, Source, long_date, short_link

PNG_SCALE = 3  # chart images at three times their pixel size: crisp on paper
MM_PER_PX = 0.27  # a chart's 13 px labels print at about 10 pt, as the body text
PT = 0.3528  # mm

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
    """Text the PDF's core fonts can set (Windows-1252): a symbol they lack (an emoji in a
    title, its joiners and variation selectors) is left out, a letter they lack is set as its
    base letter where it has one ("ő": "o"), and anything else becomes '?'."""
    s = str(text)
    for ch, rep in _PDF_CHARS.items():
        s = s.replace(ch, rep)
    return "".join(_settable(ch) for ch in s)


def _settable(ch: str) -> str:
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        pass
    if unicodedata.category(ch) in {"So", "Sk", "Mn", "Me", "Cf", "Cs"}:  # emoji, marks, joiners
        return ""
    base = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
    return base or "?"


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
# How far the text is cut, each level keeping what the one before it cuts:
WHOLE = 0
# compact loses nothing: each tool's count of what stands in its way is left out (the obstacles
# section names the tools each obstacle stands in front of), and so is its line saying it is a
# go-to tool (the rank carries it, and the tool below says so when it is what separates them),
# and each obstacle's ways around run on in one paragraph instead of a bulleted list;
COMPACT = 1
# terse also leaves out what an obstacle in front of several tools says of one of them alone (a
# challenge's note on that tool; the HTML brief and the tool's page keep it, TERSE_NOTE says so),
# and each tool's line on the goals it does not serve (the line before it says what it serves,
# the coverage section what no top tool serves): each obstacle, the tools it stands in front of,
# what they share and the ways around stay.
TERSE = 2
TERSE_NOTE = "What each obstacle says of each tool is in the HTML brief and on the tool's page in the navigator."
# briefest also names each phase's tools in one line, without why each starts there and what
# to watch (PLAN_NOTE says the HTML brief has them): the phases and their order stay.
BRIEFEST = 3
PLAN_NOTE = "Why each tool starts in its phase, and what to watch, is in the HTML brief."
# what is tried, in turn, until a top 5 fits on two pages: (sources of each kind a tool cites,
# None for all; how far the text is cut). Compact first, as it loses nothing; then fewer sources
# (each tool says how many more its page has); the tools' own notes last.
PDF_FITTING: tuple[tuple[int | None, int], ...] = (
    (None, WHOLE),
    (None, COMPACT),
    *((c, COMPACT) for c in PDF_CITES),
    (PDF_CITES[-1], TERSE),
    (PDF_CITES[-1], BRIEFEST),
)
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


def brief_pdf(brief: Brief) -> bytes:
    """Letter pages, black text at 10 pt (sources at 8 pt), a QR code that reopens the
    scenario. Two pages for a top 5: the charts go in only where they fit (the least useful
    left out first), and when the text alone runs over, the text goes compact and then each
    tool cites fewer of its sources (it says how many more its page has), as PDF_FITTING
    orders. A brief that runs over whatever is cut takes the pages it needs, with every
    source and the charts that fit in them."""
    charts = {c.name: c for c in brief.charts}
    pngs: dict[str, bytes] = {}  # each chart rendered once, when first wanted
    made: dict[tuple, tuple[bytes, int, float]] = {}  # each layout laid out once (the fallback reuses one)

    def attempt(names: Sequence[str], cap: int | None = None, cut: int = WHOLE) -> tuple[bytes, int, float]:
        key = (tuple(names), cap, cut)
        if key not in made:
            for name in names:
                if name in charts and name not in pngs:
                    pngs[name] = chart_png(charts[name], scale=PNG_SCALE)
            made[key] = _pdf(brief, {n: pngs[n] for n in names if n in pngs}, cap, cut)
        return made[key]

    if len(brief.tools) > DEFAULT_TOP:  # a longer list (a workshop's ballot) takes the pages it needs
        return attempt(PDF_CHARTS[0])[0]
    for cap, cut in PDF_FITTING:
        data, pages, free = attempt((), cap, cut)
        if pages <= PDF_PAGES:
            # a chart's height from its scene (cheap), so that one that cannot fit is never rendered
            heights = {n: _chart_height(charts[n]) for n in set(PDF_CHARTS[0]) & set(charts)}
            for names in PDF_CHARTS[:-1]:
                wanted = [n for n in names if n in heights]
                if wanted and sum(heights[n] for n in wanted) <= free:
                    with_charts, n_pages, _ = attempt(wanted, cap, cut)
                    if n_pages <= PDF_PAGES:
                        return with_charts
            return data
    # over two pages whatever is cut: every source and note, and the charts that fit in the pages it takes
    data, pages, _ = attempt((), None, COMPACT)
    for names in PDF_CHARTS[:-1]:
        with_charts, n_pages, _ = attempt(names, None, COMPACT)
        if n_pages <= pages:
            return with_charts
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


def _pdf(brief: Brief, pngs: Mapping[str, bytes], cap: int | None = None, cut: int = WHOLE) -> tuple[bytes, int, float]:
    """The PDF, its page count and the room left (mm) within two pages: with these chart
    images, each tool citing at most `cap` case studies and `cap` model ordinances (None:
    all), numbered in the order cited; the text cut as far as `cut` says (WHOLE, COMPACT, TERSE,
    BRIEFEST)."""
    lay = _Layout(brief, pngs, cap, cut)
    _header(lay, brief)
    _asked(lay, brief)
    _tools(lay, brief)
    _obstacles(lay, brief)
    _package(lay, brief)
    _plan(lay, brief)
    _coverage(lay, brief)
    if lay.listed:  # every link whole, broken only after a / ? & = - _ or .
        _sources(lay, lay.listed)
    return lay.finish()


def _new_document(brief: Brief) -> Any:
    """A Letter FPDF with the brief's margins, metadata and footer (title, edition, page N of M)."""
    from fpdf import FPDF

    footer_text = _t(f"{brief.title} · catalog {brief.edition}")

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
    pdf.set_title(_t(brief.title))
    pdf.set_author(APP_NAME)
    pdf.set_creation_date(dt.datetime.combine(brief.date, dt.time(12), tzinfo=dt.UTC))
    pdf.add_page()
    return pdf


class _Layout:
    """The page being written: paragraphs of styled runs, list items, headings, chart
    images, and the sources cited so far (renumbered in the order cited, at most `cap`
    of each kind a tool)."""

    def __init__(self, brief: Brief, pngs: Mapping[str, bytes], cap: int | None, cut: int = WHOLE) -> None:
        self.compact = cut >= COMPACT
        self.terse = cut >= TERSE
        self.briefest = cut >= BRIEFEST
        self.pdf = _new_document(brief)
        self.width = self.pdf.w - self.pdf.l_margin - self.pdf.r_margin
        self.charts = {c.name: c for c in brief.charts}
        self.pngs = pngs
        self.cap = cap
        self.listed: list[Source] = []
        self._numbers: dict[str, int] = {}

    def room(self, need: float) -> None:
        """On the next page unless `need` mm fit on this one."""
        if self.pdf.get_y() + need > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def runs(
        self,
        parts: Sequence[tuple[str, str] | tuple[str, str, str]],
        size: float = BODY,
        indent: float = 0,
        right: float = 0,
        after: float = 0.6,
    ) -> None:
        """Inline runs of (style, text[, link]) as one paragraph, wrapped at spaces across runs;
        `right` mm kept free on the right."""
        pdf = self.pdf
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

    def item(self, marker: str, text: str, indent: float, after: float = 0) -> None:
        """A list item: its marker ("1.", a bullet) hanging left of the text, which wraps under itself."""
        pdf = self.pdf
        self.room(BODY * PT * LEADING)  # marker and text on the next page
        y = pdf.get_y()
        pdf.set_font("Helvetica", "", BODY)
        pdf.set_xy(pdf.l_margin + indent, y)
        pdf.cell(4, BODY * PT * LEADING, _t(marker))
        pdf.set_xy(pdf.l_margin, y)
        self.runs([("", text)], indent=indent + 4, after=after)

    def heading(self, text: str, need: float = 20) -> None:
        """A section heading with a rule under it (8.4 mm), on the next page unless `need` mm
        more fit under it here."""
        from fpdf.enums import XPos, YPos

        pdf = self.pdf
        self.room(8.4 + need)
        pdf.ln(1.8)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 5.0, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y() + 0.3
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, y, pdf.l_margin + self.width, y)
        pdf.ln(1.3)

    def chart(self, name: str) -> None:
        """A chart image at a scale where its 13 px labels print at 10 pt, narrowed to the page."""
        from fpdf.enums import XPos, YPos

        if name not in self.pngs:
            return
        pdf, spec, png = self.pdf, self.charts[name], self.pngs[name]
        w_px, h_px = _png_size(png)
        w, h = _chart_size(w_px / PNG_SCALE, h_px / PNG_SCALE, self.width)
        self.room(h + CHART_TITLE)
        pdf.set_font("Helvetica", "B", BODY)
        pdf.cell(0, 5, _t(spec.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=w, h=h, alt_text=_t(spec.caption))
        pdf.set_y(pdf.get_y() + h + 1)

    def cite(self, sources: Sequence[Source]) -> str:
        """ "[1] [2]": the first `cap` of these sources, numbered when first cited."""
        for src in sources[: self.cap]:
            if src.link not in self._numbers:
                self._numbers[src.link] = len(self.listed) + 1
                self.listed.append(Source(self._numbers[src.link], src.label, src.link))
        return " ".join(f"[{self._numbers[src.link]}]" for src in sources[: self.cap])

    def finish(self) -> tuple[bytes, int, float]:
        """(the PDF's bytes, its pages, the room left in mm within PDF_PAGES pages)."""
        pdf = self.pdf
        free = pdf.page_break_trigger - pdf.get_y() + (pdf.page_break_trigger - pdf.t_margin) * (PDF_PAGES - pdf.page)
        return bytes(pdf.output()), pdf.pages_count, free


def _header(lay: _Layout, b: Brief) -> None:
    """The title, the date and edition, and a QR code (top right) that reopens the scenario."""
    from fpdf.enums import XPos, YPos

    pdf = lay.pdf
    top = pdf.get_y()
    beside = QR_SIZE + 5 if b.link else 0
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(lay.width - beside, 7.4, _t(b.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)
    lay.runs([("", f"Made {long_date(b.date)} with the {APP_NAME}. Catalog {b.edition}.")], right=beside)
    if not b.link:
        return
    lay.runs(
        [
            ("B", "Reopen this scenario: "),
            ("", "scan the code to open these exact choices in the navigator, or open "),
            ("", short_link(b.link), b.link),
            ("", " and choose them again."),
        ],
        right=beside,
    )
    _qr_code(pdf, b.link, pdf.w - pdf.r_margin - QR_SIZE, top)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 1))


def _qr_code(pdf: Any, link: str, x0: float, y0: float) -> None:
    """The link's QR code, QR_SIZE mm square at (x0, y0), drawn as filled rectangles (one
    for each run of dark modules in a row), and clickable."""
    import segno

    cells = [list(row) for row in segno.make(link, error="m").matrix_iter(scale=1, border=0)]
    module = QR_SIZE / len(cells)
    pdf.set_fill_color(0)
    for r, row in enumerate(cells):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x0 + start * module, y0 + r * module, (c - start) * module, module, style="F")
    pdf.link(x0, y0, QR_SIZE, QR_SIZE, link)


def _asked(lay: _Layout, b: Brief) -> None:
    lay.heading("What was asked")
    if b.goals:
        lay.runs([("B", "Goals: "), ("", "; ".join(f"{n} ({imp.lower()})" for n, imp in b.goals) + ".")])
    if b.choices:
        parts: list[tuple[str, str]] = []
        for i, (label, value) in enumerate(b.choices):
            parts += [("B", f"{label}: "), ("", value + (".  " if i < len(b.choices) - 1 else "."))]
        lay.runs(parts)
    if not b.goals and not b.choices:
        lay.runs([("", "No choices made yet.")])


def _tools(lay: _Layout, b: Brief) -> None:
    """The top tools: what each is, how it fits, its sources; then the barred and those in place."""
    lay.heading(b.tools_heading)
    lay.runs([("", b.summary)], after=0.4)
    for t in b.tools:
        _tool(lay, t)
    if b.barred:
        lay.pdf.ln(1)
        lay.runs([("B", "Not available under your state's law: "), ("", "; ".join(f"{t} ({w})" for t, w in b.barred))])
    if b.in_place:
        lay.runs([("B", "Already in place: "), ("", ", ".join(b.in_place) + ".")])


def _tool(lay: _Layout, t: BriefTool) -> None:
    lay.room(22)
    lay.pdf.ln(1.4)
    extra = [f"best for “{t.leads_for}”"] if t.leads_for else []
    extra.append(score_words(t.fit, t.score))
    if t.votes:
        extra.append(f"{t.votes} dot{'s' if t.votes != 1 else ''}")
    if t.phase:
        extra.append(f"plan: {t.phase}")
    lay.runs(
        [("B", f"{t.position or t.rank}. {t.title}"), ("", "   "), ("B", t.fit_label), ("", " · " + " · ".join(extra))],
        size=11,
        after=0.2,
    )
    if t.what:
        lay.runs([("I", t.what)], indent=5, after=0.2)
    # "Made for: ... Also helps: ..." (the strength in words)
    left_out = {t.in_the_way, t.go_to_note} if lay.compact else set()
    if lay.terse:
        left_out.add(t.unserved)
    reasons = [x for x in t.reasons if x not in left_out]
    body = [("", " ".join(reasons))]
    cites = []
    if t.case_studies:
        cites.append("who has used it " + lay.cite(t.case_studies))
    if t.ordinances:
        cites.append("model ordinances " + lay.cite(t.ordinances))
    more = (
        len(t.case_studies)
        + len(t.ordinances)
        - sum(min(lay.cap or 99, len(x)) for x in (t.case_studies, t.ordinances))
    )
    if more:
        cites.append(f"{more} more on its page in the navigator")
    if cites:
        body += [("B", "  Sources: "), ("", "; ".join(cites) + ".")]
    lay.runs(body, indent=5, after=0.2)


def _obstacles(lay: _Layout, b: Brief) -> None:
    """Each obstacle once: the tools it stands in front of, what it says, the ways around it."""
    if not b.obstacles:
        return
    lay.heading("What stands in the way, and ways around it", need=16)
    ways: dict[tuple[str, ...], str] = {}  # ways around -> the obstacle they were listed for
    notes_left_out = False
    for o in b.obstacles:
        lay.room(16)
        lay.pdf.ln(0.8)
        lay.runs([("B", o.title), ("", f" (for {join_words(list(o.tools))})")], after=0.2)
        for text, who in o.details:
            if lay.terse and len(who) == 1 < len(o.tools):  # what it says of one tool: in the HTML brief
                notes_left_out = True
                continue
            said = text if set(who) == set(o.tools) else f"{join_words(list(who))}: {text}"
            lay.runs([("", said)], indent=5, after=0.2)
        if o.mitigations in ways:  # the same ways around as an obstacle above: said once
            lay.runs([("B", "Ways around it: "), ("", f"as for {ways[o.mitigations]}, above.")], indent=5, after=0)
        elif o.mitigations:
            ways[o.mitigations] = mid_sentence(o.title)
            if lay.compact:
                lay.runs([("B", "Ways around it: "), ("", " ".join(o.mitigations))], indent=5, after=0)
                continue
            lay.room(10)
            lay.runs([("B", "Ways around it:")], indent=5, after=0)
            for m in o.mitigations:
                lay.item("\u2022", m, indent=6.5)
    if notes_left_out:
        lay.pdf.ln(0.8)
        lay.runs([("I", TERSE_NOTE)], after=0)


def _package(lay: _Layout, b: Brief) -> None:
    if not b.package:
        return
    lay.heading("A balanced package", need=24)
    for i, step in enumerate(b.package, 1):
        lay.item(f"{i}.", step, indent=1, after=0.2)
    if b.gaps:
        lay.runs([("B", "Still not covered: "), ("", ", ".join(b.gaps) + ".")], indent=1)
    else:
        lay.runs([("", "Everything you chose is covered by this package.")], indent=1)


def _plan(lay: _Layout, b: Brief) -> None:
    """The action plan's phases (an empty phase named once at the end), then its timeline."""
    if not b.phases:
        return
    lay.heading("Action plan", need=30)
    lay.runs([("", f"A plan for {b.plan_source} in three phases. {b.plan_note}")])
    empty = [f"{p.name} ({p.label})" for p in b.phases if not p.items]
    for p in b.phases:
        if not p.items:
            continue
        if lay.briefest:  # each phase's tools in one line
            lay.runs([("B", f"{p.name} ({p.label}): "), ("", join_words([t for t, _, _ in p.items]) + ".")], after=0.3)
            continue
        lay.runs([("B", f"{p.name} ({p.label})")], after=0.2)
        for title, why, watch in p.items:
            parts = [("B", f"{title}: "), ("", why)]
            if watch:  # the space ends the line before, should it break here
                parts = [("B", f"{title}: "), ("", why + " "), ("I", "Watch: "), ("", ", ".join(watch) + ".")]
            lay.runs(parts, indent=5, after=0.3)
    if empty:
        lay.runs([("B", join_words(empty) + ": "), ("", "nothing in this phase.")])
    if lay.briefest:
        lay.runs([("I", PLAN_NOTE)])
    lay.chart("timeline")


def _coverage(lay: _Layout, b: Brief) -> None:
    if not (b.coverage_line or "heatmap" in lay.pngs):
        return
    lay.heading("Coverage", need=20)
    if b.coverage_line:
        left_out = "" if "heatmap" in lay.pngs else " The grid of what each tool covers is in the HTML brief."
        lay.runs([("", b.coverage_line + left_out)])
    lay.chart("heatmap")


def _sources(lay: _Layout, sources: Sequence[Source]) -> None:
    """The numbered sources at 8 pt, run on across the page's width (one after another, as
    a reference list in a report), each link printed whole (as `paper_url` writes it) and
    clickable, broken only after a / ? & = - _ or . when it is longer than a line."""
    pdf, width = lay.pdf, lay.width
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

    lay.heading("Sources", need=min(len(lines), 3) * line_h + 2)
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
