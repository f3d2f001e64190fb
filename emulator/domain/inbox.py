"""Inbox notifications: per user, of three kinds (COMMENTS.md §4.4).

- ``thread``: one per (user, thread), updated in place as comments arrive;
- ``textMention``: a mention of the user in a text editor's document;
- custom (``$kind``): triggered by a backend (``POST /v2/inbox-notifications/trigger``),
  with a list of activities.

Unread means ``readAt`` is null or older than ``notifiedAt``. Deleted notifications
leave a tombstone, so that a client's delta (``since``) hears of the deletion. Every
change bumps the notification's ``changed_ms``, which deltas compare with ``since``.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, format_ms
from .errors import InvalidInput, NotFound
from .rooms import InvalidCursor, decode_cursor, encode_cursor

ID_ALPHABET = string.ascii_letters + string.digits + "_-"
MAX_KIND_LENGTH = 128
MAX_SUBJECT_ID_LENGTH = 256
MAX_ACTIVITY_FIELDS = 50
MAX_ACTIVITY_TEXT = 1_024
MAX_ACTIVITIES = 50  # batched notifications keep this many activities at most


def new_id(prefix: str) -> str:
    """``prefix_`` + 21 characters, as the client's createOptimisticId makes them."""
    return prefix + "_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(21))


class InboxNotificationNotFound(NotFound):
    default_code = "INBOX_NOTIFICATION_NOT_FOUND"


@dataclass(slots=True)
class Activity:
    id: str
    created_ms: int
    data: dict[str, str | int | float | bool]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "createdAt": format_ms(self.created_ms), "data": self.data}


@dataclass(slots=True)
class InboxNotification:
    id: str
    user_id: str
    kind: str
    room_id: str | None
    organization_id: str
    notified_ms: int
    sequence: int
    changed_ms: int
    read_ms: int | None = None
    thread_id: str | None = None  # kind "thread"
    created_by: str | None = None  # kind "textMention"
    mention_id: str | None = None
    mention: dict[str, str] | None = None
    subject_id: str | None = None  # custom kinds
    activities: list[Activity] = field(default_factory=list)

    @property
    def unread(self) -> bool:
        return self.read_ms is None or self.read_ms < self.notified_ms

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.room_id is not None or self.kind in ("thread", "textMention"):
            body["roomId"] = self.room_id
        if self.kind == "thread":
            body["threadId"] = self.thread_id
        elif self.kind == "textMention":
            body.update(createdBy=self.created_by, mentionId=self.mention_id,
                        mention=self.mention)
        else:
            body["subjectId"] = self.subject_id
            body["activities"] = [activity.to_json() for activity in self.activities]
        body["notifiedAt"] = format_ms(self.notified_ms)
        body["readAt"] = None if self.read_ms is None else format_ms(self.read_ms)
        body["organizationId"] = self.organization_id
        return body


@dataclass(slots=True, frozen=True)
class Tombstone:
    id: str
    user_id: str
    room_id: str | None
    deleted_ms: int

    def to_json(self) -> dict[str, Any]:
        return {"type": "deletedInboxNotification", "id": self.id, "roomId": self.room_id,
                "deletedAt": format_ms(self.deleted_ms)}


