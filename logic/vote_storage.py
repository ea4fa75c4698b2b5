"""Where a dot vote is kept: a small storage protocol and its SQL implementations.

`VoteStorage` hands out transactions (`VoteTx`): read ones that cannot write,
and write ones that hold the locks a vote needs from start to end. A `VoteTx`
only reads and writes rows; every rule of the vote (budgets, ballots, closed
sessions, hidden results, tokens) is in `logic/vote_rules.py` and applied by
`logic/votes.py`, so a new database is one new `VoteStorage` here and one entry
in `STORAGES`.

Two implementations share one SQL text and differ only in their `Dialect`
(placeholders, row locks, column types) and their connection:
- SQLite (the default; a file, WAL mode): a write is `BEGIN IMMEDIATE`, which
  takes the database's write lock up front; a read is `BEGIN` on a connection
  with `query_only`, which never waits for or takes the write lock.
- PostgreSQL (a postgresql:// URL, for several app replicas): a write locks the
  participant's row (`FOR UPDATE`) and the session's (`FOR SHARE`); a read is a
  `READ ONLY` transaction.

The schema is versioned (table `schema_version`) and migrated on first use.
Driver errors leave as `StorageBusy` (nothing was written, a retry is safe) or
`StorageError`, never as a driver exception.

Plain DB-API rather than SQLAlchemy Core: the queries are a dozen short
statements that run unchanged on both databases once `?` becomes `%s`; Core
would add a dependency and still need SQLite's `BEGIN IMMEDIATE` and
`query_only` hooked in through engine events, for no fewer lines.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from .vote_rules import MAX_DOTS, SESSION_LIFETIME_HOURS, Participant, Session, StorageError

BUSY_TIMEOUT_S = 1.5  # how long one SQLite attempt waits for the write lock (a write holds it for ms)
# PostgreSQL: how long a connection may take, a statement may wait for a lock, a statement
# may run, and sent data may stay unacknowledged (a stalled network) before the attempt
# fails; a write holds its row locks for milliseconds.
PG_CONNECT_TIMEOUT_S = 2  # libpq's smallest
PG_LOCK_TIMEOUT_MS = 1_500
PG_STATEMENT_TIMEOUT_MS = 2_500
PG_TCP_USER_TIMEOUT_MS = 2_500
PG_IDLE = 16  # connections kept open between transactions, per app process
UNAVAILABLE = "The vote's storage did not answer in time, so nothing was saved. Try again."
DEFAULT_DB = Path(__file__).resolve().parent.parent / ".data" / "workshop.db"


class StorageBusy(StorageError):
    """The database was busy or out of reach and nothing was written: a retry is safe."""


class VoteTx(Protocol):
    """One transaction's rows. Reads return None or empty when nothing is there."""

    def schema_version(self) -> int: ...
    def session(self, code: str, *, lock: bool = False) -> Session | None: ...
    def secret(self, code: str) -> str: ...
    def add_session(self, session: Session, secret: str) -> bool:
        """Store a new session; False (nothing written) when its code is taken."""
        ...

    def set_session_flags(
        self, code: str, *, is_open: bool | None = None, results_visible: bool | None = None
    ) -> None: ...

    def participant(self, code: str, token: str, *, lock: bool = False) -> Participant | None: ...
    def add_participant(self, code: str, token: str, name: str) -> None:
        """Idempotent: a token already in the session is left as it is."""
        ...

    def rename_participant(self, participant_id: int, name: str) -> None: ...
    def dots_of(self, participant_id: int) -> dict[str, int]: ...
    def add_dot(self, code: str, participant_id: int, slug: str) -> None: ...
    def remove_dot(self, participant_id: int, slug: str) -> None:
        """Remove the participant's latest dot on `slug`, if any."""
        ...

    def counts(self, code: str) -> dict[str, int]: ...
    def stats(self, code: str) -> tuple[int, int]:
        """(participants, dots spent)."""
        ...


class VoteStorage(Protocol):
    url: str

    def transaction(self, *, write: bool) -> AbstractContextManager[VoteTx]:
        """A read transaction (`write=False`) cannot write; a write one holds its locks to the end."""
        ...


