"""Live dot voting: storage behind one small module.

SQLite by default (the file named by `TOOLBOX_DB`, created on first use, WAL
mode); PostgreSQL when `TOOLBOX_DB` is a postgresql:// URL, for deployments
with several app replicas. The same SQL runs on both. The schema is versioned
(table `schema_version`) and migrated on first use.

Integrity lives in the database transaction, not in the page: a vote is
checked and written in one transaction that holds a lock on the participant
(SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so no
participant can spend more dots than the session allows, however many
requests arrive at once.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6
MAX_TOOLS = 20
MAX_DOTS = 10
MAX_NAME = 40
DEFAULT_DB = Path(__file__).resolve().parent.parent / ".data" / "workshop.db"


class VoteError(Exception):
    """A vote or session request that cannot be carried out; the message says why."""


class SessionNotFound(VoteError):
    pass


class VotingClosed(VoteError):
    pass


class NotInSession(VoteError):
    pass


class NoDotsLeft(VoteError):
    pass


class AlreadyVoted(VoteError):
    pass


class NotJoined(VoteError):
    pass


class NotHost(VoteError):
    pass


@dataclass(frozen=True)
class Session:
    code: str
    title: str
    tools: tuple[str, ...]
    dots: int
    allow_stacking: bool
    is_open: bool
    results_visible: bool
    host_token: str = ""


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    token: str


_SCHEMA_V1 = [
    """CREATE TABLE sessions (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        host_token TEXT NOT NULL,
        dots INTEGER NOT NULL CHECK (dots BETWEEN 1 AND 10),
        allow_stacking INTEGER NOT NULL DEFAULT 0,
        is_open INTEGER NOT NULL DEFAULT 1,
        results_visible INTEGER NOT NULL DEFAULT 1,
        created_at {TIME} NOT NULL DEFAULT {NOW})""",
    """CREATE TABLE session_tools (
        code TEXT NOT NULL REFERENCES sessions(code) ON DELETE CASCADE,
        slug TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (code, slug))""",
    """CREATE TABLE participants (
        id {ID},
        code TEXT NOT NULL REFERENCES sessions(code) ON DELETE CASCADE,
        token TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        joined_at {TIME} NOT NULL DEFAULT {NOW},
        UNIQUE (code, token))""",
    """CREATE TABLE votes (
        id {ID},
        code TEXT NOT NULL,
        participant_id {REF} NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        slug TEXT NOT NULL,
        cast_at {TIME} NOT NULL DEFAULT {NOW},
        FOREIGN KEY (code, slug) REFERENCES session_tools(code, slug))""",
    "CREATE INDEX votes_by_session ON votes (code, slug)",
    "CREATE INDEX votes_by_participant ON votes (participant_id)",
]
_DIALECT = {
    "sqlite": {"ID": "INTEGER PRIMARY KEY AUTOINCREMENT", "REF": "INTEGER", "TIME": "TEXT", "NOW": "CURRENT_TIMESTAMP"},
    "postgres": {
        "ID": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "REF": "BIGINT",
        "TIME": "TIMESTAMPTZ",
        "NOW": "now()",
    },
}
# One list of statements a schema version; the same schema in each dialect.
MIGRATIONS: dict[str, list[list[str]]] = {
    kind: [[stmt.format(**words) for stmt in _SCHEMA_V1]] for kind, words in _DIALECT.items()
}
SCHEMA_VERSION = 1


def clean_name(name: str) -> str:
    """A participant's name as plain text: no control characters, at most 40."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(name or ""))
    return " ".join(text.split())[:MAX_NAME]


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper())[:12]


