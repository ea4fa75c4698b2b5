"""One tool page: its keys, its front matter checked field by field (`parse_tool`)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..model import TRAITS, BuildsOn, Challenge, ChallengeRef, Goal, Problem, Tool
from ..taxonomy import DEFAULT_STRENGTH, FOCUS_AREAS, PRINCIPLES, STRENGTHS, TOOL_TYPES, Horizon, Level, Severity
from ..text import body_warnings, sections, slug_key
from .fields import (
    ProblemSink,
    choice_list,
    cue_list,
    did_you_mean,
    duplicate_keys,
    enum_of,
    link_list,
    one_of,
    read_content_file,
    setting_grades,
    state_law_entries,
    str_list,
    text_value,
)
from .yaml_safe import read_yaml, split_front_matter, yaml_error_message

# The content rules for a graded page (one that carries the decision keys), checked by
# `validate` and nowhere else: a page copied from the toolbox (none of them) loads as it is.
GRADED_KEYS = ("goals", "challenges", "cost", "staffEffort", "timeToResults", "toolType")
MAX_GOALS = 4  # the goals a tool really advances; more dilutes "made for"
BODY_SECTIONS = ("What it is", "When it fits", "How to get started", "What to watch out for")
BODY_WORDS = (150, 380)  # a page a planner reads in a minute or two
CHALLENGE_SEVERITIES = (1, 2, 3)
DEFAULT_SEVERITY = 2

TOOLBOX_KEYS = (
    "slug",
    "title",
    "focusAreas",
    "principles",
    "seeOther",
    "trackingProgressLinks",
    "media",
    "resources",
    "whoHasUsedThisTool",
    "guidelines",
)
DECISION_KEYS = (
    "goals",
    "challenges",
    "cost",
    "staffEffort",
    "timeToResults",
    "toolType",
    "states",
    "settings",
    "settingsNote",
    "stateLaw",
    "mandate",
    "needsCenter",
    "buildsOn",
    "cues",
)


def parse_tool(
    path: Path,
    name: str,
    problems: list[Problem],
    goals: dict[str, Goal],
    challenges: dict[str, Challenge],
) -> Tool | None:
    """One tool page, or None when it cannot be used (problems say why)."""
    page = ProblemSink(name, problems)
    text = read_content_file(path, page)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        page.add(Severity.ERROR, "front matter", "no front matter: the file must start with '---', YAML, then '---'")
        return None
    front, body = parts
    try:
        data, duplicates = read_yaml(front)
    except yaml.YAMLError as exc:
        page.add(Severity.ERROR, "front matter", yaml_error_message(exc, first_line=2))
        return None
    duplicate_keys(page, duplicates, first_line=2)
    if not isinstance(data, dict):
        page.add(Severity.ERROR, "front matter", "must be a mapping of keys to values")
        return None

    for key in data:
        if key not in known_keys():
            extra = did_you_mean(str(key), list(known_keys()))
            page.add(Severity.WARNING, str(key), f"unknown key, ignored{extra}")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        page.add(Severity.ERROR, "title", "missing or not text; the page is skipped")
        return None
    raw_slug = data.get("slug")
    if raw_slug is None:
        slug = path.stem.lower()
        page.add(Severity.WARNING, "slug", f"missing; using the file name {slug!r}")
    elif not isinstance(raw_slug, str):
        page.add(Severity.ERROR, "slug", "must be text; the page is skipped")
        return None
    else:
        slug = slug_key(raw_slug)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug or ""):
        page.add(
            Severity.ERROR, "slug", f"{raw_slug!r} must be lower-case letters, digits and '-'; the page is skipped"
        )
        return None

    focus = choice_list(page, data, "focusAreas", FOCUS_AREAS, "focus area")
    principles = choice_list(page, data, "principles", PRINCIPLES, "principle")
    goal_strength = _goal_strengths(page, data, goals)
    media = data.get("media")
    if media is not None and not isinstance(media, dict):
        page.add(Severity.WARNING, "media", "must be a mapping (type, path, credit); ignored")

    traits = _traits(page, data)
    body_text = body.strip()
    for message in body_warnings(body_text):
        page.add(Severity.WARNING, "body", message)
    _graded_page_rules(page, data, body_text)

    return Tool(
        slug=slug,
        title=" ".join(title.split()),
        file=name,
        focus_areas=tuple(focus),
        principles=tuple(principles),
        see_other=tuple(str_list(page, data, "seeOther")),
        indicators=tuple(str_list(page, data, "trackingProgressLinks")),
        resources=tuple(link_list(page, data, "resources")),
        who_has_used=tuple(link_list(page, data, "whoHasUsedThisTool")),
        guidelines=tuple(link_list(page, data, "guidelines")),
        goals=tuple(sorted(goal_strength, key=lambda g: -goal_strength[g])),
        goal_strength=goal_strength,
        challenges=tuple(_challenge_refs(page, data, challenges)),
        cost=enum_of(page, data, "cost", Level),
        staff_effort=enum_of(page, data, "staffEffort", Level),
        time_to_results=enum_of(page, data, "timeToResults", Horizon),
        tool_type=one_of(page, data, "toolType", TOOL_TYPES),
        state_law=state_law_entries(page, data),
        settings=setting_grades(page, data),
        settings_note=text_value(page, data, "settingsNote"),
        mandate=text_value(page, data, "mandate"),
        needs_center=text_value(page, data, "needsCenter"),
        builds_on=tuple(_builds_on_entries(page, data)),
        cues=cue_list(page, data),
        body=body_text,
        traits=traits,
    )


def _traits(page: ProblemSink, data: dict) -> dict[str, str | tuple[str, ...]]:
    """What the page says under each declared trait's key (model.TRAITS)."""
    out: dict[str, str | tuple[str, ...]] = {}
    for trait in TRAITS.values():
        if trait.key not in data:
            continue
        if trait.multi:
            values = choice_list(page, data, trait.key, trait.values, trait.name)
            if values:
                out[trait.name] = tuple(values)
        else:
            value = one_of(page, data, trait.key, trait.values)
            if value is not None:
                out[trait.name] = value
    return out


