"""The app in Chromium, side by side with a bare three-page Streamlit app in the
same run: cold load, the switch to every page, and a rerun that changes the results.

Both apps run under `streamlit run` with the browser tests' flags (testkit/server.py:
its free port, server start and Chromium flags), and Playwright
drives Debian's Chromium. Each measurement is timed to visual completeness: a
MutationObserver, installed before the page's own scripts, records the time of
every change inside [data-testid='stMain']; after the action we wait until the
app's script state is notRunning and nothing has changed for QUIET_MS, and the
figure is the time of the last change, from the click (or from the navigation's
start for a cold load). The time the script state last went back to notRunning
is kept too ("script done"), so a slow switch shows whether the server's run or
the drawing after it takes the time.

The bare app (written to a temporary folder) is three pages of a title and two
lines of text under st.navigation, the first with a button that reruns it and
counts the clicks: what Streamlit itself costs on this machine, in this run, with
Streamlit's default settings. It runs a second time with the one runner setting
the app changes (`runner.postScriptGC = false`, .streamlit/config.toml: no full
garbage collection after every run), keys "nogc_...": the same settings on both
sides, for an honest second ratio.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.stats import summarise
from testkit.server import CHROMIUM_FLAGS, chromium_path, start_server, stop_server
from ui.pages import PAGES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent

QUIET_MS = 1000
TIMEOUT_MS = 60_000
TOOL = "floodplainordinances"
# The app's pages in the order the suite visits them from the menu (each switch is
# timed from the page before); the session starts on /tool?slug=TOOL so the Tool
# entry in the menu reopens that tool (the page remembers it), as /tool?slug=... .
APP_PAGES = [spec.key for spec in PAGES]  # the menu's order (ui/pages.py)
APP_PATHS = {spec.key: "/" + spec.url_path for spec in PAGES}
GOAL_PILL = "Make walking and biking easier"
GOAL_ID = "walk-bike"
NO_GC = ("--runner.postScriptGC", "false")  # the app's one runner setting (.streamlit/config.toml)
BARE_PATHS = {"bare_home": "/", "bare_second": "/second", "bare_third": "/third"}

BARE_APP = '''"""A bare three-page Streamlit app: the reference for the benchmark."""
import streamlit as st


def home():
    st.title("Home")
    st.write("A bare page: a title and two lines of text.")
    st.session_state.setdefault("clicks", 0)
    if st.button("Rerun", key="bare_rerun"):
        st.session_state.clicks += 1
    st.write(f"Clicked {st.session_state.clicks} times.")


def second():
    st.title("Second")
    st.write("A bare page: a title and two lines of text.")
    st.write("Nothing else.")


def third():
    st.title("Third")
    st.write("A bare page: a title and two lines of text.")
    st.write("Nothing else.")


st.navigation(
    [
        st.Page(home, title="Home", url_path="home", default=True),
        st.Page(second, title="Second", url_path="second"),
        st.Page(third, title="Third", url_path="third"),
    ]
).run()
'''

# Installed in every document before its own scripts.
OBSERVER = """
(() => {
  window.__t0 = 0;
  window.__last = 0;
  window.__runDone = 0;
  window.__runStarts = [];
  const MAIN = "[data-testid='stMain']";
  const inMain = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest && el.closest(MAIN));
  };
  const addsMain = (r) => {
    for (const n of r.addedNodes) {
      if (n.nodeType === 1 && (n.matches(MAIN) || n.querySelector(MAIN))) return true;
    }
    return false;
  };
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.type === "attributes" && r.attributeName === "data-test-script-state") {
        const state = r.target.getAttribute("data-test-script-state");
        if (state === "notRunning") window.__runDone = now;
        if (state === "running" && r.oldValue !== "running") window.__runStarts.push(now);
      }
      if (inMain(r.target) || (r.type === "childList" && addsMain(r))) window.__last = now;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true });
})();
"""
SETTLED = """(quiet) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (window.__last <= window.__t0) return false;
  return performance.now() - window.__last >= quiet;
}"""
# (ms to the last change, ms to the script's end, Streamlit elements and DOM nodes in stMain)
RESULT = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  return [
    window.__last - window.__t0,
    window.__runDone > window.__t0 ? window.__runDone - window.__t0 : null,
    main ? main.querySelectorAll("[data-testid='stElementContainer']").length : 0,
    main ? main.getElementsByTagName("*").length : 0,
    window.__runStarts.filter((t) => t >= window.__t0).length,
  ];
}"""
CLICK_NAV = """(path) => {
  // the app's menu (ui.page_state.menu), or Streamlit's own in the bare reference app
  const links = [...document.querySelectorAll(".st-key-app_menu a, [data-testid='stSidebarNav'] a")];
  // a page link's href is relative to the app's root ("" for the home page, "find"), a menu's may be whole
  const target = (a) => new URL(a.getAttribute("href") || "", location.origin + "/").pathname;
  const link = links.find((a) => target(a) === path);
  if (!link) return false;
  window.__t0 = performance.now();
  link.click();
  return true;
}"""
CLICK_BUTTON = """([selector, text]) => {
  const button = [...document.querySelectorAll(selector)].find((b) => b.innerText.trim() === text);
  if (!button) return false;
  window.__t0 = performance.now();
  button.click();
  return true;
}"""


