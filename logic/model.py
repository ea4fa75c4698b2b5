"""Typed objects of the catalog: tools, goals, challenges, problems."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from .content.files import content_fingerprint
from .taxonomy import STATES, Horizon, Level, Severity
from .text import closest


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that stay alive
    or die by reference count (a catalog, a ranking): at 10,000 tools its passes over
    the catalog cost a quarter of a load and half of a ranking. Restores its state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about a content file."""

    severity: Severity
    file: str
    field: str
    message: str

    def line(self) -> str:
        where = f"{self.file} {self.field}".strip()
        return f"{self.severity:<7} {where}: {self.message}"


@dataclass(frozen=True)
class Link:
    label: str
    link: str


@dataclass(frozen=True)
class ChallengeRef:
    id: str
    note: str = ""
    severity: int = 2  # how hard this tool runs into it: 1 minor, 2 real, 3 can stop it


@dataclass(frozen=True)
class StateLaw:
    """Whether a municipality in one state can adopt the tool (content `stateLaw`)."""

    status: str = "available"  # available | limited | unavailable
    law: str = ""  # the enabling statute or rule
    note: str = ""  # what the limit is, in a planner's words


@dataclass(frozen=True)
class BuildsOn:
    """A tool that usually comes first (content `buildsOn`), and why."""

    slug: str
    reason: str = ""


@dataclass(frozen=True)
class Trait:
    """A front-matter key whose value is one (or, `multi`, several) of a fixed scale: the loader
    reads it into `tool.traits[name]` and validate names a value off the scale by file and
    field. A trait the ranking uses is declared here with `declare_trait`; a constraint kind
    that reads its own key declares one when it is registered (logic/constraints.py)."""

    name: str
    key: str
    values: tuple[str, ...]
    multi: bool = False


TRAITS: dict[str, Trait] = {}


def declare_trait(trait: Trait) -> Trait:
    if trait.name in TRAITS:
        raise ValueError(f"trait {trait.name!r} is declared already")
    if not trait.values:
        raise ValueError(f"trait {trait.name!r} needs its values")
    TRAITS[trait.name] = trait
    return trait


def forget_trait(name: str) -> None:
    TRAITS.pop(name, None)


@dataclass(frozen=True)
class Tool:
    slug: str
    title: str
    file: str = ""
    focus_areas: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    see_other: tuple[str, ...] = ()  # the names as written on the page
    related: tuple[str, ...] = ()  # slugs the names resolved to
    indicators: tuple[str, ...] = ()  # trackingProgressLinks, names
    resources: tuple[Link, ...] = ()
    who_has_used: tuple[Link, ...] = ()
    guidelines: tuple[Link, ...] = ()
    goals: tuple[str, ...] = ()  # goal ids, strongest first
    # how strongly the tool serves each goal: 3 made for it, 2 a main effect, 1 a side benefit
    goal_strength: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)
    challenges: tuple[ChallengeRef, ...] = ()
    cost: Level | None = None
    staff_effort: Level | None = None
    time_to_results: Horizon | None = None
    tool_type: str | None = None
    # state -> what its law allows (content `stateLaw`, or the older `states` list); a state
    # not in it: available
    state_law: Mapping[str, StateLaw] = field(default_factory=dict, hash=False, compare=False)
    # setting -> 0 does not apply, 1 with adaptation, 2 suits (content `settings`); missing: 2
    settings: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)
    settings_note: str = ""  # why a setting's grade is below 2
    mandate: str = ""  # the mandate that makes most towns have it already ("" for most tools)
    # why the tool is made for a downtown, main street or village center ("" for most tools):
    # where a town has none, what it is made for counts as a main effect (`scoring.goal_strengths`)
    needs_center: str = ""
    builds_on: tuple[BuildsOn, ...] = ()  # tools that usually come first (content `buildsOn`)
    cues: tuple[str, ...] = ()  # words a town's description uses where it fits (`logic.about`)
    body: str = ""
    # what the page says under each declared trait's key (TRAITS): name -> the value, or the
    # values of a multi trait
    traits: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def strength(self, goal_id: str) -> int:
        """0 when the tool does not serve the goal, else 1 to 3."""
        return self.goal_strength.get(goal_id, 0)

    def setting_grade(self, setting: str) -> int:
        """2 suits, 1 with adaptation, 0 does not apply (2 when not graded)."""
        return self.settings.get(setting, 2)

    def law(self, state: str) -> StateLaw:
        """What the state's law allows (available when the page says nothing)."""
        return self.state_law.get(state) or StateLaw()

    @property
    def states(self) -> tuple[str, ...]:
        """The states whose law enables it, in full or in part; () when the page names none
        as unavailable (available everywhere)."""
        if not any(v.status == "unavailable" for v in self.state_law.values()):
            return ()
        return tuple(s for s in STATES if self.law(s).status != "unavailable")

    @property
    def builds_on_slugs(self) -> tuple[str, ...]:
        return tuple(b.slug for b in self.builds_on)

    @cached_property
    def challenge_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.challenges)

    def challenge_note(self, challenge_id: str) -> str:
        ref = self.challenge(challenge_id)
        return ref.note if ref else ""

    def challenge(self, challenge_id: str) -> ChallengeRef | None:
        for c in self.challenges:
            if c.id == challenge_id:
                return c
        return None


