"""Paths the tests share (imported by name; conftest modules are not importable twice)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# A small catalog written for the tests (8 tools; see its README): rules, pages and CLI run on it.
FIXTURE = ROOT / "tests" / "fixtures" / "catalog"
SHARED = Path(os.environ.get("TOOLBOX_SHARED_DIR") or ROOT.parent / "shared")
FACTS = SHARED / "reference" / "toolbox-facts.json"
SEED = SHARED / "seeds" / "IoTandSmartCommunities.md"


def need(path: Path) -> Path:
    """A file from ../shared: skipped where shared/ is absent, a failure under CI."""
    if not path.exists():
        message = f"{path} not found (shared/ lies beside the checkout; TOOLBOX_SHARED_DIR overrides)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


# Tests that run whole in one pytest-xdist process, one after another, by where they live
# (a path, or a folder ending in "/"). xdist's own xdist_group marks are lost on pytest 9
# (xdist 3.8 renames the node by setting Item._nodeid, which pytest 9 no longer reads).
ONE_PROCESS = {
    # each module starts its own server and Chromium; they ran one at a time before xdist
    "browser": ("tests/e2e/",),
    # one shared database (TOOLBOX_TEST_PG): test_votes drops its tables, the hardening
    # tests hold its locks (tests/test_architecture.py checks that no other file uses it)
    "postgres": ("tests/test_votes.py", "tests/test_hardening.py"),
    # module fixtures make the briefs' PDFs once; split over processes each would make them
    "briefs": ("tests/test_brief.py", "tests/test_brief_pdf.py"),
}


def one_process_group(nodeid: str) -> str | None:
    """The ONE_PROCESS group a test belongs to, if any."""
    path = nodeid.split("::", 1)[0]
    for group, places in ONE_PROCESS.items():
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in places):
            return group
    return None


APP = ROOT / "app.py"


def open_page(page: str, session_state: dict | None = None, timeout: float = 60, **params: str):
    """An AppTest of the whole app (router and sidebar) on `page`, with these address
    parameters and session-state values, run once; fails on an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    for k, v in (session_state or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


CARD_TITLE = re.compile(r"^(\\?=)?\d+\. ")


def card_titles(at) -> list[str]:
    """/find's result cards by their titles ("1. Vision Zero", "\\=3. ..."), in order:
    each card's title is a subheader of its own (no heading anchor), the rest one Markdown."""
    return [h.value for h in at.subheader if CARD_TITLE.match(h.value)]


def card_bodies(at) -> list[str]:
    """Each card's text under its title (fit badge, headline, reasons, why below), in order."""
    return [m.value for m in at.markdown if m.value.startswith((":green-badge[", ":orange-badge[", ":gray-badge["))]


def flood_zone_kind():
    """A made-up kind of constraint (tests/test_registry.py, the tool page's test): a town mostly
    in the floodplain finds building-heavy tools harder. Not registered: a test registers it."""
    from logic.constraints import ConstraintKind, Hit

    def builds(tool) -> bool:
        return tool.tool_type in ("zoning", "ordinance") and not tool.strength("reduce-flood-risk")

    def assess(tool, value, catalog):
        if value == "mostly" and builds(tool):
            return Hit(7, "Most of your land is in the floodplain, where this tool's new building is hard to permit.")
        return None

    return ConstraintKind(
        name="floodzone",
        label="Share of land in the floodplain",
        what="floodplain share",
        values=("little", "some", "mostly"),
        assess=assess,
        relax=lambda v, c: f"Less land in the floodplain (instead of {v})",
        challenge=lambda v: "legal-authority",
        flag_title=lambda v, c: "Much of the town is in the floodplain",
        facts=lambda t, c: [("Hard to permit in a floodplain", "yes" if builds(t) else "no")],
        record=lambda t: {"floodplainPermits": builds(t)},
        explains=lambda: "each tool that builds in a floodplain you mostly sit in (7)",
    )


def population_kind():
    """A made-up kind that reads its own key from each tool page (`population: [small, medium]`):
    a tool made for other town sizes loses 8 points. Not registered: a test registers it."""
    from logic.constraints import ConstraintKind, Hit

    sizes = ("small", "medium", "large")

    def assess(tool, value, catalog):
        made_for = tool.traits.get("population", ())
        if made_for and value not in made_for:
            return Hit(8, f"Made for {' and '.join(made_for)} towns; yours is {value}.")
        return None

    return ConstraintKind(
        name="population",
        label="Population",
        what="population size",
        values=sizes,
        assess=assess,
        relax=lambda v, c: f"Any town size (instead of {v})",
        flag_title=lambda v, c: "Made for towns of another size",
        tool_key="population",
        tool_values=sizes,
        tool_multi=True,
        facts=lambda t, c: [("Town sizes", ", ".join(t.traits.get("population", ())) or "any")],
        record=lambda t: {"population": list(t.traits.get("population", ()))},
        explains=lambda: "a town size the tool is not made for (8)",
    )


@dataclass(frozen=True)
class CliRun:
    """What `python -m logic ...` gave: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *argv: object) -> CliRun:
    """`python -m logic ARGV` run in this process (logic.cli.main, as `__main__` calls it):
    no interpreter start-up or re-import per call. One test runs the real command
    (tests/test_scenario_cli_export.py::test_python_m_logic_is_a_command)."""
    from logic.cli import main

    capsys.readouterr()  # what came before is not this command's output
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return CliRun(code, out, err)