# (ms to the last change, ms to the script's end, elements, DOM nodes, Chromium's main-thread ms and the
# number of script runs the action started)
Sample = tuple[float | None, float | None, int | None, int | None, dict[str, float] | None]
MISSED: Sample = (None, None, None, None, None)
Adder = Callable[[str, Sample], None]  # records one sample under its key
# Chromium's own accounting of its renderer's main thread (DevTools Performance.getMetrics, seconds):
# all its tasks, then the JavaScript, layout and style recalculation among them.
MAIN_THREAD = {
    "TaskDuration": "tasks",
    "ScriptDuration": "javascript",
    "LayoutDuration": "layout",
    "RecalcStyleDuration": "style",
}


def _settle(page: Page) -> tuple[float, float | None, int, int, int]:
    """Wait for visual completeness; (ms to the last change, ms to the script's end,
    elements and DOM nodes on the page then, script runs started meanwhile)."""
    page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=TIMEOUT_MS, polling=100)
    last, done, elements, nodes, runs = page.evaluate(RESULT)
    return last, done, elements, nodes, runs


def _attempt(action: Callable[[], Sample], label: str, log: Callable[[str], None]) -> Sample:
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - a timeout or a missing element: recorded, the run goes on
        log(f"  {label}: did not settle ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})")
        return MISSED


class Session:
    """One browser context (one Streamlit session) with the observer installed."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        self.ctx.add_init_script(OBSERVER)
        self.page = self.ctx.new_page()
        self.base = base
        self.cdp = self.ctx.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")

    def _main_thread(self) -> dict[str, float]:
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {name: metrics.get(key, 0.0) * 1000 for key, name in MAIN_THREAD.items()}

    def _timed(self, action: Callable[[], object]) -> Sample:
        """Run the action, wait for visual completeness, and add what Chromium's main
        thread spent meanwhile (the quiet second included, in which it is idle)."""
        before = self._main_thread()
        action()
        last, done, elements, nodes, runs = _settle(self.page)
        after = self._main_thread()
        return last, done, elements, nodes, {**{k: after[k] - before[k] for k in after}, "script_runs": runs}

    def open(self, path: str) -> Sample:
        """A cold load: from the navigation's start (performance.now() is 0 there)."""
        return self._timed(lambda: self.page.goto(self.base + path))

    def switch(self, path: str) -> Sample:
        def click() -> None:
            if not self.page.evaluate(CLICK_NAV, path):
                raise RuntimeError(f"no menu link to {path}")

        result = self._timed(click)
        if not self.page.url.split("?")[0].rstrip("/").endswith(path.rstrip("/")):
            raise RuntimeError(f"the switch to {path} ended on {self.page.url}")
        return result

    def click(self, selector: str, text: str) -> Sample:
        def click() -> None:
            if not self.page.evaluate(CLICK_BUTTON, [selector, text]):
                raise RuntimeError(f"no {selector} named {text!r}")

        return self._timed(click)

    def choose_goal(self, label: str, goal_id: str) -> Sample:
        """Click a goal pill on /find; the results must follow (the address names the goal)."""
        result = self.click("[data-testid='stButtonGroup'] button", label)
        if f"goal={goal_id}" not in self.page.url:
            raise RuntimeError(f"choosing {label!r} did not update the results (address: {self.page.url})")
        return result

    def close(self) -> None:
        self.ctx.close()