# a goal's go-to tools (`Goal.go_to`): the few planners reach for first, not every tool that serves it well
MAX_GO_TO = 3


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    group: str = "Other goals"
    description: str = ""
    # The group's id, for widget keys and addresses: `group_id(group)`, set by the loader.
    group_id: str = "other-goals"
    # the tool a planner asked about this goal names first (a slug); validate checks it is
    # graded 3 for the goal, and the tests check it ranks in the goal's top three
    exemplar: str = ""
    # other words planners use for the goal ("seniors", "broadband"), each a whole phrase: a
    # search or an address value that says one of them names the goal (`named_value`)
    also_called: tuple[str, ...] = ()
    # the tools planners reach for first for this goal (slugs, at most `MAX_GO_TO`, each graded
    # 2 or 3 for it): each gets a head start when the goal is asked for (`scoring.go_to_points`)
    go_to: tuple[str, ...] = ()
    # a town that asks for this goal has a downtown, main street or village center to work in
    # (content `center: true`; `scoring.has_center`)
    center: bool = False


@dataclass(frozen=True)
class Challenge:
    id: str
    name: str
    description: str = ""
    mitigations: tuple[str, ...] = ()
    enablers: tuple[str, ...] = ()
    # about money (content `money: true`): a tool that eases it raises or saves money for its own
    # purpose, so easing it never makes the tool an answer to goals it does not serve
    money: bool = False


@dataclass(frozen=True)
class CatalogIndex:
    size: int
    by_goal: Mapping[str, frozenset[str]]
    by_focus: Mapping[str, frozenset[str]]
    by_principle: Mapping[str, frozenset[str]]
    cues: tuple[str, ...] = ()  # every tool's cue words and the catalog's not-cues, once each (`logic.about.cues_in`)

    @classmethod
    def build(cls, tools: Iterable[Tool], not_cues: Iterable[str] = ()) -> CatalogIndex:
        goal: dict[str, set[str]] = {}
        focus: dict[str, set[str]] = {}
        principle: dict[str, set[str]] = {}
        cues: set[str] = set(not_cues)  # a not-cue covers the places it reads, as a longer cue does
        n = 0
        for t in tools:
            n += 1
            cues.update(t.cues)
            for g in t.goal_strength:
                goal.setdefault(g, set()).add(t.slug)
            for f in t.focus_areas:
                focus.setdefault(f, set()).add(t.slug)
            for p in t.principles:
                principle.setdefault(p, set()).add(t.slug)

        def frozen(d: dict[str, set[str]]) -> dict[str, frozenset[str]]:
            return {k: frozenset(v) for k, v in d.items()}

        return cls(n, frozen(goal), frozen(focus), frozen(principle), tuple(sorted(cues)))

    def serving(self, goals: Iterable[str], focus: Iterable[str], principles: Iterable[str]) -> set[str]:
        """Slugs of the tools that serve at least one of these goals or carry one of these tags."""
        out: set[str] = set()
        for g in goals:
            out |= self.by_goal.get(g, frozenset())
        for f in focus:
            out |= self.by_focus.get(f, frozenset())
        for p in principles:
            out |= self.by_principle.get(p, frozenset())
        return out


@dataclass
class Catalog:
    """Everything loaded from a content folder, plus what was wrong with it."""

    tools: dict[str, Tool] = field(default_factory=dict)  # by slug, sorted by title
    goals: dict[str, Goal] = field(default_factory=dict)
    challenges: dict[str, Challenge] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    related_both_ways: dict[str, tuple[str, ...]] = field(default_factory=dict)
    version: str = ""  # content/catalog.yaml `version` ("" when not given)
    date: str = ""  # content/catalog.yaml `date`, YYYY-MM-DD ("" when not given)
    not_cues: tuple[str, ...] = ()  # content/catalog.yaml `notCues`: words no cue reads ("lawnside")
    root: str = ""  # the content folder it was loaded from
    _fingerprint: str | None = field(default=None, repr=False, compare=False)
    _index: CatalogIndex | None = field(default=None, repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        """A short hash of every content file's name and bytes: which content exactly.
        Made when first asked for (a brief asks; a ranking does not), since it reads
        every file again."""
        if self._fingerprint is None:
            self._fingerprint = content_fingerprint(self.root) if self.root else ""
        return self._fingerprint

    @fingerprint.setter
    def fingerprint(self, value: str) -> None:
        self._fingerprint = value

    @property
    def index(self) -> CatalogIndex:
        """Which tools carry each goal, focus area and principle, built once (the rules
        look up the few tools that serve what was asked instead of scoring them all)."""
        if self._index is None or self._index.size != len(self.tools):
            self._index = CatalogIndex.build(self.tools.values(), self.not_cues)
        return self._index

    @property
    def edition(self) -> str:
        """The catalog's version and date in words, e.g. "version 2025.1 of 2025-06-30 (content a1b2c3d4e5f6)"."""
        parts = [f"version {self.version}" if self.version else "unversioned"]
        if self.date:
            parts.append(f"of {self.date}")
        text = " ".join(parts)
        return f"{text} (content {self.fingerprint})" if self.fingerprint else text

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    def related(self, slug: str) -> tuple[str, ...]:
        """Related tools in both directions, by title."""
        return self.related_both_ways.get(slug, ())

    def title(self, slug: str) -> str:
        tool = self.tools.get(slug)
        return tool.title if tool else slug

    def indicator_link(self, name: str) -> str | None:
        """The link of an indicator, forgiving a known misspelling."""
        if name in self.indicators:
            return self.indicators[name]
        close = closest(name, self.indicators, 0.8)
        return self.indicators[close] if close else None

    def goal_name(self, goal_id: str) -> str:
        goal = self.goals.get(goal_id)
        return goal.name if goal else goal_id

    def go_to_goals(self, slug: str) -> tuple[str, ...]:
        """The goals that list this tool among their go-to tools (`Goal.go_to`)."""
        return tuple(g for g, goal in self.goals.items() if slug in goal.go_to)

    def challenge_name(self, challenge_id: str) -> str:
        ch = self.challenges.get(challenge_id)
        return ch.name if ch else challenge_id
