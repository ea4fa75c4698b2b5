"""Workshop vote: the facilitator starts a dot vote on the shortlist, the room
joins by code, link or QR code on their phones, and the projected results update
live. Every rule of the vote lives in logic/vote_rules.py, applied by
logic/votes.py inside one storage transaction.

Addresses: /workshop (start), /workshop?session=CODE (the projected view; the
facilitator's key arrives once as &host=KEY and is then kept in the session and in
a cookie of the browser that started the vote, so a refresh keeps the controls, out
of the projected address bar),
/workshop?join=CODE[&me=TOKEN] (participant; `me` is the token the server
issued when they pressed Join, so a refresh keeps their dots; a made-up or
altered one is refused).

A participant's tap reruns only the voting fragment (no router, no catalog
check, no chart): one write for the dot and one read for the ballot.
"""

import io
import logging
import time
from collections.abc import Callable
from contextlib import nullcontext

import segno
import streamlit as st

from logic.brief import FORMATS, file_name, render, room_brief
from logic.charts import vote_chart
from logic.scenario import pick_tools
from logic.text import escape_md, md_link, summary
from logic.vote_rules import MAX_TITLE, SESSION_LIFETIME_HOURS, ranked, scenario_params
from logic.votes import (
    MAX_DOTS,
    RETRIES,
    InvalidToken,
    NotJoined,
    Session,
    StorageError,
    VoteError,
    code_from_address,
    normalise_code,
)
from ui.page_state import entering, last_params, remember_params, set_url, show_url_notes, url_lists
from ui.pages import page
from ui.projector import PROJECTOR_PARAM, projector_on
from ui.resources import code_lookup_refused, get_catalog, get_store
from ui.widgets import keep_in_browser, kept_in_browser, scroll_to_top, tool_link

catalog = get_catalog()
store = get_store()
big = projector_on()
MSG = "workshop_msg"
NOT_COUNTED = "Your dot was not counted, try again."
ANSWERS = "_workshop_answers"  # slug -> (a tap's answer shown on the tool's card, when)
KEEP_ANSWERS_S = 5.0  # taps closer than this keep each other's answers on the cards
STORAGE_DOWN = "_workshop_storage_down"  # the last tap's storage did not answer
TAP_HINT = "Tap **Add a dot** on the tools you would put first. Each tap is answered here."
# room for a three-line answer on a phone (a long tool title) and one line on a wider
# screen; in rem, so projector mode's larger type gets a larger slot
STATUS_CSS = """<style>
.st-key-workshop_status { min-height: 7.25rem; }
@media (min-width: 700px) { .st-key-workshop_status { min-height: 4.5rem; } }
</style>"""
# the join code is read from the back of the room: about a title's size, bold, black, spaced
JOIN_CSS = """<style>
.st-key-workshop_join_code p {
  font-family: "Source Code Pro", monospace; font-size: 2.6rem; font-weight: 700; line-height: 1.15;
  letter-spacing: 0.12em; color: #000000; margin: 0;
}
</style>"""
log = logging.getLogger(__name__)


def _say(text: str, kind: str = "error", slug: str = "", short: str = "") -> None:
    """The message for the next draw (one, the latest, at the top: a list of them
    would grow and move the buttons under a quick thumb). A tap's own answer also goes
    on its tool's card (`short`), where it stays beside the other taps' answers:
    Streamlit runs the callbacks of taps that arrive together in one run (or stops a
    run for the next tap), so the one message slot alone lost all but the last tap's
    confirmation. Answers older than a few seconds go when a new tap is answered."""
    now = time.monotonic()
    st.session_state[MSG] = (kind, text)
    if slug:
        answers = {k: v for k, v in st.session_state.get(ANSWERS, {}).items() if now - v[1] < KEEP_ANSWERS_S}
        answers[slug] = (short, now)
        st.session_state[ANSWERS] = answers


def _show_message(keep: bool = False, hint: str = "") -> None:
    """Draw the message; `keep` leaves it for a rerun that interrupts this one (a
    participant's quick taps), else it is shown once. With a `hint` (the ballot), the
    message has a slot of its own that holds the hint until the first tap and keeps its
    height after it, so the first answer does not push the buttons down under a thumb
    already on its way to the next tool (the second tap then hit the text above it)."""
    kind, text = st.session_state.get(MSG, (None, None)) if keep else st.session_state.pop(MSG, (None, None))
    with st.container(key="workshop_status") if hint else nullcontext():
        if hint:
            st.html(STATUS_CSS)
        if text:
            (st.success if kind == "success" else st.error)(text)
        elif hint:
            st.info(hint)


