"""Catalog: browse, filter and search every tool; filters live in the address."""

import streamlit as st

from logic.browse import filter_tools, goal_offer, respelled, tag_offer
from logic.scenario import CatalogQuery, catalog_params, parse_catalog_query
from logic.taxonomy import FOCUS_AREAS, PRINCIPLES
from logic.text import escape_md, summary
from ui.page_state import entering, entry_params, remember_params, show_url_notes
from ui.pages import page
from ui.resources import get_catalog
from ui.widgets import problems_notice, tag_badges, tool_link

catalog = get_catalog()
MODE_LABELS = {"all": "Every chosen tag", "any": "Any chosen tag"}
PAGE_SIZE = 24  # cards a page


def _filter_by_tag(kind: str, tag: str) -> None:
    """The search named a tag: choose the tag instead of searching for its word."""
    key = f"catalog_{kind}"  # catalog_focus, catalog_principle
    st.session_state[key] = [*(st.session_state.get(key) or []), tag]
    st.session_state.catalog_q = ""


st.title("Catalog")
notes = None
if entering("catalog_focus", "catalog"):  # from a link, or the filters last shown (back through the menu)
    q = parse_catalog_query(entry_params("catalog")[0])
    st.session_state.catalog_focus = q.focus
    st.session_state.catalog_principle = q.principles
    st.session_state.catalog_q = q.search
    st.session_state.catalog_mode = q.mode
    notes = q.notes
show_url_notes("catalog_url_notes", notes)

st.text_input(
    "Search titles and descriptions",
    key="catalog_q",
    placeholder="e.g. stormwater, mixed-use, ADU",
    icon=":material/search:",
)
st.pills("Focus areas", FOCUS_AREAS, selection_mode="multi", key="catalog_focus")
st.pills("Principles", PRINCIPLES, selection_mode="multi", key="catalog_principle")
st.radio(
    "A tool must carry",
    ["all", "any"],
    format_func=MODE_LABELS.get,
    horizontal=True,
    key="catalog_mode",
    help="'Every chosen tag' is how the toolbox's own site filters.",
)

query = CatalogQuery(
    focus=list(st.session_state.catalog_focus or []),
    principles=list(st.session_state.catalog_principle or []),
    search=st.session_state.catalog_q or "",
    mode=st.session_state.catalog_mode or "all",
)
remember_params("catalog", catalog_params(query))
tools = filter_tools(catalog, query.focus, query.principles, query.search, query.mode)

st.header(f"{len(tools):,} of {len(catalog.tools):,} tools")
offer = tag_offer(catalog, query.focus, query.principles, query.search)
if offer:  # the search names a tag: its tools, whether or not their text says the word
    st.info(f"“{offer.tag}” is one of the toolbox's {offer.kind_words}: {offer.tools:,} tools carry it.")
    st.button(
        f"Show the {offer.tools:,} tools tagged {offer.tag}",
        key="catalog_tag_offer",
        icon=":material/sell:",
        on_click=_filter_by_tag,
        args=(offer.kind, offer.tag),
    )
goal = goal_offer(catalog, query.search)
if goal:  # the search names a goal: /find ranks the tools for it, whatever words their pages use
    st.info(f"“{escape_md(goal.name)}” is a goal Find tools ranks for a town: {goal.tools:,} tools serve it.")
    st.page_link(
        page("find"),
        label=f"Rank the tools for “{escape_md(goal.name)}”",
        icon=":material/travel_explore:",
        query_params={"goal": goal.goal},
    )
if not tools:
    better = respelled(catalog, query.focus, query.principles, query.search, query.mode)
    if better:  # a typing slip: offer the search the pages' own words spell
        st.info(f"No tool matches “{escape_md(query.search.strip())}”. Did you mean “{escape_md(better)}”?")
        st.button(
            f"Search for “{better}”",
            key="catalog_respell",
            icon=":material/spellcheck:",
            on_click=lambda: st.session_state.__setitem__("catalog_q", better),
        )
    elif not offer and not goal:  # (a search naming a tag or a goal has its offer above)
        st.info("No tool matches. Remove a tag, switch to 'Any chosen tag', or shorten the search.")
# a page of cards at a time: a large catalog stays quick, and "Show more" adds the next page
filters = repr(sorted(catalog_params(query).items()))
if st.session_state.get("catalog_shown_for") != filters:  # new filters: back to the first page
    st.session_state.catalog_shown_for = filters
    st.session_state.catalog_shown = PAGE_SIZE
shown = st.session_state.catalog_shown
cols = st.columns(2)
for i, tool in enumerate(tools[:shown]):
    with cols[i % 2], st.container(border=True):
        tool_link(tool)
        st.markdown(tag_badges(tool) + "\n\n" + (escape_md(summary(tool.body)) or "_No description yet._"))
if len(tools) > shown:
    st.caption(f"Showing {shown:,} of {len(tools):,}.")
    st.button(
        f"Show {min(PAGE_SIZE, len(tools) - shown)} more",
        key="catalog_more",
        icon=":material/expand_more:",
        on_click=lambda: st.session_state.__setitem__("catalog_shown", shown + PAGE_SIZE),
    )

problems_notice(catalog)
