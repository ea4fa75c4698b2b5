"""The loading floor: the catalog's files read and their YAML parsed with PyYAML's
C loader (yaml.CSafeLoader), and nothing else (no validation, no model, no index).

Whatever the loader does on top of this is our cost; no loader can read and parse
the same files in less. Imports only the standard library and PyYAML, so that in a
fresh process (`python -m bench.floor DIR`, which prints its figures as JSON) it
pays only for what any loader must import.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

import yaml

# The loader's own front-matter pattern (logic/content/yaml_safe.py), copied so this module does not import logic/.
FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)
LIST_FILES = ("goals.yaml", "challenges.yaml", "indicators.yaml", "catalog.yaml")


def front_matter(text: str) -> str | None:
    """The YAML between the opening and closing `---` lines, or None without front matter."""
    m = FRONT.match(text)
    return m.group(1) if m else None


def parse_floor(content_dir: str | os.PathLike[str]) -> int:
    """Read every tools/*.md and the list files of `content_dir` and parse their YAML
    (a page's front matter only) with yaml.CSafeLoader; returns how many documents parsed."""
    parsed = 0
    for name in LIST_FILES:
        path = os.path.join(content_dir, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                yaml.load(f.read(), Loader=yaml.CSafeLoader)
            parsed += 1
    tools = os.path.join(content_dir, "tools")
    with os.scandir(tools) as it:
        names = sorted(e.name for e in it if e.name.endswith(".md"))
    for name in names:
        with open(os.path.join(tools, name), encoding="utf-8") as f:
            front = front_matter(f.read())
        if front is not None:
            yaml.load(front, Loader=yaml.CSafeLoader)
            parsed += 1
    return parsed


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    count = parse_floor(argv[0])
    print(json.dumps({"documents": count, "parse_ms": (time.perf_counter() - start) * 1000}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
