"""The address and page memory: what a page reads from the URL, writes back to it, and
remembers for the next visit.

Page memory: what a page shows survives a trip through the menu. A page whose state
lives in the address starts, when `entering(...)` it (`note_page` and `arrived` tell a
fresh arrival from the page's own reruns), from `entry_params(key)` and ends its run with
`remember_params(key, params)`. Opened from a link, it shows the link's state; opened
from the menu (an address without parameters), it shows what it showed last in this
session, and puts that back in the address; the sidebar menu (`menu`) links to it with
that state already in the address. Used by /find (the scenario), /catalog
(filters), /compare (the tools) and /tool (the tool). Another page reads what a page
remembers with `last_params(key)`. /challenges keeps nothing (its `challenge=` only
opens one challenge for a link). /workshop from the menu is its start page (so another
vote can be started) with a link back to the vote it last showed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import streamlit as st

from logic.content.fields import GUESS_CUTOFF, meant
from logic.text import closest, escape_md, join_words
from ui.pages import PAGES, PageKey, page
from ui.projector import PROJECTOR_PARAM, PROJECTOR_WORDS, projector_on


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


def show_url_notes(key: str, notes: Iterable[str] | None = None, after: Callable[[str], None] | None = None) -> None:
    """Keep the notes about ignored address values visible while on the page; `after` draws
    what goes under a note (/find: a button taking the value it names)."""
    if notes is not None:
        st.session_state[key] = list(notes)
    for note in st.session_state.get(key, []):
        # a note quotes the address, which anyone can write: shown as text, never Markdown
        st.warning(escape_md(note), icon=":material/link_off:")
        if after is not None:
            after(note)


def _page_params() -> dict[str, frozenset[str]]:
    """The address parameters each page reads, besides present= (README "Addresses")."""
    from logic.scenario import profile_param_names

    profile = profile_param_names()
    return {
        "home": frozenset(),
        "find": profile | {"shortlist", "room", "step"},
        "catalog": frozenset({"focus", "principle", "q", "mode"}),
        "tool": frozenset({"slug"}),
        "compare": profile | {"tools"},
        "challenges": frozenset({"challenge"}),
        "workshop": frozenset({"join", "me", "session", "host", "tools"}),
    }


def _meant_param(name: str, key: PageKey, params: Mapping[str, frozenset[str]]) -> str:
    """What to say beside an address parameter page `key` does not read (`params`: what each
    page reads, `_page_params`): present= for a word for projector mode; the pages that read
    it, when another does (goal= on /workshop: "Find tools and Compare read it"); else the
    closest parameter any page reads, with the pages that read it when this one does not;
    else ''."""
    if name.lower() in PROJECTOR_WORDS:
        return meant(PROJECTOR_PARAM, suffix="=")
    here = params[key] | {PROJECTOR_PARAM}
    if any(name in read for read in params.values()):
        return f" ({_read_by(name, params)} it)"
    hint = closest(name, sorted(here.union(*params.values())), GUESS_CUTOFF)
    if hint is None:
        return ""
    return meant(hint, suffix="=") if hint in here else f" (did you mean {hint}=? {_read_by(hint, params)} it)"


def _read_by(name: str, params: Mapping[str, frozenset[str]]) -> str:
    """The pages that read an address parameter, with the verb: "Find tools and Compare read"."""
    titles = [spec.title for spec in PAGES if name in params[spec.key]]
    return f"{join_words(titles)} {'reads' if len(titles) == 1 else 'read'}"


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
        if key is not None:
            params = _page_params()
            unknown = [k for k in st.query_params if k != PROJECTOR_PARAM and k not in params[key]]
            if unknown:
                named = ", ".join(f"{k[:40]}={_meant_param(k[:40], key, params)}" for k in unknown[:3])
                more = f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else ""
                them = "them" if len(unknown) > 1 else "it"
                notes.append(f"Ignored {named}{more} in the address: this page does not read {them}.")
        st.session_state["_address_notes"] = notes
    for note in st.session_state.get("_address_notes", []):
        st.warning(escape_md(note), icon=":material/link_off:")


# Streamlit gives the default page's link an empty href ("?present=1" in projector mode),
# which the browser reads as this page: "Open in new tab" or "Copy link" on Home gave the
# page the user was on. Clicks are handled by Streamlit and keep working; the script only
# writes the address the link stands for ("./", the app's root, as the other links are
# relative to it), now and whenever Streamlit draws a menu link again.
_HOME_HREF = """<script>
if (!window.toolboxHomeHref) {
  window.toolboxHomeHref = true;
  const fix = () => {
    for (const a of document.querySelectorAll("[data-testid='stPageLink'] a")) {
      const href = a.getAttribute("href");
      if (href === "" || (href !== null && href.startsWith("?"))) a.setAttribute("href", "./" + href);
    }
  };
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["href"]});
  fix();
}
</script>"""


def menu() -> None:
    """The menu: a link to each page that carries what the page last showed, so the page
    opens in one step with its address whole. (Streamlit's own menu opens the bare address
    and the page then writes its state back: that write can reach the browser before the new
    path does and land on the previous page's address, so Back opened that page with a false
    "Ignored goal=" note, or seemed to do nothing.) In projector mode: in a row in the page's
    top bar (see PROJECTOR_CSS) rather than down the sidebar."""
    across = projector_on()
    kept = {PROJECTOR_PARAM: "1"} if across else {}  # as set_url writes it: nothing left to write
    with st.container(key="app_menu", gap="small", horizontal=across):
        for spec in PAGES:
            # /workshop from the menu is its start page (another vote can be started there)
            shown = last_params(spec.key) if spec.key != "workshop" else {}
            st.page_link(
                page(spec.key),
                label=spec.title,
                icon=spec.icon,
                query_params=(shown | kept) or None,
                width="content" if across else "stretch",
            )
    st.sidebar.html(_HOME_HREF, unsafe_allow_javascript=True)  # the sidebar: no gap in the top bar


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


def entering(filled: str, key: PageKey | None = None) -> bool:
    """Whether the page starts from the address (or what it last showed) on this run: the
    user just came to it (`arrived`), or `filled`, the session key the page sets on entry
    (one of its widgets' keys), is not there yet, as when a link on the page opens its own
    start view, or (given the page's `key`) the address holds a state the page did not
    write: Back or Forward within the page, which then shows what that address says. On
    the page's own reruns it keeps what its widgets hold."""
    return arrived() or filled not in st.session_state or (key is not None and _moved_in_history(key))


def _moved_in_history(key: PageKey) -> bool:
    if _memory_key(key) not in st.session_state:
        return False
    address = {k: st.query_params.get(k) for k in st.query_params if k != PROJECTOR_PARAM}
    return address != last_params(key)


def entry_params(key: PageKey) -> tuple[dict[str, list[str]], bool]:
    """The parameters a page starts from: the address's, or, when the address
    has none (the user came back through the menu), the ones last shown there.
    Returns (params, came_from_address)."""
    params = {k: v for k, v in url_lists().items() if k != PROJECTOR_PARAM}
    if params or not arrived():  # Back to the bare address from within the page: it says "nothing"
        return params, True
    return {k: [v] for k, v in last_params(key).items()}, False


def remember_params(key: PageKey, params: Mapping[str, str]) -> None:
    """Write the page's state to the address and remember it for the menu."""
    st.session_state[_memory_key(key)] = dict(params)
    set_url(params)


def last_params(key: PageKey) -> dict[str, str]:
    """What page `key` last showed in this session, as address parameters (a copy)."""
    return dict(st.session_state.get(_memory_key(key), {}))
