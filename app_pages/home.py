"""Home: what the app does and where to start."""

import streamlit as st

from logic.taxonomy import FOCUS_AREAS, PRINCIPLES
from ui.pages import page
from ui.resources import get_catalog

catalog = get_catalog()

st.title("Municipal Toolbox Navigator")
# few elements: each costs the browser a few milliseconds to draw, and this is the first page
st.markdown(
    "## Which of the toolbox's ordinances, programs and plans fit what your town wants, "
    "and what will stand in your way?\n\n"
    f"The {len(catalog.tools)} tools of DVRPC's Municipal Implementation Toolbox, with the "
    "goals each one advances, the challenges that hold towns back, and ways around them. "
    "Tell the navigator your goals and your constraints; it ranks the tools, explains every "
    "position and suggests a balanced package you can share as a link."
)

c1, c2, c3 = st.columns(3)
with c1, st.container(border=True, height="stretch"):
    st.markdown(
        "### :material/travel_explore: Find tools for my goals\n\nPick goals and constraints; get ranked, explained recommendations, charts and a package."
    )
    st.page_link(page("find"), label="Start with your goals", icon=":material/arrow_forward:")
with c2, st.container(border=True, height="stretch"):
    st.markdown(
        "### :material/view_list: Browse the catalog\n\nFilter all tools by focus area and principle, search their text, read each one."
    )
    st.page_link(page("catalog"), label="Open the catalog", icon=":material/arrow_forward:")
with c3, st.container(border=True, height="stretch"):
    st.markdown(
        "### :material/construction: Challenges\n\nWhat stands in the way of putting tools to work, and how towns get around it."
    )
    st.page_link(page("challenges"), label="See the challenges", icon=":material/arrow_forward:")

st.markdown(
    "**Running a workshop?** Switch on *Projector mode* in the sidebar (or add `?present=1` to any address) "
    "for large type and a step-by-step flow, then let the room vote on the shortlist:"
)
st.page_link(page("workshop"), label="Start a workshop vote", icon=":material/how_to_vote:")
st.divider()
m = st.columns(5)
m[0].metric("Tools", len(catalog.tools))
m[1].metric("Focus areas", len(FOCUS_AREAS))
m[2].metric("Principles", len(PRINCIPLES))
m[3].metric("Goals", len(catalog.goals))
m[4].metric("Challenges", len(catalog.challenges))
st.caption(
    "Source: DVRPC Municipal Implementation Toolbox (titles, tags and links). "
    "Descriptions, goals and challenge tags are this project's own planning judgment."
)
