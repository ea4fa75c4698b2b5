"""Loading, ranking and memory at 75, 1,000 and 10,000 tools.

- cold load: a fresh `python -c` process that imports logic/ and loads the catalog,
  timed from start to exit (imports count), against the loading floor measured the
  same way (`python -m bench.floor DIR`: read the files, parse their YAML with the C
  loader), the two interleaved so a busy machine weighs on both alike;
- warm load: a second load_catalog in the same process, and the app's warm path
  (ui.resources.get_catalog: content_signature, then the st.cache_resource lookup),
  which every rerun of every page pays;
- `python -m logic recommend --content DIR --goal walk-bike --top 10` end to end;
- recommend, what_if and balanced_package in process (random profiles);
- the catalog search in process: words the pages use, a word read by its stem or the
  words searched with it, and a typing slip that finds nothing and is respelled;
- peak RSS of a fresh process that loads the catalog and ranks it.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bench.floor import parse_floor
from bench.proc import PYTHON, Child, run_child
from bench.stats import summarise

if TYPE_CHECKING:
    from logic.model import Catalog
    from logic.profile import Profile

COLD_LOAD = """
import json, sys, time
t0 = time.perf_counter()
from logic import load_catalog
t1 = time.perf_counter()
catalog = load_catalog(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"tools": len(catalog.tools), "import_ms": (t1 - t0) * 1000, "load_ms": (t2 - t1) * 1000}))
"""

# Loads the catalog as the app does (one process), then ranks it as /find does for a
# few profiles (`load_and_rank`): the peak RSS of this process is the memory a server needs
# for that catalog. The child only calls a function, so ruff and mypy read what it imports.
LOAD_AND_RANK = "import sys; from bench.scale import load_and_rank; load_and_rank(sys.argv[1])"


CLI_ARGS = ["--goal", "walk-bike", "--top", "10"]
SEARCHES = ("stormwater fees", "parking lots", "densities", "bicycle lanes")  # as typed, by stem, taught
SLIPS = ("stromwater fees", "bycicle lanes")  # find nothing: the catalog page asks `respelled`


def random_profile(catalog: Catalog, rng: random.Random) -> Profile:
    """A profile a planner might give: 1 to 5 goals with importances, maybe a focus area,
    a few challenges faced, and each of state, budget, staff and horizon set or not."""
    from logic.profile import Profile
    from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, STATES

    goals = rng.sample(sorted(catalog.goals), rng.randint(1, 5))
    return Profile(
        goals={g: rng.randint(1, 3) for g in goals},
        focus=frozenset(rng.sample(FOCUS_AREAS, rng.randint(0, 1))),
        faces=frozenset(rng.sample(sorted(catalog.challenges), rng.randint(0, 3))),
        state=rng.choice([None, *STATES]),
        budget=rng.choice([None, *LEVELS]),
        staff=rng.choice([None, *LEVELS]),
        horizon=rng.choice([None, *HORIZONS]),
    )


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _json_line(child: Child) -> dict:
    for line in reversed(child.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"child printed no result (exit {child.returncode}): {child.stderr[-2000:]}")


def cold(content: Path, runs: int, log: Callable[[str], None]) -> dict:
    """Fresh-process figures, ours and the floor's interleaved: load, CLI recommend."""
    load_wall, load_inproc, load_import = [], [], []
    floor_wall, floor_inproc = [], []
    cli_wall, cli_rss = [], []
    tools = 0
    for i in range(runs):
        log(f"  cold run {i + 1}/{runs}")
        f = run_child([PYTHON, "-m", "bench.floor", str(content)])
        floor_wall.append(f.wall_ms)
        floor_inproc.append(_json_line(f)["parse_ms"])
        c = run_child([PYTHON, "-c", COLD_LOAD, str(content)])
        info = _json_line(c)
        tools = info["tools"]
        load_wall.append(c.wall_ms)
        load_inproc.append(info["load_ms"])
        load_import.append(info["import_ms"])
        r = run_child([PYTHON, "-m", "logic", "recommend", "--content", str(content), *CLI_ARGS])
        if not r.ok:
            raise RuntimeError(f"python -m logic recommend failed: {r.stderr[-2000:]}")
        cli_wall.append(r.wall_ms)
        cli_rss.append(r.max_rss_mb)
    return {
        "tools": tools,
        "cold_load_process": summarise(load_wall).as_dict(),
        "cold_load_in_process": summarise(load_inproc).as_dict(),
        "cold_import_logic": summarise(load_import).as_dict(),
        "floor_process": summarise(floor_wall).as_dict(),
        "floor_in_process": summarise(floor_inproc).as_dict(),
        "cli_recommend_process": summarise(cli_wall).as_dict(),
        "cli_recommend_max_rss_mb": max((m for m in cli_rss if m is not None), default=None),
    }


