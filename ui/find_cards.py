"""/find's ranked list: a card a recommended tool (fit, reasons, what stands in the way,
why it sits below the card above, the shortlist button), the rest a page at a time, and
the tools state law rules out."""

from __future__ import annotations

import streamlit as st

from logic.explain import more_label
from logic.profile import Profile
from logic.recommendation import Recommendation
from logic.taxonomy import FIT_LABELS, NO_FIT_SCORE, STATE_NAMES, Fit, shows_score
from logic.text import escape_md
from ui.find_context import FindContext
from ui.widgets import tool_link, way_around

MORE_N = 50  # cards added at a time under "Show the other ..."
# a card's fit as a coloured badge, in taxonomy's words
FIT_BADGES: dict[Fit, str] = {
    fit: f":{colour}-badge[{FIT_LABELS[fit]}]"
    for fit, colour in (
        (Fit.STRONG, "green"),
        (Fit.POSSIBLE, "orange"),
        (Fit.WEAK, "gray"),
        (Fit.UNSUITED, "gray"),
        (Fit.EXCLUDED, "red"),
    )
}


def toggle_short(slug: str) -> None:
    """The shortlist button's callback: add the tool, or take it off."""
    short = list(st.session_state.find_shortlist)
    if slug in short:
        short.remove(slug)
    else:
        short.append(slug)
    st.session_state.find_shortlist = short


def card(ctx: FindContext, i: int, r: Recommendation, shortlist: list[str]) -> None:
    catalog = ctx.catalog
    with st.container(border=True):
        # few elements a card (the browser's time goes to drawing them): the heading, fit,
        # reasons and why it sits below the card above in one; the bar beside the actions
        headline = r.strength_summary(catalog)
        fit = f"{FIT_BADGES[r.fit]} **{escape_md(headline)}**" if headline else FIT_BADGES[r.fit]
        # badges follow with a space, not a "·" that a wrap could leave alone at a line's end
        if r.dots:  # the room's vote beside the fit, never in it
            fit += f" :blue-badge[:material/how_to_vote: {r.dots} dot{'s' if r.dots != 1 else ''} from the room]"
        if r.leads_for:
            fit += f" :green-badge[:material/star: Best for “{escape_md(catalog.goal_name(r.leads_for))}”]"
        if r.go_to_for:
            fit += f" :violet-badge[:material/thumb_up: {escape_md(r.go_to_badge(catalog))}]"
        # the headline says how it serves each goal, its badges that it is a go-to tool, and each
        # flag below what stands in the way, so the card lists only the other reasons (each once)
        why = "\n".join(f"- {escape_md(x)}" for x in r.notes if x != r.go_to_note)
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
            if shows_score(r.fit):
                st.progress(r.score / 100, text=f"Fit score {r.score} of 100", width="stretch")
            else:  # its score is capped below every fit: a bar would read as a fit
                st.caption(NO_FIT_SCORE)
            tool_link(catalog.tools[r.slug], label="Read about this tool", icon=":material/arrow_forward:")
            on = r.slug in shortlist
            st.button(
                "Remove from shortlist" if on else "Add to shortlist",
                key=f"find_short_{r.slug}",
                icon=":material/bookmark_remove:" if on else ":material/bookmark_add:",
                on_click=toggle_short,
                args=(r.slug,),
                type="secondary" if on else "primary",
            )


def shown_count(ctx: FindContext) -> int:
    """How many cards this run draws (the top ones, and the pages of the rest asked for)."""
    more = st.session_state.get("find_shown", MORE_N) if st.session_state.get("find_show_all") else 0
    return ctx.top_n + more


def ranked_list(
    ctx: FindContext,
    recs: list[Recommendation],
    barred: list[Recommendation],
    shortlist: list[str],
    profile: Profile,
) -> None:
    top_n = ctx.top_n
    if not recs:
        st.warning("No tool serves what you asked for. Try another goal or fewer tags.")
    for i, r in enumerate(recs[:top_n], 1):
        card(ctx, i, r, shortlist)
    if len(recs) > top_n and st.toggle(more_label(recs[top_n:], profile.value("setting")), key="find_show_all"):
        shown = st.session_state.setdefault("find_shown", MORE_N)  # a page at a time: large catalogs stay quick
        rest = recs[top_n : top_n + shown]
        for i, r in enumerate(rest, top_n + 1):
            card(ctx, i, r, shortlist)
        if top_n + shown < len(recs):
            st.button(
                f"Show {min(MORE_N, len(recs) - top_n - shown)} more ({top_n + shown:,} of {len(recs):,} shown)",
                key="find_more",
                icon=":material/expand_more:",
                on_click=lambda: st.session_state.__setitem__("find_shown", shown + MORE_N),
            )
    if barred and profile.state:  # only a state's law bars a tool
        st.subheader(f"Not available in {STATE_NAMES[profile.state]}")
        for r in barred:
            st.markdown(f"- **{escape_md(r.title)}**: {escape_md(r.reasons[0])}")
