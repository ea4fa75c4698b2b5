"""The PDF brief read back (pypdf) and rendered (pdftoppm): a take-home a council accepts.

Two Letter pages for a top 5; body text at 10 pt or more, sources and the page footer at
8 pt or more; one line on what each tool is; each obstacle stated once with its ways around
it; a QR code and a short link instead of the scenario's long address; every source link
printed whole."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from html import escape
from urllib.parse import urlparse

import pytest
from pypdf import PdfReader

from logic.brief import brief_html, brief_pdf, make_brief, obstacles, paper_url, scenario_link, short_link
from logic.brief.pdf import PLAN_NOTE, TERSE_NOTE
from logic.model import Catalog
from logic.scenario import Scenario
from logic.text import join_words, sections

DAY = dt.date(2026, 12, 4)
PT_PER_MM = 72 / 25.4
SCENARIOS = {
    # the walk-through's rural Pennsylvania workshop and New Jersey borough
    "pa-workshop": {
        "goal": "reduce-flood-risk,conserve-land",
        "state": "PA",
        "budget": "low",
        "staff": "low",
        "setting": "rural",
    },
    "nj-borough": {
        "goal": "housing-choice,revitalize-centers",
        "face": "public-opposition",
        "have": "completestreets",
        "state": "NJ",
    },
    "flood": {"goal": "reduce-flood-risk:3,protect-water", "face": "upfront-funding,staff-skills", "state": "NJ"},
    "walk-bike": {"goal": "walk-bike:3,safer-streets,all-ages:1", "setting": "suburban", "staff": "low"},
    "downtown": {"goal": "revitalize-centers:3,grow-business,housing-choice", "state": "PA"},
    "digital": {"goal": "digital-access"},
    # a weak-market city: three goals, two challenges, a low budget; fits two pages only compact
    "weak-market": {
        "goal": "revitalize-centers:3,housing-choice:2,grow-business:2",
        "state": "PA",
        "setting": "urban",
        "budget": "low",
        "staff": "medium",
        "horizon": "long",
        "face": "market-dependence,upfront-funding",
    },
    # a main-street borough short of money and staff: two pages only without the tools' own notes
    "main-street": {
        "goal": "revitalize-centers:3,historic-character:2,grow-business:2",
        "state": "PA",
        "setting": "suburban",
        "budget": "low",
        "staff": "low",
        "horizon": "medium",
        "face": "staff-skills,ongoing-costs",
    },
}
# the same borough in a city with a short horizon: five obstacles' ways around; two pages
# only with the plan's phases in one line each
THIN_BOROUGH = {**SCENARIOS["main-street"], "setting": "urban", "horizon": "short"}
# a rural New Jersey township at the edge of a military base with two essential goals and three
# challenges (an evaluation town): past two pages whatever is cut
OVER_TWO = {
    "goal": "guide-growth:3,conserve-land:3",
    "state": "NJ",
    "setting": "rural",
    "budget": "low",
    "staff": "low",
    "horizon": "long",
    "face": "cross-boundary,legal-authority,market-dependence",
    "have": "agriculturalzoning,floodplainordinances,right-to-farmprovisions,stormwatermanagement",
}
# the walk-through's address was 250 characters long, on a hosted app
HOST = "https://municipal-toolbox-navigator.streamlit.app/find"


def brief_of(catalog: Catalog, params: dict, title: str = "Rural township workshop"):
    sc = Scenario.from_query(params, catalog)
    assert sc.notes == []
    return make_brief(catalog, sc, title, scenario_link(HOST, sc), top=5, today=DAY)


@pytest.fixture(scope="module")
def pdfs(catalog):
    """(brief, PDF bytes) of each scenario, made once."""
    out = {}
    for name, params in SCENARIOS.items():
        brief = brief_of(catalog, params)
        out[name] = (brief, brief_pdf(brief))
    return out


def text_runs(data: bytes) -> list[tuple[int, float, float, str]]:
    """(page, font size in pt, baseline height above the page's foot in mm, text) of every run."""
    runs = []
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages):

        def visit(text, cm, tm, font, size, n=n):
            if text.strip():
                scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
                y = (tm[5] * cm[3] + cm[5]) / PT_PER_MM
                runs.append((n, round(size * scale, 2), y, text))

        page.extract_text(visitor_text=visit)
    return runs


