"""One live connection: who it is, what it may do, and its outgoing queue.

Sends never block the room: frames go to a bounded queue drained by the
connection's own writer task. A client that lets its queue fill up is too slow
to keep up with the room and is disconnected (it reconnects and refetches).

The writer sends what has piled up since it last ran as one frame: the client
reads a frame holding a JSON array as that many messages, in order
(@liveblocks/core 3.24 ``parseServerMessages``). Per-frame costs (the ASGI
send chain, the WebSocket framing, one socket write) are most of a fan-out's
time, so a room of N busy clients costs far fewer of them. Frames that must
arrive on their own (``Solo``: ROOM_STATE, "pong") are never merged.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket

from .codes import CloseCode

DEFAULT_OUTBOX_FRAMES = 2000
# Frames are merged up to this many characters: STORAGE_CHUNK frames (1,000 nodes)
# keep the size the chunking gives them rather than becoming one huge frame.
MERGE_LIMIT_CHARS = 65_536


class Solo(str):
    """A frame sent on its own, never merged with others.

    ROOM_STATE: while connecting, the client looks for the actor id in a frame that
    is a lone object (@liveblocks/core ``waitForActorId``). "pong" is not JSON.
    """

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a connection is and what it may do in its room."""

    user_id: str | None  # None for anonymous (public key) users
    info: Any  # the token's `ui`, or None
    scopes: list[str]  # goes to ROOM_STATE / USER_JOINED: valid permission strings only
    can_read_storage: bool
    can_write_storage: bool
    can_write_presence: bool


class _Close:
    __slots__ = ("code", "reason")

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


def _merge(frames: list[str]) -> str:
    """One JSON-array frame holding the messages of ``frames`` (objects or arrays), in order."""
    parts = []
    for frame in frames:
        if frame[0] == "[":
            inner = frame[1:-1]
            if inner:
                parts.append(inner)
        else:
            parts.append(frame)
    return "[" + ",".join(parts) + "]"


class _Outbox:
    """A bounded FIFO of frames with one waiting reader: leaner than asyncio.Queue, and
    the reader can look at what follows (to merge it) without taking it."""

    __slots__ = ("_waiter", "items", "limit")

    def __init__(self, limit: int) -> None:
        self.items: deque[str | _Close] = deque()
        self.limit = limit
        self._waiter: asyncio.Future[None] | None = None

    def put(self, item: str | _Close) -> None:
        self.items.append(item)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def full(self) -> bool:
        return len(self.items) >= self.limit

    async def wait(self) -> None:
        while not self.items:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter


class Session:
    def __init__(
        self,
        actor: int,
        identity: Identity,
        *,
        protocol_version: int,
        outbox_frames: int = DEFAULT_OUTBOX_FRAMES,
    ) -> None:
        self.actor = actor
        self.identity = identity
        self.protocol_version = protocol_version
        # Yjs: the snapshot-hash flavour its last FETCH_YDOC asked for, and what was logged.
        self.yjs_v2 = False
        self.yjs_warned: set[str] = set()
        self._outbox = _Outbox(outbox_frames)
        self.closed = False
        # False from the join, and again from each storage snapshot, until the client is
        # heard from. A reconnecting client sends its storage fetch first and re-sends its
        # unacknowledged ops (node ids included) right after the snapshot arrives: until
        # then it may hold, as its own pending changes, nodes that a frame of its old
        # connection, arriving late, creates now. The room forwards creates to it in a
        # form that is safe either way (LiveRoom._fan_out_messages).
        self.settled = False
        # The presence this client last set (patches merged): the dashboard shows it.
        self.presence: dict[str, Any] = {}
        # Called once when the client falls too far behind (its room lets it go at once).
        self.on_overflow: Callable[[Session], None] | None = None
        # Injected faults (realtime/faults.py) that delay or hold frames stand here: in
        # front of the outbox, and in front of the room (the endpoint reads this one).
        self.outgoing_gate: Callable[[str], None] | None = None
        self.incoming_gate: Callable[[str], None] | None = None

    def user_json(self) -> dict[str, Any]:
        """The user as other connections see it (ROOM_STATE.users / USER_JOINED)."""
        user: dict[str, Any] = {}
        if self.identity.user_id is not None:
            user["id"] = self.identity.user_id
        if self.identity.info is not None:
            user["info"] = self.identity.info
        user["scopes"] = self.identity.scopes
        return user

    def heard(self) -> None:
        """A frame came from the client: whatever it re-sends after a snapshot came first."""
        self.settled = True

    def send(self, text: str) -> None:
        if self.outgoing_gate is not None:
            self.outgoing_gate(text)  # it calls enqueue() when the frame's time comes
            return
        self.enqueue(text)

    def enqueue(self, text: str) -> None:
        if self.closed:
            return
        outbox = self._outbox
        if len(outbox.items) >= outbox.limit:
            # Its socket may never drain: the close frame waits behind the backlog, but the
            # room forgets the connection now, so the others see it leave.
            self.close(CloseCode.TRY_AGAIN_LATER, "Connection too slow to keep up with the room")
            if self.on_overflow is not None:
                self.on_overflow(self)
            return
        outbox.put(text)

    def close(self, code: int, reason: str) -> None:
        """Ask the writer to close the socket after what is already queued."""
        if self.closed:
            return
        self.closed = True
        while self._outbox.full():  # make room: a closing client needs no backlog
            self._outbox.items.popleft()
        self._outbox.put(_Close(code, reason))

    def _next_frame(self) -> str | _Close:
        """The oldest queued frame, merged with the mergeable ones right behind it."""
        items = self._outbox.items
        first = items.popleft()
        # Exactly str: mergeable; a Solo (a str subclass) or a _Close is not.
        if not items or type(first) is not str:
            return first
        frames = [first]
        size = len(first)
        while items:
            following = items[0]
            if type(following) is not str or size + len(following) > MERGE_LIMIT_CHARS:
                break
            items.popleft()
            frames.append(following)
            size += len(following)
        return first if len(frames) == 1 else _merge(frames)

    async def write_until_closed(self, websocket: WebSocket) -> None:
        while True:
            await self._outbox.wait()
            item = self._next_frame()
            if isinstance(item, _Close):
                with contextlib.suppress(Exception):
                    await websocket.close(item.code, item.reason)
                return
            try:
                await websocket.send_text(item)
            except Exception:  # the peer went away; the reader will notice
                self.closed = True
                return
