"""Each page's server-side run time, through Streamlit's public AppTest API only:
AppTest runs app.py (the router and its sidebar) and switches to the page, as a
click in the menu or on a link makes the server do.

    python -m bench.pages [--runs N] [--only CASE,...] [--profile CASE]

runs in its own process (the suite starts one per catalog, with
TOOLBOX_CONTENT_DIR naming it) and prints one JSON line per case. A case is one
AppTest session. Its first run, opening the page at the case's address, is
`first_ms` and is not counted (it loads the catalog into the cache, imports what
the page imports, and AppTest discovers components). Then, N times: an untimed
switch to another page, and the timed one back, `at.switch_page(PAGE).run()` with
the case's address, so the page is entered afresh, as from the menu or a link.
`apptest` is the median of those N wall times: the router and the page run as the
server runs them, plus AppTest's own share of every run (it compiles app.py and
the page anew each run, where a server keeps them compiled, and parses the
elements it gets back). The case `bare` is the bare app of the browser benchmark
(bench/browser.py) rerun the same way (`at.run()`; its pages are functions, which
AppTest cannot switch to by file): what an AppTest run of Streamlit costs at all.
A run over 60 s counts as not finished. `--profile CASE` prints a cProfile of one
timed run (cumulative, top 40): the calling thread and every thread the run
starts (the script thread), each profiled on its own and added together.
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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import summarise
from ui.pages import PAGES, SPECS

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
    return SPECS[case.split("_")[0]].file


def _elsewhere(case: str) -> str:
    """The page a timed run comes from: the first page of the menu, or the second for it."""
    first, second = PAGES[0].file, PAGES[1].file
    return second if page_file(case) == first else first


def _bare_script() -> Path:
    from bench.browser import BARE_APP

    path = Path(tempfile.gettempdir()) / "toolbox-bench-bare" / "bare_app.py"
    path.parent.mkdir(exist_ok=True)
    if not path.exists() or path.read_text() != BARE_APP:
        path.write_text(BARE_APP)
    return path


def _timed(at: Any, run: Callable[[], Any]) -> float | None:
    """Wall milliseconds of `run()` (an AppTest run); None when it timed out or raised."""
    start = time.perf_counter()
    try:
        run()
    except RuntimeError:  # AppTest's "script run timed out"
        return None
    took = (time.perf_counter() - start) * 1000
    if at.exception:
        print(f"the page raised: {at.exception[0].message}", file=sys.stderr)
        return None
    return took


class Case:
    """One AppTest session on a case: `first()` opens the page at its address, `again()`
    enters it afresh from another page; each returns the timed run's milliseconds."""

    def __init__(self, case: str) -> None:
        from streamlit.testing.v1 import AppTest

        self.case = case
        script = _bare_script() if case == "bare" else ROOT / "app.py"
        self.at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)

    def _to_page(self) -> None:
        self.at.query_params.clear()
        for key, value in CASES[self.case].items():
            self.at.query_params[key] = value
        if self.case != "bare":
            self.at.switch_page(page_file(self.case))

    def first(self) -> float | None:
        self._to_page()
        return _timed(self.at, self.at.run)

    def leave(self) -> None:
        """Untimed: go to another page, so the next run enters the case's page afresh."""
        if self.case != "bare":
            self.at.query_params.clear()
            self.at.switch_page(_elsewhere(self.case)).run()

    def again(self) -> float | None:
        self.leave()
        self._to_page()
        return _timed(self.at, self.at.run)


def measure(case: str, runs: int) -> dict:
    """The case's figures: the first run, and the median of `runs` entries after it."""
    session = Case(case)
    first = session.first()
    samples = [session.again() for _ in range(runs)] if first is not None else [None]
    return {"case": case, "first_ms": first, "apptest": summarise(samples).as_dict()}


def profile(case: str, top: int = 40) -> str:
    """cProfile of one timed run of the case (after the first), sorted by cumulative time.
    cProfile sees one thread, so each thread the run starts gets its own profiler (through
    `threading.setprofile`), and the calling thread one; pstats adds them together."""
    session = Case(case)
    session.first()
    session.leave()
    session._to_page()
    profilers = [cProfile.Profile()]

    def start_profiling(*_: object) -> None:  # the first event in each new thread
        sys.setprofile(None)
        prof = cProfile.Profile()
        profilers.append(prof)
        prof.enable()

    threading.setprofile(start_profiling)
    profilers[0].enable()
    try:
        session.at.run()
    finally:
        profilers[0].disable()
        threading.setprofile(None)
    out = io.StringIO()
    stats = pstats.Stats(profilers[0], stream=out)
    for prof in profilers[1:]:
        prof.disable()  # finished threads: what each recorded is kept
        stats.add(prof)
    stats.sort_stats("cumulative").print_stats(top)
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
    for case in [c for c in args.only.split(",") if c] or list(CASES):
        print(json.dumps(measure(case, args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
