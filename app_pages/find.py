"""Find tools: goals and constraints in; ranked, explained results, charts, package.

The whole scenario lives in the address (see logic/scenario.py), so a copied
link reopens it exactly. In projector mode the page becomes a facilitator's
step-by-step flow: Goals -> Constraints -> Results -> Package, one decision a
screen, with large Back and Next buttons.
"""

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from logic.brief import FORMATS, default_title, file_name, make_brief, render
from logic.constraints import REGISTRY
from logic.coverage import coverage, coverage_sentence, tags_headline
from logic.plan import Plan, make_plan, plan_summary
from logic.rules import Profile, Recommendation, balanced_package, rank, ranking_explainer, what_if, what_if_hint
from logic.scenario import MAX_COMPARE, STEPS, Scenario
from logic.scenario_file import read_scenario_file
from logic.taxonomy import DEFAULT_IMPORTANCE, FOCUS_AREAS, IMPORTANCE_LABELS, PRINCIPLES, STATE_NAMES
from logic.text import escape_md, md_link
from logic.votes import ResultsHidden, VoteError, VoteStore
from ui import charts
from ui.common import (
    FIT_LABEL,
    arrived,
    code_lookup_refused,
    entry_params,
    get_catalog,
    get_store,
    projector_on,
    remember_params,
    show_url_notes,
    tool_link,
    way_around,
)
from ui.keyboard import keyboard_help
from ui.pages import page

catalog = get_catalog()
big = projector_on()
STEP_LABELS = {
    "goals": "1 Goals",
    "constraints": "2 Constraints",
    "results": "3 Results",
    "package": "4 Package",
    "plan": "5 Plan",
}
PLAN_TAB = "Action plan"
BRIEF_TOP = 5  # the brief explains the top 5 (two pages); the CSV lists every tool
TOP_N = 5 if big else 10
MORE_N = 50  # cards added at a time under "Show the other ..."
# Wider than a phone (where the columns stack and Streamlit's own margins are narrower): side
# margins of 2rem, and the controls column stays in view with a scroll bar of its own while the
# page scrolls the results, so a constraint far down the controls is clicked with the results
# beside it on screen. (The results do not get the inner scroll bar: axe cannot then tell the
# tabs' background.)
DESK_CSS = """<style>
@media (min-width: 50rem) {
  [data-testid='stMainBlockContainer'] { padding-left: 2rem; padding-right: 2rem; }
  [data-testid='stLayoutWrapper']:has(> .st-key-find_controls) {
    position: sticky; top: 3.75rem; max-height: calc(100vh - 4.5rem); overflow-y: auto;
  }
}
</style>"""
KEEP = "page"  # widgets of a hidden step keep their value while on this page

groups: dict[str, list[str]] = {}
for gid, goal in catalog.goals.items():
    groups.setdefault(goal.group, []).append(gid)
group_keys = {g: f"find_goals_{catalog.goals[gids[0]].group_id}" for g, gids in groups.items()}  # ids, not text

# ---- the scenario <-> the widgets, in one place ----
# The address is the scenario's home (logic/scenario.py parses and writes it);
# the widgets hold it while on the page. `bind` fills the widgets from a
# scenario when the page is entered; `scenario_from_widgets` reads it back.
# Every constraint widget comes from the registry (logic/constraints.py).


def bind(scenario: Scenario) -> None:
    p = scenario.profile
    for group, gids in groups.items():
        st.session_state[group_keys[group]] = [g for g in gids if g in p.goals]
    for gid, imp in p.goals.items():
        st.session_state[f"find_imp_{gid}"] = imp
    st.session_state.find_focus = sorted(p.focus, key=FOCUS_AREAS.index)
    st.session_state.find_principle = sorted(p.principles, key=PRINCIPLES.index)
    for kind in REGISTRY:
        value = p.get(kind.name)
        if kind.widget == "multiselect":
            st.session_state[f"find_{kind.name}"] = sorted(value or (), key=catalog.title)
        elif kind.multi:
            st.session_state[f"find_{kind.name}"] = [v for v in kind.valid(catalog) if v in (value or ())]
        else:
            st.session_state[f"find_{kind.name}"] = value
    st.session_state.find_shortlist = scenario.shortlist
    st.session_state.find_room = scenario.room
    st.session_state.find_step = scenario.step
    if scenario.step == "plan" and not projector_on():  # a desk link to the plan opens its tab
        st.session_state.find_tab = PLAN_TAB