def known_keys() -> tuple[str, ...]:
    """Every front-matter key a tool page may have: the toolbox's, the decision keys, and
    each declared trait's key."""
    return (*TOOLBOX_KEYS, *DECISION_KEYS, *(t.key for t in TRAITS.values()))


def _builds_on_entries(page: ProblemSink, data: dict) -> list[BuildsOn]:
    """`buildsOn` as written: items of `slug` and `reason` (a plain slug is read as an
    item without a reason). Whether each slug is a tool is checked once every page is
    loaded (`resolve_builds_on`)."""
    value = data.get("buildsOn")
    if value is None:
        return []
    if not isinstance(value, list):
        page.add(
            Severity.ERROR,
            "buildsOn",
            f"must be a list of items with a slug and a reason, got {type(value).__name__}; ignored",
        )
        return []
    out: list[BuildsOn] = []
    for i, item in enumerate(value):
        where = f"buildsOn[{i}]"
        raw_slug: object
        if isinstance(item, str):
            raw_slug, reason = item, None
        elif isinstance(item, dict):
            raw_slug, reason = item.get("slug"), item.get("reason")
            extra = set(map(str, item)) - {"slug", "reason"}
            if extra:
                page.add(Severity.WARNING, where, f"unknown keys ignored: {', '.join(sorted(extra))}")
        else:
            page.add(Severity.ERROR, where, "must be an item with a slug and a reason; dropped")
            continue
        if not isinstance(raw_slug, str) or not raw_slug.strip():
            page.add(Severity.ERROR, where, "has no slug (the tool that usually comes first); dropped")
            continue
        slug = slug_key(raw_slug)
        if reason is not None and not isinstance(reason, str):
            page.add(Severity.ERROR, f"{where}.reason", "must be text")
            reason = None
        reason_text = " ".join((reason or "").split())
        if not reason_text:
            # An error, so `validate` fails until someone writes it: the reason is what the
            # tool page and the plan show. The entry is kept, so the order still holds.
            page.add(
                Severity.ERROR,
                where,
                f"{slug!r} has no reason; write one line on why it usually comes first (the order is kept meanwhile)",
            )
        if any(b.slug == slug for b in out):
            page.add(Severity.WARNING, where, f"{slug!r} listed twice; the second is ignored")
            continue
        out.append(BuildsOn(slug, reason_text))
    return out


