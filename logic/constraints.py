"""The constraint registry: one declaration for each kind of constraint.

A constraint is something about the town that can stand in a tool's way: the
state's law, the setting, the budget, staff capacity, time horizon, the
challenges it faces. Each kind is declared once here, with

- its name (the profile key, the address parameter and the CLI option
  `--name`), its label and values (fixed, or read from the catalog);
- what it does to a tool (`assess`): nothing, points off with a sentence
  (a flag), or, for state law alone, exclusion;
- the challenge whose mitigations answer its flag (or its own mitigations);
- its "what if relaxed" label.

The rules, what-if, the address (logic/scenario.py), the command line, the
exports and the /find widgets all read `REGISTRY`; adding a kind is one
`register(...)` call. Tests register a made-up kind to prove it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .model import Catalog, Tool, Trait, declare_trait, forget_trait
from .taxonomy import (
    CHALLENGE_SEVERITY_SENTENCES,
    HORIZON_LABELS,
    HORIZON_SHORT_LABELS,
    HORIZONS,
    LEVEL_LABELS,
    LEVELS,
    SETTINGS,
    STATE_NAMES,
    STATES,
)
from .text import join_words

# Points off for what stands in the way, as a planner weighs it (README "How the ranking works").
LEVEL_PENALTY = 3  # each level the budget or staff capacity falls below the tool's cost or staff effort
HORIZON_PENALTY = 5  # each step the time horizon is shorter than the tool's time to results
SEVERITY_PENALTY: dict[int, int] = {1: 1, 2: 2, 3: 4}  # a challenge faced, by its severity for the tool
ADAPTATION_PENALTY = 12  # a setting the tool suits only with adaptation (grade 1)
LIMITED_LAW_PENALTY = 20  # state law enables only part of it
BUILDS_ON_BONUS = 6  # it builds on a tool the town has in place
WAY_AROUND_BONUS = 6  # it is itself a way around a challenge the town faces
BOOST_CAP = 6  # all that raises one tool, together


@dataclass(frozen=True)
class Hit:
    """What one constraint value does to one tool."""

    penalty: int = 0  # points off
    message: str = ""  # one sentence for the flag (or, with a boost, the reason)
    excludes: bool = False  # state law only: the tool is listed apart
    in_place: bool = False  # the town has it already: listed apart, its goals count as covered
    not_applicable: bool = False  # the setting: it sits below every tool that applies
    boost: int = 0  # points on: it builds on what the town has (a reason, not a flag)
    title: str = ""  # the flag's heading when it is not the kind's own (`flag_title`)


@dataclass(frozen=True)
class ConstraintKind:
    name: str  # profile key, address parameter, CLI option (--name)
    label: str  # the widget's label and the handout's line label
    what: str  # how messages name one value ("budget", "challenge")
    assess: Callable[[Tool, str, Catalog], Hit | None]
    relax: Callable[[str, Catalog], str]  # "A bigger budget (instead of low)"
    values: tuple[str, ...] = ()
    values_from: Callable[[Catalog], Sequence[str]] | None = None  # values the catalog defines
    value_labels: Mapping[str, str] = field(default_factory=dict)
    describe: Callable[[str, Catalog], str] | None = None  # a value in the handout's words
    multi: bool = False  # several values at once (the challenges faced)
    challenge: Callable[[str], str | None] = lambda value: None  # whose mitigations answer the flag
    flag_title: Callable[[str, Catalog], str] = lambda value, catalog: ""
    mitigations: tuple[str, ...] = ()  # when no challenge answers the flag
    help: str = ""
    widget: str = "choice"  # choice (one of a few) | pills (several of a dozen) | multiselect (many values)
    # penalty: points off with a flag | exclude: lists the tool apart (state law) | in_place: the town has it
    effect: str = "penalty"
    what_if: bool = True  # offer "what if relaxed" for it
    # The tool's side, so that a new kind is complete in one place (`register` checks):
    # `facts`: what a tool says about it, as (label, value) lines: the tool page's "At a glance",
    # the compare table and the results CSV; `record`: its fields in `catalog --json`;
    # `explains`: the explainer's words on what it does to a score.
    # A front-matter key the kind reads from each tool page, checked against `tool_values`
    # (several of them with `tool_multi`) by the loader and `validate`, kept in tool.traits[name]
    # ("": the kind reads the tool's own fields, such as cost).
    tool_key: str = ""
    tool_values: tuple[str, ...] = ()
    tool_multi: bool = False
    facts: Callable[[Tool, Catalog], Sequence[tuple[str, str]]] | None = None
    record: Callable[[Tool], Mapping[str, object]] | None = None
    explains: Callable[[], str] | None = None

    def valid(self, catalog: Catalog) -> list[str]:
        return list(self.values_from(catalog)) if self.values_from else list(self.values)

    def value_label(self, value: str, catalog: Catalog | None = None) -> str:
        if self.describe is not None and catalog is not None:
            return self.describe(value, catalog)
        if self.multi and catalog is not None and value in catalog.challenges:
            return catalog.challenge_name(value)
        return self.value_labels.get(value, value)

    def words(self, value: str, catalog: Catalog) -> str:
        return self.value_label(value, catalog)


class Registry:
    """The constraint kinds in the order pages, addresses and exports show them."""

    def __init__(self) -> None:
        self._kinds: dict[str, ConstraintKind] = {}

    def register(self, kind: ConstraintKind) -> ConstraintKind:
        if kind.name in self._kinds:
            raise ValueError(f"constraint kind {kind.name!r} is registered already")
        missing = [f for f in ("facts", "record", "explains") if getattr(kind, f) is None]
        if kind.tool_key and not kind.tool_values:
            missing.append("tool_values (what a tool page may say under its tool_key)")
        if missing:
            raise ValueError(
                f"constraint kind {kind.name!r} needs {', '.join(missing)}: what a tool says about it (tool page, "
                "compare table, CSV), its fields in catalog --json, and the explainer's words"
            )
        if kind.tool_key:
            declare_trait(Trait(kind.name, kind.tool_key, kind.tool_values, kind.tool_multi))
        self._kinds[kind.name] = kind
        return kind

    def unregister(self, name: str) -> None:
        kind = self._kinds.pop(name, None)
        if kind is not None and kind.tool_key:
            forget_trait(name)

    def __iter__(self) -> Iterator[ConstraintKind]:
        return iter(list(self._kinds.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __getitem__(self, name: str) -> ConstraintKind:
        return self._kinds[name]

    def names(self) -> list[str]:
        return list(self._kinds)

    def single(self) -> list[ConstraintKind]:
        return [k for k in self if not k.multi]


REGISTRY = Registry()


def _gap(have: str, need: str | None, scale: tuple[str, ...]) -> int:
    """How many steps `have` falls short of `need` (0 when unknown or enough)."""
    if not need or need not in scale or have not in scale:
        return 0
    return max(0, scale.index(need) - scale.index(have))


def _state(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    law = tool.law(value)
    if law.status not in ("unavailable", "limited"):
        return None
    name = STATE_NAMES.get(value, value)
    cite = f" Law: {law.law.rstrip('.')}." if law.law else ""
    if law.status == "unavailable":
        why = f" {law.note}" if law.note else " No state law enables it."
        return Hit(excludes=True, message=f"Not available in {name}.{why}{cite}")
    why = law.note or "Check with your solicitor which part your municipality may adopt."  # limited
    return Hit(LIMITED_LAW_PENALTY, f"{name} law allows only part of it: {why}{cite}")


def _setting(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    grade = tool.setting_grade(value)
    if grade >= 2:
        return None
    if grade == 0:
        why = f" {tool.settings_note}" if tool.settings_note else ""
        return Hit(
            0,
            f"Listed after the tools that suit {value} places.{why}",
            not_applicable=True,
            title=f"Does not apply in {value} places",
        )
    # the flag's heading says "only with adaptation"; its message says what the adaptation is
    return Hit(ADAPTATION_PENALTY, tool.settings_note or f"Works in {value} places only with adaptation.")


def _budget(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    gap = _gap(value, tool.cost, LEVELS)
    return Hit(LEVEL_PENALTY * gap, f"Costs {tool.cost} to set up; your budget is {value}.") if gap else None


def _staff(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    gap = _gap(value, tool.staff_effort, LEVELS)
    if not gap:
        return None
    return Hit(LEVEL_PENALTY * gap, f"Needs {tool.staff_effort} staff effort; your staff capacity is {value}.")


def _horizon(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    gap = _gap(value, tool.time_to_results, HORIZONS)
    if not gap:
        return None
    need = tool.time_to_results or ""
    return Hit(
        HORIZON_PENALTY * gap,
        f"Results take {HORIZON_LABELS.get(need, 'unknown')}; your horizon is {HORIZON_LABELS.get(value, value)}.",
    )


def _face(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    challenge = catalog.challenges.get(value)
    if challenge is not None and tool.slug in challenge.enablers:  # a way around it is raised, never held back
        return Hit(
            boost=WAY_AROUND_BONUS,
            message=f"A way around a challenge you face: {challenge.name.lower()}.",
        )
    ref = tool.challenge(value)
    if ref is None:
        return None
    how_hard = CHALLENGE_SEVERITY_SENTENCES.get(ref.severity, CHALLENGE_SEVERITY_SENTENCES[2])
    message = ref.note or f"You face {catalog.challenge_name(value).lower()}, which this tool runs into."
    return Hit(SEVERITY_PENALTY.get(ref.severity, SEVERITY_PENALTY[2]), f"{message} {how_hard}")


def setting_words(tool: Tool) -> str:
    """Where it fits, in words: "urban and suburban places; rural with adaptation"."""
    by_grade: dict[int, list[str]] = {}
    for setting in SETTINGS:
        by_grade.setdefault(tool.setting_grade(setting), []).append(setting)
    parts = []
    if by_grade.get(2):
        parts.append(f"{join_words(by_grade[2])} places")
    if by_grade.get(1):
        parts.append(f"{join_words(by_grade[1])} with adaptation")
    if by_grade.get(0):
        parts.append(f"not {join_words(by_grade[0], 'or')}")
    return "; ".join(parts)


def tool_facts(tool: Tool, catalog: Catalog) -> list[tuple[str, str]]:
    """What the tool says about each kind of constraint, as (label, value) lines, in the
    registry's order: the tool page, the compare table and the results CSV show these."""
    return [line for kind in REGISTRY if kind.facts for line in kind.facts(tool, catalog)]


