"""The browser Comments API, ``/v2/c/rooms/{roomId}/…`` (COMMENTS.md §1.5 C1–C17, C24–C28),
as ``@liveblocks/client`` 3.24 calls it with an access token, an ID token or the public key.

Each call checks what §1.2 names: reading needs some ``comments`` access; a private
thread is invisible (404) to a caller who may not read private threads; writing needs
``comments:<visibility>:write``. Only a comment's author edits or deletes it, and only a
thread's author deletes the thread (the UI offers nothing else; Liveblocks does not say
what it answers otherwise — we answer 403). Every list and delta answer carries
``meta.permissionHints[roomId]``: without it the React UI turns read-only.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...domain.clock import format_ms
from ...domain.comments import ThreadNotFound
from ...domain.comments_inputs import (
    body_text,
    check_body,
    check_emoji,
    check_metadata,
    check_metadata_patch,
    check_new_id,
    check_visibility,
    optional_strings,
    require_object,
)
from ...domain.comments_json import (
    deleted_subscription_json,
    deleted_thread_json,
    subscription_json,
)
from ...domain.comments_model import Thread
from ...domain.comments_query import (
    SEARCH_FIELDS,
    THREAD_FIELDS,
    comment_matches,
    parse_conditions,
    thread_matches,
)
from ...domain.errors import Forbidden, InvalidInput
from ...domain.permissions import Levels, RoomAccess
from ...domain.rooms import Room
from ...state import EmulatorState
from ..client_caller import Caller, client_caller
from ..requests import emulator_state, path_room, query_int, query_since
from ..responses import JSONResponse, no_content
from .common import comment_edit, comment_out, path, read_object, thread_out

COMMENT_KINDS = ("comments", "comments:public", "comments:private")


@dataclass(frozen=True, slots=True)
class InRoom:
    """A browser call in a room: who, where, and with what rights."""

    state: EmulatorState
    room: Room
    caller: Caller
    access: RoomAccess
    levels: Levels

    @property
    def hints(self) -> dict[str, list[str]]:
        return {self.room.id: list(self.access.scopes)}

    def may_read(self, visibility: str) -> bool:
        return self.levels.get(f"comments:{visibility}", "none") != "none"

    def require_read(self) -> None:
        if not any(self.levels.get(kind, "none") != "none" for kind in COMMENT_KINDS):
            raise Forbidden(f"You may not read the comments of room '{self.room.id}'",
                            code="COMMENTS_ACCESS_DENIED")

    def require_write(self, visibility: str) -> None:
        if self.levels.get(f"comments:{visibility}") != "write":
            raise Forbidden(f"You may not write {visibility} comments in room "
                            f"'{self.room.id}' (comments:{visibility}:write is needed)",
                            code="COMMENTS_ACCESS_DENIED")

    def thread(self, thread_id: str) -> Thread:
        """A thread the caller may read (a private one is invisible to others)."""
        self.require_read()
        thread = self.state.comments.thread(self.room, thread_id)
        if not self.may_read(thread.visibility):
            raise ThreadNotFound(f"Thread '{thread_id}' was not found in room '{self.room.id}'")
        return thread

    def writable_thread(self, thread_id: str) -> Thread:
        thread = self.thread(thread_id)
        self.require_write(thread.visibility)
        return thread

    def notifications(self, threads: list[Thread]) -> list[dict[str, Any]]:
        """The caller's thread notifications about these threads."""
        inbox = self.state.inbox
        user = self.caller.user_id
        found = (inbox.thread_notification(user, t.id) for t in threads)
        return [n.to_json() for n in found if n is not None and n.room_id == self.room.id]

    def notifications_since(self, since_ms: int) -> tuple[list[dict[str, Any]],
                                                           list[dict[str, Any]]]:
        """The caller's notifications of this room changed or deleted since ``since_ms``."""
        changed, deleted = self.state.inbox.changed_since(self.caller.user_id, since_ms)
        room = self.room.id
        return ([n.to_json() for n in changed if n.room_id == room],
                [t.to_json() for t in deleted if t.room_id == room])

    def subscriptions(self, threads: list[Thread], since_ms: int = 0) -> list[dict[str, Any]]:
        user = self.caller.user_id
        return [subscription_json(t.id, t.subscriptions[user]) for t in threads
                if user in t.subscriptions and t.subscriptions[user] >= since_ms]


