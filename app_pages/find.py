"""Find tools: goals and constraints in; ranked, explained results, charts, package.

The whole scenario lives in the address (see logic/scenario.py), so a copied
link reopens it exactly.
"""

from urllib.parse import urlencode

import streamlit as st

from logic.coverage import coverage, coverage_sentence
from logic.export import handout_markdown, results_csv
from logic.rules import Profile, balanced_package, rank, ranking_explainer, what_if
from logic.scenario import DEFAULT_IMPORTANCE, MAX_COMPARE, parse_scenario, scenario_params
from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, PRINCIPLES, SETTINGS, STATE_NAMES, STATES
from logic.text import escape_md
from ui import charts
from ui.common import (
    FIT_LABEL,
    PAGE_FILES,
    entry_params,
    get_catalog,
    in_present_mode,
    remember_params,
    show_url_notes,
    tool_link,
)

catalog = get_catalog()
big = in_present_mode()
IMPORTANCE = {1: "Nice to have", 2: "Important", 3: "Essential"}
HORIZON_SHORT = {"short": "Under 1 year", "medium": "1-3 years", "long": "3+ years"}
TOP_N = 10

groups: dict[str, list[str]] = {}
for gid, goal in catalog.goals.items():
    groups.setdefault(goal.group, []).append(gid)
group_keys = {g: "find_goals_" + "".join(ch if ch.isalnum() else "_" for ch in g.lower()) for g in groups}

# ---- entering the page: start from the address (or the last scenario) ----
notes = None
if "find_state" not in st.session_state:
    params, from_address = entry_params("find")
    scenario = parse_scenario(params, catalog)
    p = scenario.profile
    for group, gids in groups.items():
        st.session_state[group_keys[group]] = [g for g in gids if g in p.goals]
    for gid, imp in p.goals.items():
        st.session_state[f"find_imp_{gid}"] = imp
    st.session_state.find_focus = sorted(p.focus, key=FOCUS_AREAS.index)
    st.session_state.find_principle = sorted(p.principles, key=PRINCIPLES.index)
    for cid in catalog.challenges:
        st.session_state[f"find_face_{cid}"] = cid in p.faces
    st.session_state.find_state = p.state
    st.session_state.find_setting = p.setting
    st.session_state.find_budget = p.budget
    st.session_state.find_staff = p.staff
    st.session_state.find_horizon = p.horizon
    st.session_state.find_shortlist = scenario.shortlist
    notes = scenario.notes


def _toggle_short(slug: str) -> None:
    short = list(st.session_state.find_shortlist)
    if slug in short:
        short.remove(slug)
    else:
        short.append(slug)
    st.session_state.find_shortlist = short


def _add_all(slugs: list[str]) -> None:
    short = list(st.session_state.find_shortlist)
    st.session_state.find_shortlist = short + [s for s in slugs if s not in short]


st.title("Find tools")
st.markdown(
    "Choose what your town wants and what you are working with; every result says why it is there. "
    "[Jump to the results](#results)"
)
show_url_notes("find_url_notes", notes)

with st.container(border=True):
    st.subheader("1 · Goals")
    st.caption("Pick the outcomes that matter, then say how much each one matters.")
    for group, gids in groups.items():
        st.pills(
            group,
            gids,
            selection_mode="multi",
            format_func=catalog.goal_name,
            key=group_keys[group],
        )
    chosen_goals = [g for group in groups for g in (st.session_state.get(group_keys[group]) or [])]
    goals: dict[str, int] = {}
    if chosen_goals:
        st.markdown("**How much does each goal matter?**")
        imp_cols = st.columns(min(3, len(chosen_goals)))
        for i, gid in enumerate(chosen_goals):
            st.session_state.setdefault(f"find_imp_{gid}", DEFAULT_IMPORTANCE)
            with imp_cols[i % len(imp_cols)]:
                value = st.segmented_control(
                    catalog.goal_name(gid),
                    [1, 2, 3],
                    format_func=IMPORTANCE.get,
                    key=f"find_imp_{gid}",
                )
            goals[gid] = value or DEFAULT_IMPORTANCE
    with st.expander(
        "Optional: focus areas and principles",
        expanded=bool(st.session_state.find_focus or st.session_state.find_principle),
    ):
        st.pills("Focus areas", FOCUS_AREAS, selection_mode="multi", key="find_focus")
        st.pills("Principles", PRINCIPLES, selection_mode="multi", key="find_principle")

