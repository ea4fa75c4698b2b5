"""Issue 18, hardening second pass: the logic-layer checks (loader, limits, storage)."""

from __future__ import annotations

import time

import pytest
import yaml

from logic import load_catalog
from logic.content.yaml_safe import parse_yaml


def write(root, name, text):
    (root / "tools" / name).write_text(text, encoding="utf-8")


def nested_bomb(levels: int) -> str:
    """A JSON-style alias bomb, 10 ** levels strings from a few hundred bytes:
    {"a0":&l0 {"0":"lol",..}, "a1":&l1 {"0":*l0,..}, .., "cost":*l7}. Every anchor
    and alias sits right after ':' (quoted keys), where libyaml takes it."""
    parts = ['"a0":&l0 {' + ",".join(f'"{k}":"lol"' for k in range(10)) + "}"]
    for i in range(1, levels):
        parts.append(f'"a{i}":&l{i} {{' + ",".join(f'"{k}":*l{i - 1}' for k in range(10)) + "}")
    parts.append(f'"cost":*l{levels - 1}')
    return "{" + ",".join(parts) + "}"


@pytest.mark.parametrize(
    "text",
    [
        nested_bomb(3),
        '{"a":&x [1, 2], "b":*x}',
        "[?&x 1,?*x]",
        '{"a":&x 1}',
        "a: !!str &x 1\nb: *x\n",
    ],
)
def test_anchors_and_aliases_are_refused_in_every_yaml_style(text):
    with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
        parse_yaml(text)


def test_an_alias_is_refused_even_where_no_scan_for_it_would_look(monkeypatch):
    """The sure way: the loader refuses a value met twice (what an alias is) while
    composing, whatever the spelling; the scan for anchors only gives a better message."""
    from logic.content import yaml_safe

    monkeypatch.setattr(yaml_safe, "_MAYBE_ANCHOR", __import__("re").compile(r"(?!x)x"))
    with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
        parse_yaml(nested_bomb(8))


@pytest.mark.slow
def test_a_document_that_expands_past_the_node_limit_is_refused():
    from logic.content.yaml_safe import MAX_YAML_NODES

    many = "[" + ",".join(["1"] * (MAX_YAML_NODES + 1)) + "]"
    with pytest.raises(yaml.YAMLError, match=f"more than {MAX_YAML_NODES:,} values"):
        parse_yaml(many)
    assert len(parse_yaml("[" + ",".join(["1"] * (MAX_YAML_NODES - 2)) + "]")) == MAX_YAML_NODES - 2


@pytest.mark.parametrize("where", ["tool", "goals.yaml", "challenges.yaml"])
def test_a_flow_style_alias_bomb_is_refused_quickly_in_every_content_file(catalog, content_copy, where):
    bomb = nested_bomb(8)  # 100 million strings once expanded
    if where == "tool":
        write(content_copy, "brk-bomb.md", f"---\n{bomb}\n---\nbody\n")
        file = "tools/brk-bomb.md"
    else:
        path = content_copy / where
        item = '- {"id":"bomb","name":"Bomb","x":' + bomb + ',"description":*l7}\n'
        path.write_text(path.read_text(encoding="utf-8") + item, encoding="utf-8")
        file = where
    started = time.monotonic()
    cat = load_catalog(content_copy)
    assert time.monotonic() - started < 10
    errors = [p for p in cat.errors if p.file == file]
    assert len(errors) == 1 and "anchors and aliases" in errors[0].message, errors
    assert len(errors[0].message) <= 400
    assert len(cat.tools) == len(catalog.tools)


# --- item 4: every address value and scenario file is bounded, errors are summarised ---


def guesses_made(monkeypatch) -> list[str]:
    """The unknown values the scenario reader looks for a near match of (the costly step, on
    a catalog of thousands of tools): the work a long list makes, counted rather than timed."""
    import logic.scenario

    made: list[str] = []
    guess = logic.scenario.closest

    def counted(value, *args, **kwargs):
        made.append(value)
        return guess(value, *args, **kwargs)

    monkeypatch.setattr(logic.scenario, "closest", counted)
    return made


def test_a_long_list_in_the_address_is_cut_to_the_limit_quickly_with_one_short_note(catalog, monkeypatch):
    from logic.scenario import MAX_PARAM_CHARS, MAX_VALUES, parse_scenario

    many = ",".join(f"h{i}" for i in range(MAX_VALUES + 50))
    assert len(many) < MAX_PARAM_CHARS
    guesses = guesses_made(monkeypatch)
    s = parse_scenario({"have": [many], "goal": [many]}, catalog)
    # only the first MAX_VALUES of each list are looked up: the rest are counted, never read
    assert 0 < len(guesses) <= 2 * MAX_VALUES and "h149" not in guesses, len(guesses)
    text = " ".join(s.notes)
    assert len(s.notes) <= 4 and len(text) < 1_000, s.notes
    assert f"at most {MAX_VALUES}" in text and "h0" in text and "h149" not in text


