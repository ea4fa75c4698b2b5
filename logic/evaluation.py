"""How well the ranking agrees with planners: NDCG@k against graded scenarios.

A scenario file (`eval/scenarios.yaml`) holds towns as a planner would write
them: goals with importance, the state, setting, budget, staff, horizon, the
challenges faced, the tools in place, and grades 0-3 for the tools a planner
would (or would not) want in the town's top places. `evaluate` ranks each
town with the app's own rules and scores the top k against the grades:
DCG = sum over places i of (2^grade - 1) / log2(i + 1), divided by the DCG of
the grades in their best order. 1.0: the planner's order; ungraded tools
count as 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Catalog
from .rules import Profile, recommend
from .scenario import Scenario

# the profile keys a scenario may carry beside its grades (the registry's kinds, by name)
_TEXT_KEYS = ("id", "town", "why")


class ScenarioFileError(ValueError):
    """The scenarios file cannot be used: the message names the scenario and the field."""


@dataclass(frozen=True)
class GradedScenario:
    id: str
    town: str
    profile: Profile
    grades: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    id: str
    ndcg: float
    top: tuple[str, ...]  # the app's top k, slugs
    grades: tuple[int, ...]  # the planner's grade of each

    def as_dict(self) -> dict:
        return {"id": self.id, "ndcg": round(self.ndcg, 4), "top": list(self.top), "grades": list(self.grades)}


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 6) -> float:
    """NDCG@k of a ranked list of slugs against graded slugs (ungraded: 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 1.0
    return dcg([grades.get(s, 0) for s in ranked[:k]]) / ideal


def load_scenarios(path: Path, catalog: Catalog) -> list[GradedScenario]:
    """The scenarios of a file, checked against the catalog (a bad id names the scenario)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioFileError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, list):
        raise ScenarioFileError(f"{path}: must be a list of scenarios")
    out: list[GradedScenario] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ScenarioFileError(f"{path}: scenario {i + 1} has no id")
        sid = item["id"]
        grades = item.get("grades") or {}
        if not isinstance(grades, dict):
            raise ScenarioFileError(f"{sid}.grades: must map tool slugs to 0-3")
        for slug, grade in grades.items():
            if slug not in catalog.tools:
                raise ScenarioFileError(f"{sid}.grades: {slug!r} is not a tool")
            if grade not in (0, 1, 2, 3):
                raise ScenarioFileError(f"{sid}.grades.{slug}: {grade!r} is not 0-3")
        params: dict[str, object] = {k: v for k, v in item.items() if k not in (*_TEXT_KEYS, "grades", "goals")}
        goals = item.get("goals") or {}
        if not isinstance(goals, dict):
            raise ScenarioFileError(f"{sid}.goals: must map goal ids to an importance 1-3")
        params["goal"] = [f"{g}:{imp}" for g, imp in goals.items()]
        scenario = Scenario.from_query(params, catalog)  # the address's reading: every registered kind
        if scenario.notes:
            raise ScenarioFileError(f"{sid}: {' '.join(scenario.notes)}")
        out.append(GradedScenario(sid, str(item.get("town", "")), scenario.profile, dict(grades)))
    return out


def evaluate(catalog: Catalog, scenarios: Sequence[GradedScenario], k: int = 6) -> list[Result]:
    """Each scenario's NDCG@k of the app's order."""
    results = []
    for sc in scenarios:
        top = tuple(r.slug for r in recommend(catalog, sc.profile, top=k) if r.recommended)
        results.append(Result(sc.id, ndcg(top, sc.grades, k), top, tuple(sc.grades.get(s, 0) for s in top)))
    return results
