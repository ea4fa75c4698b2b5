"""What a town tells the app: its goals and their importance, focus areas, principles,
a room's votes and one value (or a set) for each kind of constraint in `REGISTRY`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .about import clean_about
from .constraints import REGISTRY
from .taxonomy import Importance


def importance(value: int) -> Importance:
    """A goal's importance, 1 to 3 (a number outside is taken to the nearest end)."""
    return Importance(min(Importance.ESSENTIAL, max(Importance.NICE_TO_HAVE, int(value))))


class Profile:
    """What a user tells the app. Every part is optional.

    Goals (id -> importance 1-3), focus areas, principles, a room's votes and what
    the town says of itself (`about`, a sentence: `logic.about`),
    plus one value (or, for a multi kind such as the challenges faced, a set of
    values) for each kind of constraint in `REGISTRY`, by its name:
    `Profile(goals={"walk-bike": 3}, budget="low", face={"upfront-funding"})`.
    `profile.budget` reads a constraint (None when unset); `faces` is the
    challenges faced (the `face` kind).
    """

    __slots__ = ("goals", "focus", "principles", "votes", "about", "_limits")
    goals: dict[str, Importance]
    focus: frozenset[str]
    principles: frozenset[str]
    votes: dict[str, int]
    about: str
    _limits: dict[str, str | frozenset[str]]

    def __init__(
        self,
        goals: Mapping[str, int] | None = None,
        focus: Iterable[str] = (),
        principles: Iterable[str] = (),
        votes: Mapping[str, int] | None = None,
        faces: Iterable[str] | None = None,
        about: str = "",
        **constraints: str | Iterable[str] | None,
    ) -> None:
        object.__setattr__(self, "goals", {g: importance(v) for g, v in (goals or {}).items()})
        object.__setattr__(self, "focus", frozenset(focus))
        object.__setattr__(self, "principles", frozenset(principles))
        object.__setattr__(self, "votes", dict(votes or {}))
        object.__setattr__(self, "about", clean_about(about))
        if faces is not None:
            constraints["face"] = faces
        limits: dict[str, str | frozenset[str]] = {}
        for name, value in constraints.items():
            if name not in REGISTRY:
                raise TypeError(f"unknown constraint {name!r}; known: {', '.join(REGISTRY.names())}")
            if REGISTRY[name].multi:
                values = frozenset([value] if isinstance(value, str) else (value or ()))
                if values:
                    limits[name] = values
            elif value:
                limits[name] = str(value) if not isinstance(value, str) else value
        object.__setattr__(self, "_limits", limits)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Profile is immutable; use .replace(...)")

    def __getattr__(self, name: str) -> Any:  # a constraint's value, as `get` gives it
        if name == "faces":
            return self._limits.get("face", frozenset())
        if name in REGISTRY:
            return self._limits.get(name, frozenset() if REGISTRY[name].multi else None)
        raise AttributeError(name)

    def value(self, name: str) -> str | None:
        """A single-valued kind's value (budget, staff, ...), or None when not given."""
        if REGISTRY[name].multi:
            raise TypeError(f"{name!r} takes several values; use values({name!r})")
        found = self._limits.get(name)
        return found if isinstance(found, str) else None

    def values(self, name: str) -> frozenset[str]:
        """A multi kind's values (the challenges faced, the tools in place), empty when none."""
        if not REGISTRY[name].multi:
            raise TypeError(f"{name!r} takes one value; use value({name!r})")
        found = self._limits.get(name)
        return found if isinstance(found, frozenset) else frozenset()

    def get(self, name: str) -> str | frozenset[str] | None:
        """One constraint's value: a string, a set (multi kinds), or None/empty.
        Typed code reads `value` (one value) or `values` (a multi kind) instead."""
        return self.__getattr__(name)

    def _key(self) -> tuple:
        return (
            tuple(sorted(self.goals.items())),
            self.focus,
            self.principles,
            tuple(sorted(self.votes.items())),
            tuple(sorted(self._limits.items())),
            self.about,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Profile) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        parts = [f"goals={self.goals!r}"]
        parts += [f"{k}={set(v) if isinstance(v, frozenset) else v!r}" for k, v in self._limits.items()]
        if self.focus:
            parts.append(f"focus={set(self.focus)!r}")
        if self.principles:
            parts.append(f"principles={set(self.principles)!r}")
        if self.votes:
            parts.append(f"votes={self.votes!r}")
        if self.about:
            parts.append(f"about={self.about!r}")
        return f"Profile({', '.join(parts)})"

    def replace(self, **changes: object) -> Profile:
        """A copy with some parts changed (a constraint set to None clears it)."""
        args: dict[str, object] = {
            "goals": self.goals,
            "focus": self.focus,
            "principles": self.principles,
            "votes": self.votes,
            "about": self.about,
            **self._limits,
        }
        if "faces" in changes:
            changes["face"] = changes.pop("faces")
        args.update(changes)
        return Profile(**args)  # type: ignore[arg-type]

    @property
    def asks_for_something(self) -> bool:
        return bool(self.goals or self.focus or self.principles)

    def constraints(self) -> list[tuple[str, str]]:
        """(kind, value) for every constraint set, in the registry's order."""
        out: list[tuple[str, str]] = []
        for kind in REGISTRY:
            value = self._limits.get(kind.name)
            if isinstance(value, frozenset):
                out += [(kind.name, v) for v in sorted(value)]
            elif value:
                out.append((kind.name, value))
        return out

    def relax(self, kind: str, value: str) -> Profile:
        """The same profile without one constraint."""
        current = self._limits.get(kind)
        if isinstance(current, frozenset):
            return self.replace(**{kind: current - {value}})
        return self.replace(**{kind: None})
