"""Generate a large catalog from the real taxonomy: N tool pages built from the real
pages (their bodies, links and tags), each with its own slug, title and a shuffled
grading, plus the real goals.yaml, challenges.yaml, indicators.yaml and catalog.yaml.

    python -m testkit.generate 10000 /tmp/catalog-10k
    python -m testkit.generate 10000 /tmp/catalog-10k-typos 0.035

`typos`: the share of pages whose related-tool names (`seeOther`) are misspelt, so
that they match no title: the loader's "did you mean" path, as in a catalog edited by
many hands (a 10,075-tool catalog with 348 such names took 5.8x the parse floor before
the fuzzy matching used rapidfuzz; the benchmark measures one with and one without).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import yaml

from logic.content.yaml_safe import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def misspell(name: str) -> str:
    """A related-tool name as a hurried editor types it: in its longest word the second
    and third letters swapped and the last one typed as an x, so it matches no title
    but one is close ("Infill Ordinances" -> "Infill Odrinancex")."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) >= 4:
        w = w[0] + w[2] + w[1] + w[3:-1]
    words[i] = w + "x"
    return " ".join(words)


def generate(n: int, dest: Path, seed: int = 11, typos: float = 0.0) -> Path:
    """Write a catalog of `n` tools to `dest` (replaced if it exists); returns `dest`.
    `typos`: the share of pages (0 to 1) whose related-tool names are misspelt."""
    rng = random.Random(seed)
    typo_rng = random.Random(seed + 1)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "tools").mkdir(parents=True)
    for name in ("goals.yaml", "challenges.yaml", "indicators.yaml", "catalog.yaml"):
        if (CONTENT / name).exists():
            shutil.copy(CONTENT / name, dest / name)
    pages = []
    for path in sorted((CONTENT / "tools").glob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts:
            pages.append((path.stem, parts[0], parts[1]))
    goal_ids = [
        line.split(":", 1)[1].strip()
        for line in (CONTENT / "goals.yaml").read_text().splitlines()
        if line.startswith("- id:")
    ]
    for i in range(n):
        stem, front, body = pages[i % len(pages)]
        copy = i // len(pages)
        slug = stem if copy == 0 else f"{stem}-{copy}"
        lines = []
        for line in front.splitlines():
            if line.startswith("slug:"):
                line = f'slug: "{slug}"'
            elif line.startswith("title:") and copy:
                line = line.rstrip('"') + f' {copy}"'
            elif line.startswith("goals:") and copy:
                chosen = rng.sample(goal_ids, rng.randint(1, 4))
                line = "goals: {" + ", ".join(f"{g}: {rng.randint(1, 3)}" for g in chosen) + "}"
            elif line.startswith("seeOther:") and typos and typo_rng.random() < typos:
                names = yaml.safe_load(line.split(":", 1)[1]) or []
                line = "seeOther: " + json.dumps([misspell(str(x)) for x in names])
            elif line.startswith("buildsOn:") and copy:
                line = "buildsOnCopied: true"  # the copies build on nothing (no cross-copy cycles)
            lines.append(line)
        front_text = "\n".join(lines)
        if copy:  # drop the copied buildsOn items (indented under the key we renamed)
            out, skip = [], False
            for line in front_text.splitlines():
                if line.startswith("buildsOnCopied:"):
                    skip = True
                    continue
                if skip and line.startswith(("  ", "-")):
                    continue
                skip = False
                out.append(line)
            front_text = "\n".join(out)
        (dest / "tools" / f"{slug}.md").write_text(f"---\n{front_text}\n---\n\n{body}\n", encoding="utf-8")
    return dest


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/toolbox-catalog-{count}")
    print(generate(count, target, typos=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0))
