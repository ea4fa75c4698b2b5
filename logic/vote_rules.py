"""The rules of a dot vote, as pure functions: no database, no Streamlit.

What a session may be (`session_terms`), who may join (`check_join`), what a
dot may go to and how many a participant has (`check_cast`, `check_take_back`,
`dots_left`), who runs a session (`is_host`, `check_host`), which participant
tokens this session issued (`sign_token`, `check_token`), who may read hidden
results (`visible_totals`) and their order (`ranked`). `logic/votes.py` applies
them inside a storage transaction, so a rule is checked against what the
database holds at that moment; `logic/vote_storage.py` only stores.

Each refusal is a `VoteError` whose message a page shows as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6
# A vote lasts this long from its start, then its code opens nothing (a workshop is an
# afternoon; codes that never expire only grow the number a guesser can find).
SESSION_LIFETIME_HOURS = 24
MAX_TOOLS = 20
MAX_DOTS = 10
MAX_NAME = 40
MAX_TITLE = 80  # a vote's title: room for "Riverside Township flood workshop: which tools first?"
# A new vote's results stay hidden until the facilitator reveals them: a room that sees the
# tally while it votes follows the leader. The facilitator may choose otherwise at the start;
# either way the choice is stored with the vote, so a refresh or another computer keeps it.
RESULTS_SHOWN_AT_START = False
MAX_SCENARIO = 4000  # characters of /find address text a vote keeps (a long shortlist fits)
MAX_KEY = 64  # longest participant token or host key accepted from an address
TOKEN_ID_BYTES = 12  # 16 characters of base64url
TOKEN_MAC_BYTES = 16  # 22 characters of base64url
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}")


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
    scenario: str = ""  # the /find scenario the vote was started from, as address text (scenario_text)


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
        return dots_left(self.session, self.mine)


# ---- plain text and codes ----


def clean_name(name: str, limit: int = MAX_NAME) -> str:
    """A participant's name (or a vote's title) as plain text: no control characters, at most
    `limit` characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(name or ""))
    return " ".join(text.split())[:limit]


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper()[:64])[:12]


def code_from_address(key: str, raw: str) -> tuple[str, str | None]:
    """A join code from the address (join= or session=) and, when what was there cannot be
    one, the note that says so quoting what was typed (not what is left once cleaned):
    letters, digits, spaces and hyphens are a code written loosely ("k7qm-2p"); anything
    else is ignored."""
    text = str(raw or "")
    if re.fullmatch(r"[A-Za-z0-9 \-]{0,24}", text.strip()):
        return normalise_code(text), None
    return "", f"Ignored {key}={text[:40]!r} in the address: a join code is {CODE_LENGTH} letters and digits."


def new_code() -> str:
    """A random join code of unambiguous letters and digits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def session_terms(
    tools: Sequence[str], dots: int, allow_stacking: bool, title: str
) -> tuple[tuple[str, ...], int, bool, str]:
    """A new session's ballot, dots, stacking and title, checked; refuses what cannot be run."""
    ballot = tuple(dict.fromkeys(t for t in tools if t))
    if not ballot:
        raise VoteError("Choose at least one tool to vote on.")
    if len(ballot) > MAX_TOOLS:
        raise VoteError(f"At most {MAX_TOOLS} tools can be voted on at once.")
    if not 1 <= int(dots) <= MAX_DOTS:
        raise VoteError(f"Each participant gets 1 to {MAX_DOTS} dots.")
    return ballot, int(dots), bool(allow_stacking), clean_name(title, MAX_TITLE)


def scenario_text(params: Mapping[str, str]) -> str:
    """The /find scenario a vote is started from, as the address text stored with it, so
    the facilitator's "See the results" and brief keep the goals after a refresh or on
    another computer. Without the room (the vote is the room) and empty when longer than
    MAX_SCENARIO: a vote is never refused for its scenario."""
    text = urlencode([(k, v) for k, v in params.items() if k != "room"])
    return text if len(text) <= MAX_SCENARIO else ""


def scenario_params(text: str) -> dict[str, str]:
    """The stored scenario as address parameters (what `scenario_text` wrote)."""
    return dict(parse_qsl(text[:MAX_SCENARIO], keep_blank_values=True))


def require_session(session: Session | None, code: str) -> Session:
    if session is None:
        raise SessionNotFound(
            f"No voting session has the code {normalise_code(code) or code!r}. Check the code on the screen."
        )
    return session


# ---- keys and tokens ----


def keys_match(given: str, expected: str) -> bool:
    """Constant-time comparison of two keys of any characters (bytes, not str:
    `hmac.compare_digest` refuses non-ASCII strings)."""
    if not given or not expected or len(given) > MAX_KEY:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_host(session: Session, host_token: str) -> bool:
    """Whether `host_token` is this session's facilitator key (any characters, constant time)."""
    return keys_match(host_token, session.host_token)


