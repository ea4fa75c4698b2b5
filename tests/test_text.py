"""Only http(s) and mailto links render; content markup is shown, never run."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from logic.text import (
    body_warnings,
    css_string,
    escape_md,
    is_safe_link,
    join_words,
    md_link,
    mid_sentence,
    safe_markdown,
    slug_key,
    summary,
)

# How Streamlit reads what we give it: CommonMark + GFM tables and strikethrough, plus
# GFM "autolink literals" (bare http://, www. and e-mail addresses in text become links,
# after escapes are read), which markdown-it only does with a plugin: checked by pattern.
_READER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_READER.validateLink = lambda url: True  # see every link a renderer could make, whatever its target
_AUTOLINK_LITERAL = re.compile(r"https?://|www\.|[\w.+-]@[\w-]+\.", re.I)


def rendered(markdown: str) -> dict[str, list[str]]:
    """What a reader of `markdown` gets: link targets, images, raw HTML, and the
    plain text that a GFM renderer would still turn into links."""
    out: dict[str, list[str]] = {"links": [], "images": [], "html": [], "live_text": [], "text": []}
    for node in SyntaxTreeNode(_READER.parse(markdown)).walk():
        if node.type == "link":
            out["links"].append(str(node.attrs["href"]))
        elif node.type == "image":
            out["images"].append(str(node.attrs["src"]))
        elif node.type in ("html_inline", "html_block"):
            out["html"].append(node.content)
        elif node.type in ("code_inline", "fence", "code_block"):
            out["text"].append(node.content)
        elif node.type == "text":
            out["text"].append(node.content)
            if node.parent is None or node.parent.type != "link":
                out["live_text"] += _AUTOLINK_LITERAL.findall(node.content)
    return out


@pytest.mark.parametrize(
    "url", ["https://dvrpc.org/x", "http://a.b/c?d=e#f", "mailto:planner@town.gov", "https://x.org/a b.pdf"]
)
def test_safe_links(url):
    assert is_safe_link(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "ftp://x.org",
        "file:///etc/passwd",
        "//evil.org",
        "https://",
        "",
        None,
        5,
        'https://x.org/"onmouseover',
    ],
)
def test_unsafe_links(url):
    assert not is_safe_link(url)


def test_unsafe_link_renders_as_plain_text():
    assert md_link("Click", "javascript:alert(1)") == "Click"
    assert md_link("Plan (2020)", "https://x.org/a b(1)") == "[Plan \\(2020\\)](https://x.org/a%20b%281%29)"


def test_safe_markdown_escapes_html_and_neutralises_bad_links():
    out = safe_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://ok.org) ![img](https://x.org/i.png)"
    )
    assert "<script>alert(1)</script>" in "".join(rendered(out)["text"])
    assert "javascript:" not in out
    assert rendered(out)["links"] == ["https://ok.org", "https://x.org/i.png"]
    assert rendered(out)["images"] == [] and rendered(out)["html"] == []


@given(st.text())
def test_escaped_text_contains_no_live_markup(text):
    out = escape_md(text)
    assert "<" not in out.replace("\\<", "")
    assert "](" not in out.replace("\\]\\(", "")


def test_summary_is_the_first_sentence_of_what_it_is():
    body = "## What it is\nA rule for trees. More text.\n\n## When it fits\nAlways."
    assert summary(body) == "A rule for trees."
    assert summary("Plain body without headings. Second.") == "Plain body without headings."


BODY_CASES = [
    # (body, links a reader gets, text the reader must see)
    (
        "[Vision Zero](https://en.wikipedia.org/wiki/Vision_Zero_(policy)) works",
        ["https://en.wikipedia.org/wiki/Vision_Zero_(policy)"],
        "Vision Zero",
    ),
    ("See [the plan][p].\n\n[p]: https://dvrpc.org/plan", ["https://dvrpc.org/plan"], "the plan"),
    ("Go [here][x].\n\n[x]: javascript:alert(1)", [], "here"),
    ("Go [here][x].\n\n[x]: data:text/html;base64,PHNjcmlwdD4=", [], "here"),
    ("[click](data:text/html,<script>alert(1)</script>)", [], "click"),
    ("[click](JavaScript:alert(1))", [], "click"),
    ("[click](java&#09;script:alert(1))", [], "click"),
    ("[rel](other-page) and [ftp](ftp://x.org/f)", [], "rel and ftp"),
    ("![logo](https://evil.example/i.png 'single quoted')", ["https://evil.example/i.png"], "Image: logo"),
    ('![logo](https://evil.example/i.png "double")', ["https://evil.example/i.png"], "Image: logo"),
    ("![pixel][img]\n\n[img]: https://evil.example/p.gif", ["https://evil.example/p.gif"], "Image: pixel"),
    ("![x](data:image/png;base64,iVBORw0KGgo=)", [], "Image: x"),
    ("[![badge](https://evil.example/b.png)](https://ok.org/)", ["https://ok.org/"], "Image: badge"),
    ("<https://dvrpc.org/> and <planner@town.gov>", ["https://dvrpc.org/", "mailto:planner@town.gov"], "and"),
    ("<img src=https://evil.example/i.png onerror=alert(1)> <b>bold</b>", [], "<b>bold</b>"),
    ("<div>\n<script>alert(1)</script>\n</div>", [], "<script>alert(1)</script>"),
    ('[x](<https://x.org/a b>) [y](https://x.org/a%20b "t")', ["https://x.org/a%20b", "https://x.org/a%20b"], "x y"),
    ("Visit https://evil.example/phish or www.evil.example or boss@evil.example", [], "https://evil.example/phish"),
    ("[https://evil.example/phish](javascript:alert(1))", [], "https://evil.example/phish"),
    ("`[code](javascript:x)` and\n\n    <indented code>", [], "[code](javascript:x)"),
    (":material/warning: :red[red] $x^2$ &amp; \\*", [], ":material/warning: :red[red] $x^2$ & *"),
]


@pytest.mark.parametrize("body,links,text", BODY_CASES)
def test_safe_markdown_keeps_only_allowed_links_and_shows_the_rest_as_text(body, links, text):
    got = rendered(safe_markdown(body))
    assert got["links"] == links
    assert got["images"] == [] and got["html"] == []
    assert got["live_text"] == []
    shown = " ".join(" ".join(got["text"]).replace("\u2060", "").split())
    assert text in shown


def test_safe_markdown_keeps_the_structure_of_a_body():
    body = (
        "## What it is\nA *rule* for **trees**; ~~old~~.\n\n1. First\n2. Second\n   - nested\n\n"
        "> A quote\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```bash\n# comment <b>\n```\n\n---\n"
    )
    kinds = {n.type for n in SyntaxTreeNode(_READER.parse(safe_markdown(body))).walk()}
    wanted = {"heading", "em", "strong", "s", "ordered_list", "bullet_list", "blockquote", "table", "fence", "hr"}
    assert wanted <= kinds, wanted - kinds
    fence = next(t for t in _READER.parse(safe_markdown(body)) if t.type == "fence")
    assert fence.content == "# comment <b>\n" and fence.info == "bash"


_PIECES = [*"[]()<>!:/@.*_`#-=|\\ \n\"'&;axh", "https://", "javascript:", "www.", "data:", "    ", "```"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_no_body_ever_yields_an_image_html_or_an_unsafe_link(body):
    got = rendered(safe_markdown(body))
    assert got["images"] == [] and got["html"] == [] and got["live_text"] == []
    assert all(is_safe_link(h) for h in got["links"]), got["links"]


def test_body_warnings_come_from_the_same_parser():
    body = "Hi [a][r] ![i](https://x.org/i.png 'q') <b>x</b> see https://x.org/\n\n[r]: javascript:alert(1)"
    warnings = body_warnings(body)
    assert any("'javascript:alert(1)'" in w for w in warnings)
    assert any("image 'https://x.org/i.png'" in w for w in warnings)
    assert any("HTML" in w for w in warnings)
    assert any("bare address 'https://x.org/'" in w for w in warnings)
    assert body_warnings("[ok](https://en.wikipedia.org/wiki/A_(b)) and <https://x.org>") == []


@given(st.text())
def test_escaped_text_never_becomes_a_link_or_an_icon(text):
    got = rendered(escape_md(text))
    assert got["links"] == [] and got["images"] == [] and got["html"] == [] and got["live_text"] == []
    assert ":material/" not in "".join(got["text"])


def test_closest_finds_a_near_spelling_and_nothing_below_the_cutoff():
    from logic.text import closest

    titles = ["Vision Zero", "Complete Streets", "Official Map"]
    assert closest("Vision Zer0", titles, 0.8) == "Vision Zero"
    assert closest("Completely Different", titles, 0.8) is None
    assert closest("anything", [], 0.6) is None


CODE_BODY = """## What it is
A tool with a script in its body.