with st.container(border=True):
    st.subheader("2 · Constraints")
    st.caption(
        "Leave any of these empty if it does not apply. Only state law rules a tool out; the rest lower its score and say why."
    )
    a, b = st.columns(2)
    with a:
        st.segmented_control("State", STATES, format_func=STATE_NAMES.get, key="find_state")
    with b:
        st.segmented_control("Setting", SETTINGS, format_func=str.capitalize, key="find_setting")
    a, b, c = st.columns(3)
    with a:
        st.segmented_control("Budget", LEVELS, format_func=str.capitalize, key="find_budget")
    with b:
        st.segmented_control("Staff capacity", LEVELS, format_func=str.capitalize, key="find_staff")
    with c:
        st.segmented_control("Time horizon", HORIZONS, format_func=HORIZON_SHORT.get, key="find_horizon")
    st.markdown("**Challenges your town faces** (hover the ? for what each means)")
    cc = st.columns(2)
    for i, (cid, ch) in enumerate(catalog.challenges.items()):
        with cc[i % 2]:
            st.checkbox(ch.name, key=f"find_face_{cid}", help=ch.description)

profile = Profile(
    goals=goals,
    focus=frozenset(st.session_state.find_focus or []),
    principles=frozenset(st.session_state.find_principle or []),
    faces=frozenset(cid for cid in catalog.challenges if st.session_state.get(f"find_face_{cid}")),
    state=st.session_state.find_state,
    setting=st.session_state.find_setting,
    budget=st.session_state.find_budget,
    staff=st.session_state.find_staff,
    horizon=st.session_state.find_horizon,
)
shortlist = [s for s in st.session_state.find_shortlist if s in catalog.tools]
params = scenario_params(profile, shortlist)
remember_params("find", params)

# ---- results ----
st.header("3 · Results", anchor="results")
if not profile.asks_for_something:
    st.info(
        "Choose at least one goal (or a focus area or principle) to see which tools fit.",
        icon=":material/arrow_upward:",
    )
    st.stop()

ranked = rank(catalog, profile)
recs = [r for r in ranked if r.recommended]
barred = [r for r in ranked if r.excluded]
top = recs[:TOP_N]
counts = {band: sum(1 for r in recs if r.fit == band) for band in ("strong", "possible", "weak")}
summary = f"**{len(recs)} tools fit**: {counts['strong']} strong, {counts['possible']} possible, {counts['weak']} weak."
if barred:
    summary += f" {len(barred)} not available in {STATE_NAMES[profile.state or 'PA']}."
st.markdown(summary)

link = (st.context.url or "") + "?" + urlencode(params)
with st.expander("Share or hand out this scenario", icon=":material/share:"):
    st.caption("Copy this link: it reopens exactly these choices and shortlist.")
    st.code(link, language=None, wrap_lines=True)
    pkg_for_export = balanced_package(catalog, profile)
    d1, d2 = st.columns(2)
    d1.download_button(
        "Download results (CSV)",
        results_csv(recs + barred),
        "toolbox-results.csv",
        "text/csv",
        key="find_dl_csv",
        on_click="ignore",
    )
    d2.download_button(
        "Download a handout (Markdown)",
        handout_markdown(catalog, profile, recs + barred, pkg_for_export, link),
        "toolbox-handout.md",
        "text/markdown",
        key="find_dl_md",
        on_click="ignore",
    )

tab_list, tab_charts, tab_pkg, tab_whatif, tab_how = st.tabs(
    ["Ranked tools", "Coverage charts", "Balanced package", "What if", "How the ranking works"]
)


def _card(i: int, r) -> None:
    with st.container(border=True):
        st.markdown(f"#### {i}. {escape_md(r.title)}")
        st.markdown(f"{FIT_LABEL[r.fit]} **Score {r.score}** of 100")
        st.markdown("\n".join(f"- {escape_md(x)}" for x in r.reasons))
        for f in r.flags:
            with st.expander(f"{f.title}: {f.message}", icon=":material/warning:"):
                if f.note:
                    st.markdown(f"**For this tool:** {escape_md(f.note)}")
                if f.mitigations:
                    st.markdown("**Ways around it**")
                    st.markdown("\n".join(f"- {escape_md(m)}" for m in f.mitigations))
                for slug in f.enablers:
                    tool_link(
                        catalog.tools[slug], label=f"Tool that helps: {catalog.title(slug)}", icon=":material/handyman:"
                    )
        read, act = st.columns(2)
        with read:
            tool_link(catalog.tools[r.slug], label="Read about this tool", icon=":material/arrow_forward:")
        with act:
            on = r.slug in shortlist
            st.button(
                "Remove from shortlist" if on else "Add to shortlist",
                key=f"find_short_{r.slug}",
                icon=":material/bookmark_remove:" if on else ":material/bookmark_add:",
                on_click=_toggle_short,
                args=(r.slug,),
                type="secondary" if on else "primary",
            )


