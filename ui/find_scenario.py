"""/find's scenario <-> its widgets, in one place.

The address is the scenario's home (logic/scenario.py parses and writes it); the widgets
hold it while on the page. `fill_widgets` sets the widgets from a scenario when the page
is entered (or a scenario file is opened); `scenario_from_widgets` reads it back. Every
constraint widget comes from the registry (logic/constraints.py).
"""

from __future__ import annotations

import streamlit as st

from logic.browse import read_wants
from logic.constraints import REGISTRY
from logic.profile import Profile
from logic.scenario import Guess, Scenario, take_guess
from logic.taxonomy import DEFAULT_IMPORTANCE, FOCUS_AREAS, PRINCIPLES
from logic.text import escape_md
from ui.find_context import FindContext
from ui.page_state import entering, entry_params
from ui.projector import projector_on

PLAN_TAB = "Action plan"  # the results tab a desk link to the plan opens
ENTERED = "_find_entered"  # session key: the page's widgets were filled from a scenario
NOTES = "find_url_notes"  # session key: what the address got wrong, shown while on the page
GUESSES = "find_url_guesses"  # session key: the address's misses that name one value (logic `Guess`)
WANTS_SAID = "find_wants_said"  # session key: what the last typed wants added, found chosen, or could not read


def fill_widgets(ctx: FindContext, scenario: Scenario) -> None:
    """Set every widget of the page to the scenario's choices."""
    p, catalog = scenario.profile, ctx.catalog
    for group, gids in ctx.groups.items():
        st.session_state[ctx.group_keys[group]] = [g for g in gids if g in p.goals]
    for gid, imp in p.goals.items():
        st.session_state[f"find_imp_{gid}"] = int(imp)  # the widget's options are plain 1-3
    st.session_state.find_focus = sorted(p.focus, key=FOCUS_AREAS.index)
    st.session_state.find_principle = sorted(p.principles, key=PRINCIPLES.index)
    st.session_state.find_about = p.about
    for kind in REGISTRY:
        value = p.get(kind.name)
        if kind.widget == "multiselect":
            st.session_state[f"find_{kind.name}"] = sorted(value or (), key=catalog.title)
        elif kind.multi:
            st.session_state[f"find_{kind.name}"] = [v for v in kind.valid(catalog) if v in (value or ())]
        else:
            st.session_state[f"find_{kind.name}"] = value
    st.session_state.find_shortlist = scenario.shortlist
    st.session_state.find_room = scenario.room
    st.session_state.find_step = scenario.step
    if scenario.step == "plan" and not projector_on():  # a desk link to the plan opens its tab
        st.session_state.find_tab = PLAN_TAB
    st.session_state[ENTERED] = True


def enter(ctx: FindContext) -> list[str] | None:
    """On entering the page (from the address, or the scenario it showed last), fill the
    widgets from it and return what the address got wrong; on the page's own reruns, None."""
    if not entering(ENTERED, "find"):
        return None
    address, _ = entry_params("find")
    entered = Scenario.from_query(address, ctx.catalog)
    fill_widgets(ctx, entered)
    st.session_state[GUESSES] = entered.guesses
    return entered.notes


def _take(ctx: FindContext, guess: Guess) -> None:
    """A guess's button: the widgets show their scenario with the value read as meant, and
    the note on it goes."""
    now = scenario_from_widgets(ctx, {}).to_query()
    fill_widgets(ctx, Scenario.from_query(take_guess(now, guess), ctx.catalog))
    st.session_state[GUESSES] = [g for g in st.session_state.get(GUESSES, []) if g != guess]
    st.session_state[NOTES] = [n for n in st.session_state.get(NOTES, []) if n != guess.note]


def guess_buttons(ctx: FindContext, note: str) -> None:
    """Under an address note that names the value meant ("did you mean 'reduce-flood-risk'?"):
    one click reads it so."""
    for i, guess in enumerate(st.session_state.get(GUESSES, [])):
        if guess.note == note:
            st.button(
                f"Use “{escape_md(guess.name)}”",
                key=f"find_guess_{i}",
                icon=":material/check:",
                on_click=_take,
                args=(ctx, guess),
                help=escape_md(f"Reads {guess.key}={guess.typed} as {guess.key}={guess.value}"),
            )


def add_wants(ctx: FindContext) -> None:
    """The typed wants box ("flooding, seniors, downtown"): each goal it names is picked in its
    group (important, unless already chosen); the box empties and what it did is kept to say."""
    read = read_wants(ctx.catalog, st.session_state.get("find_wants") or "")
    added, already = [], []
    for group, gids in ctx.groups.items():
        key = ctx.group_keys[group]
        now = list(st.session_state.get(key) or [])
        new = [g for g in read.goals if g in gids and g not in now]
        already += [g for g in read.goals if g in now]
        if new:
            st.session_state[key] = [g for g in gids if g in now or g in new]
            added += new
    st.session_state.find_wants = ""
    order = list(read.goals).index
    st.session_state[WANTS_SAID] = (sorted(added, key=order), sorted(already, key=order), read.misses(ctx.catalog))


def chosen_goals(ctx: FindContext) -> dict[str, int]:
    """The goals picked (group by group), each with its importance."""
    chosen = [g for group in ctx.groups for g in (st.session_state.get(ctx.group_keys[group]) or [])]
    return {g: st.session_state.get(f"find_imp_{g}") or DEFAULT_IMPORTANCE for g in chosen}


def scenario_from_widgets(ctx: FindContext, votes: dict[str, int]) -> Scenario:
    constraints: dict[str, str | list[str] | None] = {}
    for kind in REGISTRY:
        if kind.multi:
            constraints[kind.name] = list(st.session_state.get(f"find_{kind.name}") or [])
        else:
            constraints[kind.name] = st.session_state.get(f"find_{kind.name}")
    profile = Profile(
        goals=chosen_goals(ctx),
        focus=frozenset(st.session_state.find_focus or []),
        principles=frozenset(st.session_state.find_principle or []),
        votes=votes,
        about=st.session_state.get("find_about") or "",
        **constraints,
    )
    shortlist = [s for s in st.session_state.find_shortlist if s in ctx.catalog.tools]
    return Scenario(
        profile=profile, shortlist=shortlist, room=st.session_state.find_room, step=st.session_state.find_step
    )
