"""Municipal Toolbox Navigator: the router.

Page config, navigation over the page registry (ui/pages.py), the shared
sidebar. Nothing else: every page lives in app_pages/, every rule in logic/.
"""

from __future__ import annotations

import streamlit as st

from ui.page_state import menu, note_page, show_address_notes
from ui.pages import build_pages
from ui.projector import apply_style, projector_on, set_projector
from ui.resources import get_catalog
from ui.widgets import problems_notice

present = projector_on()
st.set_page_config(
    page_title="Municipal Toolbox Navigator",
    # an emoji: the browser draws it as an inline SVG, with no request (a ":material/...:" icon
    # fetched a font) and no image library (a PNG icon loaded numpy and Pillow on a cold
    # server's first run, 0.14-0.38 s of a shared link's first open)
    page_icon="🧭",
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
apply_style()


def _toggle_projector() -> None:
    set_projector(bool(st.session_state.app_projector))


pages = build_pages()
page = st.navigation(list(pages.values()), position="hidden")  # the menu: ui.page_state.menu
menu_slot = st.container() if present else st.sidebar.container()  # projector: in the top bar
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

try:
    page.run()
finally:  # drawn after the page, so each link carries what its page shows now
    with menu_slot:
        menu()
