"""The benchmark suite's own helpers (bench/): summaries, ratios, the table, the
parse floor, the catalog generator. Nothing here is timed: speed is measured by
`python -m bench`, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.floor import front_matter, parse_floor
from bench.proc import ROOT, run_child
from bench.stats import Row, fmt_ms, fmt_ratio, ratio, ratio_note, render_table, summarise, target_note
from bench.suite import bare_switch_median, browser_rows, page_rows
from logic import load_catalog
from testkit.generate import generate


def test_summary_is_the_median_of_the_runs_that_finished_and_counts_the_others():
    s = summarise([30.0, None, 10.0, 20.0, 1000.0])
    assert (s.median, s.low, s.high, s.runs, s.failed) == (25.0, 10.0, 1000.0, 5, 1)
    nothing = summarise([None, None])
    assert nothing.median is None and nothing.failed == 2


def test_ratio_is_missing_when_either_side_is():
    assert ratio(300.0, 200.0) == pytest.approx(1.5)
    assert ratio(None, 200.0) is None and ratio(300.0, None) is None and ratio(300.0, 0.0) is None


@pytest.mark.parametrize(
    ("ms", "text"),
    [(None, "-"), (0.0421, "0.042 ms"), (4.2, "4.20 ms"), (42.0, "42.0 ms"), (420.0, "420 ms"), (4200.0, "4.20 s")],
)
def test_durations_read_at_a_glance(ms, text):
    assert fmt_ms(ms) == text


def test_targets_say_met_or_not_met_at_the_limit():
    assert target_note(19.9, 20) == "< 20 ms: met"
    assert target_note(20.0, 20) == "< 20 ms: NOT met"
    assert target_note(None, 20).endswith("not measured")
    assert ratio_note(1.2, 1.2) == "<= 1.2x: met" and ratio_note(1.21, 1.2) == "<= 1.2x: NOT met"
    assert fmt_ratio(1.234) == "1.23x" and fmt_ratio(None) == "-"


def test_the_table_groups_rows_under_their_section_in_aligned_columns():
    rows = [Row("A", "one", "1 ms"), Row("A", "a longer name", "2 ms", "floor 1 ms", "2.00x"), Row("B", "three", "3 s")]
    text = render_table(rows)
    lines = text.splitlines()
    assert lines.count("### A") == 1 and lines.count("### B") == 1
    table_lines = [line for line in lines if line.startswith("|")]
    assert len({len(line) for line in table_lines}) == 1  # every row as wide as the header
    assert text.index("### A") < text.index("a longer name") < text.index("### B") < text.index("three")


def _browser(visual: dict[str, list[float | None]]) -> dict:
    return {
        key: {
            "visual": summarise(samples).as_dict(),
            "script_done": summarise(samples).as_dict(),
            "samples_ms": samples,
        }
        for key, samples in visual.items()
    }


def test_browser_ratios_are_to_the_bare_apps_switches_pooled_and_its_rerun():
    b = _browser(
        {
            "switch_bare_second": [200.0, 220.0],
            "switch_bare_third": [180.0, None],
            "switch_bare_home": [200.0],
            "cold_bare": [1000.0],
            "cold_app": [1300.0],
            "switch_catalog": [600.0],
            "switch_tool": [240.0],
            "rerun_bare": [100.0],
            "find_goal_click": [140.0],
            "again_bare_second": [100.0],
            "again_catalog": [130.0],
            "nogc_switch_bare_second": [50.0],
            "nogc_switch_bare_home": [60.0, 40.0],
            "nogc_rerun_bare": [35.0],
        }
    )
    b["app_server_peak_rss_mb"] = 412.4
    assert bare_switch_median(b) == 200.0  # the median of 200, 220, 180, 200; the unfinished run left out
    rows = {r.key: r for r in browser_rows(b)}  # by the figure's key, whatever the label says
    assert rows["switch_catalog"].ratio == "3.00x"
    assert rows["switch_catalog"].target == "<= 1.5x: NOT met"
    assert rows["switch_tool"].target == "<= 1.5x: met"
    assert rows["switch_home"].value == "did not settle"
    assert rows["cold_app"].target == "<= 1.2x: NOT met"
    assert rows["find_goal_click"].ratio == "1.40x"
    assert rows["switch_median"].ratio == "2.10x"  # of 3.00x and 1.20x
    # the second round is set against the bare app's second round
    assert bare_switch_median(b, "again_") == 100.0
    assert rows["again_catalog"].ratio == "1.30x"
    # and against the bare app run with the app's runner setting: the median of 12.0x and 4.8x
    same = rows["nogc_switch_median"]
    assert (same.reference, same.ratio, same.value) == ("bare 50.0 ms", "8.40x", "4.80x to 12.00x")
    assert rows["nogc_find_goal_click"].ratio == "4.00x"
    assert rows["app_server_peak_rss_mb"].value == "412 MB"
    assert all(r.key for r in browser_rows(b)) and len(rows) == len(browser_rows(b))  # every row keyed, once


def test_page_rows_set_each_pages_apptest_run_against_the_bare_apps():
    """bench/pages.py's figures (one AppTest run entering the page) in the report: each
    case's median against the bare app's, by case; a case that did not finish says so."""
    pages = {
        "bare": {"first_ms": 150.0, "apptest": summarise([5.0, 6.0, 4.0]).as_dict()},
        "find_goal": {"first_ms": 110.0, "apptest": summarise([30.0, 35.0, 40.0]).as_dict()},
        "compare": {"first_ms": None, "apptest": summarise([None]).as_dict()},
    }
    rows = {r.key: r for r in page_rows(pages, 75)}
    assert set(rows) == {"find_goal", "compare"}  # the bare app is the reference, not a row
    assert (rows["find_goal"].value, rows["find_goal"].ratio) == ("35.0 ms", "7.00x")
    assert rows["find_goal"].reference == "bare app rerun 5.00 ms"
    assert rows["compare"].value == "did not finish" and rows["compare"].ratio == "-"
    assert "75 tools" in rows["find_goal"].section
    assert [r.key for r in page_rows({"error": "Traceback\nBoom"}, 75)] == ["error"]


def test_the_floor_parses_every_page_with_front_matter_and_the_list_files(tmp_path):
    (tmp_path / "tools").mkdir()
    (tmp_path / "goals.yaml").write_text("- id: a\n  name: A\n")
    (tmp_path / "tools" / "one.md").write_text("---\nslug: one\ngoals: {a: 3}\n---\n\nBody\n")
    (tmp_path / "tools" / "two.md").write_text("\ufeff---\r\nslug: two\r\n---\r\nBody\r\n")
    (tmp_path / "tools" / "none.md").write_text("No front matter here.\n")
    (tmp_path / "tools" / "notes.txt").write_text("---\nnot: a page\n---\n")
    assert parse_floor(tmp_path) == 3
    assert front_matter("---\nslug: one\n---\nbody") == "slug: one"
    assert front_matter("slug: one") is None


def test_a_generated_catalog_loads_with_as_many_tools_as_asked_and_no_errors(tmp_path):
    dest = generate(160, tmp_path / "catalog")  # more than two copies of the 75 real pages
    catalog = load_catalog(dest)
    assert len(catalog.tools) == 160
    assert [p for p in catalog.problems if p.severity == "error"] == []
    copies = [t for t in catalog.tools.values() if t.slug.endswith("-1")]
    assert copies and all(t.title.endswith(" 1") for t in copies)


def test_a_generated_catalog_is_made_once_and_reused_until_its_sources_change(tmp_path):
    from bench.catalogs import generated

    folder, made = generated(12, tmp_path)
    again, made_again = generated(12, tmp_path)
    assert made and not made_again and again == folder
    assert len(load_catalog(folder).tools) == 12


def test_a_child_process_is_measured_with_its_output_exit_code_and_memory():
    child = run_child([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])
    assert (child.returncode, child.stdout.strip(), child.stderr.strip()) == (3, "out", "err")
    assert child.wall_ms > 0 and child.max_rss_mb > 1


def test_a_child_is_measured_by_its_own_memory_not_the_benchmark_s():
    """Linux carries the starting process's memory high-water mark into its child's
    ru_maxrss: run straight from a benchmark holding 300 MB, a 10 MB child read as 300 MB
    (the 10,000-tool peak read 395 MB where the process used 142 MB)."""
    holder = """
