"""``notification`` webhook events (WEBHOOKS.md §2.3): after the delay, only if still unread,
one per channel the user's settings enable for the kind.

The scheduling is tested on a fake ``call_later`` (the test fires the timers); the REST path
through the webhook emulator (delay 0), verified by the Python SDK's WebhookHandler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from liveblocks.webhooks import is_custom_notification_event, is_thread_notification_event

from emulator.domain.inbox import InboxStore
from emulator.domain.notification_settings import NotificationSettingsStore
from emulator.domain.notification_webhooks import NotificationWebhooks
from emulator.webhook_receiver import WebhookReceiver
from tests.webhooks.conftest import Timer, add_endpoint

FIELDS = ["channel", "kind", "projectId", "roomId", "userId", "{extra}", "inboxNotificationId",
          "createdAt", "triggeredAt"]


class Harness:
    def __init__(self) -> None:
        self.now = 1_700_000_000_000
        self.inbox = InboxStore(lambda: self.now)
        self.settings = NotificationSettingsStore()
        self.timers: list[Timer] = []
        self.emitted: list[dict[str, Any]] = []
        self.webhooks = NotificationWebhooks(
            self.inbox, self.settings, lambda: self.now, self.later,
            lambda type, data: self.emitted.append({"type": type, "data": data}), 1800.0)

    def later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(delay, callback)
        self.timers.append(timer)
        return timer

    def fire(self) -> None:
        self.now += 1_800_000
        timers, self.timers = self.timers, []
        for timer in timers:
            if not timer.cancelled:
                timer.callback()

    def trigger(self, user: str = "u") -> str:
        return self.inbox.trigger(user, "$upload", "file-1", {"n": 1}, room_id=None,
                                  organization_id="default").id


def test_one_event_per_enabled_channel_after_the_delay() -> None:
    harness = Harness()
    notified_at = harness.now
    notification = harness.trigger()
    assert [t.delay for t in harness.timers] == [1800.0] and harness.emitted == []
    harness.fire()
    assert [e["data"]["channel"] for e in harness.emitted] == ["email", "slack", "teams",
                                                                "webPush"]
    data = harness.emitted[0]["data"]
    assert data == {"channel": "email", "kind": "$upload", "roomId": None, "userId": "u",
                    "subjectId": "file-1", "inboxNotificationId": notification,
                    "createdAt": "2023-11-14T22:43:20.000Z",
                    "triggeredAt": "2023-11-14T22:13:20.000Z"}
    assert notified_at < harness.now


def test_read_deleted_or_disabled_notifications_send_nothing() -> None:
    harness = Harness()
    read = harness.trigger("reader")
    gone = harness.trigger("deleter")
    harness.inbox.mark_read([harness.inbox.find(read)])
    harness.inbox.delete([harness.inbox.find(gone)])
    harness.settings.update_channels("picky", {"email": {"thread": False},
                                               "slack": {"thread": True}, "teams": {},
                                               "webPush": {"thread": False}})
    harness.inbox.notify_thread("picky", "room", "th_1", "default", at_ms=harness.now)
    harness.fire()
    assert [(e["data"]["userId"], e["data"]["channel"], e["data"]["threadId"])
            for e in harness.emitted] == [("picky", "slack", "th_1"), ("picky", "teams", "th_1")]


def test_a_burst_of_re_notifications_waits_for_one_check() -> None:
    harness = Harness()
    for _ in range(3):
        harness.inbox.notify_thread("u", "room", "th_1", "default", at_ms=harness.now)
        harness.now += 1000
    # The author's own activity leaves it read: nothing to schedule.
    harness.inbox.notify_thread("author", "room", "th_1", "default", at_ms=harness.now,
                                read=True)
    assert len(harness.timers) == 1
    harness.fire()
    assert len(harness.emitted) == 4
    assert harness.emitted[0]["data"]["triggeredAt"] == "2023-11-14T22:13:22.000Z"
    # Notified again after the window: a new window, new events.
    harness.inbox.notify_thread("u", "room", "th_1", "default", at_ms=harness.now)
    harness.fire()
    assert len(harness.emitted) == 8


def test_a_reset_cancels_what_waits() -> None:
    harness = Harness()
    harness.trigger()
    harness.webhooks.clear()
    harness.fire()
    assert harness.emitted == []


def test_a_triggered_notification_reaches_the_endpoint(
    api: httpx.Client, receiver: WebhookReceiver
) -> None:
    add_endpoint(api, receiver.url, subscribedEvents=["notification"])
    settings = api.post("/v2/users/bob/notification-settings", json={"slack": {"$upload": False},
                                                          "teams": {"$upload": False},
                                                          "webPush": {"$upload": False}})
    assert settings.status_code == 200, settings.text
    assert api.post("/v2/rooms", json={"id": "n", "defaultAccesses": []}).status_code == 200
    response = api.post("/v2/inbox-notifications/trigger", json={
        "userId": "bob", "kind": "$upload", "subjectId": "file-1", "roomId": "n",
        "activityData": {"file": "a.png"}})
    assert response.status_code == 200, response.text
    [event] = receiver.wait_for(1)
    assert is_custom_notification_event(event) and not is_thread_notification_event(event)
    [inbox] = api.get("/v2/users/bob/inbox-notifications").json()["data"]
    assert event["data"]["inboxNotificationId"] == inbox["id"]
    assert event["data"]["triggeredAt"] == inbox["notifiedAt"]
    assert list(event["data"]) == [f.format(extra="subjectId") for f in FIELDS]
    assert (event["data"]["channel"], event["data"]["roomId"], event["data"]["subjectId"]) \
        == ("email", "n", "file-1")


def test_a_comments_fan_out_and_text_mentions_are_told_too() -> None:
    harness = Harness()
    harness.inbox.notify_thread_users(["a", "b"], "room", "th_1", "default", at_ms=harness.now)
    harness.inbox.text_mention("c", "room", "default", created_by="a", mention_id="mn_1",
                               mention={"kind": "user", "id": "c"})
    harness.fire()
    assert sorted({(e["data"]["userId"], e["data"]["kind"]) for e in harness.emitted}) == [
        ("a", "thread"), ("b", "thread"), ("c", "textMention")]
    assert {e["data"]["mentionId"] for e in harness.emitted if e["data"]["userId"] == "c"} \
        == {"mn_1"}
    # Brought forward again, unread: a new window; not brought forward (older): nothing.
    harness.emitted.clear()
    harness.inbox.notify_thread_users(["a"], "room", "th_1", "default", at_ms=harness.now)
    harness.inbox.notify_thread_users(["b"], "room", "th_1", "default", at_ms=0)
    harness.fire()
    assert {e["data"]["userId"] for e in harness.emitted} == {"a"}