# ---- SQL, one text for both databases ----

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
# v3: the /find scenario a vote was started from (vote_rules.scenario_text).
_SCHEMA_V3 = ["ALTER TABLE sessions ADD COLUMN scenario TEXT NOT NULL DEFAULT ''"]


@dataclass(frozen=True)
class Dialect:
    """What differs between two SQL databases: words in the schema, placeholders, locks."""

    name: str
    words: dict[str, str]
    placeholder: str = "?"
    lock_row: str = ""  # appended to a SELECT that a write transaction will update from
    share_row: str = ""  # appended to a SELECT whose row must not change under the transaction
    migration_lock: str = ""  # one migrator at a time across app replicas
    started_after: str = ""  # the earliest created_at of a session still running (SESSION_LIFETIME_HOURS)
    migrations: list[list[str]] = field(init=False)

    def __post_init__(self) -> None:
        statements = [
            [s.format(MAX_DOTS=MAX_DOTS, **self.words) for s in v] for v in (_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3)
        ]
        object.__setattr__(self, "migrations", statements)

    def sql(self, text: str) -> str:
        return text.replace("?", self.placeholder)


SQLITE = Dialect(
    "sqlite",
    {
        "ID": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "REF": "INTEGER",
        "TIME": "TEXT",
        "NOW": "CURRENT_TIMESTAMP",
        "RANDOM_HEX": "lower(hex(randomblob(32)))",
    },
    started_after=f"datetime('now', '-{SESSION_LIFETIME_HOURS} hours')",
)
POSTGRES = Dialect(
    "postgres",
    {
        "ID": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "REF": "BIGINT",
        "TIME": "TIMESTAMPTZ",
        "NOW": "now()",
        "RANDOM_HEX": "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')",
    },
    placeholder="%s",
    lock_row=" FOR UPDATE",
    share_row=" FOR SHARE",
    migration_lock="LOCK TABLE schema_version IN EXCLUSIVE MODE",
    started_after=f"now() - interval '{SESSION_LIFETIME_HOURS} hours'",
)
# One list of statements a schema version; the same schema in each dialect.
MIGRATIONS: dict[str, list[list[str]]] = {d.name: d.migrations for d in (SQLITE, POSTGRES)}
SCHEMA_VERSION = len(SQLITE.migrations)


