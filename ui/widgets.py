"""Small drawing helpers the pages share: tool links, tag badges, link lists, a tool's
body, a challenge's ways around it and the content-problems notice.

Only drawing lives here; every rule is in `logic/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import streamlit as st

from logic.model import Catalog, Problem, Tool
from logic.taxonomy import Severity
from logic.text import escape_md, md_link, safe_body
from ui.pages import page


def tool_link(tool: Tool, label: str | None = None, icon: str | None = None) -> None:
    """A link to a tool's page; the label (a title from content) is shown as text."""
    st.page_link(
        page("tool"),
        label=escape_md(label or tool.title),
        icon=icon or ":material/description:",
        query_params={"slug": tool.slug},
    )


def way_around(note: str, mitigations: Iterable[str]) -> None:
    """What a challenge means for one tool and the ways around it, as one element (a tool
    page's challenge, a result card's flag); nothing when there is neither."""
    parts = [f"**For this tool:** {escape_md(note)}"] if note else []
    ways = "\n".join(f"- {escape_md(m)}" for m in mitigations)
    if ways:
        parts.append(f"**Ways around it**\n\n{ways}")
    if parts:
        st.markdown("\n\n".join(parts))


def tag_badges(tool: Tool) -> str:
    """Focus areas in blue, principles in violet; text, never colour alone."""
    parts = [f":blue-badge[{escape_md(f)}]" for f in tool.focus_areas]
    parts += [f":violet-badge[{escape_md(p)}]" for p in tool.principles]
    return " ".join(parts) or ":gray-badge[No tags]"


def links_list(items: Iterable, empty: str = "None listed.") -> None:
    lines = [f"- {md_link(i.label, i.link)}" for i in items]
    st.markdown("\n".join(lines) if lines else f"_{empty}_")


def body_markdown(body: str) -> None:
    """A tool's body, filtered; its headings are h2, the level under the page's title."""
    st.markdown(safe_body(body, heading_level=2) or "_No description yet._")


def problems_notice(catalog: Catalog, where: str = "main") -> None:
    """A visible notice of content problems (errors and warnings), by file."""
    problems = [p for p in catalog.problems if p.severity != Severity.INFO]
    if not problems:
        return
    errors = sum(1 for p in problems if p.severity == Severity.ERROR)
    target = st.sidebar if where == "sidebar" else st
    label = (
        f"Content problems: {errors} error{'s' if errors != 1 else ''}, "
        f"{len(problems) - errors} warning{'s' if len(problems) - errors != 1 else ''}"
    )
    with target.expander(label, icon=":material/warning:", expanded=False):
        st.caption(
            "Run `python -m logic validate` to see them in a terminal. Pages with errors are skipped or repaired; every good tool still loads."
        )
        by_file: dict[str, list[Problem]] = {}
        for p in problems:
            by_file.setdefault(p.file, []).append(p)
        for file, items in by_file.items():
            st.markdown(f"**{escape_md(file)}**")
            st.markdown("\n".join(f"- {p.severity}: {escape_md(p.field)}: {escape_md(p.message)}" for p in items))


_TO_TOP = """<script>
for (const el of [document.scrollingElement,
                  ...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer']")]) {
  if (el) el.scrollTop = 0;
}
</script>"""


_COOKIE_SAFE = re.compile(r"[A-Za-z0-9_-]{1,128}")


def keep_in_browser(name: str, value: str, hours: int) -> None:
    """Keep `value` in a cookie of this site for `hours`, so a later visit from this
    browser reads it with `st.context.cookies` (sent when the page connects: after a
    refresh, not on this run). Sent back to this site only, never to another (SameSite),
    and only over https when the page is. Letters, digits, - and _ only: anything
    else is not written."""
    if not (_COOKIE_SAFE.fullmatch(name) and _COOKIE_SAFE.fullmatch(value)):
        return
    cookie = f"{name}={value}; Max-Age={int(hours) * 3600}; Path=/; SameSite=Strict"
    st.html(
        f"<script>document.cookie = {json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def kept_in_browser(name: str) -> str:
    """What `keep_in_browser` kept under `name`, as this browser sent it when the page
    connected ("" when it sent none, or outside a browser, as in AppTest)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and _COOKIE_SAFE.fullmatch(value) else ""


def scroll_to_top() -> None:
    """Bring the page back to its top on this run: a view that replaces the one the user
    scrolled down (a vote just started: its join code and QR are at the top)."""
    st.html(_TO_TOP, unsafe_allow_javascript=True)