import json, sys
from bench.proc import run_child
ballast = bytearray(300 * 1024 * 1024)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
child = run_child([sys.executable, "-c", "print('small')"])
print(json.dumps({"mb": child.max_rss_mb, "out": child.stdout.strip()}))
"""
    out = subprocess.run([sys.executable, "-c", holder], cwd=ROOT, capture_output=True, text=True, check=True)
    measured = json.loads(out.stdout)
    assert measured["out"] == "small"
    assert 1 < measured["mb"] < 100, measured


def test_the_memory_child_loads_and_ranks_the_catalog_it_is_given():
    """The peak-memory step runs a fresh process over a catalog: it must finish and report
    that catalog's tools (its code once lived in a string that imported names moved out of
    logic.rules, so the step failed and no test ran it)."""
    from bench.scale import memory
    from support import FIXTURE

    figures = memory(FIXTURE)
    assert figures["tools"] == len(load_catalog(FIXTURE).tools)
    assert figures["max_rss_mb"] > 10 and figures["max_rss_mb_wait4"] > 10


def test_a_child_past_its_time_is_killed_and_reports_no_figures():
    child = run_child([sys.executable, "-c", "import time; time.sleep(30)"], timeout=1)
    assert not child.ok and child.wall_ms is None and child.max_rss_mb is None


def test_the_takeaway_rows_give_each_figure_with_its_target_and_whether_it_is_met():
    """Issue 16: the cold shared link, the charts tab and the PDF brief each print their
    median against a target (1.5 s for the link), met or not; a figure that was not
    measured says so instead of vanishing."""
    from bench.takeaways import TARGETS, rows

    def fig(ms):
        return {**summarise([ms]).as_dict(), "samples_ms": [ms]}

    figures = {
        "cold_bare": fig(900.0),
        "cold_link": fig(1600.0),
        "charts_tab": fig(1200.0),
        "pdf_logic_first": fig(2500.0),
    }
    table = {row.key: row for row in rows(figures)}
    assert TARGETS["cold_link"] == 1500
    link = table["cold_link"]
    assert "/find?goal=" in link.what and link.value == "1.60 s" and link.target == "< 1500 ms: NOT met"
    tab = table["charts_tab"]
    assert tab.value == "1.20 s" and tab.target.endswith(": met")
    button = table["pdf_button"]
    assert button.value == "not measured" and button.target.endswith("not measured")
    assert table["pdf_logic_first"].target.endswith(": met")
    assert table["cold_bare"].target == ""  # the bare app is a reference, not a goal
    assert "Shared links and take-aways" in render_table(rows(figures))
    # a busy machine doubles these figures: the section says how busy this one was
    figures["load_average"] = [0.5, 1.25]
    assert "(load average 0.5 to 1.2 on this machine)" in render_table(rows(figures))


def test_a_catalog_with_typos_names_related_tools_that_match_nothing_and_says_so(tmp_path):
    """Issue 17: the benchmark's catalog "with typos" has misspelt related-tool names (the
    loader's did-you-mean path); the clean one has none. Both load every tool."""
    clean = load_catalog(generate(300, tmp_path / "clean"))
    typos = load_catalog(generate(300, tmp_path / "typos", typos=0.2))
    assert len(clean.tools) == len(typos.tools) == 300

    def unmatched(catalog):
        return [p for p in catalog.problems if p.field == "seeOther" and "(close match)" in p.message]

    assert unmatched(clean) == []
    found = unmatched(typos)
    assert 60 <= len(found) <= 240  # about a fifth of 300 pages, one to four names each
    assert all(p.severity == "warning" for p in found)  # every tool still loads


def test_the_cold_servers_find_the_apps_bytecode_on_disk_as_a_restarted_host_does():
    """A fresh server in the benchmark runs what a host runs after its first start: the app's
    modules already byte-compiled (this sandbox's PYTHONDONTWRITEBYTECODE would otherwise make
    every server compile them from source)."""
    import importlib.util
    from pathlib import Path

    from bench.takeaways import APP_SOURCES, ROOT, compile_app

    sources = [
        ROOT / "app.py",
        ROOT / "logic" / "rules.py",
        ROOT / "ui" / "find_cards.py",
        ROOT / "app_pages" / "find.py",
    ]
    assert {s.relative_to(ROOT).parts[0] for s in sources} == set(APP_SOURCES)
    compile_app()
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        assert cached.is_file() and cached.stat().st_mtime >= source.stat().st_mtime, source
