"""Message and close codes of the realtime protocol (PROTOCOL.md §3.2, §3.6)."""

from __future__ import annotations

from enum import IntEnum


class ClientMsg(IntEnum):
    UPDATE_PRESENCE = 100
    BROADCAST_EVENT = 103
    FETCH_STORAGE = 200
    UPDATE_STORAGE = 201
    FETCH_YDOC = 300
    UPDATE_YDOC = 301


class ServerMsg(IntEnum):
    UPDATE_PRESENCE = 100
    USER_JOINED = 101
    USER_LEFT = 102
    BROADCASTED_EVENT = 103
    ROOM_STATE = 104
    STORAGE_STATE_V7 = 200
    UPDATE_YDOC = 300
    UPDATE_STORAGE = 201
    STORAGE_CHUNK = 210
    STORAGE_STREAM_END = 211
    REJECT_STORAGE_OP = 299
    # Comments (COMMENTS.md §2.1): hints that make clients refetch the thread.
    THREAD_CREATED = 400
    THREAD_METADATA_UPDATED = 401
    COMMENT_CREATED = 402
    COMMENT_EDITED = 403
    COMMENT_DELETED = 404
    COMMENT_REACTION_ADDED = 405
    COMMENT_REACTION_REMOVED = 406
    THREAD_DELETED = 407
    THREAD_UPDATED = 408
    COMMENT_METADATA_UPDATED = 409


class CloseCode(IntEnum):
    """What each code makes the official client do is in PROTOCOL.md §3.6."""

    # Plain reconnect after a short backoff, same credentials (storage was reset).
    SERVICE_RESTART = 1012
    # Reconnect later without re-authenticating (we dropped a client too slow to read).
    TRY_AGAIN_LATER = 1013
    INVALID_MESSAGE_FORMAT = 4000
    NOT_ALLOWED = 4001
    ROOM_FULL = 4005
    ROOM_ID_UPDATED = 4006
    TOKEN_EXPIRED = 4109
    # Stop for good (the room was deleted).
    CLOSE_WITHOUT_RETRY = 4999


# The actor id of messages that come from the backend (REST), not a connection.
BACKEND_ACTOR = -1