def in_room(request: Request) -> InRoom:
    caller = client_caller(request)
    room = path_room(request)
    access, levels = caller.levels(room)
    return InRoom(emulator_state(request), room, caller, access, levels)


# ------------------------------------------------------------------ threads lists


def thread_cursor(thread: Thread) -> str:
    return base64.urlsafe_b64encode(f"{thread.created_ms}:{thread.id}".encode()).decode()


def parse_thread_cursor(cursor: str) -> tuple[int, str]:
    try:
        created, _, thread_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        return int(created), thread_id
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidInput(f"cursor is not a cursor this emulator gave: {cursor[:40]!r}",
                           code="INVALID_CURSOR") from None


def _visible(here: InRoom, request: Request) -> list[Thread]:
    text = request.query_params.get("query")
    conditions = parse_conditions(text, THREAD_FIELDS) if text else []
    user = here.caller.user_id
    return [t for t in here.state.comments.threads(here.room)
            if here.may_read(t.visibility) and thread_matches(conditions, t, here.room.id, user)]


async def list_threads(request: Request) -> Response:
    here = in_room(request)
    requested_at = here.state.clock()
    here.require_read()
    limit = query_int(request, "limit", default=50, low=1, high=100)
    threads = _visible(here, request)
    cursor = request.query_params.get("cursor")
    if cursor:
        after = parse_thread_cursor(cursor)
        threads = [t for t in threads if (t.created_ms, t.id) > after]
    page = threads[:limit]
    next_cursor = thread_cursor(page[-1]) if len(threads) > limit else None
    return JSONResponse({
        "data": [thread_out(here.state, here.room, t) for t in page],
        "inboxNotifications": here.notifications(page),
        "subscriptions": here.subscriptions(page),
        "meta": {"nextCursor": next_cursor, "requestedAt": format_ms(requested_at),
                 "permissionHints": here.hints},
    })


async def threads_delta(request: Request) -> Response:
    here = in_room(request)
    requested_at = here.state.clock()
    here.require_read()
    since = query_since(request)
    changed = [t for t in _visible(here, request) if t.updated_ms >= since]
    user = here.caller.user_id
    stopped = [deleted_subscription_json(t.id, t.unsubscribed[user])
               for t in here.state.comments.threads(here.room)
               if t.unsubscribed.get(user, -1) >= since]
    notifications, deleted_notifications = here.notifications_since(since)
    return JSONResponse({
        "data": [thread_out(here.state, here.room, t) for t in changed],
        "deletedThreads": [deleted_thread_json(here.room.id, thread_id, at) for thread_id, at
                           in here.state.comments.deleted_since(here.room, since)],
        "inboxNotifications": notifications,
        "deletedInboxNotifications": deleted_notifications,
        "subscriptions": here.subscriptions(
            [t for t in here.state.comments.threads(here.room) if here.may_read(t.visibility)],
            since),
        "deletedSubscriptions": stopped,
        "meta": {"requestedAt": format_ms(requested_at), "permissionHints": here.hints},
    })


