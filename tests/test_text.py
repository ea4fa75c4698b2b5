"""Only http(s) and mailto links render; content markup is shown, never run."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logic.text import escape_md, is_safe_link, md_link, safe_markdown, summary


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
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "javascript:" not in out
    assert "[ok](https://ok.org)" in out
    assert "![" not in out


@given(st.text())
def test_escaped_text_contains_no_live_markup(text):
    out = escape_md(text)
    assert "<" not in out.replace("\\<", "")
    assert "](" not in out.replace("\\]\\(", "")


def test_summary_is_the_first_sentence_of_what_it_is():
    body = "## What it is\nA rule for trees. More text.\n\n## When it fits\nAlways."
    assert summary(body) == "A rule for trees."
    assert summary("Plain body without headings. Second.") == "Plain body without headings."
