"""Shared fixtures: the real catalog, and scratch copies of it to break."""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

import pytest

from logic import load_catalog
from support import CONTENT, FACTS, FIXTURE, need, one_process_group, run_cli


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One marker a layer, by where the test lives: tests/e2e -> browser,
    tests/test_pages*.py and tests/*_pages.py (AppTest) -> pages, the rest -> logic
    (`pytest -m pages`)."""
    here = Path(__file__).parent
    for item in items:
        where = Path(str(item.path)).relative_to(here)
        if where.parts[0] == "e2e":
            item.add_marker(pytest.mark.browser)
        elif where.name.startswith("test_pages") or where.name.endswith("_pages.py"):
            item.add_marker(pytest.mark.pages)
        else:
            item.add_marker(pytest.mark.logic)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto`: a process a CPU; one more when the browser layer is left out (`-m "logic or
    pages"`): there the tests that wait out a real timeout (`slow`) leave a CPU idle, and the
    spare process uses it (62 s -> 54 s on 2 CPUs). The browser tests keep one a CPU: each
    drives a server and Chromium."""
    cpus = os.cpu_count() or 1
    selection = config.option.markexpr or ""
    return cpus + 1 if selection and "browser" not in selection else cpus


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's load scheduling (each test to a free process), with each ONE_PROCESS
    group as one unit of work; the largest units go first."""
    from xdist.scheduler import LoadScopeScheduling

    class OneProcessGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return one_process_group(nodeid) or nodeid

    return OneProcessGroups(config, log)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(CONTENT)


@pytest.fixture(scope="session")
def small_catalog():
    """The test catalog in tests/fixtures/catalog (8 tools)."""
    return load_catalog(FIXTURE)


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A scratch copy of content/ that a test may break."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


@pytest.fixture(scope="session")
def facts() -> dict:
    return json.loads(need(FACTS).read_text(encoding="utf-8"))


_SCAN_ONCE: list[bool] = []


@pytest.fixture(autouse=True)
def _installed_components_scanned_once(request):
    """Every new AppTest scans the metadata of every installed package for Streamlit
    components (about 0.2 s, as long as a small page's whole run); the installed packages
    do not change during a test session, so in the page tests each process scans once
    and reuses the answer. A Streamlit without that scanner is left as it is."""
    if not _SCAN_ONCE and request.node.get_closest_marker("pages"):
        _SCAN_ONCE.append(True)
        try:
            from streamlit.components.v2 import manifest_scanner
        except ImportError:
            return
        scan = getattr(manifest_scanner, "scan_component_manifests", None)
        if scan is not None:
            manifest_scanner.scan_component_manifests = functools.cache(scan)


@pytest.fixture()
def fresh_app(tmp_path, monkeypatch):
    """For AppTest: a vote database of the test's own, Streamlit's caches and the
    remembered content signature cleared before and after."""
    import streamlit as st

    from logic.content import files as content_files

    monkeypatch.setenv("TOOLBOX_DB", str(tmp_path / "votes.db"))
    st.cache_data.clear()
    st.cache_resource.clear()
    content_files._RECENT.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    content_files._RECENT.clear()


@pytest.fixture()
def logic_cli(capsys):
    """`logic_cli("recommend", "--goal", ...)`: `python -m logic ...` in this process
    (support.run_cli), giving .returncode, .stdout and .stderr."""
    return lambda *argv: run_cli(capsys, *argv)
