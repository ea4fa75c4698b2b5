"""The catalog's lists: goals.yaml, challenges.yaml, indicators.yaml and catalog.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..model import Challenge, Goal, Problem
from ..taxonomy import Severity
from ..text import is_safe_link, normalise_name, slug_key
from .fields import ProblemSink, cap_message, cue_list, duplicate_keys, flag_value, read_content_file, str_list
from .yaml_safe import read_yaml, yaml_error_message


def _load_list_file(path: Path, name: str, problems: list[Problem]) -> list[tuple[str, dict]]:
    """The items of goals.yaml or challenges.yaml as (id, item); problems name
    the item by its id (or, when it has none, by its position and name)."""
    page = ProblemSink(name, problems)
    if not path.exists() and not path.is_symlink():
        page.add(Severity.ERROR, "file", "is missing")
        return []
    text = read_content_file(path, page)
    if text is None:
        return []
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add(Severity.ERROR, "file", yaml_error_message(exc))
        return []
    duplicate_keys(page, duplicates)
    if not isinstance(data, list):
        page.add(Severity.ERROR, "file", "must be a list of items with an id")
        return []
    out: list[tuple[str, dict]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            label = item.get("name") if isinstance(item, dict) else None
            named = f" (name {label[:80]!r})" if isinstance(label, str) else ""
            page.add(Severity.ERROR, f"item {i + 1}", f"has no id{named}; must be an item with an id; skipped")
            continue
        if item["id"] in seen:
            page.add(
                Severity.ERROR,
                f"{item['id']}.id",
                f"duplicate id {item['id']!r} (items {seen[item['id']] + 1} and {i + 1}); the second is skipped",
            )
            continue
        seen[item["id"]] = i
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            page.add(Severity.ERROR, f"{item['id']}.name", "missing or not text")
            continue
        out.append((item["id"], item))
    return out


def group_id(name: str) -> str:
    """A goal group's id, from its name: lower case, accents dropped, '&' read as
    'and', every run of other characters one '-' ("Environment and climate" ->
    "environment-and-climate"). Rewording a group changes its id; nothing stores it."""
    return "-".join(normalise_name(name).split()) or "group"


def load_goals(root: Path, problems: list[Problem]) -> dict[str, Goal]:
    goals = {}
    ids: dict[str, str] = {}  # group id -> the group name that has it
    for gid, item in _load_list_file(root / "goals.yaml", "goals.yaml", problems):
        group = str(item.get("group") or "Other goals")
        key = group_id(group)
        if ids.setdefault(key, group) != group:  # e.g. "Homes & people" after "Homes and people"
            problems.append(
                Problem(
                    Severity.WARNING,
                    "goals.yaml",
                    f"{gid}.group",
                    cap_message(
                        f"{group!r} and {ids[key]!r} read as one group; spell them the same ({ids[key]!r} is used)"
                    ),
                )
            )
            group = ids[key]
        sink = ProblemSink("goals.yaml", problems, prefix=f"{gid}.")
        goals[gid] = Goal(
            id=gid,
            name=item["name"].strip(),
            group=group,
            description=str(item.get("description") or ""),
            group_id=key,
            exemplar=str(item.get("exemplar") or "").strip(),
            also_called=tuple(str_list(sink, item, "alsoCalled")),
            go_to=tuple(slug_key(s) for s in str_list(sink, item, "goTo")),
            center=flag_value(sink, item, "center"),
        )
    _check_also_called(goals, problems)
    return goals


def _check_also_called(goals: dict[str, Goal], problems: list[Problem]) -> None:
    """Each of a goal's `alsoCalled` phrases names that goal alone: a phrase that another goal
    lists too (in any order, singular or plural) names neither, in a search or an address."""
    from ..browse import phrase_words

    listing: dict[frozenset[str], list[str]] = {}
    for gid, goal in goals.items():
        for phrase in goal.also_called:
            listing.setdefault(phrase_words(phrase), []).append(gid)
    for gid, goal in goals.items():
        for phrase in goal.also_called:
            said = phrase_words(phrase)
            others = [g for g in listing[said] if g != gid]
            if not said:
                message = f"{phrase!r} has no words; remove it"
            elif others:
                message = f"{phrase!r} also names {', '.join(others)}, so it names no goal; reword it"
            else:
                continue
            problems.append(Problem(Severity.WARNING, "goals.yaml", f"{gid}.alsoCalled", cap_message(message)))


def load_challenges(root: Path, problems: list[Problem]) -> dict[str, Challenge]:
    out = {}
    for cid, item in _load_list_file(root / "challenges.yaml", "challenges.yaml", problems):
        page = ProblemSink("challenges.yaml", problems, prefix=f"{cid}.")
        mitigations = str_list(page, item, "mitigations")
        if not 2 <= len(mitigations) <= 4:
            page.add(Severity.WARNING, "mitigations", f"has {len(mitigations)}; give 2 to 4")
        money = flag_value(page, item, "money")
        out[cid] = Challenge(
            id=cid,
            name=item["name"].strip(),
            description=str(item.get("description") or ""),
            mitigations=tuple(mitigations),
            enablers=tuple(slug_key(s) for s in str_list(page, item, "enablers")),
            money=money,
        )
    return out


def load_indicators(root: Path, problems: list[Problem]) -> dict[str, str]:
    page = ProblemSink("indicators.yaml", problems)
    path = root / "indicators.yaml"
    if not path.exists() and not path.is_symlink():
        page.add(Severity.WARNING, "file", "is missing; indicators are shown without links")
        return {}
    text = read_content_file(path, page)
    if text is None:
        return {}
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add(Severity.ERROR, "file", yaml_error_message(exc))
        return {}
    duplicate_keys(page, duplicates)
    if not isinstance(data, dict):
        page.add(Severity.ERROR, "file", "must map indicator names to links")
        return {}
    out = {}
    for name, link in data.items():
        if not is_safe_link(link):
            page.add(Severity.ERROR, str(name), f"{link!r} is not an http(s) link")
            continue
        out[str(name)] = str(link).strip()
    return out


def load_catalog_info(root: Path, problems: list[Problem]) -> tuple[str, str, tuple[str, ...]]:
    """(version, date, not cues) from catalog.yaml: `version` (text, e.g. "2025.1") and `date`
    (YYYY-MM-DD, when this version was published), both shown on every brief, and `notCues`:
    words that only start with a tool's cue, which no cue reads (`logic.about`). A missing file
    is a warning (the catalog is "unversioned"); a bad value an error, a bad not-cue a warning."""
    page = ProblemSink("catalog.yaml", problems)
    path = root / "catalog.yaml"
    if not path.exists() and not path.is_symlink():
        page.add(Severity.WARNING, "file", "is missing; briefs call the catalog unversioned (give version and date)")
        return "", "", ()
    text = read_content_file(path, page)
    if text is None:
        return "", "", ()
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add(Severity.ERROR, "file", yaml_error_message(exc))
        return "", "", ()
    duplicate_keys(page, duplicates)
    if not isinstance(data, dict):
        page.add(Severity.ERROR, "file", "must be a mapping with version and date")
        return "", "", ()
    extra = sorted(set(map(str, data)) - {"version", "date", "notCues"})
    if extra:
        page.add(Severity.WARNING, "file", f"unknown keys ignored: {', '.join(extra)}")
    version = data.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip() or len(version) > 40:
        page.add(Severity.ERROR, "version", 'must be short text, e.g. "2026.1"')
        version = ""
    raw_date = data.get("date")
    date = ""
    if isinstance(raw_date, dt.date) and not isinstance(raw_date, dt.datetime):
        date = raw_date.isoformat()
    elif isinstance(raw_date, str):
        try:
            date = dt.date.fromisoformat(raw_date.strip()).isoformat()
        except ValueError:
            page.add(Severity.ERROR, "date", f"{raw_date!r} is not a date written YYYY-MM-DD")
    else:
        page.add(Severity.ERROR, "date", "missing or not a date written YYYY-MM-DD")
    return version.strip(), date, cue_list(page, data, "notCues", most=None)
