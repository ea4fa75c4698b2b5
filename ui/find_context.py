"""What every part of /find reads and nobody changes during a run: the catalog, whether the
page is on the projector, the goals by group and each group's widget key, and how many
cards the results show first. The page makes one and passes it along (no module globals)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from logic.model import Catalog

# widgets of a hidden step (or a closed tab) keep their value while on this page
KEEP: Final[Literal["page"]] = "page"


@dataclass(frozen=True)
class FindContext:
    catalog: Catalog
    big: bool  # projector mode: a step a screen, larger type
    groups: Mapping[str, tuple[str, ...]]  # a goal group's name -> its goal ids, in the catalog's order
    group_keys: Mapping[str, str]  # a goal group's name -> its pills' widget key (from the group's id)

    @property
    def top_n(self) -> int:
        """The cards shown before "Show the other ...": fewer on the projector."""
        return 5 if self.big else 10

    @classmethod
    def build(cls, catalog: Catalog, big: bool) -> FindContext:
        groups: dict[str, list[str]] = {}
        for gid, goal in catalog.goals.items():
            groups.setdefault(goal.group, []).append(gid)
        keys = {g: f"find_goals_{catalog.goals[gids[0]].group_id}" for g, gids in groups.items()}  # ids, not text
        return cls(catalog, big, {g: tuple(gids) for g, gids in groups.items()}, keys)
