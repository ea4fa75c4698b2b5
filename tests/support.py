"""Paths the tests share (imported by name; conftest modules are not importable twice)."""

from __future__ import annotations

import os
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
