"""Live dot voting: the rules (logic/vote_rules.py) over a storage (logic/vote_storage.py).

`VoteStore(url)` is what the pages, the scripts and the tests use. Each of its
calls is one storage transaction in which it reads what it needs, applies the
vote's rules to what the database holds at that moment, and writes; so no
participant can spend more dots than the session allows, however many requests
arrive at once (the write transaction holds the locks: SQLite's write lock,
PostgreSQL's row locks on the participant and the session).

Storage: SQLite by default (the file named by `TOOLBOX_DB`, created on first
use); PostgreSQL when `TOOLBOX_DB` is a postgresql:// URL. Any object that
follows the `VoteStorage` protocol can be passed instead of a URL.

Identity: only the server issues participant tokens (`new_token`), each a
random id and an HMAC of it under a secret that belongs to the session and
never leaves the database, so a made-up or altered `me=` value is refused
(`InvalidToken`) instead of becoming a new participant. Reading a ballot is a
read-only transaction: a participant's rerun never writes. Joining writes once
and is idempotent for a given token.

Failures: a busy SQLite file or a lost PostgreSQL connection is retried a few
times with a short back-off, then reported as `StorageError` (a `VoteError`
whose message the page shows), never as a driver exception.

Hidden results: while the facilitator hides them, `totals` and `results_csv`
refuse (`ResultsHidden`) anyone who does not present the host key.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from . import vote_rules as rules
from .export import vote_results_csv
from .vote_rules import (
    MAX_DOTS,
    MAX_KEY,
    MAX_NAME,
    MAX_TOOLS,
    AlreadyVoted,
    AttemptLimiter,
    Ballot,
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
    VotingClosed,
    clean_name,
    code_from_address,
    keys_match,
    normalise_code,
    sign_token,
    token_shape_ok,
    token_valid,
)
from .vote_storage import (
    MIGRATIONS,
    SCHEMA_VERSION,
    UNAVAILABLE,
    StorageBusy,
    VoteStorage,
    VoteTx,
    open_storage,
)

__all__ = [
    "MAX_DOTS",
    "MAX_KEY",
    "MAX_NAME",
    "MAX_TOOLS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AlreadyVoted",
    "AttemptLimiter",
    "Ballot",
    "InvalidToken",
    "NoDotsLeft",
    "NotHost",
    "NotInSession",
    "NotJoined",
    "Participant",
    "ResultsHidden",
    "Session",
    "SessionNotFound",
    "StorageError",
    "TooManyAttempts",
    "VoteError",
    "VoteStore",
    "VotingClosed",
    "clean_name",
    "keys_match",
    "code_from_address",
    "normalise_code",
    "sign_token",
    "token_shape_ok",
    "token_valid",
]

RETRIES = 3  # attempts for a transaction that failed on a busy or unreachable database
# No new attempt starts after this many seconds: with the storages' own timeouts (SQLite's
# busy timeout, PostgreSQL's connect, lock and statement timeouts) a tap held by a lock or
# a stalled network ends in "not counted, try again" within about five seconds.
CALL_BUDGET_S = 3.0
log = logging.getLogger(__name__)
CODE_ATTEMPTS = 20  # tries to draw a join code no session has
_R = TypeVar("_R")


def _cause(exc: BaseException) -> str:
    """The driver's words for a storage failure, on one line (for the log)."""
    cause = exc.__cause__ or exc
    return f"{type(cause).__name__}: {' '.join(str(cause).split())[:300]}"


def _add_session(tx: VoteTx, session: Session, secret: str) -> bool:
    return tx.add_session(session, secret)


