"""From a package (or any shortlist) to a phased action plan.

`make_plan(catalog, slugs, have, staff)` puts each tool in one of three
phases, Now (first 12 months), Next (1-3 years) and Later (3 years and more),
by these rules, in this order of precedence:

1. A tool the town already has (`have`) is never in the plan; it is listed as
   in place, and it satisfies the `buildsOn` of the tools that build on it.
2. A tool never starts before a tool it builds on that is in the plan. It may
   start in the same phase only when that tool gives results in under a year
   (time to results short); otherwise it starts in the phase after. A tool it
   builds on that is neither in the plan nor in place is not pulled in: the
   item names it.
3. Now and Next each hold at most as many high-effort tools (staff effort
   high) as the staff capacity allows: low 1, medium 2, high 3 (no capacity
   given: medium, and the plan says so). Later takes the overflow, and the
   reason of a tool pushed later says so.
4. Otherwise every tool starts as early as it can. When tools compete for a
   high-effort place, and in the order they are listed, a workshop room's
   favorites come first (most dots first), then quick wins (results in
   under a year, neither cost nor staff effort high) come first, then tools
   that others in the plan build on, then the easier tools (cost, staff effort
   and time to results added up), then the order given (the package's or the
   ranking's), then the slug.

Items are listed in the order they start: by phase, then in the order the
rules placed them, so a tool always comes after what it waits for. Same
catalog, tools, `have` and staff: same plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .model import BuildsOn, Catalog, Tool
from .scoring import effort_steps
from .taxonomy import HORIZON_LABELS, Horizon, Level
from .text import join_words, mid_sentence, plain, sections

PHASES: tuple[tuple[str, str], ...] = (
    ("Now", "first 12 months"),
    ("Next", "1-3 years"),
    ("Later", "3 years and more"),
)
PHASE_NAMES: tuple[str, ...] = tuple(name for name, _ in PHASES)
# high-effort tools (staff effort high) that each of Now and Next may hold
STAFF_CAPACITY: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
# how many tools that are not quick wins a phase may start, by staff capacity: two planners
# cannot launch five ordinances in one year, whatever each one's effort
START_LIMIT: dict[str, int] = {"low": 2, "medium": 3, "high": 4}
DEFAULT_STAFF = "medium"  # when the profile gives no staff capacity
FIRST_STEPS_SECTION = "How to get started"
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*\S)\s*$")
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


@dataclass(frozen=True)
class PlanChallenge:
    """A challenge to prepare for: its name, the tool's note, ways around it."""

    id: str
    name: str
    note: str = ""
    mitigations: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "note": self.note, "mitigations": list(self.mitigations)}


@dataclass(frozen=True)
class PlanIndicator:
    """A Tracking Progress indicator to watch; `link` is None when it has none."""

    name: str
    link: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "link": self.link}


@dataclass(frozen=True)
class PlanItem:
    slug: str
    title: str
    phase: str  # Now | Next | Later
    why: str  # one sentence: why it sits in its phase
    first_steps: tuple[str, ...] = ()
    challenges: tuple[PlanChallenge, ...] = ()
    indicators: tuple[PlanIndicator, ...] = ()
    builds_on: tuple[str, ...] = ()  # every tool it builds on (content `buildsOn`)
    waits_for: tuple[str, ...] = ()  # ... that are in the plan
    after_in_place: tuple[str, ...] = ()  # ... that the town already has
    missing: tuple[str, ...] = ()  # ... neither in the plan nor in place
    notes: tuple[str, ...] = ()  # sentences about the missing ones
    high_effort: bool = False
    quick_win: bool = False
    pushed_by_capacity: bool = False  # would have started earlier but for staff capacity
    focus_area: str | None = None  # the tool's first focus area (the chart's colour)
    dots: int = 0  # the room's dots, when a vote is linked

    def as_dict(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "phase": self.phase,
            "why": self.why,
            "firstSteps": list(self.first_steps),
            "challenges": [c.as_dict() for c in self.challenges],
            "indicators": [i.as_dict() for i in self.indicators],
            "buildsOn": list(self.builds_on),
            "waitsFor": list(self.waits_for),
            "afterInPlace": list(self.after_in_place),
            "missingPrerequisites": list(self.missing),
            "notes": list(self.notes),
            "highEffort": self.high_effort,
            "quickWin": self.quick_win,
            "pushedByCapacity": self.pushed_by_capacity,
            "focusArea": self.focus_area,
            "dots": self.dots,
        }