## How to get started
1. Export the parcels.

```sh
# a shell comment, not a heading
ogr2ogr parcels.gpkg parcels.shp
```

2. Map them.

## What to watch out for
Nothing.
"""


def test_a_code_block_is_never_rewritten_into_a_heading_or_split_into_sections():
    from logic.text import safe_body, sections

    shown = safe_body(CODE_BODY, heading_level=2)
    assert "# a shell comment, not a heading" in shown.splitlines()  # the code line as written
    assert "## a shell comment, not a heading" not in shown
    assert [line for line in shown.splitlines() if line.startswith("#")] == [
        "## What it is",
        "## How to get started",
        "# a shell comment, not a heading",
        "## What to watch out for",
    ]
    parts = sections(CODE_BODY)
    assert list(parts) == ["What it is", "How to get started", "What to watch out for"]
    assert "2. Map them." in parts["How to get started"]


def test_first_steps_run_on_past_a_code_block():
    from logic.model import Tool
    from logic.plan import first_steps

    tool = Tool(slug="x", title="X", file="tools/x.md", body=CODE_BODY)
    assert first_steps(tool) == ("Export the parcels.", "Map them.")


def test_a_link_whose_address_holds_parentheses_reads_as_its_label():
    from logic.text import plain

    body = "See [Vision Zero](https://en.wikipedia.org/wiki/Vision_Zero_(road_safety)) here."
    assert plain(body) == "See Vision Zero here."
    assert summary(f"## What it is\n{body} More.") == "See Vision Zero here."


# --- sections: a body split on its headings as markdown-it reads them ---


def _sections_by_tree(body: str) -> dict[str, str]:
    """The definition `sections` keeps: the top-level h1-h3 of markdown-it's syntax tree."""
    lines = body.splitlines()
    out: dict[str, str] = {}
    current, start = "", 0
    for node in SyntaxTreeNode(_READER.parse(body)).children:
        if node.type == "heading" and node.tag in ("h1", "h2", "h3") and node.map:
            out[current] = "\n".join(lines[start : node.map[0]]).strip()
            current, start = " ".join(node.children[0].content.split()), node.map[1]
    out[current] = "\n".join(lines[start:]).strip()
    return {k: v for k, v in out.items() if v or k}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Intro.\n## What it is\nA rule.\n## When it fits\nAlways.",
            {"": "Intro.", "What it is": "A rule.", "When it fits": "Always."},
        ),
        ("## What it is\n```\n# a shell comment\n```\nText.", {"What it is": "```\n# a shell comment\n```\nText."}),
        ("## What it is\n~~~\n## not a heading\n~~~", {"What it is": "~~~\n## not a heading\n~~~"}),
        (
            "What it is\n==========\nA rule.\n\nWhen it fits\n---\nAlways.",
            {"What it is": "A rule.", "When it fits": "Always."},
        ),
        ("## What *it* `is` [here](https://x.org) ##\nA rule.", {"What *it* `is` [here](https://x.org)": "A rule."}),
        ("## What it is ##  \nA.\n## C# #\nB.\n## x\\#\nC.", {"What it is": "A.", "C#": "B.", "x\\#": "C."}),
        ("#### Deep\nStays.\n#No space\n####### Seven", {"": "#### Deep\nStays.\n#No space\n####### Seven"}),
        (
            "- item\n  ## in the item\n> ## quoted\n<div>\n# html\n</div>",
            {"": "- item\n  ## in the item\n> ## quoted\n<div>\n# html\n</div>"},
        ),
        ("    # indented code\n## Real\nText.", {"": "# indented code", "Real": "Text."}),
        ("Para\n# interrupts\n- item\n# ends the list\nx", {"": "Para", "interrupts": "- item", "ends the list": "x"}),
        ("#\ttab\nA.\n#\nB.", {"tab": "A.", "": "B."}),
        ("## A\r\nWindows.\r\n## B\r\nLines.", {"A": "Windows.", "B": "Lines."}),
    ],
)
def test_sections_reads_headings_as_markdown_it_does(body, expected):
    from logic.text import sections

    assert sections(body) == expected
    assert sections(body) == _sections_by_tree(body)


