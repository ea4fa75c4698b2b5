"""AppTest: /find's take-aways (downloads, opening a scenario file) and the workshop's brief."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

import support
from logic import load_catalog
from logic.brief import FORMATS, default_title, make_brief, scenario_json
from logic.rules import rank
from logic.scenario import Scenario
from logic.votes import VoteStore
from support import CONTENT, ROOT

APP = str(ROOT / "app.py")
FIND = "app_pages/find.py"
FILE_SCENARIO = {
    "goal": "walk-bike:3,safer-streets",
    "face": "upfront-funding",
    "budget": "low",
    "setting": "suburban",
    "shortlist": "visionzero,completestreets",
}


pytestmark = pytest.mark.usefixtures("fresh_app")


def open_page(page: str, **params: str) -> AppTest:
    """The page with its share expander open (it is drawn only when opened)."""
    return support.open_page(page, session_state={"find_share": True}, **params)


def address(at: AppTest) -> dict[str, str]:
    return {k: v for k, v in at.query_params.items() if k != "present"}


def ranking_on(at: AppTest) -> list[tuple[str, int]]:
    """The ranking the page's address describes."""
    catalog = load_catalog(CONTENT)
    profile = Scenario.from_query(dict(at.query_params), catalog).profile
    return [(r.slug, r.score) for r in rank(catalog, profile)]


def scenario_file(params: dict[str, str], title: str = "Walk and bike") -> bytes:
    catalog = load_catalog(CONTENT)
    sc = Scenario.from_query(params, catalog)
    return scenario_json(make_brief(catalog, sc, title=title), catalog).encode("utf-8")


@pytest.mark.parametrize("present", ["", "1"], ids=["desk", "projector-results"])
def test_find_offers_every_download_with_its_name_and_type(present):
    params = {"goal": "reduce-flood-risk:3", "state": "NJ"}
    if present:
        params |= {"present": "1", "step": "results"}
    at = open_page(FIND, **params)
    buttons = {b.key: b for b in at.get("download_button")}
    assert set(buttons) >= {f"find_dl_{name}" for name in FORMATS}  # every registered format
    assert at.text_input(key="find_brief_title").value == default_title(dt.date.today())
    assert at.file_uploader(key="find_scenario_file")


@pytest.mark.parametrize("step", ["package", "plan"])
def test_the_package_and_plan_steps_offer_the_brief_too(step):
    at = open_page(FIND, present="1", goal="reduce-flood-risk:3", step=step)
    keys = {b.key for b in at.get("download_button")}
    assert {f"find_dl_{name}" for name in FORMATS} <= keys


def test_a_registered_format_reaches_the_downloads_and_the_command_line(monkeypatch, tmp_path, capsys):
    """A new output format is one entry in FORMATS (and its maker): /find offers it with its
    label, name and media type, and `python -m logic brief --format` writes it."""
    from dataclasses import replace

    from logic import cli
    from logic.brief import formats

    text = replace(
        formats.FORMATS["md"],
        name="txt",
        suffix="txt",
        media_type="text/plain",
        label="Plain text",
        kind="notes",
        make=lambda brief, catalog: f"{brief.title}\n".encode(),
    )
    monkeypatch.setitem(formats.FORMATS, "txt", text)
    at = open_page(FIND, goal="reduce-flood-risk:3")
    button = next(b for b in at.get("download_button") if b.key == "find_dl_txt")
    assert button.proto.label == "Plain text"
    out = tmp_path / "b.txt"
    code = cli.main(["brief", "--goal", "walk-bike", "--title", "Notes", "--format", "txt", "--output", str(out)])
    assert code == 0 and out.read_text() == "Notes\n"
    assert cli.main(["brief", "--goal", "walk-bike", "--format", "docx"]) == 2
    assert "txt" in capsys.readouterr().err  # the valid formats, the new one among them


def test_opening_a_scenario_file_restores_the_scenario_exactly():
    at = open_page(FIND, goal="reduce-flood-risk", state="NJ")
    at.file_uploader(key="find_scenario_file").set_value(("s.json", scenario_file(FILE_SCENARIO), "application/json"))
    at.run()
    assert not at.exception
    assert any("loaded" in s.value for s in at.success)
    catalog = load_catalog(CONTENT)
    expected = Scenario.from_query(FILE_SCENARIO, catalog)
    restored = Scenario.from_query(dict(at.query_params), catalog)
    assert restored.profile == expected.profile and restored.shortlist == expected.shortlist
    assert "state" not in at.query_params  # nothing of the old scenario is left
    assert ranking_on(at) == [(r.slug, r.score) for r in rank(catalog, expected.profile)]
    assert at.text_input(key="find_brief_title").value == "Walk and bike"
    # the widgets show it too, so the next rerun keeps it
    assert at.session_state["find_budget"] == "low" and at.session_state["find_setting"] == "suburban"


def test_opening_a_file_on_a_projector_step_stays_on_that_step():
    at = open_page(FIND, present="1", goal="reduce-flood-risk", step="results")
    at.file_uploader(key="find_scenario_file").set_value(("s.json", scenario_file(FILE_SCENARIO), "application/json"))
    at.run()
    assert at.query_params.get("step") == "results"
    assert at.query_params.get("shortlist") == "visionzero,completestreets"


BAD = [
    pytest.param(b'{"schema": "toolbox-scenario", "version": 1', "not valid JSON", id="invalid-json"),
    pytest.param(
        b'{"schema": "toolbox-scenario", "version": 1, "scenario": {"goal": "teleport"}}',
        "unknown goal 'teleport'",
        id="unknown-goal",
    ),
    pytest.param(
        b'{"schema": "toolbox-scenario", "version": 1, "scenario": {"goal": "walk-bike", "shortlist": "zzz"}}',
        "shortlist='zzz'",
        id="unknown-tool",
    ),
    pytest.param(
        b'{"schema": "toolbox-scenario", "version": 7, "scenario": {"goal": "walk-bike"}}',
        "version 7",
        id="other-version",
    ),
    pytest.param(b'{"schema": "toolbox-scenario", "version": 1, "pad": "' + b"x" * 110_000 + b'"}', "100 KB", id="big"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_a_bad_scenario_file_shows_its_message_and_changes_nothing(data, message):
    at = open_page(FIND, goal="reduce-flood-risk:3", state="NJ", shortlist="stormwaterfees")
    before, ranking = address(at), ranking_on(at)
    at.file_uploader(key="find_scenario_file").set_value(("bad.json", data, "application/json"))
    at.run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(message in e for e in errors), errors
    assert address(at) == before and ranking_on(at) == ranking
    assert not at.success


def test_the_workshop_results_offer_the_rooms_brief(tmp_path):
    store = VoteStore(str(tmp_path / "votes.db"))
    session = store.create_session(["visionzero", "completestreets", "officialmap"], dots=3, allow_stacking=True)
    token = store.new_token(session.code)
    store.join(session.code, token)
    store.cast_vote(session.code, token, "officialmap")
    at = open_page("app_pages/workshop.py", session=session.code, host=session.host_token)
    brief = [b for b in at.get("download_button") if b.key == "workshop_brief"]
    assert brief and "Brief" in brief[0].label


def test_with_no_goals_yet_a_saved_scenario_can_be_opened_from_a_closed_section():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(FIND)
    at.run()
    assert not at.get("file_uploader")  # not on the page until asked for
    at.session_state["find_open"] = True
    at.run()
    at.file_uploader(key="find_scenario_file").set_value(("s.json", scenario_file(FILE_SCENARIO), "application/json"))
    at.run()
    assert not at.exception
    assert address(at).get("goal")
