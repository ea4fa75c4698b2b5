"""Dot-voting storage on SQLite and PostgreSQL: integrity in the transaction."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import subprocess
import sys
import threading
from collections import Counter

import pytest

from logic import vote_rules, votes
from logic.vote_storage import PostgresStorage, SqliteStorage, SqlStorage, open_storage
from logic.votes import (
    AlreadyVoted,
    AttemptLimiter,
    InvalidToken,
    NoDotsLeft,
    NotHost,
    NotInSession,
    NotJoined,
    Participant,
    ResultsHidden,
    Session,
    SessionNotFound,
    StorageError,
    TooManyAttempts,
    VoteError,
    VoteStore,
    VotingClosed,
    keys_match,
)
from support import ROOT

TOOLS = ["floodplainordinances", "stormwaterfees", "visionzero"]
PG_TABLES = ["votes", "participants", "session_tools", "sessions", "schema_version"]


def _postgres_url() -> str:
    url = os.environ.get("TOOLBOX_TEST_PG", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TOOLBOX_TEST_PG is not set; scripts/test.sh starts PostgreSQL and sets it")
        pytest.skip("no PostgreSQL for the tests (set TOOLBOX_TEST_PG)")
    return url


@pytest.fixture(scope="module")
def pg_clean():
    url = _postgres_url()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in PG_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    SqlStorage.forget_migration(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "votes.db")
    return request.getfixturevalue("pg_clean")


@pytest.fixture()
def store(db_url):
    return VoteStore(db_url)


def joined(store: VoteStore, code: str, name: str = "") -> str:
    """A participant as the page makes one: a server-issued token, then Join."""
    token = store.new_token(code)
    store.join(code, token, name)
    return token


def test_schema_is_versioned_and_created_on_first_use(store, db_url):
    assert store.schema_version() == votes.SCHEMA_VERSION == 3
    SqlStorage.forget_migration(db_url)
    assert VoteStore(db_url).schema_version() == 3  # migrating again changes nothing


def test_a_vote_keeps_the_scenario_it_was_started_from(store):
    """After a refresh or on another computer the facilitator's page reads the goals
    from the vote, not from a browser session that no longer has them."""
    find = {"goals": "reduce-flooding,preserve-farmland", "setting": "rural", "shortlist": "visionzero", "room": "X"}
    s = store.create_session(TOOLS, scenario=find)
    kept = store.get_session(s.code)
    assert vote_rules.scenario_params(kept.scenario) == {k: v for k, v in find.items() if k != "room"}
    assert store.get_session(store.create_session(TOOLS).code).scenario == ""


def test_a_scenario_too_long_to_keep_does_not_stop_the_vote(store):
    s = store.create_session(TOOLS, scenario={"shortlist": "x" * (vote_rules.MAX_SCENARIO + 1)})
    assert store.get_session(s.code).scenario == "" and s.is_open


def test_a_whole_small_session(store):
    s = store.create_session(TOOLS, dots=3, title="Main Street workshop")
    assert len(s.code) == 6 and s.is_open and s.tools == tuple(TOOLS)
    a = joined(store, s.code, "Ana")
    b = joined(store, s.code)
    assert store.cast_vote(s.code, a, "visionzero") == 2
    assert store.cast_vote(s.code, a, "stormwaterfees") == 1
    assert store.cast_vote(s.code.lower(), b, "visionzero") == 2
    assert store.totals(s.code, s.host_token) == {"floodplainordinances": 0, "stormwaterfees": 1, "visionzero": 2}
    assert store.my_votes(s.code, a) == {"visionzero": 1, "stormwaterfees": 1}
    assert store.ballot(s.code, a).left == 1 and store.ballot(s.code, a).participant.name == "Ana"
    assert store.stats(s.code) == (2, 3)
    assert store.remove_vote(s.code, a, "visionzero") == 2
    assert store.totals(s.code, s.host_token)["visionzero"] == 1
    csv_text = store.results_csv(s.code, {"visionzero": "Vision Zero"}, s.host_token)
    assert csv_text.splitlines()[0] == "rank,tool,slug,dots" and "Vision Zero" in csv_text


def test_no_participant_spends_more_than_their_dots(store):
    s = store.create_session(TOOLS, dots=2, allow_stacking=True)
    t = joined(store, s.code)
    store.cast_vote(s.code, t, "visionzero")
    store.cast_vote(s.code, t, "visionzero")
    with pytest.raises(NoDotsLeft, match="all 2"):
        store.cast_vote(s.code, t, "stormwaterfees")
    assert store.totals(s.code, s.host_token)["visionzero"] == 2


def test_without_stacking_a_tool_takes_one_dot_per_person(store):
    s = store.create_session(TOOLS, dots=3, allow_stacking=False)
    t = joined(store, s.code)
    store.cast_vote(s.code, t, "visionzero")
    with pytest.raises(AlreadyVoted):
        store.cast_vote(s.code, t, "visionzero")


def test_votes_only_go_to_tools_on_the_ballot(store):
    s = store.create_session(TOOLS[:2])
    t = joined(store, s.code)
    with pytest.raises(NotInSession):
        store.cast_vote(s.code, t, "visionzero")
    assert sum(store.totals(s.code, s.host_token).values()) == 0


def test_closed_and_unknown_sessions_say_so(store):
    s = store.create_session(TOOLS)
    t = joined(store, s.code)
    with pytest.raises(NotHost):
        store.set_open(s.code, "wrong-token", False)
    store.set_open(s.code, s.host_token, False)
    assert not store.get_session(s.code).is_open
    with pytest.raises(VotingClosed, match="closed"):
        store.cast_vote(s.code, t, "visionzero")
    with pytest.raises(VotingClosed):
        store.join(s.code, store.new_token(s.code))
    with pytest.raises(SessionNotFound, match="No voting session has the code 'ZZZZZZ'"):
        store.cast_vote("ZZZZZZ", t, "visionzero")
    assert store.get_session("nope") is None


def test_voting_needs_joining_and_rejoining_grants_no_new_dots(store):
    s = store.create_session(TOOLS, dots=1)
    t = store.new_token(s.code)
    with pytest.raises(NotJoined):
        store.cast_vote(s.code, t, "visionzero")
    with pytest.raises(NotJoined):
        store.ballot(s.code, t)
    first = store.join(s.code, t, "Bo")
    store.cast_vote(s.code, t, "visionzero")
    again = store.join(s.code, t, "Bo")  # pressing Join twice with the same token
    assert again.id == first.id
    assert store.ballot(s.code, t).participant.id == first.id  # a refresh reads, never joins
    with pytest.raises(NoDotsLeft):
        store.cast_vote(s.code, t, "stormwaterfees")
    assert store.stats(s.code) == (1, 1)


def test_names_are_kept_as_plain_text(store):
    s = store.create_session(TOOLS)
    t = store.new_token(s.code)
    p = store.join(s.code, t, "Robert'); DROP TABLE votes;-- <b>x</b>\n\x00")
    assert p.name == "Robert'); DROP TABLE votes;-- <b>x</b>"
    store.cast_vote(s.code, t, "visionzero")
    assert store.totals(s.code, s.host_token)["visionzero"] == 1


def test_a_new_vote_hides_its_results_until_the_host_reveals_them(store, db_url):
    """No bandwagon: nobody but the facilitator reads the tally of a new vote; their
    reveal (or hide) is stored with the vote, so every later read sees it."""
    s = store.create_session(TOOLS)
    store.cast_vote(s.code, joined(store, s.code), "visionzero")
    assert store.get_session(s.code).results_visible is False
    with pytest.raises(ResultsHidden):
        store.totals(s.code)
    store.set_results_visible(s.code, s.host_token, True)
    assert VoteStore(db_url).get_session(s.code).results_visible is True  # another store on the database
    assert store.totals(s.code)["visionzero"] == 1
    store.set_results_visible(s.code, s.host_token, False)
    assert store.get_session(s.code).results_visible is False
    shown = store.create_session(TOOLS, show_results=True)  # the facilitator chose to show them
    assert store.get_session(shown.code).results_visible is True
    assert store.totals(shown.code) == {slug: 0 for slug in TOOLS}


@pytest.mark.slow
@pytest.mark.parametrize("stacking", [True, False])
def test_fifty_participants_voting_at_once_every_vote_counted_once(store, stacking):
    s = store.create_session(TOOLS, dots=3, allow_stacking=stacking)
    people = [joined(store, s.code) for _ in range(50)]
    ok: Counter[str] = Counter()
    per_person: Counter[str] = Counter()
    refused: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(50)

    def cast(token: str, slug: str) -> None:
        # A tap the storage could not take in time ("Try again": nothing was saved) is
        # tapped again, as the page asks; a busy machine (the tests run in parallel) makes
        # some. Nothing may count twice, so a retry of a saved tap would fail below.
        for _ in range(10):
            try:
                store.cast_vote(s.code, token, slug)
                return
            except StorageError:
                continue
        store.cast_vote(s.code, token, slug)

    def voter(token: str, index: int) -> None:
        barrier.wait()
        for attempt in range(5):  # two more than allowed
            slug = TOOLS[(index + attempt) % len(TOOLS)] if stacking else TOOLS[index % len(TOOLS)]
            try:
                cast(token, slug)
            except (NoDotsLeft, AlreadyVoted) as exc:
                with lock:
                    refused.append(type(exc).__name__)
                continue
            with lock:
                ok[slug] += 1
                per_person[token] += 1

    threads = [threading.Thread(target=voter, args=(p, i)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    totals = store.totals(s.code, s.host_token)
    assert totals == {slug: ok[slug] for slug in TOOLS}
    expected_each = 3 if stacking else 1
    assert all(per_person[p] == expected_each for p in people)
    assert sum(totals.values()) == 50 * expected_each
    assert store.stats(s.code) == (50, 50 * expected_each)
    for p in people:
        assert sum(store.my_votes(s.code, p).values()) == expected_each


def test_an_app_restart_keeps_every_vote(store, db_url):
    s = store.create_session(TOOLS, dots=3, allow_stacking=True)
    for i in range(10):
        store.cast_vote(s.code, joined(store, s.code), TOOLS[i % 3])
    before = store.totals(s.code, s.host_token)
    code = (
        "import json, sys; from logic.votes import VoteStore; "
        f"print(json.dumps(VoteStore(sys.argv[1]).totals({s.code!r}, {s.host_token!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code, db_url], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == before
    assert sum(before.values()) == 10


# ---- issue 8: identity, load, hidden results, host keys, concurrent joins, code guessing ----


def test_only_server_issued_tokens_join_or_vote(store):
    """Made-up, altered, foreign or oversized `me=` values never become participants."""
    s = store.create_session(TOOLS, dots=3)
    other = store.create_session(TOOLS, dots=3)
    good = store.new_token(s.code)
    ident, mac = good.split(".")
    altered = f"{ident}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"
    forged = [
        "tok",  # any value used to be a fresh budget
        "x" * 10_000,  # and was stored whatever its length
        altered,
        f"{ident[::-1]}.{mac}",
        store.new_token(other.code),  # issued, but by another session
        good + "=",
        "ñ" * 16 + "." + "a" * 22,
    ]
    for token in forged:
        with pytest.raises(InvalidToken, match="Press Join"):
            store.join(s.code, token)
        with pytest.raises(InvalidToken):
            store.ballot(s.code, token)
        with pytest.raises((InvalidToken, NotJoined)):
            store.cast_vote(s.code, token, "visionzero")
    assert store.stats(s.code) == (0, 0)
    store.join(s.code, good)
    assert store.cast_vote(s.code, good, "visionzero") == 2
    assert len(good) <= votes.MAX_KEY
    assert store.stats(s.code) == (1, 1)


def test_twenty_made_up_identities_give_no_dots(store):
    """The attack from the report: 20 invented `me=` values used to give one client 60 dots."""
    s = store.create_session(TOOLS, dots=3, allow_stacking=True)
    cast = 0
    for i in range(20):
        for slug in TOOLS:
            try:
                store.cast_vote(s.code, f"made-up-{i:02d}", slug)
                cast += 1
            except (InvalidToken, NotJoined):
                pass
    assert cast == 0 and sum(store.totals(s.code, s.host_token).values()) == 0


def test_reading_a_ballot_never_writes(tmp_path):
    """A participant's rerun reads: it completes while another writer holds the lock."""
    import sqlite3

    store = VoteStore(str(tmp_path / "v.db"))
    s = store.create_session(TOOLS)
    t = joined(store, s.code)
    blocker = sqlite3.connect(tmp_path / "v.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # a long write elsewhere
    try:
        started = __import__("time").perf_counter()
        for _ in range(20):
            assert store.ballot(s.code, t).left == 3
        assert __import__("time").perf_counter() - started < 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_busy_database_is_retried_then_refused_with_a_message(tmp_path, monkeypatch):
    """Storage errors become a VoteError with a message, never a driver traceback."""
    import sqlite3
    import time

    store = VoteStore(SqliteStorage(tmp_path / "v.db", busy_timeout_s=0.1))
    s = store.create_session(TOOLS)
    t = joined(store, s.code)
    blocker = sqlite3.connect(tmp_path / "v.db", isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="nothing was saved. Try again"):
            store.cast_vote(s.code, t, "visionzero")
    finally:
        blocker.execute("ROLLBACK")
    assert store.totals(s.code, s.host_token)["visionzero"] == 0

    # a lock released during the retries: the dot is counted once
    blocker.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.15, lambda: blocker.execute("ROLLBACK"))
    releaser.start()
    started = time.perf_counter()
    assert store.cast_vote(s.code, t, "visionzero") == 2
    releaser.join()
    blocker.close()
    assert time.perf_counter() - started < 3
    assert store.totals(s.code, s.host_token)["visionzero"] == 1