def test_an_address_value_over_the_length_limit_is_ignored_and_not_echoed(catalog):
    from logic.scenario import MAX_PARAM_CHARS, MAX_VALUE_CHARS, parse_scenario

    huge = ",".join(f"h{i}" for i in range(2_000))  # 25 KB on 10,000 tools: 97 s
    s = parse_scenario(
        {"have": [huge + ",visionzero"], "shortlist": ["x" * (MAX_VALUE_CHARS + 1) + ",visionzero"]}, catalog
    )
    assert s.profile.get("have") == frozenset()
    assert s.shortlist == ["visionzero"]
    text = " ".join(s.notes)
    assert f"at most {MAX_PARAM_CHARS:,} characters" in text and f"over {MAX_VALUE_CHARS} characters" in text
    assert "h1999" not in text and "x" * 50 not in text and len(text) < 600


def test_a_scenario_file_with_thousands_of_values_is_refused_quickly_with_a_short_message(catalog, monkeypatch):
    import json

    from logic.scenario import MAX_VALUES
    from logic.scenario_file import SCHEMA, SCHEMA_VERSION, read_scenario_file

    guesses = guesses_made(monkeypatch)
    body = {"have": [f"h{i}" for i in range(9_000)], **{f"extra{i}": "x" for i in range(300)}}
    data = json.dumps({"schema": SCHEMA, "version": SCHEMA_VERSION, "scenario": body}).encode()
    assert len(data) < 200 * 1024
    loaded = read_scenario_file(data, catalog)
    assert loaded.scenario is None
    assert len(loaded.message) < 1_000, len(loaded.message)
    assert "more" in loaded.message
    assert len(guesses) <= MAX_VALUES, len(guesses)  # not one look-up for each of the 9,000

    body = {"have": [f"h{i}" for i in range(MAX_VALUES + 1)]}
    data = json.dumps({"schema": SCHEMA, "version": SCHEMA_VERSION, "scenario": body}).encode()
    guesses.clear()
    loaded = read_scenario_file(data, catalog)
    assert loaded.scenario is None and f"at most {MAX_VALUES}" in loaded.message and len(loaded.message) < 600
    assert 0 < len(guesses) <= MAX_VALUES, len(guesses)


# --- item 2: the server-wide limit never stops a right code; an address that guesses is stopped ---


def test_the_server_wide_limit_stops_wrong_codes_only_and_a_guessing_address_is_stopped():
    from logic.votes import AttemptLimiter, TooManyAttempts

    now = [1000.0]
    limiter = AttemptLimiter(per_client=3, overall=5, per_address=4, window_s=60, clock=lambda: now[0])
    for i in range(5):
        limiter.fail(f"tab-{i}", "203.0.113.9")  # one script, a new tab for every guess
    with pytest.raises(TooManyAttempts, match="on this server"):
        limiter.check("person", "198.51.100.1")
    limiter.check("person", "198.51.100.1", right_code=True)  # a real participant still joins
    with pytest.raises(TooManyAttempts, match="from this network"):
        limiter.check("tab-new", "203.0.113.9", right_code=True)  # the guessing address does not
    limiter.check("proxied", "127.0.0.1", right_code=True)  # behind a proxy every address is loopback
    now[0] += 61
    limiter.check("tab-new", "203.0.113.9")


# --- item 5: a held lock or a stalled database ends a tap within seconds, and is logged ---

TOOLS = ["floodplainordinances", "stormwaterfees", "visionzero"]
FEW_SECONDS = 6.0


def _pg_url() -> str:
    import os

    url = os.environ.get("TOOLBOX_TEST_PG", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TOOLBOX_TEST_PG is not set; scripts/test.sh starts PostgreSQL and sets it")
        pytest.skip("no PostgreSQL for the tests (set TOOLBOX_TEST_PG)")
    return url


def _joined(store, code):
    token = store.new_token(code)
    store.join(code, token)
    return token


def _refused_within_seconds(call, caplog):
    from logic.votes import StorageError

    caplog.clear()
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="logic.votes"), pytest.raises(StorageError, match="Try again"):
        call()
    elapsed = time.monotonic() - started
    assert elapsed < FEW_SECONDS, elapsed
    assert any(r.name == "logic.votes" and "storage" in r.getMessage() for r in caplog.records), caplog.records
    return elapsed


