"""Run a child process and measure it: wall time from start to exit, its peak
resident memory (the kernel's accounting for that very child), its output."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Child:
    """A finished child: wall time (ms), peak RSS (MB), exit code, output."""

    wall_ms: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_child(args: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 900) -> Child:
    """Run `args` from the project's root and wait for it with os.wait4, which gives
    the rusage of that one child (and of its own waited-for children: a CLI that
    parses in worker processes counts their peak too). Output goes to temporary
    files, so a chatty child never blocks on a pipe."""
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(args), cwd=ROOT, env=full_env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = (time.perf_counter() - start) * 1000
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(
            wall,
            usage.ru_maxrss / 1024,  # kilobytes on Linux
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
