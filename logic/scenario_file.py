"""The scenario file: a JSON file (`SCHEMA`, `SCHEMA_VERSION`) that holds a scenario as
the address writes it, its title and the catalog it was made with. `scenario_json`
writes one; `read_scenario_file` reads one back, refusing anything that is not one with
a message that says why."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Catalog
from .scenario import Scenario, profile_params
from .text import clean_title

if TYPE_CHECKING:
    from .brief.model import Brief

SCHEMA = "toolbox-scenario"
SCHEMA_VERSION = 1
MAX_SCENARIO_BYTES = 100 * 1024
MAX_FILE_PROBLEMS = 3  # a refused scenario file's message names this many problems, then "and N more"


def scenario_json(brief: Brief, catalog: Catalog) -> str:
    """A scenario file: schema, version, title, the catalog it was made with, and the
    scenario as the address writes it."""
    return (
        json.dumps(
            {
                "schema": SCHEMA,
                "version": SCHEMA_VERSION,
                "title": brief.title,
                "created": brief.date.isoformat(),
                "catalog": {"version": catalog.version, "date": catalog.date, "fingerprint": catalog.fingerprint},
                "scenario": brief.scenario.to_query(with_room=True, with_step=False),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario | None
    message: str
    title: str = ""


def _scenario_keys() -> list[str]:
    return [*profile_params(), "shortlist", "room"]


def read_scenario_file(data: bytes, catalog: Catalog) -> LoadedScenario:
    """A scenario file's bytes -> the scenario, or None and a message that says why not.
    Nothing in a refused file is used: one unknown id refuses the whole file."""
    if len(data) > MAX_SCENARIO_BYTES:
        return LoadedScenario(
            None, f"The file is {len(data) / 1024:.0f} KB; a scenario file is at most {MAX_SCENARIO_BYTES // 1024} KB."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return LoadedScenario(None, "The file is not text (UTF-8), so it is not a scenario file.")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return LoadedScenario(None, f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).")
    except RecursionError:
        return LoadedScenario(None, "The file is not valid JSON (nested too deeply).")
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        return LoadedScenario(
            None, f'The file is JSON but not a scenario file (it needs "schema": "{SCHEMA}" at the top).'
        )
    version = doc.get("version")
    if type(version) is not int or version != SCHEMA_VERSION:  # 1.0 and true are not version 1
        return LoadedScenario(
            None,
            f"The file is a scenario file of version {json.dumps(version)[:20]}; this navigator reads version "
            f"{SCHEMA_VERSION}. Open it in the navigator that made it, or make the scenario again.",
        )
    body = doc.get("scenario")
    if not isinstance(body, dict):
        return LoadedScenario(None, 'The scenario file has no "scenario" object.')
    known = _scenario_keys()
    params: dict[str, str] = {}
    problems: list[str] = []
    for key, value in body.items():
        if key not in known:
            problems.append(
                f"unknown field {str(key)[:40]!r} (known: {', '.join(known)})"
                if not problems
                else f"unknown field {str(key)[:40]!r}"
            )
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            problems.append(f"{key} must be text")
            continue
        params[key] = value
    if not problems:
        scenario = Scenario.from_query(params, catalog)
        problems += [_unquote_note(n) for n in scenario.notes]
    if problems:  # summarised: a file can hold thousands of bad values
        shown = "; ".join(problems[:MAX_FILE_PROBLEMS])
        more = f"; and {len(problems) - MAX_FILE_PROBLEMS:,} more problems" if len(problems) > MAX_FILE_PROBLEMS else ""
        return LoadedScenario(None, f"The scenario file was not loaded: {shown}{more}.")
    title = clean_title(doc.get("title") if isinstance(doc.get("title"), str) else "")
    p = scenario.profile
    n = len(p.constraints())
    parts = [f"{len(p.goals)} goal{'s' if len(p.goals) != 1 else ''}", f"{n} constraint{'s' if n != 1 else ''}"]
    if scenario.shortlist:
        parts.append(f"{len(scenario.shortlist)} tools on the shortlist")
    made = doc.get("catalog")
    if not isinstance(made, dict):
        made = {}
    note = ""
    if made.get("fingerprint") and catalog.fingerprint and made.get("fingerprint") != catalog.fingerprint:
        other = made.get("version") or "another version"
        note = f" It was made with catalog {str(other)[:40]}; rankings follow today's catalog ({catalog.edition})."
    named = f" {title!r}" if title else ""
    return LoadedScenario(scenario, f"Scenario{named} loaded: {', '.join(parts)}.{note}", title)


def _unquote_note(note: str) -> str:
    """An address note reworded for a file: "Ignored shortlist='x' in the address: no tool has
    that slug." -> "shortlist='x': no tool has that slug"; no note about a file speaks of
    the address."""
    note = re.sub(r"ignored ([^;]*?) in the address: ", r"\1: ", note, flags=re.I)  # each value of several
    note = re.sub(r"; kept [^;]*$", "", note)  # a refused file keeps nothing
    return note.replace(" in the address", "").rstrip(".")


def load_scenario_file(data: bytes, catalog: Catalog) -> tuple[Scenario | None, str]:
    """(scenario, message), or (None, why not): invalid JSON, another schema version,
    unknown goal or tool ids, a file over 100 KB."""
    loaded = read_scenario_file(data, catalog)
    return loaded.scenario, loaded.message