def flat(data: bytes) -> str:
    """The PDF's text with every space and line break taken out: a link broken over two
    lines reads whole here, one cut short or with a character lost does not."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def reading_text(data: bytes) -> str:
    """The brief's words in reading order, whitespace collapsed, without each page's footer:
    a page break may fall inside a sentence, which then reads whole."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        body, footer = page.extract_text().rsplit("\n", 1)
        assert re.search(r"Page \d+ of \d+$", footer), footer
        pages.append(body)
    return " ".join(" ".join(pages).split())


def link_annotations(data: bytes) -> list[tuple[int, list[float], str]]:
    """(page, rectangle in pt, URI) of every link."""
    out = []
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if "/A" in annot and "/URI" in annot["/A"]:
                out.append((n, [float(v) for v in annot["/Rect"]], str(annot["/A"]["/URI"])))
    return out


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_top_5_fits_two_letter_pages(pdfs, name):
    brief, data = pdfs[name]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 2
    for page in reader.pages:  # US Letter: 8.5 x 11 in
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    text = flat(data)
    for t in brief.tools:  # numbered as /find numbers them: "=2" for two tools level on every count
        assert t.position and "".join(f"{t.position}. {t.title}".split()) in text


def test_the_charts_go_in_where_they_fit_on_two_pages(pdfs):
    """The coverage grid and the plan's timeline go in where they fit: a many-goal brief's text fills
    its two pages, a one-goal brief has room for both (TIMELINE_WIDTH and HEATMAP_WIDTH size them)."""
    _, data = pdfs["digital"]
    reader = PdfReader(io.BytesIO(data))
    images = [img for page in reader.pages for img in page.images]
    assert len(reader.pages) <= 2 and len(images) == 2  # coverage grid and timeline
    assert all(img.image.width > 300 for img in images)  # real charts, not placeholders


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_pdf_without_the_coverage_grid_says_where_it_is(pdfs, name):
    """The PDF leaves the grid out where it does not fit on two pages; then its coverage line says
    the HTML brief has it (the walk-through read "with the coverage charts" and found none)."""
    _, data = pdfs[name]
    text = flat(data)
    grid_in = "Whateachofthetoptoolscovers" in text  # the grid's title, spaces out as `flat` reads it
    assert ("ThegridofwhateachtoolcoversisintheHTMLbrief." in text) is not grid_in


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_body_text_is_10_pt_or_more_and_sources_8_pt_or_more(pdfs, name):
    _, data = pdfs[name]
    runs = text_runs(data)
    assert runs
    heading = [(page, y) for page, _, y, text in runs if text.strip() == "Sources"]
    assert len(heading) == 1
    src_page, src_y = heading[0]
    footer = [r for r in runs if r[2] < 11]  # the page footer: title, edition, page number
    assert len(footer) >= 2 and all(size >= 8 for _, size, _, _ in footer)
    sources = [r for r in runs if r[0] == src_page and 11 <= r[2] < src_y]
    assert sources and all(size >= 8 for _, size, _, _ in sources)
    body = [r for r in runs if r not in footer and r not in sources]
    small = sorted({(size, text) for _, size, _, text in body if size < 10})
    assert small == [], small[:5]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_link_is_cut(pdfs, name):
    brief, data = pdfs[name]
    text = flat(data)
    assert "\u2026" not in text and "..." not in text
    uris = {uri for _, _, uri in link_annotations(data)}
    cited = re.findall(r"\[(\d+)\]", text)
    assert cited, "the tools cite their sources"
    printed = 0
    for src in brief.sources:
        url = paper_url(src.link)
        if src.link in uris:  # cited on paper (a tool cites at most a few when all would run over)
            assert "".join(url.split()) in text, url
            printed += 1
    assert printed >= min(len(brief.sources), 5)
    # the long address is not printed (so never split mid "%2C"): a short link and a QR code open it
    query = urlparse(brief.link).query
    assert query and query not in text and "%2C" not in text and "?goal=" not in text
    assert short_link(brief.link) == "municipal-toolbox-navigator.streamlit.app/find"
    assert short_link(brief.link) in text
    assert brief.link in uris