class VoteStore:
    """The vote's operations; one database, many threads (one short transaction a call)."""

    def __init__(self, url: str | os.PathLike[str] | VoteStorage | None = None) -> None:
        if url is None or isinstance(url, str | os.PathLike):
            url = open_storage(str(url) if url is not None else os.environ.get("TOOLBOX_DB", ""))
        self.storage: VoteStorage = url

    def _run(self, write: bool, work: Callable[[VoteTx], _R], retries: int = RETRIES) -> _R:
        """`work` in one transaction, retried while the storage says nothing was written and
        CALL_BUDGET_S has not passed. Every storage failure is logged (the participant
        sees "try again"; the operator sees why)."""
        started = time.monotonic()
        kind = "write" if write else "read"
        for attempt in range(1, retries + 1):
            try:
                with self.storage.transaction(write=write) as tx:
                    return work(tx)
            except StorageBusy as exc:
                spent = time.monotonic() - started
                last = attempt >= retries or spent >= CALL_BUDGET_S
                log.warning(
                    "vote storage busy or out of reach: %s attempt %d after %.1f s%s: %s",
                    kind,
                    attempt,
                    spent,
                    ", giving up" if last else ", retrying",
                    _cause(exc),
                )
                if last:
                    raise StorageError(UNAVAILABLE) from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)
            except StorageError as exc:
                log.warning("vote storage failed: %s after %.1f s: %s", kind, time.monotonic() - started, _cause(exc))
                raise
        raise StorageError(UNAVAILABLE)  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _session(tx: VoteTx, code: str, lock: bool = False) -> Session:
        return rules.require_session(tx.session(normalise_code(code), lock=lock), code)

    def schema_version(self) -> int:
        return self._run(False, lambda tx: tx.schema_version())

    # ---- sessions ----

    def create_session(
        self,
        tools: Sequence[str],
        dots: int = 3,
        allow_stacking: bool = False,
        title: str = "",
        show_results: bool = rules.RESULTS_SHOWN_AT_START,
        scenario: Mapping[str, str] | None = None,
    ) -> Session:
        """A new open vote; its results hidden until revealed unless `show_results`;
        `scenario`, the /find parameters it was started from, is kept with it."""
        ballot, dots, allow_stacking, title = rules.session_terms(tools, dots, allow_stacking, title)
        host, secret = rules.new_host_key(), rules.new_secret()
        for _ in range(CODE_ATTEMPTS):
            session = Session(
                rules.new_code(),
                title,
                ballot,
                dots,
                allow_stacking,
                True,
                bool(show_results),
                host,
                rules.scenario_text(scenario or {}),
            )
            if self._run(True, functools.partial(_add_session, session=session, secret=secret)):
                return session
        raise VoteError("Could not find a free join code; try again.")  # pragma: no cover

    def get_session(self, code: str, retries: int = RETRIES) -> Session | None:
        return self._run(False, lambda tx: tx.session(normalise_code(code)), retries)

    def holds_token(self, code: str, token: str) -> bool:
        """Whether `token` is a participant token this session issued (one read; False
        for a session that does not exist): such a participant is never rate limited."""

        def work(tx: VoteTx) -> bool:
            session = tx.session(normalise_code(code))
            return session is not None and token_valid(tx.secret(session.code), session.code, token)

        return bool(token) and token_shape_ok(token) and self._run(False, work)

    def is_host(self, session: Session, host_token: str) -> bool:
        """Whether `host_token` is this session's facilitator key (any characters, constant time)."""
        return rules.is_host(session, host_token)

    def _set_flags(self, code: str, host_token: str, **flags: bool) -> None:
        def work(tx: VoteTx) -> None:
            session = self._session(tx, code)
            rules.check_host(session, host_token)
            tx.set_session_flags(session.code, **flags)

        self._run(True, work)

    def set_open(self, code: str, host_token: str, is_open: bool) -> None:
        self._set_flags(code, host_token, is_open=is_open)

    def set_results_visible(self, code: str, host_token: str, visible: bool) -> None:
        self._set_flags(code, host_token, results_visible=visible)

    # ---- participants and votes ----

    def new_token(self, code: str) -> str:
        """Issue a participant token for this session (nothing is written until `join`)."""

        def work(tx: VoteTx) -> str:
            session = self._session(tx, code)
            return sign_token(tx.secret(session.code), session.code)

        return self._run(False, work)

    def join(self, code: str, token: str, name: str = "") -> Participant:
        """Join with a token from `new_token`, or rejoin with it (no new dots).

        Idempotent: the same token joined from several tabs at once is one
        participant. A token the session did not issue is refused.
        """
        wanted = clean_name(name)

        def work(tx: VoteTx) -> Participant:
            session = self._session(tx, code)
            rules.check_token(tx.secret(session.code), session.code, token)
            me = tx.participant(session.code, token)
            rules.check_join(session, already_joined=me is not None)
            if me is None:
                tx.add_participant(session.code, token, wanted)
                me = tx.participant(session.code, token)
                if me is None:  # pragma: no cover - the row was written or already there
                    raise StorageError("Joining did not complete. Try again.")
            if wanted and wanted != me.name:
                tx.rename_participant(me.id, wanted)
                me = Participant(me.id, wanted, token)
            return me

        return self._run(True, work)

    def ballot(self, code: str, token: str, retries: int = RETRIES) -> Ballot:
        """A participant's page in one read-only transaction: the session, who they are, their dots.

        Raises InvalidToken for a token the session did not issue and NotJoined
        for an issued token that never joined. `retries=1` right after a tap the
        storage did not answer, so the answer comes within seconds.
        """

        def work(tx: VoteTx) -> Ballot:
            session = self._session(tx, code)
            rules.check_token(tx.secret(session.code), session.code, token)
            me = rules.require_joined(tx.participant(session.code, token), "Press Join to take part in this vote.")
            return Ballot(session, me, tx.dots_of(me.id))

        return self._run(False, work, retries)

    def _voter(self, tx: VoteTx, session: Session, token: str) -> Participant:
        rules.check_token_shape(token)
        return rules.require_joined(tx.participant(session.code, token, lock=True))

    def cast_vote(self, code: str, token: str, slug: str) -> int:
        """Spend one dot on `slug`; returns the dots left. Checked in the transaction."""

        def work(tx: VoteTx) -> int:
            session = self._session(tx, code, lock=True)
            me = self._voter(tx, session, token)
            left = rules.check_cast(session, slug, tx.dots_of(me.id))
            tx.add_dot(session.code, me.id, slug)
            return left

        return self._run(True, work)

    def remove_vote(self, code: str, token: str, slug: str) -> int:
        """Take one dot back from `slug`; returns the dots left."""

        def work(tx: VoteTx) -> int:
            session = self._session(tx, code, lock=True)
            rules.check_take_back(session)
            me = self._voter(tx, session, token)
            tx.remove_dot(me.id, slug)
            return rules.dots_left(session, tx.dots_of(me.id))

        return self._run(True, work)

    def my_votes(self, code: str, token: str) -> dict[str, int]:
        if not token_shape_ok(token):
            return {}

        def work(tx: VoteTx) -> dict[str, int]:
            me = tx.participant(normalise_code(code), token)
            return tx.dots_of(me.id) if me else {}

        return self._run(False, work)

    # ---- results ----

    def totals(self, code: str, host_token: str = "") -> dict[str, int]:
        """Dots per tool, every tool on the ballot included, in ballot order.

        While the facilitator hides the results, only their key reads them.
        """

        def work(tx: VoteTx) -> dict[str, int]:
            session = self._session(tx, code)
            return rules.visible_totals(session, tx.counts(session.code), host_token)

        return self._run(False, work)

    def stats(self, code: str) -> tuple[int, int]:
        """(participants, dots spent)."""
        return self._run(False, lambda tx: tx.stats(self._session(tx, code).code))

    def results_csv(self, code: str, titles: Mapping[str, str] | None = None, host_token: str = "") -> str:
        """The results as CSV (logic/export.py), most dots first; hidden results need the host key."""
        return vote_results_csv(self.totals(code, host_token), titles or {})
