"""The content folder's files: where it is, its files listed and read, the signature
that tells the app the content changed, and the fingerprint a brief prints.

A leaf: it imports nothing from logic/ (logic/model.py and the loader both import it).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
MAX_FILE_BYTES = 256 * 1024  # any content file: a tool page is about 4 KB, goals.yaml 5 KB


def default_content_dir() -> Path:
    """`TOOLBOX_CONTENT_DIR` if set, else `content/` beside app.py."""
    env = os.environ.get("TOOLBOX_CONTENT_DIR")
    return Path(env) if env else PROJECT_ROOT / "content"


def sorted_glob(root: Path, pattern: str) -> list[Path]:
    try:
        return sorted(root.glob(pattern))
    except OSError:  # e.g. tools/ is itself a looping symlink; the loader reports it
        return []


def _entries(folder: Path, suffix: str) -> list[os.DirEntry[str]]:
    """The folder's entries whose names end in `suffix`, by name ([] when it cannot be listed)."""
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if e.name.endswith(suffix)), key=lambda e: e.name)
    except OSError:  # missing, or tools/ is itself a looping symlink; the loader reports it
        return []


def content_signature(content_dir: str | os.PathLike[str]) -> tuple:
    """What changes when any content file changes: names, sizes, mtimes.

    Called on every rerun of the app, so it lists each folder once with
    os.scandir (about 10 ms for 10,000 files). Never raises: a file that cannot
    be looked at (a looping or dangling symlink) is part of the signature as
    unreadable, and the loader names it."""
    root = Path(content_dir)
    if not root.is_dir():
        return (str(root), "missing")
    out: list[tuple[str, int | str, int]] = []
    for prefix, entries in (("", _entries(root, ".yaml")), ("tools/", _entries(root / "tools", ".md"))):
        for e in entries:
            try:
                st = e.stat()
                out.append((prefix + e.name, st.st_mtime_ns, st.st_size))
            except OSError as exc:
                out.append((prefix + e.name, "unreadable", exc.errno or 0))
    return tuple(out)


_RECENT: dict[str, tuple[float, str]] = {}
RECHECK_SECONDS = 1.0


def recent_signature(content_dir: str | os.PathLike[str], max_age: float | None = None) -> str:
    """A short digest of `content_signature`, looked at again at most every `max_age`
    seconds: the app asks on every rerun, and at 10,000 files a look takes about 50 ms
    (and a cache keyed on the 10,000-entry tuple itself hashes it on every lookup). An
    edit to the content shows up within a second."""
    key = str(content_dir)
    now = time.monotonic()
    hit = _RECENT.get(key)
    if hit is not None and now - hit[0] < (RECHECK_SECONDS if max_age is None else max_age):
        return hit[1]
    digest = hashlib.blake2b(repr(content_signature(content_dir)).encode(), digest_size=16).hexdigest()
    _RECENT[key] = (now, digest)
    return digest


def content_fingerprint(content_dir: str | os.PathLike[str]) -> str:
    """12 hex digits of a SHA-256 over every content file's name and bytes (the files
    `content_signature` lists): the same content gives the same fingerprint on any
    machine, whatever the files' dates. "" when the folder is missing."""
    root = Path(content_dir)
    if not root.is_dir():
        return ""
    digest = hashlib.sha256()
    for p in [*sorted_glob(root, "*.yaml"), *sorted_glob(root, "tools/*.md")]:
        digest.update(str(p.relative_to(root)).encode("utf-8") + b"\0")
        try:
            if not stat.S_ISREG(p.stat().st_mode):  # a FIFO would block open() until a writer came
                raise OSError("not a regular file")
            with p.open("rb") as fh:
                digest.update(fh.read(MAX_FILE_BYTES + 1))
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:12]
