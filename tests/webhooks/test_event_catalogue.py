"""All 18 event types, with exactly the documented fields, verified by both SDKs.

Comments, Yjs and notifications are other features: their events are emitted here on the
event bus the way those features will emit them (``state.events.emit``), so the sender is
checked now; their own tests check that they emit.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator.domain.webhook_events import (
    EVENT_TYPES,
    NOTIFICATION_FIELDS,
    UnknownEvent,
    fields_of,
    webhook_payload,
)
from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.webhooks.conftest import WEBHOOK_SECRET, NodeReceiver, add_endpoint

AT = "2026-01-02T03:04:05.678Z"
THREAD = {"roomId": "r", "threadId": "th_1"}
COMMENT = {**THREAD, "commentId": "cm_1"}
SAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("userEntered", {"roomId": "r", "connectionId": 1, "userId": "zoë", "userInfo": {"name": "Zoë"},
                     "enteredAt": AT, "numActiveUsers": 1}),
    ("userLeft", {"roomId": "r", "connectionId": 1, "userId": None, "userInfo": None,
                  "leftAt": AT, "numActiveUsers": 0}),
    ("storageUpdated", {"roomId": "r", "updatedAt": AT}),
    ("ydocUpdated", {"roomId": "r", "updatedAt": AT}),
    ("roomCreated", {"roomId": "r", "createdAt": AT}),
    ("roomDeleted", {"roomId": "r", "deletedAt": AT}),
    ("threadCreated", {**THREAD, "createdAt": AT, "createdBy": "u"}),
    ("threadDeleted", {**THREAD, "deletedAt": AT}),
    ("threadMetadataUpdated", {**THREAD, "updatedAt": AT, "updatedBy": "u"}),
    ("threadMarkedAsResolved", {**THREAD, "updatedAt": AT, "updatedBy": "u"}),
    ("threadMarkedAsUnresolved", {**THREAD, "updatedAt": AT, "updatedBy": "u"}),
    ("commentCreated", {**COMMENT, "createdAt": AT, "createdBy": "u"}),
    ("commentEdited", {**COMMENT, "editedAt": AT}),
    ("commentDeleted", {**COMMENT, "deletedAt": AT}),
    ("commentMetadataUpdated", {**COMMENT, "updatedAt": AT, "updatedBy": "u"}),
    ("commentReactionAdded", {**COMMENT, "emoji": "👍", "addedAt": AT, "addedBy": "u"}),
    ("commentReactionRemoved", {**COMMENT, "emoji": "👍", "removedAt": AT, "removedBy": "u"}),
    ("notification", {"channel": "email", "kind": "thread", "roomId": "r", "userId": "u",
                      "threadId": "th_1", "inboxNotificationId": "in_1", "createdAt": AT,
                      "triggeredAt": AT}),
    ("notification", {"channel": "slack", "kind": "textMention", "roomId": "r", "userId": "u",
                      "mentionId": "mn_1", "inboxNotificationId": "in_2", "createdAt": AT,
                      "triggeredAt": AT}),
    ("notification", {"channel": "email", "kind": "$fileUpload", "roomId": None, "userId": "u",
                      "subjectId": "my-file", "inboxNotificationId": "in_3", "createdAt": AT,
                      "triggeredAt": AT}),
]


def test_the_samples_cover_the_18_types() -> None:
    assert sorted({type for type, _ in SAMPLES}) == sorted(EVENT_TYPES)
    assert len(EVENT_TYPES) == 18


@pytest.mark.parametrize(("type", "data"), SAMPLES, ids=[t for t, _ in SAMPLES])
def test_payloads_hold_exactly_the_documented_fields_in_order(
    type: str, data: dict[str, Any]
) -> None:
    payload = webhook_payload(type, {**data, "extra": "dropped"}, "P")
    assert list(payload) == ["type", "data"]
    assert tuple(payload["data"]) == fields_of(type, data)
    assert payload["data"]["projectId"] == "P"
    assert {k: v for k, v in payload["data"].items() if k != "projectId"} == data


def test_storage_updated_lists_room_id_first_as_documented() -> None:
    data = webhook_payload("storageUpdated", {"roomId": "r", "updatedAt": AT}, "P")["data"]
    assert list(data) == ["roomId", "projectId", "updatedAt"]


@pytest.mark.parametrize(("type", "data"), [
    ("MaxConnectionsReached", {"roomId": "r"}),
    ("roomCreated", {"roomId": "r"}),  # no createdAt
    ("notification", {**SAMPLES[-1][1], "kind": "email"}),
    ("notification", {**SAMPLES[-1][1], "channel": "sms"}),
])
def test_anything_else_is_never_sent(type: str, data: dict[str, Any]) -> None:
    with pytest.raises(UnknownEvent):
        webhook_payload(type, data, "P")


def test_notification_kinds_have_their_own_field() -> None:
    assert {fields[5] for fields in NOTIFICATION_FIELDS.values()} == {
        "threadId", "mentionId", "subjectId"}


def emit_all(server: BackgroundServer) -> None:
    def emit() -> None:
        for type, data in SAMPLES:
            server.state.events.emit(type, data)
        server.state.events.emit("emulator.presenceUpdated", {"roomId": "r"})  # never sent

    server.call(emit)


def test_every_event_verifies_with_the_python_sdk(
    wh_server: BackgroundServer, api: Any, receiver: WebhookReceiver
) -> None:
    add_endpoint(api, receiver.url)
    emit_all(wh_server)
    events = receiver.wait_for(len(SAMPLES))
    assert [(e["type"], e["data"]) for e in events] == [
        (type, webhook_payload(type, data, "liveblocks-emulator")["data"])
        for type, data in SAMPLES]
    assert all(r.error is None for r in receiver.requests)


@pytest.mark.parametrize("mode", ["raw", "reserialize"])
def test_every_event_verifies_with_the_node_sdk(
    wh_server: BackgroundServer, api: Any, mode: str
) -> None:
    node = NodeReceiver(WEBHOOK_SECRET, MODE=mode)
    try:
        add_endpoint(api, node.url)
        emit_all(wh_server)
        got = node.wait_for(len(SAMPLES))
    finally:
        node.stop()
    assert [line["ok"] for line in got] == [True] * len(SAMPLES), got
    assert [line["event"]["type"] for line in got] == [type for type, _ in SAMPLES]
    guards = [line["guards"] for line in got if line["event"]["type"] == "notification"]
    assert guards == [
        {"thread": True, "textMention": False, "custom": False},
        {"thread": False, "textMention": True, "custom": False},
        {"thread": False, "textMention": False, "custom": True},
    ]


def test_the_python_sdk_verifies_reserialized_bodies(
    wh_server: BackgroundServer, api: Any
) -> None:
    with WebhookReceiver(WEBHOOK_SECRET, reserialize=True) as reserializing:
        add_endpoint(api, reserializing.url)
        emit_all(wh_server)
        assert len(reserializing.wait_for(len(SAMPLES))) == len(SAMPLES)
