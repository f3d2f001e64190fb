"""``notification`` webhook events: told after a delay, only if the user has not read it.

Liveblocks sends a ``notification`` event "by default 30 minutes after" an inbox
notification was made or brought forward, if it is still unread then, once per channel
the user's notification settings enable for its kind (WEBHOOKS.md §2.3, §7). Here:

- the inbox tells us of each notification made or re-notified unread (``on_notified``);
- one check is scheduled per notification through ``call_later`` (the emulator's clock),
  unless one is already waiting: a burst of re-notifications within one delay window
  gives one event per channel, not one per comment;
- at fire time the notification must still exist and be unread; then one event per
  channel whose settings have the kind on. The settings store lists ``thread`` and
  ``textMention`` on for every channel by default; a custom ``$kind`` the user's settings
  do not name counts as on too (Liveblocks enables custom kinds per channel in its
  dashboard, which the emulator does not have: every kind exists here).

``triggeredAt`` is the notification's ``notifiedAt``, ``createdAt`` the time of the event
(so ``createdAt`` ≥ ``triggeredAt``, as the SDK's own test data has them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from .clock import Clock, format_ms
from .inbox import InboxNotification, InboxNotificationNotFound, InboxStore
from .notification_settings import CHANNELS, NotificationSettingsStore

# Liveblocks' default delay (webhook-events.mdx: "30 minutes after an activity occurs").
DEFAULT_NOTIFICATION_DELAY_SECONDS = 1800.0

Emit = Callable[[str, dict[str, Any]], None]


class Cancellable(Protocol):
    def cancel(self) -> None: ...


CallLater = Callable[[float, Callable[[], None]], Cancellable]


class NotificationWebhooks:
    """Schedules and emits ``notification`` events; a store of the state (reset clears it)."""

    def __init__(self, inbox: InboxStore, settings: NotificationSettingsStore, clock: Clock,
                 call_later: CallLater, emit: Emit, delay_seconds: float) -> None:
        self._inbox = inbox
        self._settings = settings
        self._clock = clock
        self._call_later = call_later
        self._emit = emit
        self.delay_seconds = delay_seconds
        self._waiting: dict[str, Cancellable] = {}  # inbox notification id -> its check
        inbox.on_notified.append(self._notified)

    def clear(self) -> None:
        """Nothing waiting any more (the emulator's reset)."""
        for timer in self._waiting.values():
            timer.cancel()
        self._waiting.clear()

    def _notified(self, notification: InboxNotification) -> None:
        if notification.id in self._waiting:
            return  # its check is coming: one event per delay window
        notification_id = notification.id
        try:
            timer = self._call_later(self.delay_seconds, lambda: self._fire(notification_id))
        except RuntimeError:
            # No loop runs: fixtures being loaded (they send no webhooks) or a state
            # driven without serving it.
            return
        self._waiting[notification_id] = timer

    def _fire(self, notification_id: str) -> None:
        if self._waiting.pop(notification_id, None) is None:
            return  # cleared meanwhile
        found = self._find(notification_id)
        if found is None or not found.unread:
            return
        channels = self._settings.channels(found.user_id)
        for channel in CHANNELS:
            if channels.get(channel, {}).get(found.kind, found.kind.startswith("$")):
                self._emit("notification", notification_data(found, channel, self._clock()))

    def _find(self, notification_id: str) -> InboxNotification | None:
        try:
            return self._inbox.find(notification_id)
        except InboxNotificationNotFound:
            return None


def notification_data(notification: InboxNotification, channel: str, now_ms: int
                      ) -> dict[str, Any]:
    """The event's ``data`` without ``projectId`` (the webhooks add it), per §2.3."""
    data: dict[str, Any] = {"channel": channel, "kind": notification.kind,
                            "roomId": notification.room_id, "userId": notification.user_id}
    if notification.kind == "thread":
        data["threadId"] = notification.thread_id
    elif notification.kind == "textMention":
        data["mentionId"] = notification.mention_id
    else:
        data["subjectId"] = notification.subject_id
    data["inboxNotificationId"] = notification.id
    data["createdAt"] = format_ms(now_ms)
    data["triggeredAt"] = format_ms(notification.notified_ms)
    return data
