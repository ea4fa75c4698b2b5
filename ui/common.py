"""UI glue shared by the pages: the cached catalog, URL state, cards, notices.

Only drawing and Streamlit state live here; every rule is in `logic/`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping

import streamlit as st

from logic import default_content_dir, load_catalog
from logic.content.files import recent_signature
from logic.model import Catalog, Problem, Tool
from logic.taxonomy import Severity
from logic.text import escape_md, md_link, safe_body
from logic.votes import AttemptLimiter, TooManyAttempts, VoteStore
from ui.pages import PAGES, PageKey, page

# Projector mode has one name in the session and one in the address (documented: present=1).
PROJECTOR_STATE = "_projector"
PROJECTOR_PARAM = "present"


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(content_dir: str, signature: str) -> Catalog:
    """Loaded once per content version; the signature changes with any file."""
    del signature  # part of the cache key only
    return load_catalog(content_dir)


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str) -> VoteStore:
    return VoteStore(url or None)


def get_store() -> VoteStore:
    """The voting database named by TOOLBOX_DB (SQLite file or PostgreSQL URL)."""
    return _store(os.environ.get("TOOLBOX_DB", ""))


@st.cache_resource(show_spinner=False)
def join_attempts() -> AttemptLimiter:
    """Wrong join codes, counted per browser tab, per network address and for the whole
    server; shared by every page that looks a code up (/workshop?join=, ?session=,
    /find?room=)."""
    return AttemptLimiter()


def code_lookup_refused(code: str, found: bool) -> str | None:
    """Call after looking a join code up, before saying anything about it: None when the
    answer may be shown, else the message to show instead. A wrong code counts (once a
    tab: the same wrong code again is no new guess); a right code is never stopped by
    the server-wide limit, only by this tab's or this network's own guessing."""
    limiter = join_attempts()
    client = st.session_state.setdefault("_workshop_client", secrets.token_hex(8))
    address = getattr(st.context, "ip_address", None)
    try:
        limiter.check(client, address, right_code=found)
    except TooManyAttempts as exc:
        return str(exc)
    counted = st.session_state.setdefault("_codes_counted", set())
    if not found and code not in counted:
        if len(counted) < 1_000:
            counted.add(code)
        limiter.fail(client, address)
    return None


def get_catalog() -> Catalog:
    """The catalog, reloaded when a content file changes (looked at once a second at
    most: every rerun asks). Do not mutate it."""
    root = default_content_dir()
    return _load(str(root), recent_signature(root))


def url_lists() -> dict[str, list[str]]:
    """The address's query parameters, every value of every key."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def set_url(params: Mapping[str, str]) -> None:
    """Replace the page's query parameters, keeping projector mode."""
    wanted = dict(params)
    if projector_on():
        wanted[PROJECTOR_PARAM] = "1"
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def show_url_notes(key: str, notes: Iterable[str] | None = None) -> None:
    """Keep the notes about ignored address values visible while on the page."""
    if notes is not None:
        st.session_state[key] = list(notes)
    for note in st.session_state.get(key, []):
        # a note quotes the address, which anyone can write: shown as text, never Markdown
        st.warning(escape_md(note), icon=":material/link_off:")


def _page_params() -> dict[str, frozenset[str]]:
    """The address parameters each page reads, besides present= (README "Addresses")."""
    from logic.constraints import REGISTRY

    return {
        "home": frozenset(),
        "find": frozenset({"goal", "focus", "principle", *REGISTRY.names(), "shortlist", "room", "step"}),
        "catalog": frozenset({"focus", "principle", "q", "mode"}),
        "tool": frozenset({"slug"}),
        "compare": frozenset({"tools"}),
        "challenges": frozenset({"challenge"}),
        "workshop": frozenset({"join", "me", "session", "host", "tools"}),
    }