@pytest.mark.slow
def test_a_held_sqlite_lock_ends_a_tap_within_seconds_and_is_logged(tmp_path, caplog):
    import sqlite3

    from logic.votes import VoteStore

    store = VoteStore(str(tmp_path / "v.db"))  # the default busy timeout, as the app runs
    s = store.create_session(TOOLS)
    t = _joined(store, s.code)
    blocker = sqlite3.connect(tmp_path / "v.db", isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        _refused_within_seconds(lambda: store.cast_vote(s.code, t, "visionzero"), caplog)
        _refused_within_seconds(lambda: store.join(s.code, store.new_token(s.code)), caplog)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.cast_vote(s.code, t, "visionzero") == 2


@pytest.mark.slow
@pytest.mark.parametrize(
    "hold",
    [
        "SELECT code FROM sessions WHERE code = %s FOR UPDATE",
        "LOCK TABLE votes IN ACCESS EXCLUSIVE MODE",
    ],
)
def test_a_held_postgres_lock_ends_a_tap_within_seconds_and_is_logged(caplog, hold):
    import psycopg

    from logic.votes import VoteStore

    url = _pg_url()
    store = VoteStore(url)
    s = store.create_session(TOOLS)
    t = _joined(store, s.code)
    with psycopg.connect(url) as blocker:
        blocker.execute(hold, (s.code,) if "%s" in hold else None)
        _refused_within_seconds(lambda: store.cast_vote(s.code, t, "visionzero"), caplog)
        blocker.rollback()
    assert store.cast_vote(s.code, t, "visionzero") == 2


@pytest.mark.slow
def test_a_postgres_that_accepts_and_never_answers_ends_a_call_within_seconds(caplog):
    """A network stall: the server's port takes the connection and then says nothing."""
    import socket
    import threading

    from logic.votes import VoteStore

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    try:
        store = VoteStore(f"postgresql://toolbox:toolbox@127.0.0.1:{silent.getsockname()[1]}/toolbox")
        _refused_within_seconds(lambda: store.get_session("ABCDEF"), caplog)
    finally:
        stop.set()
        for conn in held:
            conn.close()
        silent.close()


# --- item 7: the smaller ones ---


def test_a_fifo_in_the_tools_folder_does_not_hang_the_fingerprint(content_copy):
    import os
    import threading

    from logic.content.files import content_fingerprint

    os.mkfifo(content_copy / "tools" / "brk-fifo.md")
    out = []
    worker = threading.Thread(target=lambda: out.append(content_fingerprint(content_copy)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # let the blocked open() finish so the test process can exit
        with open(content_copy / "tools" / "brk-fifo.md", "wb"):
            pass
        pytest.fail("content_fingerprint blocked on a FIFO")
    assert len(out[0]) == 12


def test_a_link_that_is_not_text_is_reported_as_the_wrong_type(content_copy):
    path = content_copy / "tools" / "visionzero.md"
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    path.write_text(head.replace("\nresources:", "\nresources:\n  - label: Num\n    link: 123", 1) + sep + body)
    cat = load_catalog(content_copy)
    problems = [p for p in cat.problems if p.file == "tools/visionzero.md" and p.field == "resources[0]"]
    assert problems and "link must be text" in problems[0].message and "int" in problems[0].message, problems


@pytest.mark.parametrize("version", ["1.0", "1.5", "true", '"1"'])
def test_a_scenario_file_version_that_is_not_the_whole_number_1_is_refused(catalog, version):
    from logic.scenario_file import SCHEMA, read_scenario_file

    data = f'{{"schema": "{SCHEMA}", "version": {version}, "scenario": {{"goal": "walk-bike"}}}}'.encode()
    loaded = read_scenario_file(data, catalog)
    assert loaded.scenario is None and f"version {version}" in loaded.message, loaded.message


def test_the_markdown_handout_escapes_the_title_and_content_names(catalog):
    from logic.brief import make_brief, render
    from logic.scenario import parse_scenario

    evil = "[t](https://evil.example/t) ![i](https://evil.example/i.png) <img src=https://evil.example/h.png>"
    scenario = parse_scenario({"goal": ["walk-bike"], "have": ["certifiedlocalgovernmentclg"]}, catalog)
    text = render(make_brief(catalog, scenario, evil), catalog, "md").decode()
    import re

    first = text.splitlines()[0]
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)<img|(?<!\\)!(?<!\\)\[", first), first
    assert "evil.example" in first  # shown, as text
    assert "Certified Local Government (CLG)" in text  # nothing to escape in a plain name
    assert not re.search(r"(?<!\\)<", text)


def test_workshop_sessions_expire_after_their_lifetime(tmp_path):
    import sqlite3

    from logic.vote_rules import SESSION_LIFETIME_HOURS
    from logic.votes import VoteError, VoteStore

    store = VoteStore(str(tmp_path / "v.db"))
    s = store.create_session(TOOLS)
    t = _joined(store, s.code)
    db = sqlite3.connect(tmp_path / "v.db")
    db.execute(
        "UPDATE sessions SET created_at = datetime('now', ?) WHERE code = ?",
        (f"-{SESSION_LIFETIME_HOURS * 60 - 1} minutes", s.code),
    )
    db.commit()
    assert store.get_session(s.code) is not None  # a minute before the end
    db.execute(
        "UPDATE sessions SET created_at = datetime('now', ?) WHERE code = ?",
        (f"-{SESSION_LIFETIME_HOURS} hours", s.code),
    )
    db.commit()
    db.close()
    assert store.get_session(s.code) is None
    with pytest.raises(VoteError, match="No voting session"):
        store.cast_vote(s.code, t, "visionzero")


def test_postgres_sessions_expire_after_their_lifetime():
    import psycopg

    from logic.vote_rules import SESSION_LIFETIME_HOURS
    from logic.votes import VoteStore

    url = _pg_url()
    store = VoteStore(url)
    s = store.create_session(TOOLS)
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE sessions SET created_at = now() - make_interval(hours => %s) WHERE code = %s",
            (SESSION_LIFETIME_HOURS, s.code),
        )
    assert store.get_session(s.code) is None


def test_postgres_connections_are_reused_between_transactions_and_dropped_after_a_failure():
    """A new connection a transaction cost about 9 ms of CPU a tap: 4.2 s for a burst of 180."""
    from logic.vote_storage import PostgresStorage

    storage = PostgresStorage(_pg_url())
    pids = set()
    for _ in range(5):
        with storage.transaction(write=False) as tx:
            pids.add(tx.conn.execute("SELECT pg_backend_pid()").fetchone()[0])
    assert len(pids) == 1
    from logic.votes import StorageError

    with pytest.raises(StorageError), storage.transaction(write=True) as tx:
        tx.conn.execute("SELECT 1/0")
    with storage.transaction(write=False) as tx:
        assert tx.conn.execute("SELECT pg_backend_pid()").fetchone()[0] not in pids


_PLAIN_AND_ODD_YAML = [
    "title: A\ngoals: {walk-bike: 3, clean-air: 1}\nresources:\n  - label: x\n    link: https://x.org\n",
    "a: 1\nb: yes\nc: 2024-01-02\nd: ~\ne: 1.5\nf: 0x1F\ng: 1_000\nh: .inf\ni: 1:30\nj: ''\nk: !!str 7\nl: !!int '7'",
    "? null\n: 1\n? true\n: 2\n? 1.5\n: 3\n? !!int 4\n: 4",
    "1: a\n'1': b\n1: c",
    "x:\n  y: 1\n  y: 2\nx: 3\nz: [{q: 1, q: 2}]\n",
    "<<: {z: 1}\na: 2\n=: 4",
    "a: !!set {x, y}",
    "a: !!binary aGVsbG8=",
    "a: !!omap [b: 1]",
    "[" * 150 + "]" * 150,
]


@pytest.mark.parametrize("text", _PLAIN_AND_ODD_YAML)
def test_the_loader_builds_what_the_safe_loader_builds(text):
    """read_yaml builds plain documents itself (faster than PyYAML's constructor) and leaves
    the rest to PyYAML: the data and the duplicate keys are the same either way."""
    from logic.content.yaml_safe import read_yaml

    data, duplicates = read_yaml(text)
    assert data == yaml.load(text, Loader=yaml.CSafeLoader)
    assert duplicates == [(k, line) for k, line in _duplicates_by_pyyaml(text)]


def _duplicates_by_pyyaml(text: str) -> list[tuple[str, int]]:
    """Every scalar key given twice in one mapping, in the file's order, as (key, 0-based line)."""
    out = []
    stack = [yaml.compose(text, Loader=yaml.CSafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        out.append((key.value, key.start_mark.line))
                    seen.add(key.value)
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return sorted(out, key=lambda d: d[1])


@pytest.mark.parametrize(
    "text", ["a: !!str {b: 1}", "? !!str {a: 1}\n: x", "a: !!map [1, 2]", "a: !!seq {b: 1}", "? [1]\n: 3", "a: !foo x"]
)
def test_what_the_safe_loader_refuses_is_refused_with_its_message(text):
    from logic.content.yaml_safe import parse_yaml

    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load(text, Loader=yaml.CSafeLoader)
    with pytest.raises(type(expected.value)) as got:
        parse_yaml(text)
    assert str(got.value) == str(expected.value)
