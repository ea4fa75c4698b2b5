"""Scenarios in addresses: query parameters to a profile and back.

Unknown values are never an error page: they are dropped and described in a
note the page shows. The command line uses the same checks but stops (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .about import MAX_ABOUT_CHARS, clean_about
from .browse import AlsoCalled, Names, goal_names, goals_also_called, named_value, read_wants
from .constraints import REGISTRY, ConstraintKind
from .content.fields import GUESS_CUTOFF, meant
from .model import Catalog
from .profile import Profile
from .taxonomy import DEFAULT_IMPORTANCE, FOCUS_AREAS, IMPORTANCE_LABELS, PRINCIPLES, Importance
from .text import closest, join_words, slug_key

MAX_COMPARE = 4
MAX_LISTED = 30  # an error lists the valid values when there are at most this many
# What one address parameter (or one field of a scenario file) may hold: a link with
# 2,000 values took 97 s on 10,000 tools and held every other visitor. More is cut,
# with one note naming the limit; unknown values are summarised, not each echoed.
MAX_PARAM_CHARS = 4_000  # one parameter's text, all its values together
MAX_VALUES = 100  # values in one parameter (the catalog has 21 goals, 75 tools)
MAX_VALUE_CHARS = 256  # one value (ids and slugs are under 40; a note may quote it back)
MAX_QUOTED = 3  # unknown values of one parameter quoted in its note, then "and N more"


# the profile's parameters beside the constraint registry's, each a list of values
PROFILE_LISTS: tuple[str, ...] = ("goal", "focus", "principle")
ABOUT_PARAM = "about"  # the town in a sentence: one text, commas and all (`_about`)


class UnknownValue(ValueError):
    """A value that is not one of the valid ones; the message names both."""

    def __init__(
        self, what: str, value: str, valid: Sequence[str], names: Names | None = None, also: AlsoCalled | None = None
    ) -> None:
        self.what, self.value, self.valid = what, value, list(valid)
        # 'reduce-flooding' -> 'reduce-flood-risk', the closest spelling; 'flooding', by the goal's
        # name, the same; 'seniors', a word planners also use for a goal, all-ages
        self.guess = closest(value.strip().lower(), self.valid, GUESS_CUTOFF)
        if self.guess is None and names is not None:
            self.guess = named_value(value, names(), also() if also is not None else None)
        self.reason = f"unknown {what} {value!r}{meant(self.guess) if self.guess else ''}"
        if len(self.valid) <= MAX_LISTED:
            self.listed = f"valid: {', '.join(self.valid)}"
        else:  # a long list (tool slugs) helps nobody: the closest one, and where to find them all
            self.listed = f"'python -m logic catalog' lists all {len(self.valid)}"
        super().__init__(f"{self.reason}; {self.listed}")


@dataclass(frozen=True)
class Guess:
    """An address value that missed but names one valid value ('flooding': reduce-flood-risk):
    /find offers it in one click (`take_guess`); `note` is the note that says so."""

    key: str  # the parameter: goal, state, have, ...
    typed: str  # as the address has it: 'flooding:3'
    value: str  # what it reads as: 'reduce-flood-risk:3'
    name: str  # what the pages call it: 'Reduce flooding and stormwater damage'
    note: str


def _note_unknown(
    key: str,
    bad: Sequence[tuple[str, str | UnknownValue]],
    notes: list[str],
    guesses: list[Guess] | None,
    names: Names | None,
) -> None:
    """The notes on a parameter's unknown values: one of its own for each whose meaning is
    clear (with its `Guess`, when `guesses` is given), one for the rest together; past
    `MAX_QUOTED` of them, one note for all (the rest were not looked up)."""
    rest = []
    for typed, why in bad:
        if len(bad) > MAX_QUOTED or not (isinstance(why, UnknownValue) and why.guess is not None):
            rest.append((typed, why))
            continue
        note = _unknown_note(key, [(typed, why)])
        notes.append(note)
        if guesses is not None:
            # the value as typed with the one meant: 'flooding:3' -> 'reduce-flood-risk:3'
            value = why.guess + typed.strip()[len(why.value) :]
            name = (names() if names is not None else {}).get(why.guess, why.guess)
            guesses.append(Guess(key, typed, value, name, note))
    if rest:
        notes.append(_unknown_note(key, rest))


def take_guess(params: Mapping[str, str], guess: Guess) -> dict[str, str]:
    """An address's parameters (as `Scenario.to_query` writes them) with a guess taken: its
    value added to a parameter that lists values (goal=, have=), or in place of a one-value
    parameter's (state=)."""
    out = dict(params)
    listed = {*PROFILE_LISTS, *(kind.name for kind in REGISTRY if kind.multi)}
    if guess.key in listed and out.get(guess.key):
        out[guess.key] = f"{out[guess.key]},{guess.value}"
    else:
        out[guess.key] = guess.value
    return out


