"""Shared fixtures: the real catalog, and scratch copies of it to break."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from logic import load_catalog
from support import CONTENT, FACTS


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(CONTENT)


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A scratch copy of content/ that a test may break."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


@pytest.fixture(scope="session")
def facts() -> dict:
    if not FACTS.exists():
        pytest.skip(f"reference facts not found at {FACTS} (they live in ../shared)")
    return json.loads(FACTS.read_text(encoding="utf-8"))
