"""Real-browser page helpers: open a page and wait until the app is idle. The server
and Chromium are started with testkit.server (shared with the benchmark)."""

from __future__ import annotations

from testkit.server import RESULTS, ROOT

__all__ = ["RESULTS", "ROOT", "goto", "settled", "wait_ready"]

# Streamlit's public page state, as its own e2e suite reads it: stApp's
# data-test-script-state ("running", then "notRunning" when the run has ended) and
# data-test-connection-state. PAGE_WATCH (added to every browser context by
# conftest.py's new_page) counts each run it saw drawn as running and then ended, and
# notes the time of the page's last change: an element added, removed or re-texted, or
# a change of those two states (not styles or classes, which hover and animations touch).
PAGE_WATCH = """
(() => {
  window.__runsDone = 0;
  window.__runsSeen = 0;
  window.__lastChange = performance.now();
  let running = false;
  new MutationObserver((records) => {
    window.__lastChange = performance.now();
    for (const r of records) {
      if (r.type !== "attributes" || r.attributeName !== "data-test-script-state") continue;
      const state = r.target.getAttribute("data-test-script-state");
      if (state === "running") running = true;
      else if (state === "notRunning" && running) {
        running = false;
        window.__runsDone += 1;
      }
    }
  }).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["data-test-script-state", "data-test-connection-state"],
  });
})();
"""
# Ready: connected, stApp notRunning, no skeleton left, and either a run that ended
# after the last wait_ready has left the page unchanged for IDLE_MS (its last deltas
# are drawn; a page that reruns itself has started that rerun by then), or, when no
# run was seen, the page has not changed for QUIET_MS: a run so quick that React never
# drew it as running still changes the page, so the wait ends QUIET_MS after its last
# change. Both count from the wait_ready call at the earliest. A rerun that starts
# more than QUIET_MS after the call and is then never drawn as running would be
# missed (tests/e2e/test_waits.py delays every message by 800 ms).
IDLE_MS = 150
QUIET_MS = 2000
_READY = """([idleMs, quietMs]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  if (window.__runsDone === undefined) return true;  // a page opened without PAGE_WATCH
  const still = performance.now() - Math.max(window.__lastChange, window.__waitFrom || 0);
  if (window.__runsDone > window.__runsSeen ? still < idleMs : still < quietMs) return false;
  window.__runsSeen = window.__runsDone;
  return true;
}"""


def goto(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def wait_ready(page, timeout: int = 30_000) -> None:
    """Wait until the run an action started has ended and left the app idle (_READY):
    call it after an action that reruns the app (a click on a widget, a page link, a
    tab) or after opening a page. No websocket message is read: only the page's state."""
    page.evaluate("() => { window.__waitFrom = performance.now(); }")
    page.wait_for_function(_READY, arg=[IDLE_MS, QUIET_MS], timeout=timeout)


def settled(page, timeout: int = 10_000) -> None:
    """Nothing left to draw: no request in flight, the web fonts (icons) loaded, and
    no CSS or Web animation running (an expander opening, a chart fading in)."""
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.wait_for_function(
        "() => document.fonts.status === 'loaded' && document.getAnimations().every((a) => a.playState !== 'running')",
        timeout=timeout,
    )
