"""The implementation challenges: what they are, ways around them, who carries them."""

import streamlit as st

from logic.scenario import MAX_VALUE_CHARS
from logic.text import escape_md
from ui.page_state import show_url_notes
from ui.resources import get_catalog
from ui.widgets import tool_link

catalog = get_catalog()
st.title("Challenges")
st.markdown(
    "What holds towns back from putting a tool to work, concrete ways around each challenge, "
    "the toolbox tools that help, and the tools that run into it."
)

carriers: dict[str, list[str]] = {cid: [] for cid in catalog.challenges}
for tool in catalog.tools.values():
    for cid in tool.challenge_ids:
        carriers.setdefault(cid, []).append(tool.slug)

wanted = st.query_params.get("challenge")
notes = []
if wanted and len(wanted) > MAX_VALUE_CHARS:  # not echoed
    notes.append(
        f"Ignored challenge= in the address: {len(wanted):,} characters; at most {MAX_VALUE_CHARS} characters."
    )
    wanted = None
elif wanted and wanted not in catalog.challenges:
    notes.append(f"Ignored challenge={wanted!r} in the address: no such challenge.")
show_url_notes("challenges_url_notes", notes)

PAGE_SIZE = 25  # tools listed under a challenge before "Show more"


def _more(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, PAGE_SIZE) + PAGE_SIZE


for cid, ch in catalog.challenges.items():
    tools = carriers.get(cid, [])
    box = st.expander(
        f"{escape_md(ch.name)} · {len(tools)} tools",
        icon=":material/construction:",
        expanded=cid == wanted,
        key=f"challenges_open_{cid}",
        on_change="rerun",
    )
    with box:
        if not box.open:  # drawn when opened: fourteen closed challenges cost nothing
            continue
        st.markdown(escape_md(ch.description))
        c1, c2 = st.columns(2)
        with c1:
            st.markdown("**Ways around it**")
            st.markdown("\n".join(f"- {escape_md(m)}" for m in ch.mitigations) or "_None listed._")
            if ch.enablers:
                st.markdown("**Tools that help overcome it**")
                for slug in ch.enablers:
                    if slug in catalog.tools:
                        tool_link(catalog.tools[slug], icon=":material/handyman:")
        with c2:
            st.markdown("**Tools that run into it**")
            shown_key = f"challenges_shown_{cid}"
            shown = st.session_state.get(shown_key, PAGE_SIZE)
            for slug in tools[:shown]:
                tool = catalog.tools[slug]
                note = tool.challenge_note(cid)
                tool_link(tool, label=tool.title)
                if note:
                    st.caption(escape_md(note))
            if len(tools) > shown:
                st.button(
                    f"Show more ({shown} of {len(tools)} shown)",
                    key=f"challenges_more_{cid}",
                    on_click=_more,
                    args=(shown_key,),
                )