with tab_list:
    if not recs:
        st.warning("No tool serves what you asked for. Try another goal or fewer tags.")
    for i, r in enumerate(top, 1):
        _card(i, r)
    if len(recs) > TOP_N:
        with st.expander(f"Show the other {len(recs) - TOP_N} tools that fit"):
            for i, r in enumerate(recs[TOP_N:], TOP_N + 1):
                _card(i, r)
    if barred:
        st.subheader(f"Not available in {STATE_NAMES[profile.state or 'PA']}")
        for r in barred:
            st.markdown(f"- **{escape_md(r.title)}**: {escape_md(r.reasons[0])}")

top_slugs = [r.slug for r in top]
cov = coverage(catalog, top_slugs, profile.focus, profile.principles, list(profile.goals))
with tab_charts:
    if not top_slugs:
        st.info("No tools to chart yet.")
    else:
        st.markdown(f"**{escape_md(coverage_sentence(cov, len(top_slugs)))}**")
        st.subheader("What each of the top tools covers")
        st.altair_chart(charts.heatmap(cov, catalog, top_slugs, big), width="content")
        g1, g2 = st.columns(2)
        with g1:
            st.subheader("Focus areas and principles")
            uncovered = [r.label for r in cov.rows if r.dimension != "Goal" and r.count == 0]
            st.caption(
                "Not covered by the top tools: " + ", ".join(uncovered) + "."
                if uncovered
                else "Every focus area and principle is covered by at least one top tool."
            )
            st.altair_chart(charts.coverage_bars(cov, big), width="stretch")
        with g2:
            st.subheader("Your goals")
            gaps = [r.label for r in cov.rows if r.dimension == "Goal" and r.count == 0]
            st.caption(
                "Goals no top tool advances: " + ", ".join(gaps) + "."
                if gaps
                else "Each of your goals is advanced by at least one top tool."
            )
            if profile.goals:
                st.altair_chart(charts.goal_bars(cov, big), width="stretch")

with tab_pkg:
    pkg = pkg_for_export
    st.markdown(
        "A small set of tools that together cover as many of your goals, then focus areas and "
        "principles, as possible, with the least that stands in the way."
    )
    for i, step in enumerate(pkg.steps, 1):
        st.markdown(f"{i}. {escape_md(step)}")
    cols = st.columns(max(1, len(pkg.slugs)))
    for col, slug in zip(cols, pkg.slugs, strict=False):
        with col:
            tool_link(catalog.tools[slug])
    if pkg.gaps:
        names = [catalog.goal_name(g) for g in pkg.gap_goals] + list(pkg.gap_focus) + list(pkg.gap_principles)
        st.warning("Still not covered by any recommended tool: " + ", ".join(names) + ".", icon=":material/report:")
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
                PAGE_FILES["compare"],
                label="Compare the package",
                icon=":material/compare_arrows:",
                query_params={"tools": ",".join(pkg.slugs[:MAX_COMPARE])},
            )

with tab_whatif:
    changes = what_if(catalog, profile)
    if not changes:
        st.info(
            "Set a constraint (state, setting, budget, staff, horizon or a challenge) to see what relaxing it would change."
        )
    for w in changes:
        parts = []
        if w.entered:
            parts.append("would bring in " + ", ".join(catalog.title(s) for s in w.entered))
        if w.left:
            parts.append("would push out " + ", ".join(catalog.title(s) for s in w.left))
        if w.moved_up and not parts:
            parts.append("would move up " + ", ".join(catalog.title(s) for s in w.moved_up[:3]))
        text = "; ".join(parts) if parts else "would not change the top 10"
        st.markdown(f"- **{escape_md(w.label)}** {escape_md(text)}.")

with tab_how:
    st.markdown(ranking_explainer())

# ---- shortlist ----
with st.sidebar:
    st.markdown(f"**Shortlist ({len(shortlist)})**")
    if not shortlist:
        st.caption("Add tools from the results to compare them.")
    for slug in shortlist:
        st.markdown(f"- {escape_md(catalog.title(slug))}")
    if len(shortlist) >= 2:
        st.page_link(
            PAGE_FILES["compare"],
            label="Compare the shortlist",
            icon=":material/compare_arrows:",
            query_params={"tools": ",".join(shortlist[:MAX_COMPARE])},
        )