def check_host(session: Session, host_token: str) -> None:
    if not is_host(session, host_token):
        raise NotHost("Only the facilitator who started this session can change it.")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _mac(secret: str, code: str, ident: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{code}:{ident}".encode("ascii"), hashlib.sha256).digest()
    return _b64(digest[:TOKEN_MAC_BYTES])


def new_secret() -> str:
    """A session's token-signing secret; it never leaves the server."""
    return secrets.token_hex(32)


def new_host_key() -> str:
    return secrets.token_urlsafe(16)


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


def check_token(secret: str, code: str, token: str) -> None:
    if not token_valid(secret, code, token):
        raise InvalidToken(
            "This voting link was not given out by this vote, or it was changed. Press Join to get your own dots."
        )


def check_token_shape(token: str) -> None:
    """Before looking a voter up: a malformed token is refused without a query."""
    if not token_shape_ok(token):
        raise InvalidToken("This voting link is not valid. Press Join to get your own dots.")


# ---- joining and dots ----


def check_join(session: Session, already_joined: bool) -> None:
    """A closed session takes no new participants; one who joined may come back."""
    if not already_joined and not session.is_open:
        raise VotingClosed("Voting in this session is closed.")


def require_joined(participant: Participant | None, message: str = "Join the session first.") -> Participant:
    if participant is None:
        raise NotJoined(message)
    return participant


def dots_left(session: Session, mine: Mapping[str, int]) -> int:
    return session.dots - sum(mine.values())


def check_take_back(session: Session) -> None:
    if not session.is_open:
        raise VotingClosed("Voting in this session is closed.")


def check_cast(session: Session, slug: str, mine: Mapping[str, int]) -> int:
    """Whether one more dot may go to `slug`, given the participant's dots so far;
    returns the dots left after it."""
    if not session.is_open:
        raise VotingClosed("Voting in this session is closed.")
    if slug not in session.tools:
        raise NotInSession("That tool is not on this session's ballot.")
    if dots_left(session, mine) <= 0:
        raise NoDotsLeft(f"You have used all {session.dots} of your dots.")
    if not session.allow_stacking and mine.get(slug, 0) > 0:
        raise AlreadyVoted("In this session each tool takes at most one of your dots.")
    return dots_left(session, mine) - 1


# ---- results ----


def visible_totals(session: Session, counts: Mapping[str, int], host_token: str = "") -> dict[str, int]:
    """Dots per tool, every tool on the ballot, in ballot order; while the
    facilitator hides the results, only their key reads them."""
    if not session.results_visible and not is_host(session, host_token):
        raise ResultsHidden("The facilitator has hidden this vote's results until they reveal them.")
    return {slug: int(counts.get(slug, 0)) for slug in session.tools}


def ranked(totals: Mapping[str, int], title: Callable[[str], str]) -> list[tuple[str, int]]:
    """Most dots first; a tie in the order of the tools' titles."""
    return sorted(totals.items(), key=lambda kv: (-kv[1], title(kv[0])))


class AttemptLimiter:
    """Failed join-code attempts per client, per network address and per server in a
    sliding window.

    `check(client, address, right_code)` raises `TooManyAttempts` once a client (a
    browser tab), its network address or the whole server has used up its failures
    for the window; `fail(client, address)` records one. The server-wide limit never
    stops a right code (`right_code=True`), so a script that keeps it full locks no
    real participant out; a client or an address that has been guessing is stopped
    even with a right code. Loopback and unknown addresses (a reverse proxy, tests)
    have no address limit. Kept in memory: it guards one server process.
    """

    def __init__(
        self,
        per_client: int = 10,
        overall: int = 200,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        per_address: int = 30,
    ) -> None:
        self.per_client, self.overall, self.window_s, self.clock = per_client, overall, window_s, clock
        self.per_address = per_address
        self._lock = threading.Lock()
        self._all: deque[float] = deque()
        self._by_client: dict[str, deque[float]] = {}

    @staticmethod
    def _address_key(address: str | None) -> str | None:
        if not address or address in ("127.0.0.1", "::1", "localhost") or address.startswith("127."):
            return None
        return f"address:{address}"

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for key in [k for k, q in self._by_client.items() if not q or q[-1] <= cutoff]:
            del self._by_client[key]
        for q in self._by_client.values():
            while q and q[0] <= cutoff:
                q.popleft()

    def check(self, client: str, address: str | None = None, right_code: bool = False) -> None:
        with self._lock:
            now = self.clock()
            self._prune(now)
            mine: Sequence[float] = self._by_client.get(client, ())
            if len(mine) >= self.per_client:
                wait = max(1, round(mine[0] + self.window_s - now))
                raise TooManyAttempts(
                    f"Too many wrong join codes from here. Wait {wait} seconds, then type the code on the screen."
                )
            where = self._address_key(address)
            near: Sequence[float] = self._by_client.get(where, ()) if where else ()
            if len(near) >= self.per_address:
                wait = max(1, round(near[0] + self.window_s - now))
                raise TooManyAttempts(
                    f"Too many wrong join codes from this network. Wait {wait} seconds, then type the code on the screen."
                )
            if len(self._all) >= self.overall and not right_code:
                wait = max(1, round(self._all[0] + self.window_s - now))
                raise TooManyAttempts(
                    f"Too many wrong join codes on this server in the last minute. Wait {wait} seconds and try again."
                )

    def fail(self, client: str, address: str | None = None) -> None:
        with self._lock:
            now = self.clock()
            self._all.append(now)
            self._by_client.setdefault(client, deque()).append(now)
            where = self._address_key(address)
            if where:
                self._by_client.setdefault(where, deque()).append(now)