def check_custom_kind(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("$") or len(value) < 2:
        raise InvalidInput(
            f"kind must be a custom kind starting with '$' (e.g. '$fileUploaded'), got {value!r}")
    if len(value) > MAX_KIND_LENGTH:
        raise InvalidInput(f"kind must be at most {MAX_KIND_LENGTH} characters")
    return value


def check_activity_data(value: Any) -> dict[str, str | int | float | bool]:
    if not isinstance(value, dict):
        raise InvalidInput(f"activityData must be an object, got {value!r}")
    if len(value) > MAX_ACTIVITY_FIELDS:
        raise InvalidInput(f"activityData may hold at most {MAX_ACTIVITY_FIELDS} fields")
    for key, item in value.items():
        if not isinstance(item, str | int | float | bool):
            raise InvalidInput(
                f"activityData.{key} must be a string, a number or a boolean, got {item!r}")
        if isinstance(item, str) and len(item) > MAX_ACTIVITY_TEXT:
            raise InvalidInput(
                f"activityData.{key} must be at most {MAX_ACTIVITY_TEXT} characters")
    return dict(value)


class InboxStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._by_user: dict[str, dict[str, InboxNotification]] = {}
        self._by_id: dict[str, InboxNotification] = {}
        self._tombstones: list[Tombstone] = []
        self._sequence = 0
        # Told of every notification made or brought forward unread (webhooks' `notification`
        # events wait for it); kept across clear(), like a subscription.
        self.on_notified: list[Callable[[InboxNotification], None]] = []

    def __iter__(self) -> Iterator[InboxNotification]:
        return iter(self._by_id.values())

    def clear(self) -> None:
        self._by_user.clear()
        self._by_id.clear()
        self._tombstones.clear()

    # ------------------------------------------------------------ reading

    def of_user(self, user_id: str) -> list[InboxNotification]:
        """A user's notifications, the most recently notified first."""
        found = self._by_user.get(user_id, {}).values()
        return sorted(found, key=lambda n: (n.notified_ms, n.sequence), reverse=True)

    def get(self, user_id: str, notification_id: str) -> InboxNotification:
        found = self._by_user.get(user_id, {}).get(notification_id)
        if found is None:
            raise InboxNotificationNotFound(
                f"Inbox notification '{notification_id}' of user '{user_id}' was not found")
        return found

    def find(self, notification_id: str) -> InboxNotification:
        found = self._by_id.get(notification_id)
        if found is None:
            raise InboxNotificationNotFound(
                f"Inbox notification '{notification_id}' was not found")
        return found

    def page(self, user_id: str, *, limit: int, starting_after: str | None,
             keep: Callable[[InboxNotification], bool] = lambda n: True
             ) -> tuple[list[InboxNotification], str | None]:
        """Newest first; the cursor names the last one handed out by its sequence number."""
        chosen = [n for n in self.of_user(user_id) if keep(n)]
        if starting_after is not None:
            after = decode_cursor(starting_after)
            index = next((i for i, n in enumerate(chosen) if n.sequence == after), None)
            if index is None:
                raise InvalidCursor(f"startingAfter {starting_after!r} is not a cursor of "
                                    "this list (use nextCursor)")
            chosen = chosen[index + 1:]
        more = len(chosen) > limit
        chosen = chosen[:limit]
        return chosen, encode_cursor(chosen[-1].sequence) if more else None

    def changed_since(self, user_id: str, since_ms: int
                      ) -> tuple[list[InboxNotification], list[Tombstone]]:
        changed = [n for n in self.of_user(user_id) if n.changed_ms > since_ms]
        deleted = [t for t in self._tombstones
                   if t.user_id == user_id and t.deleted_ms > since_ms]
        return changed, deleted

    def unread_count(self, user_id: str) -> int:
        return sum(1 for n in self._by_user.get(user_id, {}).values() if n.unread)

    # ------------------------------------------------------------ changing

    def _notified(self, notification: InboxNotification) -> InboxNotification:
        for listener in tuple(self.on_notified):
            listener(notification)
        return notification

    def _add(self, notification: InboxNotification) -> InboxNotification:
        self._by_user.setdefault(notification.user_id, {})[notification.id] = notification
        self._by_id[notification.id] = notification
        return notification

    def _new(self, user_id: str, kind: str, room_id: str | None, organization_id: str,
             **fields: Any) -> InboxNotification:
        now = self._clock()
        self._sequence += 1
        return self._add(InboxNotification(
            new_id("in"), user_id, kind, room_id, organization_id, now, self._sequence, now,
            **fields))

    def trigger(self, user_id: str, kind: str, subject_id: str,
                data: dict[str, str | int | float | bool], *, room_id: str | None,
                organization_id: str) -> InboxNotification:
        """A custom notification with one activity (batching is off, as by default)."""
        activity = Activity(new_id("ac"), self._clock(), data)
        return self._notified(self._new(user_id, kind, room_id, organization_id,
                                        subject_id=subject_id, activities=[activity]))

    def notify_thread(self, user_id: str, room_id: str, thread_id: str, organization_id: str,
                      *, at_ms: int, read: bool = False) -> InboxNotification:
        """The (user, thread) notification, made or brought forward to ``at_ms``; ``read``
        for the author's own activity (it stays read)."""
        existing = next((n for n in self._by_user.get(user_id, {}).values()
                         if n.kind == "thread" and n.thread_id == thread_id), None)
        if existing is None:
            existing = self._new(user_id, "thread", room_id, organization_id,
                                 thread_id=thread_id)
        existing.notified_ms = at_ms
        if read:
            existing.read_ms = at_ms
        existing.changed_ms = self._clock()
        return self._notified(existing) if existing.unread else existing

    def text_mention(self, user_id: str, room_id: str, organization_id: str, *,
                     created_by: str, mention_id: str, mention: dict[str, str]
                     ) -> InboxNotification:
        return self._notified(self._new(user_id, "textMention", room_id, organization_id,
                                        created_by=created_by, mention_id=mention_id,
                                        mention=mention))

    def mark_read(self, notifications: list[InboxNotification]) -> None:
        now = self._clock()
        for notification in notifications:
            notification.read_ms = now
            notification.changed_ms = now

    def delete(self, notifications: list[InboxNotification]) -> None:
        now = self._clock()
        for notification in notifications:
            self._by_user.get(notification.user_id, {}).pop(notification.id, None)
            self._by_id.pop(notification.id, None)
            self._tombstones.append(Tombstone(notification.id, notification.user_id,
                                              notification.room_id, now))

    def where(self, *, room_id: str | None = None, thread_id: str | None = None,
              mention_id: str | None = None) -> list[InboxNotification]:
        """Every notification about a room, a thread or a text mention."""
        return [n for n in self._by_id.values()
                if (room_id is None or n.room_id == room_id)
                and (thread_id is None or n.thread_id == thread_id)
                and (mention_id is None or n.mention_id == mention_id)]

    def rename_room(self, room_id: str, new_id: str) -> None:
        for notification in self.where(room_id=room_id):
            notification.room_id = new_id
