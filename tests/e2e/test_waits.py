"""The browser tests' wait: after an action, wait_ready returns once the rerun that
action started has finished, even when the rerun starts late (a loaded machine, a
slow network), never after a fixed pause in which it may not have started yet."""

from __future__ import annotations

from e2e_support import ROOT, goto, wait_ready
from logic import load_catalog
from logic.browse import filter_tools

# Every message from the browser reaches the server 800 ms late.
SLOW_SEND = """
(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    setTimeout(() => send.call(this, data), 800);
  };
})();
"""


def test_wait_ready_waits_for_a_rerun_that_starts_late(app_url, new_page):
    cat = load_catalog(ROOT / "content")
    n, k = len(cat.tools), len(filter_tools(cat, ["Economy"]))
    page = new_page()
    page.context.add_init_script(SLOW_SEND)
    goto(page, app_url + "/catalog")
    assert page.get_by_text(f"{n} of {n} tools").count() == 1
    page.locator("[data-testid='stButtonGroup'] button", has_text="Economy").first.click()
    wait_ready(page)
    # no waiting from here on: the click's run has finished
    assert page.get_by_text(f"{k} of {n} tools").count() == 1
    assert page.get_by_text(f"{n} of {n} tools").count() == 0
