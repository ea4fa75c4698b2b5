"""Compare up to four tools side by side: /compare?tools=a,b,c."""

import pandas as pd
import streamlit as st

from logic.export import compare_rows
from logic.scenario import MAX_COMPARE, pick_tools
from logic.text import escape_md
from ui.common import entry_params, get_catalog, remember_params, show_url_notes, tool_link

catalog = get_catalog()
st.title("Compare tools")

notes = None
if "compare_tools" not in st.session_state:  # entering the page: from a link, or the last selection
    notes = []
    st.session_state.compare_tools = pick_tools(entry_params("compare")[0], "tools", catalog, notes, limit=MAX_COMPARE)
show_url_notes("compare_url_notes", notes)

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
remember_params("compare", {"tools": ",".join(slugs)} if slugs else {})

if len(slugs) < 2:
    st.info("Choose at least two tools, or add tools to the shortlist on Find tools and compare from there.")
    st.stop()

only_diff = st.toggle("Show only the rows where they differ", key="compare_only_diff")
rows = compare_rows(catalog, slugs)
frame = pd.DataFrame(rows)
if only_diff:
    frame = frame[frame["Differs"]]
frame = frame.assign(Differs=frame["Differs"].map({True: "differs", False: "same"}))


def _shade(row: pd.Series) -> list[str]:
    style = "background-color: #FFF4CE" if row["Differs"] == "differs" else ""
    return [style] * len(row)


# st.table renders each cell and heading as Markdown: titles and names are shown as text
shown = frame.rename(columns=escape_md).map(lambda v: escape_md(v) if isinstance(v, str) else v)
st.table(shown.style.apply(_shade, axis=1).hide(axis="index"))
st.caption("Rows where the tools differ are shaded and marked “differs”.")
cols = st.columns(len(slugs))
for col, slug in zip(cols, slugs, strict=True):
    with col:
        tool_link(catalog.tools[slug], label=f"Read: {catalog.title(slug)}")
