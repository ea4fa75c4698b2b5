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

Identity: only the server issues participant tokens (`new_token`), each a
random id and an HMAC of it under a secret that belongs to the session and
never leaves the database, so a made-up or altered `me=` value is refused
(`InvalidToken`) instead of becoming a new participant. Reading a ballot
never writes; joining writes once and is idempotent for a given token.

Failures: a busy SQLite file or a lost PostgreSQL connection is retried a few
times with a short back-off, then reported as `StorageError` (a `VoteError`
whose message the page shows), never as a driver exception.

Hidden results: while the facilitator hides them, `totals` and `results_csv`
refuse (`ResultsHidden`) anyone who does not present the host key.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import hmac
import io
import os
import random
import re
import secrets
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6
MAX_TOOLS = 20
MAX_DOTS = 10
MAX_NAME = 40
MAX_KEY = 64  # longest participant token or host key accepted from an address
TOKEN_ID_BYTES = 12  # 16 characters of base64url
TOKEN_MAC_BYTES = 16  # 22 characters of base64url
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}")
BUSY_TIMEOUT_S = 5.0  # how long one SQLite attempt waits for the write lock
RETRIES = 3  # attempts for a transaction that failed on a busy or lost database
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


class InvalidToken(VoteError):
    """A participant token this session did not issue (made up, altered or too long)."""


class ResultsHidden(VoteError):
    pass


class StorageError(VoteError):
    """The database could not be reached or stayed busy; nothing was written."""


class TooManyAttempts(VoteError):
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


@dataclass(frozen=True)
class Ballot:
    """What a participant's page needs, read in one transaction."""

    session: Session
    participant: Participant
    mine: dict[str, int]

    @property
    def left(self) -> int:
        return self.session.dots - sum(self.mine.values())


_SCHEMA_V1 = [
    """CREATE TABLE sessions (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        host_token TEXT NOT NULL,
        dots INTEGER NOT NULL CHECK (dots BETWEEN 1 AND {MAX_DOTS}),
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
# v2: a secret per session that signs participant tokens (sessions from v1 get
# one from the database's own random source).
_SCHEMA_V2 = [
    "ALTER TABLE sessions ADD COLUMN secret TEXT NOT NULL DEFAULT ''",
    "UPDATE sessions SET secret = {RANDOM_HEX} WHERE secret = ''",
]
_DIALECT = {
    "sqlite": {
        "ID": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "REF": "INTEGER",
        "TIME": "TEXT",
        "NOW": "CURRENT_TIMESTAMP",
        "RANDOM_HEX": "lower(hex(randomblob(32)))",
    },
    "postgres": {
        "ID": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "REF": "BIGINT",
        "TIME": "TIMESTAMPTZ",
        "NOW": "now()",
        "RANDOM_HEX": "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')",
    },
}
# One list of statements a schema version; the same schema in each dialect.
MIGRATIONS: dict[str, list[list[str]]] = {
    kind: [[stmt.format(MAX_DOTS=MAX_DOTS, **words) for stmt in version] for version in (_SCHEMA_V1, _SCHEMA_V2)]
    for kind, words in _DIALECT.items()
}
SCHEMA_VERSION = len(MIGRATIONS["sqlite"])


def clean_name(name: str) -> str:
    """A participant's name as plain text: no control characters, at most 40."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(name or ""))
    return " ".join(text.split())[:MAX_NAME]


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper()[:64])[:12]


