"""Measure speed and memory; print the figures. Asserts nothing.

A thin wrapper of the benchmark suite (`python -m bench`, bench/suite.py); every
option is the suite's:

    .venv/bin/python scripts/benchmark.py [--runs N] [--no-browser] [--no-10k] [--output FILE]
    .venv/bin/python scripts/benchmark.py --load [--load-db URL]...

--load adds the workshop vote's load test (scripts/loadtest_vote.py: 60
participants x 3 dots within a minute against `streamlit run`, websocket
clients); it takes about two minutes a database, so it is off by default.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.suite import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
