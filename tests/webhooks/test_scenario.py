"""Issue 15's first acceptance scenario: one run of real clients and REST calls, every event
verified by BOTH official verifiers — @liveblocks/node 3.24's WebhookHandler.verifyRequest
(tests/node/webhook_receiver.mjs) and the PyPI liveblocks 3.23 WebhookHandler.verify_request
(emulator.webhook_receiver) — each with the documented fields, in order, and the SDKs' type
guards agreeing on the notification.

Two @liveblocks/client sessions create the room by entering it, write storage and leave
(tests/node/e2e_webhooks.mjs); then REST changes storage, the Yjs document, comments
(thread, comment, edit, reactions, metadata, resolve) — bob's reply notifies alice, the
thread's author (a ``thread`` inbox notification, made by the inbox's own rules) —, triggers
a custom notification, and deletes the room. Notification events go out after the
notification delay (0 in these tests) while the notification is unread.
"""

from __future__ import annotations

from typing import Any

import httpx
from liveblocks.webhooks import (
    is_custom_notification_event,
    is_text_mention_notification_event,
    is_thread_notification_event,
)
from pycrdt import Doc, Text

from emulator.domain.webhook_events import fields_of
from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.e2e.scripts import run_script
from tests.webhooks.conftest import NodeReceiver, add_endpoint

ROOM = "scenario"
BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "Hi Zoë"}]}]}
# Every type the scenario makes (all 18 but none missing: the thread-kind notification is
# the same type as the custom one; see test_the_notification_kinds below).
EXPECTED_TYPES = {
    "roomCreated", "userEntered", "storageUpdated", "userLeft", "ydocUpdated",
    "threadCreated", "commentCreated", "commentEdited", "commentReactionAdded",
    "commentReactionRemoved", "threadMetadataUpdated", "commentMetadataUpdated",
    "threadMarkedAsResolved", "threadMarkedAsUnresolved", "commentDeleted", "threadDeleted",
    "notification", "roomDeleted",
}


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def rest_changes(api: httpx.Client) -> str:
    """The REST part of the scenario; the thread's id."""
    room = f"/v2/rooms/{ROOM}"
    ok(api.patch(f"{room}/storage/json-patch",
                 json=[{"op": "replace", "path": "/count", "value": 10}]))
    doc = Doc()
    doc.get("text", type=Text).insert(0, "yjs")
    ok(api.put(f"{room}/ydoc", content=doc.get_update(),
               headers={"Content-Type": "application/octet-stream"}))
    thread = ok(api.post(f"{room}/threads", json={"comment": {"userId": "alice", "body": BODY}}))
    thread_path = f"{room}/threads/{thread['id']}"
    first = thread["comments"][0]["id"]
    reply = ok(api.post(f"{thread_path}/comments", json={"userId": "bob", "body": BODY}))
    ok(api.post(f"{thread_path}/comments/{reply['id']}", json={"body": BODY}))
    reaction = {"userId": "bob", "emoji": "🎉"}
    ok(api.post(f"{thread_path}/comments/{first}/add-reaction", json=reaction))
    ok(api.post(f"{thread_path}/comments/{first}/remove-reaction", json=reaction))
    ok(api.post(f"{thread_path}/metadata", json={"metadata": {"color": "blue"},
                                                 "userId": "alice"}))
    ok(api.post(f"{thread_path}/comments/{first}/metadata",
                json={"metadata": {"pinned": True}, "userId": "alice"}))
    ok(api.post(f"{thread_path}/mark-as-resolved", json={"userId": "bob"}))
    ok(api.post(f"{thread_path}/mark-as-unresolved", json={"userId": "bob"}))
    ok(api.delete(f"{thread_path}/comments/{reply['id']}"))
    ok(api.delete(thread_path))
    # Only the email channel for this kind: one notification event.
    ok(api.post("/v2/users/zoë/notification-settings", json={
        "slack": {"$mention": False}, "teams": {"$mention": False},
        "webPush": {"$mention": False}}))
    ok(api.post("/v2/inbox-notifications/trigger", json={
        "userId": "zoë", "kind": "$mention", "subjectId": "doc-1", "roomId": ROOM,
        "activityData": {"from": "alice"}}))
    return str(thread["id"])


