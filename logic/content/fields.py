"""A content file's problems and the validators of its fields: each checks one key,
adds a problem naming the file, the field and what is wrong, and returns what is usable."""

from __future__ import annotations

import errno
import stat
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from ..about import MAX_CUES, cue_form, cue_problem
from ..model import Link, Problem, StateLaw
from ..taxonomy import LAW_STATUSES, SETTING_GRADES, SETTINGS, STATES, Severity
from ..text import closest, is_safe_link
from .files import MAX_FILE_BYTES

MAX_MESSAGE_CHARS = 400  # one problem message
E = TypeVar("E", bound=StrEnum)
GUESS_CUTOFF = 0.6  # how alike (0-1) a misspelt value and a valid one must be to name it


def did_you_mean(value: str, valid: Iterable[str], cutoff: float = GUESS_CUTOFF, suffix: str = "") -> str:
    """' (did you mean 'X'?)' for the closest valid value, or ''; with a `suffix` the value
    is shown as written with it (an address parameter: ' (did you mean goal=?)')."""
    hint = closest(value, valid, cutoff)
    return meant(hint, suffix) if hint else ""


def meant(hint: str, suffix: str = "") -> str:
    """' (did you mean 'X'?)' for a value known to be the one meant: the one wording of the guess."""
    return f" (did you mean {hint + suffix if suffix else repr(hint)}?)"


def cap_message(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[: MAX_MESSAGE_CHARS - 40]}... ({len(message) - MAX_MESSAGE_CHARS + 40} more characters)"


class ProblemSink:
    """Validation context for one file (or one item of it, with `prefix`):
    collects problems with its name."""

    def __init__(self, name: str, problems: list[Problem], prefix: str = "") -> None:
        self.name = name
        self.problems = problems
        self.prefix = prefix

    def add(self, severity: Severity, field: str, message: str) -> None:
        self.problems.append(Problem(severity, self.name, self.prefix + field, cap_message(message)))


def str_list(page: ProblemSink, data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        page.add(Severity.ERROR, key, f"must be a list, got the text {value!r}")
        return []
    if not isinstance(value, list):
        page.add(Severity.ERROR, key, f"must be a list, got {type(value).__name__}")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item).strip()
            if text and text not in out:
                out.append(text)
        else:
            page.add(Severity.ERROR, f"{key}[{i}]", f"must be text, got {type(item).__name__}")
    return out


def choice_list(page: ProblemSink, data: dict, key: str, valid: Iterable[str], what: str) -> list[str]:
    valid = list(valid)
    out = []
    for value in str_list(page, data, key):
        if value in valid:
            out.append(value)
        else:
            extra = did_you_mean(value, valid)
            page.add(
                Severity.ERROR,
                key,
                f"unknown {what} {value!r}{extra}; valid: {', '.join(valid)}",
            )
    return out


