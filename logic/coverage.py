"""Coverage: for a set of tools, which tags and goals each covers, counts, gaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Catalog
from .taxonomy import FOCUS_AREAS, PRINCIPLES
from .text import join_words


@dataclass(frozen=True)
class CoverageRow:
    dimension: str  # "Focus area" | "Principle" | "Goal"
    key: str  # the tag or goal id
    label: str
    count: int
    tools: tuple[str, ...]  # slugs
    selected: bool  # the user chose it
    in_place: tuple[str, ...] = ()  # tools the town already has that cover it

    @property
    def covered(self) -> bool:
        return bool(self.count or self.in_place)


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    cells: tuple[tuple[str, str, str], ...]  # (slug, dimension, label) where covered

    @property
    def gaps(self) -> tuple[CoverageRow, ...]:
        """Chosen by the user, covered by none of the tools (nor by what is in place)."""
        return tuple(r for r in self.rows if r.selected and not r.covered)

    @property
    def uncovered(self) -> tuple[CoverageRow, ...]:
        return tuple(r for r in self.rows if not r.covered)


def coverage(
    catalog: Catalog,
    slugs: Sequence[str],
    focus: Iterable[str] = (),
    principles: Iterable[str] = (),
    goals: Iterable[str] = (),
    in_place: Sequence[str] = (),
) -> Coverage:
    """Every focus area and principle (and each chosen goal) against the tools
    proposed (`slugs`) and those the town already has (`in_place`, shown apart)."""
    tools = [catalog.tools[s] for s in slugs if s in catalog.tools and s not in in_place]
    placed = [catalog.tools[s] for s in in_place if s in catalog.tools]
    focus, principles, goals = set(focus), set(principles), list(goals)
    rows: list[CoverageRow] = []
    cells: list[tuple[str, str, str]] = []
    for dim, keys, chosen, attr in (
        ("Focus area", FOCUS_AREAS, focus, "focus_areas"),
        ("Principle", PRINCIPLES, principles, "principles"),
    ):
        for key in keys:
            having = tuple(t.slug for t in tools if key in getattr(t, attr))
            there = tuple(t.slug for t in placed if key in getattr(t, attr))
            rows.append(CoverageRow(dim, key, key, len(having), having, key in chosen, there))
            cells += [(s, dim, key) for s in having + there]
    for gid in goals:
        having = tuple(t.slug for t in tools if gid in t.goals)
        there = tuple(t.slug for t in placed if gid in t.goals)
        label = catalog.goal_name(gid)
        rows.append(CoverageRow("Goal", gid, label, len(having), having, True, there))
        cells += [(s, "Goal", label) for s in having + there]
    return Coverage(tuple(rows), tuple(cells))


def _goals_served(served: int, goals: int) -> str:
    """ "your goal", "both your goals", "all 3 of your goals", "2 of your 3 goals", "none of your goals"."""
    if served == goals:
        return "your goal" if goals == 1 else "both your goals" if goals == 2 else f"all {goals} of your goals"
    if served == 0:
        return "none of your goals" if goals > 1 else "not your goal"
    return f"{served} of your {goals} goals"


def coverage_sentence(cov: Coverage, n_tools: int) -> str:
    """One line a planner reads at a glance."""
    tags = [r for r in cov.rows if r.dimension != "Goal"]
    covered = [r for r in tags if r.count]
    goal_rows = [r for r in cov.rows if r.dimension == "Goal"]
    lead = "This tool covers" if n_tools == 1 else f"These {n_tools} tools cover"
    parts = [f"{lead} {len(covered)} of {len(tags)} focus areas and principles"]
    if goal_rows:
        parts.append("and " + _goals_served(sum(1 for r in goal_rows if r.count), len(goal_rows)))
    text = " ".join(parts) + "."
    placed_goals = [r.label for r in goal_rows if r.in_place]
    if placed_goals:
        text += " Already served by tools in place: " + ", ".join(placed_goals) + "."
    if cov.gaps:
        text += " Not covered: " + ", ".join(r.label for r in cov.gaps) + "."
    elif any(r.selected for r in cov.rows):
        text += " Everything you chose is covered."
    return text


def tags_headline(cov: Coverage) -> str:
    """The line over the focus-area and principle chart. What the town chose, and
    whether it is covered; with nothing chosen, only what the top tools touch, as
    context: no "not covered" for areas nobody asked about."""
    tags = [r for r in cov.rows if r.dimension != "Goal"]
    chosen = [r for r in tags if r.selected]
    if chosen:
        missing = [r.label for r in chosen if not r.covered]
        if missing:
            return f"Of what you chose, not covered by the top tools: {join_words(missing)}."
        return "Every focus area and principle you chose is covered."
    touched = [r.label for r in tags if r.count]
    if not touched:
        return "The top tools carry no focus area or principle."
    if len(touched) == len(tags):
        return "The top tools touch every focus area and principle."
    return f"The top tools touch {join_words(touched)}."
