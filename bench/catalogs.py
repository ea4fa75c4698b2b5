"""The catalogs the suite measures: the real one and generated ones (testkit/generate.py),
kept between runs in a cache folder and made again when the real content or the
generator changes."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import testkit.generate
from testkit.generate import CONTENT, generate

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "toolbox-bench-catalogs"


def source_stamp() -> str:
    """A hash of what a generated catalog is made from: every real content file and the generator."""
    h = hashlib.sha256()
    files = sorted(CONTENT.glob("*.yaml")) + sorted((CONTENT / "tools").glob("*.md"))
    for path in [*files, Path(testkit.generate.__file__)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def generated(n: int, cache: Path = DEFAULT_CACHE) -> tuple[Path, bool]:
    """The generated catalog of `n` tools: (folder, made_now). Reused when its stamp matches."""
    dest = cache / f"catalog-{n}"
    stamp_file = cache / f"catalog-{n}.stamp"
    stamp = f"{source_stamp()} {n}"
    if dest.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return dest, False
    cache.mkdir(parents=True, exist_ok=True)
    generate(n, dest)
    stamp_file.write_text(stamp)
    return dest, True
