"""The last REST calls and client WebSocket messages, for the dashboard's log.

A bounded ring: recording is an append (old entries fall off), so keeping it costs
the REST API next to nothing. Only what a request line says is kept (method, path,
query, status): never headers, so never a key.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

MAX_ENTRIES = 1000
MAX_TOKEN_USERS = 10_000


@dataclass(frozen=True, slots=True)
class Entry:
    at_ms: int
    kind: str  # "rest" or "ws"
    room_id: str | None
    what: str  # "GET /v2/rooms/x?y" or "UPDATE_STORAGE (3 ops)"
    status: int | None = None  # REST only
    actor: int | None = None  # WebSocket only
    duration_ms: float | None = None  # REST only


# A REST call as recorded on the hot path: (at_ms, method, path, query, status, duration_ms);
# it becomes an Entry only when the dashboard reads the log.
RestCall = tuple[int, str, str, bytes, int | None, float]


def _room_of(path: str) -> str | None:
    if not path.startswith("/v2/rooms/"):
        return None
    return unquote(path[len("/v2/rooms/"):].split("/", 1)[0])


def _rest_entry(call: RestCall) -> Entry:
    at_ms, method, path, query, status, duration_ms = call
    what = f"{method} {path}" + (f"?{query.decode('latin-1')}" if query else "")
    return Entry(at_ms, "rest", _room_of(path), what, status=status, duration_ms=duration_ms)


class ActivityLog:
    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._entries: deque[Entry | RestCall] = deque(maxlen=size)
        # Users the emulator minted a token for, oldest first (the dashboard's users tab).
        # Like the log, a reset keeps them: the tokens still open rooms after one.
        self._token_users: dict[str, None] = {}

    def note_token_user(self, user_id: str) -> None:
        self._token_users.pop(user_id, None)
        self._token_users[user_id] = None
        if len(self._token_users) > MAX_TOKEN_USERS:
            del self._token_users[next(iter(self._token_users))]

    def token_users(self) -> list[str]:
        return list(self._token_users)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def record_rest(self, call: RestCall) -> None:
        """A REST call, kept raw: formatting waits until someone looks (on every request,
        the dashboard's log must cost next to nothing)."""
        self._entries.append(call)

    def clear(self) -> None:
        self._entries.clear()

    def newest(self, *, kind: str | None = None, room_id: str | None = None,
               limit: int = 200) -> Iterator[Entry]:
        shown = 0
        for kept in reversed(self._entries):
            entry = kept if isinstance(kept, Entry) else _rest_entry(kept)
            if shown == limit:
                return
            if (kind and entry.kind != kind) or (room_id and entry.room_id != room_id):
                continue
            shown += 1
            yield entry
