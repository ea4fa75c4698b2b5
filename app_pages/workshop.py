"""Workshop vote: the facilitator starts a dot vote on the shortlist, the room
joins by code, link or QR code on their phones, and the projected results update
live. Every rule of the vote lives in logic/votes.py, inside the database
transaction.

Addresses: /workshop (start), /workshop?session=CODE (the projected view; the
facilitator's key arrives once as &host=KEY and is then kept in the session,
out of the projected address bar),
/workshop?join=CODE[&me=TOKEN] (participant; `me` keeps a refresh from
granting new dots).
"""

import io
import secrets

import altair as alt
import pandas as pd
import segno
import streamlit as st

from logic.scenario import pick_tools
from logic.text import escape_md
from logic.votes import MAX_DOTS, VoteError, normalise_code
from ui.common import PAGE_FILES, get_catalog, get_store, in_present_mode, show_url_notes, tool_link

catalog = get_catalog()
store = get_store()
big = in_present_mode()
MSG = "workshop_msg"


def _say(text: str, kind: str = "error") -> None:
    st.session_state[MSG] = (kind, text)


def _show_message() -> None:
    kind, text = st.session_state.pop(MSG, (None, None))
    if text:
        (st.success if kind == "success" else st.error)(text)


def _call(fn, *args, ok: str | None = None) -> None:
    try:
        fn(*args)
    except VoteError as exc:
        _say(str(exc))
    else:
        if ok:
            _say(ok, "success")


def vote_chart(totals: dict[str, int]) -> alt.Chart:
    frame = pd.DataFrame({"Tool": [catalog.title(s) for s in totals], "Dots": list(totals.values())}).sort_values(
        ["Dots", "Tool"], ascending=[False, True]
    )
    size = 22 if big else 14
    base = alt.Chart(frame).encode(
        y=alt.Y("Tool:N", sort=list(frame["Tool"]), title=None),
        x=alt.X("Dots:Q", title="Dots", axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar(color="#0B5394")
    labels = base.mark_text(align="left", dx=8, fontSize=size, fontWeight="bold").encode(text="Dots:Q")
    return (
        (bars + labels)
        .properties(height=alt.Step(48 if big else 34))
        .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=460 if big else 320, labelColor="#111111")
        .configure_view(strokeWidth=0)
    )


def participant_view(code: str) -> None:
    session = store.get_session(code)
    st.title("Workshop vote")
    if session is None:
        st.error(f"No voting session has the code {code!r}. Check the code on the screen.")
        entered = st.text_input("Join code", key="workshop_code", max_chars=12)
        if entered:
            st.query_params["join"] = normalise_code(entered)
            st.rerun()
        return
    if session.title:
        st.subheader(escape_md(session.title))
    token = st.query_params.get("me", "")
    _show_message()
    if not token:
        if not session.is_open:
            st.warning("Voting in this session is closed.")
            return
        st.markdown(f"You get **{session.dots} dots** to spend on the tools you would put first.")
        name = st.text_input("Your name (optional)", key="workshop_name", max_chars=40)
        if st.button("Join the vote", key="workshop_join", type="primary", width="stretch"):
            token = secrets.token_urlsafe(12)
            try:
                store.join(session.code, token, name)
            except VoteError as exc:
                st.error(str(exc))
                return
            st.query_params["me"] = token
            st.rerun()
        return
    try:
        me = store.join(session.code, token)
    except VoteError as exc:
        st.error(str(exc))
        return
    mine = store.my_votes(session.code, token)
    left = session.dots - sum(mine.values())
    hello = f"Hello {escape_md(me.name)}. " if me.name else ""
    if not session.is_open:
        st.warning("Voting is closed. Thank you!")
    st.markdown(f"### {hello}You have {left} of {session.dots} dots left")
    if not session.allow_stacking:
        st.caption("One dot a tool at most.")
    for slug in session.tools:
        with st.container(border=True):
            n = mine.get(slug, 0)
            st.markdown(f"**{escape_md(catalog.title(slug))}**  \n{'● ' * n}{'(no dots yet)' if not n else ''}")
            a, b = st.columns(2)
            a.button(
                "Add a dot",
                key=f"workshop_add_{slug}",
                icon=":material/add_circle:",
                type="primary",
                width="stretch",
                disabled=not session.is_open or left <= 0 or (n > 0 and not session.allow_stacking),
                on_click=_call,
                args=(store.cast_vote, session.code, token, slug),
            )
            b.button(
                "Take it back",
                key=f"workshop_remove_{slug}",
                icon=":material/remove_circle:",
                width="stretch",
                disabled=not session.is_open or n == 0,
                on_click=_call,
                args=(store.remove_vote, session.code, token, slug),
            )
    if session.results_visible:
        st.subheader("The room so far")
        st.altair_chart(vote_chart(store.totals(session.code)), width="stretch")


def facilitator_view(code: str, host: str) -> None:
    session = store.get_session(code)
    st.title("Workshop vote")
    if session is None:
        st.error(f"No voting session has the code {code!r}.")
        st.page_link(PAGE_FILES["workshop"], label="Start a new vote", icon=":material/how_to_vote:")
        return
    is_host = bool(host) and secrets.compare_digest(host, session.host_token)
    base = st.context.url or ""
    join_link = f"{base}?join={session.code}"
    _show_message()

    @st.fragment(run_every=2)
    def live() -> None:
        current = store.get_session(session.code)
        people, dots = store.stats(session.code)
        status = "open" if current and current.is_open else "closed"
        st.markdown(f"**{people} participants · {dots} dots spent · voting {status}**")
        if current and current.results_visible:
            totals = store.totals(session.code)
            st.altair_chart(vote_chart(totals), width="stretch")
            ordered = sorted(totals.items(), key=lambda kv: (-kv[1], catalog.title(kv[0])))
            st.caption(
                "Totals: " + "; ".join(f"{escape_md(catalog.title(s))}: {n}" for s, n in ordered),
            )
        else:
            st.info("Results are hidden until you reveal them.", icon=":material/visibility_off:")

    results, joining = st.columns([3, 2], gap="large")
    with results:
        if session.title:
            st.subheader(escape_md(session.title))
        live()
    with joining, st.container(border=True):
        st.markdown(f"### Join code `{session.code}`")
        qr = segno.make(join_link, error="m")
        buf = io.BytesIO()
        qr.save(buf, kind="png", scale=10, border=2)
        st.image(buf.getvalue(), width=300 if big else 220)
        st.caption(f"Scan, or open {escape_md(join_link)}, then spend your {session.dots} dots.")

    if not is_host:
        st.caption("Only the facilitator who started this vote can close it or change what is shown.")
        return
    with st.expander("Facilitator link (keep it private)", icon=":material/key:"):
        st.caption("Open this link to get the controls back after a refresh or on another computer.")
        st.code(f"{base}?session={session.code}&host={host}", language=None, wrap_lines=True)
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Close voting" if session.is_open else "Reopen voting",
        key="workshop_toggle_open",
        icon=":material/lock:" if session.is_open else ":material/lock_open:",
        on_click=_call,
        args=(store.set_open, session.code, host, not session.is_open),
    )
    c2.button(
        "Hide results" if session.results_visible else "Reveal results",
        key="workshop_toggle_visible",
        icon=":material/visibility_off:" if session.results_visible else ":material/visibility:",
        on_click=_call,
        args=(store.set_results_visible, session.code, host, not session.results_visible),
    )
    c3.download_button(
        "Export results (CSV)",
        data=lambda: store.results_csv(session.code, {s: catalog.title(s) for s in session.tools}),
        file_name=f"vote-{session.code}.csv",
        mime="text/csv",
        key="workshop_csv",
        on_click="ignore",
    )
    saved = dict(st.session_state.get("_find_last_params", {}))
    saved["room"] = session.code
    with c4:
        st.page_link(
            PAGE_FILES["find"],
            label="Rank with the room's votes",
            icon=":material/leaderboard:",
            query_params=saved,
        )


