"""Paths the tests share (imported by name; conftest modules are not importable twice)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
FACTS = SHARED / "reference" / "toolbox-facts.json"
SEED = SHARED / "seeds" / "IoTandSmartCommunities.md"
