"""Comment changes told to a room's connections (COMMENTS.md §2.3).

The message is only a hint: each client refetches the thread with its own token. A
private thread's messages only go to connections that may read private threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain.comments_model import Happening
from ..domain.permissions import resource_levels
from .codes import ServerMsg
from .live_room import LiveRoom, dump


def may_read(scopes: Iterable[str], visibility: str) -> bool:
    levels = resource_levels(scopes)
    return levels is not None and levels[f"comments:{visibility}"] != "none"


def comment_messages(happened: Iterable[Happening]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for happening in happened:
        if happening.message is None:
            continue
        message: dict[str, Any] = {"type": int(ServerMsg[happening.message]),
                                   "threadId": happening.thread_id}
        if happening.comment_id is not None:
            message["commentId"] = happening.comment_id
        if happening.emoji is not None:
            message["emoji"] = happening.emoji
        messages.append(message)
    return messages


def send_comment_messages(live: LiveRoom, visibility: str, happened: Iterable[Happening]) -> None:
    messages = comment_messages(happened)
    if not messages:
        return
    # One frame for all the messages of one change (the client takes arrays).
    text = dump(messages if len(messages) > 1 else messages[0])
    readers: dict[tuple[str, ...], bool] = {}
    for session in list(live.sessions.values()):
        scopes = tuple(session.identity.scopes)
        allowed = readers.get(scopes)
        if allowed is None:
            allowed = readers[scopes] = may_read(scopes, visibility)
        if allowed:
            session.send(text)
