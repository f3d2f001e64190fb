"""A room with live connections: presence and event relay, storage sync, backend presence.

One LiveRoom exists per room that has (or had) connections. All its work runs
on the event loop that owns the state, one client frame at a time, so storage
ops of a room are applied in order without locks.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..domain.errors import InvalidInput
from ..domain.rooms import Room
from ..domain.storage import SERVER_ID_PREFIX, StorageDocument
from ..domain.storage_formats import iter_nodes_compact, serialize_nodes_objects
from ..domain.storage_ops import CREATE_OPS, DELETE_CRDT, ApplyResult, apply_ops
from ..domain.storage_schema import SchemaValidationFailed
from ..domain.yjs_docs import RoomYDocs
from ..json_text import dumps
from . import yjs_sync
from .codes import BACKEND_ACTOR, ClientMsg, ServerMsg
from .session import Identity, Session, Solo

STORAGE_CHUNK_NODES = 1000
_EMPTY = StorageDocument.empty()


def dump(message: Any) -> str:
    return dumps(message)


def _storage_frames_v8(doc: StorageDocument) -> list[str]:
    """The STORAGE_CHUNK frames and the closing STORAGE_STREAM_END for a fetch."""
    frames: list[str] = []
    chunk: list[Any] = []
    for node in iter_nodes_compact(doc):
        chunk.append(node)
        if len(chunk) == STORAGE_CHUNK_NODES:
            frames.append(dump({"type": ServerMsg.STORAGE_CHUNK, "nodes": chunk}))
            chunk = []
    if chunk:
        frames.append(dump({"type": ServerMsg.STORAGE_CHUNK, "nodes": chunk}))
    frames.append(dump({"type": ServerMsg.STORAGE_STREAM_END}))
    return frames


def _with_storage_ops_for_unsettled(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**message, "ops": _for_unsettled_client(message["ops"])}
        if message["type"] == ServerMsg.UPDATE_STORAGE else message
        for message in messages
    ]


def _for_unsettled_client(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ops for a client not heard from since it joined or got a snapshot (Session.settled).

    If that client reconnected after a network loss, the frame it sent just before the
    loss may reach the server only now, on the old connection, while the client already
    holds those nodes as its own pending changes. The client's LiveList
    takes a remote create of a node it holds as a second item (@liveblocks/core 3.24.2
    ``#applyRemoteInsert`` does not look the id up). A DELETE_CRDT of the same id first
    drops the client's copy (a no-op for a client without it); the create then puts the
    server's version in, and the client's re-sent op is acknowledged as already applied.
    """
    out: list[dict[str, Any]] = []
    for op in ops:
        if op["type"] in CREATE_OPS and not op["id"].startswith(SERVER_ID_PREFIX):
            out.append({"type": DELETE_CRDT, "id": op["id"]})
        out.append(op)
    return out


class InvalidMessage(Exception):
    """A client frame the protocol does not allow: the connection is closed with 4000."""


@dataclass(slots=True)
class BackendPresence:
    """Presence set over REST (``POST /v2/rooms/{id}/presence``), until its TTL runs out."""

    actor: int
    user_id: str
    info: Any
    data: dict[str, Any]
    expiry: Cancellable | None = None

    def user_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id}
        if self.info is not None:
            user["info"] = self.info
        user["scopes"] = ["room:read", "room:presence:write"]
        return user


class Cancellable(Protocol):
    def cancel(self) -> None: ...


# state.call_later: the TTL runs on the emulator's clock, which tests advance.
CallLater = Callable[[float, Callable[[], None]], Cancellable]

# Checks a storage change against the room's schema: the reason it is refused, or None.
SchemaCheck = Callable[[Room, Any], str | None]
# The room's Yjs documents (made on first use), and what to call when they changed.
YDocsOf = Callable[[Room], RoomYDocs]
YDocChanged = Callable[[Room], None]


def _no_ydoc_change(room: Room) -> None:
    return None


