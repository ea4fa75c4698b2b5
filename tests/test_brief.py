"""The brief (PDF and HTML), the data exports and scenario files (logic/brief/, logic/scenario_file.py), and
`python -m logic brief`."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
from pypdf import PdfReader

from logic.brief import (
    FORMATS,
    MAX_SCENARIO_BYTES,
    SCHEMA,
    brief_html,
    brief_pdf,
    default_title,
    file_name,
    load_scenario_file,
    make_brief,
    read_scenario_file,
    room_brief,
    scenario_json,
    scenario_link,
)
from logic.export import handout_markdown
from logic.rules import rank
from logic.scenario import Scenario

DAY = dt.date(2026, 11, 29)
FLOOD = {
    "goal": "reduce-flood-risk:3,protect-water",
    "face": "upfront-funding,staff-skills",
    "state": "NJ",
    "budget": "low",
}
WALK = {"goal": "walk-bike:3,safer-streets,all-ages:1", "setting": "suburban", "staff": "low", "horizon": "short"}
DOWNTOWN = {"goal": "revitalize-centers:3,grow-business,housing-choice", "state": "PA", "face": "public-opposition"}


def scenario(catalog, params: dict) -> Scenario:
    sc = Scenario.from_query(params, catalog)
    assert sc.notes == []
    return sc


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    """The PDF's text as one run, each page's footer ("... Page 1 of 2") taken out: a paragraph
    that a page break splits reads whole."""
    reader = PdfReader(io.BytesIO(data))
    lines = [x for page in reader.pages for x in page.extract_text().splitlines()]
    return reader, flat(" ".join(x for x in lines if not re.search(r"Page \d+ of \d+$", x)))


@pytest.fixture(scope="module")
def flood(catalog):
    sc = scenario(catalog, FLOOD)
    brief = make_brief(catalog, sc, link=scenario_link("http://localhost:8501/find", sc), top=5, today=DAY)
    return brief, brief_pdf(brief), brief_html(brief)


# ---------------------------------------------------------------- the PDF


def test_pdf_holds_the_goals_and_the_top_tools_on_two_pages(catalog, flood):
    brief, pdf, _ = flood
    reader, text = pdf_text(pdf)
    assert len(reader.pages) <= 2
    assert "Reduce flooding and stormwater damage (essential)" in text
    assert "Protect streams and water quality (important)" in text
    top = [r.title for r in rank(catalog, brief.scenario.profile) if r.recommended][:5]
    assert len(top) == 5
    for title in top:
        assert title in text
    assert reader.metadata.title == "Municipal Toolbox Navigator: November 29, 2026"


def test_pdf_links_are_clickable(flood):
    brief, pdf, _ = flood
    reader = PdfReader(io.BytesIO(pdf))
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    }
    assert brief.link in uris
    # each tool's sources, or its first few when all of them would run over two pages
    sources = {s.link for s in brief.sources}
    assert len(uris & sources) >= 10 and uris <= sources | {brief.link}


# ---------------------------------------------------------------- the HTML


class _Refs(HTMLParser):
    """Every src/href of a script, stylesheet, image, media or font, and the <a> targets."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.anchors: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.anchors.append(a.get("href") or "")
        elif tag in ("script", "link", "img", "source", "video", "audio", "iframe", "object", "embed", "use"):
            self.loaded += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "data", "xlink:href")]

    def handle_data(self, data):
        self.text.append(data)


def test_html_loads_nothing_from_the_network(flood):
    _, _, page = flood
    refs = _Refs()
    refs.feed(page)
    assert refs.scripts == 0
    assert refs.loaded and all(v.startswith("data:image/svg+xml;base64,") for v in refs.loaded)
    assert not re.search(r"url\(\s*['\"]?https?:", page)  # no CSS url() to the network (fonts, images)
    assert not re.search(r"@import", page)
    assert "default-src 'none'" in page  # and the page forbids any request it might still make
    assert any(h.startswith("http") for h in refs.anchors)  # links stay links the reader may follow