@dataclass(frozen=True)
class Phase:
    name: str
    label: str  # "first 12 months", ...
    items: tuple[PlanItem, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "items": [i.as_dict() for i in self.items]}


@dataclass(frozen=True)
class Plan:
    phases: tuple[Phase, ...]  # always Now, Next, Later, in that order
    in_place: tuple[str, ...] = ()  # slugs the town already has
    staff: str = DEFAULT_STAFF  # the capacity the plan used
    staff_assumed: bool = False  # True when no capacity was given
    capacity: int = STAFF_CAPACITY[DEFAULT_STAFF]

    @property
    def items(self) -> tuple[PlanItem, ...]:
        """Every item, in the order they start."""
        return tuple(item for phase in self.phases for item in phase.items)

    def item(self, slug: str) -> PlanItem | None:
        return next((i for i in self.items if i.slug == slug), None)

    def phase_of(self, slug: str) -> str | None:
        item = self.item(slug)
        return item.phase if item else None

    @property
    def capacity_note(self) -> str:
        """How many high-effort tools a phase may hold, and why."""
        n = self.capacity
        count = f"{_WORDS.get(n, str(n))} high-effort tool{'s' if n != 1 else ''}"
        starts = START_LIMIT.get(self.staff, n + 1)
        count += f" and {_WORDS.get(starts, str(starts))} new tools that are not quick wins"
        if self.staff_assumed:
            return f"No staff capacity given: planned for medium, {count} at a time in Now and in Next."
        return f"{self.staff.capitalize()} staff capacity: {count} at a time in Now and in Next."

    def as_dict(self) -> dict:
        return {
            "phases": [p.as_dict() for p in self.phases],
            "inPlace": list(self.in_place),
            "staff": self.staff,
            "staffAssumed": self.staff_assumed,
            "highEffortPerPhase": self.capacity,
            "capacityNote": self.capacity_note,
        }


def first_steps(tool: Tool) -> tuple[str, ...]:
    """The numbered steps of the body's "How to get started", as plain text."""
    text = sections(tool.body).get(FIRST_STEPS_SECTION, "")
    steps: list[str] = []
    fence = ""
    for line in text.splitlines():
        mark = re.match(r"\s*(`{3,}|~{3,})", line)
        if mark and (not fence or mark.group(1).startswith(fence)):
            fence = "" if fence else mark.group(1)  # a code block: an example, not part of a step's words
            continue
        if fence:
            continue
        m = _NUMBERED.match(line)
        if m:
            steps.append(m.group(1))
        elif line.strip() and steps:  # a step that runs onto the next line
            steps[-1] += " " + line.strip()
    return tuple(plain(s) for s in steps)


def is_high_effort(tool: Tool) -> bool:
    return tool.staff_effort == Level.HIGH


def is_quick_win(tool: Tool) -> bool:
    """Results in under a year, and neither cost nor staff effort high."""
    return tool.time_to_results == Horizon.SHORT and tool.cost != Level.HIGH and tool.staff_effort != Level.HIGH


