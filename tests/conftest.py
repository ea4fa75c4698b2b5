"""Shared fixtures: the real catalog, and scratch copies of it to break."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from logic import load_catalog
from support import CONTENT, FACTS, need


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
    return json.loads(need(FACTS).read_text(encoding="utf-8"))
