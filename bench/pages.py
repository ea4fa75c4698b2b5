"""Each page's server-side run time: Streamlit's AppTest runs app.py (the router and
its sidebar) and switches to the page, as a click in the menu makes the server do.

    python -m bench.pages [--runs N] [--only KEY,...] [--profile KEY]

runs in its own process (the suite starts one per catalog, with
TOOLBOX_CONTENT_DIR naming it) and prints one JSON line per page. The first run of
each page is not counted (it loads the catalog into the cache, and imports what
the page imports); then the median of N runs. A page that does not finish within
60 s is reported as such. `--profile KEY` runs that page once more under cProfile
and prints where its time goes (cumulative, top 25).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import pstats
import sys
import time
from pathlib import Path

from bench.stats import summarise

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60
# What the menu shows for each page, plus the two pages with something in the address
# (the way a planner lands on them from a link).
CASES: dict[str, dict[str, str]] = {
    "home": {},
    "find": {},
    "find_goal": {"goal": "walk-bike"},
    "find_scenario": {"goal": "reduce-flood-risk:3,protect-water", "face": "upfront-funding", "state": "NJ"},
    "catalog": {},
    "tool": {"slug": "floodplainordinances"},
    "compare": {},
    "compare_3": {"tools": "stormwaterfees,stormwatermanagement,visionzero"},
    "challenges": {},
    "workshop": {},
}


def page_file(case: str) -> str:
    """The page file of a case (`find_goal` is the find page)."""
    from ui.pages import SPECS

    return SPECS[case.split("_")[0]].file


def run_once(case: str) -> float | None:
    """One AppTest run of the page (ms), None when it timed out or raised."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    for key, value in CASES[case].items():
        at.query_params[key] = value
    at.switch_page(page_file(case))
    start = time.perf_counter()
    try:
        at.run()
    except RuntimeError:  # AppTest's "script run timed out"
        return None
    took = (time.perf_counter() - start) * 1000
    if at.exception:
        print(f"{case}: the page raised: {at.exception[0].message}", file=sys.stderr)
        return None
    return took


def profile(case: str, top: int = 25) -> str:
    """cProfile of one run of the page (after a warm-up run), sorted by cumulative time."""
    run_once(case)
    prof = cProfile.Profile()
    prof.enable()
    run_once(case)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
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
        first = run_once(case)  # warm-up: fills the catalog cache, imports the page's modules
        samples = [run_once(case) for _ in range(args.runs)] if first is not None else [None]
        print(json.dumps({"case": case, "first_ms": first, **summarise(samples).as_dict()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