def scenario_from_widgets(votes: dict[str, int]) -> Scenario:
    constraints: dict[str, object] = {}
    for kind in REGISTRY:
        if kind.multi:
            constraints[kind.name] = set(st.session_state.get(f"find_{kind.name}") or [])
        else:
            constraints[kind.name] = st.session_state.get(f"find_{kind.name}")
    profile = Profile(
        goals=_chosen_goals(),
        focus=frozenset(st.session_state.find_focus or []),
        principles=frozenset(st.session_state.find_principle or []),
        votes=votes,
        **constraints,
    )
    shortlist = [s for s in st.session_state.find_shortlist if s in catalog.tools]
    return Scenario(
        profile=profile, shortlist=shortlist, room=st.session_state.find_room, step=st.session_state.find_step
    )


notes = None
if arrived() or "find_step" not in st.session_state:  # entering the page: from the address, or the last scenario
    address, _ = entry_params("find")
    entered = Scenario.from_query(address, catalog)
    bind(entered)
    notes = entered.notes


def _toggle_short(slug: str) -> None:
    short = list(st.session_state.find_shortlist)
    if slug in short:
        short.remove(slug)
    else:
        short.append(slug)
    st.session_state.find_shortlist = short


def _toggle_have(slug: str) -> None:
    """One click marks a tool most towns have by mandate as in place (or not): `have=`."""
    have = list(st.session_state.get("find_have") or [])
    st.session_state.find_have = [s for s in have if s != slug] if slug in have else [*have, slug]


def _add_all(slugs: list[str]) -> None:
    short = list(st.session_state.find_shortlist)
    st.session_state.find_shortlist = short + [s for s in slugs if s not in short]


def _move(delta: int) -> None:
    i = STEPS.index(st.session_state.find_step or "goals")
    st.session_state.find_step = STEPS[max(0, min(len(STEPS) - 1, i + delta))]


def _chosen_goals() -> dict[str, int]:
    chosen = [g for group in groups for g in (st.session_state.get(group_keys[group]) or [])]
    return {g: st.session_state.get(f"find_imp_{g}") or DEFAULT_IMPORTANCE for g in chosen}


