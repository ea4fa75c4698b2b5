"""What if: for each constraint a town set, which tools would enter or leave its top
list without it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .constraints import REGISTRY
from .model import Catalog
from .profile import Profile
from .rules import recommend
from .text import join_words

TOP_FOR_WHAT_IF = 10


def what_if_hint() -> str:
    """What the what-if view asks for when no constraint is set, naming the kinds it can relax."""
    kinds = [k.what for k in REGISTRY if k.what_if]
    return f"Set a constraint ({join_words(kinds, 'or')}) to see what relaxing it would change."


@dataclass(frozen=True)
class WhatIf:
    kind: str
    value: str
    label: str  # the condition: "With a bigger budget (yours is low)"
    entered: tuple[str, ...]
    left: tuple[str, ...]
    moved_up: tuple[str, ...]
    top: int = TOP_FOR_WHAT_IF

    def outcome(self, catalog: Catalog) -> str:
        """What the condition would change, to follow it: "the top 10 would be the same",
        "Parking Management would enter the top 10, and Buy Local Campaign would leave it"."""

        def names(slugs: Iterable[str]) -> str:
            return join_words([catalog.title(s) for s in slugs])

        top = f"the top {self.top}"
        parts = []
        if self.entered:
            parts.append(f"{names(self.entered)} would enter {top}")
        if self.left:
            parts.append(f"{names(self.left)} would leave {'it' if parts else top}")
        if parts:
            return ", and ".join(parts)
        if self.moved_up:
            return f"{top} would hold the same tools, with {names(self.moved_up[:3])} moving up"
        return f"{top} would be the same"

    def sentence(self, catalog: Catalog) -> str:
        """ "Without the limits of Pennsylvania law, the top 10 would be the same." """
        return f"{self.label}, {self.outcome(catalog)}."


def what_if(catalog: Catalog, profile: Profile, top: int = TOP_FOR_WHAT_IF) -> list[WhatIf]:
    """For each constraint set, which tools enter or leave the top `top` without it."""

    def top_slugs(p: Profile) -> list[str]:
        return [r.slug for r in recommend(catalog, p, top=top) if not r.excluded]

    base = top_slugs(profile)
    out = []
    for kind, value in profile.constraints():
        if not REGISTRY[kind].what_if:
            continue
        relaxed = top_slugs(profile.relax(kind, value))
        entered = tuple(s for s in relaxed if s not in base)
        left = tuple(s for s in base if s not in relaxed)
        moved = tuple(s for s in relaxed if s in base and relaxed.index(s) < base.index(s))
        out.append(WhatIf(kind, value, REGISTRY[kind].relax(value, catalog), entered, left, moved, top))
    return out
