"""Find tools: goals and constraints in; ranked, explained results, charts, package.

The whole scenario lives in the address (see logic/scenario.py), so a copied
link reopens it exactly. In projector mode the page becomes a facilitator's
step-by-step flow: Goals -> Constraints -> Results -> Package, one decision a
screen, with large Back and Next buttons.

This page is the step flow: the goals and constraints steps, the projector's
steps and the desk layout. What it places lives in ui/, a concept a module:
find_scenario (the scenario <-> the widgets), find_tabs (the results and their
tabs), find_cards (the ranked list), find_plan, find_share and find_room.
"""

from contextlib import AbstractContextManager, nullcontext
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from logic.about import ABOUT_LABEL, MAX_ABOUT_CHARS
from logic.constraints import REGISTRY
from logic.scenario import MAX_COMPARE, STEPS, Scenario
from logic.taxonomy import DEFAULT_IMPORTANCE, FOCUS_AREAS, IMPORTANCE_LABELS, PRINCIPLES, Importance
from logic.text import escape_md
from ui.find_context import KEEP, FindContext
from ui.find_plan import plan_block
from ui.find_room import room_votes, watch_room
from ui.find_scenario import (
    NOTES,
    PLAN_TAB,
    WANTS_SAID,
    add_wants,
    chosen_goals,
    enter,
    guess_buttons,
    scenario_from_widgets,
)
from ui.find_share import open_file_block, share_block, share_link
from ui.find_tabs import package_block, results_block
from ui.keyboard import keyboard_help
from ui.page_state import remember_params, show_url_notes
from ui.pages import page
from ui.projector import projector_on
from ui.resources import get_catalog

ctx = FindContext.build(get_catalog(), projector_on())
catalog, big = ctx.catalog, ctx.big
STEP_LABELS = {
    "goals": "1 Goals",
    "constraints": "2 Constraints",
    "results": "3 Results",
    "package": "4 Package",
    "plan": "5 Plan",
}
# a goal's importance widget holds plain 1-3: Streamlit would coerce an enum value against its options
IMPORTANCE_CHOICES = [int(i) for i in Importance]
# Wider than a phone (where the columns stack and Streamlit's own margins are narrower): side
# margins of 2rem, and the controls column stays in view with a scroll bar of its own while the
# page scrolls the results, so a constraint far down the controls is clicked with the results
# beside it on screen. (The results do not get the inner scroll bar: axe cannot then tell the
# tabs' background.) The result tabs' base line is an inset shadow of the tab strip instead of
# Streamlit's 2 px pseudo-element under it: axe counts that element as overlapping the labels
# and cannot then decide their contrast. Where the page's main area is narrower than 56rem
# (a 1024 px screen with the sidebar open) the two columns would cut the goals' names and hide
# result tabs: the results go under the controls, as on a phone.
DESK_CSS = """<style>
[data-testid='stTabs'] [role='tablist']::after { display: none; }
[data-testid='stTabs'] [role='tablist'] { box-shadow: inset 0 -2px 0 rgba(26, 26, 26, 0.1); }
@media (min-width: 50rem) {
  [data-testid='stMainBlockContainer'] { padding-left: 2rem; padding-right: 2rem; }
  [data-testid='stLayoutWrapper']:has(> .st-key-find_controls) {
    position: sticky; top: 3.75rem; max-height: calc(100vh - 4.5rem); overflow-y: auto;
  }
}
[data-testid='stMain'] { container-type: inline-size; }
@container (max-width: 56rem) {
  [data-testid='stHorizontalBlock']:has(.st-key-find_controls) { flex-wrap: wrap; }
  [data-testid='stHorizontalBlock']:has(.st-key-find_controls) > [data-testid='stColumn'] {
    flex: 1 1 100%; width: 100%; min-width: 100%;
  }
  [data-testid='stLayoutWrapper']:has(> .st-key-find_controls) {
    position: static; max-height: none; overflow-y: visible;
  }
}
</style>"""

notes = enter(ctx)  # the address's scenario (or the last one) on entering; None on the page's own reruns