def _answer(slug: str) -> str:
    """The tool's last tap answer, for its card ("" when none is recent)."""
    return st.session_state.get(ANSWERS, {}).get(slug, ("", 0.0))[0]


def _call(fn: Callable[..., object], *args: object, ok: str | None = None) -> None:
    try:
        fn(*args)
    except VoteError as exc:
        _say(str(exc))
    except Exception:  # logged; a facilitator sees a message, never a traceback
        log.exception("workshop control failed")
        _say("That did not work, try again.")
    else:
        if ok:
            _say(ok, "success")


def _tap(add: bool, code: str, token: str, slug: str, dots: int) -> None:
    """One participant tap: counted and confirmed, or refused with the reason."""
    title = escape_md(catalog.title(slug))
    try:
        if add:
            left = store.cast_vote(code, token, slug)
            _say(
                f"Your dot on **{title}** was counted. {left} of {dots} left.", "success", slug, "your dot was counted"
            )
        else:
            left = store.remove_vote(code, token, slug)
            _say(f"Your dot on **{title}** was taken back. {left} of {dots} left.", "success", slug, "taken back")
    except StorageError as exc:  # logged by the store; the ballot is then read once, not retried
        st.session_state[STORAGE_DOWN] = True
        _say(f"{NOT_COUNTED} {exc}" if add else str(exc), "error", slug, "not counted, try again" if add else "")
    except VoteError as exc:
        _say(f"{NOT_COUNTED} {exc}" if add else str(exc), "error", slug, "not counted" if add else "")
    except Exception:  # logged; the participant sees a message, never a traceback
        log.exception("workshop vote failed")
        _say(
            NOT_COUNTED if add else "Your dot was not taken back, try again.",
            "error",
            slug,
            "not counted" if add else "",
        )


def _host_cookie(code: str) -> str:
    """The cookie that keeps a vote's facilitator key in the browser that started it."""
    return f"toolbox_host_{code}"


def _token_key(code: str) -> str:
    return f"_workshop_me_{code}"


def _join(code: str) -> None:
    """Join button: the server issues the token; a second press reuses it (idempotent)."""
    pending = f"_workshop_pending_{code}"
    try:
        token = st.session_state.get(pending) or store.new_token(code)
        st.session_state[pending] = token
        store.join(code, token, st.session_state.get("workshop_name", ""))
    except VoteError as exc:
        _say(str(exc))
        return
    except Exception:  # logged; the participant sees a message
        log.exception("workshop join failed")
        _say("Joining did not work, try again.")
        return
    st.session_state[_token_key(code)] = token
    set_url({"join": code, "me": token})


def _enter_code() -> None:
    set_url({"join": normalise_code(st.session_state.get("workshop_code", ""))})


def participant_view(code: str) -> None:
    token = st.query_params.get("me", "") or st.session_state.get(_token_key(code), "")
    quick = st.session_state.get(STORAGE_DOWN, False)  # a tap just failed: one attempt, not three
    try:
        session = store.get_session(code, retries=1 if quick else RETRIES) if code else None
        # a participant holding a token this vote issued (a refresh) is never limited
        holder = session is not None and store.holds_token(code, token)
    except VoteError as exc:
        st.session_state.pop(STORAGE_DOWN, None)
        _show_message()  # the tap's own "not counted" first
        st.error(str(exc))
        session, holder, code = None, False, ""
    refused = code_lookup_refused(code, session is not None) if code and not holder else None
    if refused:  # said before anything about the code
        st.error(refused)
        session, code = None, ""
    if session is None:
        if code:
            st.error(f"No voting session has the code {code!r}. Check the code on the screen.")
        st.text_input("Join code", key="workshop_code", max_chars=12, on_change=_enter_code)
        return
    if session.title:
        st.header(escape_md(session.title))
    participant_panel(session.code)


