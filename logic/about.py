"""What a town says of itself, in a sentence a planner types ("a river borough whose Main
Street floods every spring"), and the tools whose own cue words it uses (`Tool.cues`, the
content key `cues`: what a town's description says when the tool is one planners reach for
there). A cue is found at the start of a word, whatever its case: "warehouse" finds
"Warehouses", "contaminat" finds "contaminated"; a space and a hyphen join its words alike
("buy out" finds "buy-outs", "big-box" finds "big box"); never inside a word ("rail" is not
in "trail"), and never where a longer cue of any tool reads the same place ("parks" is not in
"office parks"), or one of the catalog's not-cues, words that only start with a cue
("lawnside" is not a "lawn").
The description is matched only: it is never run, and the pages show it as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .text import join_words

ABOUT_LABEL = "The town in a sentence"  # how a brief, a handout and /find name it
MAX_ABOUT_CHARS = 500  # a sentence or three: what the box and the address keep
MAX_CUES = 10  # a tool's cue words (the content keeps the first ten)
MAX_CUE_WORDS = 3
CUE_FORM = re.compile(r"[a-z0-9][a-z0-9' -]*")  # lower-case words, digits, hyphens, apostrophes
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_about(text: object) -> str:
    """The description as kept: one line, control characters out, at most MAX_ABOUT_CHARS
    (cut at a word where it can be)."""
    line = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    if len(line) <= MAX_ABOUT_CHARS:
        return line
    cut = line[:MAX_ABOUT_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


_JOINS = re.compile(r"[ -]+")  # a space and a hyphen join a cue's words alike


def cue_form(cue: str) -> str:
    """How a cue reads: its words joined by spaces ("big-box" and "big box" read the same)."""
    return _JOINS.sub(" ", cue)


@lru_cache(maxsize=4096)
def _pattern(cue: str) -> re.Pattern[str]:
    words = r"[ -]".join(re.escape(word) for word in _JOINS.split(cue))
    return re.compile(r"(?<![\w])" + words + r"[\w'’-]*", re.IGNORECASE)


@lru_cache(maxsize=256)
def _reading(about: str, every: tuple[str, ...]) -> dict[str, tuple[str, int]]:
    """The description read once with all these cues: cue -> (the word it finds, written in
    full, and where), at its first place that no longer cue's match covers (the same word, or
    more). Cached: a ranking looks up each tool's cues here instead of matching them again
    (read only)."""
    spans = {cue: list(_pattern(cue).finditer(about)) for cue in every}
    every_span = [(*m.span(), len(cue)) for cue, found in spans.items() for m in found]
    out: dict[str, tuple[str, int]] = {}
    for cue, matches in spans.items():
        for m in matches:
            start, end = m.span()
            if not any(a <= start and end <= b and longer > len(cue) for a, b, longer in every_span):
                out[cue] = (m.group(0), start)
                break
    return out


def cues_in(cues: Sequence[str], about: str, every: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words of `about` that a tool's cues find, each as written in full ("warehouses"
    for the cue "warehouse"), in the order the description says them, each once. Each place
    is read by the longest cue found there, of `every` (all the catalog's cues; by default the
    tool's own): where "office park" finds "office parks", "parks" finds nothing there."""
    if not about:
        return ()
    reading = _reading(about, every or tuple(cues))
    found: dict[str, int] = {}
    for cue in cues:
        if cue in reading:
            word, start = reading[cue]
            found.setdefault(word, start)
    return tuple(sorted(found, key=found.__getitem__))


def cue_line(cues: Sequence[str]) -> str:
    """What a tool's cues do, in a sentence for its page ("" with none): the words a town's
    sentence on /find raises it for, as the content lists them."""
    if not cues:
        return ""
    words = join_words([f"“{c}”" for c in cues], "or")
    return (
        f"On Find tools, a town's sentence (“{ABOUT_LABEL}”) with a word that starts with {words} "
        "raises it among the tools for the town's goals."
    )


def cue_problem(cue: str) -> str:
    """What is wrong with one cue as content writes it, or "" (`python -m logic validate`)."""
    if not CUE_FORM.fullmatch(cue):
        return f"{cue!r} must be lower-case words (letters, digits, hyphens, apostrophes)"
    if len(cue.split()) > MAX_CUE_WORDS:
        return f"{cue!r} has more than {MAX_CUE_WORDS} words"
    return ""