def _toggle_have(slug: str) -> None:
    """One click marks a tool most towns have by mandate as in place (or not): `have=`."""
    have = list(st.session_state.get("find_have") or [])
    st.session_state.find_have = [s for s in have if s != slug] if slug in have else [*have, slug]


def _move(delta: int) -> None:
    i = STEPS.index(st.session_state.find_step or "goals")
    st.session_state.find_step = STEPS[max(0, min(len(STEPS) - 1, i + delta))]


def goals_step() -> None:
    with st.container(border=True):
        st.header("1 · Goals", anchor=False)
        st.caption("Pick the outcomes that matter, then say how much each one matters.")
        st.text_input(
            "Type what the town wants, or pick below",
            key="find_wants",
            placeholder="flooding, seniors, downtown",
            on_change=add_wants,
            args=(ctx,),
            help="Separate with commas. Each phrase is read as the goal it names and picked below, as important.",
        )
        added, already, misses = st.session_state.pop(WANTS_SAID, ((), (), ()))
        if added:
            st.success("Picked " + ", ".join(f"“{escape_md(catalog.goal_name(g))}”" for g in added) + ".")
        if already:
            st.info("Already picked: " + ", ".join(f"“{escape_md(catalog.goal_name(g))}”" for g in already) + ".")
        for miss in misses:
            st.warning(escape_md(miss))
        for group, gids in ctx.groups.items():
            st.pills(
                escape_md(group),
                gids,
                selection_mode="multi",
                format_func=lambda g: escape_md(catalog.goal_name(g)),
                key=ctx.group_keys[group],
                persist_state=KEEP,
            )
        chosen = list(chosen_goals(ctx))
        if chosen:
            st.markdown("**How much does each goal matter?**")
            # at the desk, one under another; on a projector two abreast (three cut "Nice to have"
            # and hid "Essential" at 1280 px: a 310 px column for a 440 px control)
            cols = st.columns(min(2, len(chosen))) if big else [st.container()]
            for i, gid in enumerate(chosen):
                st.session_state.setdefault(f"find_imp_{gid}", int(DEFAULT_IMPORTANCE))
                with cols[i % len(cols)]:
                    st.segmented_control(
                        escape_md(catalog.goal_name(gid)),
                        IMPORTANCE_CHOICES,
                        format_func=lambda v: IMPORTANCE_LABELS[v],
                        key=f"find_imp_{gid}",
                        persist_state=KEEP,
                    )
        # drawn only when open (open from the start when the scenario names one); closed, the
        # choices keep their values (persist_state) and the page has two heavy widgets fewer
        tagged = bool(st.session_state.find_focus or st.session_state.find_principle)
        box = st.expander("Optional: focus areas and principles", expanded=tagged, key="find_tags", on_change="rerun")
        with box:
            if box.open:
                st.pills("Focus areas", FOCUS_AREAS, selection_mode="multi", key="find_focus", persist_state=KEEP)
                st.pills("Principles", PRINCIPLES, selection_mode="multi", key="find_principle", persist_state=KEEP)


def about_box() -> None:
    """The town in a sentence (`about=`): its words raise the tools they point to (logic.about)."""
    st.text_input(
        f"{ABOUT_LABEL} (optional)",
        key="find_about",
        max_chars=MAX_ABOUT_CHARS,
        placeholder="a river borough whose Main Street floods every spring",
        help="Words that point to a tool (warehouses, a train station, vacant lots) raise it among the tools "
        "that serve your goals, and its card quotes them. It never brings in a tool that serves none of them.",
        persist_state=KEEP,
    )