def measure(runs: int, log: Callable[[str], None], content: Path | None = None) -> dict:
    """Everything in the browser, `runs` times each, the two apps interleaved."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[Sample]] = {}

    def add(key: str, value: Sample) -> None:
        samples.setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory(prefix="toolbox-bench-") as tmp:
        bare_script = Path(tmp) / "bare_app.py"
        bare_script.write_text(BARE_APP)
        env = {"TOOLBOX_DB": str(Path(tmp) / "workshop.db")}
        if content is not None:
            env["TOOLBOX_CONTENT_DIR"] = str(content)
        app_proc, app_url, app_log = start_server(env)
        bare_proc, bare_url, bare_log = start_server(script=bare_script)
        nogc_proc, nogc_url, nogc_log = start_server(script=bare_script, options=NO_GC)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
                try:
                    # The first visit after the server started pays the imports and the catalog load.
                    for key, url in (("first_visit_bare", bare_url), ("first_visit_app", app_url)):
                        s = Session(browser, url)
                        add(key, _attempt(partial(s.open, "/"), key, log))
                        s.close()
                    for i in range(runs):
                        log(f"  browser run {i + 1}/{runs}")
                        _one_run(browser, app_url, bare_url, add, log)
                        _bare_run(browser, nogc_url, add, log, tag="nogc_")
                finally:
                    browser.close()
            server_rss = peak_rss_mb(app_proc.pid)
        finally:
            stop_server(app_proc, app_log)
            stop_server(bare_proc, bare_log)
            stop_server(nogc_proc, nogc_log)
    out: dict[str, Any] = {}
    for key, values in samples.items():
        out[key] = {
            "visual": summarise(v[0] for v in values).as_dict(),
            "script_done": summarise(v[1] for v in values).as_dict(),
            "samples_ms": [v[0] for v in values],
            "elements": max((v[2] for v in values if v[2] is not None), default=None),
            "dom_nodes": max((v[3] for v in values if v[3] is not None), default=None),
            "main_thread_ms": {
                name: summarise(v[4][name] for v in values if v[4] is not None).median for name in MAIN_THREAD.values()
            },
            "script_runs": max((v[4]["script_runs"] for v in values if v[4] is not None), default=None),
        }
    out["app_server_peak_rss_mb"] = server_rss
    return out


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident memory of a running process (Linux: VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _bare_run(browser: Browser, bare_url: str, add: Adder, log: Callable[[str], None], tag: str = "") -> None:
    """The bare app: each page from the one before, twice, then the button's rerun."""
    s = Session(browser, bare_url)
    try:
        _attempt(lambda: s.open("/"), f"{tag}bare start", log)
        for prefix in ("switch_", "again_"):
            for key in ("bare_second", "bare_third", "bare_home"):
                add(tag + prefix + key, _attempt(partial(s.switch, BARE_PATHS[key]), tag + key, log))
        for _ in range(2):
            add(
                tag + "rerun_bare",
                _attempt(lambda: s.click("[data-testid='stButton'] button", "Rerun"), f"{tag}bare rerun", log),
            )
    finally:
        s.close()


def _one_run(browser: Browser, app_url: str, bare_url: str, add: Adder, log: Callable[[str], None]) -> None:
    # cold loads: a fresh session on the home page of each app
    for key, url in (("cold_bare", bare_url), ("cold_app", app_url)):
        s = Session(browser, url)
        add(key, _attempt(partial(s.open, "/"), key, log))
        s.close()
    _bare_run(browser, bare_url, add, log)
    # the app: start on a tool (so the menu's Tool reopens it), then every page from the menu
    s = Session(browser, app_url)
    try:
        _attempt(lambda: s.open(f"/tool?slug={TOOL}"), "app start", log)
        # the first time in the session (the browser fetches the script chunks of element kinds it has
        # not drawn yet), then again (they are cached)
        for prefix in ("switch_", "again_"):
            for key in APP_PAGES:
                add(prefix + key, _attempt(partial(s.switch, APP_PATHS[key]), key, log))
    finally:
        s.close()
    # /find opened by its address, then a goal chosen: the results appear (the address gains goal=)
    s = Session(browser, app_url)
    try:
        _attempt(lambda: s.open("/find"), "find start", log)
        add("find_goal_click", _attempt(lambda: s.choose_goal(GOAL_PILL, GOAL_ID), "find goal click", log))
        _attempt(lambda: s.click("[data-testid='stButtonGroup'] button", GOAL_PILL), "find goal off", log)
        add("again_find_goal_click", _attempt(lambda: s.choose_goal(GOAL_PILL, GOAL_ID), "find goal again", log))
    finally:
        s.close()
