"""FETCH_YDOC (300) and UPDATE_YDOC (301): Yjs over the room's connection (YJS.md §1.10).

A fetch is answered to its sender only, with what its state vector lacks, the server's
state vector and the document's ``remoteSnapshotHash``. An applied update goes, as
received, to every connection that may read storage, the sender included: that echo is
the provider's only acknowledgement, and the hash in it is what turns it "synchronized".

Each recipient gets the hash in the flavour (v1/v2 snapshot) its last fetch asked for, so
a v2 provider and a v1 provider in one room both reach "synchronized".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from ..domain.yjs_docs import (
    EMPTY_STATE_VECTOR,
    EMPTY_UPDATE,
    RoomYDocs,
    YDoc,
    YjsUpdateError,
    b64decode,
    b64encode,
)
from ..domain.yjs_hash import EMPTY_HASH
from ..json_text import dumps
from .codes import ServerMsg
from .session import Session

logger = logging.getLogger("emulator.yjs")

EMPTY_UPDATE_B64 = b64encode(EMPTY_UPDATE)
EMPTY_VECTOR_B64 = b64encode(EMPTY_STATE_VECTOR)


class InvalidYjsMessage(Exception):
    """A Yjs message of the wrong shape: the connection is closed with 4000."""


def _fields(message: dict[str, Any], payload: str) -> tuple[str, str | None, bool]:
    value = message.get(payload)
    if not isinstance(value, str):
        raise InvalidYjsMessage(f"a Yjs message needs a string '{payload}'")
    guid = message.get("guid")
    if guid is not None and (not isinstance(guid, str) or not guid):
        raise InvalidYjsMessage("'guid' must be a non-empty string")
    v2 = message.get("v2", False)
    if not isinstance(v2, bool):
        raise InvalidYjsMessage("'v2' must be a boolean")
    return value, guid, v2


def _log_once(session: Session, key: str, text: str, *args: object) -> None:
    if key not in session.yjs_warned:
        session.yjs_warned.add(key)
        logger.warning(text, *args)


def fetch(docs: RoomYDocs, session: Session, message: dict[str, Any]) -> None:
    vector_text, guid, v2 = _fields(message, "vector")
    session.yjs_v2 = v2
    reply: dict[str, Any] = {"type": ServerMsg.UPDATE_YDOC, "isSync": True}
    if guid is not None:
        reply["guid"] = guid
    if not session.identity.can_read_storage:
        # storage:none reads an empty document (and is never sent updates).
        if guid is not None and docs.doc(guid) is None:
            return
        reply.update(update=EMPTY_UPDATE_B64, stateVector=EMPTY_VECTOR_B64,
                     remoteSnapshotHash=EMPTY_HASH)
    else:
        doc = docs.doc(guid)
        if doc is None:  # not (or no longer) referenced by the root: as the dev server, no reply
            return
        vector = b64decode(vector_text) if vector_text else None
        reply.update(update=b64encode(docs.diff(doc, vector)),
                     stateVector=b64encode(docs.state_vector(doc)),
                     remoteSnapshotHash=docs.hash(doc, v2=v2))
    # v1 bytes whatever the client asked: the provider decodes by the message's flag.
    reply["v2"] = False
    session.send(dumps(reply))


def update(
    docs: RoomYDocs,
    session: Session,
    message: dict[str, Any],
    sessions: Iterable[Session],
    changed: Callable[[], None],
) -> None:
    update_text, guid, v2 = _fields(message, "update")
    if not session.identity.can_write_storage:
        _log_once(session, "read-only", "Dropped Yjs updates of connection %s: it may not "
                  "write the room's storage", session.actor)
        return
    if v2:
        _log_once(session, "v2", "Dropped v2 Yjs updates of connection %s: the emulator "
                  "only applies v1 updates (useV2Encoding_experimental is not supported)",
                  session.actor)
        return
    doc = docs.doc(guid)
    if doc is None:
        logger.warning("Dropped a Yjs update for unknown subdocument %r", guid)
        return
    raw = b64decode(update_text)
    if raw is None:
        logger.warning("Dropped a Yjs update that is not base64 (connection %s)", session.actor)
        return
    try:
        did_change = docs.apply(doc, raw)
    except YjsUpdateError as error:
        logger.warning("Ignored bad Yjs update of connection %s: %s", session.actor,
                       error.message)
        return
    broadcast(docs, doc, update_text, guid, sessions)
    if did_change:
        docs.history.note_author(session.identity.user_id)
        changed()


def broadcast(
    docs: RoomYDocs, doc: YDoc, update_text: str, guid: str | None, sessions: Iterable[Session]
) -> None:
    """Send an applied v1 update to every connection that may read storage."""
    frames: dict[bool, str] = {}
    for session in sessions:
        if not session.identity.can_read_storage:
            continue
        frame = frames.get(session.yjs_v2)
        if frame is None:
            out: dict[str, Any] = {"type": ServerMsg.UPDATE_YDOC, "update": update_text,
                                   "isSync": False, "stateVector": None}
            if guid is not None:
                out["guid"] = guid
            out["v2"] = False
            out["remoteSnapshotHash"] = docs.hash(doc, v2=session.yjs_v2)
            frame = frames[session.yjs_v2] = dumps(out)
        session.send(frame)
