"""Each page's server-side run time: Streamlit's AppTest runs app.py (the router and
its sidebar) and switches to the page, as a click in the menu makes the server do.

    python -m bench.pages [--runs N] [--only CASE,...] [--profile CASE]

runs in its own process (the suite starts one per catalog, with
TOOLBOX_CONTENT_DIR naming it) and prints one JSON line per case. Two figures a
case: `script`, the script's own run in the script thread (app.py and the page,
as the server runs them: the compiled scripts are cached across runs, as a
server's ScriptCache keeps them; AppTest makes a new cache every run), and
`apptest`, the whole AppTest run (plus its own set-up: component discovery,
compiling, polling). The case `bare` is the bare page of the browser benchmark
(bench/browser.py) run the same way: what a Streamlit run costs at all. The
first run of each case is not counted (it loads the catalog into the cache and
imports what the page imports); then the median of N runs. A run over 60 s
counts as not finished. `--profile CASE` prints a cProfile of one run of the
script thread (cumulative, top 40).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import summarise
from ui.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60
# What the menu shows for each registered page (ui/pages.py; the tool page reopens a tool),
# plus the pages with something in the address (the way a planner lands on them from a link).
CASES: dict[str, dict[str, str]] = {
    "bare": {},
    **{spec.key: {} for spec in PAGES},
    "tool": {"slug": "floodplainordinances"},
    "find_goal": {"goal": "walk-bike"},
    "find_scenario": {"goal": "reduce-flood-risk:3,protect-water", "face": "upfront-funding", "state": "NJ"},
    "compare_3": {"tools": "stormwaterfees,stormwatermanagement,visionzero"},
}


def page_file(case: str) -> str:
    """The page file of a case (`find_goal` is the find page)."""
    from ui.pages import SPECS

    return SPECS[case.split("_")[0]].file


_SCRIPT_MS: list[float] = []
_PROFILER: list[cProfile.Profile] = []


def _instrument() -> None:
    """Time the script thread's run of app.py and its page (and profile it on request),
    and give every AppTest the same ScriptCache, as one server has one."""
    import streamlit.runtime.scriptrunner.script_runner as script_runner
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if getattr(script_runner, "_bench_instrumented", False):
        return
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared
    original = script_runner.exec_func_with_error_handling

    def timed(func, ctx):
        if _PROFILER:
            _PROFILER[0].enable()  # in this (the script) thread
        start = time.perf_counter()
        try:
            return original(func, ctx)
        finally:
            _SCRIPT_MS.append((time.perf_counter() - start) * 1000)
            if _PROFILER:
                _PROFILER[0].disable()

    script_runner.exec_func_with_error_handling = timed
    script_runner._bench_instrumented = True


def _bare_script() -> Path:
    from bench.browser import BARE_APP

    path = Path(tempfile.gettempdir()) / "toolbox-bench-bare" / "bare_app.py"
    path.parent.mkdir(exist_ok=True)
    if not path.exists() or path.read_text() != BARE_APP:
        path.write_text(BARE_APP)
    return path


def run_once(case: str) -> tuple[float | None, float | None]:
    """One AppTest run of the case: (script ms, AppTest ms), (None, None) when it
    timed out or raised."""
    from streamlit.testing.v1 import AppTest

    _instrument()
    script = _bare_script() if case == "bare" else ROOT / "app.py"
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    for key, value in CASES[case].items():
        at.query_params[key] = value
    if case != "bare":
        at.switch_page(page_file(case))
    _SCRIPT_MS.clear()
    start = time.perf_counter()
    try:
        at.run()
    except RuntimeError:  # AppTest's "script run timed out"
        return None, None
    took = (time.perf_counter() - start) * 1000
    if at.exception:
        print(f"{case}: the page raised: {at.exception[0].message}", file=sys.stderr)
        return None, None
    return sum(_SCRIPT_MS), took


def profile(case: str, top: int = 40) -> str:
    """cProfile of the script thread in one run of the case (after a warm-up run),
    sorted by cumulative time."""
    run_once(case)
    prof = cProfile.Profile()
    _PROFILER.append(prof)
    try:
        run_once(case)
    finally:
        _PROFILER.clear()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated cases (default: all): " + ", ".join(CASES))
    ap.add_argument("--profile", metavar="CASE", help="print a cProfile of one run of this case instead")
    args = ap.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    if args.profile:
        print(profile(args.profile))
        return 0
    cases = [c for c in args.only.split(",") if c] or list(CASES)
    for case in cases:
        first, _ = run_once(case)  # warm-up: fills the catalog cache, imports and compiles the page
        samples = [run_once(case) for _ in range(args.runs)] if first is not None else [(None, None)]
        print(
            json.dumps(
                {
                    "case": case,
                    "first_ms": first,
                    "script": summarise(s[0] for s in samples).as_dict(),
                    "apptest": summarise(s[1] for s in samples).as_dict(),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
