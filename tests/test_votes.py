"""Dot-voting storage on SQLite and PostgreSQL: integrity in the transaction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter

import pytest

from logic.votes import (
    AlreadyVoted,
    NoDotsLeft,
    NotHost,
    NotInSession,
    NotJoined,
    SessionNotFound,
    VoteStore,
    VotingClosed,
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
    VoteStore._migrated.discard(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "votes.db")
    return request.getfixturevalue("pg_clean")


@pytest.fixture()
def store(db_url):
    return VoteStore(db_url)


def test_schema_is_versioned_and_created_on_first_use(store, db_url):
    assert store.schema_version() == 1
    VoteStore._migrated.discard(db_url)
    assert VoteStore(db_url).schema_version() == 1  # migrating again changes nothing


def test_a_whole_small_session(store):
    s = store.create_session(TOOLS, dots=3, title="Main Street workshop")
    assert len(s.code) == 6 and s.is_open and s.tools == tuple(TOOLS)
    store.join(s.code, "tok-a", "Ana")
    store.join(s.code, "tok-b")
    assert store.cast_vote(s.code, "tok-a", "visionzero") == 2
    assert store.cast_vote(s.code, "tok-a", "stormwaterfees") == 1
    assert store.cast_vote(s.code.lower(), "tok-b", "visionzero") == 2
    assert store.totals(s.code) == {"floodplainordinances": 0, "stormwaterfees": 1, "visionzero": 2}
    assert store.my_votes(s.code, "tok-a") == {"visionzero": 1, "stormwaterfees": 1}
    assert store.stats(s.code) == (2, 3)
    assert store.remove_vote(s.code, "tok-a", "visionzero") == 2
    assert store.totals(s.code)["visionzero"] == 1
    csv_text = store.results_csv(s.code, {"visionzero": "Vision Zero"})
    assert csv_text.splitlines()[0] == "rank,tool,slug,dots" and "Vision Zero" in csv_text


def test_no_participant_spends_more_than_their_dots(store):
    s = store.create_session(TOOLS, dots=2, allow_stacking=True)
    store.join(s.code, "t")
    store.cast_vote(s.code, "t", "visionzero")
    store.cast_vote(s.code, "t", "visionzero")
    with pytest.raises(NoDotsLeft, match="all 2"):
        store.cast_vote(s.code, "t", "stormwaterfees")
    assert store.totals(s.code)["visionzero"] == 2


def test_without_stacking_a_tool_takes_one_dot_per_person(store):
    s = store.create_session(TOOLS, dots=3, allow_stacking=False)
    store.join(s.code, "t")
    store.cast_vote(s.code, "t", "visionzero")
    with pytest.raises(AlreadyVoted):
        store.cast_vote(s.code, "t", "visionzero")


def test_votes_only_go_to_tools_on_the_ballot(store):
    s = store.create_session(TOOLS[:2])
    store.join(s.code, "t")
    with pytest.raises(NotInSession):
        store.cast_vote(s.code, "t", "visionzero")
    assert sum(store.totals(s.code).values()) == 0


def test_closed_and_unknown_sessions_say_so(store):
    s = store.create_session(TOOLS)
    store.join(s.code, "t")
    with pytest.raises(NotHost):
        store.set_open(s.code, "wrong-token", False)
    store.set_open(s.code, s.host_token, False)
    assert not store.get_session(s.code).is_open
    with pytest.raises(VotingClosed, match="closed"):
        store.cast_vote(s.code, "t", "visionzero")
    with pytest.raises(VotingClosed):
        store.join(s.code, "newcomer")
    with pytest.raises(SessionNotFound, match="No voting session has the code 'ZZZZZZ'"):
        store.cast_vote("ZZZZZZ", "t", "visionzero")
    assert store.get_session("nope") is None


def test_voting_needs_joining_and_rejoining_grants_no_new_dots(store):
    s = store.create_session(TOOLS, dots=1)
    with pytest.raises(NotJoined):
        store.cast_vote(s.code, "stranger", "visionzero")
    first = store.join(s.code, "t", "Bo")
    store.cast_vote(s.code, "t", "visionzero")
    again = store.join(s.code, "t", "Bo")  # a refresh reuses the token from the address
    assert again.id == first.id
    with pytest.raises(NoDotsLeft):
        store.cast_vote(s.code, "t", "stormwaterfees")
    assert store.stats(s.code) == (1, 1)


def test_names_are_kept_as_plain_text(store):
    s = store.create_session(TOOLS)
    p = store.join(s.code, "t", "Robert'); DROP TABLE votes;-- <b>x</b>\n\x00")
    assert p.name == "Robert'); DROP TABLE votes;-- <b>x</b>"
    store.cast_vote(s.code, "t", "visionzero")
    assert store.totals(s.code)["visionzero"] == 1


def test_results_can_be_hidden_by_the_host(store):
    s = store.create_session(TOOLS)
    store.set_results_visible(s.code, s.host_token, False)
    assert store.get_session(s.code).results_visible is False


@pytest.mark.parametrize("stacking", [True, False])
def test_fifty_participants_voting_at_once_every_vote_counted_once(store, stacking):
    s = store.create_session(TOOLS, dots=3, allow_stacking=stacking)
    people = [f"p{i:02d}" for i in range(50)]
    for p in people:
        store.join(s.code, p)
    ok: Counter[str] = Counter()
    per_person: Counter[str] = Counter()
    refused: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(50)

    def voter(token: str, index: int) -> None:
        barrier.wait()
        for attempt in range(5):  # two more than allowed
            slug = TOOLS[(index + attempt) % len(TOOLS)] if stacking else TOOLS[index % len(TOOLS)]
            try:
                store.cast_vote(s.code, token, slug)
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
    totals = store.totals(s.code)
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
        store.join(s.code, f"r{i}")
        store.cast_vote(s.code, f"r{i}", TOOLS[i % 3])
    before = store.totals(s.code)
    code = (
        "import json, sys; from logic.votes import VoteStore; "
        f"print(json.dumps(VoteStore(sys.argv[1]).totals({s.code!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code, db_url], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == before
    assert sum(before.values()) == 10