def _challenge_refs(page: ProblemSink, data: dict, valid: dict[str, Challenge]) -> list[ChallengeRef]:
    value = data.get("challenges")
    if value is None:
        return []
    if not isinstance(value, list):
        page.add(Severity.ERROR, "challenges", "must be a list of ids or id/note items")
        return []
    out: list[ChallengeRef] = []
    for i, item in enumerate(value):
        where = f"challenges[{i}]"
        note = ""
        severity = DEFAULT_SEVERITY
        if isinstance(item, str):
            cid = item.strip()
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            cid = item["id"].strip()
            raw_note = item.get("note", "")
            if raw_note is not None and not isinstance(raw_note, str):
                page.add(Severity.ERROR, f"{where}.note", "must be text")
            else:
                note = " ".join((raw_note or "").split())
            raw_severity = item.get("severity", DEFAULT_SEVERITY)
            if isinstance(raw_severity, bool) or raw_severity not in CHALLENGE_SEVERITIES:
                page.add(
                    Severity.ERROR,
                    f"{where}.severity",
                    f"{raw_severity!r} is not 1, 2 or 3 (1 minor, 2 real, 3 can stop it); {DEFAULT_SEVERITY} is used",
                )
            else:
                severity = int(raw_severity)
            extra = set(item) - {"id", "note", "severity"}
            if extra:
                page.add(Severity.WARNING, where, f"unknown keys ignored: {', '.join(sorted(map(str, extra)))}")
        else:
            page.add(Severity.ERROR, where, "must be a challenge id or an item with id, severity and note")
            continue
        if valid and cid not in valid:
            extra_hint = did_you_mean(cid, valid)
            page.add(
                Severity.ERROR,
                where,
                f"unknown challenge {cid!r}{extra_hint}; valid: {', '.join(valid)}",
            )
            continue
        if any(c.id == cid for c in out):
            page.add(Severity.WARNING, where, f"challenge {cid!r} listed twice")
            continue
        out.append(ChallengeRef(cid, note, severity))
    return out


def _goal_strengths(page: ProblemSink, data: dict, valid: dict[str, Goal]) -> dict[str, int]:
    """`goals` as {id: strength 1-3}; a plain list of ids loads at strength 2 (with an info)."""
    value = data.get("goals")
    if value is None:
        return {}
    if isinstance(value, list):
        ids = choice_list(page, data, "goals", valid, "goal") if valid else str_list(page, data, "goals")
        if ids:
            page.add(
                Severity.INFO,
                "goals",
                f"a plain list of goals; each counts as strength {DEFAULT_STRENGTH} (main effect). "
                "Write goals: {id: 3|2|1} to grade them",
            )
        return dict.fromkeys(ids, DEFAULT_STRENGTH)
    if not isinstance(value, dict):
        page.add(Severity.ERROR, "goals", f"must map goal ids to a strength 1-3, got {type(value).__name__}")
        return {}
    out: dict[str, int] = {}
    for raw_id, raw_strength in value.items():
        gid = str(raw_id).strip()
        where = f"goals.{gid}"
        if valid and gid not in valid:
            page.add(
                Severity.ERROR, where, f"unknown goal {gid!r}{did_you_mean(gid, valid)}; valid: {', '.join(valid)}"
            )
            continue
        if isinstance(raw_strength, bool) or not isinstance(raw_strength, int) or raw_strength not in STRENGTHS:
            page.add(
                Severity.ERROR,
                where,
                f"strength {raw_strength!r} is not 1, 2 or 3 (3 made for it, 2 a main effect, 1 a side benefit); "
                "the goal is dropped",
            )
            continue
        out[gid] = raw_strength
    if len(out) > MAX_GOALS:
        page.add(
            Severity.WARNING,
            "goals",
            f"{len(out)} goals; grade at most {MAX_GOALS}, the goals the tool really advances",
        )
    return out


def _graded_page_rules(page: ProblemSink, data: dict, body: str) -> None:
    """A page that carries some decision keys carries all of them, at least one challenge, the
    four body sections the app reads, and a body of readable length."""
    present = [k for k in GRADED_KEYS if data.get(k)]
    if not present:
        return  # a page from the toolbox: listed, and ranked once it is graded
    missing = [k for k in GRADED_KEYS if k not in present]
    if missing:
        page.add(Severity.WARNING, missing[0], f"a graded page needs {', '.join(missing)} too (see content/README.md)")
    found = {s for s in sections(body)}
    gone = [s for s in BODY_SECTIONS if s not in found]
    if gone:
        page.add(Severity.WARNING, "body", f"no {'; no '.join(f'## {s}' for s in gone)} section (the app reads each)")
    words = len(body.split())
    low, high = BODY_WORDS
    if words > high:  # too long to read in a minute or two
        page.add(Severity.WARNING, "body", f"{words} words; a page reads best at {low} to {high}")
    elif words < low:  # short is allowed (a stub, the test catalog), only noted
        page.add(Severity.INFO, "body", f"{words} words; a page reads best at {low} to {high}")