def goals_step() -> None:
    with st.container(border=True):
        st.header("1 · Goals", anchor=False)
        st.caption("Pick the outcomes that matter, then say how much each one matters.")
        for group, gids in groups.items():
            st.pills(
                escape_md(group),
                gids,
                selection_mode="multi",
                format_func=lambda g: escape_md(catalog.goal_name(g)),
                key=group_keys[group],
                persist_state=KEEP,
            )
        chosen = list(_chosen_goals())
        if chosen:
            st.markdown("**How much does each goal matter?**")
            # at the desk, one under another (three abreast cut "Nice to have" in the controls' column)
            cols = st.columns(min(3, len(chosen))) if big else [st.container()]
            for i, gid in enumerate(chosen):
                st.session_state.setdefault(f"find_imp_{gid}", DEFAULT_IMPORTANCE)
                with cols[i % len(cols)]:
                    st.segmented_control(
                        escape_md(catalog.goal_name(gid)),
                        [1, 2, 3],
                        format_func=IMPORTANCE_LABELS.get,
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
                st.multiselect(
                    escape_md(kind.label),
                    sorted(kind.valid(catalog), key=lambda v, kind=kind: kind.value_label(v, catalog)),
                    format_func=lambda v, kind=kind: kind.value_label(v, catalog),  # options are plain text
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


def room_votes(code: str | None) -> tuple[dict[str, int], str | None]:
    """The dots a workshop room gave, and a note when the code is not usable."""
    if not code:
        return {}, None
    try:
        refused = code_lookup_refused(code, get_store().get_session(code) is not None)
        if refused:  # a room code is a join code: looking one up counts like a join
            return {}, f"Ignored room= in the address: {refused}"
        return get_store().totals(code), None
    except ResultsHidden:  # hidden means hidden here too, until the facilitator reveals them
        return {}, "The room's votes are hidden until the facilitator reveals them; ranking without them."
    except VoteError as exc:
        return {}, f"Ignored room={code!r} in the address: {exc}"
    except Exception as exc:  # noqa: BLE001 - a storage outage must not break the page
        return {}, f"The room's votes could not be read ({type(exc).__name__}); ranking without them."


def room_still_visible(store: VoteStore, code: str) -> bool:
    """Whether the room's totals may still be shown (no Streamlit call: a download's
    callable runs outside the script). Hidden or unreadable: False."""
    try:
        store.totals(code)
    except Exception:  # noqa: BLE001 - ResultsHidden, or the storage did not answer: leave the dots out
        return False
    return True


@st.fragment(run_every=5)
def watch_room(code: str) -> None:
    """An open page ranked with a room's dots reruns within seconds of the facilitator
    hiding them (one read every 5 s), so neither the page nor its files keep them."""
    if not room_still_visible(get_store(), code):
        st.rerun(scope="app")


def _open_scenario_file() -> None:
    """The uploader's callback (it runs before the page): restore the file's scenario,
    staying on the current step, or keep everything and say why the file was refused."""
    upload = st.session_state.get("find_scenario_file")
    if upload is None:
        return
    loaded = read_scenario_file(upload.getvalue(), catalog)
    if loaded.scenario is None:
        st.session_state.find_file_note = ("error", loaded.message)
        return
    loaded.scenario.step = st.session_state.get("find_step") or "goals"
    bind(loaded.scenario)
    if loaded.title:
        st.session_state.find_brief_title = loaded.title
    st.session_state.find_file_note = ("success", loaded.message)


def open_file_block(lazy: bool = False) -> None:
    """The scenario-file uploader and what became of the last file. `lazy`: behind an
    expander that draws it when opened (Streamlit's drop zone is heavy, and carries an
    ARIA role conflict that axe reports, so it is not on the page until asked for)."""
    if lazy:
        box = st.expander("Open a saved scenario", icon=":material/upload_file:", key="find_open", on_change="rerun")
        with box:
            if box.open:
                open_file_block()
        return
    st.file_uploader(
        "Open a scenario file (.json)",
        type=["json"],
        key="find_scenario_file",
        on_change=_open_scenario_file,
        max_upload_size=1,
        help="A file saved with 'Scenario file (JSON)' restores its goals, constraints and shortlist exactly.",
    )
    kind, message = st.session_state.get("find_file_note", (None, None))
    if message:
        (st.success if kind == "success" else st.error)(escape_md(message))


def share_block(profile: Profile, shortlist: list[str], link: str) -> None:
    """Link, brief (PDF, HTML), results (CSV), handout (Markdown), scenario file (JSON), and opening one.
    Each file is made when its button is pressed; the button shows a spinner meanwhile."""
    today = dt.date.today()
    st.session_state.setdefault("find_brief_title", default_title(today))
    box = st.expander("Share or hand out this scenario", icon=":material/share:", key="find_share", on_change="rerun")
    with box:
        if not box.open:  # drawn when opened: the plan, the buttons and the uploader cost nothing closed
            return
        st.caption("Copy this link: it reopens exactly these choices and shortlist.")
        st.code(link, language=None, wrap_lines=True)
        st.text_input("Title of the brief", key="find_brief_title", max_chars=120, persist_state=KEEP)
        title = st.session_state.find_brief_title or default_title(today)
        # read the page's state now: the files are made later, when a button is pressed
        plan, source = plan_for(profile, shortlist)
        scenario = Scenario(
            profile=profile, shortlist=shortlist, room=st.session_state.find_room if profile.votes else None
        )
        store = get_store()

        def made(fmt: str) -> Callable[[], bytes]:
            def build() -> bytes:
                # made when pressed, maybe long after this run: a room hidden since carries no dots
                if scenario.room and not room_still_visible(store, scenario.room):
                    quiet = Scenario(profile=profile.replace(votes={}), shortlist=shortlist)
                    return render(make_brief(catalog, quiet, title, link, BRIEF_TOP, today=today), catalog, fmt)
                return render(
                    make_brief(catalog, scenario, title, link, BRIEF_TOP, plan, source, today=today), catalog, fmt
                )

            return build

        # one button a format (logic/brief/formats.py), in a row that wraps, each as wide as its
        # label: fixed columns cut the labels in projector mode ("Brief (H...", "Handou...")
        row = st.container(horizontal=True, gap="small")
        for fmt in FORMATS.values():
            row.download_button(
                fmt.label,
                made(fmt.name),
                file_name(title, fmt.name, today),
                fmt.media_type,
                key=f"find_dl_{fmt.name}",
                icon=fmt.icon,
                on_click="ignore",
                width="content",
            )
        st.caption(
            f"The brief explains the top {BRIEF_TOP} tools with the coverage charts, the package, the plan and "
            "each tool's case studies and model ordinances; it takes a second or two to make (the button shows "
            "a spinner). The CSV lists every tool; the scenario file reopens these choices here."
        )
        open_file_block()


def card(i: int, r: Recommendation, shortlist: list[str]) -> None:
    with st.container(border=True):
        # few elements a card (the browser's time goes to drawing them): the heading, fit,
        # reasons and why it sits below the card above in one; the bar beside the actions
        headline = r.strength_summary(catalog)
        fit = f"{FIT_LABEL[r.fit]} **{escape_md(headline)}**" if headline else FIT_LABEL[r.fit]
        if r.dots:  # the room's vote beside the fit, never in it
            fit += f" · :blue-badge[:material/how_to_vote: {r.dots} dot{'s' if r.dots != 1 else ''} from the room]"
        if r.leads_for:
            fit += f" · :green-badge[:material/star: Best for “{escape_md(catalog.goal_name(r.leads_for))}”]"
        # the headline says how it serves each goal and each flag below says what stands in the
        # way, so the card lists only the other reasons (each obstacle stated once)
        why = "\n".join(f"- {escape_md(x)}" for x in r.notes)
        # a heading without a "Link to heading" anchor: one Tab stop fewer on every card
        st.subheader(f"{escape_md(r.position or str(i))}. {escape_md(r.title)}", anchor=False)
        st.markdown(f"{fit}\n\n{why}" + (f"\n\n_{escape_md(r.vs_above)}_" if r.vs_above else ""))
        for f in r.flags:
            with st.expander(escape_md(f"{f.title}: {f.message}"), icon=":material/warning:"):
                way_around(f.note, f.mitigations)
                for slug in f.enablers:
                    tool_link(
                        catalog.tools[slug], label=f"Tool that helps: {catalog.title(slug)}", icon=":material/handyman:"
                    )
        with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
            st.progress(r.score / 100, text=f"Fit score {r.score} of 100", width="stretch")
            tool_link(catalog.tools[r.slug], label="Read about this tool", icon=":material/arrow_forward:")
            on = r.slug in shortlist
            st.button(
                "Remove from shortlist" if on else "Add to shortlist",
                key=f"find_short_{r.slug}",
                icon=":material/bookmark_remove:" if on else ":material/bookmark_add:",
                on_click=_toggle_short,
                args=(r.slug,),
                type="secondary" if on else "primary",
            )


def results_block(profile: Profile, query: dict[str, str], shortlist: list[str], with_package_tab: bool) -> None:
    shown = TOP_N + (st.session_state.get("find_shown", MORE_N) if st.session_state.get("find_show_all") else 0)
    ranked = rank(catalog, profile, explain=shown)  # "why below" only for the cards drawn
    recs = [r for r in ranked if r.recommended]
    barred = [r for r in ranked if r.excluded]
    top = recs[:TOP_N]
    counts = {band: sum(1 for r in recs if r.fit == band) for band in ("strong", "possible", "weak")}
    summary = (
        f"**{len(recs):,} tools fit**: {counts['strong']:,} strong, {counts['possible']:,} possible, "
        f"{counts['weak']:,} weak."
    )
    if barred:
        summary += f" {len(barred)} not available in {STATE_NAMES[profile.state or 'PA']}."
    if profile.votes:
        summary += (
            f" The room's {sum(profile.votes.values())} dots show beside each tool's fit; they do not change "
            "its score, and the action plan starts the room's favourites first."
        )
    st.markdown(summary)

    if not big:  # on the projector the share section comes after the tools
        share_block(profile, shortlist, share_link(query))

    names = ["Ranked tools", "Coverage charts"] + (["Balanced package", PLAN_TAB] if with_package_tab else [])
    names += ["What if", "How the ranking works"]
    # lazy tabs: only the open one runs (the charts and what-if cost a rerun otherwise)
    # no `default` that follows the step: a parameter that changes between runs makes the tabs a
    # new widget, which opened Ranked tools again after leaving the plan tab (bind opens the plan)
    tabs = dict(zip(names, st.tabs(names, key="find_tab", on_change="rerun"), strict=True))

    with tabs["Ranked tools"]:
        if tabs["Ranked tools"].open:
            ranked_list(recs, barred, top, shortlist, profile)

    with tabs["Coverage charts"]:
        if tabs["Coverage charts"].open:
            charts_block(profile, [r.slug for r in recs[:10]])

    if with_package_tab:
        with tabs["Balanced package"]:
            if tabs["Balanced package"].open:
                package_block(profile)

    if with_package_tab:
        with tabs[PLAN_TAB]:
            if tabs[PLAN_TAB].open:
                plan_block(profile, shortlist)

    with tabs["What if"]:
        if tabs["What if"].open:
            what_if_block(profile)

    with tabs["How the ranking works"]:
        if tabs["How the ranking works"].open:
            st.markdown(ranking_explainer())

    if big:
        share_block(profile, shortlist, share_link(query))


def ranked_list(
    recs: list[Recommendation],
    barred: list[Recommendation],
    top: list[Recommendation],
    shortlist: list[str],
    profile: Profile,
) -> None:
    if not recs:
        st.warning("No tool serves what you asked for. Try another goal or fewer tags.")
    for i, r in enumerate(top, 1):
        card(i, r, shortlist)
    if len(recs) > TOP_N and st.toggle(f"Show the other {len(recs) - TOP_N:,} tools that fit", key="find_show_all"):
        shown = st.session_state.setdefault("find_shown", MORE_N)  # a page at a time: large catalogs stay quick
        rest = recs[TOP_N : TOP_N + shown]
        for i, r in enumerate(rest, TOP_N + 1):
            card(i, r, shortlist)
        if TOP_N + shown < len(recs):
            st.button(
                f"Show {min(MORE_N, len(recs) - TOP_N - shown)} more ({TOP_N + shown:,} of {len(recs):,} shown)",
                key="find_more",
                icon=":material/expand_more:",
                on_click=lambda: st.session_state.__setitem__("find_shown", shown + MORE_N),
            )
    if barred:
        st.subheader(f"Not available in {STATE_NAMES[profile.state or 'PA']}")
        for r in barred:
            st.markdown(f"- **{escape_md(r.title)}**: {escape_md(r.reasons[0])}")


def what_if_block(profile: Profile) -> None:
    changes = what_if(catalog, profile)
    if not changes:
        st.info(what_if_hint())
    for w in changes:  # "**With a bigger budget (yours is low)**, the top 10 would be the same."
        st.markdown(f"- **{escape_md(w.label)}**, {escape_md(w.outcome(catalog))}.")


def charts_block(profile: Profile, top_slugs: list[str]) -> None:
    if not top_slugs:
        st.info("No tools to chart yet.")
        return
    have = sorted(profile.get("have") or (), key=catalog.title)
    cov = coverage(catalog, top_slugs, profile.focus, profile.principles, list(profile.goals), in_place=have)
    st.markdown(f"**{escape_md(coverage_sentence(cov, len(top_slugs)))}**")
    st.subheader("What each of the top tools covers")
    st.altair_chart(charts.heatmap(cov, catalog, top_slugs, big, in_place=have), width="stretch")
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


def package_block(profile: Profile) -> None:
    pkg = balanced_package(catalog, profile)
    st.markdown(
        "A small set of tools that together cover your goals: each goal gets its strongest available "
        "tool first (most important goal first), then focus areas and principles, with the least that "
        "stands in the way."
    )
    for i, step in enumerate(pkg.steps, 1):
        st.markdown(f"{i}. {escape_md(step)}")
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


def plan_for(profile: Profile, shortlist: list[str]) -> tuple[Plan, str]:
    """The plan for the package (or the shortlist, when chosen), and what it was made from."""
    have = sorted(profile.get("have") or ())
    # a shortlist is the user's own choice, so it is what gets planned unless they pick the package
    use_shortlist = bool(shortlist) and st.session_state.get("find_plan_source", "shortlist") != "package"
    if use_shortlist:
        slugs, source = [s for s in shortlist if s not in have], "your shortlist"
    else:
        slugs, source = list(balanced_package(catalog, profile).slugs), "the balanced package"
    return make_plan(catalog, slugs, have=have, staff=profile.get("staff"), votes=profile.votes), source


def plan_block(profile: Profile, shortlist: list[str]) -> None:
    if shortlist:
        st.segmented_control(
            "Plan for",
            ["package", "shortlist"],
            format_func={"package": "The balanced package", "shortlist": "Your shortlist"}.get,
            key="find_plan_source",
            default="shortlist",
        )
    plan, source = plan_for(profile, shortlist)
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
    st.altair_chart(charts.plan_timeline(plan, catalog, big), width="stretch")
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


def share_link(query: dict[str, str]) -> str:
    """The address that reopens the scenario (without the projector's step)."""
    wanted = {k: v for k, v in query.items() if k != "step"}
    return (st.context.url or "") + ("?" + urlencode(wanted) if wanted else "")


# ---- the page ----
if not projector_on() or st.session_state.find_step in (None, "goals"):
    # on the projector the step bar says where the room is, so the later steps start with
    # their content: the first tool is on the first screen at 1280x720
    st.title("Find tools", anchor=False)
show_url_notes("find_url_notes", notes)
keyboard_help()  # "Skip to goals" first on the Tab order; focus stays on a pressed shortlist button
step = st.session_state.find_step if big else None


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
                format_func=STEP_LABELS.get,
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
    step = st.session_state.find_step or "goals"
else:
    st.markdown(
        "Choose what your town wants and what you are working with; every result says why it is there. "
        "[Jump to the results](#results)"
    )

# At the desk the controls and the results sit side by side (results on the right, from the top
# of the page), so each click updates something on screen; on a phone the columns stack. The
# projector's steps take the whole width, one at a time.
# The page's side margins shrink at the desk so that a goal's name fits its column whole.
if not big:
    st.html(DESK_CSS)
if big:
    controls_area, results_area = nullcontext(), nullcontext()
else:
    controls_column, results_area = st.columns([1, 1.15], gap="medium")
    controls_area = controls_column.container(key="find_controls")  # held in view: see DESK_CSS
with controls_area:
    if step in (None, "goals"):
        goals_step()
    if step in (None, "constraints"):
        constraints_step()

with results_area:  # the notes, results and plan: beside the controls at the desk
    room = st.session_state.find_room
    votes, room_note = room_votes(room)
    if room_note:
        show_url_notes("find_room_notes", [room_note])
    if votes and room:
        watch_room(room)
    scenario = scenario_from_widgets(votes)
    profile, shortlist = scenario.profile, scenario.shortlist
    if not big and "find_tab" in st.session_state:  # on the desk, the open tab says whether the plan is shown
        st.session_state.find_step = "plan" if st.session_state.find_tab == PLAN_TAB else "goals"
        scenario.step = st.session_state.find_step
    query = scenario.to_query(with_room=bool(votes), with_step=big or scenario.step == "plan")
    remember_params("find", query)

    if step == "plan":
        st.header("5 · Action plan")
        if profile.asks_for_something or shortlist:
            plan_block(profile, shortlist)
            share_block(profile, shortlist, share_link(query))
        else:
            st.info("Choose at least one goal to see a plan.", icon=":material/arrow_upward:")
            open_file_block(lazy=True)
    elif step in (None, "results", "package"):
        if step is None:
            st.header("3 · Results", anchor="results")
        if not profile.asks_for_something:
            st.info(
                "Choose at least one goal (or a focus area or principle) to see which tools fit.",
                icon=":material/arrow_upward:",
            )
            open_file_block(lazy=True)
        elif step == "package":
            st.header("4 · A balanced package")
            package_block(profile)
            share_block(profile, shortlist, share_link(query))
        else:
            results_block(profile, query, shortlist, with_package_tab=step is None)

if big:
    shortlist_places["bottom"] = step_buttons("bottom")


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
    if shortlist:
        with place:
            st.page_link(
                page("workshop"),
                label="Vote on the shortlist",
                icon=":material/how_to_vote:",
                query_params={"tools": ",".join(shortlist)},
            )
with st.sidebar:
    shortlist_panel()