def _join_form(session: Session) -> None:
    if not session.is_open:
        st.warning("Voting in this session is closed.")
        return
    st.markdown(f"You get **{session.dots} dots** to spend on the tools you would put first.")
    st.text_input("Your name (optional)", key="workshop_name", max_chars=40)
    st.button(
        "Join the vote",
        key="workshop_join",
        type="primary",
        width="stretch",
        on_click=_join,
        args=(session.code,),
    )


@st.fragment
def participant_panel(code: str) -> None:
    """Everything a participant touches; a tap reruns only this."""
    token = st.query_params.get("me", "") or st.session_state.get(_token_key(code), "")
    quick = st.session_state.pop(STORAGE_DOWN, False)
    try:
        session = store.get_session(code) if not token else None
        ballot = store.ballot(code, token, retries=1 if quick else RETRIES) if token else None
    except (InvalidToken, NotJoined) as exc:
        _show_message(keep=True)
        st.error(str(exc))
        try:
            session = store.get_session(code)
        except VoteError as again:
            st.error(str(again))
            return
        if session is not None:
            _join_form(session)
        return
    except VoteError as exc:
        _show_message(keep=True)  # the tap's own "not counted" first
        st.error(str(exc))
        st.button("Try again", key="workshop_retry", icon=":material/refresh:")
        return
    _show_message(keep=True, hint=TAP_HINT if ballot is not None else "")
    if ballot is None:
        if session is not None:
            _join_form(session)
        return
    session, me, mine, left = ballot.session, ballot.participant, ballot.mine, ballot.left
    hello = f"Hello {escape_md(me.name)}. " if me.name else ""
    if not session.is_open:
        st.warning("Voting is closed. Thank you!")
    st.markdown(f"## {hello}You have {left} of {session.dots} dots left")
    if not session.allow_stacking:
        st.caption("One dot a tool at most.")
    for slug in session.tools:
        with st.container(border=True):
            n = mine.get(slug, 0)
            said = _answer(slug)  # on the line the dots are on: the card keeps its height
            # what the tool is, in one line, so a resident can vote without the catalog open
            what = summary(catalog.tools[slug].body, limit=140) if slug in catalog.tools else ""
            st.markdown(
                f"**{escape_md(catalog.title(slug))}**  \n"
                + (f"{escape_md(what)}  \n" if what else "")
                + f"{'● ' * n}{'(no dots yet)' if not n else ''}"
                + (f" · {said}" if said else "")
            )
            a, b = st.columns(2)
            a.button(
                "Add a dot",
                key=f"workshop_add_{slug}",
                icon=":material/add_circle:",
                type="primary",
                width="stretch",
                disabled=not session.is_open or left <= 0 or (n > 0 and not session.allow_stacking),
                on_click=_tap,
                args=(True, session.code, me.token, slug, session.dots),
            )
            b.button(
                "Take it back",
                key=f"workshop_remove_{slug}",
                icon=":material/remove_circle:",
                width="stretch",
                disabled=not session.is_open or n == 0,
                on_click=_tap,
                args=(False, session.code, me.token, slug, session.dots),
            )
    st.caption("The room's results appear on the shared screen when the facilitator reveals them.")


