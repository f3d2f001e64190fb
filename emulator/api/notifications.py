"""Inbox notifications and notification settings through the secret key (COMMENTS.md §3.3,
S26–S38): a user's inbox, the trigger of custom notifications, channel settings and room
subscription settings."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import InvalidInput
from ..domain.groups import DEFAULT_ORGANIZATION
from ..domain.inbox import (
    MAX_SUBJECT_ID_LENGTH,
    check_activity_data,
    check_custom_kind,
)
from ..domain.inbox_query import parse_inbox_query
from ..domain.notification_settings import (
    CHANNELS,
    TEXT_MENTIONS,
    THREADS,
    check_channel_update,
    check_room_settings_update,
)
from ..domain.room_inputs import require_object
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    EMPTY_OK,
    INVALID,
    NO_CONTENT,
    NON_EMPTY,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    in_room,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, path_room, query_int, read_json
from .responses import JSONResponse, no_content


def _user(request: Request) -> str:
    user_id: str = request.path_params["userId"]
    return user_id


def _organization(request: Request) -> str | None:
    params = request.query_params
    return params.get("organizationId") or params.get("tenantId") or None


# ------------------------------------------------------------------ inbox


async def list_inbox(request: Request) -> Response:
    limit = query_int(request, "limit", default=50, low=1, high=50)
    wanted = parse_inbox_query(request.query_params.get("query"))
    organization = _organization(request)
    notifications, cursor = emulator_state(request).inbox.page(
        _user(request), limit=limit,
        starting_after=request.query_params.get("startingAfter") or None,
        keep=lambda n: wanted.matches(n) and organization in (None, n.organization_id))
    return JSONResponse({"data": [n.to_json() for n in notifications], "nextCursor": cursor})


async def delete_inbox(request: Request) -> Response:
    inbox = emulator_state(request).inbox
    organization = _organization(request)
    inbox.delete([n for n in inbox.of_user(_user(request))
                  if organization in (None, n.organization_id)])
    return no_content()


async def get_notification(request: Request) -> Response:
    inbox = emulator_state(request).inbox
    return JSONResponse(inbox.get(_user(request), request.path_params["inboxNotificationId"])
                        .to_json())


async def delete_notification(request: Request) -> Response:
    inbox = emulator_state(request).inbox
    inbox.delete([inbox.get(_user(request), request.path_params["inboxNotificationId"])])
    return no_content()


async def mark_as_read(request: Request) -> Response:
    inbox = emulator_state(request).inbox
    inbox.mark_read([inbox.find(request.path_params["inboxNotificationId"])])
    return Response(status_code=200)


async def trigger(request: Request) -> Response:
    state = emulator_state(request)
    body = require_object(await read_json(request), "Request body")
    user_id = body.get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise InvalidInput(f"userId must be a non-empty string, got {user_id!r}")
    kind = check_custom_kind(body.get("kind"))
    subject_id = body.get("subjectId")
    if not isinstance(subject_id, str) or not 0 < len(subject_id) <= MAX_SUBJECT_ID_LENGTH:
        raise InvalidInput(
            f"subjectId must be a string of 1 to {MAX_SUBJECT_ID_LENGTH} characters")
    data = check_activity_data(body.get("activityData"))
    room_id = body.get("roomId")
    if room_id is not None:
        if not isinstance(room_id, str):
            raise InvalidInput(f"roomId must be a string, got {room_id!r}")
        state.rooms.get(room_id)  # 404 for a room that does not exist
    organization = body.get("organizationId") or DEFAULT_ORGANIZATION
    if not isinstance(organization, str):
        raise InvalidInput(f"organizationId must be a string, got {organization!r}")
    state.inbox.trigger(user_id, kind, subject_id, data, room_id=room_id,
                        organization_id=organization)
    return Response(status_code=200)


# ------------------------------------------------------------------ settings


async def get_settings(request: Request) -> Response:
    return JSONResponse(emulator_state(request).notification_settings.channels(_user(request)))


async def update_settings(request: Request) -> Response:
    update = check_channel_update(await read_json(request))
    settings = emulator_state(request).notification_settings
    return JSONResponse(settings.update_channels(_user(request), update))


async def delete_settings(request: Request) -> Response:
    emulator_state(request).notification_settings.reset_channels(_user(request))
    return no_content()


async def get_room_settings(request: Request) -> Response:
    room = path_room(request)
    settings = emulator_state(request).notification_settings
    return JSONResponse(settings.room(room.id, _user(request)))


async def update_room_settings(request: Request) -> Response:
    room = path_room(request)
    update = check_room_settings_update(await read_json(request))
    state = emulator_state(request)
    answer = state.notification_settings.update_room(room.id, _user(request), update)
    if "threads" in update:
        state.notifier.room_threads_setting_changed(room, _user(request))
    return JSONResponse(answer)


async def delete_room_settings(request: Request) -> Response:
    room = path_room(request)
    state = emulator_state(request)
    state.notification_settings.reset_room(room.id, _user(request))
    state.notifier.room_threads_setting_changed(room, _user(request))
    return no_content()


async def list_room_settings(request: Request) -> Response:
    limit = query_int(request, "limit", default=50, low=1, high=50)
    rows, cursor = emulator_state(request).notification_settings.rooms_of(
        _user(request), limit=limit,
        starting_after=request.query_params.get("startingAfter") or None)
    data: list[dict[str, Any]] = [{"roomId": row.room_id, **row.to_json()} for row in rows]
    return JSONResponse({"data": data, "nextCursor": cursor})


# ------------------------------------------------------------------ OpenAPI

INBOX = "/v2/users/{userId}/inbox-notifications"
NOTIFICATION = INBOX + "/{inboxNotificationId}"
USER_SETTINGS = "/v2/users/{userId}/notification-settings"
ROOM_SETTINGS = "/v2/rooms/{roomId}/users/{userId}/subscription-settings"
# The older spelling of ROOM_SETTINGS, still in Liveblocks' document.
ROOM_SETTINGS_ALIAS = "/v2/rooms/{roomId}/users/{userId}/notification-settings"
NOT_FOUND = error("404", "No such inbox notification (INBOX_NOTIFICATION_NOT_FOUND)")
ORGANIZATION: list[Json] = [
    {"name": "organizationId", "in": "query", "schema": string()},
    {"name": "tenantId", "in": "query", "description": "The old name of organizationId",
     "schema": string()},
]
SETTINGS_OK = ok(ref("NotificationSettings"))
ROOM_SETTINGS_OK = ok(ref("RoomSubscriptionSettings"))


def room_settings_endpoints(path: str) -> list[Endpoint]:
    return [
        Endpoint("GET", path, get_room_settings, in_room(
            "A user's subscription settings in a room", {"200": ROOM_SETTINGS_OK},
            tag="notifications")),
        Endpoint("POST", path, update_room_settings, in_room(
            "Change a user's subscription settings in a room (the fields given)",
            {"200": ROOM_SETTINGS_OK, "422": INVALID}, tag="notifications",
            body=open_object({"threads": {"enum": list(THREADS)},
                              "textMentions": {"enum": list(TEXT_MENTIONS)}}))),
        Endpoint("DELETE", path, delete_room_settings, in_room(
            "Back to the default subscription settings in a room", {"204": NO_CONTENT},
            tag="notifications")),
    ]


CHANNEL_SETTINGS: Json = {
    "type": "object",
    "description": "kind (thread, textMention or a custom $kind) -> enabled",
    "additionalProperties": {"type": "boolean"},
}

FEATURE = Feature(
    "notifications",
    [
        Endpoint("GET", INBOX, list_inbox, operation(
            "notifications", "A user's inbox notifications, the most recent first",
            {"200": ok(ref("InboxNotificationList")),
             "422": error("422", "A bad limit, cursor or query (INVALID_QUERY)")},
            parameters=[
                {"name": "query", "in": "query", "description": "e.g. unread:true",
                 "schema": string()},
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 50}},
                {"name": "startingAfter", "in": "query", "schema": string()},
                *ORGANIZATION,
            ])),
        Endpoint("DELETE", INBOX, delete_inbox, operation(
            "notifications", "Delete all of a user's inbox notifications", {"204": NO_CONTENT},
            parameters=ORGANIZATION)),
        Endpoint("GET", NOTIFICATION, get_notification, operation(
            "notifications", "One inbox notification",
            {"200": ok(ref("InboxNotification")), "404": NOT_FOUND})),
        Endpoint("DELETE", NOTIFICATION, delete_notification, operation(
            "notifications", "Delete an inbox notification",
            {"204": NO_CONTENT, "404": NOT_FOUND})),
        Endpoint("POST", "/v2/inbox-notifications/{inboxNotificationId}/read", mark_as_read,
                 operation("notifications", "Mark an inbox notification as read",
                           {"200": EMPTY_OK, "404": NOT_FOUND})),
        Endpoint("POST", "/v2/inbox-notifications/trigger", trigger, operation(
            "notifications", "Trigger a custom inbox notification",
            {"200": EMPTY_OK, "404": error("404", "roomId names no room (ROOM_NOT_FOUND)"),
             "422": INVALID},
            body=open_object({
                "userId": NON_EMPTY,
                "kind": string(2, pattern=r"^\$"),
                "subjectId": string(1, MAX_SUBJECT_ID_LENGTH),
                "activityData": {"type": "object", "additionalProperties": {
                    "type": ["string", "number", "boolean"]}},
                "roomId": NON_EMPTY,
                "organizationId": NON_EMPTY,
            }, ["userId", "kind", "subjectId", "activityData"]))),
        Endpoint("GET", USER_SETTINGS, get_settings, operation(
            "notifications", "A user's notification settings", {"200": SETTINGS_OK})),
        Endpoint("POST", USER_SETTINGS, update_settings, operation(
            "notifications", "Change a user's notification settings (the kinds given)",
            {"200": SETTINGS_OK, "422": INVALID}, body=ref("NotificationSettings"))),
        Endpoint("DELETE", USER_SETTINGS, delete_settings, operation(
            "notifications", "Back to the default notification settings", {"204": NO_CONTENT})),
        *room_settings_endpoints(ROOM_SETTINGS),
        *room_settings_endpoints(ROOM_SETTINGS_ALIAS),
        Endpoint("GET", "/v2/users/{userId}/room-subscription-settings", list_room_settings,
                 operation(
            "notifications", "The rooms where a user has subscription settings",
            {"200": ok(closed_object(
                {"data": {"type": "array", "items": closed_object(
                    {"roomId": NON_EMPTY, "threads": {"enum": list(THREADS)},
                     "textMentions": {"enum": list(TEXT_MENTIONS)}},
                    ["roomId", "threads", "textMentions"])},
                 "nextCursor": {"type": ["string", "null"]}},
                ["data", "nextCursor"])),
             "422": INVALID},
            parameters=[
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 50}},
                {"name": "startingAfter", "in": "query", "schema": string()},
                *ORGANIZATION,
            ])),
    ],
    schemas={
        "InboxNotification": {
            "type": "object",
            "required": ["kind", "id", "notifiedAt", "readAt"],
            "properties": {
                "kind": {"anyOf": [{"enum": ["thread", "textMention"]},
                                   string(pattern=r"^\$")]},
                "id": string(pattern="^in_"),
                "roomId": {"type": ["string", "null"]},
                "threadId": string(),
                "createdBy": string(),
                "mentionId": string(),
                "mention": {"type": "object"},
                "subjectId": string(),
                "activities": {"type": "array", "items": closed_object(
                    {"id": string(), "createdAt": TIMESTAMP, "data": {"type": "object"}},
                    ["id", "createdAt", "data"])},
                "notifiedAt": TIMESTAMP,
                "readAt": {"anyOf": [TIMESTAMP, {"type": "null"}]},
                "organizationId": string(),
            },
            "additionalProperties": False,
        },
        "InboxNotificationList": closed_object(
            {"data": {"type": "array", "items": ref("InboxNotification")},
             "nextCursor": {"type": ["string", "null"]}},
            ["data", "nextCursor"]),
        "NotificationSettings": {
            "type": "object",
            "properties": {channel: CHANNEL_SETTINGS for channel in CHANNELS},
            "additionalProperties": False,
        },
        "RoomSubscriptionSettings": closed_object(
            {"threads": {"enum": list(THREADS)},
             "textMentions": {"enum": list(TEXT_MENTIONS)}},
            ["threads", "textMentions"]),
    },
    parameters={
        "inboxNotificationId": path_parameter("inboxNotificationId", "in_…"),
    },
)
