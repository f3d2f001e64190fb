"""The 18 webhook event types and the exact shape of each one's ``data`` (WEBHOOKS.md §2).

Features emit ``(type, data)`` on the event bus without ``projectId``; ``webhook_payload``
adds it and writes the fields in the documented order, dropping anything else, so no
handler ever sees a field or a type the SDKs do not know.
"""

from __future__ import annotations

from typing import Any

ROOM_EVENTS: dict[str, tuple[str, ...]] = {
    "userEntered": ("projectId", "roomId", "connectionId", "userId", "userInfo", "enteredAt",
                    "numActiveUsers"),
    "userLeft": ("projectId", "roomId", "connectionId", "userId", "userInfo", "leftAt",
                 "numActiveUsers"),
    "storageUpdated": ("roomId", "projectId", "updatedAt"),
    "ydocUpdated": ("projectId", "roomId", "updatedAt"),
    "roomCreated": ("projectId", "roomId", "createdAt"),
    "roomDeleted": ("projectId", "roomId", "deletedAt"),
}
_THREAD = ("projectId", "roomId", "threadId")
_COMMENT = (*_THREAD, "commentId")
COMMENT_EVENTS: dict[str, tuple[str, ...]] = {
    "threadCreated": (*_THREAD, "createdAt", "createdBy"),
    "threadDeleted": (*_THREAD, "deletedAt"),
    "threadMetadataUpdated": (*_THREAD, "updatedAt", "updatedBy"),
    "threadMarkedAsResolved": (*_THREAD, "updatedAt", "updatedBy"),
    "threadMarkedAsUnresolved": (*_THREAD, "updatedAt", "updatedBy"),
    "commentCreated": (*_COMMENT, "createdAt", "createdBy"),
    "commentEdited": (*_COMMENT, "editedAt"),
    "commentDeleted": (*_COMMENT, "deletedAt"),
    "commentMetadataUpdated": (*_COMMENT, "updatedAt", "updatedBy"),
    "commentReactionAdded": (*_COMMENT, "emoji", "addedAt", "addedBy"),
    "commentReactionRemoved": (*_COMMENT, "emoji", "removedAt", "removedBy"),
}
NOTIFICATION = "notification"
# Fields of a notification by kind; custom kinds ("$…") use "$".
NOTIFICATION_FIELDS: dict[str, tuple[str, ...]] = {
    kind: ("channel", "kind", "projectId", "roomId", "userId", extra, "inboxNotificationId",
           "createdAt", "triggeredAt")
    for kind, extra in (("thread", "threadId"), ("textMention", "mentionId"), ("$", "subjectId"))
}
NOTIFICATION_CHANNELS = ("email", "slack", "teams", "webPush")

EVENT_TYPES: tuple[str, ...] = (*ROOM_EVENTS, *COMMENT_EVENTS, NOTIFICATION)
THROTTLED = ("storageUpdated", "ydocUpdated")


class UnknownEvent(ValueError):
    """Not one of the 18 types, or data missing a documented field: never sent."""


def fields_of(type: str, data: dict[str, Any]) -> tuple[str, ...]:
    if type == NOTIFICATION:
        kind = data.get("kind")
        if not isinstance(kind, str):
            raise UnknownEvent("a notification needs a string 'kind'")
        if data.get("channel") not in NOTIFICATION_CHANNELS:
            raise UnknownEvent(f"notification channel must be one of {NOTIFICATION_CHANNELS}")
        key = "$" if kind.startswith("$") else kind
        if key not in NOTIFICATION_FIELDS:
            raise UnknownEvent(f"unknown notification kind {kind!r}")
        return NOTIFICATION_FIELDS[key]
    fields = ROOM_EVENTS.get(type) or COMMENT_EVENTS.get(type)
    if fields is None:
        raise UnknownEvent(f"{type!r} is not a webhook event type")
    return fields


def webhook_payload(type: str, data: dict[str, Any], project_id: str) -> dict[str, Any]:
    """``{"type", "data"}`` with exactly the documented fields, in order (UnknownEvent)."""
    fields = fields_of(type, data)
    shaped: dict[str, Any] = {}
    for name in fields:
        if name == "projectId":
            shaped[name] = project_id
        elif name in data:
            shaped[name] = data[name]
        else:
            raise UnknownEvent(f"{type} event without {name!r}")
    return {"type": type, "data": shaped}
