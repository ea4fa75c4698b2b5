"""The benchmark suite: `python -m bench` prints a table and writes the figures as JSON.

    .venv/bin/python -m bench                     # everything (a few minutes on 2 cores)
    .venv/bin/python -m bench --no-browser        # skip Chromium
    .venv/bin/python -m bench --no-10k            # skip the 10,000-tool catalog
    .venv/bin/python -m bench --output FILE.json  # default: bench-results.json
    .venv/bin/python -m bench --load              # also the vote load test (scripts/loadtest_vote.py)

It measures and reports; it asserts nothing (speed is measured, never tested).
Each figure is the median of several runs; the JSON keeps min, max and the runs.
The machine's load average at the start and the end is in the JSON too: figures
from a busy machine are slower, and the ratios (to the parse floor, to a bare
Streamlit app, measured in the same run) are what compare across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import scale, takeaways
from bench.catalogs import DEFAULT_CACHE, TYPOS, generated
from bench.proc import PYTHON, ROOT, run_child
from bench.stats import Row, fmt_ms, fmt_ratio, ratio, ratio_note, render_table, summarise, target_note
from ui.pages import PAGES

CONTENT = ROOT / "content"
PAGE_ORDER = [spec.key for spec in PAGES]  # the menu's order (ui/pages.py)


_T0 = time.time()


def log(message: str) -> None:
    """Progress on stderr, with the seconds since the suite started."""
    print(f"[{time.time() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


def _median(section: dict, key: str) -> float | None:
    value = section.get(key) or {}
    return value.get("median_ms")


def _size_label(tools: int) -> str:
    return f"{tools:,} tools"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of each cold, page and browser measurement (3)")
    ap.add_argument(
        "--profiles", type=int, default=9, help="random profiles ranked in process (9; half at 10,000 tools)"
    )
    ap.add_argument("--sizes", default="1000,10000", help="generated catalog sizes (1000,10000)")
    ap.add_argument("--no-10k", action="store_true", help="skip every size of 10,000 tools or more")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    ap.add_argument("--no-pages", action="store_true", help="skip the AppTest page runs")
    ap.add_argument(
        "--no-takeaways", action="store_true", help="skip the shared link, charts tab and PDF brief figures"
    )
    ap.add_argument(
        "--takeaways-only",
        action="store_true",
        help="only the shared link, charts tab and PDF brief figures (issue 16; about a minute)",
    )
    ap.add_argument("--output", default=str(ROOT / "bench-results.json"), help="the JSON file (bench-results.json)")
    ap.add_argument("--catalog-cache", default=str(DEFAULT_CACHE), help="where generated catalogs are kept")
    ap.add_argument("--load", action="store_true", help="also the vote load test (about 2 minutes a database)")
    ap.add_argument("--load-db", action="append", help="SQLite path or postgresql:// URL for --load (repeatable)")
    return ap


def machine() -> dict:
    import streamlit
    import yaml

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "load_average_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.time()
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": vars(args),
    }
    if args.takeaways_only:
        return takeaways_only(args, results, started)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.no_10k:
        sizes = [s for s in sizes if s < 10_000]
    catalogs: list[tuple[str, Path]] = [("real", CONTENT)]
    for n in sizes:
        folder, made = generated(n, Path(args.catalog_cache))
        log(f"catalog of {n:,} tools: {folder} ({'generated' if made else 'reused'})")
        catalogs.append((str(n), folder))
    if sizes and max(sizes) >= 10_000:  # issue 17: as fast with misspelt related names as without
        n = max(sizes)
        folder, made = generated(n, Path(args.catalog_cache), typos=TYPOS)
        log(f"catalog of {n:,} tools, misspelt related names: {folder} ({'generated' if made else 'reused'})")
        catalogs.insert(len(catalogs) - 1, (f"{n}{TYPOS_SUFFIX}", folder))  # the clean one stays last

    results["catalogs"] = {}
    for name, folder in catalogs:
        log(f"catalog {name}: cold (fresh processes, {args.runs} runs)")
        figures = scale.cold(folder, args.runs, log)
        log(f"catalog {name}: warm (in process)")
        large = figures["tools"] >= 10_000  # a second load takes seconds, a what_if about one: fewer of each
        figures.update(
            scale.warm(
                folder,
                min(args.runs, 2) if large else args.runs,
                max(3, args.profiles // 2) if large else args.profiles,
                log,
            )
        )
        figures["folder"] = str(folder)
        results["catalogs"][name] = figures

    largest = catalogs[-1]
    log(f"peak memory: {largest[0]} catalog loaded and ranked in a fresh process")
    results["memory"] = scale.memory(largest[1])

    if not args.no_pages:
        results["pages"] = {}
        page_catalogs = [c for c in catalogs if c[0] == "real" or c[0].isdigit() and int(c[0]) >= 10_000]
        for name, folder in page_catalogs:
            log(f"pages (AppTest) on the {name} catalog, {args.runs} runs each")
            results["pages"][name] = run_pages(folder, args.runs)

    if not args.no_browser:
        from bench import browser

        log(f"browser (Chromium), {args.runs} runs")
        try:
            results["browser"] = browser.measure(args.runs, log)
        except Exception as exc:  # noqa: BLE001 - no Chromium, no Playwright: the rest still reports
            log(f"browser: skipped ({exc})")
            results["browser"] = {"error": str(exc)}

    if not args.no_takeaways:
        log(f"shared link, charts tab and PDF brief, {args.runs} runs")
        results["takeaways"] = takeaways.measure(args.runs, log, browser=not args.no_browser)

    results["votes"] = votes()
    report(args, results, started)

    if args.load:
        sys.path.insert(0, str(ROOT / "scripts"))
        loadtest_vote = importlib.import_module("loadtest_vote")  # scripts/ is not a package

        load_args = [arg for db in args.load_db or [] for arg in ("--db", db)]
        held = loadtest_vote.main(load_args) == 0
        print(f"vote load test: targets {'met' if held else 'NOT met'} (0 errors, 0 lost, median < 1 s, p95 < 3 s)")
    return 0


def report(args: argparse.Namespace, results: dict, started: float) -> None:
    """The table on stdout, the figures in the JSON file."""
    results["machine"]["load_average_end"] = os.getloadavg()
    results["duration_s"] = round(time.time() - started, 1)
    rows = table(results)
    results["table"] = [row.__dict__ for row in rows]
    print(render_table(rows))
    print(
        f"\n{results['machine']['cpus']} cores, load average {results['machine']['load_average_start'][0]:.1f} at the "
        f"start and {results['machine']['load_average_end'][0]:.1f} at the end; {results['duration_s']:.0f} s in all."
    )
    Path(args.output).write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"figures written to {args.output}")


def takeaways_only(args: argparse.Namespace, results: dict, started: float) -> int:
    """`--takeaways-only`: the shared link, the charts tab and the PDF brief, nothing else."""
    log(f"shared link, charts tab and PDF brief, {args.runs} runs")
    results["catalogs"] = {}
    results["takeaways"] = takeaways.measure(args.runs, log, browser=not args.no_browser)
    report(args, results, started)
    return 0


def run_pages(folder: Path, runs: int) -> dict:
    """`python -m bench.pages` in its own process on one catalog: {case: figures}."""
    child = run_child([PYTHON, "-m", "bench.pages", "--runs", str(runs)], env={"TOOLBOX_CONTENT_DIR": str(folder)})
    out = {}
    for line in child.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            out[item.pop("case")] = item
    if not child.ok:
        out["error"] = child.stderr[-2000:]
    return out


def votes() -> dict:
    """The vote store's own speed (SQLite in a temporary folder): concurrent casting, the
    live chart's query and a participant's read. Skipped with a note if its API moved."""
    import statistics
    import tempfile
    import threading

    try:
        from logic.votes import VoteStore

        with tempfile.TemporaryDirectory() as tmp:
            store = VoteStore(str(Path(tmp) / "bench.db"))
            session = store.create_session(
                ["visionzero", "completestreets", "officialmap"], dots=3, allow_stacking=True
            )
            tokens = [store.new_token(session.code) for _ in range(50)]
            for token in tokens:
                store.join(session.code, token)
            barrier = threading.Barrier(50)

            def voter(i: int) -> None:
                barrier.wait()
                for k in range(3):
                    store.cast_vote(session.code, tokens[i], session.tools[(i + k) % 3])

            threads = [threading.Thread(target=voter, args=(i,)) for i in range(50)]
            start = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            took = (time.perf_counter() - start) * 1000

            def med(fn: Callable[[], object]) -> float:
                times = []
                for _ in range(20):
                    t = time.perf_counter()
                    fn()
                    times.append((time.perf_counter() - t) * 1000)
                return statistics.median(times)

            return {
                "cast_150_concurrent_ms": took,
                "totals_ms": med(lambda: store.totals(session.code, session.host_token)),
                "ballot_ms": med(lambda: store.ballot(session.code, tokens[0])),
            }
    except Exception as exc:  # noqa: BLE001 - a storage that cannot open: reported, the run goes on
        return {"error": f"{type(exc).__name__}: {exc}"}


TYPOS_SUFFIX = " with typos"  # a generated catalog's name in the results, when its related names are misspelt


def _typos(name: str) -> str:
    """What a row says of a catalog with misspelt related-tool names (nothing of a clean one)."""
    return " (misspelt related names)" if name.endswith(TYPOS_SUFFIX) else ""


def table(results: dict) -> list[Row]:
    """The printed table: every figure beside its reference, ratio and target."""
    rows: list[Row] = []
    cats = results["catalogs"]
    for name, c in cats.items():
        section = f"Catalog load, {_size_label(c['tools'])}" + (
            " (the real catalog)" if name == "real" else _typos(name)
        )
        big = c["tools"] >= 10_000
        cold_p, floor_p = _median(c, "cold_load_process"), _median(c, "floor_process")
        rows.append(
            Row(
                section,
                "cold, fresh process (start to exit)",
                fmt_ms(cold_p),
                f"floor {fmt_ms(floor_p)}",
                fmt_ratio(ratio(cold_p, floor_p)),
            )
        )
        cold_i, floor_i = _median(c, "cold_load_in_process"), _median(c, "floor_in_process")
        rows.append(
            Row(
                section,
                "  of which load_catalog (after imports)",
                fmt_ms(cold_i),
                f"floor {fmt_ms(floor_i)}",
                fmt_ratio(ratio(cold_i, floor_i)),
            )
        )
        rows.append(Row(section, "  of which `import logic`", fmt_ms(_median(c, "cold_import_logic"))))
        warm_l, floor_w = _median(c, "warm_load_second"), _median(c, "floor_warm")
        rows.append(
            Row(
                section,
                "warm: a second load_catalog in process",
                fmt_ms(warm_l),
                f"floor {fmt_ms(floor_w)}",
                fmt_ratio(ratio(warm_l, floor_w)),
            )
        )
        app = _median(c, "app_warm_path")
        rows.append(
            Row(
                section,
                "warm: the app's rerun path (signature + cache)",
                fmt_ms(app),
                "",
                "",
                target_note(app, 20) if big else "",
            )
        )
        rows.append(Row(section, "  of which content_signature", fmt_ms(_median(c, "content_signature"))))
        cli = _median(c, "cli_recommend_process")
        rows.append(
            Row(
                section,
                "`python -m logic recommend --goal walk-bike --top 10`",
                fmt_ms(cli),
                f"floor {fmt_ms(floor_p)}",
                fmt_ratio(ratio(cli, floor_p)),
                ratio_note(ratio(cli, floor_p), 1.2) if big else "",
            )
        )
    for name, c in cats.items():
        section = "Ranking in process (median of random profiles)"
        big = c["tools"] >= 10_000
        for key, what in (
            ("recommend", "recommend (all, every tool explained)"),
            ("rank_page", "rank as /find does (the 10 cards explained)"),
            ("recommend_top10", "recommend --top 10 (as the CLI)"),
            ("what_if", "what_if"),
            ("balanced_package", "balanced_package"),
            ("search", "catalog search (as typed, by stem, a taught word)"),
            ("search_respelled", "catalog search with a typing slip, and its respelling"),
        ):
            value = _median(c, key)
            target = target_note(value, 100) if big and key == "recommend_top10" else ""
            rows.append(Row(section, f"{what}, {_size_label(c['tools'])}{_typos(name)}", fmt_ms(value), "", "", target))
    mem = results.get("memory")
    if mem:
        rows.append(
            Row(
                "Memory",
                f"peak RSS, {_size_label(mem['tools'])} loaded and ranked (fresh process)",
                f"{mem['max_rss_mb']:.0f} MB",
                "",
                "",
                target_note(mem["max_rss_mb"], 300, "MB"),
            )
        )
        largest = list(cats.values())[-1]
        if largest.get("cli_recommend_max_rss_mb"):
            rows.append(
                Row(
                    "Memory",
                    f"peak RSS, `python -m logic recommend`, {_size_label(largest['tools'])}",
                    f"{largest['cli_recommend_max_rss_mb']:.0f} MB (with its workers)",
                )
            )
    for name, pages in (results.get("pages") or {}).items():
        rows += page_rows(pages, cats[name]["tools"])
    rows += browser_rows(results.get("browser"))
    rows += takeaways.rows(results.get("takeaways"))
    v = results.get("votes") or {}
    if "error" in v:
        rows.append(Row("Votes (SQLite)", "skipped", v["error"][:80]))
    elif v:
        rows.append(Row("Votes (SQLite)", "50 concurrent voters x 3 dots", fmt_ms(v["cast_150_concurrent_ms"])))
        rows.append(Row("Votes (SQLite)", "totals (the live chart's query)", fmt_ms(v["totals_ms"])))
        rows.append(Row("Votes (SQLite)", "ballot (a participant's read)", fmt_ms(v["ballot_ms"])))
    return rows


def page_rows(pages: dict, tools: int) -> list[Row]:
    """The AppTest page runs on one catalog (bench/pages.py), each against the bare app's run."""
    section = (
        f"Pages, an AppTest run entering the page, {_size_label(tools)} (wall time of "
        "`at.switch_page(page).run()`: the router and the page, plus AppTest compiling them anew)"
    )
    bare = _median(pages.get("bare") or {}, "apptest")
    rows = []
    for case, figures in pages.items():
        if case == "bare":
            continue
        if case == "error":
            rows.append(Row(section, "error", figures.splitlines()[-1][:80] if figures else "?", key="error"))
            continue
        run = _median(figures, "apptest")
        rows.append(
            Row(
                section,
                case.replace("_", " "),
                fmt_ms(run) if run is not None else "did not finish",
                f"bare app rerun {fmt_ms(bare)}",
                fmt_ratio(ratio(run, bare)),
                key=case,
            )
        )
    return rows