def check_value(
    what: str, value: str, valid: Sequence[str], names: Names | None = None, also: AlsoCalled | None = None
) -> str:
    """`value` if valid (case-insensitive for words) or a valid value's whole name as pages
    show it ("New Jersey" is NJ), else UnknownValue."""
    if value in valid:
        return value
    folded = {v.lower(): v for v in valid}
    typed = " ".join(value.lower().split())
    if typed in folded:
        return folded[typed]
    if names is not None:
        by_name = {" ".join(name.lower().split()): v for v, name in names().items()}
        if typed in by_name:
            return by_name[typed]
    raise UnknownValue(what, value, valid, names, also)


def kind_names(kind: ConstraintKind, catalog: Catalog) -> Names:
    """A constraint kind's values by the names its widget shows (state "Pennsylvania")."""
    return lambda: {v: kind.value_label(v, catalog) for v in kind.valid(catalog)}


LISTED_HELP = "; repeat it or separate with commas, as in the address"  # said by each option split_listed reads


def split_listed(values: Iterable[str]) -> list[str]:
    """An option's values, repeated or comma-separated as in the address ("a:3,b" is two)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_goal(
    text: str, valid: Sequence[str], names: Names | None = None, also: AlsoCalled | None = None
) -> tuple[str, Importance]:
    """'id' or 'id:N' (importance 1 to 3) -> (id, importance); the goal may be given by its name."""
    gid, _, imp = text.strip().partition(":")
    gid = check_value("goal", gid, valid, names, also)
    if not imp:
        return gid, DEFAULT_IMPORTANCE
    levels = [str(int(i)) for i in Importance]
    level = check_value(
        "importance", imp.strip(), levels, lambda: {str(int(i)): IMPORTANCE_LABELS[i] for i in Importance}
    )
    return gid, Importance(int(level))


def _values(
    params: Mapping[str, object], key: str, notes: list[str] | None = None, repeated: list[str] | None = None
) -> list[str]:
    """The parameter's values, comma-separated or repeated, each once, within the limits
    above; what is cut is said in one note (when `notes` is given), a value given more
    than once goes into `repeated` (when given)."""
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    said = notes if notes is not None else []
    size = sum(len(str(item)) for item in items)
    if size > MAX_PARAM_CHARS:
        said.append(f"Ignored {key}= in the address: {size:,} characters; at most {MAX_PARAM_CHARS:,} characters.")
        return []
    out: list[str] = []
    seen: set[str] = set()
    too_long = extra = 0
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if part in seen:
                if repeated is not None and part not in repeated:
                    repeated.append(part)
                continue
            seen.add(part)
            if len(part) > MAX_VALUE_CHARS:
                too_long += 1
            elif len(out) >= MAX_VALUES:
                extra += 1
            else:
                out.append(part)
    if too_long:
        said.append(
            f"Ignored {too_long:,} value{'s' if too_long != 1 else ''} of {key}= in the address "
            f"over {MAX_VALUE_CHARS} characters."
        )
    if extra:
        said.append(
            f"Read the first {MAX_VALUES} values of {key}= in the address and ignored {extra:,} more; "
            f"at most {MAX_VALUES} values."
        )
    return out


def _unknown_note(key: str, bad: Sequence[tuple[str, str | UnknownValue]]) -> str:
    """One note for a parameter's unknown values: each with its reason when there are
    few, else the first few and how many more."""
    if len(bad) == 1:
        why = bad[0][1]
        # a note that names the one meant does not list every valid value
        said = why.reason if isinstance(why, UnknownValue) and why.guess is not None else why
        return f"Ignored {key}={bad[0][0]!r} in the address: {said}."
    if len(bad) <= MAX_QUOTED:
        listed = {why.listed for _, why in bad if isinstance(why, UnknownValue) and why.guess is None}
        once = len(listed) <= 1 and all(isinstance(why, UnknownValue) for _, why in bad)
        # the valid values once, not once a value
        heads = [why.reason if once and isinstance(why, UnknownValue) else str(why) for _, why in bad]
        said = "; ignored ".join(f"{key}={v!r} in the address: {head}" for (v, _), head in zip(bad, heads, strict=True))
        return f"Ignored {said}" + (f"; {listed.pop()}." if once and listed else ".")
    shown = ", ".join(repr(v[:40]) for v, _ in bad[:MAX_QUOTED])
    return f"Ignored {len(bad):,} unknown values of {key}= in the address: {shown} and {len(bad) - MAX_QUOTED:,} more."


STEPS: tuple[str, ...] = ("goals", "constraints", "results", "package", "plan")


@dataclass
class Scenario:
    """Everything /find shows, in one place: the profile, the shortlist, a linked
    room and the projector step. `from_query` reads an address, `to_query`
    writes one, `from_cli` reads the command line's options; all three read the
    constraint registry, so a new kind of constraint needs no change here."""

    profile: Profile = field(default_factory=Profile)
    shortlist: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    room: str | None = None  # a workshop vote's join code
    step: str = "goals"  # the facilitator's step in projector mode
    guesses: list[Guess] = field(default_factory=list)  # the address's misses that name one value

    @classmethod
    def from_query(cls, params: Mapping[str, object], catalog: Catalog) -> Scenario:
        """An address's parameters -> scenario; what is not understood is dropped, with a note."""
        return parse_scenario(params, catalog)

    def to_query(self, with_room: bool = True, with_step: bool = True) -> dict[str, str]:
        return scenario_params(
            self.profile,
            self.shortlist,
            room=self.room if with_room else None,
            step=self.step if with_step else None,
        )

    @classmethod
    def from_cli(cls, args: object, catalog: Catalog) -> Scenario:
        """argparse options (see `add_cli_options`) -> scenario; an unknown value raises UnknownValue."""

        def listed(name: str) -> list[str]:
            return split_listed(getattr(args, name, None) or [])

        goals: dict[str, Importance] = {}
        for g in listed("goal"):
            gid, imp = parse_goal(g, list(catalog.goals), goal_names(catalog), goals_also_called(catalog))
            goals[gid] = imp
        for gid in _wants(getattr(args, "wants", None) or "", catalog):
            goals.setdefault(gid, DEFAULT_IMPORTANCE)
        constraints: dict[str, object] = {}
        for kind in REGISTRY:
            raw = getattr(args, kind.name, None)
            valid = kind.valid(catalog)
            if kind.multi:
                constraints[kind.name] = frozenset(
                    check_value(kind.what, v, valid, kind_names(kind, catalog)) for v in listed(kind.name)
                )
            elif raw:
                constraints[kind.name] = check_value(kind.what, raw, valid, kind_names(kind, catalog))
        profile = Profile(
            goals=goals,
            focus=frozenset(check_value("focus area", f, FOCUS_AREAS) for f in listed("focus")),
            principles=frozenset(check_value("principle", p, PRINCIPLES) for p in listed("principle")),
            about=getattr(args, "about", None) or "",
            **constraints,  # type: ignore[arg-type]
        )
        return cls(profile=profile)


