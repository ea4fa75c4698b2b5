"""One tool, everything about it: /tool?slug=SLUG."""

import streamlit as st

from logic.about import cue_line
from logic.browse import close_slugs
from logic.constraints import tool_facts
from logic.model import Tool
from logic.plan import comes_after, opens_the_way_to
from logic.taxonomy import CHALLENGE_SEVERITY_LABELS, STRENGTH_LABELS
from logic.text import escape_md, md_link, slug_key
from ui.page_state import entry_params, remember_params, set_url
from ui.pages import page
from ui.resources import get_catalog
from ui.widgets import body_markdown, links_list, tag_badges, tool_link, way_around

catalog = get_catalog()
address, _ = entry_params("tool")  # from a link, or the tool last read (back through the menu)
raw = (address.get("slug") or [""])[0]
slug = slug_key(raw)
tool = catalog.tools.get(slug)
if tool is not None:
    remember_params("tool", {"slug": tool.slug})


def not_found(raw: str) -> None:
    """No tool has that slug (or none was given): say so, offer close matches and a picker."""
    from logic.scenario import MAX_VALUE_CHARS

    st.title("Tool not found" if raw else "Tool")
    if len(raw) > MAX_VALUE_CHARS:  # not echoed, and no close-match search over it
        st.warning(
            f"Ignored slug= in the address: {len(raw):,} characters; at most {MAX_VALUE_CHARS} characters.",
            icon=":material/search_off:",
        )
    elif raw:
        st.warning(f"No tool has the slug “{escape_md(raw)}”.", icon=":material/search_off:")
        near = close_slugs(catalog, raw)
        if near:
            st.markdown("Did you mean:")
            for s in near:
                tool_link(catalog.tools[s])
    titles = {t.title: s for s, t in catalog.tools.items()}
    pick = st.selectbox("Open a tool", list(titles), index=None, key="tool_pick", placeholder="Choose a tool")
    if pick:
        set_url({"slug": titles[pick]})
        st.rerun()
    st.page_link(page("catalog"), label="Browse the catalog", icon=":material/view_list:")


def show(tool: Tool) -> None:
    """Everything about one tool."""
    st.title(escape_md(tool.title))
    st.markdown(tag_badges(tool))

    main, side = st.columns([3, 2], gap="large")
    with main:
        body_markdown(tool.body)
    with side, st.container(border=True):
        # what the tool says about each kind of constraint comes from the registry (logic/constraints.py)
        facts = [("Type", (tool.tool_type or "not rated").capitalize()), *tool_facts(tool, catalog)]
        go_to = catalog.go_to_goals(tool.slug)
        goals = "\n".join(
            f"- {escape_md(catalog.goal_name(g))}: _{STRENGTH_LABELS[tool.strength(g)].lower()}_"
            + (" · planners' go-to" if g in go_to else "")
            for g in tool.goals
        )
        # one element for the box's text (each element costs the browser a few ms to draw)
        st.markdown(
            "**At a glance**\n\n"
            + "\n".join(f"- **{k}:** {escape_md(v)}" for k, v in facts)
            + "\n\n**Goals it advances**\n\n"
            + (goals or "_Not tagged yet._")
            + (f"\n\n_{escape_md(tool.needs_center)}_" if tool.needs_center else "")  # where "made for" holds
            + (f"\n\n**Words that raise it**\n\n{escape_md(said)}" if (said := cue_line(tool.cues)) else "")
        )
        find_params = {"goal": ",".join(tool.goals)} if tool.goals else {}
        st.page_link(
            page("find"),
            label="Find tools for these goals",
            icon=":material/travel_explore:",
            query_params=find_params,
        )

    st.header("Challenges and ways around them")
    if not tool.challenges:
        st.caption("No challenges tagged for this tool yet.")
    for ref in tool.challenges:
        ch = catalog.challenges.get(ref.id)
        name = escape_md(f"{catalog.challenge_name(ref.id)} ({CHALLENGE_SEVERITY_LABELS[ref.severity]} for this tool)")
        with st.expander(name, icon=":material/warning:"):
            way_around(ref.note, ch.mitigations if ch else ())
            enablers = [catalog.tools[s] for s in (ch.enablers if ch else ()) if s in catalog.tools and s != tool.slug]
            if enablers:
                st.markdown("**Tools that help**")
                for e in enablers:
                    tool_link(e, icon=":material/handyman:")

    c1, c2 = st.columns(2)
    with c1:
        st.subheader("Resources")
        links_list(tool.resources)
        st.subheader("Who has used this tool")
        links_list(tool.who_has_used)
    with c2:
        st.subheader("Model ordinances and design guidelines")
        links_list(tool.guidelines)
        st.subheader("Tracking progress")
        if tool.indicators:
            lines = []
            for name in tool.indicators:
                link = catalog.indicator_link(name)
                lines.append(f"- {md_link(name, link) if link else escape_md(name)}")
            st.markdown("\n".join(lines))
        else:
            st.markdown("_No indicators listed._")

    after, opens = comes_after(catalog, tool.slug), opens_the_way_to(catalog, tool.slug)
    if after or opens:
        st.header("What comes first")
        first_col, then_col = st.columns(2)
        for col, heading, pairs, empty in (
            (first_col, "Usually comes after", after, "Nothing needs to come first."),
            (then_col, "Opens the way to", opens, "No tool builds on this one."),
        ):
            with col:
                st.subheader(heading)
                for other, reason in pairs:
                    tool_link(catalog.tools[other], icon=":material/arrow_forward:")
                    if reason:
                        st.caption(escape_md(reason))
                if not pairs:
                    st.caption(empty)

    st.header("Related tools")
    related = [catalog.tools[s] for s in catalog.related(tool.slug)]
    if related:
        cols = st.columns(min(2, len(related)))
        for i, r in enumerate(related):
            with cols[i % len(cols)]:
                tool_link(r, icon=":material/link:")
        compare = ",".join([tool.slug, *[r.slug for r in related[:3]]])
        st.page_link(
            page("compare"),
            label="Compare with related tools",
            icon=":material/compare_arrows:",
            query_params={"tools": compare},
        )
    else:
        st.caption("No related tools listed.")


if tool is None:  # the page ends after either, so the router still draws the menu
    not_found(raw)
else:
    show(tool)
