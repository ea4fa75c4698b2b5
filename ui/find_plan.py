"""/find's action plan: what it is made from (the shortlist, or the balanced package) and
its tab (the phases, each tool's first steps, challenges and indicators)."""

from __future__ import annotations

import streamlit as st

from logic.package import balanced_package
from logic.plan import Plan, make_plan, plan_summary
from logic.profile import Profile
from logic.text import escape_md, md_link
from ui import charts
from ui.find_context import FindContext


def plan_for(ctx: FindContext, profile: Profile, shortlist: list[str]) -> tuple[Plan, str]:
    """The plan for the package (or the shortlist, when chosen), and what it was made from."""
    have = sorted(profile.values("have"))
    # a shortlist is the user's own choice, so it is what gets planned unless they pick the package
    use_shortlist = bool(shortlist) and st.session_state.get("find_plan_source", "shortlist") != "package"
    if use_shortlist:
        slugs, source = [s for s in shortlist if s not in have], "your shortlist"
    else:
        slugs, source = list(balanced_package(ctx.catalog, profile).slugs), "the balanced package"
    return make_plan(ctx.catalog, slugs, have=have, staff=profile.value("staff"), votes=profile.votes), source


def plan_block(ctx: FindContext, profile: Profile, shortlist: list[str]) -> None:
    catalog = ctx.catalog
    if shortlist:
        st.segmented_control(
            "Plan for",
            ["package", "shortlist"],
            format_func=lambda v: {"package": "The balanced package", "shortlist": "Your shortlist"}[v],
            key="find_plan_source",
            default="shortlist",
        )
    plan, source = plan_for(ctx, profile, shortlist)
    if not plan.items:
        st.info("Nothing to plan yet: choose goals, or add tools to the shortlist.", icon=":material/event_note:")
        return
    st.markdown(
        f"A plan for {source} in three phases: what to start in the first 12 months, in one to three years, "
        "and later. A tool never starts before what it builds on; quick wins come early; each phase holds "
        "no more high-effort tools than your staff can carry."
    )
    st.caption(escape_md(plan.capacity_note))
    st.markdown(f"**{escape_md(plan_summary(catalog, plan))}**")
    st.altair_chart(charts.plan_timeline(plan, catalog, ctx.big), width="stretch")
    for phase in plan.phases:
        st.subheader(f"{phase.name} ({phase.label})")
        if not phase.items:
            st.caption("Nothing in this phase.")
        for item in phase.items:
            with st.container(border=True):
                tags = [w for w, on in (("Quick win", item.quick_win), ("High effort", item.high_effort)) if on]
                badges = " ".join(f":gray-badge[{t}]" for t in tags)
                if item.dots:
                    badges += f" :blue-badge[:material/how_to_vote: {item.dots} dot{'s' if item.dots != 1 else ''}]"
                st.markdown(f"**{escape_md(item.title)}** {badges}")
                st.markdown(escape_md(item.why))
                for note in item.notes:
                    st.caption(escape_md(note))
                if item.first_steps:
                    with st.expander("First steps", icon=":material/footprint:"):
                        st.markdown("\n".join(f"{i}. {escape_md(x)}" for i, x in enumerate(item.first_steps, 1)))
                if item.challenges:
                    with st.expander("Challenges to prepare for", icon=":material/warning:"):
                        for ch in item.challenges:
                            st.markdown(f"**{escape_md(ch.name)}**" + (f": {escape_md(ch.note)}" if ch.note else ""))
                            st.markdown("\n".join(f"- {escape_md(m)}" for m in ch.mitigations))
                if item.indicators:
                    st.markdown(
                        "How you will know it is working: "
                        + ", ".join(md_link(i.name, i.link) if i.link else escape_md(i.name) for i in item.indicators)
                    )
    if plan.in_place:
        st.markdown("**Already in place:** " + escape_md(", ".join(catalog.title(s) for s in plan.in_place)))
