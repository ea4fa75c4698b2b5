"""Paths the tests share (imported by name; conftest modules are not importable twice)."""

from __future__ import annotations

import os
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