def constraints_step() -> None:
    with st.container(border=True):
        st.header("2 · Constraints", anchor=False)
        st.caption(
            "Leave any of these empty if it does not apply. Only state law rules a tool out; "
            "the rest lower its score and say why."
        )
        # one row that wraps: each control as wide as its buttons (fixed columns cut "3+ years" off)
        with st.container(horizontal=True, gap="medium"):
            for kind in REGISTRY.single():
                st.segmented_control(
                    escape_md(kind.label),
                    kind.valid(catalog),
                    format_func=lambda v, kind=kind: escape_md(kind.value_label(v)),
                    key=f"find_{kind.name}",
                    help=escape_md(kind.help) if kind.help else None,
                    persist_state=KEEP,
                )
        common = [t for t in catalog.tools.values() if t.mandate]
        if common:
            have = set(st.session_state.get("find_have") or [])
            st.markdown("**Most towns already have these by mandate. Does yours?**")
            with st.container(horizontal=True, gap="small"):
                for tool in common:
                    on = tool.slug in have
                    st.button(
                        f"We have {tool.title}" if on else f"Mark {tool.title} in place",
                        key=f"find_mandate_{tool.slug}",
                        icon=":material/check_box:" if on else ":material/check_box_outline_blank:",
                        on_click=_toggle_have,
                        args=(tool.slug,),
                        help=escape_md(tool.mandate),
                        type="primary" if on else "secondary",
                    )
        for kind in REGISTRY:
            if kind.widget == "multiselect":
                label = partial(kind.value_label, catalog=catalog)
                st.multiselect(
                    escape_md(kind.label),
                    sorted(kind.valid(catalog), key=label),
                    format_func=label,  # options are plain text
                    key=f"find_{kind.name}",
                    help=escape_md(kind.help) if kind.help else None,
                    placeholder="None yet",
                    select_all=False,  # "Select 2 matches" on Enter marked tools in place silently
                    persist_state=KEEP,
                )
        for kind in REGISTRY:
            if kind.widget != "pills":
                continue
            # one element for the fourteen choices (a checkbox each, with its own tooltip, was
            # fourteen elements for the browser to draw); what each means is in the one tooltip
            meanings = [
                f"- **{escape_md(kind.value_label(v, catalog))}**: {escape_md(catalog.challenges[v].description)}"
                for v in kind.valid(catalog)
                if v in catalog.challenges and catalog.challenges[v].description
            ]
            st.pills(
                escape_md(kind.label),
                kind.valid(catalog),
                selection_mode="multi",
                format_func=lambda v, kind=kind: escape_md(kind.value_label(v, catalog)),
                key=f"find_{kind.name}",
                help="\n".join(meanings) or None,
                persist_state=KEEP,
            )
        about_box()


# ---- the page ----
if not big or st.session_state.find_step in (None, "goals"):
    # on the projector the step bar says where the room is, so the later steps start with
    # their content: the first tool is on the first screen at 1280x720
    st.title("Find tools", anchor=False)
show_url_notes(NOTES, notes, partial(guess_buttons, ctx))
keyboard_help()  # "Skip to goals" first on the Tab order; focus stays on a pressed shortlist button
# the projector shows one step a screen; the desk (None) shows the controls and the results together
step = (st.session_state.find_step or "goals") if big else None


def step_buttons(where: str) -> DeltaGenerator:
    """Large Back and Next buttons for the facilitator's flow; returns the place beside
    them where the shortlist goes (filled at the end of the run, when it is known)."""
    i = STEPS.index(st.session_state.find_step or "goals")
    back, middle, forward = st.columns([1.5, 7, 1.5], vertical_alignment="center")
    with back:
        st.button(
            "Back",
            key=f"find_back_{where}",
            icon=":material/arrow_back:",
            on_click=_move,
            args=(-1,),
            disabled=i == 0,
            width="stretch",
        )
    with forward:
        st.button(
            "Next",
            key=f"find_next_{where}",
            icon=":material/arrow_forward:",
            on_click=_move,
            args=(1,),
            disabled=i == len(STEPS) - 1,
            type="primary",
            width="stretch",
        )
    if where == "top":
        with middle:
            st.segmented_control(
                "Step",
                STEPS,
                format_func=lambda s: STEP_LABELS[s],
                key="find_step",
                label_visibility="collapsed",
                persist_state=KEEP,
                width="stretch",
            )
        # a row of its own under the steps: beside them it clipped every label at 1280 px
        return st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
    return middle.container(horizontal=True, horizontal_alignment="center", vertical_alignment="center")


shortlist_places: dict[str, DeltaGenerator] = {}
if big:
    shortlist_places["top"] = step_buttons("top")
else:
    st.markdown(
        "Choose what your town wants and what you are working with; every result says why it is there. "
        "[Jump to the results](#results)"
    )

