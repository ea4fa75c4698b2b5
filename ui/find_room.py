"""A workshop room's dots on /find (`room=` in the address): read once a run, and watched so
that a room the facilitator hides leaves the page (and its files) within seconds."""

from __future__ import annotations

import streamlit as st

from logic.votes import ResultsHidden, VoteError, VoteStore
from ui.resources import code_lookup_refused, get_store


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