class SqlTx:
    """A `VoteTx` over one DB-API connection in an open transaction."""

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self.conn, self.dialect = conn, dialect

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.conn.execute(self.dialect.sql(sql), params)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self._run(sql, params).fetchall())

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def schema_version(self) -> int:
        row = self._one("SELECT max(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    def session(self, code: str, *, lock: bool = False) -> Session | None:
        row = self._one(
            "SELECT code, title, dots, allow_stacking, is_open, results_visible, host_token, scenario"
            " FROM sessions WHERE code = ?"
            + (f" AND created_at > {self.dialect.started_after}" if self.dialect.started_after else "")
            + (self.dialect.share_row if lock else ""),
            (code,),
        )
        if row is None:
            return None
        tools = tuple(
            r[0] for r in self._rows("SELECT slug FROM session_tools WHERE code = ? ORDER BY position", (code,))
        )
        return Session(row[0], row[1], tools, int(row[2]), bool(row[3]), bool(row[4]), bool(row[5]), row[6], row[7])

    def secret(self, code: str) -> str:
        row = self._one("SELECT secret FROM sessions WHERE code = ?", (code,))
        return str(row[0]) if row else ""

    def add_session(self, session: Session, secret: str) -> bool:
        if self._one("SELECT 1 FROM sessions WHERE code = ?", (session.code,)):
            return False
        self._run(
            "INSERT INTO sessions (code, title, host_token, secret, dots, allow_stacking, results_visible, scenario)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.code,
                session.title,
                session.host_token,
                secret,
                session.dots,
                int(session.allow_stacking),
                int(session.results_visible),
                session.scenario,
            ),
        )
        for i, slug in enumerate(session.tools):
            self._run("INSERT INTO session_tools (code, slug, position) VALUES (?, ?, ?)", (session.code, slug, i))
        return True

    def set_session_flags(self, code: str, *, is_open: bool | None = None, results_visible: bool | None = None) -> None:
        if is_open is not None:
            self._run("UPDATE sessions SET is_open = ? WHERE code = ?", (int(is_open), code))
        if results_visible is not None:
            self._run("UPDATE sessions SET results_visible = ? WHERE code = ?", (int(results_visible), code))

    def participant(self, code: str, token: str, *, lock: bool = False) -> Participant | None:
        row = self._one(
            "SELECT id, name FROM participants WHERE code = ? AND token = ?" + (self.dialect.lock_row if lock else ""),
            (code, token),
        )
        return Participant(int(row[0]), row[1], token) if row else None

    def add_participant(self, code: str, token: str, name: str) -> None:
        self._run(
            "INSERT INTO participants (code, token, name) VALUES (?, ?, ?) ON CONFLICT (code, token) DO NOTHING",
            (code, token, name),
        )

    def rename_participant(self, participant_id: int, name: str) -> None:
        self._run("UPDATE participants SET name = ? WHERE id = ?", (name, participant_id))

    def dots_of(self, participant_id: int) -> dict[str, int]:
        rows = self._rows("SELECT slug, count(*) FROM votes WHERE participant_id = ? GROUP BY slug", (participant_id,))
        return {slug: int(n) for slug, n in rows}

    def add_dot(self, code: str, participant_id: int, slug: str) -> None:
        self._run("INSERT INTO votes (code, participant_id, slug) VALUES (?, ?, ?)", (code, participant_id, slug))

    def remove_dot(self, participant_id: int, slug: str) -> None:
        row = self._one(
            "SELECT id FROM votes WHERE participant_id = ? AND slug = ? ORDER BY id DESC LIMIT 1",
            (participant_id, slug),
        )
        if row is not None:
            self._run("DELETE FROM votes WHERE id = ?", (row[0],))

    def counts(self, code: str) -> dict[str, int]:
        return {
            slug: int(n)
            for slug, n in self._rows("SELECT slug, count(*) FROM votes WHERE code = ? GROUP BY slug", (code,))
        }

    def stats(self, code: str) -> tuple[int, int]:
        people = self._one("SELECT count(*) FROM participants WHERE code = ?", (code,))
        dots = self._one("SELECT count(*) FROM votes WHERE code = ?", (code,))
        return int(people[0] if people else 0), int(dots[0] if dots else 0)


class SqlStorage:
    """What both SQL storages share: migration on first use, error translation."""

    dialect: ClassVar[Dialect]
    _migrated: ClassVar[set[str]] = set()  # databases this process has brought up to date
    _migrate_lock: ClassVar[threading.Lock] = threading.Lock()
    url: str

    def _connect(self, write: bool) -> AbstractContextManager[Any]:
        """A connection in an open transaction, committed on exit or rolled back."""
        raise NotImplementedError

    def _translate(self, exc: Exception) -> StorageError | None:
        """The storage error a driver exception stands for; None if it is not the driver's."""
        raise NotImplementedError

    def _prepare(self) -> None:
        """Once per database, before the first migration."""

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except Exception as exc:
            mapped = self._translate(exc)
            if mapped is None:
                raise
            raise mapped from exc

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[SqlTx]:
        with self._translated():
            self._migrate()
            with self._connect(write) as conn:
                yield SqlTx(conn, self.dialect)

    def _migrate(self) -> None:
        with SqlStorage._migrate_lock:
            if self.url in SqlStorage._migrated:
                return
            self._prepare()
            with self._connect(write=True) as conn:
                tx = SqlTx(conn, self.dialect)
                tx._run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                if self.dialect.migration_lock:
                    tx._run(self.dialect.migration_lock)
                current = tx.schema_version()
                for version, statements in enumerate(self.dialect.migrations, 1):
                    if version > current:
                        for statement in statements:
                            tx._run(statement)
                        tx._run("INSERT INTO schema_version (version) VALUES (?)", (version,))
            SqlStorage._migrated.add(self.url)

    @classmethod
    def forget_migration(cls, url: str) -> None:
        """Migrate `url` again on its next use (tests that drop the tables)."""
        SqlStorage._migrated.discard(url)


