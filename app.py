"""Municipal Toolbox Navigator: the router.

Page config, the page registry, the shared sidebar. Nothing else: every page
lives in pages/, every rule in logic/.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.common import apply_style, get_catalog, in_present_mode, problems_notice, set_present


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    url_path: str
    icon: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/home.py", "Home", "", ":material/home:", default=True),
    PageSpec("app_pages/find.py", "Find tools", "find", ":material/travel_explore:"),
    PageSpec("app_pages/catalog.py", "Catalog", "catalog", ":material/view_list:"),
    PageSpec("app_pages/tool.py", "Tool", "tool", ":material/description:"),
    PageSpec("app_pages/compare.py", "Compare", "compare", ":material/compare_arrows:"),
    PageSpec("app_pages/challenges.py", "Challenges", "challenges", ":material/construction:"),
    PageSpec("app_pages/workshop.py", "Workshop vote", "workshop", ":material/how_to_vote:"),
)

present = in_present_mode()
st.set_page_config(
    page_title="Municipal Toolbox Navigator",
    page_icon=":material/explore:",
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
apply_style()


def _toggle_present() -> None:
    set_present(bool(st.session_state.app_present))


page = st.navigation(
    [st.Page(p.file, title=p.title, url_path=p.url_path or None, icon=p.icon, default=p.default) for p in PAGES],
    position="top" if present else "sidebar",
)

catalog = get_catalog()
with st.sidebar:
    st.markdown("**Municipal Toolbox Navigator**")
    st.caption(
        f"{len(catalog.tools)} tools from DVRPC's Municipal Implementation Toolbox: "
        "ordinances, programs, plans and funding tools for Pennsylvania and New Jersey towns."
    )
    st.session_state.app_present = present
    st.toggle(
        "Projector mode",
        key="app_present",
        on_change=_toggle_present,
        help="Large type and high contrast for a room; adds present=1 to the address.",
    )
problems_notice(catalog, where="sidebar")

page.run()