def one_of(page: ProblemSink, data: dict, key: str, valid: tuple[str, ...]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in valid:
        return value.strip().lower()
    page.add(Severity.ERROR, key, f"{value!r} is not one of {', '.join(valid)}")
    return None


def enum_of(page: ProblemSink, data: dict, key: str, enum: type[E]) -> E | None:
    """A field whose values are an enum's (Level, Horizon): the enum value, or None."""
    value = one_of(page, data, key, tuple(enum))
    return None if value is None else enum(value)


def link_list(page: ProblemSink, data: dict, key: str) -> list[Link]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        page.add(Severity.ERROR, key, f"must be a list of label/link items, got {type(value).__name__}")
        return []
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            page.add(Severity.ERROR, where, "must have a label and a link")
            continue
        label, link = item.get("label"), item.get("link")
        if link is not None and not isinstance(link, str):
            page.add(Severity.ERROR, where, f"link must be text, got {type(link).__name__}")
            continue
        if not isinstance(link, str) or not link.strip():
            page.add(Severity.ERROR, where, "has no link")
            continue
        link = link.strip()
        if not isinstance(label, str) or not label.strip():
            page.add(Severity.WARNING, where, "has no label; the link is shown instead")
            label = link
        if not is_safe_link(link):
            page.add(
                Severity.ERROR,
                f"{where}.link",
                f"{link!r} is not an http(s) or mailto link; it is not shown",
            )
            continue
        out.append(Link(label=" ".join(label.split()), link=link))
    return out


def text_value(page: ProblemSink, data: dict, key: str) -> str:
    """An optional one-paragraph text value ("" when absent; an error when not text)."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        page.add(Severity.ERROR, key, f"must be text, got {type(value).__name__}; ignored")
        return ""
    return " ".join(value.split())


def cue_list(page: ProblemSink, data: dict, key: str = "cues", most: int | None = MAX_CUES) -> tuple[str, ...]:
    """`cues`: the words a town's description uses when the tool is one planners reach for there
    (`logic.about`); or catalog.yaml's `notCues`, written the same way, with no limit (`most`).
    Each is checked; a bad one, or one that reads as an earlier one does, is named and left out,
    the rest are kept."""
    out: list[str] = []
    for i, cue in enumerate(str_list(page, data, key)):
        problem = cue_problem(cue)
        same = next((kept for kept in out if cue_form(kept) == cue_form(cue)), None)
        if problem:
            page.add(Severity.WARNING, f"{key}[{i}]", f"{problem}; ignored")
        elif same is not None:
            page.add(
                Severity.WARNING,
                f"{key}[{i}]",
                f"{cue!r} reads as {same!r} does (a space and a hyphen join words alike); ignored",
            )
        elif most is not None and len(out) >= most:
            page.add(Severity.WARNING, f"{key}[{i}]", f"more than {most} {key}; {cue!r} and those after it are ignored")
            break
        else:
            out.append(cue)
    return tuple(out)


def flag_value(page: ProblemSink, data: dict, key: str) -> bool:
    """An optional yes/no value (False when absent; a warning when not true or false, read as false)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        page.add(Severity.WARNING, key, f"must be true or false, not {value!r}; read as false")
        return False
    return value


def setting_grades(page: ProblemSink, data: dict) -> dict[str, int]:
    """`settings` as {setting: 0-2}; the older plain list (settings it suits) loads as 2 for
    those listed and 1 for the others, with an info. Missing: {} (2 everywhere)."""
    value = data.get("settings")
    if value is None:
        return {}
    if isinstance(value, list):
        listed = choice_list(page, data, "settings", SETTINGS, "setting")
        if not listed:
            return {}
        page.add(
            Severity.INFO,
            "settings",
            "a plain list of settings; the ones listed count as 2 (suits), the others as 1 "
            "(with adaptation). Write settings: {urban: 0-2, suburban: 0-2, rural: 0-2} to grade them",
        )
        return {s: 2 if s in listed else 1 for s in SETTINGS}
    if not isinstance(value, dict):
        page.add(Severity.ERROR, "settings", f"must map each setting to a grade 0-2, got {type(value).__name__}")
        return {}
    out: dict[str, int] = {}
    for raw_key, grade in value.items():
        key = str(raw_key).strip().lower()
        where = f"settings.{key}"
        if key not in SETTINGS:
            page.add(
                Severity.ERROR,
                where,
                f"unknown setting {key!r}{did_you_mean(key, SETTINGS)}; valid: {', '.join(SETTINGS)}",
            )
            continue
        if isinstance(grade, bool) or grade not in SETTING_GRADES:
            page.add(
                Severity.ERROR,
                where,
                f"grade {grade!r} is not 0, 1 or 2 (0 does not apply, 1 with adaptation, 2 suits); "
                "the setting counts as 2",
            )
            continue
        out[key] = int(grade)
    if out and any(g < 2 for g in out.values()) and not data.get("settingsNote"):
        page.add(Severity.WARNING, "settingsNote", "missing: say in one sentence why a setting is graded below 2")
    return out


def state_law_entries(page: ProblemSink, data: dict) -> dict[str, StateLaw]:
    """`stateLaw` as {state: StateLaw}; the older `states` list (where it is allowed) makes
    the states it leaves out unavailable. A state named in neither: available."""
    out: dict[str, StateLaw] = {}
    listed = choice_list(page, data, "states", STATES, "state")
    if listed:
        for state in STATES:
            if state not in listed:
                out[state] = StateLaw("unavailable", note=f"Enabled only in {', '.join(listed)}.")
    value = data.get("stateLaw")
    if value is None:
        return out
    if not isinstance(value, dict):
        page.add(Severity.ERROR, "stateLaw", f"must map PA and NJ to a status, got {type(value).__name__}; ignored")
        return out
    for raw_state, entry in value.items():
        state = str(raw_state).strip().upper()
        where = f"stateLaw.{raw_state}"
        if state not in STATES:
            page.add(Severity.ERROR, where, f"unknown state {raw_state!r}; valid: {', '.join(STATES)}")
            continue
        if isinstance(entry, str):
            entry = {"status": entry}
        if not isinstance(entry, dict):
            page.add(Severity.ERROR, where, "must be an item with status, law and note; ignored")
            continue
        status = str(entry.get("status", "")).strip().lower()
        if status not in LAW_STATUSES:
            page.add(
                Severity.ERROR,
                f"{where}.status",
                f"{entry.get('status')!r} is not one of {', '.join(LAW_STATUSES)}; the state counts as available",
            )
            continue
        extra = set(map(str, entry)) - {"status", "law", "note"}
        if extra:
            page.add(Severity.WARNING, where, f"unknown keys ignored: {', '.join(sorted(extra))}")
        law, note = (" ".join(v.split()) if isinstance(v, str) else "" for v in (entry.get("law"), entry.get("note")))
        for key in ("law", "note"):
            if entry.get(key) is not None and not isinstance(entry.get(key), str):
                page.add(Severity.ERROR, f"{where}.{key}", "must be text; ignored")
        if status != "available" and not note:
            page.add(
                Severity.WARNING, f"{where}.note", f"missing: say what the limit is (the card shows it for {status})"
            )
        if listed and state not in listed and status != "unavailable":
            page.add(Severity.WARNING, where, f"says {status}, but `states` leaves {state} out; stateLaw is used")
        out[state] = StateLaw(status, law, note)
    return out


def read_content_file(path: Path, page: ProblemSink) -> str | None:
    """The file's text, or None with an error that says why it is skipped: a
    looping or dangling symlink, not a regular file, over MAX_FILE_BYTES, not UTF-8."""
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            what = "loops" if exc.errno == errno.ELOOP else "points to a missing file"
            page.add(Severity.ERROR, "file", f"is a symbolic link that {what}; skipped")
        else:
            page.add(Severity.ERROR, "file", f"cannot be read ({exc.strerror}); skipped")
        return None
    if not stat.S_ISREG(info.st_mode):
        page.add(Severity.ERROR, "file", "is not a regular file; skipped")
        return None
    limit = f"over the limit of {MAX_FILE_BYTES // 1024} KB for a content file; skipped"
    if info.st_size > MAX_FILE_BYTES:
        page.add(Severity.ERROR, "file", f"is {info.st_size // 1024} KB, {limit}")
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            page.add(Severity.ERROR, "file", f"is {limit}")
            return None
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        page.add(Severity.ERROR, "file", f"is not UTF-8 text ({exc.reason}); skipped")
    except OSError as exc:
        page.add(Severity.ERROR, "file", f"cannot be read ({exc.strerror}); skipped")
    return None


def duplicate_keys(page: ProblemSink, duplicates: list[tuple[str, int]], first_line: int = 1) -> None:
    for key, line in duplicates:
        page.add(
            Severity.WARNING,
            str(key)[:80],
            f"key {key[:80]!r} given twice (again at line {line + first_line}); the last value is used",
        )
