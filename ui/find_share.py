"""/find's share section: the link that reopens the scenario, one download a format
(logic/brief/formats.py), and opening a saved scenario file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from logic.brief import FORMATS, default_title, file_name, make_brief, render
from logic.profile import Profile
from logic.scenario import Scenario
from logic.scenario_file import MAX_SCENARIO_BYTES, read_scenario_file
from logic.text import escape_md
from ui.find_context import KEEP, FindContext
from ui.find_plan import plan_for
from ui.find_room import room_still_visible
from ui.find_scenario import fill_widgets
from ui.resources import get_store

BRIEF_TOP = 5  # the brief explains the top 5 (two pages); the CSV lists every tool


def share_link(query: dict[str, str]) -> str:
    """The address that reopens the scenario (without the projector's step)."""
    wanted = {k: v for k, v in query.items() if k != "step"}
    return (st.context.url or "") + ("?" + urlencode(wanted) if wanted else "")


def _open_scenario_file(ctx: FindContext) -> None:
    """The uploader's callback (it runs before the page): restore the file's scenario,
    staying on the current step, or keep everything and say why the file was refused."""
    upload = st.session_state.get("find_scenario_file")
    if upload is None:
        return
    loaded = read_scenario_file(upload.getvalue(), ctx.catalog)
    if loaded.scenario is None:
        st.session_state.find_file_note = ("error", loaded.message)
        return
    loaded.scenario.step = st.session_state.get("find_step") or "goals"
    fill_widgets(ctx, loaded.scenario)
    if loaded.title:
        st.session_state.find_brief_title = loaded.title
    st.session_state.find_file_note = ("success", loaded.message)


UPLOAD_CSS = """<style>
.st-key-find_scenario_file [data-testid='stFileUploaderDropzoneInstructions'] { display: none; }
</style>"""


def open_file_block(ctx: FindContext, lazy: bool = False) -> None:
    """The scenario-file uploader and what became of the last file. `lazy`: behind an
    expander that draws it when opened (Streamlit's drop zone is heavy, and carries an
    ARIA role conflict that axe reports, so it is not on the page until asked for)."""
    if lazy:
        box = st.expander("Open a saved scenario", icon=":material/upload_file:", key="find_open", on_change="rerun")
        with box:
            if box.open:
                open_file_block(ctx)
        return
    # Streamlit's drop zone states its own limit in whole megabytes ("1MB per file • JSON"),
    # while a scenario file is refused over MAX_SCENARIO_BYTES: the label says the real one
    st.html(UPLOAD_CSS)
    st.file_uploader(
        f"Open a scenario file (.json, up to {MAX_SCENARIO_BYTES // 1024} KB)",
        type=["json"],
        key="find_scenario_file",
        on_change=_open_scenario_file,
        args=(ctx,),
        max_upload_size=1,
        help="A file saved with 'Scenario file (JSON)' restores its goals, constraints and shortlist exactly.",
    )
    kind, message = st.session_state.get("find_file_note", (None, None))
    if message:
        (st.success if kind == "success" else st.error)(escape_md(message))


def share_block(ctx: FindContext, profile: Profile, shortlist: list[str], link: str) -> None:
    """Link, brief (PDF, HTML), results (CSV), handout (Markdown), scenario file (JSON), and opening one.
    Each file is made when its button is pressed; the button shows a spinner meanwhile."""
    catalog = ctx.catalog
    today = dt.date.today()
    st.session_state.setdefault("find_brief_title", default_title(today))
    box = st.expander("Share or hand out this scenario", icon=":material/share:", key="find_share", on_change="rerun")
    with box:
        if not box.open:  # drawn when opened: the plan, the buttons and the uploader cost nothing closed
            return
        st.caption("Copy this link: it reopens exactly these choices and shortlist.")
        st.code(link, language=None, wrap_lines=True)
        st.text_input("Title of the brief", key="find_brief_title", max_chars=120, persist_state=KEEP)
        title = st.session_state.find_brief_title or default_title(today)
        # read the page's state now: the files are made later, when a button is pressed
        plan, source = plan_for(ctx, profile, shortlist)
        scenario = Scenario(
            profile=profile, shortlist=shortlist, room=st.session_state.find_room if profile.votes else None
        )
        store = get_store()

        def made(fmt: str) -> Callable[[], bytes]:
            def build() -> bytes:
                # made when pressed, maybe long after this run: a room hidden since carries no dots
                if scenario.room and not room_still_visible(store, scenario.room):
                    quiet = Scenario(profile=profile.replace(votes={}), shortlist=shortlist)
                    return render(make_brief(catalog, quiet, title, link, BRIEF_TOP, today=today), catalog, fmt)
                return render(
                    make_brief(catalog, scenario, title, link, BRIEF_TOP, plan, source, today=today), catalog, fmt
                )

            return build

        # one button a format (logic/brief/formats.py), in a row that wraps, each as wide as its
        # label: fixed columns cut the labels in projector mode ("Brief (H...", "Handou...")
        row = st.container(horizontal=True, gap="small")
        for fmt in FORMATS.values():
            row.download_button(
                fmt.label,
                made(fmt.name),
                file_name(title, fmt.name, today),
                fmt.media_type,
                key=f"find_dl_{fmt.name}",
                icon=fmt.icon,
                on_click="ignore",
                width="content",
            )
        st.caption(
            f"The brief explains the top {BRIEF_TOP} tools, the package, the plan and each tool's case studies "
            "and model ordinances; the HTML brief carries every coverage chart, the two-page PDF the coverage grid "
            "and the plan's timeline where they fit. It takes a second or two to make (the button shows a "
            "spinner). The CSV lists every tool; the scenario file reopens these choices here."
        )
        open_file_block(ctx)
