"""Filtering and searching the catalog, as the toolbox site does and a bit more."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .model import Catalog, Tool
from .text import normalise_name, plain

MODES: tuple[str, ...] = ("all", "any")


def matches_tags(
    tool: Tool,
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    mode: str = "all",
) -> bool:
    """'all' (the toolbox's rule): the tool carries every chosen tag.
    'any': it carries at least one of the chosen tags. No tags: every tool."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    chosen = [("f", f) for f in focus] + [("p", p) for p in principles]
    if not chosen:
        return True
    has = {("f", f) for f in tool.focus_areas} | {("p", p) for p in tool.principles}
    if mode == "all":
        return all(c in has for c in chosen)
    return any(c in has for c in chosen)


def matches_text(tool: Tool, text: str) -> bool:
    """Case-insensitive search over title and body; every word must appear."""
    words = text.lower().split()
    if not words:
        return True
    hay = f"{tool.title}\n{plain(tool.body)}".lower()
    return all(w in hay for w in words)


def filter_tools(
    catalog: Catalog,
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    search: str = "",
    mode: str = "all",
) -> list[Tool]:
    """Tools that pass the tag filter and the text search, by title."""
    focus, principles = list(focus), list(principles)
    return [t for t in catalog.tools.values() if matches_tags(t, focus, principles, mode) and matches_text(t, search)]


def close_slugs(catalog: Catalog, slug: str, n: int = 5) -> list[str]:
    """Slugs (or titles) that look like what someone typed, for 'not found' pages."""
    by_norm = {normalise_name(t.title): t.slug for t in catalog.tools.values()}
    hits = difflib.get_close_matches(slug.lower(), list(catalog.tools), n=n, cutoff=0.5)
    for m in difflib.get_close_matches(normalise_name(slug), list(by_norm), n=n, cutoff=0.5):
        if by_norm[m] not in hits:
            hits.append(by_norm[m])
    words = normalise_name(slug).split()
    if len(hits) < n and words:
        for t in catalog.tools.values():
            if t.slug not in hits and any(len(w) > 3 and w in t.slug for w in words):
                hits.append(t.slug)
    return hits[:n]