class LiveRoom:
    def __init__(
        self,
        room: Room,
        schema_check: SchemaCheck,
        ydocs: YDocsOf | None = None,
        ydoc_changed: YDocChanged = _no_ydoc_change,
    ) -> None:
        self.room = room
        self._ydocs = ydocs or (lambda room: RoomYDocs())
        self._ydoc_changed = ydoc_changed
        self.sessions: dict[int, Session] = {}
        self.backend_users: dict[str, BackendPresence] = {}
        self._schema_check = schema_check
        # Called when the last REST presence expires and nobody is connected (the hub lets go).
        self.on_empty: Callable[[LiveRoom], None] | None = None
        # Called after each accepted storage change (client ops or send-message).
        self.on_storage_updated: Callable[[Room], None] | None = None

    # ------------------------------------------------------------ membership

    def join(self, identity: Identity, protocol_version: int, outbox_frames: int) -> Session:
        session = Session(self.room.take_actor(), identity, protocol_version=protocol_version,
                          outbox_frames=outbox_frames)
        session.on_overflow = self._leave_soon
        users = {str(actor): other.user_json() for actor, other in self.sessions.items()}
        users.update(
            {str(backend.actor): backend.user_json() for backend in self.backend_users.values()}
        )
        room_state = {
            "type": ServerMsg.ROOM_STATE,
            "actor": session.actor,
            "nonce": secrets.token_urlsafe(16),
            "scopes": identity.scopes,
            "users": users,
            "meta": {},
        }
        session.send(Solo(dump(room_state)))  # alone: the client reads its actor from it
        # Backend users never answer USER_JOINED with their presence: send it for them.
        for backend in self.backend_users.values():
            session.send(dump(self._backend_presence_message(backend, target=session.actor)))
        self._fan_out(dump({"type": ServerMsg.USER_JOINED, "actor": session.actor,
                            **session.user_json()}))
        self.sessions[session.actor] = session
        return session

    def _leave_soon(self, session: Session) -> None:
        # Not now: an overflow happens while a fan-out walks the sessions.
        asyncio.get_running_loop().call_soon(self.leave, session)

    def leave(self, session: Session) -> None:
        if self.sessions.pop(session.actor, None) is None:
            return
        self._fan_out(dump({"type": ServerMsg.USER_LEFT, "actor": session.actor}))

    def close_all(self, code: int, reason: str) -> None:
        for session in list(self.sessions.values()):
            session.close(code, reason)
        self.sessions.clear()
        for backend in self.backend_users.values():
            if backend.expiry is not None:
                backend.expiry.cancel()
        self.backend_users.clear()

    @property
    def is_empty(self) -> bool:
        return not self.sessions and not self.backend_users

    # ------------------------------------------------------------ client frames

    def handle_frame(self, session: Session, messages: list[Any]) -> None:
        """Process one client frame (a list of messages), replying in the reference order.

        Fixes and ACKs go to the sender as they happen; then everything for the
        others goes out as one array; then the sender gets its echoes.
        """
        session.heard()
        to_others: list[dict[str, Any]] = []
        echoes: list[dict[str, Any]] = []
        for message in messages:
            if not isinstance(message, dict) or type(message.get("type")) is not int:
                raise InvalidMessage("each message must be an object with an integer 'type'")
            kind = message["type"]
            if kind == ClientMsg.UPDATE_PRESENCE:
                relayed = self._presence(session, message)
                if relayed is not None:
                    to_others.append(relayed)
            elif kind == ClientMsg.BROADCAST_EVENT:
                if "event" not in message:
                    raise InvalidMessage("a broadcast event message needs an 'event'")
                if session.identity.can_write_presence:
                    to_others.append({"type": ServerMsg.BROADCASTED_EVENT,
                                      "actor": session.actor, "event": message["event"]})
            elif kind == ClientMsg.FETCH_STORAGE:
                self._send_storage(session)
            elif kind == ClientMsg.UPDATE_STORAGE:
                self._update_storage(session, message, to_others, echoes)
            elif kind in (ClientMsg.FETCH_YDOC, ClientMsg.UPDATE_YDOC):
                self._yjs(session, message)
            # Other codes (feeds…) are features this emulator does not serve: ignored,
            # as the client ignores what it does not know.
        if to_others:
            self._fan_out_messages(to_others, exclude=session.actor)
        if echoes:
            session.send(dump([{"type": ServerMsg.UPDATE_STORAGE, "ops": echoes}]))

    def _presence(self, session: Session, message: dict[str, Any]) -> dict[str, Any] | None:
        data = message.get("data")
        if not isinstance(data, dict):
            raise InvalidMessage("a presence message needs an object 'data'")
        if not session.identity.can_write_presence:
            return None
        relayed: dict[str, Any] = {"type": ServerMsg.UPDATE_PRESENCE, "actor": session.actor,
                                   "data": data}
        # targetActor marks a full presence (vs a patch); its value means nothing to us.
        if "targetActor" in message:
            relayed["targetActor"] = message["targetActor"]
        return relayed

    def _yjs(self, session: Session, message: dict[str, Any]) -> None:
        docs = self._ydocs(self.room)
        try:
            if message["type"] == ClientMsg.FETCH_YDOC:
                yjs_sync.fetch(docs, session, message)
            else:
                yjs_sync.update(docs, session, message, self.sessions.values(),
                                lambda: self._ydoc_changed(self.room))
        except yjs_sync.InvalidYjsMessage as error:
            raise InvalidMessage(str(error)) from None

    def broadcast_ydoc_update(self, docs: RoomYDocs, guid: str | None, update_b64: str) -> None:
        """Tell every reader about a Yjs update applied over REST (PUT /ydoc)."""
        doc = docs.doc(guid)
        if doc is not None:
            yjs_sync.broadcast(docs, doc, update_b64, guid, self.sessions.values())

    def _send_storage(self, session: Session) -> None:
        # A connection without storage read access ("storage:none") sees an empty root.
        doc = self.room.document() if session.identity.can_read_storage else _EMPTY
        if session.protocol_version >= 8:
            frames = doc.memoized("ws:v8", lambda: _storage_frames_v8(doc))
        else:
            frames = doc.memoized("ws:v7", lambda: [dump(
                {"type": ServerMsg.STORAGE_STATE_V7, "items": serialize_nodes_objects(doc)})])
        for frame in frames:
            session.send(frame)
        session.settled = False

    def _update_storage(
        self,
        session: Session,
        message: dict[str, Any],
        to_others: list[dict[str, Any]],
        echoes: list[dict[str, Any]],
    ) -> None:
        ops: Any = message.get("ops")
        try:
            result, reason = self._apply_checked(ops, session.identity.can_write_storage)
        except InvalidInput as error:
            raise InvalidMessage(error.message) from None
        if result.rejected_op_ids:
            self._reject(session, result.rejected_op_ids,
                         "You have no permission to write to the storage of this room")
            return
        if reason is not None:
            self._reject(session, [op["opId"] for op in ops], reason)
            return
        if result.immediate:
            session.send(dump({"type": ServerMsg.UPDATE_STORAGE, "ops": result.immediate}))
        if result.forward:
            to_others.append({"type": ServerMsg.UPDATE_STORAGE, "ops": result.forward})
        echoes.extend(result.echo)

    def _apply_checked(self, ops: Any, can_write: bool) -> tuple[ApplyResult, str | None]:
        """Apply one message's ops; undo them all if they break the attached schema.

        Returns the result and, when refused by the schema, the reason.
        """
        doc = self.room.document()
        with doc.transaction() as transaction:
            result = apply_ops(doc, ops, actor_can_write=can_write)
            reason = None
            if result.forward and self.room.schema_id is not None:
                reason = self._schema_check(self.room, result.touched)
            if reason is not None:
                transaction.rollback()
        if result.forward and reason is None and self.on_storage_updated is not None:
            self.on_storage_updated(self.room)
        return result, reason

    @staticmethod
    def _reject(session: Session, op_ids: list[str], reason: str) -> None:
        session.send(dump({"type": ServerMsg.REJECT_STORAGE_OP, "opIds": op_ids,
                           "reason": reason}))

    # ------------------------------------------------------------ from the backend

    def broadcast_event(self, event: Any) -> None:
        self._fan_out(dump({"type": ServerMsg.BROADCASTED_EVENT, "actor": BACKEND_ACTOR,
                            "event": event}))

    def apply_backend_message(self, message: Any, where: str) -> None:
        """A message sent over REST (``send-message``, the Node SDK's mutateStorage).

        Storage ops are applied like a writer connection's and reach every
        connection; a refused change raises (the caller answers 4xx).
        """
        if not isinstance(message, dict) or message.get("type") != ClientMsg.UPDATE_STORAGE:
            raise InvalidInput(f"{where} must be an UPDATE_STORAGE message (type 201)")
        result, reason = self._apply_checked(message.get("ops"), True)
        if reason is not None:
            raise SchemaValidationFailed(reason)
        self.broadcast_storage_ops(result.forward)

    def broadcast_storage_ops(self, ops: list[dict[str, Any]]) -> None:
        """Tell every connection about a change made over REST (JSON Patch, mutations)."""
        if ops:
            self._fan_out_messages([{"type": ServerMsg.UPDATE_STORAGE, "ops": ops}])

    def set_backend_presence(
        self,
        user_id: str,
        data: dict[str, Any],
        info: Any,
        ttl_seconds: float,
        call_later: CallLater,
    ) -> None:
        backend = self.backend_users.get(user_id)
        if backend is None:
            backend = BackendPresence(self.room.take_actor(), user_id, info, data)
            self.backend_users[user_id] = backend
            self._fan_out(dump({"type": ServerMsg.USER_JOINED, "actor": backend.actor,
                                **backend.user_json()}))
        else:
            backend.data = data
            if info is not None:
                backend.info = info
            if backend.expiry is not None:
                backend.expiry.cancel()
        self._fan_out(dump(self._backend_presence_message(backend, target=BACKEND_ACTOR)))
        backend.expiry = call_later(ttl_seconds, lambda: self._expire_backend(user_id))

    def _expire_backend(self, user_id: str) -> None:
        backend = self.backend_users.pop(user_id, None)
        if backend is not None:
            self._fan_out(dump({"type": ServerMsg.USER_LEFT, "actor": backend.actor}))
        if self.is_empty and self.on_empty is not None:
            self.on_empty(self)

    @staticmethod
    def _backend_presence_message(backend: BackendPresence, target: int) -> dict[str, Any]:
        return {"type": ServerMsg.UPDATE_PRESENCE, "actor": backend.actor, "data": backend.data,
                "targetActor": target}

    # ------------------------------------------------------------ helpers

    def active_users(self) -> Iterable[tuple[int, str | None, Any]]:
        """(connectionId, user id, info) of everyone present, oldest connection first."""
        for actor, session in sorted(self.sessions.items()):
            yield actor, session.identity.user_id, session.identity.info
        for backend in self.backend_users.values():
            yield backend.actor, backend.user_id, backend.info

    def _fan_out_messages(self, messages: list[dict[str, Any]], exclude: int | None = None) -> None:
        """Send messages to every connection but ``exclude``; unsettled ones get creates
        in the form _for_unsettled_client gives."""
        text = dump(messages)
        unsettled: str | None = None
        for actor, session in self.sessions.items():
            if actor == exclude:
                continue
            if session.settled:
                session.send(text)
                continue
            if unsettled is None:
                unsettled = dump(_with_storage_ops_for_unsettled(messages))
            session.send(unsettled)

    def _fan_out(self, text: str, exclude: int | None = None) -> None:
        for actor, session in self.sessions.items():
            if actor != exclude:
                session.send(text)