def test_html_holds_the_same_facts_as_the_pdf(flood):
    brief, pdf, page = flood
    refs = _Refs()
    refs.feed(page)
    html_text = flat(html.unescape(" ".join(refs.text)))
    _, text = pdf_text(pdf)
    missing_html = [f for f in brief.facts if flat(f) not in html_text]
    missing_pdf = [f for f in brief.facts if flat(f) not in text]
    # the PDF leaves out only sources, when all of them would run over two pages, and says so
    reader = PdfReader(io.BytesIO(pdf))
    uris = {a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots") or []}
    left_out = {s.label for s in brief.sources if s.link not in uris}
    assert missing_html == [] and set(missing_pdf) <= left_out
    assert not left_out or "more on its page in the navigator" in text
    assert len(brief.facts) > 40


def test_html_shows_a_short_link_and_a_qr_code_not_the_long_address(catalog, flood):
    """Issue 16: the reader sees "localhost:8501/find" and a QR code; the links still carry
    the whole address, and following one reopens the same scenario."""
    brief, _, page = flood
    assert len(brief.link) > 100  # the address that used to be printed whole
    refs = _Refs()
    refs.feed(page)
    visible = html.unescape(" ".join(refs.text))
    addresses = re.findall(r"(?:https?://)?[\w-]+(?:\.[\w-]+)*(?::\d+)?/\S+", visible)
    assert addresses and max(len(a) for a in addresses) <= 60, max(addresses, key=len)
    assert brief.link not in visible
    shown = re.search(r'<a href="([^"]+)"[^>]*>localhost:8501/find</a>', page)
    assert shown, "the short link is a link"
    href = html.unescape(shown[1])
    assert href == brief.link
    params = {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}
    again = Scenario.from_query(params, catalog)
    assert again.notes == [] and again.profile == brief.scenario.profile
    assert [r.slug for r in rank(catalog, again.profile)] == [r.slug for r in brief.ranked]
    qr = re.search(r'<img class="qr" src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert qr and b"<svg" in base64.b64decode(qr[1])


def test_html_escapes_what_the_title_says(catalog):
    brief = make_brief(catalog, scenario(catalog, FLOOD), title='<script>alert(1)</script> & "x"', today=DAY)
    page = brief_html(brief)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in page


def test_pdf_sets_a_title_with_an_emoji_without_question_marks(catalog):
    """The planner's title "🌊 Flood brief for Szőny" printed as "? Flood brief for Sz?ny"
    in the heading and the footer: a symbol the PDF's fonts lack is left out, a letter is set
    as its base letter; the "best for" goal keeps its capitals and quotes, as on the cards."""
    two = {"goal": "reduce-flood-risk:3,walk-bike:3", "state": "PA"}
    brief = make_brief(catalog, scenario(catalog, two), title="🌊 Flood brief for Szőny", today=DAY)
    _, text = pdf_text(brief_pdf(brief))
    assert "Flood brief for Szony" in text and "?" not in text.split("Flood brief")[0][-3:]
    assert "? Flood" not in text and "Sz?ny" not in text
    lead = next(t for t in brief.tools if t.leads_for)
    assert f"best for “{lead.leads_for}”" in text


# ---------------------------------------------------------------- the model


def test_brief_holds_what_the_issue_lists(catalog, flood):
    brief, _, _ = flood
    assert brief.title == default_title(DAY) == "Municipal Toolbox Navigator: November 29, 2026"
    assert [g for g, _ in brief.goals] == ["Reduce flooding and stormwater damage", "Protect streams and water quality"]
    assert ("State", "New Jersey") in brief.choices and ("Budget", "Low") in brief.choices
    first = brief.tools[0]
    assert first.fit_label and first.strength and first.reasons
    assert any(t.flags for t in brief.tools)
    assert all(o.mitigations for o in brief.obstacles)
    assert brief.package and brief.phases and brief.plan_source == "the balanced package"
    assert {c.name for c in brief.charts} == {"heatmap", "goals", "tags", "timeline"}
    cited = {s.link for t in brief.tools for s in t.case_studies + t.ordinances}
    listed = {
        link.link for t in brief.tools for link in catalog.tools[t.slug].who_has_used + catalog.tools[t.slug].guidelines
    }
    assert cited == listed and len(brief.sources) == len(cited)
    assert brief.link.startswith("http://localhost:8501/find?goal=reduce-flood-risk")
    assert brief.edition == catalog.edition and catalog.version in brief.edition


def test_the_brief_and_the_handout_list_the_same_choices(catalog):
    """What was asked is worded once: the brief's lines and the handout's are the same, for a
    town that chose a goal, a sentence, a focus area, a principle and constraints of each kind."""
    params = {
        **FLOOD,
        "about": "A river borough whose Main Street floods",
        "focus": "Environment",
        "principle": "Resiliency",
        "setting": "suburban",
        "have": "stormwatermanagement",
    }
    sc = scenario(catalog, params)
    brief = make_brief(catalog, sc, top=3, today=DAY)
    handout = handout_markdown(catalog, sc.profile, rank(catalog, sc.profile))
    lines = ["Goals: " + "; ".join(f"{n} ({imp.lower()})" for n, imp in brief.goals)]
    lines += [f"{label}: {value}" for label, value in brief.choices]
    assert len(lines) >= 9 and "The town in a sentence: A river borough whose Main Street floods" in lines
    for line in lines:
        assert f"- {line}" in handout.splitlines()


def test_a_shortlist_is_what_the_brief_plans(catalog):
    sc = scenario(catalog, {**FLOOD, "shortlist": "stormwaterfees,floodplainordinances"})
    brief = make_brief(catalog, sc, today=DAY)
    assert brief.plan_source == "your shortlist"
    assert {i[0] for p in brief.phases for i in p.items} == {"Stormwater Fees", "Floodplain Ordinances"}


def test_the_brief_grid_numbers_tools_as_their_entries_do(catalog):
    """Tools level on every count share a rank ("=2") in the brief's entries and in its grid."""
    brief = make_brief(catalog, scenario(catalog, {"goal": "manage-traffic:3"}), today=DAY)
    assert [t.position for t in brief.tools][:3] == ["1", "=2", "=2"]
    grid = next(c for c in brief.charts if c.name == "heatmap").spec
    rows = [label.replace("|", " ") for label in grid["layer"][0]["encoding"]["y"]["sort"]]
    assert rows == [f"{t.position}. {t.title}" for t in brief.tools]


def test_room_brief_lists_the_ballot_with_the_dots_beside_the_order(catalog):
    ballot = ["visionzero", "completestreets", "officialmap"]
    brief = room_brief(
        catalog, {"goal": "walk-bike"}, {"officialmap": 9, "visionzero": 1}, ballot, None, "http://x.test/find", "ABCD"
    )
    assert {t.slug for t in brief.tools} == set(ballot)
    assert brief.room and "room=ABCD" in brief.link
    votes = {t.slug: t.votes for t in brief.tools}
    assert votes["officialmap"] == 9 and votes["completestreets"] == 0
    html = brief_html(brief)
    assert "Top 3 recommendations, with the room&#x27;s dots" in html
    # the dots sit beside the fit, as on /find: the handout does not say they ranked the tools
    assert "do not change its score" in brief.summary and "factor" not in html
    plain = room_brief(catalog, {"goal": "walk-bike"}, {}, ballot)
    assert [t.slug for t in plain.tools] == [t.slug for t in brief.tools]  # the same order without the votes


# ---------------------------------------------------------------- scenario files


@pytest.mark.parametrize(
    "params",
    [FLOOD, WALK, DOWNTOWN, {**WALK, "shortlist": "visionzero,completestreets", "have": "officialmap"}],
    ids=["flood", "walk", "downtown", "shortlist-and-have"],
)
def test_scenario_file_round_trip_gives_the_identical_ranking(catalog, params):
    sc = scenario(catalog, params)
    data = scenario_json(make_brief(catalog, sc, title="Round trip", today=DAY), catalog).encode("utf-8")
    doc = json.loads(data)
    assert doc["schema"] == SCHEMA and doc["version"] == 1 and doc["title"] == "Round trip"
    back, message = load_scenario_file(data, catalog)
    assert back is not None, message
    assert back.profile == sc.profile and back.shortlist == sc.shortlist
    before = [(r.slug, r.score, r.fit) for r in rank(catalog, sc.profile)]
    assert [(r.slug, r.score, r.fit) for r in rank(catalog, back.profile)] == before
    assert "loaded" in message and read_scenario_file(data, catalog).title == "Round trip"


def test_a_loaded_file_says_what_it_holds_in_plain_english(catalog):
    one = json.dumps(
        {
            "schema": SCHEMA,
            "version": 1,
            "title": "River town",
            "scenario": {"goal": "reduce-flood-risk:3", "state": "NJ"},
        }
    ).encode()
    assert load_scenario_file(one, catalog)[1] == "Scenario 'River town' loaded: 1 goal, 1 constraint."
    two = json.dumps({"schema": SCHEMA, "version": 1, "scenario": {"goal": "walk-bike,housing-choice"}}).encode()
    assert load_scenario_file(two, catalog)[1] == "Scenario loaded: 2 goals, 0 constraints."


def _file(**changes) -> bytes:
    doc = {"schema": SCHEMA, "version": 1, "title": "t", "scenario": {"goal": "walk-bike"}}
    doc.update(changes)
    return json.dumps(doc).encode()


BAD_FILES = [
    pytest.param(b'{"schema": "toolbox-scenario", "version": 1,', "not valid JSON", id="invalid-json"),
    pytest.param(b"\xff\xfe\x00garbage", "not text", id="not-utf8"),
    pytest.param(b"[" * 50_000 + b"]" * 50_000, "not valid JSON", id="deeply-nested"),
    pytest.param(json.dumps({"goal": "walk-bike"}).encode(), "not a scenario file", id="no-schema"),
    pytest.param(_file(version=2), "version 2; this navigator reads version 1", id="another-version"),
    pytest.param(_file(version="1"), 'version "1"', id="version-as-text"),
    pytest.param(_file(scenario={"goal": "walk-bike,teleport"}), "unknown goal 'teleport'", id="unknown-goal"),
    pytest.param(
        _file(scenario={"goal": "walk-bike", "shortlist": "visionzero,nosuchtool"}),
        "'nosuchtool'",
        id="unknown-tool",
    ),
    pytest.param(_file(scenario={"goal": "walk-bike", "have": "nosuchtool"}), "nosuchtool", id="unknown-tool-in-place"),
    pytest.param(
        _file(scenario={"goal": "walk-bike", "teleport": "yes"}), "unknown field 'teleport'", id="unknown-field"
    ),
    pytest.param(_file(scenario={"goal": 3}), "goal must be text", id="not-text"),
    pytest.param(
        _file(scenario={"goal": "fly,swim", "state": "ZZ"}),
        "goal='fly': unknown goal 'fly'; goal='swim': unknown goal 'swim'; valid: ",
        id="several-unknown-goals",
    ),
    pytest.param(
        _file(scenario={"goal": ",".join(f"x{i}" for i in range(30))}), "30 unknown values of goal=", id="many-unknown"
    ),
    pytest.param(_file(scenario="goal=walk-bike"), 'no "scenario" object', id="scenario-not-object"),
    pytest.param(_file(padding="x" * MAX_SCENARIO_BYTES), "at most 100 KB", id="over-100-kb"),
]


@pytest.mark.parametrize(("data", "expected"), BAD_FILES)
def test_a_bad_scenario_file_gets_a_clear_message_and_no_scenario(catalog, data, expected):
    back, message = load_scenario_file(data, catalog)
    assert back is None
    assert expected in message, message
    assert message.endswith(".") and "Traceback" not in message
    assert "address" not in message  # the values came from the file
    assert message.count("valid: reduce-flood-risk") <= 1  # the goals' list once, not once a bad value


def test_a_file_from_another_catalog_edition_loads_with_a_note(catalog):
    data = _file(catalog={"version": "2020.1", "date": "2020-01-01", "fingerprint": "000000000000"})
    back, message = load_scenario_file(data, catalog)
    assert back is not None and "made with catalog 2020.1" in message


# ---------------------------------------------------------------- the command line


PROFILE = ["--goal", "reduce-flood-risk:3", "--goal", "protect-water", "--face", "upfront-funding", "--state", "NJ"]


def test_cli_writes_each_format(tmp_path, catalog, logic_cli):
    outs = {fmt: tmp_path / f"b.{fmt}" for fmt in FORMATS}
    for fmt, out in outs.items():
        done = logic_cli("brief", *PROFILE, "--title", "Flood brief", "--format", fmt, "--output", out)
        assert done.returncode == 0, done.stderr
        assert f"wrote {out}" in done.stderr
        assert out.stat().st_size > 0
    reader, text = pdf_text(outs["pdf"].read_bytes())
    assert len(reader.pages) <= 2 and "Flood brief" in text and "Stormwater Management" in text
    assert "<h1>Flood brief</h1>" in outs["html"].read_text(encoding="utf-8")
    assert outs["md"].read_text(encoding="utf-8").startswith("# Flood brief\n")
    assert (
        outs["csv"].read_text(encoding="utf-8").startswith("rank,tool,slug,score,fit,strength,reasons,flags,plan phase")
    )
    back, _ = load_scenario_file(outs["json"].read_bytes(), catalog)
    assert back is not None and back.profile.goals == {"reduce-flood-risk": 3, "protect-water": 2}
    assert back.profile.state == "NJ"


def test_cli_tools_become_the_planned_shortlist(tmp_path, logic_cli):
    out = tmp_path / "s.json"
    done = logic_cli(
        "brief", *PROFILE, "--tools", "stormwaterfees,floodplainordinances", "--format", "json", "--output", out
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["scenario"]["shortlist"] == "stormwaterfees,floodplainordinances"


def test_cli_names_the_file_after_the_title_when_no_output_is_given(tmp_path, monkeypatch, capsys):
    from logic.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["brief", *PROFILE, "--title", "Flood brief: Oakdale", "--format", "json"]) == 0
    name = f"flood-brief-oakdale-scenario-{dt.date.today().isoformat()}.json"
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert f"wrote {name}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("title", "fmt", "name"),
    [
        ("Rural township workshop", "pdf", "rural-township-workshop-2026-12-04.pdf"),
        ("Rural township workshop", "html", "rural-township-workshop-2026-12-04.html"),
        ("Rural township workshop", "csv", "rural-township-workshop-results-2026-12-04.csv"),
        ("Rural township workshop", "md", "rural-township-workshop-handout-2026-12-04.md"),
        ("Rural township workshop", "json", "rural-township-workshop-scenario-2026-12-04.json"),
        ("Oakdale: Flood & Farmland, 2026-12-04", "pdf", "oakdale-flood-and-farmland-2026-12-04.pdf"),
        ("Café Élan / ../../etc/passwd", "pdf", "cafe-elan-etc-passwd-2026-12-04.pdf"),
        ("", "pdf", "toolbox-brief-2026-12-04.pdf"),
        ("?!", "csv", "toolbox-results-2026-12-04.csv"),
        ("Municipal Toolbox Navigator: November 29, 2026", "pdf", "toolbox-brief-2026-12-04.pdf"),
        ("x" * 200, "pdf", "x" * 60 + "-2026-12-04.pdf"),
    ],
)
def test_files_are_named_after_the_title_and_date(title, fmt, name):
    assert file_name(title, fmt, dt.date(2026, 12, 4)) == name


def test_a_long_title_is_cut_at_a_word_in_the_file_name():
    title = "Oakdale township flood and farmland workshop for the board of supervisors, December session"
    name = file_name(title, "pdf", dt.date(2026, 12, 4))
    assert name == "oakdale-township-flood-and-farmland-workshop-for-the-board-2026-12-04.pdf"
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", name)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--goal", "walk-bike", "--format", "doc", "--output", "x.doc"], "unknown format 'doc'"),
        (["--goal", "teleport", "--format", "pdf", "--output", "x.pdf"], "unknown goal 'teleport'"),
        (["--goal", "walk-bike", "--tools", "nosuchtool", "--format", "pdf", "--output", "x.pdf"], "nosuchtool"),
        (["--goal", "walk-bike"], "--format"),
        (["--goal", "walk-bike", "--format", "pdf", "--output", "x.pdf", "--colour", "red"], "--colour"),
        (["--goal", "walk-bike", "--format", "pdf", "--output", "/no/such/folder/x.pdf"], "/no/such/folder"),
        (["--goal", "walk-bike", "--format", "pdf", "--output", "x.pdf", "--url", "javascript:alert(1)"], "--url"),
        (["--goal", "walk-bike", "--format", "pdf", "--output", "x.pdf", "--top", "0"], "--top"),
        (["--format", "pdf", "--output", "x.pdf"], "give --goal"),
    ],
)
def test_cli_bad_options_exit_2_naming_them(tmp_path, monkeypatch, args, named, logic_cli):
    monkeypatch.chdir(tmp_path)
    done = logic_cli("brief", *args)
    assert done.returncode == 2, done.stderr
    assert named in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_tool_that_does_not_suit_the_setting_shows_no_fit_score_anywhere(catalog, logic_cli):
    """Its score is capped below every fit, so '39 of 100' under weak fits at 7 read as the
    better fit: like the card, the brief, the handout and the CLI say it has no fit score."""
    params = {"goal": "transit-access:3,guide-growth:2", "setting": "rural", "state": "PA"}
    sc = scenario(catalog, params)
    recs = [r for r in rank(catalog, sc.profile) if r.recommended]
    unsuited = [r for r in recs if r.fit == "unsuited"]
    fits = [r for r in recs if r.fit != "unsuited"]
    assert unsuited and fits
    brief = make_brief(catalog, sc, top=len(recs), today=DAY)
    page = brief_html(brief)
    articles = {a.split("</h3>")[0]: a for a in page.split('<article class="tool">')[1:]}
    for r in recs:
        (body,) = [a for head, a in articles.items() if head.endswith(f". {html.escape(r.title)}")]
        fit_line = body.split('<p class="fit">')[1].split("</p>")[0]
        if r.fit == "unsuited":
            assert "no fit score" in fit_line and "of 100" not in fit_line, fit_line
        else:
            assert f"score {r.score} of 100" in fit_line, fit_line
    _, text = pdf_text(brief_pdf(brief))
    assert text.count("no fit score") == len(unsuited)
    assert text.count(" of 100") == len(fits)
    handout = handout_markdown(catalog, sc.profile, recs, top=len(recs))
    for r in unsuited:
        assert "**: not for your setting, no fit score" in handout.split(r.title)[1].split("\n")[0]
    out = logic_cli("recommend", *[f"--{k}={v}" for k, v in params.items()], "--top", str(len(recs)))
    listed = [line for line in out.stdout.splitlines() if line.strip().split(" ")[0].rstrip(".").lstrip("=").isdigit()]
    assert [line.split()[1:3] for line in listed if "unsuited" in line] == [["-", "unsuited"]] * len(unsuited)