def facilitator_view(code: str, host: str) -> None:
    try:
        session = store.get_session(code)
    except VoteError as exc:
        st.error(str(exc))
        return
    refused = (
        None if session is not None and store.is_host(session, host) else code_lookup_refused(code, session is not None)
    )
    if refused:  # the projector view says whether a code exists: it counts like a join
        st.error(refused)
        st.page_link(page("workshop"), label="Start a new vote", icon=":material/how_to_vote:")
        return
    if session is None:
        st.error(f"No voting session has the code {code!r}.")
        st.page_link(page("workshop"), label="Start a new vote", icon=":material/how_to_vote:")
        return
    is_host = store.is_host(session, host)
    remember_params("workshop", {"session": session.code})  # the start page offers the way back
    if st.session_state.pop("workshop_started", None) == session.code:
        scroll_to_top()  # "Start the vote" sat low on the start page
    base = st.context.url or ""
    join_link = f"{base}?join={session.code}"
    _show_message()
    st.html(JOIN_CSS)

    @st.fragment(run_every=2)
    def live() -> None:
        try:
            current = store.get_session(session.code)
            people, dots = store.stats(session.code)
            totals = (
                store.totals(session.code, host if is_host else "") if current and current.results_visible else None
            )
        except VoteError as exc:
            st.warning(f"The live results could not be read just now ({exc}); trying again in two seconds.")
            return
        status = "open" if current and current.is_open else "closed"
        st.markdown(
            f"**{people} participant{'s' if people != 1 else ''} · {dots} dot{'s' if dots != 1 else ''} spent "
            f"· voting {status}**"
        )
        if totals is not None:
            # room for the chart's hover toolbar (it sits above the chart): it never covers the status
            st.space("medium")
            st.altair_chart(vote_chart(totals, catalog.title, big), width="stretch")
            ordered = ranked(totals, catalog.title)
            st.caption(
                "Totals: " + "; ".join(f"{escape_md(catalog.title(s))}: {n}" for s, n in ordered),
            )
        else:
            st.info(
                "Results are hidden until you reveal them."
                if is_host
                else "Results are hidden until the facilitator reveals them.",
                icon=":material/visibility_off:",
            )

    # while voting is open the join code and QR sit beside the results; once it is closed
    # nobody can join, and the results take the whole width
    results, joining = st.columns([3, 2], gap="large") if session.is_open else (st.container(), None)
    with results:
        if session.title:
            st.header(escape_md(session.title))
        live()
        if is_host:  # beside what it shows or hides: one click, on the first screen of the projector
            # stored with the vote: a refresh, the facilitator link on another computer and the
            # phones all see the same choice
            st.button(
                "Hide results" if session.results_visible else "Reveal results",
                key="workshop_toggle_visible",
                icon=":material/visibility_off:" if session.results_visible else ":material/visibility:",
                type="secondary" if session.results_visible else "primary",
                on_click=_call,
                args=(store.set_results_visible, session.code, host, not session.results_visible),
            )
    if joining is None:
        st.caption(f"Voting is closed: nobody can join or vote until it is reopened (code {session.code}).")
    else:
        with joining, st.container(border=True):
            st.markdown("**Join code**")
            with st.container(key="workshop_join_code"):
                st.markdown(session.code)  # letters and digits only (normalise_code)
            qr = segno.make(join_link, error="m")
            buf = io.BytesIO()
            qr.save(buf, kind="png", scale=10, border=2)
            # on a 720-pixel projector the whole code stays on the first screen
            st.image(buf.getvalue(), width=250 if big else 220)
            # a real link (our own address: md_link keeps only http(s)), so copying it from the screen works
            st.caption(f"Scan, or open {md_link(join_link, join_link)}, then spend your {session.dots} dots.")
            st.caption(f"A vote lasts {SESSION_LIFETIME_HOURS} hours from its start; then its code opens nothing.")

    if not is_host:
        st.caption("Only the facilitator who started this vote can close it or change what is shown.")
        return
    with st.expander("Facilitator link (keep it private)", icon=":material/key:"):
        st.caption(
            "This browser keeps the controls across a refresh. To get them on another computer, open this link there."
        )
        projector = f"&{PROJECTOR_PARAM}=1" if big else ""  # back in the mode it was started in
        st.code(f"{base}?session={session.code}&host={host}{projector}", language=None, wrap_lines=True)
    c1, c2, c3 = st.columns(3)
    c1.button(
        "Close voting" if session.is_open else "Reopen voting",
        key="workshop_toggle_open",
        icon=":material/lock:" if session.is_open else ":material/lock_open:",
        on_click=_call,
        args=(store.set_open, session.code, host, not session.is_open),
    )
    c2.download_button(
        "Export results (CSV)",
        data=lambda: store.results_csv(session.code, {s: catalog.title(s) for s in session.tools}, host),
        file_name=f"vote-{session.code}.csv",
        mime="text/csv",
        key="workshop_csv",
        on_click="ignore",
    )
    # the goals last chosen on Find tools in this browser, else the ones the vote was started from
    saved = last_params("find") or scenario_params(session.scenario)
    saved["room"] = session.code
    with c3:
        st.page_link(
            page("find"),
            label="See the results with the room's votes",
            icon=":material/leaderboard:",
            query_params=saved,
        )
    find_address = base.rsplit("/", 1)[0] + "/find" if base else ""
    st.download_button(
        "Brief of the room's ranking (PDF)",
        data=lambda: render(
            room_brief(
                catalog,
                {k: v for k, v in saved.items() if k != "room"},
                store.totals(session.code, host),
                session.tools,
                session.title or None,
                find_address,
                session.code,
            ),
            catalog,
            "pdf",
        ),
        file_name=file_name(session.title, "pdf"),
        mime=FORMATS["pdf"].media_type,
        key="workshop_brief",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help="The tools on the ballot ranked with the room's dots (and the goals last chosen on Find tools), "
        "with a plan and, where they fit on its two pages, the coverage grid and the plan's timeline; "
        "made when pressed.",
    )
    if not st.session_state.get(kept := f"_workshop_kept_{session.code}"):
        # this browser keeps the controls across a refresh, with no key on the projected address
        # (last on the page: the script's empty element adds no gap above what the room reads)
        keep_in_browser(_host_cookie(session.code), host, SESSION_LIFETIME_HOURS)
        st.session_state[kept] = True


