"""Municipal Toolbox Navigator: the router.

Page config, navigation over the page registry (ui/pages.py), the shared
sidebar. Nothing else: every page lives in app_pages/, every rule in logic/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.common import (
    apply_style,
    get_catalog,
    note_page,
    problems_notice,
    projector_on,
    set_projector,
    show_address_notes,
)
from ui.pages import build_pages

# served by the app itself: a ":material/...:" page icon made every page load fetch it from a font host
ICON = Path(__file__).resolve().parent / "ui" / "static" / "icon.png"

present = projector_on()
st.set_page_config(
    page_title="Municipal Toolbox Navigator",
    page_icon=str(ICON),
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
apply_style()


def _toggle_projector() -> None:
    set_projector(bool(st.session_state.app_projector))


page = st.navigation(list(build_pages().values()), position="top" if present else "sidebar")
note_page(page.url_path)
show_address_notes(page.url_path)

catalog = get_catalog()
with st.sidebar:
    st.markdown("**Municipal Toolbox Navigator**")
    st.caption(
        f"{len(catalog.tools)} tools from DVRPC's Municipal Implementation Toolbox: "
        "ordinances, programs, plans and funding tools for Pennsylvania and New Jersey towns."
    )
    st.session_state.app_projector = present
    st.toggle(
        "Projector mode",
        key="app_projector",
        on_change=_toggle_projector,
        help="Large type and high contrast for a room; adds present=1 to the address.",
    )
problems_notice(catalog, where="sidebar")

page.run()
