"""Projector mode and the app's styles.

Projector mode has one name in the session and one in the address (documented: present=1);
it enlarges type about 1.5x (more on a wider screen: a 1920-pixel projector is seen from as
far back as a 1280 one) and puts the menu on top.
"""

from __future__ import annotations

import streamlit as st

PROJECTOR_STATE = "_projector"
PROJECTOR_PARAM = "present"
# What a facilitator types for it instead (the switch says "Projector mode"): no spelling of
# these is close to present=, so the address note names it for them (`ui.page_state`).
PROJECTOR_WORDS = frozenset({"projector", "projector_mode", "projector-mode", "presentation", "presenter"})


def projector_on() -> bool:
    """Projector mode: `present=1` in the address turns it on (and `present=0`
    off) for the rest of the session, so moving between pages keeps it."""
    value = st.query_params.get(PROJECTOR_PARAM)
    if value in ("1", "0"):
        st.session_state[PROJECTOR_STATE] = value == "1"
    return bool(st.session_state.get(PROJECTOR_STATE, False))


def set_projector(on: bool) -> None:
    """Switch projector mode for the session and show it in the address."""
    st.session_state[PROJECTOR_STATE] = on
    if on:
        st.query_params[PROJECTOR_PARAM] = "1"
    elif PROJECTOR_PARAM in st.query_params:
        del st.query_params[PROJECTOR_PARAM]


# Streamlit draws captions as body text at 60 % opacity, about 4.5:1 on white and
# less on the grey sidebar: an opaque grey keeps them at 7:1 or more everywhere.
BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stCaptionContainer"] { opacity: 1; color: #555555; }
</style>
"""
PROJECTOR_CSS = """
<style>
html { font-size: clamp(25px, 1.6vw, 36px); }  /* 25 px to 1560 px wide, about 31 px at 1920 */
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; max-width: 100%; }  /* the menu: a gap above the heading */
[data-testid="stApp"] { color: #000000; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { line-height: 1.45; }
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p { opacity: 1; color: #1a1a1a; }
.st-key-app_menu {
  position: fixed; top: 0; left: 4.5rem; right: 1rem; width: auto; height: 3.75rem; z-index: 999991;
  align-items: center; flex-wrap: nowrap; overflow-x: auto;
}
.st-key-app_menu [data-testid="stPageLink"] p { font-size: 0.8rem; white-space: nowrap; }  /* seven names fit 1280 px */
</style>
"""


# both modes: a badge longer than its card (a go-to tool for two long goal names) wraps
# instead of ending in "…" (Streamlit keeps a badge on one line and cuts it; its rule is two
# classes and an element strong, so this one is three)
BADGE_CSS = """
<style>
[data-testid='stMarkdownContainer'] span.stMarkdownBadge.stMarkdownBadge { white-space: normal; max-width: 100%; }
</style>
"""


def apply_style() -> None:
    """Layout CSS (by data-testid, and Streamlit's own badge class); projector mode enlarges
    type about 1.5x."""
    st.html((PROJECTOR_CSS if projector_on() else BASE_CSS) + BADGE_CSS)