def start_view() -> None:
    st.markdown(
        "Start a dot vote on the shortlist: everyone in the room joins on their phone with a code, "
        "spends a few dots on the tools they would put first, and the results appear here live."
    )
    running = last_params("workshop").get("session")
    if running:  # back through the menu from a running vote: one click returns to it
        st.page_link(
            page("workshop"),
            label=f"Back to the vote {running}",
            icon=":material/undo:",
            query_params={"session": running},
        )
    notes: list[str] = []
    if entering("workshop_tools"):  # from a link's tools, else the shortlist last on Find tools
        from_link = pick_tools(url_lists(), "tools", catalog, notes)
        saved = last_params("find").get("shortlist", "")
        st.session_state.workshop_tools = from_link or [s for s in saved.split(",") if s in catalog.tools]
    show_url_notes("workshop_url_notes", notes or None)
    st.multiselect(
        "Tools on the ballot",
        list(catalog.tools),
        format_func=catalog.title,
        key="workshop_tools",
        placeholder="Choose tools, or shortlist them on Find tools first",
        select_all=False,  # Enter after a search must not put every match on the ballot
    )
    a, b = st.columns(2)
    with a:
        st.number_input("Dots for each participant", 1, MAX_DOTS, 3, key="workshop_dots")
    with b:
        st.text_input(
            "Title shown to the room (optional)",
            key="workshop_title",
            max_chars=MAX_TITLE,
            help=f"Up to {MAX_TITLE} characters; the field stops taking letters there.",
        )
    st.checkbox("Participants may put several dots on one tool", key="workshop_stack")
    st.checkbox(
        "Show the results on the screen while people vote",
        key="workshop_show",
        help="Off: the results stay hidden until you reveal them, so nobody votes with the leader. "
        "You can reveal or hide them at any time during the vote.",
    )
    if st.button("Start the vote", key="workshop_start", type="primary", icon=":material/play_arrow:"):
        try:
            session = store.create_session(
                st.session_state.workshop_tools,
                dots=st.session_state.workshop_dots,
                allow_stacking=st.session_state.workshop_stack,
                title=st.session_state.workshop_title,
                show_results=st.session_state.workshop_show,
                scenario=last_params("find"),
            )
        except VoteError as exc:
            st.error(str(exc))
            return
        set_url({"session": session.code, "host": session.host_token})
        st.session_state.workshop_started = session.code  # its view opens at the top: the code and QR
        st.rerun()
    if st.session_state.workshop_tools:
        st.markdown("**On the ballot**")
        for slug in st.session_state.workshop_tools:
            tool_link(catalog.tools[slug])


st.title("Workshop vote")  # every view's heading; an address's notes under it
join, join_note = code_from_address("join", st.query_params.get("join", ""))
session_code, session_note = code_from_address("session", st.query_params.get("session", ""))
show_url_notes("workshop_notes", [n for n in (join_note, session_note) if n])
if "join" in st.query_params:
    participant_view(join)
elif session_code:
    host_key = f"_workshop_host_{session_code}"
    if "host" in st.query_params:  # keep the key in the session, not on the projector
        st.session_state[host_key] = st.query_params["host"]
        set_url({"session": session_code})
    facilitator_view(session_code, st.session_state.get(host_key) or kept_in_browser(_host_cookie(session_code)))
else:
    start_view()