class VoteStore:
    """One database, many threads: every call opens its own short connection."""

    _migrated: set[str] = set()
    _migrate_lock = threading.Lock()

    def __init__(self, url: str | os.PathLike[str] | None = None) -> None:
        raw = str(url) if url is not None else os.environ.get("TOOLBOX_DB", "")
        raw = raw or str(DEFAULT_DB)
        self.url = raw
        self.kind = "postgres" if raw.startswith(("postgresql://", "postgres://")) else "sqlite"
        if self.kind == "sqlite":
            path = Path(raw.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            self.path = path
        self._migrate()

    # ---- connections ----

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgres" else sql

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Any]:
        """A transaction; for writes, one that takes its lock up front."""
        if self.kind == "sqlite":
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 30000")
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            finally:
                conn.close()
        else:
            import psycopg  # only needed for PostgreSQL deployments

            with psycopg.connect(self.url, connect_timeout=10) as conn, conn.transaction():
                yield conn

    def _all(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = conn.execute(self._sql(sql), tuple(params))
        return list(cur.fetchall())

    def _one(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        rows = self._all(conn, sql, params)
        return rows[0] if rows else None

    def _migrate(self) -> None:
        with VoteStore._migrate_lock:
            if self.url in VoteStore._migrated:
                return
            if self.kind == "sqlite":
                conn = sqlite3.connect(self.path, timeout=30)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.close()
            with self._tx(write=True) as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                if self.kind == "postgres":  # one migrator at a time across replicas
                    conn.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE")
                row = self._one(conn, "SELECT max(version) FROM schema_version")
                current = row[0] if row and row[0] is not None else 0
                for version, statements in enumerate(MIGRATIONS[self.kind], 1):
                    if version <= current:
                        continue
                    for statement in statements:
                        conn.execute(statement)
                    conn.execute(self._sql("INSERT INTO schema_version (version) VALUES (?)"), (version,))
            VoteStore._migrated.add(self.url)

    def schema_version(self) -> int:
        with self._tx() as conn:
            row = self._one(conn, "SELECT max(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    # ---- sessions ----

    def create_session(
        self, tools: Sequence[str], dots: int = 3, allow_stacking: bool = False, title: str = ""
    ) -> Session:
        tools = list(dict.fromkeys(t for t in tools if t))
        if not tools:
            raise VoteError("Choose at least one tool to vote on.")
        if len(tools) > MAX_TOOLS:
            raise VoteError(f"At most {MAX_TOOLS} tools can be voted on at once.")
        if not 1 <= int(dots) <= MAX_DOTS:
            raise VoteError(f"Each participant gets 1 to {MAX_DOTS} dots.")
        host = secrets.token_urlsafe(16)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            with self._tx(write=True) as conn:
                if self._one(conn, "SELECT 1 FROM sessions WHERE code = ?", (code,)):
                    continue
                conn.execute(
                    self._sql(
                        "INSERT INTO sessions (code, title, host_token, dots, allow_stacking) VALUES (?, ?, ?, ?, ?)"
                    ),
                    (code, clean_name(title)[:MAX_NAME], host, int(dots), int(bool(allow_stacking))),
                )
                for i, slug in enumerate(tools):
                    conn.execute(
                        self._sql("INSERT INTO session_tools (code, slug, position) VALUES (?, ?, ?)"), (code, slug, i)
                    )
            return Session(code, clean_name(title), tuple(tools), int(dots), bool(allow_stacking), True, True, host)
        raise VoteError("Could not find a free join code; try again.")  # pragma: no cover

    def get_session(self, code: str) -> Session | None:
        code = normalise_code(code)
        with self._tx() as conn:
            return self._session(conn, code)

    def _session(self, conn: Any, code: str, lock: bool = False) -> Session | None:
        suffix = " FOR SHARE" if lock and self.kind == "postgres" else ""
        row = self._one(
            conn,
            "SELECT code, title, dots, allow_stacking, is_open, results_visible, host_token FROM sessions WHERE code = ?"
            + suffix,
            (code,),
        )
        if row is None:
            return None
        tools = tuple(
            r[0] for r in self._all(conn, "SELECT slug FROM session_tools WHERE code = ? ORDER BY position", (code,))
        )
        return Session(row[0], row[1], tools, int(row[2]), bool(row[3]), bool(row[4]), bool(row[5]), row[6])

    def _require(self, conn: Any, code: str, lock: bool = False) -> Session:
        session = self._session(conn, normalise_code(code), lock=lock)
        if session is None:
            raise SessionNotFound(
                f"No voting session has the code {normalise_code(code) or code!r}. Check the code on the screen."
            )
        return session

    def _host(self, conn: Any, code: str, host_token: str) -> Session:
        session = self._require(conn, code)
        if not host_token or not secrets.compare_digest(session.host_token, host_token):
            raise NotHost("Only the facilitator who started this session can change it.")
        return session

    def set_open(self, code: str, host_token: str, is_open: bool) -> None:
        with self._tx(write=True) as conn:
            s = self._host(conn, code, host_token)
            conn.execute(self._sql("UPDATE sessions SET is_open = ? WHERE code = ?"), (int(is_open), s.code))

    def set_results_visible(self, code: str, host_token: str, visible: bool) -> None:
        with self._tx(write=True) as conn:
            s = self._host(conn, code, host_token)
            conn.execute(self._sql("UPDATE sessions SET results_visible = ? WHERE code = ?"), (int(visible), s.code))

    # ---- participants and votes ----

    def join(self, code: str, token: str, name: str = "") -> Participant:
        """Join (or rejoin with the same token: no new dots). Names are plain text."""
        if not token:
            raise VoteError("A participant needs a token.")
        with self._tx(write=True) as conn:
            s = self._require(conn, code)
            row = self._one(conn, "SELECT id, name FROM participants WHERE code = ? AND token = ?", (s.code, token))
            if row is not None:
                if name and clean_name(name) != row[1]:
                    conn.execute(self._sql("UPDATE participants SET name = ? WHERE id = ?"), (clean_name(name), row[0]))
                    return Participant(int(row[0]), clean_name(name), token)
                return Participant(int(row[0]), row[1], token)
            if not s.is_open:
                raise VotingClosed("Voting in this session is closed.")
            new = self._one(
                conn,
                "INSERT INTO participants (code, token, name) VALUES (?, ?, ?) RETURNING id",
                (s.code, token, clean_name(name)),
            )
            assert new is not None
            return Participant(int(new[0]), clean_name(name), token)

    def _participant(self, conn: Any, code: str, token: str) -> int:
        suffix = " FOR UPDATE" if self.kind == "postgres" else ""
        row = self._one(conn, "SELECT id FROM participants WHERE code = ? AND token = ?" + suffix, (code, token))
        if row is None:
            raise NotJoined("Join the session first.")
        return int(row[0])

    def cast_vote(self, code: str, token: str, slug: str) -> int:
        """Spend one dot on `slug`; returns the dots left. Checked in the transaction."""
        with self._tx(write=True) as conn:
            s = self._require(conn, code, lock=True)
            if not s.is_open:
                raise VotingClosed("Voting in this session is closed.")
            if slug not in s.tools:
                raise NotInSession("That tool is not on this session's ballot.")
            pid = self._participant(conn, s.code, token)
            used = self._one(conn, "SELECT count(*) FROM votes WHERE participant_id = ?", (pid,))
            spent = int(used[0]) if used else 0
            if spent >= s.dots:
                raise NoDotsLeft(f"You have used all {s.dots} of your dots.")
            if not s.allow_stacking:
                same = self._one(conn, "SELECT 1 FROM votes WHERE participant_id = ? AND slug = ?", (pid, slug))
                if same:
                    raise AlreadyVoted("In this session each tool takes at most one of your dots.")
            conn.execute(
                self._sql("INSERT INTO votes (code, participant_id, slug) VALUES (?, ?, ?)"), (s.code, pid, slug)
            )
            return s.dots - spent - 1

    def remove_vote(self, code: str, token: str, slug: str) -> int:
        """Take one dot back from `slug`; returns the dots left."""
        with self._tx(write=True) as conn:
            s = self._require(conn, code, lock=True)
            if not s.is_open:
                raise VotingClosed("Voting in this session is closed.")
            pid = self._participant(conn, s.code, token)
            row = self._one(
                conn, "SELECT id FROM votes WHERE participant_id = ? AND slug = ? ORDER BY id DESC LIMIT 1", (pid, slug)
            )
            if row is not None:
                conn.execute(self._sql("DELETE FROM votes WHERE id = ?"), (row[0],))
            used = self._one(conn, "SELECT count(*) FROM votes WHERE participant_id = ?", (pid,))
            return s.dots - (int(used[0]) if used else 0)

    def my_votes(self, code: str, token: str) -> dict[str, int]:
        with self._tx() as conn:
            rows = self._all(
                conn,
                "SELECT v.slug, count(*) FROM votes v JOIN participants p ON p.id = v.participant_id "
                "WHERE p.code = ? AND p.token = ? GROUP BY v.slug",
                (normalise_code(code), token),
            )
        return {slug: int(n) for slug, n in rows}

    def totals(self, code: str) -> dict[str, int]:
        """Dots per tool, every tool on the ballot included, in ballot order."""
        with self._tx() as conn:
            s = self._require(conn, code)
            rows = dict(self._all(conn, "SELECT slug, count(*) FROM votes WHERE code = ? GROUP BY slug", (s.code,)))
        return {slug: int(rows.get(slug, 0)) for slug in s.tools}

    def stats(self, code: str) -> tuple[int, int]:
        """(participants, dots spent)."""
        with self._tx() as conn:
            s = self._require(conn, code)
            people = self._one(conn, "SELECT count(*) FROM participants WHERE code = ?", (s.code,))
            dots = self._one(conn, "SELECT count(*) FROM votes WHERE code = ?", (s.code,))
        return int(people[0] if people else 0), int(dots[0] if dots else 0)

    def results_csv(self, code: str, titles: dict[str, str] | None = None) -> str:
        totals = self.totals(code)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["rank", "tool", "slug", "dots"])
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1], (titles or {}).get(kv[0], kv[0])))
        for i, (slug, n) in enumerate(ordered, 1):
            title = (titles or {}).get(slug, slug)
            w.writerow([i, "'" + title if title[:1] in "=+-@" else title, slug, n])
        return buf.getvalue()
