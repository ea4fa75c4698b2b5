"""Paths the tests share (imported by name; conftest modules are not importable twice)."""

from __future__ import annotations

import os
import re
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


CARD_TITLE = re.compile(r"^(\\?=)?\d+\. ")


def card_titles(at) -> list[str]:
    """/find's result cards by their titles ("1. Vision Zero", "\\=3. ..."), in order:
    each card's title is a subheader of its own (no heading anchor), the rest one Markdown."""
    return [h.value for h in at.subheader if CARD_TITLE.match(h.value)]


def card_bodies(at) -> list[str]:
    """Each card's text under its title (fit badge, headline, reasons, why below), in order."""
    return [m.value for m in at.markdown if m.value.startswith((":green-badge[", ":orange-badge[", ":gray-badge["))]