def test_an_unreachable_postgres_is_a_message():
    store = VoteStore(PostgresStorage("postgresql://nobody:x@127.0.0.1:9/none", connect_timeout_s=1))
    with pytest.raises(StorageError, match="Try again"):
        store.get_session("ABCDEF")


def test_hidden_results_are_hidden_from_everyone_but_the_host(store):
    s = store.create_session(TOOLS)
    store.cast_vote(s.code, joined(store, s.code), "visionzero")
    store.set_results_visible(s.code, s.host_token, False)
    assert store.get_session(s.code).results_visible is False
    for key in ("", "wrong", "ñ"):
        with pytest.raises(ResultsHidden, match="hidden"):
            store.totals(s.code, key)
        with pytest.raises(ResultsHidden):
            store.results_csv(s.code, host_token=key)
    assert store.totals(s.code, s.host_token)["visionzero"] == 1
    assert "visionzero,1" in store.results_csv(s.code, host_token=s.host_token)
    assert store.stats(s.code) == (1, 1)  # the facilitator's counts stay visible
    store.set_results_visible(s.code, s.host_token, True)
    assert store.totals(s.code)["visionzero"] == 1


@pytest.mark.parametrize("key", ["ñ", "ключ", "🔑" * 3, "a" * 10_000, ""])
def test_any_host_key_is_compared_without_crashing(store, key):
    s = store.create_session(TOOLS)
    assert keys_match(key, s.host_token) is False
    assert store.is_host(s, key) is False
    with pytest.raises(NotHost):
        store.set_open(s.code, key, False)
    assert store.is_host(s, s.host_token) and keys_match("ñ", "ñ")


