"""One live connection: who it is, what it may do, and its outgoing queue.

Sends never block the room: frames go to a bounded queue drained by the
connection's own writer task. A client that lets its queue fill up is too slow
to keep up with the room and is disconnected (it reconnects and refetches).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket

from .codes import CloseCode

DEFAULT_OUTBOX_FRAMES = 2000


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
        self._outbox: asyncio.Queue[str | _Close] = asyncio.Queue(outbox_frames)
        self.closed = False
        # False from the join, and again from each storage snapshot, until the client is
        # heard from. A reconnecting client sends its storage fetch first and re-sends its
        # unacknowledged ops (node ids included) right after the snapshot arrives: until
        # then it may hold, as its own pending changes, nodes that a frame of its old
        # connection, arriving late, creates now. The room forwards creates to it in a
        # form that is safe either way (LiveRoom._fan_out_messages).
        self.settled = False
        # Called once when the client falls too far behind (its room lets it go at once).
        self.on_overflow: Callable[[Session], None] | None = None

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
        if self.closed:
            return
        try:
            self._outbox.put_nowait(text)
        except asyncio.QueueFull:
            # Its socket may never drain: the close frame waits behind the backlog, but the
            # room forgets the connection now, so the others see it leave.
            self.close(CloseCode.TRY_AGAIN_LATER, "Connection too slow to keep up with the room")
            if self.on_overflow is not None:
                self.on_overflow(self)

    def close(self, code: int, reason: str) -> None:
        """Ask the writer to close the socket after what is already queued."""
        if self.closed:
            return
        self.closed = True
        while True:
            try:
                self._outbox.put_nowait(_Close(code, reason))
                return
            except asyncio.QueueFull:  # make room: a closing client needs no backlog
                self._outbox.get_nowait()

    async def write_until_closed(self, websocket: WebSocket) -> None:
        while True:
            item = await self._outbox.get()
            if isinstance(item, _Close):
                with contextlib.suppress(Exception):
                    await websocket.close(item.code, item.reason)
                return
            try:
                await websocket.send_text(item)
            except Exception:  # the peer went away; the reader will notice
                self.closed = True
                return
