"""Load and validate a content folder.

The loader never raises on bad content: every problem becomes a `Problem`
(severity, file, field, message), a broken page is skipped or repaired (bad
values dropped), and every good page still loads.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .model import BuildsOn, Catalog, Challenge, ChallengeRef, Goal, Link, Problem, StateLaw, Tool, gc_paused
from .taxonomy import (
    DEFAULT_STRENGTH,
    FOCUS_AREAS,
    HORIZONS,
    LAW_STATUSES,
    LEVELS,
    PRINCIPLES,
    SETTING_GRADES,
    SETTINGS,
    STATES,
    STRENGTHS,
    TOOL_TYPES,
)
from .text import body_warnings, closest, is_safe_link, normalise_name

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

PROJECT_ROOT = Path(__file__).resolve().parent.parent

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
    "buildsOn",
)
LINK_KEYS = ("resources", "whoHasUsedThisTool", "guidelines")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)
CLOSE_MATCH_CUTOFF = 0.8
# where YAML could have an anchor or alias: '&' or '*' at the start of a node (line start,
# after a space, '[', '{', ',', or after ':' or '?' as libyaml takes in flow style:
# {"a":&x 1}, [?*x]), followed by a name. Only for the message: the composer refuses
# any alias whatever its spelling (_compose).
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:?])[&*][^\s\[\]{},]", re.M)
# The most values (scalars, lists, mappings) one YAML document may hold: a tool page
# has about 150, challenges.yaml about 600; with aliases refused, a document holds no
# more values than it spells out, and this bounds even those.
MAX_YAML_NODES = 50_000
# Limits that keep one bad file from slowing down or flooding the app and the validator.
MAX_FILE_BYTES = 256 * 1024  # any content file: a tool page is about 4 KB, goals.yaml 5 KB
MAX_MESSAGE_CHARS = 400  # one problem message
MAX_PROBLEMS_PER_FILE = 50  # then one line says how many more


def default_content_dir() -> Path:
    """`TOOLBOX_CONTENT_DIR` if set, else `content/` beside app.py."""
    env = os.environ.get("TOOLBOX_CONTENT_DIR")
    return Path(env) if env else PROJECT_ROOT / "content"


def _glob(root: Path, pattern: str) -> list[Path]:
    try:
        return sorted(root.glob(pattern))
    except OSError:  # e.g. tools/ is itself a looping symlink; the loader reports it
        return []


def _entries(folder: Path, suffix: str) -> list[os.DirEntry[str]]:
    """The folder's entries whose names end in `suffix`, by name ([] when it cannot be listed)."""
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if e.name.endswith(suffix)), key=lambda e: e.name)
    except OSError:  # missing, or tools/ is itself a looping symlink; the loader reports it
        return []


def content_signature(content_dir: str | os.PathLike[str]) -> tuple:
    """What changes when any content file changes: names, sizes, mtimes.

    Called on every rerun of the app, so it lists each folder once with
    os.scandir (about 10 ms for 10,000 files). Never raises: a file that cannot
    be looked at (a looping or dangling symlink) is part of the signature as
    unreadable, and the loader names it."""
    root = Path(content_dir)
    if not root.is_dir():
        return (str(root), "missing")
    out: list[tuple[str, int | str, int]] = []
    for prefix, entries in (("", _entries(root, ".yaml")), ("tools/", _entries(root / "tools", ".md"))):
        for e in entries:
            try:
                st = e.stat()
                out.append((prefix + e.name, st.st_mtime_ns, st.st_size))
            except OSError as exc:
                out.append((prefix + e.name, "unreadable", exc.errno or 0))
    return tuple(out)


_RECENT: dict[str, tuple[float, str]] = {}
RECHECK_SECONDS = 1.0


def recent_signature(content_dir: str | os.PathLike[str], max_age: float | None = None) -> str:
    """A short digest of `content_signature`, looked at again at most every `max_age`
    seconds: the app asks on every rerun, and at 10,000 files a look takes about 50 ms
    (and a cache keyed on the 10,000-entry tuple itself hashes it on every lookup). An
    edit to the content shows up within a second."""
    key = str(content_dir)
    now = time.monotonic()
    hit = _RECENT.get(key)
    if hit is not None and now - hit[0] < (RECHECK_SECONDS if max_age is None else max_age):
        return hit[1]
    digest = hashlib.blake2b(repr(content_signature(content_dir)).encode(), digest_size=16).hexdigest()
    _RECENT[key] = (now, digest)
    return digest


def content_fingerprint(content_dir: str | os.PathLike[str]) -> str:
    """12 hex digits of a SHA-256 over every content file's name and bytes (the files
    `content_signature` lists): the same content gives the same fingerprint on any
    machine, whatever the files' dates. "" when the folder is missing."""
    root = Path(content_dir)
    if not root.is_dir():
        return ""
    digest = hashlib.sha256()
    for p in [*_glob(root, "*.yaml"), *_glob(root, "tools/*.md")]:
        digest.update(str(p.relative_to(root)).encode("utf-8") + b"\0")
        try:
            if not stat.S_ISREG(p.stat().st_mode):  # a FIFO would block open() until a writer came
                raise OSError("not a regular file")
            with p.open("rb") as fh:
                digest.update(fh.read(MAX_FILE_BYTES + 1))
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


