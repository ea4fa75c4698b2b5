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


# the share of pages whose related-tool names are misspelt in the "with typos" catalog:
# 348 of 10,075, as in the catalog issue 17 measured
TYPOS = 0.035


def generated(n: int, cache: Path = DEFAULT_CACHE, typos: float = 0.0) -> tuple[Path, bool]:
    """The generated catalog of `n` tools, `typos` of its pages with misspelt related-tool
    names: (folder, made_now). Reused when its stamp matches."""
    name = f"catalog-{n}" + (f"-typos-{typos:g}" if typos else "")
    dest = cache / name
    stamp_file = cache / f"{name}.stamp"
    stamp = f"{source_stamp()} {n} {typos:g}"
    if dest.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return dest, False
    cache.mkdir(parents=True, exist_ok=True)
    generate(n, dest, typos=typos)
    stamp_file.write_text(stamp)
    return dest, True
