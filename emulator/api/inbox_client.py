"""The browser's personal inbox calls (COMMENTS.md §1.5 C29–C36, C39), as
``@liveblocks/client`` 3.24 makes them for ``useInboxNotifications``,
``useUnreadInboxNotificationsCount``, ``<InboxNotification>``, ``useNotificationSettings``
and group mentions.

They read and write the stores of the secret-key API (``state.inbox``,
``state.notification_settings``, ``state.groups``), so a backend and the browser see one
inbox. Lists and deltas hand out the threads of ``thread`` notifications (the client hides
a notification whose thread it does not hold) and the caller's subscriptions to them; the
full list also hands out the groups mentioned (``json.groups.map`` — required). Deltas
take ``since`` = an earlier ``meta.requestedAt`` and hold everything changed at or after it.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import format_ms
from ..domain.comments_json import deleted_subscription_json, deleted_thread_json
from ..domain.errors import InvalidInput
from ..domain.inbox import InboxNotification, InboxNotificationNotFound
from ..domain.inbox_query import InboxFilter, parse_inbox_query
from ..domain.notification_settings import check_channel_update
from .client_caller import client_required
from .comments.common import read_object
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    NO_CONTENT,
    NON_EMPTY,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    ok,
    open_object,
    operation,
    ref,
    string,
)
from .personal import Personal, group_json, personal
from .requests import query_int, query_since
from .responses import JSONResponse

MAX_GROUP_IDS = 1_000


def _mine(me: Personal, wanted: InboxFilter) -> list[InboxNotification]:
    return [n for n in me.state.inbox.of_user(me.user_id) if wanted.matches(n) and me.delivers(n)]


def _query(request: Request) -> InboxFilter:
    return parse_inbox_query(request.query_params.get("query"))


async def list_inbox(request: Request) -> Response:
    me = personal(request)
    requested_at = me.state.clock()
    limit = query_int(request, "limit", default=50, low=1, high=50)
    wanted = _query(request)
    notifications, cursor = me.state.inbox.page(
        me.user_id, limit=limit, starting_after=request.query_params.get("cursor") or None,
        keep=lambda n: wanted.matches(n) and me.delivers(n))
    threads = me.threads_of(notifications)
    return _json({
        "inboxNotifications": [n.to_json() for n in notifications],
        "threads": [me.thread_json(pair) for pair in threads],
        "subscriptions": me.subscriptions(threads),
        "groups": me.groups_json(notifications, threads),
        "meta": {"nextCursor": cursor, "requestedAt": format_ms(requested_at)},
    })


async def inbox_delta(request: Request) -> Response:
    me = personal(request)
    requested_at = me.state.clock()
    since = query_since(request)
    wanted = _query(request)
    # At or after since: the client hands back requestedAt verbatim (duplicates are fine).
    changed, deleted = me.state.inbox.changed_since(me.user_id, since)
    changed = [n for n in changed if wanted.matches(n) and me.delivers(n)]
    changed_threads = {n.thread_id for n in changed}
    user = me.user_id
    mine = me.state.inbox.of_user(user)
    # Threads change without their notification (edits, reactions…): every thread of the
    # caller's thread notifications is looked at, and handed out when it changed.
    threads = me.threads_of([n for n in mine if n.kind == "thread" and wanted.matches(n)])
    updated = [pair for pair in threads
               if pair[1].updated_ms >= since or pair[1].id in changed_threads]
    rooms = {n.room_id for n in mine} | {t.room_id for t in deleted}
    deleted_threads: list[dict[str, Any]] = []
    for room_id in sorted(r for r in rooms if r is not None):
        room = me.state.rooms.peek(room_id)
        if room is not None:
            deleted_threads += [deleted_thread_json(room.id, thread_id, at) for thread_id, at
                                in me.state.comments.deleted_since(room, since)]
    return _json({
        "inboxNotifications": [n.to_json() for n in changed],
        "deletedInboxNotifications": [t.to_json() for t in deleted],
        "threads": [me.thread_json(pair) for pair in updated],
        "deletedThreads": deleted_threads,
        "subscriptions": me.subscriptions(threads, since),
        "deletedSubscriptions": [deleted_subscription_json(t.id, t.unsubscribed[user])
                                 for _, t in threads if t.unsubscribed.get(user, -1) >= since],
        "meta": {"requestedAt": format_ms(requested_at)},
    })


async def unread_count(request: Request) -> Response:
    me = personal(request)
    wanted = _query(request)
    unread = me.state.inbox.unread_of(me.user_id)
    return _json({"count": sum(1 for n in unread if wanted.matches(n) and me.delivers(n))})


async def mark_read(request: Request) -> Response:
    me = personal(request)
    ids = (await read_object(request)).get("inboxNotificationIds")
    inbox = me.state.inbox
    if ids == "all":
        chosen = inbox.unread_of(me.user_id)
    elif isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        # Ids that are not the caller's are passed over: the client batches its calls, and
        # one notification deleted meanwhile must not fail the others.
        chosen = []
        for notification_id in dict.fromkeys(ids):
            with suppress(InboxNotificationNotFound):
                chosen.append(inbox.get(me.user_id, notification_id))
    else:
        raise InvalidInput('inboxNotificationIds must be an array of ids or "all", got '
                           f"{str(ids)[:60]!r}")
    inbox.mark_read([n for n in chosen if n.unread and me.delivers(n)])
    return Response(status_code=204)


async def delete_all(request: Request) -> Response:
    me = personal(request)
    me.state.inbox.delete(_mine(me, InboxFilter()))
    return Response(status_code=204)


async def delete_one(request: Request) -> Response:
    me = personal(request)
    notification_id: str = request.path_params["inboxNotificationId"]
    notification = me.state.inbox.get(me.user_id, notification_id)
    if not me.delivers(notification):
        raise InboxNotificationNotFound(
            f"Inbox notification '{notification_id}' of user '{me.user_id}' was not found")
    me.state.inbox.delete([notification])
    return Response(status_code=204)


async def get_settings(request: Request) -> Response:
    me = personal(request)
    return _json(me.state.notification_settings.channels(me.user_id))


async def update_settings(request: Request) -> Response:
    me = personal(request)
    update = check_channel_update(await read_object(request))
    return _json(me.state.notification_settings.update_channels(me.user_id, update))


async def find_groups(request: Request) -> Response:
    me = personal(request)
    ids = (await read_object(request)).get("groupIds")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput(f"groupIds must be an array of group ids, got {str(ids)[:60]!r}")
    if len(ids) > MAX_GROUP_IDS:
        raise InvalidInput(f"groupIds may hold at most {MAX_GROUP_IDS} ids, got {len(ids)}")
    # Unknown ids are left out: the client maps each asked id to what came back or nothing.
    wanted = set(ids)
    found = [g for g in me.state.groups
             if g.id in wanted and g.organization_id == me.organization_id]
    return _json({"groups": [group_json(g) for g in found]})


def _json(body: Any) -> Response:
    return JSONResponse(body)


# ------------------------------------------------------------------ OpenAPI

TAG = "notifications (browser)"
INBOX = "/v2/c/inbox-notifications"
QUERY: Json = {"name": "query", "in": "query", "schema": string(),
               "description": "roomId:'…' and/or kind:'…' (and unread:true|false), as "
               "objectToQuery writes them"}
SINCE: Json = {"name": "since", "in": "query", "required": True, "schema": TIMESTAMP,
               "description": "The meta.requestedAt of an earlier answer"}
NOTIFICATIONS: Json = {"type": "array", "items": ref("InboxNotification")}
THREADS: Json = {"type": "array", "items": ref("Thread")}
SUBSCRIPTIONS: Json = {"type": "array", "items": ref("ThreadSubscription")}
DELETED_NOTIFICATION = closed_object({
    "type": {"const": "deletedInboxNotification"}, "id": NON_EMPTY,
    "roomId": {"type": ["string", "null"]}, "deletedAt": TIMESTAMP},
    ["type", "id", "roomId", "deletedAt"])
GROUP = closed_object({
    "type": {"const": "group"}, "id": NON_EMPTY, "organizationId": NON_EMPTY,
    "tenantId": {**NON_EMPTY, "description": "= organizationId (its old name)"},
    "createdAt": TIMESTAMP, "updatedAt": TIMESTAMP,
    "scopes": closed_object({"mention": {"type": "boolean"}}),
    "members": {"type": "array", "items": closed_object({"id": NON_EMPTY, "addedAt": TIMESTAMP},
                                                        ["id", "addedAt"])},
}, ["type", "id", "organizationId", "tenantId", "createdAt", "updatedAt", "scopes",
    "members"])
NOT_FOUND = error("404", "No such inbox notification of the caller "
                  "(INBOX_NOTIFICATION_NOT_FOUND)")


def personal_op(summary: str, responses: Json, **kwargs: Any) -> Json:
    """A personal browser call: a token of the user (the public key is refused)."""
    return operation(TAG, summary, {
        "401": error("401", "No Authorization header"),
        "403": error("403", "A token the emulator did not make, an expired token, or the "
                     "public key (personal calls need a user)"),
        "422": error("422", "A bad query, cursor, limit, since or body: the message names "
                     "it"),
        **responses}, secret=False,
        description="Called by @liveblocks/client with a token of the user "
        "(resource personal, access write: COMMENTS.md §1.2).", **kwargs)


def _guarded(method: str, path: str, handler: object, doc: Json) -> Endpoint:
    return Endpoint(method, path, handler, doc, guard=client_required)


FEATURE = Feature("inbox-browser", [
    _guarded("GET", INBOX, list_inbox, personal_op(
        "The caller's inbox, newest first, with the threads and groups it names (C29)",
        {"200": ok(closed_object({
            "inboxNotifications": NOTIFICATIONS, "threads": THREADS,
            "subscriptions": SUBSCRIPTIONS, "groups": {"type": "array", "items": GROUP},
            "meta": closed_object({"nextCursor": {"type": ["string", "null"]},
                                   "requestedAt": TIMESTAMP}, ["nextCursor", "requestedAt"]),
        }, ["inboxNotifications", "threads", "subscriptions", "groups", "meta"]))},
        parameters=[{"name": "cursor", "in": "query", "schema": string()},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
                    QUERY])),
    _guarded("GET", INBOX + "/delta", inbox_delta, personal_op(
        "What changed in the caller's inbox since an earlier requestedAt (C30)",
        {"200": ok(closed_object({
            "inboxNotifications": NOTIFICATIONS,
            "deletedInboxNotifications": {"type": "array", "items": DELETED_NOTIFICATION},
            "threads": THREADS,
            "deletedThreads": {"type": "array", "items": ref("DeletedThread")},
            "subscriptions": SUBSCRIPTIONS,
            "deletedSubscriptions": {"type": "array", "items": ref("DeletedSubscription")},
            "meta": closed_object({"requestedAt": TIMESTAMP}, ["requestedAt"]),
        }, ["inboxNotifications", "deletedInboxNotifications", "threads", "deletedThreads",
            "subscriptions", "deletedSubscriptions", "meta"]))},
        parameters=[SINCE, QUERY])),
    _guarded("GET", INBOX + "/count", unread_count, personal_op(
        "How many of the caller's notifications are unread (C31)",
        {"200": ok(closed_object({"count": {"type": "integer", "minimum": 0}}, ["count"]))},
        parameters=[QUERY])),
    _guarded("POST", INBOX + "/read", mark_read, personal_op(
        'Mark some of the caller\'s notifications read, or "all" (C32)', {"204": NO_CONTENT},
        body=open_object({"inboxNotificationIds": {"anyOf": [
            {"type": "array", "items": string()}, {"const": "all"}]}},
            ["inboxNotificationIds"]))),
    _guarded("DELETE", INBOX, delete_all, personal_op(
        "Delete all of the caller's notifications (C33)", {"204": NO_CONTENT})),
    _guarded("DELETE", INBOX + "/{inboxNotificationId}", delete_one, personal_op(
        "Delete one of the caller's notifications (C34)",
        {"204": NO_CONTENT, "404": NOT_FOUND})),
    _guarded("GET", "/v2/c/notification-settings", get_settings, personal_op(
        "The caller's notification settings, channel by channel (C35)",
        {"200": ok(ref("NotificationSettings"))})),
    _guarded("POST", "/v2/c/notification-settings", update_settings, personal_op(
        "Change the caller's notification settings (the kinds given; C36)",
        {"200": ok(ref("NotificationSettings"))}, body=ref("NotificationSettings"))),
    _guarded("POST", "/v2/c/groups/find", find_groups, personal_op(
        "The groups with these ids, of the caller's organization; unknown ones left out (C39)",
        {"200": ok(closed_object({"groups": {"type": "array", "items": GROUP}}, ["groups"]))},
        body=open_object({"groupIds": {"type": "array", "items": string(),
                                       "maxItems": MAX_GROUP_IDS}}, ["groupIds"]))),
])