def test_the_qr_code_sits_top_right_of_page_one_and_opens_the_scenario(pdfs):
    brief, data = pdfs["pa-workshop"]
    squares = [
        rect
        for page, rect, uri in link_annotations(data)
        if page == 0 and uri == brief.link and abs((rect[2] - rect[0]) - (rect[3] - rect[1])) < 1
    ]
    assert len(squares) == 1
    x0, y0, x1, y1 = squares[0]
    assert 20 <= (x1 - x0) / PT_PER_MM <= 30  # mm: scannable from paper
    assert x0 > 612 / 2 and y0 > 792 * 0.8  # top right


def test_each_tool_has_one_line_on_what_it_is_in_the_catalogs_words(catalog, pdfs):
    brief, data = pdfs["pa-workshop"]
    text = flat(data)
    for t in brief.tools:
        first = " ".join(sections(catalog.tools[t.slug].body)["What it is"].split())
        assert t.what and first.startswith(t.what) and t.what.endswith(".")
        assert "".join(t.what.split()) in text


def test_each_obstacle_is_stated_once_with_its_ways_around_it(pdfs):
    brief, data = pdfs["pa-workshop"]
    text = reading_text(data)
    staff = [o for o in brief.obstacles if o.title == "Staff effort above your capacity"]
    assert staff and len(staff[0].tools) == 5  # every top tool: the walk-through saw it five times
    assert text.count("Needs medium staff effort; your staff capacity is low.") == 1
    assert text.count("Staff effort above your capacity") == 1
    assert text.count("Watch out") == 0
    for o in brief.obstacles:
        for way in o.mitigations:
            assert text.count(" ".join(way.split())) == 1, way


def test_a_tools_note_is_printed_once_when_the_town_is_low_on_staff_and_faces_staff_skills(catalog):
    """The walk-through's workshop, also facing staff skills: each tool's note on it was
    printed under both "Staff effort above your capacity" and "Staff time and data skills"."""
    brief = brief_of(catalog, {**SCENARIOS["pa-workshop"], "face": "staff-skills"})
    text = reading_text(brief_pdf(brief))
    faced = catalog.challenge_name("staff-skills")
    notes = {
        catalog.tools[t.slug].challenge_note("staff-skills")
        for t in brief.tools
        if any(f.title == faced for f in t.flags)
    }
    assert notes, "the scenario's top tools run into staff skills"
    for note in notes:
        first = " ".join(note.split()[:8])  # the start of the note: a page break may fall later in it
        assert text.count(first) == 1, note


def test_obstacles_group_a_shared_message_and_keep_each_tools_note(catalog):
    brief = brief_of(catalog, SCENARIOS["pa-workshop"])
    staff = next(o for o in obstacles(brief.tools) if o.title == "Staff effort above your capacity")
    shared = [(text, who) for text, who in staff.details if len(who) > 1]
    assert shared == [("Needs medium staff effort; your staff capacity is low.", staff.tools)]
    notes = {who: text for text, who in staff.details if len(who) == 1}
    flagged = {t.title: f.note for t in brief.tools for f in t.flags if f.title == staff.title and f.note}
    assert notes == {(title,): note for title, note in flagged.items()}


def test_a_brief_short_of_room_drops_repeats_before_sources(catalog, pdfs):
    """Two pages for a constrained town: each tool's count of what stands in its way goes (the
    obstacles section names the tools) and the ways around run on in a paragraph, before any
    tool cites fewer sources; the HTML brief keeps the count."""
    brief, data = pdfs["weak-market"]
    text = reading_text(data)
    counted = [t.in_the_way for t in brief.tools if "may stand in the way" in t.in_the_way]
    assert counted and len(PdfReader(io.BytesIO(data)).pages) == 2
    assert not any(c in text for c in counted)
    assert all(c in brief_html(brief) for c in counted)
    assert "\u2022" not in text and "Ways around it: " in text
    assert TERSE_NOTE not in text  # each tool's own note is cut only when nothing else makes it fit


