"""Coverage: for a set of tools, which tags and goals each covers, counts, gaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Catalog
from .taxonomy import FOCUS_AREAS, PRINCIPLES


@dataclass(frozen=True)
class CoverageRow:
    dimension: str  # "Focus area" | "Principle" | "Goal"
    key: str  # the tag or goal id
    label: str
    count: int
    tools: tuple[str, ...]  # slugs
    selected: bool  # the user chose it


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    cells: tuple[tuple[str, str, str], ...]  # (slug, dimension, label) where covered

    @property
    def gaps(self) -> tuple[CoverageRow, ...]:
        """Chosen by the user, covered by none of the tools."""
        return tuple(r for r in self.rows if r.selected and r.count == 0)

    @property
    def uncovered(self) -> tuple[CoverageRow, ...]:
        return tuple(r for r in self.rows if r.count == 0)


def coverage(
    catalog: Catalog,
    slugs: Sequence[str],
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    goals: Iterable[str] = (),
) -> Coverage:
    """Every focus area and principle (and each chosen goal) against the tools."""
    tools = [catalog.tools[s] for s in slugs if s in catalog.tools]
    focus, principles, goals = set(focus), set(principles), list(goals)
    rows: list[CoverageRow] = []
    cells: list[tuple[str, str, str]] = []
    for dim, keys, chosen, attr in (
        ("Focus area", FOCUS_AREAS, focus, "focus_areas"),
        ("Principle", PRINCIPLES, principles, "principles"),
    ):
        for key in keys:
            having = tuple(t.slug for t in tools if key in getattr(t, attr))
            rows.append(CoverageRow(dim, key, key, len(having), having, key in chosen))
            cells += [(s, dim, key) for s in having]
    for gid in goals:
        having = tuple(t.slug for t in tools if gid in t.goals)
        label = catalog.goal_name(gid)
        rows.append(CoverageRow("Goal", gid, label, len(having), having, True))
        cells += [(s, "Goal", label) for s in having]
    return Coverage(tuple(rows), tuple(cells))


def coverage_sentence(cov: Coverage, n_tools: int) -> str:
    """One line a planner reads at a glance."""
    tags = [r for r in cov.rows if r.dimension != "Goal"]
    covered = [r for r in tags if r.count]
    goal_rows = [r for r in cov.rows if r.dimension == "Goal"]
    parts = [f"These {n_tools} tools cover {len(covered)} of {len(tags)} focus areas and principles"]
    if goal_rows:
        parts.append(f"and {sum(1 for r in goal_rows if r.count)} of your {len(goal_rows)} goals")
    text = " ".join(parts) + "."
    if cov.gaps:
        text += " Not covered: " + ", ".join(r.label for r in cov.gaps) + "."
    elif any(r.selected for r in cov.rows):
        text += " Everything you chose is covered."
    return text