# At the desk the controls and the results sit side by side (results on the right, from the top
# of the page), so each click updates something on screen; on a phone the columns stack. The
# projector's steps take the whole width, one at a time.
# The page's side margins shrink at the desk so that a goal's name fits its column whole.
controls_area: AbstractContextManager[object]
results_area: AbstractContextManager[object]
if big:
    controls_area, results_area = nullcontext(), nullcontext()
else:
    st.html(DESK_CSS)
    controls_column, results_area = st.columns([1, 1.15], gap="medium")
    controls_area = controls_column.container(key="find_controls")  # held in view: see DESK_CSS


def controls() -> None:
    with controls_area:
        if step in (None, "goals"):
            goals_step()
        if step in (None, "constraints"):
            constraints_step()


if big:  # a step a screen, in the order of the flow
    controls()
with results_area:  # the notes, results and plan: beside the controls at the desk
    room = st.session_state.find_room
    votes, room_note = room_votes(room)
    if room_note:
        show_url_notes("find_room_notes", [room_note])
    if votes and room:
        watch_room(room)
    scenario = scenario_from_widgets(ctx, votes)
    profile, shortlist = scenario.profile, scenario.shortlist
    if not big and "find_tab" in st.session_state:  # on the desk, the open tab says whether the plan is shown
        st.session_state.find_step = "plan" if st.session_state.find_tab == PLAN_TAB else "goals"
        scenario.step = st.session_state.find_step
    query = scenario.to_query(with_room=bool(votes), with_step=big or scenario.step == "plan")
    remember_params("find", query)

    if step == "plan":
        st.header("5 · Action plan")
        if profile.asks_for_something or shortlist:
            plan_block(ctx, profile, shortlist)
            share_block(ctx, profile, shortlist, share_link(query))
        else:
            st.info("Choose at least one goal to see a plan.", icon=":material/arrow_upward:")
            open_file_block(ctx, lazy=True)
    elif step in (None, "results", "package"):
        if step is None:
            st.header("3 · Results", anchor="results")
        if not profile.asks_for_something:
            st.info(
                "Choose at least one goal (or a focus area or principle) to see which tools fit.",
                icon=":material/arrow_upward:",
            )
            open_file_block(ctx, lazy=True)
        elif step == "package":
            st.header("4 · A balanced package")
            package_block(ctx, profile)
            share_block(ctx, profile, shortlist, share_link(query))
        else:
            results_block(ctx, profile, query, shortlist, with_package_tab=step is None)

if big:
    shortlist_places["bottom"] = step_buttons("bottom")
else:  # the results column is sent first (its widgets' values are in the session already), so
    # a shared link's first card is drawn before the controls beside it
    controls()


# ---- shortlist ----
def shortlist_panel(title: bool = True) -> None:
    """What is on the shortlist, with comparing it and voting on it."""
    if title:
        st.markdown(f"**Shortlist ({len(shortlist)})**")
    if not shortlist:
        st.caption("Add tools from the results to compare them or vote on them.")
    for slug in shortlist:
        st.markdown(f"- {escape_md(catalog.title(slug))}")
    if len(shortlist) >= 2:
        st.page_link(
            page("compare"),
            label="Compare the shortlist",
            icon=":material/compare_arrows:",
            # the scenario goes along: the comparison shows each tool's fit for it
            query_params={
                "tools": ",".join(shortlist[:MAX_COMPARE]),
                **Scenario(profile=profile).to_query(False, False),
            },
        )
    vote_link()


def vote_link() -> None:
    """'Vote on the shortlist': the workshop page with the shortlist as its ballot."""
    if shortlist:
        st.page_link(
            page("workshop"),
            label="Vote on the shortlist",
            icon=":material/how_to_vote:",
            query_params={"tools": ",".join(shortlist)},
        )


# On the projector the sidebar is folded away: the shortlist opens from the step bar itself,
# above and below each step, so a facilitator reaches it (and the vote) without the sidebar.
for where, place in shortlist_places.items():
    with place.popover(f"Shortlist ({len(shortlist)})", key=f"find_shortlist_{where}", icon=":material/bookmarks:"):
        shortlist_panel(title=False)
    with place:
        vote_link()
with st.sidebar:
    shortlist_panel()