def _wants(text: str, catalog: Catalog) -> tuple[str, ...]:
    """--wants: the goals the room's words name (`read_wants`); a phrase that names none, or
    several, is an UnknownValue that says so."""
    read = read_wants(catalog, text)
    if read.unread:
        raise UnknownValue("goal", read.unread[0], list(catalog.goals), goal_names(catalog), goals_also_called(catalog))
    if read.several:
        phrase, hits = read.several[0]
        exc = UnknownValue("goal", phrase, list(catalog.goals))
        exc.reason = f"{phrase!r} names several goals ({', '.join(hits)})"
        exc.args = (f"{exc.reason}; give one with --goal",)
        raise exc
    return read.goals


def add_cli_options(parser: object) -> None:
    """The profile's options for an argparse (sub)parser: goals, tags and every registered constraint."""
    add = parser.add_argument  # type: ignore[attr-defined]
    add(
        "--goal",
        action="append",
        default=[],
        metavar="ID[:1-3]",
        help=f"a goal, optionally with importance 1-3 (or its name: essential, ...){LISTED_HELP}",
    )
    add(
        "--wants",
        default=None,
        metavar="TEXT",
        help="what the town wants in the room's words ('flooding, seniors, downtown'): each phrase is read "
        "as the goal it names, important",
    )
    add(
        "--about",
        default=None,
        metavar="TEXT",
        help="the town in a sentence ('a river borough whose Main Street floods'): a tool whose cue words it "
        f"uses is raised among those that serve the goals (at most {MAX_ABOUT_CHARS} characters are read)",
    )
    add("--focus", action="append", default=[], metavar="F", help=f"a focus area{LISTED_HELP}")
    add("--principle", action="append", default=[], metavar="P", help=f"a principle{LISTED_HELP}")
    for kind in REGISTRY:
        if kind.multi:
            add(f"--{kind.name}", action="append", default=[], metavar="ID", help=f"{kind.label.lower()}{LISTED_HELP}")
        else:
            metavar = "|".join(kind.values) if kind.values else "VALUE"
            add(f"--{kind.name}", default=None, metavar=metavar, help=kind.label.lower())


