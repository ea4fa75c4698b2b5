"""Compare up to four tools side by side: /compare?tools=a,b,c."""

import pandas as pd
import streamlit as st

from logic.export import compare_rows
from logic.scenario import MAX_COMPARE, Scenario, pick_tools
from logic.text import css_string, escape_md
from ui.page_state import entering, entry_params, remember_params, show_url_notes
from ui.resources import get_catalog
from ui.widgets import tool_link

catalog = get_catalog()
st.title("Compare tools")

notes: list[str] | None = None
if entering("compare_tools", "compare"):  # from a link, or the last selection (back through the menu)
    notes = []
    params = entry_params("compare")[0]
    st.session_state.compare_tools = pick_tools(params, "tools", catalog, notes, limit=MAX_COMPARE)
    # a scenario in the address (the link from Find tools carries it): each tool's fit for it
    scenario = Scenario.from_query({k: v for k, v in params.items() if k != "tools"}, catalog)
    st.session_state.compare_scenario = scenario.to_query(with_room=False, with_step=False)
    notes += scenario.notes
show_url_notes("compare_url_notes", notes)
scenario_query: dict[str, str] = st.session_state.get("compare_scenario", {})
profile = Scenario.from_query(scenario_query, catalog).profile

st.multiselect(
    f"Tools to compare (up to {MAX_COMPARE})",
    list(catalog.tools),
    format_func=catalog.title,
    max_selections=MAX_COMPARE,
    select_all=False,
    key="compare_tools",
    placeholder="Choose tools",
)
slugs = list(st.session_state.compare_tools)
remember_params("compare", ({"tools": ",".join(slugs)} if slugs else {}) | scenario_query)
if profile.asks_for_something:
    st.caption(
        "The first rows say how each tool fits the scenario you came from: its fit and rank on Find "
        "tools, how strongly it serves each goal, what stands in its way and, for tools level on "
        "score, why one ranks below another."
    )


def _shade(row: pd.Series) -> list[str]:
    style = "background-color: #FFF4CE" if row["Differs"] == "differs" else ""
    return [style] * len(row)


def _stacked_on_a_phone(titles: list[str]) -> str:
    """On a narrow screen each row becomes a block, the attribute and then each tool's cell
    under its title: side by side, a phone showed one tool and a half and scrolled sideways
    for the rest. A row's "differs" or "same" comes up under its attribute."""
    table = ".st-key-compare_table table"
    labels = "".join(
        f"{table} td:nth-child({i})::before {{ content: {css_string(title)}; display: block; font-weight: 600; white-space: normal; }}"
        for i, title in enumerate(titles, start=2)
    )
    return f"""<style>@media (max-width: 640px) {{
{table} thead {{ display: none; }}
{table}, {table} tbody, {table} td {{ display: block; width: auto; max-width: 100%; }}
{table} tr {{ display: flex; flex-direction: column; padding: 0.5rem 0; border-bottom: 1px solid #d0d0d0; }}
{table} td {{ border: none; order: 2; }}
{table} td:first-child {{ order: 0; font-weight: 700; font-size: 1.05rem; }}
{table} td:last-child {{ order: 1; padding-top: 0; font-style: italic; }}
{labels}
}}</style>"""


def comparison(slugs: list[str]) -> None:
    """The table of the chosen tools side by side, and a link to each."""
    only_diff = st.toggle("Show only the rows where they differ", key="compare_only_diff")
    rows = compare_rows(catalog, slugs, profile)
    frame = pd.DataFrame(rows)
    if only_diff:
        frame = frame[frame["Differs"]]
    frame = frame.assign(Differs=frame["Differs"].map({True: "differs", False: "same"}))

    # st.table renders each cell and heading as Markdown: titles and names are shown as text
    shown = frame.rename(columns=escape_md).map(lambda v: escape_md(v) if isinstance(v, str) else v)
    with st.container(key="compare_table"):
        st.html(_stacked_on_a_phone([catalog.title(s) for s in slugs]))
        st.table(shown.style.apply(_shade, axis=1).hide(axis="index"))
    st.caption("Rows where the tools differ are shaded and marked “differs”.")
    with st.container(horizontal=True, gap="medium"):  # wraps: fixed columns cut "Read: Build Missing Middle Housin"
        for slug in slugs:
            tool_link(catalog.tools[slug], label=catalog.title(slug))


if len(slugs) < 2:  # the page ends after either, so the router still draws the menu
    st.info("Choose at least two tools, or add tools to the shortlist on Find tools and compare from there.")
else:
    comparison(slugs)