def _dedupe(slugs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for s in slugs:
        if s not in out:
            out.append(s)
    return out


def _check(catalog: Catalog, slugs: Iterable[str], what: str) -> None:
    unknown = [s for s in slugs if s not in catalog.tools]
    if unknown:
        raise ValueError(f"unknown tool {unknown[0]!r} in {what}")


def make_plan(
    catalog: Catalog,
    slugs: Sequence[str],
    have: Iterable[str] = (),
    staff: str | None = None,
    votes: Mapping[str, int] | None = None,
) -> Plan:
    """A phased plan for `slugs` (in the order given: the package's or the ranking's).

    `have`: tools already in place (never planned). `staff`: low | medium | high,
    None meaning medium (the plan says so). `votes`: a workshop room's dots; the
    room's favorites take the first places of each phase (most dots first) unless
    what they build on or the staff capacity holds them back, and their items say
    so. Unknown slugs raise ValueError."""
    have_list = _dedupe(have)
    wanted = _dedupe(slugs)
    _check(catalog, wanted, "the tools")
    _check(catalog, have_list, "the tools in place")
    if staff is not None and staff not in STAFF_CAPACITY:
        raise ValueError(f"unknown staff capacity {staff!r}; valid: {', '.join(STAFF_CAPACITY)}")
    in_place = set(have_list)
    planned = [s for s in wanted if s not in in_place]
    in_plan = set(planned)
    position = {s: i for i, s in enumerate(planned)}
    capacity = STAFF_CAPACITY[staff or DEFAULT_STAFF]

    def waits(slug: str) -> list[str]:
        return [b for b in catalog.tools[slug].builds_on_slugs if b in in_plan]

    opens = {s: any(s in catalog.tools[o].builds_on_slugs for o in planned) for s in planned}

    dots = {s: (votes or {}).get(s, 0) for s in planned}

    def priority(slug: str) -> tuple:
        tool = catalog.tools[slug]
        return (-dots[slug], not is_quick_win(tool), not opens[slug], effort_steps(tool), position[slug], slug)

    phase_of: dict[str, int] = {}
    high_in: dict[int, list[str]] = {i: [] for i in range(len(PHASES))}
    started_in: dict[int, list[str]] = {i: [] for i in range(len(PHASES))}  # not quick wins
    start_limit = START_LIMIT[staff or DEFAULT_STAFF]
    order: list[str] = []
    whys: dict[str, str] = {}
    pushed: set[str] = set()
    remaining = list(planned)
    while remaining:
        ready = [s for s in remaining if all(p in phase_of for p in waits(s))]
        # a cycle can only come from content that skipped the validator: break it by priority
        slug = min(ready or remaining, key=priority)
        remaining.remove(slug)
        tool = catalog.tools[slug]
        earliest, gate = 0, None
        for p in waits(slug):
            if p not in phase_of:
                continue
            start = phase_of[p] + (0 if catalog.tools[p].time_to_results == Horizon.SHORT else 1)
            start = min(start, len(PHASES) - 1)
            if gate is None or start > earliest:
                earliest, gate = max(earliest, start), p
        phase = earliest
        high, quick = is_high_effort(tool), is_quick_win(tool)
        while phase < len(PHASES) - 1 and (
            (high and len(high_in[phase]) >= capacity) or (not quick and len(started_in[phase]) >= start_limit)
        ):
            phase += 1
        if high:
            high_in[phase].append(slug)
        if not quick:
            started_in[phase].append(slug)
        if phase > earliest:
            pushed.add(slug)
        phase_of[slug] = phase
        order.append(slug)
        whys[slug] = _why(
            catalog, slug, phase, earliest, gate, high_in, capacity, staff, planned, phase_of, started_in, start_limit
        )
        if dots[slug]:
            whys[slug] = _room_why(dots[slug], phase, whys[slug])

    items_by_phase: dict[int, list[PlanItem]] = {i: [] for i in range(len(PHASES))}
    for slug in order:
        items_by_phase[phase_of[slug]].append(
            replace(
                _item(catalog, slug, PHASE_NAMES[phase_of[slug]], whys[slug], in_plan, in_place, slug in pushed),
                dots=dots[slug],
            )
        )
    return Plan(
        phases=tuple(Phase(name, label, tuple(items_by_phase[i])) for i, (name, label) in enumerate(PHASES)),
        in_place=tuple(have_list),
        staff=staff or DEFAULT_STAFF,
        staff_assumed=staff is None,
        capacity=capacity,
    )


def _room_why(dots: int, phase: int, why: str) -> str:
    """The item's reason with the room's vote: its dots put it first in line; when it still
    cannot start Now, what holds it back (the reason that follows, its own sentence)."""
    n = f"{dots} dot{'s' if dots != 1 else ''}"
    if phase == 0:
        return f"The room gave it {n}, so it starts in the first places. {why}"
    return f"The room gave it {n}, but it cannot start Now. {why}"


def _why(
    catalog: Catalog,
    slug: str,
    phase: int,
    earliest: int,
    gate: str | None,
    high_in: dict[int, list[str]],
    capacity: int,
    staff: str | None,
    planned: list[str],
    phase_of: dict[str, int],
    started_in: dict[int, list[str]] | None = None,
    start_limit: int = 0,
) -> str:
    """One sentence: why the tool starts in its phase."""
    tool = catalog.tools[slug]
    name = PHASE_NAMES[phase]
    if phase > earliest:  # staff capacity pushed it
        skipped = PHASE_NAMES[earliest:phase]
        crew = f"with {staff} staff capacity" if staff else "with staff capacity taken as medium (none was given)"
        lead = f"Only staff capacity holds it back from {skipped[0]}"
        if gate:
            lead = (
                f"After {catalog.title(gate)}, which it builds on, only staff capacity holds it back from {skipped[0]}"
            )
        full_of_high = is_high_effort(tool) and all(len(high_in[i]) >= capacity for i in range(earliest, phase))
        if full_of_high:
            held = [catalog.title(s) for i in range(earliest, phase) for s in high_in[i]]
            n = _WORDS.get(capacity, str(capacity))
            return (
                f"{lead}: {crew} you can carry {n} high-effort tool{'s' if capacity != 1 else ''} a phase, and "
                f"{join_words(held)} already fill{'s' if len(held) == 1 else ''} {join_words(skipped)}, "
                f"so this high-effort tool moves to {name}."
            )
        held = [catalog.title(s) for i in range(earliest, phase) for s in (started_in or {}).get(i, []) if s != slug]
        n = _WORDS.get(start_limit, str(start_limit))
        return (
            f"{lead}: {crew} you can start {n} new {'tools a phase that are' if start_limit != 1 else 'tool a phase that is'}"
            " not a quick win, and "
            f"{join_words(held)} already fill{'s' if len(held) == 1 else ''} {join_words(skipped)}, so it moves to {name}."
        )
    if gate is not None:
        reason = next((b.reason for b in tool.builds_on if b.slug == gate), "")
        because = f": {mid_sentence(reason).rstrip('.')}" if reason else ""
        if phase_of[gate] < phase:
            when = f"Starts {name}, after {catalog.title(gate)} ({PHASE_NAMES[phase_of[gate]]}), which takes a year or more"
        elif catalog.tools[gate].time_to_results == Horizon.SHORT:
            when = f"Starts {name} once {catalog.title(gate)}, earlier in {name}, has delivered (in under a year)"
        else:
            when = f"Starts {name}, the last phase, after {catalog.title(gate)} in the same phase"
        return f"{when}, because it builds on it{because}."
    opens = [catalog.title(s) for s in planned if slug in catalog.tools[s].builds_on_slugs]
    if is_quick_win(tool):
        first = f"A quick win to start {name}: results in {HORIZON_LABELS[Horizon.SHORT]}"
        first += f" at {tool.cost or 'unrated'} cost and {tool.staff_effort or 'unrated'} staff effort"
        return first + (f", and {join_words(opens)} build{'s' if len(opens) == 1 else ''} on it." if opens else ".")
    if opens:
        return (
            f"Starts {name} because {join_words(opens)} in this plan build{'s' if len(opens) == 1 else ''} on it, "
            "and waits for nothing."
        )
    if is_high_effort(tool):
        slots = f"{_WORDS.get(capacity, str(capacity))} high-effort tool{'s' if capacity != 1 else ''}"
        return f"Starts {name}: it waits for nothing in the plan, and your staff can carry {slots} a phase."
    horizon = HORIZON_LABELS.get(tool.time_to_results or "", "")
    if horizon and tool.time_to_results != Horizon.SHORT:
        return f"Starts {name}: it waits for nothing in the plan, and results take {horizon}, so an early start pays."
    if tool.time_to_results == Horizon.SHORT:
        return f"Starts {name}: it waits for nothing in the plan and shows results in {HORIZON_LABELS[Horizon.SHORT]}."
    return f"Starts {name}: it waits for nothing in the plan."


def _item(
    catalog: Catalog,
    slug: str,
    phase: str,
    why: str,
    in_plan: set[str],
    in_place: set[str],
    pushed: bool,
) -> PlanItem:
    tool = catalog.tools[slug]
    challenges = []
    for ref in tool.challenges:
        ch = catalog.challenges.get(ref.id)
        challenges.append(PlanChallenge(ref.id, catalog.challenge_name(ref.id), ref.note, ch.mitigations if ch else ()))
    indicators = tuple(PlanIndicator(name, catalog.indicator_link(name)) for name in tool.indicators)
    builds_on = tool.builds_on_slugs
    missing = tuple(s for s in builds_on if s not in in_plan and s not in in_place)
    notes = tuple(
        f"Usually comes after {catalog.title(s)}, which is not in your plan or in place"
        + (f": {mid_sentence(b.reason)}" if (b := _entry(tool, s)) and b.reason else ".")
        for s in missing
    )
    return PlanItem(
        slug=slug,
        title=tool.title,
        phase=phase,
        why=why,
        first_steps=first_steps(tool),
        challenges=tuple(challenges),
        indicators=indicators,
        builds_on=builds_on,
        waits_for=tuple(s for s in builds_on if s in in_plan),
        after_in_place=tuple(s for s in builds_on if s in in_place),
        missing=missing,
        notes=notes,
        high_effort=is_high_effort(tool),
        quick_win=is_quick_win(tool),
        pushed_by_capacity=pushed,
        focus_area=tool.focus_areas[0] if tool.focus_areas else None,
    )


def _entry(tool: Tool, slug: str) -> BuildsOn | None:
    return next((b for b in tool.builds_on if b.slug == slug), None)


def plan_summary(catalog: Catalog, plan: Plan) -> str:
    """One line, e.g. "Now: A, B. Next: C. Later: nothing. Already in place: D."."""
    parts = []
    for phase in plan.phases:
        titles = [i.title for i in phase.items]
        parts.append(f"{phase.name} ({phase.label}): {join_words(titles) if titles else 'nothing'}.")
    if plan.in_place:
        parts.append(f"Already in place: {join_words([catalog.title(s) for s in plan.in_place])}.")
    return " ".join(parts)


def comes_after(catalog: Catalog, slug: str) -> list[tuple[str, str]]:
    """(slug, reason) of the tools a tool usually comes after (its `buildsOn`)."""
    tool = catalog.tools.get(slug)
    if tool is None:
        return []
    return [(b.slug, b.reason) for b in tool.builds_on if b.slug in catalog.tools]


def opens_the_way_to(catalog: Catalog, slug: str) -> list[tuple[str, str]]:
    """(slug, reason) of the tools that build on this one, by title."""
    out = []
    for other in sorted(catalog.tools.values(), key=lambda t: (t.title.lower(), t.slug)):
        for b in other.builds_on:
            if b.slug == slug:
                out.append((other.slug, b.reason))
    return out
