"""The last REST calls and client WebSocket messages, for the dashboard's log.

A bounded ring: recording is an append (old entries fall off), so keeping it costs
the REST API next to nothing. Only what a request line says is kept (method, path,
query, status): never headers, so never a key.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTRIES = 1000


@dataclass(frozen=True, slots=True)
class Entry:
    at_ms: int
    kind: str  # "rest" or "ws"
    room_id: str | None
    what: str  # "GET /v2/rooms/x?y" or "UPDATE_STORAGE (3 ops)"
    status: int | None = None  # REST only
    actor: int | None = None  # WebSocket only
    duration_ms: float | None = None  # REST only


class ActivityLog:
    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def newest(self, *, kind: str | None = None, room_id: str | None = None,
               limit: int = 200) -> Iterator[Entry]:
        shown = 0
        for entry in reversed(self._entries):
            if shown == limit:
                return
            if (kind and entry.kind != kind) or (room_id and entry.room_id != room_id):
                continue
            shown += 1
            yield entry