def keys_match(given: str, expected: str) -> bool:
    """Constant-time comparison of two keys of any characters (bytes, not str:
    `hmac.compare_digest` refuses non-ASCII strings)."""
    if not given or not expected or len(given) > MAX_KEY:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _mac(secret: str, code: str, ident: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{code}:{ident}".encode("ascii"), hashlib.sha256).digest()
    return _b64(digest[:TOKEN_MAC_BYTES])


def sign_token(secret: str, code: str, ident: str | None = None) -> str:
    """A participant token: a random id, a dot, and its HMAC under the session's secret."""
    ident = ident or _b64(secrets.token_bytes(TOKEN_ID_BYTES))
    return f"{ident}.{_mac(secret, code, ident)}"


def token_shape_ok(token: str) -> bool:
    """Bounded and well formed; says nothing about who issued it."""
    return isinstance(token, str) and len(token) <= MAX_KEY and TOKEN_RE.fullmatch(token) is not None


def token_valid(secret: str, code: str, token: str) -> bool:
    """Whether this session's secret issued `token` (constant-time check)."""
    if not secret or not token_shape_ok(token):
        return False
    ident, mac = token.split(".")
    return hmac.compare_digest(mac.encode("ascii"), _mac(secret, code, ident).encode("ascii"))


class AttemptLimiter:
    """Failed join-code attempts per client and per server in a sliding window.

    `check(client)` raises `TooManyAttempts` once a client (or the whole server)
    has used up its failures for the window; `fail(client)` records one. Kept in
    memory: it guards one server process, which is where the guessing happens.
    """

    def __init__(
        self,
        per_client: int = 10,
        overall: int = 200,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_client, self.overall, self.window_s, self.clock = per_client, overall, window_s, clock
        self._lock = threading.Lock()
        self._all: deque[float] = deque()
        self._by_client: dict[str, deque[float]] = {}

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for key in [k for k, q in self._by_client.items() if not q or q[-1] <= cutoff]:
            del self._by_client[key]
        for q in self._by_client.values():
            while q and q[0] <= cutoff:
                q.popleft()

    def check(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            self._prune(now)
            mine: Sequence[float] = self._by_client.get(client, ())
            if len(mine) >= self.per_client:
                wait = max(1, round(mine[0] + self.window_s - now))
                raise TooManyAttempts(
                    f"Too many wrong join codes from here. Wait {wait} seconds, then type the code on the screen."
                )
            if len(self._all) >= self.overall:
                wait = max(1, round(self._all[0] + self.window_s - now))
                raise TooManyAttempts(
                    f"Too many wrong join codes on this server in the last minute. Wait {wait} seconds and try again."
                )

    def fail(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            self._all.append(now)
            self._by_client.setdefault(client, deque()).append(now)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _retryable(exc: BaseException) -> bool:
    """A failure after which nothing was written: the lock was never taken, the
    connection never opened, or PostgreSQL rolled the transaction back."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    if isinstance(exc, _ConnectFailed):
        return True
    state = getattr(exc, "sqlstate", None)
    return isinstance(state, str) and state.startswith("40")  # serialization failure, deadlock


class _ConnectFailed(Exception):
    """PostgreSQL could not be reached: nothing ran, so a retry is safe."""


def _guarded(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a storage call with bounded retries; a driver error becomes StorageError."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for attempt in range(1, RETRIES + 1):
            try:
                return fn(*args, **kwargs)
            except VoteError:
                raise
            except Exception as exc:
                if not _is_storage_error(exc):
                    raise
                if attempt == RETRIES or not _retryable(exc):
                    raise StorageError(
                        "The vote's storage did not answer in time, so nothing was saved. Try again."
                    ) from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise StorageError("The vote's storage did not answer in time, so nothing was saved. Try again.")

    return wrapper


def _is_storage_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error | _ConnectFailed):
        return True
    return type(exc).__module__.startswith("psycopg")


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
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
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

            try:
                pg = psycopg.connect(self.url, connect_timeout=10)
            except psycopg.OperationalError as exc:
                raise _ConnectFailed(str(exc)) from exc
            with pg, pg.transaction():
                yield pg

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

    @_guarded
    def schema_version(self) -> int:
        with self._tx() as conn:
            row = self._one(conn, "SELECT max(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    # ---- sessions ----

    @_guarded
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
        secret = secrets.token_hex(32)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            with self._tx(write=True) as conn:
                if self._one(conn, "SELECT 1 FROM sessions WHERE code = ?", (code,)):
                    continue
                conn.execute(
                    self._sql(
                        "INSERT INTO sessions (code, title, host_token, secret, dots, allow_stacking)"
                        " VALUES (?, ?, ?, ?, ?, ?)"
                    ),
                    (code, clean_name(title)[:MAX_NAME], host, secret, int(dots), int(bool(allow_stacking))),
                )
                for i, slug in enumerate(tools):
                    conn.execute(
                        self._sql("INSERT INTO session_tools (code, slug, position) VALUES (?, ?, ?)"), (code, slug, i)
                    )
            return Session(code, clean_name(title), tuple(tools), int(dots), bool(allow_stacking), True, True, host)
        raise VoteError("Could not find a free join code; try again.")  # pragma: no cover

    @_guarded
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
        if not keys_match(host_token, session.host_token):
            raise NotHost("Only the facilitator who started this session can change it.")
        return session

    def is_host(self, session: Session, host_token: str) -> bool:
        """Whether `host_token` is this session's facilitator key (any characters, constant time)."""
        return keys_match(host_token, session.host_token)

    def _secret(self, conn: Any, code: str) -> str:
        row = self._one(conn, "SELECT secret FROM sessions WHERE code = ?", (code,))
        return str(row[0]) if row else ""

    @_guarded
    def set_open(self, code: str, host_token: str, is_open: bool) -> None:
        with self._tx(write=True) as conn:
            s = self._host(conn, code, host_token)
            conn.execute(self._sql("UPDATE sessions SET is_open = ? WHERE code = ?"), (int(is_open), s.code))

    @_guarded
    def set_results_visible(self, code: str, host_token: str, visible: bool) -> None:
        with self._tx(write=True) as conn:
            s = self._host(conn, code, host_token)
            conn.execute(self._sql("UPDATE sessions SET results_visible = ? WHERE code = ?"), (int(visible), s.code))

    # ---- participants and votes ----

    @_guarded
    def new_token(self, code: str) -> str:
        """Issue a participant token for this session (nothing is written until `join`)."""
        with self._tx() as conn:
            s = self._require(conn, code)
            return sign_token(self._secret(conn, s.code), s.code)

    def _check_token(self, conn: Any, code: str, token: str) -> None:
        if not token_valid(self._secret(conn, code), code, token):
            raise InvalidToken(
                "This voting link was not given out by this vote, or it was changed. Press Join to get your own dots."
            )

    @_guarded
    def join(self, code: str, token: str, name: str = "") -> Participant:
        """Join with a token from `new_token`, or rejoin with it (no new dots).

        Idempotent: the same token joined from several tabs at once is one
        participant. A token the session did not issue is refused.
        """
        with self._tx(write=True) as conn:
            s = self._require(conn, code)
            self._check_token(conn, s.code, token)
            sql = "SELECT id, name FROM participants WHERE code = ? AND token = ?"
            row = self._one(conn, sql, (s.code, token))
            if row is None:
                if not s.is_open:
                    raise VotingClosed("Voting in this session is closed.")
                conn.execute(
                    self._sql(
                        "INSERT INTO participants (code, token, name) VALUES (?, ?, ?) ON CONFLICT (code, token) DO NOTHING"
                    ),
                    (s.code, token, clean_name(name)),
                )
                row = self._one(conn, sql, (s.code, token))
                if row is None:  # pragma: no cover - the row was written or already there
                    raise StorageError("Joining did not complete. Try again.")
            if name and clean_name(name) != row[1]:
                conn.execute(self._sql("UPDATE participants SET name = ? WHERE id = ?"), (clean_name(name), row[0]))
                return Participant(int(row[0]), clean_name(name), token)
            return Participant(int(row[0]), row[1], token)

    @_guarded
    def ballot(self, code: str, token: str) -> Ballot:
        """A participant's page in one read: the session, who they are, their dots.

        Never writes. Raises InvalidToken for a token the session did not issue
        and NotJoined for an issued token that never joined.
        """
        with self._tx() as conn:
            s = self._require(conn, code)
            self._check_token(conn, s.code, token)
            row = self._one(conn, "SELECT id, name FROM participants WHERE code = ? AND token = ?", (s.code, token))
            if row is None:
                raise NotJoined("Press Join to take part in this vote.")
            mine = self._all(conn, "SELECT slug, count(*) FROM votes WHERE participant_id = ? GROUP BY slug", (row[0],))
        return Ballot(s, Participant(int(row[0]), row[1], token), {slug: int(n) for slug, n in mine})

    def _participant(self, conn: Any, code: str, token: str) -> int:
        if not token_shape_ok(token):
            raise InvalidToken("This voting link is not valid. Press Join to get your own dots.")
        suffix = " FOR UPDATE" if self.kind == "postgres" else ""
        row = self._one(conn, "SELECT id FROM participants WHERE code = ? AND token = ?" + suffix, (code, token))
        if row is None:
            raise NotJoined("Join the session first.")
        return int(row[0])

    @_guarded
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

    @_guarded
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

    @_guarded
    def my_votes(self, code: str, token: str) -> dict[str, int]:
        if not token_shape_ok(token):
            return {}
        with self._tx() as conn:
            rows = self._all(
                conn,
                "SELECT v.slug, count(*) FROM votes v JOIN participants p ON p.id = v.participant_id "
                "WHERE p.code = ? AND p.token = ? GROUP BY v.slug",
                (normalise_code(code), token),
            )
        return {slug: int(n) for slug, n in rows}

    @_guarded
    def totals(self, code: str, host_token: str = "") -> dict[str, int]:
        """Dots per tool, every tool on the ballot included, in ballot order.

        While the facilitator hides the results, only their key reads them.
        """
        with self._tx() as conn:
            s = self._require(conn, code)
            if not s.results_visible and not keys_match(host_token, s.host_token):
                raise ResultsHidden("The facilitator has hidden this vote's results until they reveal them.")
            rows = dict(self._all(conn, "SELECT slug, count(*) FROM votes WHERE code = ? GROUP BY slug", (s.code,)))
        return {slug: int(rows.get(slug, 0)) for slug in s.tools}

    @_guarded
    def stats(self, code: str) -> tuple[int, int]:
        """(participants, dots spent)."""
        with self._tx() as conn:
            s = self._require(conn, code)
            people = self._one(conn, "SELECT count(*) FROM participants WHERE code = ?", (s.code,))
            dots = self._one(conn, "SELECT count(*) FROM votes WHERE code = ?", (s.code,))
        return int(people[0] if people else 0), int(dots[0] if dots else 0)

    def results_csv(self, code: str, titles: dict[str, str] | None = None, host_token: str = "") -> str:
        totals = self.totals(code, host_token)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["rank", "tool", "slug", "dots"])
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1], (titles or {}).get(kv[0], kv[0])))
        for i, (slug, n) in enumerate(ordered, 1):
            title = (titles or {}).get(slug, slug)
            w.writerow([i, "'" + title if title[:1] in "=+-@" else title, slug, n])
        return buf.getvalue()