def test_a_brief_still_over_leaves_each_tools_own_notes_to_the_html_and_fits_two_pages(pdfs):
    """The last cut before a third page: what an obstacle in front of several tools says of
    one of them alone goes (the PDF says where it is), and each tool's line on the goals it
    does not serve, after every tool cites one source of each kind; the obstacles, what the
    tools share and the ways around stay."""
    brief, data = pdfs["main-street"]
    text = reading_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert TERSE_NOTE in text and "more on its page in the navigator" in text
    own = [x for o in brief.obstacles for x, who in o.details if len(who) == 1 < len(o.tools)]
    shared = [x for o in brief.obstacles for x, who in o.details if len(who) > 1]
    assert own and shared
    html = " ".join(brief_html(brief).split())
    for note in own:
        start = " ".join(note.split()[:8])
        assert start not in text and escape(start) in html, note
    assert all(x in text for x in shared)
    # each tool's line on the goals it does not serve goes too; the HTML keeps it
    unserved = [t.unserved for t in brief.tools if t.unserved]
    assert unserved and not any(x in text for x in unserved) and all(escape(x) in html for x in unserved)
    for o in brief.obstacles:
        assert o.title in text
        assert all(" ".join(way.split()[:4]) in text for way in o.mitigations)  # a page break may fall later


def test_the_last_cut_names_each_phases_tools_in_one_line_and_fits_two_pages(catalog):
    """35 of the 330 evaluation towns' briefs ran to a third page with every cut made; the
    last cut before one names each phase's tools in a line (why each starts there, and what
    to watch, stay in the HTML brief, as the PDF says): 17 still do."""
    brief = brief_of(catalog, THIN_BOROUGH)
    data = brief_pdf(brief)
    text = reading_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert PLAN_NOTE in text and TERSE_NOTE in text
    html = " ".join(brief_html(brief).split())
    for p in brief.phases:
        if p.items:
            names = join_words([t for t, _, _ in p.items])
            assert f"{p.name} ({p.label}): {names}." in text, p.name
            for _, why, _ in p.items:
                assert " ".join(why.split()[:8]) not in text and escape(" ".join(why.split()[:8])) in html


def test_a_brief_over_two_pages_keeps_every_source_and_the_grid(catalog):
    brief = brief_of(catalog, OVER_TWO)
    data = brief_pdf(brief)
    text = reading_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 3
    assert "What each of the top tools covers" in text and "in the HTML brief" not in text
    assert "more on its page in the navigator" not in text
    cited = {s.link for t in brief.tools for s in (*t.case_studies, *t.ordinances)}
    assert {uri for _, _, uri in link_annotations(data)} >= cited


def test_a_long_ballot_takes_the_pages_it_needs_at_the_same_sizes(catalog):
    sc = Scenario.from_query(SCENARIOS["downtown"], catalog)
    brief = make_brief(catalog, sc, "Ten tools", scenario_link(HOST, sc), top=10, today=DAY)
    data = brief_pdf(brief)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert min(size for _, size, _, _ in text_runs(data)) >= 8


# ---------------------------------------------------------------- the pages as images


def pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing (apt-get install poppler-utils)")
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    return path


@pytest.mark.parametrize("name", ["pa-workshop", "walk-bike", "digital", "main-street"])
def test_rendered_pages_keep_everything_inside_the_margins(pdfs, name, tmp_path):
    """Each page rendered at 50 dpi: nothing drawn in the outer 9 mm (text or a chart run off
    the page would be), and each page carries ink; every page but the last is filled at least
    halfway down (a list item's marker once pushed alone onto a page of its own)."""
    from PIL import Image

    _, data = pdfs[name]
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(data)
    subprocess.run([pdftoppm(), "-r", "50", "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages)
    band = round(9 / 25.4 * 50)
    for path in pages:
        img = Image.open(path).convert("L")
        w, h = img.size
        assert (w, h) == (425, 550)
        for box in ((0, 0, band, h), (w - band, 0, w, h), (0, 0, w, band // 2), (0, h - band // 2, w, h)):
            assert img.crop(box).getextrema()[0] > 200, (path.name, box)  # nothing dark there
        assert img.getextrema()[0] < 50  # text on the page
        if path != pages[-1]:
            body = img.crop((0, 0, w, h - round(14 / 25.4 * 50)))  # above the footer
            ink = body.point(lambda v: 255 if v < 128 else 0).getbbox()
            assert ink and ink[3] > h / 2, (path.name, ink)