def tool_record(tool: Tool) -> dict[str, object]:
    """The tool's fields for each kind of constraint, for `catalog --json`."""
    out: dict[str, object] = {}
    for kind in REGISTRY:
        if kind.record:
            out.update(kind.record(tool))
    return out


def explainer_lines() -> list[str]:
    """What each kind does to a score, in the registry's order, for the explainer."""
    return [kind.explains() for kind in REGISTRY if kind.explains]


def _rated(value: str | None) -> str:
    return value or "not rated"


def law_words(tool: Tool, state: str) -> str:
    """What one state's law allows, in words: "Pennsylvania: limited (the limit)"."""
    law = tool.law(state)
    words = {"available": "available", "limited": "limited", "unavailable": "not available"}[law.status]
    detail = law.note if law.status != "available" else ""
    return f"{STATE_NAMES.get(state, state)}: {words}" + (f" ({detail.rstrip('.')})" if detail else "")


REGISTRY.register(
    ConstraintKind(
        name="state",
        label="State",
        what="state",
        values=STATES,
        value_labels=STATE_NAMES,
        assess=_state,
        effect="exclude",
        relax=lambda v, c: f"Without the limits of {STATE_NAMES.get(v, v)} law",
        flag_title=lambda v, c: f"Limited by {STATE_NAMES.get(v, v)} law",
        mitigations=(
            "Ask your solicitor which part of the tool your municipality may adopt, and how.",
            "Adopt the part state law allows (an incentive instead of a mandate, a policy for municipal projects).",
            "Look for a county or state program that does the rest.",
        ),
        help="A tool your state's law does not enable is listed apart; one it limits loses points and says why.",
        facts=lambda t, c: [(f"State law, {STATE_NAMES[st]}", law_words(t, st).split(": ", 1)[1]) for st in STATES],
        record=lambda t: {"states": list(t.states), "stateLaw": {st: vars(t.law(st)) for st in STATES}},
        explains=lambda: (
            f"state law that allows only part of it ({LIMITED_LAW_PENALTY}); a tool your state does "
            "not enable is listed apart, naming the law"
        ),
    )
)
REGISTRY.register(
    ConstraintKind(
        name="setting",
        label="Setting",
        what="setting",
        values=SETTINGS,
        value_labels={s: s.capitalize() for s in SETTINGS},
        assess=_setting,
        relax=lambda v, c: f"If the setting did not matter (yours is {v})",
        flag_title=lambda v, c: f"Fits {v} places only with adaptation",
        mitigations=(
            "Read the tool's 'When it fits' section: many tools work at a smaller scale with adjustments.",
            "Look for a neighboring municipality of that setting that has used it, and ask what they changed.",
            "Apply it to the parts of town that do match (a station area, a village center, a rural edge).",
        ),
        facts=lambda t, c: [("Fits", setting_words(t) + (f". {t.settings_note}" if t.settings_note else ""))],
        record=lambda t: {"settings": {st: t.setting_grade(st) for st in SETTINGS}},
        explains=lambda: (
            f"a setting it suits only with adaptation ({ADAPTATION_PENALTY}); one it does not suit "
            "comes after every tool that does, at most a weak fit"
        ),
    )
)
REGISTRY.register(
    ConstraintKind(
        name="budget",
        label="Budget",
        what="budget",
        values=LEVELS,
        value_labels=LEVEL_LABELS,
        assess=_budget,
        relax=lambda v, c: f"With a bigger budget (yours is {LEVEL_LABELS.get(v, v).lower()})",
        challenge=lambda v: "upfront-funding",
        flag_title=lambda v, c: "Cost above your budget",
        facts=lambda t, c: [("Cost", _rated(t.cost))],
        record=lambda t: {"cost": t.cost},
        explains=lambda: f"each level your budget falls below its cost ({LEVEL_PENALTY})",
    )
)
REGISTRY.register(
    ConstraintKind(
        name="staff",
        label="Staff capacity",
        what="staff capacity",
        values=LEVELS,
        value_labels=LEVEL_LABELS,
        assess=_staff,
        relax=lambda v, c: f"With more staff capacity (yours is {LEVEL_LABELS.get(v, v).lower()})",
        challenge=lambda v: "staff-skills",
        flag_title=lambda v, c: "Staff effort above your capacity",
        facts=lambda t, c: [("Staff effort", _rated(t.staff_effort))],
        record=lambda t: {"staffEffort": t.staff_effort},
        explains=lambda: f"each level your staff capacity falls below its staff effort ({LEVEL_PENALTY})",
    )
)
REGISTRY.register(
    ConstraintKind(
        name="horizon",
        label="Time horizon",
        what="horizon",
        values=HORIZONS,
        value_labels=HORIZON_SHORT_LABELS,
        # the brief and the handout name a horizon as its button does ("Under 1 year")
        assess=_horizon,
        relax=lambda v, c: f"With a longer time horizon (yours is {HORIZON_SHORT_LABELS.get(v, v).lower()})",
        challenge=lambda v: "uncertain-roi",
        flag_title=lambda v, c: "Results after your time horizon",
        facts=lambda t, c: [
            (
                "Time to results",
                f"{t.time_to_results} ({HORIZON_LABELS[t.time_to_results]})" if t.time_to_results else "not rated",
            )
        ],
        record=lambda t: {"timeToResults": t.time_to_results},
        explains=lambda: f"each step your time horizon is shorter than its time to results ({HORIZON_PENALTY})",
    )
)
REGISTRY.register(
    ConstraintKind(
        name="face",
        label="Challenges your town faces",
        what="challenge",
        values_from=lambda catalog: list(catalog.challenges),
        multi=True,
        assess=_face,
        relax=lambda v, c: f"If {c.challenge_name(v).lower()} were not a challenge",
        challenge=lambda v: v,
        flag_title=lambda v, c: c.challenge_name(v),
        widget="pills",
        # the tool page and the compare table give the challenges their own section and row
        facts=lambda t, c: [],
        record=lambda t: {
            "challenges": list(t.challenge_ids),
            "challengeSeverity": {x.id: x.severity for x in t.challenges},
        },
        explains=lambda: (
            f"a challenge you face, by how hard this tool runs into it ({SEVERITY_PENALTY[1]} minor, "
            f"{SEVERITY_PENALTY[2]} real, {SEVERITY_PENALTY[3]} can stop it); a tool that is itself a way around it gains "
            f"{WAY_AROUND_BONUS}"
        ),
    )
)


def _have(tool: Tool, value: str, catalog: Catalog) -> Hit | None:
    if tool.slug == value:
        return Hit(
            in_place=True, message="Already in place in your town: not recommended again; its goals count as covered."
        )
    if value in tool.builds_on_slugs:
        return Hit(boost=BUILDS_ON_BONUS, message=f"Builds on {catalog.title(value)}, which your town has in place.")
    return None


REGISTRY.register(
    ConstraintKind(
        name="have",
        label="Tools already in place",
        what="tool",
        values_from=lambda catalog: list(catalog.tools),
        describe=lambda v, c: c.title(v),
        multi=True,
        assess=_have,
        effect="in_place",
        relax=lambda v, c: f"Without {c.title(v)} in place",
        widget="multiselect",
        what_if=False,
        help="Tools your town already has: they are listed apart, count toward your goals, "
        "and open the way to the tools that build on them.",
        facts=lambda t, c: [("Most towns have it", t.mandate)] if t.mandate else [],
        record=lambda t: {"mandate": t.mandate or None, "buildsOn": list(t.builds_on_slugs)},
        explains=lambda: (
            f"a tool your town has in place is listed apart, and one that builds on it gains {BUILDS_ON_BONUS}"
        ),
    )
)