class YamlRefused(yaml.YAMLError):
    """YAML the loader will not build: an anchor or an alias (`&a`, `*a`).

    Aliases let a few hundred bytes expand to gigabytes (the "billion laughs"),
    and content needs neither, so they are refused before anything is built."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _refuse_anchors(text: str) -> None:
    """Raise YamlRefused on the first anchor or alias. Walks the parser's events
    (linear in the text's size, nothing is built); skipped when the text has no
    '&' and no '*', without which YAML has neither."""
    if "&" not in text and "*" not in text:
        return
    if not _MAYBE_ANCHOR.search(text):  # '&' or '*' only inside words and URLs ("R&D", "?a=1&b=2")
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            name = getattr(event, "anchor", None) or "?"
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            raise YamlRefused(
                f"{kind} {name[:40]!r}: YAML anchors and aliases (&name, *name) are not allowed; write the value out",
                event.start_mark,
            )


class _KeyCheckingLoader(_Loader):
    """The safe loader, noting mapping keys given twice (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def _refuse_shared(node: yaml.Node | None) -> None:
    """Raise YamlRefused when the composed document reaches a node twice (which is
    what an alias is, in any YAML style, and a recursive one too) or holds more than
    MAX_YAML_NODES values. Linear in the document's size, before anything is built,
    so nothing can expand: the sure check behind _refuse_anchors' scan."""
    seen: set[int] = set()
    stack = [] if node is None else [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            raise YamlRefused(
                "a value is used twice (an alias): YAML anchors and aliases (&name, *name) are not allowed;"
                " write the value out",
                n.start_mark,
            )
        seen.add(id(n))
        if len(seen) > MAX_YAML_NODES:
            raise YamlRefused(f"holds more than {MAX_YAML_NODES:,} values; split it or shorten it", n.start_mark)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def read_yaml(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """(data, duplicate keys as (key, 0-based line)). Raises yaml.YAMLError on
    bad YAML and YamlRefused on an anchor or alias, or a document over
    MAX_YAML_NODES values, before building anything."""
    _refuse_anchors(text)
    loader = _KeyCheckingLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_shared(node)
        return (None if node is None else loader.construct_document(node)), loader.duplicates
    finally:
        loader.dispose()


def parse_yaml(text: str) -> Any:
    """The data of a YAML text (anchors and aliases refused)."""
    return read_yaml(text)[0]


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body), or None when the page has no front matter."""
    m = _FRONT.match(text)
    if not m:
        return None
    return m.group(1), m.group(2).strip("\n")


def did_you_mean(value: str, valid: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'X'?)' for the closest valid value, or ''."""
    hint = closest(value, valid, cutoff)
    return f" (did you mean {hint!r}?)" if hint else ""


def _cap(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[: MAX_MESSAGE_CHARS - 40]}... ({len(message) - MAX_MESSAGE_CHARS + 40} more characters)"


class _Page:
    """Validation context for one file (or one item of it, with `prefix`):
    collects problems with its name."""

    def __init__(self, name: str, problems: list[Problem], prefix: str = "") -> None:
        self.name = name
        self.problems = problems
        self.prefix = prefix

    def add(self, severity: str, field: str, message: str) -> None:
        self.problems.append(Problem(severity, self.name, self.prefix + field, _cap(message)))


def _str_list(page: _Page, data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        page.add("error", key, f"must be a list, got the text {value!r}")
        return []
    if not isinstance(value, list):
        page.add("error", key, f"must be a list, got {type(value).__name__}")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item).strip()
            if text and text not in out:
                out.append(text)
        else:
            page.add("error", f"{key}[{i}]", f"must be text, got {type(item).__name__}")
    return out


def _choices(page: _Page, data: dict, key: str, valid: Iterable[str], what: str) -> list[str]:
    valid = list(valid)
    out = []
    for value in _str_list(page, data, key):
        if value in valid:
            out.append(value)
        else:
            extra = did_you_mean(value, valid)
            page.add(
                "error",
                key,
                f"unknown {what} {value!r}{extra}; valid: {', '.join(valid)}",
            )
    return out


def _one_of(page: _Page, data: dict, key: str, valid: tuple[str, ...]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in valid:
        return value.strip().lower()
    page.add("error", key, f"{value!r} is not one of {', '.join(valid)}")
    return None


def _links(page: _Page, data: dict, key: str) -> list[Link]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        page.add("error", key, f"must be a list of label/link items, got {type(value).__name__}")
        return []
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            page.add("error", where, "must have a label and a link")
            continue
        label, link = item.get("label"), item.get("link")
        if link is not None and not isinstance(link, str):
            page.add("error", where, f"link must be text, got {type(link).__name__}")
            continue
        if not isinstance(link, str) or not link.strip():
            page.add("error", where, "has no link")
            continue
        link = link.strip()
        if not isinstance(label, str) or not label.strip():
            page.add("warning", where, "has no label; the link is shown instead")
            label = link
        if not is_safe_link(link):
            page.add(
                "error",
                f"{where}.link",
                f"{link!r} is not an http(s) or mailto link; it is not shown",
            )
            continue
        out.append(Link(label=" ".join(label.split()), link=link))
    return out


def _challenge_refs(page: _Page, data: dict, valid: dict[str, Challenge]) -> list[ChallengeRef]:
    value = data.get("challenges")
    if value is None:
        return []
    if not isinstance(value, list):
        page.add("error", "challenges", "must be a list of ids or id/note items")
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
                page.add("error", f"{where}.note", "must be text")
            else:
                note = " ".join((raw_note or "").split())
            raw_severity = item.get("severity", DEFAULT_SEVERITY)
            if isinstance(raw_severity, bool) or raw_severity not in CHALLENGE_SEVERITIES:
                page.add(
                    "error",
                    f"{where}.severity",
                    f"{raw_severity!r} is not 1, 2 or 3 (1 minor, 2 real, 3 can stop it); {DEFAULT_SEVERITY} is used",
                )
            else:
                severity = int(raw_severity)
            extra = set(item) - {"id", "note", "severity"}
            if extra:
                page.add("warning", where, f"unknown keys ignored: {', '.join(sorted(map(str, extra)))}")
        else:
            page.add("error", where, "must be a challenge id or an item with id, severity and note")
            continue
        if valid and cid not in valid:
            extra_hint = did_you_mean(cid, valid)
            page.add(
                "error",
                where,
                f"unknown challenge {cid!r}{extra_hint}; valid: {', '.join(valid)}",
            )
            continue
        if any(c.id == cid for c in out):
            page.add("warning", where, f"challenge {cid!r} listed twice")
            continue
        out.append(ChallengeRef(cid, note, severity))
    return out


def _goal_strengths(page: _Page, data: dict, valid: dict[str, Goal]) -> dict[str, int]:
    """`goals` as {id: strength 1-3}; a plain list of ids loads at strength 2 (with an info)."""
    value = data.get("goals")
    if value is None:
        return {}
    if isinstance(value, list):
        ids = _choices(page, data, "goals", valid, "goal") if valid else _str_list(page, data, "goals")
        if ids:
            page.add(
                "info",
                "goals",
                f"a plain list of goals; each counts as strength {DEFAULT_STRENGTH} (main effect). "
                "Write goals: {id: 3|2|1} to grade them",
            )
        return dict.fromkeys(ids, DEFAULT_STRENGTH)
    if not isinstance(value, dict):
        page.add("error", "goals", f"must map goal ids to a strength 1-3, got {type(value).__name__}")
        return {}
    out: dict[str, int] = {}
    for raw_id, raw_strength in value.items():
        gid = str(raw_id).strip()
        where = f"goals.{gid}"
        if valid and gid not in valid:
            page.add("error", where, f"unknown goal {gid!r}{did_you_mean(gid, valid)}; valid: {', '.join(valid)}")
            continue
        if isinstance(raw_strength, bool) or not isinstance(raw_strength, int) or raw_strength not in STRENGTHS:
            page.add(
                "error",
                where,
                f"strength {raw_strength!r} is not 1, 2 or 3 (3 made for it, 2 a main effect, 1 a side benefit); "
                "the goal is dropped",
            )
            continue
        out[gid] = raw_strength
    if len(out) > 6:
        page.add("warning", "goals", f"{len(out)} goals; grade only the goals the tool really advances")
    return out


CHALLENGE_SEVERITIES = (1, 2, 3)
DEFAULT_SEVERITY = 2


def _text(page: _Page, data: dict, key: str) -> str:
    """An optional one-paragraph text value ("" when absent; an error when not text)."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        page.add("error", key, f"must be text, got {type(value).__name__}; ignored")
        return ""
    return " ".join(value.split())


def _settings(page: _Page, data: dict) -> dict[str, int]:
    """`settings` as {setting: 0-2}; the older plain list (settings it suits) loads as 2 for
    those listed and 1 for the others, with an info. Missing: {} (2 everywhere)."""
    value = data.get("settings")
    if value is None:
        return {}
    if isinstance(value, list):
        listed = _choices(page, data, "settings", SETTINGS, "setting")
        if not listed:
            return {}
        page.add(
            "info",
            "settings",
            "a plain list of settings; the ones listed count as 2 (suits), the others as 1 "
            "(with adaptation). Write settings: {urban: 0-2, suburban: 0-2, rural: 0-2} to grade them",
        )
        return {s: 2 if s in listed else 1 for s in SETTINGS}
    if not isinstance(value, dict):
        page.add("error", "settings", f"must map each setting to a grade 0-2, got {type(value).__name__}")
        return {}
    out: dict[str, int] = {}
    for raw_key, grade in value.items():
        key = str(raw_key).strip().lower()
        where = f"settings.{key}"
        if key not in SETTINGS:
            page.add(
                "error", where, f"unknown setting {key!r}{did_you_mean(key, SETTINGS)}; valid: {', '.join(SETTINGS)}"
            )
            continue
        if isinstance(grade, bool) or grade not in SETTING_GRADES:
            page.add(
                "error",
                where,
                f"grade {grade!r} is not 0, 1 or 2 (0 does not apply, 1 with adaptation, 2 suits); "
                "the setting counts as 2",
            )
            continue
        out[key] = int(grade)
    if out and any(g < 2 for g in out.values()) and not data.get("settingsNote"):
        page.add("warning", "settingsNote", "missing: say in one sentence why a setting is graded below 2")
    return out


def _state_law(page: _Page, data: dict) -> dict[str, StateLaw]:
    """`stateLaw` as {state: StateLaw}; the older `states` list (where it is allowed) makes
    the states it leaves out unavailable. A state named in neither: available."""
    out: dict[str, StateLaw] = {}
    listed = _choices(page, data, "states", STATES, "state")
    if listed:
        for state in STATES:
            if state not in listed:
                out[state] = StateLaw("unavailable", note=f"Enabled only in {', '.join(listed)}.")
    value = data.get("stateLaw")
    if value is None:
        return out
    if not isinstance(value, dict):
        page.add("error", "stateLaw", f"must map PA and NJ to a status, got {type(value).__name__}; ignored")
        return out
    for raw_state, entry in value.items():
        state = str(raw_state).strip().upper()
        where = f"stateLaw.{raw_state}"
        if state not in STATES:
            page.add("error", where, f"unknown state {raw_state!r}; valid: {', '.join(STATES)}")
            continue
        if isinstance(entry, str):
            entry = {"status": entry}
        if not isinstance(entry, dict):
            page.add("error", where, "must be an item with status, law and note; ignored")
            continue
        status = str(entry.get("status", "")).strip().lower()
        if status not in LAW_STATUSES:
            page.add(
                "error",
                f"{where}.status",
                f"{entry.get('status')!r} is not one of {', '.join(LAW_STATUSES)}; the state counts as available",
            )
            continue
        extra = set(map(str, entry)) - {"status", "law", "note"}
        if extra:
            page.add("warning", where, f"unknown keys ignored: {', '.join(sorted(extra))}")
        law, note = (" ".join(v.split()) if isinstance(v, str) else "" for v in (entry.get("law"), entry.get("note")))
        for key in ("law", "note"):
            if entry.get(key) is not None and not isinstance(entry.get(key), str):
                page.add("error", f"{where}.{key}", "must be text; ignored")
        if status != "available" and not note:
            page.add("warning", f"{where}.note", f"missing: say what the limit is (the card shows it for {status})")
        if listed and state not in listed and status != "unavailable":
            page.add("warning", where, f"says {status}, but `states` leaves {state} out; stateLaw is used")
        out[state] = StateLaw(status, law, note)
    return out


def _read(path: Path, page: _Page) -> str | None:
    """The file's text, or None with an error that says why it is skipped: a
    looping or dangling symlink, not a regular file, over MAX_FILE_BYTES, not UTF-8."""
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            what = "loops" if exc.errno == errno.ELOOP else "points to a missing file"
            page.add("error", "file", f"is a symbolic link that {what}; skipped")
        else:
            page.add("error", "file", f"cannot be read ({exc.strerror}); skipped")
        return None
    if not stat.S_ISREG(info.st_mode):
        page.add("error", "file", "is not a regular file; skipped")
        return None
    limit = f"over the limit of {MAX_FILE_BYTES // 1024} KB for a content file; skipped"
    if info.st_size > MAX_FILE_BYTES:
        page.add("error", "file", f"is {info.st_size // 1024} KB, {limit}")
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            page.add("error", "file", f"is {limit}")
            return None
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        page.add("error", "file", f"is not UTF-8 text ({exc.reason}); skipped")
    except OSError as exc:
        page.add("error", "file", f"cannot be read ({exc.strerror}); skipped")
    return None


def _yaml_error(exc: yaml.YAMLError, first_line: int = 1) -> str:
    """The parser's complaint with its line in the file (front matter starts on line 2)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"YAML error at line {mark.line + first_line}, column {mark.column + 1}: {problem}"
    return f"YAML error: {problem}"


def _duplicate_keys(page: _Page, duplicates: list[tuple[str, int]], first_line: int = 1) -> None:
    for key, line in duplicates:
        page.add(
            "warning",
            str(key)[:80],
            f"key {key[:80]!r} given twice (again at line {line + first_line}); the last value is used",
        )


def parse_tool(
    path: Path,
    name: str,
    problems: list[Problem],
    goals: dict[str, Goal],
    challenges: dict[str, Challenge],
) -> Tool | None:
    """One tool page, or None when it cannot be used (problems say why)."""
    page = _Page(name, problems)
    text = _read(path, page)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        page.add("error", "front matter", "no front matter: the file must start with '---', YAML, then '---'")
        return None
    front, body = parts
    try:
        data, duplicates = read_yaml(front)
    except yaml.YAMLError as exc:
        page.add("error", "front matter", _yaml_error(exc, first_line=2))
        return None
    _duplicate_keys(page, duplicates, first_line=2)
    if not isinstance(data, dict):
        page.add("error", "front matter", "must be a mapping of keys to values")
        return None

    for key in data:
        if key not in TOOLBOX_KEYS and key not in DECISION_KEYS:
            extra = did_you_mean(str(key), [*TOOLBOX_KEYS, *DECISION_KEYS])
            page.add("warning", str(key), f"unknown key, ignored{extra}")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        page.add("error", "title", "missing or not text; the page is skipped")
        return None
    raw_slug = data.get("slug")
    if raw_slug is None:
        slug = path.stem.lower()
        page.add("warning", "slug", f"missing; using the file name {slug!r}")
    elif not isinstance(raw_slug, str):
        page.add("error", "slug", "must be text; the page is skipped")
        return None
    else:
        slug = raw_slug.strip().strip("/").lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug or ""):
        page.add("error", "slug", f"{raw_slug!r} must be lower-case letters, digits and '-'; the page is skipped")
        return None

    focus = _choices(page, data, "focusAreas", FOCUS_AREAS, "focus area")
    principles = _choices(page, data, "principles", PRINCIPLES, "principle")
    goal_strength = _goal_strengths(page, data, goals)
    media = data.get("media")
    if media is not None and not isinstance(media, dict):
        page.add("warning", "media", "must be a mapping (type, path, credit); ignored")

    body_text = body.strip()
    for message in body_warnings(body_text):
        page.add("warning", "body", message)

    return Tool(
        slug=slug,
        title=" ".join(title.split()),
        file=name,
        focus_areas=tuple(focus),
        principles=tuple(principles),
        see_other=tuple(_str_list(page, data, "seeOther")),
        indicators=tuple(_str_list(page, data, "trackingProgressLinks")),
        resources=tuple(_links(page, data, "resources")),
        who_has_used=tuple(_links(page, data, "whoHasUsedThisTool")),
        guidelines=tuple(_links(page, data, "guidelines")),
        goals=tuple(sorted(goal_strength, key=lambda g: -goal_strength[g])),
        goal_strength=goal_strength,
        challenges=tuple(_challenge_refs(page, data, challenges)),
        cost=_one_of(page, data, "cost", LEVELS),
        staff_effort=_one_of(page, data, "staffEffort", LEVELS),
        time_to_results=_one_of(page, data, "timeToResults", HORIZONS),
        tool_type=_one_of(page, data, "toolType", TOOL_TYPES),
        state_law=_state_law(page, data),
        settings=_settings(page, data),
        settings_note=_text(page, data, "settingsNote"),
        mandate=_text(page, data, "mandate"),
        builds_on=tuple(_builds_on_entries(page, data)),
        body=body_text,
    )


def _load_list_file(path: Path, name: str, problems: list[Problem]) -> list[tuple[str, dict]]:
    """The items of goals.yaml or challenges.yaml as (id, item); problems name
    the item by its id (or, when it has none, by its position and name)."""
    page = _Page(name, problems)
    if not path.exists() and not path.is_symlink():
        page.add("error", "file", "is missing")
        return []
    text = _read(path, page)
    if text is None:
        return []
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add("error", "file", _yaml_error(exc))
        return []
    _duplicate_keys(page, duplicates)
    if not isinstance(data, list):
        page.add("error", "file", "must be a list of items with an id")
        return []
    out: list[tuple[str, dict]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            label = item.get("name") if isinstance(item, dict) else None
            named = f" (name {label[:80]!r})" if isinstance(label, str) else ""
            page.add("error", f"item {i + 1}", f"has no id{named}; must be an item with an id; skipped")
            continue
        if item["id"] in seen:
            page.add(
                "error",
                f"{item['id']}.id",
                f"duplicate id {item['id']!r} (items {seen[item['id']] + 1} and {i + 1}); the second is skipped",
            )
            continue
        seen[item["id"]] = i
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            page.add("error", f"{item['id']}.name", "missing or not text")
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
                    "warning",
                    "goals.yaml",
                    f"{gid}.group",
                    _cap(f"{group!r} and {ids[key]!r} read as one group; spell them the same ({ids[key]!r} is used)"),
                )
            )
            group = ids[key]
        goals[gid] = Goal(
            id=gid,
            name=item["name"].strip(),
            group=group,
            description=str(item.get("description") or ""),
            group_id=key,
        )
    return goals


def load_challenges(root: Path, problems: list[Problem]) -> dict[str, Challenge]:
    out = {}
    for cid, item in _load_list_file(root / "challenges.yaml", "challenges.yaml", problems):
        page = _Page("challenges.yaml", problems, prefix=f"{cid}.")
        mitigations = _str_list(page, item, "mitigations")
        if not 2 <= len(mitigations) <= 4:
            page.add("warning", "mitigations", f"has {len(mitigations)}; give 2 to 4")
        out[cid] = Challenge(
            id=cid,
            name=item["name"].strip(),
            description=str(item.get("description") or ""),
            mitigations=tuple(mitigations),
            enablers=tuple(s.strip("/").lower() for s in _str_list(page, item, "enablers")),
        )
    return out


def load_indicators(root: Path, problems: list[Problem]) -> dict[str, str]:
    page = _Page("indicators.yaml", problems)
    path = root / "indicators.yaml"
    if not path.exists() and not path.is_symlink():
        page.add("warning", "file", "is missing; indicators are shown without links")
        return {}
    text = _read(path, page)
    if text is None:
        return {}
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add("error", "file", _yaml_error(exc))
        return {}
    _duplicate_keys(page, duplicates)
    if not isinstance(data, dict):
        page.add("error", "file", "must map indicator names to links")
        return {}
    out = {}
    for name, link in data.items():
        if not is_safe_link(link):
            page.add("error", str(name), f"{link!r} is not an http(s) link")
            continue
        out[str(name)] = str(link).strip()
    return out


def load_catalog_info(root: Path, problems: list[Problem]) -> tuple[str, str]:
    """(version, date) from catalog.yaml: `version` (text, e.g. "2025.1") and `date`
    (YYYY-MM-DD, when this version was published). Both are shown on every brief. A
    missing file is a warning (the catalog is "unversioned"); a bad value an error."""
    page = _Page("catalog.yaml", problems)
    path = root / "catalog.yaml"
    if not path.exists() and not path.is_symlink():
        page.add("warning", "file", "is missing; briefs call the catalog unversioned (give version and date)")
        return "", ""
    text = _read(path, page)
    if text is None:
        return "", ""
    try:
        data, duplicates = read_yaml(text)
    except yaml.YAMLError as exc:
        page.add("error", "file", _yaml_error(exc))
        return "", ""
    _duplicate_keys(page, duplicates)
    if not isinstance(data, dict):
        page.add("error", "file", "must be a mapping with version and date")
        return "", ""
    extra = sorted(set(map(str, data)) - {"version", "date"})
    if extra:
        page.add("warning", "file", f"unknown keys ignored: {', '.join(extra)}")
    version = data.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip() or len(version) > 40:
        page.add("error", "version", 'must be short text, e.g. "2026.1"')
        version = ""
    raw_date = data.get("date")
    date = ""
    if isinstance(raw_date, dt.date) and not isinstance(raw_date, dt.datetime):
        date = raw_date.isoformat()
    elif isinstance(raw_date, str):
        try:
            date = dt.date.fromisoformat(raw_date.strip()).isoformat()
        except ValueError:
            page.add("error", "date", f"{raw_date!r} is not a date written YYYY-MM-DD")
    else:
        page.add("error", "date", "missing or not a date written YYYY-MM-DD")
    return version.strip(), date


class NameResolver:
    """Finds a tool by title, slug, normalised title, then close match."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        tools = list(tools)
        self.by_title = {t.title: t.slug for t in tools}
        self.by_slug = {t.slug: t.slug for t in tools}
        self.by_norm = {normalise_name(t.title): t.slug for t in tools}
        self.titles = {t.slug: t.title for t in tools}
        self.norms = list(self.by_norm)  # listed once: a close match looks through all of them

    def resolve(self, name: str) -> tuple[str | None, str]:
        """(slug, how): how is exact, slug, normalised, close or none."""
        if name in self.by_title:
            return self.by_title[name], "exact"
        key = name.strip().strip("/").lower()
        if key in self.by_slug:
            return self.by_slug[key], "slug"
        norm = normalise_name(name)
        if norm in self.by_norm:
            return self.by_norm[norm], "normalised"
        close = closest(norm, self.norms, CLOSE_MATCH_CUTOFF)
        if close:
            return self.by_norm[close], "close"
        return None, "none"


def _resolve_related(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, Tool]:
    resolver = NameResolver(tools.values())
    out = {}
    for slug, tool in tools.items():
        page = _Page(tool.file, problems)
        related: list[str] = []
        for name in tool.see_other:
            target, how = resolver.resolve(name)
            if target is None:
                page.add("error", "seeOther", f"related tool {name!r} matches no tool in the catalog")
                continue
            title = resolver.titles[target]
            if how in ("normalised", "close"):
                page.add(
                    "warning",
                    "seeOther",
                    f"related tool {name!r} read as {title!r} ({'close match' if how == 'close' else 'spelling differs'}); write the exact title",
                )
            if target == slug:
                page.add("warning", "seeOther", f"lists itself ({name!r}) as related; ignored")
                continue
            if target not in related:
                related.append(target)
        out[slug] = replace(tool, related=tuple(related))
    return out


def _both_ways(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    links: dict[str, list[str]] = {slug: list(t.related) for slug, t in tools.items()}
    for slug, tool in tools.items():
        for target in tool.related:
            if slug not in tools[target].related:
                problems.append(
                    Problem(
                        "info",
                        tool.file,
                        "seeOther",
                        f"{tools[target].title!r} does not list {tool.title!r} back; the app shows the link both ways",
                    )
                )
                if slug not in links[target]:
                    links[target].append(slug)
    return {slug: tuple(sorted(rel, key=lambda s: tools[s].title.lower())) for slug, rel in links.items()}


def _builds_on_entries(page: _Page, data: dict) -> list[BuildsOn]:
    """`buildsOn` as written: items of `slug` and `reason` (a plain slug is read as an
    item without a reason). Whether each slug is a tool is checked once every page is
    loaded (`_resolve_builds_on`)."""
    value = data.get("buildsOn")
    if value is None:
        return []
    if not isinstance(value, list):
        page.add(
            "error",
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
                page.add("warning", where, f"unknown keys ignored: {', '.join(sorted(extra))}")
        else:
            page.add("error", where, "must be an item with a slug and a reason; dropped")
            continue
        if not isinstance(raw_slug, str) or not raw_slug.strip():
            page.add("error", where, "has no slug (the tool that usually comes first); dropped")
            continue
        slug = raw_slug.strip().strip("/").lower()
        if reason is not None and not isinstance(reason, str):
            page.add("error", f"{where}.reason", "must be text")
            reason = None
        reason_text = " ".join((reason or "").split())
        if not reason_text:
            # An error, so `validate` fails until someone writes it: the reason is what the
            # tool page and the plan show. The entry is kept, so the order still holds.
            page.add(
                "error",
                where,
                f"{slug!r} has no reason; write one line on why it usually comes first (the order is kept meanwhile)",
            )
        if any(b.slug == slug for b in out):
            page.add("warning", where, f"{slug!r} listed twice; the second is ignored")
            continue
        out.append(BuildsOn(slug, reason_text))
    return out


def _resolve_builds_on(tools: dict[str, Tool], problems: list[Problem]) -> dict[str, Tool]:
    """Drop `buildsOn` entries naming no tool or the tool itself, then any entry that
    closes a cycle (errors name the slug or the whole cycle, `a -> b -> a`)."""
    titles = {t.title.lower(): slug for slug, t in tools.items()}
    edges: dict[str, list[BuildsOn]] = {}
    for slug, tool in tools.items():
        page = _Page(tool.file, problems)
        kept: list[BuildsOn] = []
        for entry in tool.builds_on:
            if entry.slug == slug:
                page.add("error", "buildsOn", f"{slug!r} cannot build on itself; dropped")
            elif entry.slug not in tools:
                hint = titles.get(entry.slug)
                extra = f" (did you mean {hint!r}?)" if hint else did_you_mean(entry.slug, tools)
                page.add("error", "buildsOn", f"unknown tool {entry.slug!r}{extra}; dropped")
            else:
                kept.append(entry)
        edges[slug] = kept

    # Depth-first search in slug order: an edge back to a tool on the current path closes
    # a cycle; it is dropped and named on the file of the tool that lists it.
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for start in sorted(edges):
        if state.get(start):
            continue
        path = [start]
        todo = [iter(list(edges[start]))]
        state[start] = 1
        while todo:
            step = next(todo[-1], None)
            if step is None:
                state[path.pop()] = 2
                todo.pop()
                continue
            here, target = path[-1], step.slug
            if state.get(target) == 1:
                cycle = " -> ".join([*path[path.index(target) :], target])
                edges[here] = [e for e in edges[here] if e.slug != target]
                problems.append(
                    Problem(
                        "error",
                        tools[here].file,
                        "buildsOn",
                        _cap(f"cycle {cycle}: no tool can come first; the entry {target!r} is dropped"),
                    )
                )
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                todo.append(iter(list(edges[target])))
    return {
        slug: tool if tuple(edges[slug]) == tool.builds_on else replace(tool, builds_on=tuple(edges[slug]))
        for slug, tool in tools.items()
    }


PARALLEL_FROM = 2000  # tool pages; below this one process is faster than starting workers


def _parse_chunk(
    args: tuple[list[Path], dict[str, Goal], dict[str, Challenge]],
) -> list[tuple[Tool | None, list[Problem]]]:
    """Parse some tool pages (in a worker process): each page's tool and its problems."""
    paths, goals, challenges = args
    out = []
    for path in paths:
        problems: list[Problem] = []
        out.append((parse_tool(path, f"tools/{path.name}", problems, goals, challenges), problems))
    return out


def _parse_pages(
    paths: list[Path], problems: list[Problem], goals: dict[str, Goal], challenges: dict[str, Challenge], workers: int
) -> list[Tool | None]:
    """Every tool page parsed, in order; with `workers` > 1 and a large catalog, in
    that many processes (PyYAML builds Python objects, so threads would not help)."""
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        return [parse_tool(path, f"tools/{path.name}", problems, goals, challenges) for path in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [(paths[i : i + size], goals, challenges) for i in range(0, len(paths), size)]
    # this process parses the first chunk itself while the workers parse the rest: one
    # process fewer to start, and a share of the tools never pickled back
    with ProcessPoolExecutor(max(1, len(chunks) - 1), mp_context=multiprocessing.get_context("fork")) as pool:
        rest = pool.map(_parse_chunk, chunks[1:])
        results = _parse_chunk(chunks[0])
        results += [pair for chunk in rest for pair in chunk]
    for _, found in results:
        problems.extend(found)
    return [tool for tool, _ in results]


def load_catalog(content_dir: str | os.PathLike[str] | None = None, workers: int = 1) -> Catalog:
    """Load every content file; never raises on bad content.

    `workers` > 1 parses a large catalog's pages in that many processes (the
    command line does; the app, a threaded server, loads in its own process).
    The cyclic garbage collector is paused while the catalog is built: the load
    makes hundreds of thousands of objects that all stay alive, and collecting
    them on the way costs about a quarter of the time."""
    with gc_paused():
        return _load_catalog(content_dir, workers)


def _load_catalog(content_dir: str | os.PathLike[str] | None, workers: int) -> Catalog:
    root = Path(content_dir) if content_dir is not None else default_content_dir()
    problems: list[Problem] = []
    catalog = Catalog(problems=problems)
    if not root.is_dir():
        problems.append(Problem("error", str(root), "folder", "content folder not found"))
        return catalog
    catalog.goals = load_goals(root, problems)
    catalog.challenges = load_challenges(root, problems)
    catalog.indicators = load_indicators(root, problems)
    catalog.version, catalog.date = load_catalog_info(root, problems)
    catalog.root = str(root)  # the fingerprint is made from it when first asked for

    tools: dict[str, Tool] = {}
    by_title: dict[str, Tool] = {}
    tool_dir = root / "tools"
    paths = _glob(tool_dir, "*.md") if tool_dir.is_dir() else []
    if not paths:
        problems.append(Problem("error", "tools/", "folder", "no tool pages (*.md) found"))
    parsed = _parse_pages(paths, problems, catalog.goals, catalog.challenges, workers)
    # A slug belongs to the file named after it, else to the file that sorts first,
    # so a new file cannot take over an existing page by declaring its slug.
    for tool in sorted((t for t in parsed if t is not None), key=lambda t: (not _named_after_slug(t), t.file)):
        if tool.slug in tools:
            keeper = tools[tool.slug]
            why = "its file name is the slug" if _named_after_slug(keeper) else "its file name sorts first"
            problems.append(
                Problem(
                    "error",
                    tool.file,
                    "slug",
                    f"duplicate slug {tool.slug!r}: {keeper.file} keeps it ({why}); this page is skipped",
                )
            )
            continue
        if tool.title in by_title:
            problems.append(Problem("warning", tool.file, "title", f"same title as {by_title[tool.title].file}"))
        tools[tool.slug] = tool
        by_title.setdefault(tool.title, tool)

    for tool in tools.values():
        for ind in tool.indicators:
            if catalog.indicators and ind not in catalog.indicators:
                extra = did_you_mean(ind, catalog.indicators, cutoff=0.8)
                problems.append(
                    Problem(
                        "warning",
                        tool.file,
                        "trackingProgressLinks",
                        f"unknown indicator {ind!r}{extra}; shown without a link",
                    )
                )

    if tools:
        for gid in catalog.goals:
            if not any(t.strength(gid) == 3 for t in tools.values()):
                problems.append(
                    Problem("warning", "goals.yaml", gid, "no tool is graded 3 (made for it) for this goal")
                )
    tools = _resolve_related(tools, problems)
    tools = _resolve_builds_on(tools, problems)
    for cid, ch in catalog.challenges.items():
        for slug in ch.enablers:
            if slug not in tools:
                problems.append(
                    Problem(
                        "warning", "challenges.yaml", f"{cid}.enablers", f"enabling tool {slug!r} is not in the catalog"
                    )
                )
            elif cid in tools[slug].challenge_ids:
                problems.append(
                    Problem(
                        "warning",
                        tools[slug].file,
                        f"challenges.{cid}",
                        f"challenges.yaml names this tool as a way around {cid!r}, so it is never penalised "
                        "for it; take the entry out",
                    )
                )
    catalog.tools = dict(sorted(tools.items(), key=lambda kv: kv[1].title.lower()))
    catalog.related_both_ways = _both_ways(catalog.tools, problems)
    order = {"error": 0, "warning": 1, "info": 2}
    problems.sort(key=lambda p: (order.get(p.severity, 3), p.file, p.field))
    problems[:] = _bounded(problems)
    return catalog


def _named_after_slug(tool: Tool) -> bool:
    return Path(tool.file).stem.lower() == tool.slug


def _bounded(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems a file (errors first), each message
    at most MAX_MESSAGE_CHARS and each field 100, so one broken file cannot flood
    the app or the terminal."""
    counts: dict[str, int] = {}
    out: list[Problem] = []
    for p in problems:
        counts[p.file] = counts.get(p.file, 0) + 1
        if counts[p.file] <= MAX_PROBLEMS_PER_FILE:
            if len(p.message) > MAX_MESSAGE_CHARS or len(p.field) > 100:
                p = replace(p, field=p.field[:100], message=_cap(p.message))
            out.append(p)
    for file, n in counts.items():
        if n > MAX_PROBLEMS_PER_FILE:
            out.append(Problem("info", file, "file", f"{n - MAX_PROBLEMS_PER_FILE} more problems not shown"))
    return out


def indicator_link(catalog: Catalog, name: str) -> str | None:
    """The link of an indicator, forgiving a known misspelling."""
    if name in catalog.indicators:
        return catalog.indicators[name]
    close = closest(name, catalog.indicators, 0.8)
    return catalog.indicators[close] if close else None
