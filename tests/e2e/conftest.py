"""Real-browser fixtures: one `streamlit run` per test module on a free loopback
port (as Streamlit's own e2e suite does), Debian's Chromium driven by Playwright,
a screenshot in test-results/ when a test fails."""

from __future__ import annotations

import os

import pytest

from e2e_support import PAGE_WATCH
from testkit.server import CHROMIUM_FLAGS, RESULTS, chromium_path, start_server, stop_server


@pytest.fixture(scope="module")
def app_url(request):
    RESULTS.mkdir(exist_ok=True)
    env = getattr(request.module, "SERVER_ENV", None)
    proc, url, log = start_server(env() if callable(env) else env)
    yield url
    stop_server(proc, log)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs it with apt-get install chromium")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture()
def new_page(browser, request):
    """Open pages in fresh contexts (fresh sessions); screenshot them on failure."""
    contexts = []

    def make(width: int = 1280, height: int = 720):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.add_init_script(PAGE_WATCH)  # wait_ready reads the app's run state and last change
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        for i, ctx in enumerate(contexts):
            for j, pg in enumerate(ctx.pages):
                pg.screenshot(path=str(RESULTS / f"{request.node.name}-{i}-{j}.png"), full_page=True)
    for ctx in contexts:
        ctx.close()