def test_the_same_link_joined_from_three_tabs_at_once_is_one_participant(store):
    """Concurrent joins with one token: no duplicate-key error, one identity."""
    s = store.create_session(TOOLS)
    for _round in range(15):
        token = store.new_token(s.code)
        barrier = threading.Barrier(3)
        ids: list[int] = []
        errors: list[BaseException] = []

        def tab(
            token: str = token,
            barrier: threading.Barrier = barrier,
            ids: list[int] = ids,
            errors: list[BaseException] = errors,
        ) -> None:
            barrier.wait()
            try:
                ids.append(store.join(s.code, token).id)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=tab) for _ in range(3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        assert not errors, errors
        assert len(ids) == 3 and len(set(ids)) == 1
    assert store.stats(s.code) == (15, 0)


def test_a_v1_database_gets_session_secrets(tmp_path):
    """Upgrading: sessions created before v2 get a secret and can issue tokens."""
    import sqlite3

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for stmt in votes.MIGRATIONS["sqlite"][0]:
        conn.execute(stmt)
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO sessions (code, host_token, dots) VALUES ('OLDONE', 'h', 3)")
    conn.execute("INSERT INTO session_tools VALUES ('OLDONE', 'visionzero', 0)")
    conn.commit()
    conn.close()
    store = VoteStore(str(path))
    assert store.schema_version() == 3
    t = joined(store, "OLDONE")
    assert store.cast_vote("OLDONE", t, "visionzero") == 2
    assert store.get_session("OLDONE").scenario == ""  # v3: a vote from before keeps no scenario


def test_the_schema_takes_the_dot_limit_from_one_constant():
    for kind, versions in votes.MIGRATIONS.items():
        text = "\n".join(versions[0])
        assert f"BETWEEN 1 AND {votes.MAX_DOTS}" in text, kind
        assert "{" not in text


def test_join_code_guesses_are_limited_per_client_and_per_server():
    now = [1000.0]
    limiter = AttemptLimiter(per_client=3, overall=5, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("tab-a")
        limiter.fail("tab-a")
    with pytest.raises(TooManyAttempts, match="Too many wrong join codes from here. Wait 60 seconds"):
        limiter.check("tab-a")
    limiter.check("tab-b")  # another browser is not blocked by tab-a
    limiter.fail("tab-b")
    limiter.fail("tab-c")
    with pytest.raises(TooManyAttempts, match="on this server"):
        limiter.check("tab-d")  # five failures in the minute, from anywhere
    now[0] += 61
    limiter.check("tab-a")
    limiter.check("tab-d")


# ---- issue 9: the rules are pure functions over a storage protocol ----


def _rules_session(**changes) -> Session:
    base = Session("ABCDEF", "", ("a", "b", "c"), 2, False, True, True, "host-key-0123456789")
    return dataclasses.replace(base, **changes)


def test_the_voting_rules_need_no_database():
    s = _rules_session()
    assert vote_rules.check_cast(s, "a", {}) == 1
    assert vote_rules.check_cast(s, "b", {"a": 1}) == 0
    with pytest.raises(AlreadyVoted):
        vote_rules.check_cast(s, "a", {"a": 1})
    with pytest.raises(NoDotsLeft, match="all 2"):
        vote_rules.check_cast(s, "c", {"a": 1, "b": 1})
    assert vote_rules.check_cast(_rules_session(allow_stacking=True), "a", {"a": 1}) == 0
    with pytest.raises(NotInSession):
        vote_rules.check_cast(s, "z", {})
    closed = _rules_session(is_open=False)
    with pytest.raises(VotingClosed):
        vote_rules.check_cast(closed, "a", {})
    with pytest.raises(VotingClosed):
        vote_rules.check_join(closed, already_joined=False)
    vote_rules.check_join(closed, already_joined=True)  # coming back to a closed vote is fine
    hidden = _rules_session(results_visible=False)
    with pytest.raises(ResultsHidden):
        vote_rules.visible_totals(hidden, {"b": 2}, "wrong")
    assert vote_rules.visible_totals(hidden, {"b": 2, "gone": 9}, s.host_token) == {"a": 0, "b": 2, "c": 0}
    assert vote_rules.ranked({"a": 1, "b": 2, "c": 1}, {"a": "Zeta", "c": "Alpha"}.get) == [
        ("b", 2),
        ("c", 1),
        ("a", 1),
    ]
    assert vote_rules.session_terms(["a", "a", "", "b"], 3, False, " Main\nStreet ") == (
        ("a", "b"),
        3,
        False,
        "Main Street",
    )
    with pytest.raises(VoteError, match="1 to 10 dots"):
        vote_rules.session_terms(["a"], votes.MAX_DOTS + 1, False, "")
    token = vote_rules.sign_token("secret", "ABCDEF")
    vote_rules.check_token("secret", "ABCDEF", token)
    with pytest.raises(InvalidToken):
        vote_rules.check_token("secret", "GHJKLM", token)  # another session's


class MemoryStorage:
    """The whole VoteStorage protocol in a few dicts: what a new database must provide."""

    def __init__(self) -> None:
        self.url = "memory:"
        self.lock = threading.Lock()
        self.sessions: dict[str, tuple[Session, str]] = {}
        self.people: dict[tuple[str, str], Participant] = {}
        self.dots: list[tuple[str, int, str]] = []

    @contextlib.contextmanager
    def transaction(self, *, write: bool):
        with self.lock:  # one transaction at a time: the simplest isolation there is
            yield self

    def schema_version(self) -> int:
        return 1

    def session(self, code, *, lock=False):
        return self.sessions.get(code, (None, ""))[0]

    def secret(self, code):
        return self.sessions.get(code, (None, ""))[1]

    def add_session(self, session, secret):
        return self.sessions.setdefault(session.code, (session, secret))[0] is session

    def set_session_flags(self, code, *, is_open=None, results_visible=None):
        s, secret = self.sessions[code]
        s = dataclasses.replace(s, is_open=s.is_open if is_open is None else is_open)
        s = dataclasses.replace(s, results_visible=s.results_visible if results_visible is None else results_visible)
        self.sessions[code] = (s, secret)

    def participant(self, code, token, *, lock=False):
        return self.people.get((code, token))

    def add_participant(self, code, token, name):
        self.people.setdefault((code, token), Participant(len(self.people) + 1, name, token))

    def rename_participant(self, participant_id, name):
        for key, p in self.people.items():
            if p.id == participant_id:
                self.people[key] = Participant(p.id, name, p.token)

    def dots_of(self, participant_id):
        return dict(Counter(slug for _, pid, slug in self.dots if pid == participant_id))

    def add_dot(self, code, participant_id, slug):
        self.dots.append((code, participant_id, slug))

    def remove_dot(self, participant_id, slug):
        mine = [i for i, (_, pid, s) in enumerate(self.dots) if pid == participant_id and s == slug]
        if mine:
            del self.dots[mine[-1]]

    def counts(self, code):
        return dict(Counter(slug for c, _, slug in self.dots if c == code))

    def stats(self, code):
        return sum(1 for c, _ in self.people if c == code), sum(1 for c, _, _ in self.dots if c == code)


def test_the_vote_runs_on_any_storage_that_follows_the_protocol():
    store = VoteStore(MemoryStorage())
    s = store.create_session(TOOLS, dots=2, title="Anywhere")
    a = joined(store, s.code, "Ana")
    assert store.cast_vote(s.code, a, "visionzero") == 1
    with pytest.raises(AlreadyVoted):
        store.cast_vote(s.code, a, "visionzero")
    assert store.cast_vote(s.code, a, "stormwaterfees") == 0
    with pytest.raises(NoDotsLeft):
        store.cast_vote(s.code, a, "floodplainordinances")
    with pytest.raises(InvalidToken):
        store.join(s.code, "made-up")
    assert store.remove_vote(s.code, a, "stormwaterfees") == 1
    store.set_results_visible(s.code, s.host_token, False)
    with pytest.raises(ResultsHidden):
        store.totals(s.code)
    assert store.totals(s.code, s.host_token) == {"floodplainordinances": 0, "stormwaterfees": 0, "visionzero": 1}
    assert store.ballot(s.code, a).left == 1 and store.stats(s.code) == (1, 1)


class CountingStorage:
    """A storage that counts the write transactions it hands out."""

    def __init__(self, inner) -> None:
        self.inner, self.url, self.writes = inner, inner.url, 0

    def transaction(self, *, write: bool):
        self.writes += write
        return self.inner.transaction(write=write)


def test_what_a_participants_page_reads_opens_no_write_transaction(db_url):
    counting = CountingStorage(open_storage(db_url))
    store = VoteStore(counting)
    s = store.create_session(TOOLS, dots=3)
    token = joined(store, s.code)
    store.cast_vote(s.code, token, "visionzero")
    counting.writes = 0
    assert store.get_session(s.code).is_open
    assert store.ballot(s.code, token).left == 2
    assert store.my_votes(s.code, token) == {"visionzero": 1}
    assert store.new_token(s.code) != token
    assert store.totals(s.code, s.host_token)["visionzero"] == 1 and store.stats(s.code) == (1, 1)
    assert counting.writes == 0


def test_a_read_transaction_cannot_write(store):
    s = store.create_session(TOOLS)
    token = joined(store, s.code)
    me = store.ballot(s.code, token).participant
    with pytest.raises(StorageError), store.storage.transaction(write=False) as tx:
        tx.add_dot(s.code, me.id, "visionzero")
    assert store.totals(s.code, s.host_token)["visionzero"] == 0


def test_the_results_csv_goes_through_the_export_formula_guard(store):
    s = store.create_session(TOOLS)
    store.cast_vote(s.code, joined(store, s.code), "visionzero")
    titles = {"visionzero": "\t=cmd|' /C calc'!A0", "stormwaterfees": "-2+3", "floodplainordinances": "Floodplains"}
    rows = list(csv.reader(io.StringIO(store.results_csv(s.code, titles, s.host_token))))
    assert rows[0] == ["rank", "tool", "slug", "dots"]
    assert rows[1] == ["1", "'\t=cmd|' /C calc'!A0", "visionzero", "1"]
    assert rows[2:] == [["2", "'-2+3", "stormwaterfees", "0"], ["3", "Floodplains", "floodplainordinances", "0"]]


@pytest.mark.parametrize(
    ("raw", "code", "quoted"),
    [
        ("K7QM2P", "K7QM2P", None),
        (" k7qm-2p ", "K7QM2P", None),  # a code written loosely is still the code
        ("", "", None),
        ("[x](javascript:alert(1))", "", "'[x](javascript:alert(1))'"),  # quoted as typed, not 'XJAVASCRIPTA'
        ("<script>", "", "'<script>'"),
    ],
)
def test_a_code_in_the_address_is_read_or_named_as_typed(raw, code, quoted):
    got, note = votes.code_from_address("session", raw)
    assert got == code
    if quoted is None:
        assert note is None
    else:
        assert note and note.startswith(f"Ignored session={quoted} in the address") and "letters and digits" in note