async def search_comments(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    text = (request.query_params.get("text") or "").casefold()
    query = request.query_params.get("query")
    conditions = parse_conditions(query, SEARCH_FIELDS) if query else []
    found: list[dict[str, Any]] = []
    for thread in here.state.comments.threads(here.room):
        if not here.may_read(thread.visibility):
            continue
        for comment in thread.live_comments:
            content = body_text(comment.body)
            if text in content.casefold() and comment_matches(conditions, thread, comment):
                found.append({"threadId": thread.id, "commentId": comment.id,
                              "content": content.strip()})
    return JSONResponse({"data": found[:50]})


# ------------------------------------------------------------------ one thread


async def create_thread(request: Request) -> Response:
    here = in_room(request)
    body = await read_object(request)
    visibility = check_visibility(body.get("visibility"))
    here.require_write(visibility)
    comment = require_object(body.get("comment"), "comment")
    thread = here.state.comments.create_thread(
        here.room,
        user_id=here.caller.user_id,
        thread_id=check_new_id(body.get("id"), "th", "id"),
        comment_id=check_new_id(comment.get("id"), "cm", "comment.id"),
        body=check_body(comment.get("body"), "comment.body"),
        visibility=visibility,
        metadata=check_metadata(body.get("metadata")),
        comment_metadata=check_metadata(comment.get("metadata"), "comment.metadata"),
        attachment_ids=optional_strings(comment.get("attachmentIds"), "comment.attachmentIds"),
    )
    return JSONResponse(thread_out(here.state, here.room, thread))


async def delete_thread(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    if thread.author != here.caller.user_id:
        raise Forbidden("Only the author of a thread's first comment may delete the thread",
                        code="NOT_THREAD_AUTHOR")
    here.state.comments.delete_thread(here.room, thread.id)
    return no_content()


async def thread_with_notification(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    thread = here.thread(path(request, "threadId"))
    answer: dict[str, Any] = {"thread": thread_out(here.state, here.room, thread)}
    notification = here.notifications([thread])
    if notification:
        answer["inboxNotification"] = notification[0]
    since = thread.subscriptions.get(here.caller.user_id)
    if since is not None:
        answer["subscription"] = subscription_json(thread.id, since)
    return JSONResponse(answer)


async def edit_thread_metadata(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    patch = check_metadata_patch(await read_object(request))
    return JSONResponse(here.state.comments.edit_thread_metadata(
        here.room, thread.id, patch, here.caller.user_id))


async def _resolve(request: Request, resolved: bool) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    here.state.comments.set_resolved(here.room, thread.id, resolved, here.caller.user_id)
    return no_content()


async def mark_as_resolved(request: Request) -> Response:
    return await _resolve(request, True)


async def mark_as_unresolved(request: Request) -> Response:
    return await _resolve(request, False)


async def subscribe(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    thread = here.thread(path(request, "threadId"))
    since = here.state.comments.subscribe(here.room, thread.id, here.caller.user_id)
    return JSONResponse(subscription_json(thread.id, since))


async def unsubscribe(request: Request) -> Response:
    here = in_room(request)
    here.require_read()
    thread = here.thread(path(request, "threadId"))
    here.state.comments.unsubscribe(here.room, thread.id, here.caller.user_id)
    return no_content()


# ------------------------------------------------------------------ comments


async def create_comment(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    body = await read_object(request)
    comment = here.state.comments.create_comment(
        here.room, thread.id,
        user_id=here.caller.user_id,
        comment_id=check_new_id(body.get("id"), "cm", "id"),
        body=check_body(body.get("body")),
        metadata=check_metadata(body.get("metadata")),
        attachment_ids=optional_strings(body.get("attachmentIds"), "attachmentIds"),
    )
    return JSONResponse(comment_out(here.state, here.room, comment))


def _own_comment(here: InRoom, request: Request) -> tuple[Thread, str]:
    thread = here.writable_thread(path(request, "threadId"))
    _, comment = here.state.comments.live_comment(here.room, thread.id,
                                                  path(request, "commentId"))
    if comment.user_id != here.caller.user_id:
        raise Forbidden("Only the author of a comment may edit or delete it",
                        code="NOT_COMMENT_AUTHOR")
    return thread, comment.id


async def edit_comment(request: Request) -> Response:
    here = in_room(request)
    thread, comment_id = _own_comment(here, request)
    body = await read_object(request)
    comment = here.state.comments.edit_comment(here.room, thread.id, comment_id,
                                               **comment_edit(body))
    return JSONResponse(comment_out(here.state, here.room, comment))


async def delete_comment(request: Request) -> Response:
    here = in_room(request)
    thread, comment_id = _own_comment(here, request)
    here.state.comments.delete_comment(here.room, thread.id, comment_id)
    return no_content()


async def edit_comment_metadata(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    patch = check_metadata_patch(await read_object(request))
    return JSONResponse(here.state.comments.edit_comment_metadata(
        here.room, thread.id, path(request, "commentId"), patch, here.caller.user_id))


async def add_reaction(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    emoji = check_emoji((await read_object(request)).get("emoji"))
    at = here.state.comments.add_reaction(here.room, thread.id, path(request, "commentId"),
                                          here.caller.user_id, emoji)
    return JSONResponse({"emoji": emoji, "userId": here.caller.user_id,
                         "createdAt": format_ms(at)})


async def remove_reaction(request: Request) -> Response:
    here = in_room(request)
    thread = here.writable_thread(path(request, "threadId"))
    emoji = check_emoji(path(request, "emoji"))
    here.state.comments.remove_reaction(here.room, thread.id, path(request, "commentId"),
                                        here.caller.user_id, emoji)
    return no_content()
