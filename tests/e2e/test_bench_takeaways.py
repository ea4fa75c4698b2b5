"""`python -m bench --takeaways-only` runs and reports the three figures issue 16 asks for:
a cold shared /find?goal=... link, the Coverage charts tab and a PDF brief, each with its
target (the figures themselves are not asserted: speed is measured, never tested)."""

from __future__ import annotations

import json
import subprocess
import sys

from support import ROOT


def test_the_benchmark_reports_the_cold_link_the_charts_tab_and_the_pdf_brief(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--takeaways-only", "--runs", "1", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for what in (
        "until the first result card is visible",
        "Coverage charts tab, until a chart is drawn",
        "Brief (PDF) button, until the download starts",
        "PDF brief, logic only: first make_brief",
        "a new visitor on that server afterwards",
    ):
        line = next((x for x in done.stdout.splitlines() if what in x), None)
        assert line is not None, what
        assert "not measured" not in line and ("met" in line), line
    figures = json.loads(out.read_text())["takeaways"]
    assert figures["cold_link"]["target_ms"] == 1500
    for key in ("cold_link", "charts_tab", "pdf_button", "pdf_logic_first", "warm_link"):
        assert figures[key]["median_ms"] is not None and figures[key]["failed"] == 0
