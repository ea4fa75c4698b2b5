"""Measure speed and memory; print the figures. Asserts nothing.

.venv/bin/python scripts/benchmark.py [--repeat N] [--load [--load-db URL]...]

--load adds the workshop vote's load test (scripts/loadtest_vote.py: 60
participants x 3 dots within a minute against `streamlit run`, websocket
clients); it takes about two minutes a database, so it is off by default.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logic import content_signature, load_catalog  # noqa: E402
from logic.rules import Profile, balanced_package, rank, what_if  # noqa: E402
from logic.taxonomy import FOCUS_AREAS, HORIZONS, LEVELS, STATES  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """(median, worst) milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def bench_brief(cat, repeat: int = 5) -> None:
    """Time to make a brief for a top 10, PDF and HTML: the first one in the process
    (vl-convert's engine starts) and then the median and worst. Target: under 3 s."""
    from logic.brief import brief_html, brief_pdf, make_brief, scenario_link
    from logic.scenario import Scenario

    params = {"goal": "reduce-flood-risk:3,protect-water,walk-bike", "face": "upfront-funding", "state": "NJ"}
    scenario = Scenario.from_query(params, cat)
    link = scenario_link("http://localhost:8501/find", scenario)
    for fmt, render in (("PDF", brief_pdf), ("HTML", brief_html)):
        t = time.perf_counter()
        out = render(make_brief(cat, scenario, link=link, top=10))
        first = (time.perf_counter() - t) * 1000
        med, worst = timed(lambda render=render: render(make_brief(cat, scenario, link=link, top=10)), repeat)
        size = len(out) / 1024
        print(
            f"brief {fmt:<4} top 10 (model, charts, layout): first {first:.0f} ms, "
            f"median {med:.0f} ms, worst {worst:.0f} ms, {size:.0f} KB (target < 3000 ms)"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--load", action="store_true", help="also run the vote load test (about 2 minutes a database)")
    ap.add_argument(
        "--load-db", action="append", help="SQLite path or postgresql:// URL for --load (repeatable; default SQLite)"
    )
    args = ap.parse_args()
    content = ROOT / "content"
    rng = random.Random(7)

    tracemalloc.start()
    cat = load_catalog(content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"catalog: {len(cat.tools)} tools; peak memory while loading {peak / 1e6:.1f} MB")
    med, worst = timed(lambda: load_catalog(content), args.repeat)
    print(f"load_catalog (cold parse of every file): median {med:.1f} ms, worst {worst:.1f} ms")
    med, worst = timed(lambda: content_signature(content), args.repeat)
    print(f"content_signature (the cache key, every rerun): median {med:.2f} ms, worst {worst:.2f} ms")

    def profile() -> Profile:
        goals = rng.sample(list(cat.goals), rng.randint(1, 5))
        return Profile(
            goals={g: rng.randint(1, 3) for g in goals},
            focus=frozenset(rng.sample(FOCUS_AREAS, rng.randint(0, 2))),
            faces=frozenset(rng.sample(list(cat.challenges), rng.randint(0, 4))),
            state=rng.choice([None, *STATES]),
            budget=rng.choice([None, *LEVELS]),
            staff=rng.choice([None, *LEVELS]),
            horizon=rng.choice([None, *HORIZONS]),
        )

    profiles = [profile() for _ in range(args.repeat)]
    it = iter(profiles * 3)
    med, worst = timed(lambda: rank(cat, next(it)), args.repeat)
    print(f"rank (75 tools, random profile): median {med:.2f} ms, worst {worst:.2f} ms")
    med, worst = timed(lambda: what_if(cat, next(it)), args.repeat)
    print(f"what_if (every constraint relaxed): median {med:.2f} ms, worst {worst:.2f} ms")
    med, worst = timed(lambda: balanced_package(cat, next(it)), args.repeat)
    print(f"balanced_package: median {med:.2f} ms, worst {worst:.2f} ms")

    from streamlit.testing.v1 import AppTest

    pages = {
        "home": ({}, "app_pages/home.py"),
        "catalog": ({}, "app_pages/catalog.py"),
        "tool": ({"slug": "floodplainordinances"}, "app_pages/tool.py"),
        "find": (
            {"goal": "reduce-flood-risk:3,protect-water", "face": "upfront-funding", "state": "NJ", "budget": "low"},
            "app_pages/find.py",
        ),
        "compare": ({"tools": "stormwaterfees,stormwatermanagement,visionzero"}, "app_pages/compare.py"),
        "challenges": ({}, "app_pages/challenges.py"),
    }
    for name, (params, path) in pages.items():

        def render(params=params, path=path) -> None:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            for k, v in params.items():
                at.query_params[k] = v
            at.switch_page(path)
            at.run()
            assert not at.exception

        med, worst = timed(render, max(3, args.repeat // 4))
        print(f"page {name:<10} full script run (AppTest, cached catalog): median {med:.0f} ms, worst {worst:.0f} ms")
    import tempfile
    import threading

    from logic.votes import VoteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = VoteStore(str(Path(tmp) / "bench.db"))
        session = store.create_session(["visionzero", "completestreets", "officialmap"], dots=3, allow_stacking=True)
        tokens = [store.new_token(session.code) for _ in range(50)]
        for token in tokens:
            store.join(session.code, token)
        barrier = threading.Barrier(50)

        def voter(i: int) -> None:
            barrier.wait()
            for k in range(3):
                store.cast_vote(session.code, tokens[i], session.tools[(i + k) % 3])

        threads = [threading.Thread(target=voter, args=(i,)) for i in range(50)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        took = time.perf_counter() - t
        print(f"votes (SQLite, 50 concurrent voters x 3 dots): {150 / took:.0f} votes/s, {took * 1000:.0f} ms in all")
        med, worst = timed(lambda: store.totals(session.code), args.repeat)
        print(f"vote totals (the live chart's query): median {med:.2f} ms, worst {worst:.2f} ms")
        med, worst = timed(lambda: store.ballot(session.code, tokens[0]), args.repeat)
        print(f"ballot (a participant's read per tap): median {med:.2f} ms, worst {worst:.2f} ms")

    bench_brief(cat, max(3, args.repeat // 4))

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {rss:.0f} MB")

    if args.load:
        sys.path.insert(0, str(ROOT / "scripts"))
        import loadtest_vote

        load_args = [arg for db in args.load_db or [] for arg in ("--db", db)]
        held = loadtest_vote.main(load_args) == 0
        print(f"vote load test: targets {'met' if held else 'NOT met'} (0 errors, 0 lost, median < 1 s, p95 < 3 s)")


if __name__ == "__main__":
    main()
