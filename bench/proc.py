"""Run a child process and measure it: wall time from start to exit, its peak
resident memory (the kernel's accounting for that very child), its output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Child:
    """A finished child: wall time (ms), peak RSS (MB), exit code, output. The figures are
    None when it was killed (as bench.stats counts a run that did not finish)."""

    wall_ms: float | None
    max_rss_mb: float | None
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


# Runs the measured command as its own child and reports that child's rusage and wall
# time. A process started straight from the benchmark would not do: Linux carries the
# starting process's memory high-water mark into its child's ru_maxrss across the exec
# (the benchmark holds 10,000-tool catalogs, so a 140 MB child read as 395 MB). This small
# launcher forks when it is itself only a few MB, so the figure is the command's own.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as exc:
        print(f"{sys.argv[2]}: {exc}", file=sys.stderr)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = (time.perf_counter() - start) * 1000
with open(sys.argv[1], "w") as fh:
    json.dump({"wall_ms": wall, "max_rss_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, fh)
"""


def run_child(args: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 900) -> Child:
    """Run `args` from the project's root, through `LAUNCHER`, which waits for it with
    os.wait4: the rusage of that one command (and of its own waited-for children: a CLI
    that parses in worker processes counts their peak too), and its wall time from start
    to exit. Output goes to temporary files, so a chatty child never blocks on a pipe;
    after `timeout` seconds the command and its launcher are killed."""
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        report = Path(tmp) / "rusage.json"
        proc = subprocess.Popen(
            [PYTHON, "-c", LAUNCHER, str(report), *args],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: a timeout kills the command too
        )
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        if not report.exists():  # killed, or the launcher failed: no figures
            return Child(None, None, proc.returncode or -1, stdout, stderr)
        figures = json.loads(report.read_text())
        return Child(figures["wall_ms"], figures["max_rss_kb"] / 1024, figures["code"], stdout, stderr)