def start_view() -> None:
    st.title("Workshop vote")
    st.markdown(
        "Start a dot vote on the shortlist: everyone in the room joins on their phone with a code, "
        "spends a few dots on the tools they would put first, and the results appear here live."
    )
    notes: list[str] = []
    if "workshop_tools" not in st.session_state:
        from_link = pick_tools({"tools": st.query_params.get_all("tools")}, "tools", catalog, notes)
        saved = st.session_state.get("_find_last_params", {}).get("shortlist", "")
        st.session_state.workshop_tools = from_link or [s for s in saved.split(",") if s in catalog.tools]
    show_url_notes("workshop_url_notes", notes or None)
    st.multiselect(
        "Tools on the ballot",
        list(catalog.tools),
        format_func=catalog.title,
        key="workshop_tools",
        placeholder="Choose tools, or shortlist them on Find tools first",
    )
    a, b = st.columns(2)
    with a:
        st.number_input("Dots for each participant", 1, MAX_DOTS, 3, key="workshop_dots")
    with b:
        st.text_input("Title shown to the room (optional)", key="workshop_title", max_chars=40)
    st.checkbox("Participants may put several dots on one tool", key="workshop_stack")
    if st.button("Start the vote", key="workshop_start", type="primary", icon=":material/play_arrow:"):
        try:
            session = store.create_session(
                st.session_state.workshop_tools,
                dots=st.session_state.workshop_dots,
                allow_stacking=st.session_state.workshop_stack,
                title=st.session_state.workshop_title,
            )
        except VoteError as exc:
            st.error(str(exc))
            return
        st.query_params.from_dict({"session": session.code, "host": session.host_token})
        st.rerun()
    if st.session_state.workshop_tools:
        st.markdown("**On the ballot**")
        for slug in st.session_state.workshop_tools:
            tool_link(catalog.tools[slug])


join = normalise_code(st.query_params.get("join", ""))
session_code = normalise_code(st.query_params.get("session", ""))
if "join" in st.query_params:
    participant_view(join)
elif session_code:
    host_key = f"_workshop_host_{session_code}"
    if "host" in st.query_params:  # keep the key in the session, not on the projector
        st.session_state[host_key] = st.query_params["host"]
        del st.query_params["host"]
    facilitator_view(session_code, st.session_state.get(host_key, ""))
else:
    start_view()
