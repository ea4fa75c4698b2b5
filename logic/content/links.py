"""Names of other tools resolved: related tools (both ways) and `buildsOn`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..model import BuildsOn, Problem, Tool
from ..taxonomy import Severity
from ..text import closest, normalise_name, slug_key
from .fields import ProblemSink, cap_message, did_you_mean, meant

CLOSE_MATCH_CUTOFF = 0.8


class NameResolver:
    """Finds a tool by title, slug, normalised title, then close match."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        tools = list(tools)
        self.by_title = {t.title: t.slug for t in tools}
        self.by_slug = {t.slug: t.slug for t in tools}
        self.by_norm = {normalise_name(t.title): t.slug for t in tools}
        self.titles = {t.slug: t.title for t in tools}
        self.norms = list(self.by_norm)  # listed once: a close match looks through all of them
        # a misspelt name is looked up once: copied pages repeat the same mistake
        self.close: dict[str, str | None] = {}

    def resolve(self, name: str) -> tuple[str | None, str]:
        """(slug, how): how is exact, slug, normalised, close or none."""
        if name in self.by_title:
            return self.by_title[name], "exact"
        key = slug_key(name)
        if key in self.by_slug:
            return self.by_slug[key], "slug"
        norm = normalise_name(name)
        if norm in self.by_norm:
            return self.by_norm[norm], "normalised"
        if norm not in self.close:
            self.close[norm] = closest(norm, self.norms, CLOSE_MATCH_CUTOFF)
        close = self.close[norm]
        if close:
            return self.by_norm[close], "close"
        return None, "none"


def resolve_related(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, Tool]:
    resolver = NameResolver(tools.values())
    out = {}
    for slug, tool in tools.items():
        page = ProblemSink(tool.file, problems)
        related: list[str] = []
        for name in tool.see_other:
            target, how = resolver.resolve(name)
            if target is None:
                page.add(Severity.ERROR, "seeOther", f"related tool {name!r} matches no tool in the catalog")
                continue
            title = resolver.titles[target]
            if how in ("normalised", "close"):
                page.add(
                    Severity.WARNING,
                    "seeOther",
                    f"related tool {name!r} read as {title!r} ({'close match' if how == 'close' else 'spelling differs'}); write the exact title",
                )
            if target == slug:
                page.add(Severity.WARNING, "seeOther", f"lists itself ({name!r}) as related; ignored")
                continue
            if target not in related:
                related.append(target)
        out[slug] = replace(tool, related=tuple(related))
    return out


def relate_both_ways(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    links: dict[str, list[str]] = {slug: list(t.related) for slug, t in tools.items()}
    for slug, tool in tools.items():
        for target in tool.related:
            if slug not in tools[target].related:
                problems.append(
                    Problem(
                        Severity.INFO,
                        tool.file,
                        "seeOther",
                        f"{tools[target].title!r} does not list {tool.title!r} back; the app shows the link both ways",
                    )
                )
                if slug not in links[target]:
                    links[target].append(slug)
    return {slug: tuple(sorted(rel, key=lambda s: tools[s].title.lower())) for slug, rel in links.items()}


def resolve_builds_on(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, Tool]:
    """Drop `buildsOn` entries naming no tool or the tool itself, then any entry that
    closes a cycle (errors name the slug or the whole cycle, `a -> b -> a`)."""
    titles = {t.title.lower(): slug for slug, t in tools.items()}
    edges: dict[str, list[BuildsOn]] = {}
    for slug, tool in tools.items():
        page = ProblemSink(tool.file, problems)
        kept: list[BuildsOn] = []
        for entry in tool.builds_on:
            if entry.slug == slug:
                page.add(Severity.ERROR, "buildsOn", f"{slug!r} cannot build on itself; dropped")
            elif entry.slug not in tools:
                hint = titles.get(entry.slug)
                extra = meant(hint) if hint else did_you_mean(entry.slug, tools)
                page.add(Severity.ERROR, "buildsOn", f"unknown tool {entry.slug!r}{extra}; dropped")
            else:
                kept.append(entry)
        edges[slug] = kept

    # Depth-first search in slug order: an edge back to a tool on the current path closes
    # a cycle; it is dropped and named on the file of the tool that lists it.
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for start in sorted(edges):
        if state.get(start):
            continue
        path = [start]
        todo = [iter(list(edges[start]))]
        state[start] = 1
        while todo:
            step = next(todo[-1], None)
            if step is None:
                state[path.pop()] = 2
                todo.pop()
                continue
            here, target = path[-1], step.slug
            if state.get(target) == 1:
                cycle = " -> ".join([*path[path.index(target) :], target])
                edges[here] = [e for e in edges[here] if e.slug != target]
                problems.append(
                    Problem(
                        Severity.ERROR,
                        tools[here].file,
                        "buildsOn",
                        cap_message(f"cycle {cycle}: no tool can come first; the entry {target!r} is dropped"),
                    )
                )
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                todo.append(iter(list(edges[target])))
    return {
        slug: tool if tuple(edges[slug]) == tool.builds_on else replace(tool, builds_on=tuple(edges[slug]))
        for slug, tool in tools.items()
    }