class SqliteStorage(SqlStorage):
    """A SQLite file; every transaction opens its own short connection."""

    dialect = SQLITE

    def __init__(self, path: str | Path, busy_timeout_s: float | None = None) -> None:
        self.path = Path(str(path).removeprefix("sqlite:///"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.url = str(self.path)
        self._busy_timeout_s = busy_timeout_s

    @property
    def busy_timeout_s(self) -> float:
        """How long one attempt waits for the write lock (BUSY_TIMEOUT_S unless given)."""
        return BUSY_TIMEOUT_S if self._busy_timeout_s is None else self._busy_timeout_s

    def _prepare(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            conn.execute(f"PRAGMA query_only = {'OFF' if write else 'ON'}")
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def _translate(self, exc: Exception) -> StorageError | None:
        if isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy")):
            return StorageBusy(UNAVAILABLE)
        if isinstance(exc, sqlite3.Error):
            return StorageError(UNAVAILABLE)
        return None


class PostgresStorage(SqlStorage):
    """A PostgreSQL database (psycopg 3); every transaction opens its own connection."""

    dialect = POSTGRES

    def __init__(self, url: str, connect_timeout_s: int = PG_CONNECT_TIMEOUT_S) -> None:
        self.url = url
        self.connect_timeout_s = connect_timeout_s
        self._idle: list[Any] = []  # connections between transactions, reused (PG_IDLE of them at most)
        self._idle_lock = threading.Lock()

    @contextmanager
    def _connect(self, write: bool) -> Iterator[Any]:
        """A connection in an open transaction. Connections are kept between transactions
        (a new one costs the server and the app about 9 ms of CPU a tap, most of a burst's
        time on PostgreSQL); one that failed in any way is closed, never reused."""
        with self._idle_lock:
            pg = self._idle.pop() if self._idle else None
        if pg is None or pg.closed:
            pg = self._open()
        try:
            pg.read_only = not write
            with pg.transaction():
                yield pg
        except BaseException:
            pg.close()
            raise
        with self._idle_lock:
            if len(self._idle) < PG_IDLE and not pg.closed:
                self._idle.append(pg)
                pg = None
        if pg is not None:
            pg.close()

    def _open(self) -> Any:
        import psycopg  # only needed for PostgreSQL deployments

        try:
            return psycopg.connect(
                self.url,
                connect_timeout=self.connect_timeout_s,
                options=f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} -c statement_timeout={PG_STATEMENT_TIMEOUT_MS}",
                tcp_user_timeout=PG_TCP_USER_TIMEOUT_MS,
                keepalives=1,
                keepalives_idle=2,
                keepalives_interval=1,
                keepalives_count=2,
            )
        except psycopg.OperationalError as exc:  # nothing ran: a retry is safe
            raise StorageBusy(UNAVAILABLE) from exc

    def _translate(self, exc: Exception) -> StorageError | None:
        if not type(exc).__module__.startswith("psycopg"):
            return None
        state = getattr(exc, "sqlstate", None)
        if isinstance(state, str) and state.startswith("40"):  # serialization failure, deadlock: rolled back
            return StorageBusy(UNAVAILABLE)
        if state in ("55P03", "57014"):  # lock_timeout, statement_timeout: the transaction is rolled back
            return StorageBusy(UNAVAILABLE)
        return StorageError(UNAVAILABLE)


# A new database: one VoteStorage class and its address scheme here.
STORAGES: dict[str, Callable[[str], VoteStorage]] = {
    "postgresql://": PostgresStorage,
    "postgres://": PostgresStorage,
}


def open_storage(url: str | None) -> VoteStorage:
    """The storage an address names: a postgresql:// URL, else a SQLite file (default .data/workshop.db)."""
    raw = str(url or "") or str(DEFAULT_DB)
    for prefix, kind in STORAGES.items():
        if raw.startswith(prefix):
            return kind(raw)
    return SqliteStorage(raw)