def test_every_event_of_the_scenario_verifies_with_both_sdks(
    wh_server: BackgroundServer, api: httpx.Client, receiver: WebhookReceiver,
    node_receiver: NodeReceiver,
) -> None:
    for url in (receiver.url, node_receiver.url):
        add_endpoint(api, url)  # no throttling in these tests: every write is an event
    out = run_script(wh_server, "e2e_webhooks.mjs", ROOM=ROOM)
    thread_id = rest_changes(api)
    # Notifications go out after the delay (0 here): wait for the custom one (the last
    # made) before the room, and its notifications with it, are deleted.
    receiver.wait_until(lambda requests: any(
        r.event is not None and r.event["type"] == "notification"
        and r.event["data"]["kind"] == "$mention" for r in requests))
    assert api.delete(f"/v2/rooms/{ROOM}").status_code == 204

    def done(events: list[dict[str, Any]]) -> bool:
        return any(event["type"] == "roomDeleted" for event in events)

    receiver.wait_until(lambda requests: done([r.event for r in requests if r.event]))
    lines = node_receiver.wait_until(lambda got: done([g["event"] for g in got if g["ok"]]))

    # Every request verified, by both, and answered 200.
    assert [r.error for r in receiver.requests if r.event is None] == []
    assert [line for line in lines if not line["ok"]] == []
    python_events = receiver.events()
    node_events = [line["event"] for line in lines]
    assert len(python_events) == len(receiver.requests)
    # One body serialized per event for every endpoint: both got the same events, in order.
    assert node_events == python_events
    assert {event["type"] for event in python_events} == EXPECTED_TYPES
    for event in python_events:
        assert list(event["data"]) == list(fields_of(event["type"], event["data"])), event

    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in python_events:
        by_type.setdefault(event["type"], []).append(event["data"])
    alice, bob = out["connections"]["alice"], out["connections"]["bob"]
    assert [(d["connectionId"], d["numActiveUsers"]) for d in by_type["userEntered"]] == [
        (alice, 1), (bob, 2)]
    assert [(d["connectionId"], d["numActiveUsers"]) for d in by_type["userLeft"]] == [
        (bob, 1), (alice, 0)]
    # Two client writes (at least one event each) and one REST patch.
    assert len(by_type["storageUpdated"]) >= 2
    assert len(by_type["commentCreated"]) == 2 and len(by_type["threadCreated"]) == 1
    assert by_type["commentReactionAdded"][0]["emoji"] == "🎉"
    assert [d["roomId"] for d in by_type["roomCreated"] + by_type["roomDeleted"]] == [ROOM, ROOM]

    [custom] = [d for d in by_type["notification"] if d["kind"] == "$mention"]
    assert (custom["channel"], custom["userId"], custom["subjectId"], custom["roomId"]) == (
        "email", "zoë", "doc-1", ROOM)
    # Alice's thread notification, on every channel her (default) settings enable.
    threads = [d for d in by_type["notification"] if d["kind"] == "thread"]
    assert [d["channel"] for d in threads] == ["email", "slack", "teams", "webPush"]
    assert {(d["userId"], d["threadId"], d["roomId"]) for d in threads} == {
        ("alice", thread_id, ROOM)}
    assert len(by_type["notification"]) == 5
    for data in by_type["notification"]:
        event = {"type": "notification", "data": data}
        thread = data["kind"] == "thread"
        assert is_thread_notification_event(event) is thread  # type: ignore[arg-type]
        assert is_custom_notification_event(event) is not thread  # type: ignore[arg-type]
        assert not is_text_mention_notification_event(event)  # type: ignore[arg-type]
        assert data["createdAt"] >= data["triggeredAt"]
    node_guards = [(line["event"]["data"]["kind"], line["guards"]) for line in lines
                   if line["event"]["type"] == "notification"]
    assert sorted(node_guards, key=lambda pair: pair[0] != "thread") == [
        ("thread", {"thread": True, "textMention": False, "custom": False})] * 4 + [
        ("$mention", {"thread": False, "textMention": False, "custom": True})]
