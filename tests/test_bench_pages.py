"""bench/pages.py times pages through AppTest's public API alone (no Streamlit internals
patched): a case runs, and --profile sees the script thread. Speed is not asserted."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("fresh_app")


def test_a_page_case_is_timed_entering_the_page_after_its_first_run():
    from bench.pages import measure

    figures = measure("find_goal", 2)
    assert figures["case"] == "find_goal" and figures["first_ms"] > 0
    assert (figures["apptest"]["runs"], figures["apptest"]["failed"]) == (2, 0)
    assert figures["apptest"]["median_ms"] > 0


def test_the_profile_of_a_case_includes_the_script_threads_run_of_the_page():
    from bench.pages import profile

    text = profile("tool")
    assert "cumulative" in text
    assert "app_pages/tool.py" in text  # the page ran in the script thread, and was profiled there
