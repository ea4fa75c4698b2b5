"""Cached resources the pages share: the catalog, the voting store and the join-code limiter.

Each is made once a server (`st.cache_resource`) and read on every run; nothing here draws.
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from logic import default_content_dir, load_catalog
from logic.content.files import recent_signature
from logic.model import Catalog
from logic.votes import AttemptLimiter, TooManyAttempts, VoteStore


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(content_dir: str, signature: str) -> Catalog:
    """Loaded once per content version; the signature changes with any file."""
    del signature  # part of the cache key only
    return load_catalog(content_dir)


def get_catalog() -> Catalog:
    """The catalog, reloaded when a content file changes (looked at once a second at
    most: every rerun asks). Do not mutate it."""
    root = default_content_dir()
    return _load(str(root), recent_signature(root))


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str) -> VoteStore:
    return VoteStore(url or None)


def get_store() -> VoteStore:
    """The voting database named by TOOLBOX_DB (SQLite file or PostgreSQL URL)."""
    return _store(os.environ.get("TOOLBOX_DB", ""))


@st.cache_resource(show_spinner=False)
def join_attempts() -> AttemptLimiter:
    """Wrong join codes, counted per browser tab, per network address and for the whole
    server; shared by every page that looks a code up (/workshop?join=, ?session=,
    /find?room=)."""
    return AttemptLimiter()


def code_lookup_refused(code: str, found: bool) -> str | None:
    """Call after looking a join code up, before saying anything about it: None when the
    answer may be shown, else the message to show instead. A wrong code counts (once a
    tab: the same wrong code again is no new guess); a right code is never stopped by
    the server-wide limit, only by this tab's or this network's own guessing."""
    limiter = join_attempts()
    client = st.session_state.setdefault("_workshop_client", secrets.token_hex(8))
    address = getattr(st.context, "ip_address", None)
    try:
        limiter.check(client, address, right_code=found)
    except TooManyAttempts as exc:
        return str(exc)
    counted = st.session_state.setdefault("_codes_counted", set())
    if not found and code not in counted:
        if len(counted) < 1_000:
            counted.add(code)
        limiter.fail(client, address)
    return None