_LINES = [
    "## What it is",
    "# A *b* `c`",
    "### closing ###",
    "## c #",
    "## #",
    "# ###",
    "## a ##b",
    "## tab\t#\t",
    "#\ttab",
    "#",
    "## ",
    "#### four",
    "####### seven",
    "#no space",
    "  ## indented",
    "\t# tab indented",
    "    # code",
    "Setext",
    "===",
    "---",
    "- - -",
    "* * *",
    "=",
    "-",
    "foo",
    "text  ",
    "- item",
    "  continued",
    "1. one",
    "+ plus",
    "> # quoted",
    "> quote",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "| a | b |",
    "|---|---|",
    "[ref]:",
    "[ref]: /url",
    "## Ünïcode ☃",
    "## nbsp\u00a0##",
    "",
    "",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=14), st.sampled_from(["\n", "\r\n"]))
def test_sections_is_the_syntax_trees_headings_on_any_mix_of_lines(lines, newline):
    from logic.text import sections

    body = newline.join(lines)
    assert sections(body) == _sections_by_tree(body)


_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6}) ")


@given(st.text())
def test_a_title_in_a_css_string_cannot_end_it_and_reads_back_whole(title):
    """/compare labels a phone's stacked cells with the tools' titles in CSS `content:`:
    a title holding a quote, a backslash, a newline or </style> stays inside its string."""
    quoted = css_string(title)
    assert re.fullmatch(r'"([A-Za-z0-9 ]|\\[0-9a-f]{1,6} )*"', quoted), quoted
    assert _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), quoted[1:-1]) == title


