"""Load and validate a content folder.

The loader never raises on bad content: every problem becomes a `Problem`
(severity, file, field, message), a broken page is skipped or repaired (bad
values dropped), and every good page still loads.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..about import cue_form
from ..model import MAX_GO_TO, Catalog, Challenge, Goal, Problem, Tool, gc_paused
from ..taxonomy import Severity
from .fields import MAX_MESSAGE_CHARS, cap_message, did_you_mean
from .files import default_content_dir, sorted_glob
from .links import relate_both_ways, resolve_builds_on, resolve_related
from .lists import load_catalog_info, load_challenges, load_goals, load_indicators
from .tool_page import parse_tool

MAX_PROBLEMS_PER_FILE = 50  # then one line says how many more


PARALLEL_FROM = 2000  # tool pages; below this one process is faster than starting workers


def _parse_chunk(
    args: tuple[list[Path], dict[str, Goal], dict[str, Challenge]],
) -> list[tuple[Tool | None, list[Problem]]]:
    """Parse some tool pages (in a worker process): each page's tool and its problems."""
    paths, goals, challenges = args
    out = []
    for path in paths:
        problems: list[Problem] = []
        out.append((parse_tool(path, f"tools/{path.name}", problems, goals, challenges), problems))
    return out


def _parse_pages(
    paths: list[Path], problems: list[Problem], goals: dict[str, Goal], challenges: dict[str, Challenge], workers: int
) -> list[Tool | None]:
    """Every tool page parsed, in order; with `workers` > 1 and a large catalog, in
    that many processes (PyYAML builds Python objects, so threads would not help)."""
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        return [parse_tool(path, f"tools/{path.name}", problems, goals, challenges) for path in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [(paths[i : i + size], goals, challenges) for i in range(0, len(paths), size)]
    # this process parses the first chunk itself while the workers parse the rest: one
    # process fewer to start, and a share of the tools never pickled back
    with ProcessPoolExecutor(max(1, len(chunks) - 1), mp_context=multiprocessing.get_context("fork")) as pool:
        rest = pool.map(_parse_chunk, chunks[1:])
        results = _parse_chunk(chunks[0])
        results += [pair for chunk in rest for pair in chunk]
    for _, found in results:
        problems.extend(found)
    return [tool for tool, _ in results]


def load_catalog(content_dir: str | os.PathLike[str] | None = None, workers: int = 1) -> Catalog:
    """Load every content file; never raises on bad content.

    `workers` > 1 parses a large catalog's pages in that many processes (the
    command line does; the app, a threaded server, loads in its own process).
    The cyclic garbage collector is paused while the catalog is built: the load
    makes hundreds of thousands of objects that all stay alive, and collecting
    them on the way costs about a quarter of the time."""
    with gc_paused():
        return _load_catalog(content_dir, workers)


def _load_catalog(content_dir: str | os.PathLike[str] | None, workers: int) -> Catalog:
    root = Path(content_dir) if content_dir is not None else default_content_dir()
    problems: list[Problem] = []
    catalog = Catalog(problems=problems)
    if not root.is_dir():
        problems.append(Problem(Severity.ERROR, str(root), "folder", "content folder not found"))
        return catalog
    catalog.goals = load_goals(root, problems)
    catalog.challenges = load_challenges(root, problems)
    catalog.indicators = load_indicators(root, problems)
    catalog.version, catalog.date, catalog.not_cues = load_catalog_info(root, problems)
    catalog.root = str(root)  # the fingerprint is made from it when first asked for

    tool_dir = root / "tools"
    paths = sorted_glob(tool_dir, "*.md") if tool_dir.is_dir() else []
    if not paths:
        problems.append(Problem(Severity.ERROR, "tools/", "folder", "no tool pages (*.md) found"))
    parsed = _parse_pages(paths, problems, catalog.goals, catalog.challenges, workers)
    tools = _one_page_a_slug([t for t in parsed if t is not None], problems)
    _check_indicators(tools, catalog.indicators, problems)
    _check_not_cues(tools, catalog.not_cues, problems)
    _check_every_goal_has_a_tool_made_for_it(tools, catalog.goals, problems)
    catalog.goals = _checked_go_to(tools, catalog.goals, problems)
    tools = resolve_related(tools, problems)
    tools = resolve_builds_on(tools, problems)
    _check_enablers(tools, catalog.challenges, problems)
    catalog.tools = dict(sorted(tools.items(), key=lambda kv: kv[1].title.lower()))
    catalog.related_both_ways = relate_both_ways(catalog.tools, problems)
    order = list(Severity)  # errors first, then warnings, then infos
    problems.sort(key=lambda p: (order.index(p.severity), p.file, p.field))
    problems[:] = _bounded(problems)
    return catalog


def _one_page_a_slug(parsed: list[Tool], problems: list[Problem]) -> dict[str, Tool]:
    """The tools by slug. A slug belongs to the file named after it, else to the file that
    sorts first, so a new file cannot take over an existing page by declaring its slug."""
    tools: dict[str, Tool] = {}
    by_title: dict[str, Tool] = {}
    for tool in sorted(parsed, key=lambda t: (not _named_after_slug(t), t.file)):
        if tool.slug in tools:
            keeper = tools[tool.slug]
            why = "its file name is the slug" if _named_after_slug(keeper) else "its file name sorts first"
            problems.append(
                Problem(
                    Severity.ERROR,
                    tool.file,
                    "slug",
                    f"duplicate slug {tool.slug!r}: {keeper.file} keeps it ({why}); this page is skipped",
                )
            )
            continue
        if tool.title in by_title:
            problems.append(Problem(Severity.WARNING, tool.file, "title", f"same title as {by_title[tool.title].file}"))
        tools[tool.slug] = tool
        by_title.setdefault(tool.title, tool)
    return tools


def _check_indicators(tools: dict[str, Tool], indicators: dict[str, str], problems: list[Problem]) -> None:
    """An indicator a page tracks that indicators.yaml does not list (shown without a link)."""
    if not indicators:
        return
    for tool in tools.values():
        for ind in tool.indicators:
            if ind not in indicators:
                extra = did_you_mean(ind, indicators, cutoff=0.8)
                problems.append(
                    Problem(
                        Severity.WARNING,
                        tool.file,
                        "trackingProgressLinks",
                        f"unknown indicator {ind!r}{extra}; shown without a link",
                    )
                )


def _check_not_cues(tools: dict[str, Tool], not_cues: tuple[str, ...], problems: list[Problem]) -> None:
    """catalog.yaml's `notCues`: each should be longer than a tool's cue that starts it (else it
    stops nothing) and no tool's cue itself (a cue is read where it is written)."""
    cues = {cue_form(cue): tool.file for tool in tools.values() for cue in tool.cues}
    for word in not_cues:
        form = cue_form(word)
        if form in cues:
            message = f"{word!r} is a cue of {cues[form]}; that page's cue is read"
        elif not any(form.startswith(cue) for cue in cues):
            message = f"{word!r} starts with no tool's cue, so it stops nothing"
        else:
            continue
        problems.append(Problem(Severity.WARNING, "catalog.yaml", "notCues", message))


def _check_every_goal_has_a_tool_made_for_it(
    tools: dict[str, Tool], goals: dict[str, Goal], problems: list[Problem]
) -> None:
    if not tools:
        return
    for gid, goal in goals.items():
        if not any(t.strength(gid) == 3 for t in tools.values()):
            problems.append(
                Problem(Severity.WARNING, "goals.yaml", gid, "no tool is graded 3 (made for it) for this goal")
            )
        where = f"{gid}.exemplar"
        if not goal.exemplar:
            problems.append(
                Problem(
                    Severity.WARNING, "goals.yaml", where, "missing: name the tool a planner would name first for it"
                )
            )
        elif goal.exemplar not in tools:
            hint = did_you_mean(goal.exemplar, list(tools))
            problems.append(Problem(Severity.ERROR, "goals.yaml", where, f"{goal.exemplar!r} is not a tool{hint}"))
        elif tools[goal.exemplar].strength(gid) != 3:
            problems.append(
                Problem(
                    Severity.WARNING, "goals.yaml", where, f"{goal.exemplar!r} is not graded 3 (made for it) for {gid}"
                )
            )


def _checked_go_to(tools: dict[str, Tool], goals: dict[str, Goal], problems: list[Problem]) -> dict[str, Goal]:
    """The goals with only the go-to tools that count: a tool in the catalog, graded 2 or 3 for
    the goal, the first `MAX_GO_TO`. Each one left out is a warning by goal and field."""
    if not tools:
        return goals
    out = {}
    for gid, goal in goals.items():
        kept: list[str] = []
        for slug in goal.go_to:
            if slug not in tools:
                message = f"{slug!r} is not a tool{did_you_mean(slug, list(tools))}; not used"
            elif tools[slug].strength(gid) < 2:
                message = (
                    f"{slug!r} is graded {tools[slug].strength(gid)} for {gid}; a go-to tool serves it "
                    "well (2 or 3); not used"
                )
            elif len(kept) == MAX_GO_TO:
                message = f"{slug!r} is past the first {MAX_GO_TO}; not used (list the few planners reach for first)"
            else:
                kept.append(slug)
                continue
            problems.append(Problem(Severity.WARNING, "goals.yaml", f"{gid}.goTo", cap_message(message)))
        out[gid] = replace(goal, go_to=tuple(kept))
    return out


def _check_enablers(tools: dict[str, Tool], challenges: dict[str, Challenge], problems: list[Problem]) -> None:
    """challenges.yaml's enabling tools exist, and none is itself flagged with the challenge."""
    for cid, ch in challenges.items():
        for slug in ch.enablers:
            if slug not in tools:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        "challenges.yaml",
                        f"{cid}.enablers",
                        f"enabling tool {slug!r} is not in the catalog",
                    )
                )
            elif cid in tools[slug].challenge_ids:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        tools[slug].file,
                        f"challenges.{cid}",
                        f"challenges.yaml names this tool as a way around {cid!r} (a town facing it sees the tool "
                        "raised, never penalised); take the entry out",
                    )
                )


def _named_after_slug(tool: Tool) -> bool:
    return Path(tool.file).stem.lower() == tool.slug


def _bounded(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems a file (errors first), each message
    at most MAX_MESSAGE_CHARS and each field 100, so one broken file cannot flood
    the app or the terminal."""
    counts: dict[str, int] = {}
    out: list[Problem] = []
    for p in problems:
        counts[p.file] = counts.get(p.file, 0) + 1
        if counts[p.file] <= MAX_PROBLEMS_PER_FILE:
            if len(p.message) > MAX_MESSAGE_CHARS or len(p.field) > 100:
                p = replace(p, field=p.field[:100], message=cap_message(p.message))
            out.append(p)
    for file, n in counts.items():
        if n > MAX_PROBLEMS_PER_FILE:
            out.append(Problem(Severity.INFO, file, "file", f"{n - MAX_PROBLEMS_PER_FILE} more problems not shown"))
    return out