def browser_rows(b: dict | None) -> list[Row]:
    if not b:
        return []
    section = (
        "Chromium, to visual completeness (run: until the script state went back to notRunning; "
        "busy: Chromium's main thread)"
    )
    if "error" in b:
        return [Row(section, "skipped", b["error"][:80], key="error")]

    def vis(key: str) -> float | None:
        return (b.get(key) or {}).get("visual", {}).get("median_ms")

    def shown(key: str) -> str:
        run = (b.get(key) or {}).get("script_done", {}).get("median_ms")
        busy = ((b.get(key) or {}).get("main_thread_ms") or {}).get("tasks")
        value = vis(key)
        if value is None:
            return "did not settle"
        return f"{fmt_ms(value)} (run {fmt_ms(run)}, busy {fmt_ms(busy)})"

    def elements(key: str) -> str:
        count = (b.get(key) or {}).get("elements")
        return "" if count is None else f", {count} elements"

    rows = [
        Row(
            section,
            "first visit after the server started",
            shown("first_visit_app"),
            f"bare {fmt_ms(vis('first_visit_bare'))}",
            fmt_ratio(ratio(vis("first_visit_app"), vis("first_visit_bare"))),
            key="first_visit_app",
        ),
        Row(
            section,
            "cold load of / (a new session)",
            shown("cold_app"),
            f"bare {fmt_ms(vis('cold_bare'))}",
            fmt_ratio(ratio(vis("cold_app"), vis("cold_bare"))),
            ratio_note(ratio(vis("cold_app"), vis("cold_bare")), 1.2),
            key="cold_app",
        ),
    ]
    for prefix, when in (("switch_", ""), ("again_", " again (script chunks cached)")):
        bare_switch = bare_switch_median(b, prefix)
        page_ratios = []
        for page in PAGE_ORDER:
            r = ratio(vis(prefix + page), bare_switch)
            if r is not None:
                page_ratios.append(r)
            rows.append(
                Row(
                    section,
                    f"switch to {page}{when}{elements(prefix + page)}",
                    shown(prefix + page),
                    f"bare {fmt_ms(bare_switch)}",
                    fmt_ratio(r),
                    ratio_note(r, 1.5),
                    key=prefix + page,
                )
            )
        if page_ratios:
            med = summarise(page_ratios).median
            rows.append(
                Row(
                    section,
                    f"median switch ratio over the {len(PAGE_ORDER)} pages{when}",
                    "",
                    "",
                    fmt_ratio(med),
                    ratio_note(med, 1.2),
                    key=prefix + "median",
                )
            )
        # the same, against the bare app run with the app's runner setting (no full GC after a run)
        same = bare_switch_median(b, "nogc_" + prefix)
        same_ratios = [r for page in PAGE_ORDER if (r := ratio(vis(prefix + page), same)) is not None]
        if same_ratios:
            rows.append(
                Row(
                    section,
                    f"median switch ratio{when}, bare app with postScriptGC off as the app",
                    f"{fmt_ratio(min(same_ratios))} to {fmt_ratio(max(same_ratios))}",
                    f"bare {fmt_ms(same)}",
                    fmt_ratio(summarise(same_ratios).median),
                    key="nogc_" + prefix + "median",
                )
            )
    for key, when in (("find_goal_click", ""), ("again_find_goal_click", ", again")):
        r = ratio(vis(key), vis("rerun_bare"))
        rows.append(
            Row(
                section,
                f"/find: choose a goal, results appear{when}{elements(key)}",
                shown(key),
                f"bare rerun {fmt_ms(vis('rerun_bare'))}",
                fmt_ratio(r),
                ratio_note(r, 1.5),
                key=key,
            )
        )
        same = ratio(vis(key), vis("nogc_rerun_bare"))
        if same is not None:
            rows.append(
                Row(
                    section,
                    f"/find: choose a goal{when}, bare app with postScriptGC off as the app",
                    "",
                    f"bare rerun {fmt_ms(vis('nogc_rerun_bare'))}",
                    fmt_ratio(same),
                    key="nogc_" + key,
                )
            )
    if b.get("app_server_peak_rss_mb") is not None:
        rows.append(
            Row(
                section,
                "the app server's peak RSS after every browser run",
                f"{b['app_server_peak_rss_mb']:.0f} MB",
                key="app_server_peak_rss_mb",
            )
        )
    return rows


def bare_switch_median(b: dict, prefix: str = "switch_") -> float | None:
    """The bare app's page switch: the median of every switch between its three pages
    (`prefix` "again_": the second round)."""
    keys = (prefix + "bare_second", prefix + "bare_third", prefix + "bare_home")
    return summarise(v for k in keys for v in (b.get(k) or {}).get("samples_ms", [])).median