def test_a_css_string_of_a_hostile_title_has_no_markup():
    quoted = css_string('Bad "</style><script>alert(1)</script>')
    assert "<" not in quoted and '"' not in quoted[1:-1] and quoted.startswith('"Bad \\22 \\3c \\2f style')


@pytest.mark.parametrize("written", ["visionzero", "VisionZero", " /visionzero/ ", "/VISIONZERO", "visionzero/\n"])
def test_a_slug_is_read_the_same_however_it_is_written(written):
    """One rule for a slug written in a page, goals.yaml, the address or the command line."""
    assert slug_key(written) == "visionzero"


@pytest.mark.parametrize(
    ("title", "read_on"),
    [
        ("Limited by Pennsylvania law", "limited by Pennsylvania law"),
        ("Does not apply in rural places", "does not apply in rural places"),
        ("DVRPC maps the corridor", "DVRPC maps the corridor"),
        ("MS4 permit", "MS4 permit"),
        ("A", "A"),
        ("", ""),
    ],
)
def test_a_title_read_inside_a_sentence_loses_only_its_first_capital(title, read_on):
    assert mid_sentence(title) == read_on


@pytest.mark.parametrize(
    ("items", "said"),
    [
        (["cost above your budget"], "cost above your budget"),
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b and c"),
        # an item with its own "and": a comma before the last of two, semicolons between more
        (
            ["staff effort above your capacity", "staff time and data skills"],
            "staff effort above your capacity, and staff time and data skills",
        ),
        (
            ["cost above your budget", "ongoing operating and maintenance costs", "upfront funding"],
            "cost above your budget; ongoing operating and maintenance costs; and upfront funding",
        ),
        (
            ["Historic Districts, Overlay Zones, and Facade Improvement Grants", "CLG", "Downtown Management"],
            "Historic Districts, Overlay Zones, and Facade Improvement Grants; CLG; and Downtown Management",
        ),
        # a goal's quoted name keeps its own "and" to itself
        (
            ["“Reduce flooding and stormwater damage”", "“Protect streams”", "“Farmland”"],
            "“Reduce flooding and stormwater damage”, “Protect streams” and “Farmland”",
        ),
    ],
)
def test_join_words_keeps_items_apart(items, said):
    """'staff effort above your capacity, coordinating with neighbors and agencies, ongoing
    operating and maintenance costs and staff time and data skills' hid where one of four
    things ended; items with their own "and" are set apart now."""
    assert join_words(items) == said