def show_address_notes(url_path: str) -> None:
    """The router's note on what the address asks that no page reads: a present= value
    other than 1 or 0, and parameters this page does not know. Worked out when the user
    arrives (the page may then rewrite its address) and shown while they stay."""
    if arrived():
        notes: list[str] = []
        value = st.query_params.get(PROJECTOR_PARAM)
        if value is not None and value not in ("1", "0"):
            notes.append(
                f"Ignored present={value[:40]!r} in the address: present=1 turns projector mode on, present=0 off."
            )
        key = next((p.key for p in PAGES if p.url_path == url_path), None)
        known = _page_params().get(key) if key else None
        if known is not None:
            unknown = [k for k in st.query_params if k != PROJECTOR_PARAM and k not in known]
            if unknown:
                named = ", ".join(f"{k[:40]}=" for k in unknown[:3])
                more = f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else ""
                notes.append(f"Ignored {named}{more} in the address: this page does not read it.")
        st.session_state["_address_notes"] = notes
    for note in st.session_state.get("_address_notes", []):
        st.warning(escape_md(note), icon=":material/link_off:")


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


def projector_on() -> bool:
    """Projector mode: `present=1` in the address turns it on (and `present=0`
    off) for the rest of the session, so moving between pages keeps it."""
    value = st.query_params.get(PROJECTOR_PARAM)
    if value in ("1", "0"):
        st.session_state[PROJECTOR_STATE] = value == "1"
    return bool(st.session_state.get(PROJECTOR_STATE, False))


def set_projector(on: bool) -> None:
    """Switch projector mode for the session and show it in the address."""
    st.session_state[PROJECTOR_STATE] = on
    if on:
        st.query_params[PROJECTOR_PARAM] = "1"
    elif PROJECTOR_PARAM in st.query_params:
        del st.query_params[PROJECTOR_PARAM]


# ---- page memory: what a page shows survives a trip through the menu ----
# A page whose state lives in the address starts from `entry_params(key)` and
# ends its run with `remember_params(key, params)`. Opened from a link, it shows
# the link's state; opened from the menu (an address without parameters), it
# shows what it showed last in this session, and puts that back in the address.
# Used by /find (the scenario), /catalog (filters), /compare (the tools) and
# /tool (the tool). Another page reads what a page remembers with
# `last_params(key)`. /challenges keeps nothing (its `challenge=` only opens
# one challenge for a link). /workshop from the menu is its start page (so
# another vote can be started) with a link back to the vote it last showed.


def _memory_key(key: PageKey) -> str:
    return f"_{key}_last_params"


def note_page(url_path: str) -> None:
    """The router calls this on every run: it remembers which page ran, so a page can
    tell a fresh arrival (by a link, the menu or its address) from its own reruns."""
    st.session_state["_arrived"] = st.session_state.get("_current_page") != url_path
    st.session_state["_current_page"] = url_path


def arrived() -> bool:
    """True on a page's first run after the user came to it (see `note_page`)."""
    return bool(st.session_state.get("_arrived", True))


def entry_params(key: PageKey) -> tuple[dict[str, list[str]], bool]:
    """The parameters a page starts from: the address's, or, when the address
    has none (the user came back through the menu), the ones last shown there.
    Returns (params, came_from_address)."""
    params = {k: v for k, v in url_lists().items() if k != PROJECTOR_PARAM}
    if params:
        return params, True
    return {k: [v] for k, v in last_params(key).items()}, False


def remember_params(key: PageKey, params: Mapping[str, str]) -> None:
    """Write the page's state to the address and remember it for the menu."""
    st.session_state[_memory_key(key)] = dict(params)
    set_url(params)


def last_params(key: PageKey) -> dict[str, str]:
    """What page `key` last showed in this session, as address parameters (a copy)."""
    return dict(st.session_state.get(_memory_key(key), {}))


# Streamlit draws captions as body text at 60 % opacity, about 4.5:1 on white and
# less on the grey sidebar: an opaque grey keeps them at 7:1 or more everywhere.
BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stCaptionContainer"] { opacity: 1; color: #555555; }
</style>
"""
PROJECTOR_CSS = """
<style>
html { font-size: 25px; }
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; max-width: 100%; }
[data-testid="stApp"] { color: #000000; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { line-height: 1.45; }
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p { opacity: 1; color: #1a1a1a; }
</style>
"""


def apply_style() -> None:
    """Layout CSS (by data-testid only); projector mode enlarges type about 1.5x."""
    st.html(PROJECTOR_CSS if projector_on() else BASE_CSS)