def _pick_list(
    params: Mapping[str, object],
    key: str,
    what: str,
    valid: Sequence[str],
    notes: list[str],
    names: Names | None = None,
    guesses: list[Guess] | None = None,
) -> list[str]:
    out = []
    bad: list[tuple[str, str | UnknownValue]] = []
    for value in _values(params, key, notes):
        if len(bad) >= MAX_QUOTED and value not in valid:  # no close-match search past the ones quoted
            bad.append((value, ""))
            continue
        try:
            v = check_value(what, value, valid, names)
        except UnknownValue as exc:
            bad.append((value, exc))
            continue
        if v not in out:
            out.append(v)
    _note_unknown(key, bad, notes, guesses, names)
    return out


def _first(values: list[str], key: str, notes: list[str]) -> str | None:
    """The first of a one-value parameter's values (from `_pick_list`); more are said and ignored."""
    if len(values) > 1:
        notes.append(f"Several values for {key} in the address; using {values[0]!r}.")
    return values[0] if values else None


def _about(params: Mapping[str, object], notes: list[str]) -> str:
    """about=: the town in a sentence (`logic.about`), as written, commas and all; the first
    value only, cut to MAX_ABOUT_CHARS, each with a note."""
    raw = params.get(ABOUT_PARAM)
    if raw is None:
        return ""
    items = [raw] if isinstance(raw, str) else [str(v) for v in raw]  # type: ignore[attr-defined]
    if len(items) > 1:
        notes.append("Several values for about in the address; using the first.")
    text = str(items[0]) if items else ""
    if len(text) > MAX_PARAM_CHARS:
        notes.append(
            f"Ignored about= in the address: {len(text):,} characters; at most {MAX_PARAM_CHARS:,} characters."
        )
        return ""
    kept = clean_about(text)
    if len(kept) < len(" ".join(text.split())):
        notes.append(f"Kept the first {len(kept):,} characters of about= in the address; at most {MAX_ABOUT_CHARS}.")
    return kept


def parse_scenario(params: Mapping[str, object], catalog: Catalog) -> Scenario:
    """A /find address's parameters -> profile, shortlist and notes."""
    notes: list[str] = []
    guesses: list[Guess] = []
    goals: dict[str, Importance] = {}
    bad: list[tuple[str, str | UnknownValue]] = []
    clashes: list[str] = []
    for value in _values(params, "goal", notes):
        try:
            gid, imp = parse_goal(value, list(catalog.goals), goal_names(catalog), goals_also_called(catalog))
        except UnknownValue as exc:
            if exc.what == "importance":  # the goal was read (by its id or name): kept, as important
                gid = check_value(
                    "goal",
                    value.partition(":")[0],
                    list(catalog.goals),
                    goal_names(catalog),
                    goals_also_called(catalog),
                )
                imp = DEFAULT_IMPORTANCE
                levels = ", ".join(f"{int(i)} ({IMPORTANCE_LABELS[i].lower()})" for i in Importance)
                notes.append(
                    f"Ignored the importance in goal={value[:60]!r} in the address: importance is {levels}; "
                    f"kept “{catalog.goal_name(gid)}” as {IMPORTANCE_LABELS[DEFAULT_IMPORTANCE].lower()}."
                )
            else:
                bad.append((value, exc if len(bad) < MAX_QUOTED else ""))
                continue
        if goals.setdefault(gid, imp) != imp and gid not in clashes:
            clashes.append(gid)
    _note_unknown("goal", bad, notes, guesses, goal_names(catalog))
    for gid in clashes:  # goal=walk-bike,walk-bike:3: the first one counts, and the note says so
        notes.append(
            f"Goal “{catalog.goal_name(gid)}” is given more than once in the address with different importance; "
            f"kept the first: {IMPORTANCE_LABELS[goals[gid]].lower()}."
        )
    constraints: dict[str, object] = {}
    for kind in REGISTRY:
        names = kind_names(kind, catalog)
        if kind.multi:
            constraints[kind.name] = frozenset(
                _pick_list(params, kind.name, kind.what, kind.valid(catalog), notes, names, guesses)
            )
        else:
            constraints[kind.name] = _first(
                _pick_list(params, kind.name, kind.what, kind.valid(catalog), notes, names, guesses),
                kind.name,
                notes,
            )
    profile = Profile(
        goals=goals,
        focus=frozenset(_pick_list(params, "focus", "focus area", FOCUS_AREAS, notes, guesses=guesses)),
        principles=frozenset(_pick_list(params, "principle", "principle", PRINCIPLES, notes, guesses=guesses)),
        **constraints,  # type: ignore[arg-type]
    )
    shortlist = pick_tools(params, "shortlist", catalog, notes)
    room = None
    for value in _values(params, "room", notes)[:1]:
        code = re.sub(r"[^A-Z0-9]", "", value.upper())
        if 4 <= len(code) <= 12:
            room = code
        else:
            notes.append(f"Ignored room={value!r} in the address: not a join code.")
    step = _first(_pick_list(params, "step", "step", STEPS, notes, guesses=guesses), "step", notes) or "goals"
    profile = profile.replace(about=_about(params, notes))
    return Scenario(profile=profile, shortlist=shortlist, notes=notes, room=room, step=step, guesses=guesses)


