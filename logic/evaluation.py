"""How well the ranking agrees with planners: NDCG@k against graded scenarios.

A scenario file (`eval/scenarios.yaml`) holds towns as a planner would write
them: goals with importance, the state, setting, budget, staff, horizon, the
challenges faced, the tools in place, and grades 0-3 for the tools a planner
would (or would not) want in the town's top places. `evaluate` ranks each
town with the app's own rules and scores the top k against the grades:
DCG = sum over places i of (2^grade - 1) / log2(i + 1), divided by the DCG of
the grades in their best order. 1.0: the planner's order; ungraded tools
count as 0.

A scenario may carry a second planner's grades, made blind (`second_grades`):
the app is then scored against each grading, a town's NDCG is their mean, and
`agreement` says how far the two planners agree with each other (each
planner's ideal order scored against the other's grades, averaged): the
ceiling an order can expect on that town.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .about import clean_about
from .content.fields import did_you_mean, meant
from .content.links import NameResolver
from .model import Catalog
from .profile import Profile
from .rules import recommend
from .scenario import ABOUT_PARAM, Scenario, profile_param_names

# the profile keys a scenario may carry beside its grades (the registry's kinds, by name)
_TEXT_KEYS = ("id", "town", "why", "second_why")  # a planner's reasons: read by people, not the app
_GRADE_KEYS = ("grades", "second_grades")
GRADES = (0, 1, 2, 3)


class ScenarioFileError(ValueError):
    """The scenarios file cannot be used: the message names the scenario and the field."""


@dataclass(frozen=True)
class GradedScenario:
    id: str
    town: str
    profile: Profile
    grades: Mapping[str, int] = field(default_factory=dict)
    second_grades: Mapping[str, int] | None = None  # a second planner's, made blind

    @property
    def gradings(self) -> tuple[Mapping[str, int], ...]:
        return (self.grades,) if self.second_grades is None else (self.grades, self.second_grades)


@dataclass(frozen=True)
class Result:
    id: str
    ndcg: float  # the mean over the town's gradings
    top: tuple[str, ...]  # the app's top k, slugs
    grades: tuple[int, ...]  # the (first) planner's grade of each
    by_grading: tuple[float, ...] = ()  # NDCG against each grading, in the file's order
    agreement: float | None = None  # the two planners against each other (None: one grading)
    # the tools the planners grade MISSED_AT or more on average that the app's top k leaves out (`missed`)
    missed: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out = {"id": self.id, "ndcg": round(self.ndcg, 4), "top": list(self.top), "grades": list(self.grades)}
        out["missed"] = list(self.missed)
        if len(self.by_grading) > 1:
            out["byGrading"] = [round(x, 4) for x in self.by_grading]
            out["agreement"] = round(self.agreement or 0.0, 4)
        return out


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 6) -> float:
    """NDCG@k of a ranked list of slugs against graded slugs (ungraded: 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 1.0
    return dcg([grades.get(s, 0) for s in ranked[:k]]) / ideal


def ideal_order(grades: Mapping[str, int]) -> list[str]:
    """A planner's own order: the highest grades first (equal grades by slug)."""
    return sorted(grades, key=lambda s: (-grades[s], s))


def agreement(a: Mapping[str, int], b: Mapping[str, int], k: int = 6) -> float:
    """How far two planners agree: each one's ideal order scored against the other's grades, averaged."""
    return (ndcg(ideal_order(a), b, k) + ndcg(ideal_order(b), a, k)) / 2


def _grades(where: str, grades: object, resolver: NameResolver) -> tuple[dict[str, int], list[str]]:
    """A planner's grades by slug, and what is wrong with them. A tool may be named by its slug
    or its title, as the toolbox writes it ("Floodplain Ordinances"); a name that is neither is
    a problem, with the tool it is closest to."""
    if not isinstance(grades, dict):
        return {}, [f"{where}: must map tools (slugs or titles) to a grade 0-3"]
    out: dict[str, int] = {}
    problems: list[str] = []
    for name, grade in grades.items():
        slug, how = resolver.resolve(str(name))
        if slug is None or how == "close":
            hint = meant(slug) if slug else ""
            problems.append(f"{where}: {name!r} is not a tool{hint}")
        elif slug in out:
            problems.append(f"{where}: {name!r} grades {slug!r} a second time")
        elif type(grade) is not int or grade not in GRADES:
            problems.append(f"{where}.{name}: {grade!r} is not a grade 0-3")
        else:
            out[slug] = grade
    return out, problems


@dataclass(frozen=True)
class ScenarioFile:
    """A scenarios file as read: the towns that can be scored, the problems that left the others
    out, and notes on keys that are not read (each names the town and the field)."""

    scenarios: list[GradedScenario]
    problems: list[str]
    notes: list[str]


def read_scenarios(path: Path, catalog: Catalog, described: bool = True) -> ScenarioFile:
    """The usable scenarios of a file, and what is wrong with the others, each problem naming
    its scenario (by id, else by place) and field: a town with a problem is left out, and every
    other town is still read. A key that is not a scenario's is noted (with the key meant when
    one is close) and the town still scored: a planner's own `notes:` loses nothing. Each town
    is described as a planner would type it into /find: its `about:`, else its `town:` sentence
    (`described=False`: neither, the profile alone). A file that cannot be read, or holds no
    list of towns, raises ScenarioFileError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioFileError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, list):
        raise ScenarioFileError(f"{path}: must be a list of scenarios (each one starts with '- id: ...')")
    resolver = NameResolver(catalog.tools.values())
    out: list[GradedScenario] = []
    problems: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    profile_keys = set(profile_param_names()) - {"goal"}  # goals come as a map under "goals"
    keys = sorted({*_TEXT_KEYS, *_GRADE_KEYS, *profile_keys, "goals"})
    for i, item in enumerate(data):
        sid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(sid, str) or not sid.strip():
            problems.append(f"scenario {i + 1}: has no id")
            continue
        if sid in seen:
            problems.append(f"{sid} (scenario {i + 1}): the id is used by an earlier scenario")
            continue
        seen.add(sid)
        grades, wrong = _grades(f"{sid}.grades", item.get("grades") or {}, resolver)
        second = item.get("second_grades")
        second_grades = None
        if second is not None:
            second_grades, more = _grades(f"{sid}.second_grades", second, resolver)
            wrong += more
        params: dict[str, object] = {k: v for k, v in item.items() if k in profile_keys}
        for key in sorted(map(str, item.keys() - set(keys))):  # a misspelt key would drop its value without a word
            notes.append(
                f"{sid}.{key}: not a scenario key, so not read{did_you_mean(key, keys)}; valid: {', '.join(keys)}"
            )
        goals = item.get("goals") or {}
        if not isinstance(goals, dict):
            wrong.append(f"{sid}.goals: must map goal ids to an importance 1-3")
            goals = {}
        params["goal"] = [f"{g}:{imp}" for g, imp in goals.items()]
        params.pop(ABOUT_PARAM, None)
        if described:
            params[ABOUT_PARAM] = clean_about(item.get(ABOUT_PARAM) or item.get("town"))  # a long story: its start
        scenario = Scenario.from_query(params, catalog)  # the address's reading: every registered kind
        wrong += [f"{sid}: {_as_problem(note)}" for note in scenario.notes]
        for key, grading in (("grades", grades), ("second_grades", second_grades)):
            if grading is not None and not wrong and not any(grading.values()):
                wrong.append(f"{sid}.{key}: no tool graded above 0, so there is nothing to score the order against")
        if wrong:
            problems += wrong
            continue
        out.append(GradedScenario(sid, str(item.get("town", "")), scenario.profile, grades, second_grades))
    return ScenarioFile(out, problems, notes)


def _as_problem(note: str) -> str:
    """An address note read as a scenario file's problem: the address's "Ignored X in the
    address: ..." says the page went on without X, but a town with a problem is left out, so
    it reads "cannot read X: ..." (the note's own words otherwise)."""
    note = note.replace(" in the address", "")
    return "cannot read " + note.removeprefix("Ignored ") if note.startswith("Ignored ") else note


def load_scenarios(path: Path, catalog: Catalog, described: bool = True) -> list[GradedScenario]:
    """`read_scenarios`, all or nothing: any problem or note raises ScenarioFileError naming
    every one (the repository's own sets must read whole)."""
    read = read_scenarios(path, catalog, described)
    if read.problems or read.notes:
        raise ScenarioFileError("; ".join(read.problems + read.notes))
    return read.scenarios


MISSED_AT = 2  # a tool the planners grade this high on average is one they want near the top


def mean_grade(scenario: GradedScenario, slug: str) -> float:
    """The planners' grade of a tool for the town, averaged over their gradings (ungraded: 0)."""
    return sum(g.get(slug, 0) for g in scenario.gradings) / len(scenario.gradings)


def missed(scenario: GradedScenario, top: Sequence[str]) -> tuple[str, ...]:
    """The tools the planners grade MISSED_AT or more on average that are not in `top`, the
    highest graded first (equal grades by slug): what a reader of the app's list looks for and
    does not find."""
    graded = {s for g in scenario.gradings for s in g}
    wanted = [s for s in graded if s not in top and mean_grade(scenario, s) >= MISSED_AT]
    return tuple(sorted(wanted, key=lambda s: (-mean_grade(scenario, s), s)))


def evaluate(catalog: Catalog, scenarios: Sequence[GradedScenario], k: int = 6) -> list[Result]:
    """Each scenario's NDCG@k of the app's order, and what its top k leaves out."""
    results = []
    for sc in scenarios:
        top = tuple(r.slug for r in recommend(catalog, sc.profile, top=k) if r.recommended)
        each = tuple(ndcg(top, g, k) for g in sc.gradings)
        agree = agreement(sc.grades, sc.second_grades, k) if sc.second_grades is not None else None
        first = tuple(sc.grades.get(s, 0) for s in top)
        results.append(Result(sc.id, sum(each) / len(each), top, first, each, agree, missed(sc, top)))
    return results
