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