def pick_tools(
    params: Mapping[str, object],
    key: str,
    catalog: Catalog,
    notes: list[str],
    limit: int | None = None,
) -> list[str]:
    """Tool slugs from a parameter (comma-separated or repeated); unknown ones noted."""
    out: list[str] = []
    bad: list[tuple[str, str]] = []
    twice: list[str] = []
    for value in _values(params, key, notes, twice):
        slug = slug_key(value)
        if slug not in catalog.tools:
            bad.append((value, "no tool has that slug"))
            continue
        if slug in out:
            twice.append(slug)
        else:
            out.append(slug)
    if bad:
        notes.append(_unknown_note(key, bad))
    named = list(dict.fromkeys(catalog.title(slug_key(s)) for s in twice if slug_key(s) in out))
    if named:
        notes.append(
            f"{join_words(named)} {'is' if len(named) == 1 else 'are'} named more than once in {key}=; listed once."
        )
    if limit is not None and len(out) > limit:
        notes.append(f"Only {limit} tools can be compared; showing the first {limit}.")
        out = out[:limit]
    return out


def profile_params() -> tuple[str, ...]:
    """The address parameters that hold a profile, in the order `scenario_params` writes them:
    goals, focus areas, principles, every registered constraint and the town's description.
    /find reads these and more; /compare reads these beside its tools; a scenario file holds them."""
    return (*PROFILE_LISTS, *REGISTRY.names(), ABOUT_PARAM)


def profile_param_names() -> frozenset[str]:
    """`profile_params` as a set."""
    return frozenset(profile_params())


def scenario_params(
    profile: Profile, shortlist: Iterable[str] = (), room: str | None = None, step: str | None = None
) -> dict[str, str]:
    """Profile -> query parameters (only what is set), in a stable order."""
    out: dict[str, str] = {}
    if profile.goals:
        out["goal"] = ",".join(
            gid if imp == DEFAULT_IMPORTANCE else f"{gid}:{imp}" for gid, imp in profile.goals.items()
        )
    if profile.focus:
        out["focus"] = ",".join(f for f in FOCUS_AREAS if f in profile.focus)
    if profile.principles:
        out["principle"] = ",".join(p for p in PRINCIPLES if p in profile.principles)
    for kind in REGISTRY:
        value = profile.get(kind.name)
        if isinstance(value, frozenset):
            if value:
                out[kind.name] = ",".join(sorted(value))
        elif value:
            out[kind.name] = str(value)
    if profile.about:
        out[ABOUT_PARAM] = profile.about
    short = list(shortlist)
    if short:
        out["shortlist"] = ",".join(short)
    if room:
        out["room"] = room
    if step and step != "goals":
        out["step"] = step
    return out


@dataclass
class CatalogQuery:
    focus: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    search: str = ""
    mode: str = "all"
    notes: list[str] = field(default_factory=list)


def parse_catalog_query(params: Mapping[str, object]) -> CatalogQuery:
    notes: list[str] = []
    focus = _pick_list(params, "focus", "focus area", FOCUS_AREAS, notes)
    principles = _pick_list(params, "principle", "principle", PRINCIPLES, notes)
    mode = _first(_pick_list(params, "mode", "mode", ("all", "any"), notes), "mode", notes) or "all"
    q = params.get("q")
    search = q if isinstance(q, str) else (str(list(q)[0]) if q else "")  # type: ignore[call-overload]
    return CatalogQuery(focus, principles, search.strip()[:200], mode, notes)


def catalog_params(q: CatalogQuery) -> dict[str, str]:
    out: dict[str, str] = {}
    if q.focus:
        out["focus"] = ",".join(q.focus)
    if q.principles:
        out["principle"] = ",".join(q.principles)
    if q.search.strip():
        out["q"] = q.search.strip()
    if q.mode != "all":
        out["mode"] = q.mode
    return out