def warm(content: Path, runs: int, profiles: int, log: Callable[[str], None]) -> dict:
    """In-process figures: a second load, the app's warm path, the floor warm, the rankings."""
    from logic import content_signature, load_catalog
    from logic.package import balanced_package
    from logic.rules import rank, recommend
    from logic.what_if import what_if

    catalog = load_catalog(content)  # the first (cold) load in this process; not measured here
    second, floor = [], []
    for _ in range(runs):
        floor.append(_ms(lambda: parse_floor(content)))
        second.append(_ms(lambda: load_catalog(content)))
    signature = [_ms(lambda: content_signature(content)) for _ in range(max(runs, 10))]
    app_path = _app_warm_path(content, max(runs, 10))

    log(f"  ranking {len(catalog.tools)} tools, {profiles} profiles")
    rng = random.Random(7)
    chosen = [random_profile(catalog, rng) for _ in range(profiles)]
    recommend(catalog, chosen[0])  # anything built lazily on first use (the index) is built here
    times: dict[str, list[float]] = {
        "recommend": [],
        "rank_page": [],
        "recommend_top10": [],
        "what_if": [],
        "balanced_package": [],
    }
    for p in chosen:
        times["recommend"].append(_ms(partial(recommend, catalog, p)))
        times["recommend_top10"].append(_ms(partial(recommend, catalog, p, top=10)))
        times["rank_page"].append(_ms(partial(rank, catalog, p, explain=10)))
        times["what_if"].append(_ms(partial(what_if, catalog, p)))
        times["balanced_package"].append(_ms(partial(balanced_package, catalog, p)))
    from logic.browse import filter_tools, respelled

    def search_then_respell(q: str) -> None:  # what the catalog page does when a search finds nothing
        filter_tools(catalog, search=q)
        respelled(catalog, search=q)

    times["search"] = [_ms(partial(filter_tools, catalog, search=q)) for _ in range(runs) for q in SEARCHES]
    times["search_respelled"] = [_ms(partial(search_then_respell, q)) for _ in range(runs) for q in SLIPS]
    return {
        "warm_load_second": summarise(second).as_dict(),
        "floor_warm": summarise(floor).as_dict(),
        "content_signature": summarise(signature).as_dict(),
        "app_warm_path": summarise(app_path).as_dict(),
        **{name: summarise(values).as_dict() for name, values in times.items()},
    }


def _app_warm_path(content: Path, runs: int) -> list[float]:
    """ui.resources.get_catalog() as a rerun calls it, once the catalog is cached: the
    content signature, then st.cache_resource hashing it and finding the entry."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings outside `streamlit run`
    from ui.resources import get_catalog

    before = os.environ.get("TOOLBOX_CONTENT_DIR")
    os.environ["TOOLBOX_CONTENT_DIR"] = str(content)
    try:
        get_catalog()  # the load that fills the cache
        return [_ms(get_catalog) for _ in range(runs)]
    finally:
        if before is None:
            del os.environ["TOOLBOX_CONTENT_DIR"]
        else:
            os.environ["TOOLBOX_CONTENT_DIR"] = before


def load_and_rank(content: str) -> None:
    """The memory child's work: load `content`, then rank, what-if and package three random
    profiles; prints the tool count and this process's peak RSS as one JSON line."""
    import resource

    from logic import load_catalog
    from logic.package import balanced_package
    from logic.rules import rank
    from logic.what_if import what_if

    catalog = load_catalog(content)
    rng = random.Random(5)
    for _ in range(3):
        p = random_profile(catalog, rng)
        rank(catalog, p)
        what_if(catalog, p)
        balanced_package(catalog, p)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"tools": len(catalog.tools), "max_rss_mb": peak}))


def memory(content: Path) -> dict:
    """Peak RSS of a fresh process that loads `content` and ranks it (rank, what_if, package)."""
    child = run_child([PYTHON, "-c", LOAD_AND_RANK, str(content)])
    info = _json_line(child)
    return {"tools": info["tools"], "max_rss_mb": info["max_rss_mb"], "max_rss_mb_wait4": child.max_rss_mb}
