"""/find's results: the summary line and the tabs (ranked tools, coverage charts, the
balanced package, the action plan, what if, how the ranking works), and the share section."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from logic.coverage import coverage, coverage_sentence, tags_headline
from logic.explain import NO_GOAL_NOTE, fit_summary, ranking_explainer, room_dots_sentence
from logic.package import balanced_package
from logic.profile import Profile
from logic.recommendation import Recommendation
from logic.rules import rank
from logic.scenario import MAX_COMPARE, Scenario
from logic.taxonomy import STATE_NAMES
from logic.text import escape_md
from logic.what_if import what_if, what_if_hint
from ui import charts
from ui.find_cards import ranked_list, shown_count
from ui.find_context import FindContext
from ui.find_plan import plan_block
from ui.find_scenario import PLAN_TAB
from ui.find_share import share_block, share_link
from ui.pages import page
from ui.widgets import tool_link


def results_block(
    ctx: FindContext, profile: Profile, query: dict[str, str], shortlist: list[str], with_package_tab: bool
) -> None:
    ranked = rank(ctx.catalog, profile, explain=shown_count(ctx))  # "why below" only for the cards drawn
    recs = [r for r in ranked if r.recommended]
    barred = [r for r in ranked if r.excluded]
    head, tail = fit_summary(recs, profile.value("setting"))
    summary = f"**{head}**{tail}"
    if recs and not profile.goals:
        summary += " " + NO_GOAL_NOTE
    if barred and profile.state:  # only a state's law bars a tool
        summary += f" {len(barred)} not available in {STATE_NAMES[profile.state]}."
    summary += room_dots_sentence(profile.votes)
    st.markdown(summary)

    if not ctx.big:  # on the projector the share section comes after the tools
        share_block(ctx, profile, shortlist, share_link(query))

    # short names: at the desk all of them fit the results column at 1280 px (a tab behind the
    # strip's scroll arrow is missed, and its text sits under the arrow's gradient)
    names = ["Ranked tools", "Coverage charts"] + (["Package", PLAN_TAB] if with_package_tab else [])
    names += ["What if"]
    # lazy tabs: only the open one runs (the charts and what-if cost a rerun otherwise)
    # no `default` that follows the step: a parameter that changes between runs makes the tabs a
    # new widget, which opened Ranked tools again after leaving the plan tab (fill_widgets opens the plan)
    tabs = dict(zip(names, st.tabs(names, key="find_tab", on_change="rerun"), strict=True))

    with tabs["Ranked tools"]:
        if tabs["Ranked tools"].open:
            ranked_list(ctx, recs, barred, shortlist, profile)

    with tabs["Coverage charts"]:
        if tabs["Coverage charts"].open:
            charts_block(ctx, profile, recs[: ctx.top_n])

    if with_package_tab:
        with tabs["Package"]:
            if tabs["Package"].open:
                package_block(ctx, profile)

    if with_package_tab:
        with tabs[PLAN_TAB]:
            if tabs[PLAN_TAB].open:
                plan_block(ctx, profile, shortlist)

    with tabs["What if"]:
        if tabs["What if"].open:
            what_if_block(ctx, profile)

    with st.expander("How the ranking works", icon=":material/help:"):
        st.markdown(ranking_explainer(ctx.catalog))

    if ctx.big:
        share_block(ctx, profile, shortlist, share_link(query))


def what_if_block(ctx: FindContext, profile: Profile) -> None:
    changes = what_if(ctx.catalog, profile)
    if not changes:
        st.info(what_if_hint())
    for w in changes:  # "**With a bigger budget (yours is low)**, the top 10 would be the same."
        st.markdown(f"- **{escape_md(w.label)}**, {escape_md(w.outcome(ctx.catalog))}.")


def charts_block(ctx: FindContext, profile: Profile, top: Sequence[Recommendation]) -> None:
    catalog, big = ctx.catalog, ctx.big
    top_slugs = [r.slug for r in top]
    if not top_slugs:
        st.info("No tools to chart yet.")
        return
    have = sorted(profile.values("have"), key=catalog.title)
    cov = coverage(catalog, top_slugs, profile.focus, profile.principles, list(profile.goals), in_place=have)
    st.markdown(f"**{escape_md(coverage_sentence(cov, len(top_slugs)))}**")
    st.subheader("What each of the top tools covers")
    st.altair_chart(
        charts.heatmap(cov, catalog, top_slugs, big, in_place=have, positions=[r.position for r in top]),
        width="stretch",
    )
    g1, g2 = st.container(), st.container()
    with g1:
        st.subheader("Focus areas and principles")
        st.caption(escape_md(tags_headline(cov)))
        st.altair_chart(charts.coverage_bars(cov, big), width="stretch")
    with g2:
        st.subheader("Your goals")
        gaps = [r.label for r in cov.gaps if r.dimension == "Goal"]
        st.caption(
            escape_md("Goals no top tool advances: " + ", ".join(gaps) + ".")
            if gaps
            else "Each of your goals is advanced by at least one top tool."
        )
        if profile.goals:
            st.altair_chart(charts.goal_bars(cov, big), width="stretch")


def _add_all(slugs: list[str]) -> None:
    short = list(st.session_state.find_shortlist)
    st.session_state.find_shortlist = short + [s for s in slugs if s not in short]


def package_block(ctx: FindContext, profile: Profile) -> None:
    catalog = ctx.catalog
    pkg = balanced_package(catalog, profile)
    st.markdown(
        "A small set of tools that together cover your goals: each goal gets its strongest available "
        "tool first (most important goal first), then focus areas and principles, with the least that "
        "stands in the way."
    )
    for i, line in enumerate(pkg.steps, 1):
        st.markdown(f"{i}. {escape_md(line)}")
    with st.container(horizontal=True, gap="medium"):  # wraps: fixed columns cut long titles
        for slug in pkg.slugs:
            tool_link(catalog.tools[slug])
    if pkg.gaps:
        names = [catalog.goal_name(g) for g in pkg.gap_goals] + list(pkg.gap_focus) + list(pkg.gap_principles)
        st.warning(
            escape_md("Still not covered by any recommended tool: " + ", ".join(names) + "."), icon=":material/report:"
        )
    elif pkg.slugs:
        st.success("Everything you chose is covered by this package.", icon=":material/check_circle:")
    if pkg.slugs:
        b1, b2 = st.columns(2)
        b1.button(
            "Add the package to the shortlist",
            key="find_add_package",
            on_click=_add_all,
            args=(list(pkg.slugs),),
            icon=":material/bookmark_add:",
        )
        with b2:
            st.page_link(
                page("compare"),
                label="Compare the package",
                icon=":material/compare_arrows:",
                query_params={
                    "tools": ",".join(pkg.slugs[:MAX_COMPARE]),
                    **Scenario(profile=profile).to_query(False, False),
                },
            )
