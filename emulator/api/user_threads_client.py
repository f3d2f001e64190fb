"""The browser's user threads (COMMENTS.md §1.5 C37/C38, ``useUserThreads_experimental``):
the threads the caller follows, across every room they may read, with the answer keyed
``threads`` (not ``data`` as in a room list) and ``meta.permissionHints`` for each room in
it (the React UI turns a room read-only without its hint)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import format_ms
from ..domain.comments_json import deleted_subscription_json, deleted_thread_json
from ..domain.comments_model import Thread
from ..domain.comments_query import THREAD_FIELDS, parse_conditions, thread_matches
from ..domain.rooms import Room
from .client_caller import client_required
from .comments.client import parse_thread_cursor, thread_cursor
from .endpoints import Endpoint, Feature
from .inbox_client import (
    DELETED_NOTIFICATION,
    NOTIFICATIONS,
    QUERY,
    SINCE,
    SUBSCRIPTIONS,
    THREADS,
    personal_op,
)
from .openapi_kit import TIMESTAMP, closed_object, ok, ref, string
from .personal import Personal, personal
from .requests import query_int, query_since
from .responses import JSONResponse

Pair = tuple[Room, Thread]


def _followed(me: Personal, request: Request | None) -> list[Pair]:
    """The threads the caller is subscribed to and may read, oldest first."""
    text = request.query_params.get("query") if request is not None else None
    conditions = parse_conditions(text, THREAD_FIELDS) if text else []
    found: list[Pair] = []
    for room, held in me.state.comments.rooms():
        for thread in held.threads.values():
            if (me.user_id in thread.subscriptions
                    and me.may_read_comments(room, thread.visibility)
                    and thread_matches(conditions, thread, room.id, me.user_id)):
                found.append((room, thread))
    found.sort(key=lambda pair: (pair[1].created_ms, pair[1].id))
    return found


def _hints(me: Personal, rooms: list[Room]) -> dict[str, list[str]]:
    return {room.id: list(me.claims.room_access(room.id, room).scopes) for room in rooms}


def _notifications(me: Personal, thread_ids: set[str], since: int = 0) -> list[dict[str, Any]]:
    return [n.to_json() for n in me.state.inbox.of_user(me.user_id)
            if n.kind == "thread" and n.thread_id in thread_ids and n.changed_ms >= since
            and me.delivers(n)]


async def list_user_threads(request: Request) -> Response:
    me = personal(request)
    requested_at = me.state.clock()
    limit = query_int(request, "limit", default=50, low=1, high=100)
    threads = _followed(me, request)
    cursor = request.query_params.get("cursor")
    if cursor:
        after = parse_thread_cursor(cursor)
        threads = [p for p in threads if (p[1].created_ms, p[1].id) > after]
    chosen = threads[:limit]
    next_cursor = thread_cursor(chosen[-1][1]) if len(threads) > limit else None
    rooms = list({room.id: room for room, _ in chosen}.values())
    return JSONResponse({
        "threads": [me.thread_json(pair) for pair in chosen],
        "inboxNotifications": _notifications(me, {t.id for _, t in chosen}),
        "subscriptions": me.subscriptions(chosen),
        "meta": {"nextCursor": next_cursor, "requestedAt": format_ms(requested_at),
                 "permissionHints": _hints(me, rooms)},
    })


async def user_threads_delta(request: Request) -> Response:
    me = personal(request)
    requested_at = me.state.clock()
    since = query_since(request)
    followed = _followed(me, None)
    updated = [pair for pair in followed if pair[1].updated_ms >= since]
    user = me.user_id
    readable = [(room, thread) for room, held in me.state.comments.rooms()
                for thread in held.threads.values()
                if me.may_read_comments(room, thread.visibility)]
    deleted_threads: list[dict[str, Any]] = []
    rooms: dict[str, Room] = {room.id: room for room, _ in updated}
    for room, _ in me.state.comments.rooms():
        gone = me.state.comments.deleted_since(room, since)
        if gone and me.may_read_comments(room, "public"):
            deleted_threads += [deleted_thread_json(room.id, thread_id, at)
                                for thread_id, at in gone]
    _, tombstones = me.state.inbox.changed_since(user, since)
    return JSONResponse({
        "threads": [me.thread_json(pair) for pair in updated],
        "deletedThreads": deleted_threads,
        "inboxNotifications": _notifications(me, {t.id for _, t in followed}, since),
        "deletedInboxNotifications": [t.to_json() for t in tombstones],
        "subscriptions": me.subscriptions(followed, since),
        "deletedSubscriptions": [deleted_subscription_json(t.id, t.unsubscribed[user])
                                 for _, t in readable if t.unsubscribed.get(user, -1) >= since],
        "meta": {"requestedAt": format_ms(requested_at),
                 "permissionHints": _hints(me, list(rooms.values()))},
    })


META_HINTS = {"requestedAt": TIMESTAMP, "permissionHints": ref("PermissionHints")}

FEATURE = Feature("user-threads-browser", [
    Endpoint("GET", "/v2/c/threads", list_user_threads, personal_op(
        "The threads the caller follows, in every room they may read (C37)",
        {"200": ok(closed_object({
            "threads": THREADS, "inboxNotifications": NOTIFICATIONS,
            "subscriptions": SUBSCRIPTIONS,
            "meta": closed_object({"nextCursor": {"type": ["string", "null"]}, **META_HINTS},
                                  ["nextCursor", "requestedAt", "permissionHints"]),
        }, ["threads", "inboxNotifications", "subscriptions", "meta"]))},
        parameters=[{"name": "cursor", "in": "query", "schema": string()},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {**QUERY, "description": "resolved, visibility, metadata['k'] (as for "
                     "a room's threads)"}]), guard=client_required),
    Endpoint("GET", "/v2/c/threads/delta", user_threads_delta, personal_op(
        "What changed in the caller's threads since an earlier requestedAt (C38)",
        {"200": ok(closed_object({
            "threads": THREADS,
            "deletedThreads": {"type": "array", "items": ref("DeletedThread")},
            "inboxNotifications": NOTIFICATIONS,
            "deletedInboxNotifications": {"type": "array", "items": DELETED_NOTIFICATION},
            "subscriptions": SUBSCRIPTIONS,
            "deletedSubscriptions": {"type": "array", "items": ref("DeletedSubscription")},
            "meta": closed_object(META_HINTS, ["requestedAt", "permissionHints"]),
        }, ["threads", "deletedThreads", "inboxNotifications", "deletedInboxNotifications",
            "subscriptions", "deletedSubscriptions", "meta"]))},
        parameters=[SINCE]), guard=client_required),
])
