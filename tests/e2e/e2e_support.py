"""Real-browser helpers: one `streamlit run` per test module on a free loopback
port (as Streamlit's own e2e suite does), Debian's Chromium driven by Playwright,
a screenshot in test-results/ when a test fails."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Counts the app's finished script runs and notes when the app last did anything.
# A run ends with a ForwardMsg whose field 6 (script_finished, a varint) is set;
# the watcher reads that field from every websocket message (status 2,
# FINISHED_EARLY_FOR_RERUN, is not an end: another run follows). Counting the
# messages, not stApp's data-test-script-state, sees a run so quick that React
# never drew it as "running". Added to every browser context (conftest.py's
# new_page), so wait_ready waits for a run that finished after the last one it saw,
# rather than for a fixed time in which a rerun might or might not have started.
RUN_WATCH = """
(() => {
  window.__runsDone = 0;
  window.__runsSeen = 0;
  window.__lastActivity = performance.now();
  const finished = (bytes) => {
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, b;
      do { b = bytes[i++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) i += varint();
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return -1;
    }
    return -1;
  };
  const seen = (data) => {
    window.__lastActivity = performance.now();
    const status = finished(new Uint8Array(data));
    if (status >= 0 && status !== 2) window.__runsDone += 1;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (e.data instanceof ArrayBuffer) seen(e.data);
        else if (e.data instanceof Blob) e.data.arrayBuffer().then(seen);
      });
    }
  };
  new MutationObserver(() => { window.__lastActivity = performance.now(); }).observe(document, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-test-script-state"],
  });
})();
"""
# True once a new run has finished, stApp says notRunning, and neither a message
# nor a state change came for IDLE_MS (the last deltas are drawn; a page that
# reruns itself right after a run has started that rerun by then).
IDLE_MS = 150
_NEW_RUN_DONE = """(idleMs) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (window.__runsDone === undefined) return true;  // a page opened without RUN_WATCH
  if (window.__runsDone <= window.__runsSeen) return false;
  if (performance.now() - window.__lastActivity < idleMs) return false;
  window.__runsSeen = window.__runsDone;
  return true;
}"""


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env_extra: dict[str, str] | None = None, script: Path | None = None, options: tuple[str, ...] = ()):
    """`streamlit run` of app.py (or `script`) on a free loopback port, with any further
    `streamlit run` options; waits for its health check. Returns (process, base URL, log file)."""
    script = script or ROOT / "app.py"
    port = free_port()
    RESULTS.mkdir(exist_ok=True)
    env = {**os.environ, **(env_extra or {})}
    log = open(RESULTS / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *options,
        ],
        cwd=script.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def goto(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def wait_ready(page, timeout: int = 30_000) -> None:
    """Wait until a script run that finished after the last wait_ready (or since the
    page opened) has left the app idle: call it after an action that reruns the app
    (a click on a widget, a page link, a tab) or after opening a page."""
    page.wait_for_function(_NEW_RUN_DONE, arg=IDLE_MS, timeout=timeout)


def settled(page, timeout: int = 10_000) -> None:
    """Nothing left to draw: no request in flight, the web fonts (icons) loaded, and
    no CSS or Web animation running (an expander opening, a chart fading in)."""
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.wait_for_function(
        "() => document.fonts.status === 'loaded' && document.getAnimations().every((a) => a.playState !== 'running')",
        timeout=timeout,
    )
