"""Inbox notifications: per user, of three kinds (COMMENTS.md §4.4).

- ``thread``: one per (user, thread), updated in place as comments arrive;
- ``textMention``: a mention of the user in a text editor's document;
- custom (``$kind``): triggered by a backend (``POST /v2/inbox-notifications/trigger``),
  with a list of activities.

Unread means ``readAt`` is null or older than ``notifiedAt``. Deleted notifications
leave a tombstone, so that a client's delta (``since``) hears of the deletion. Every
change bumps the notification's ``changed_ms``, which deltas compare with ``since``.

Reads are indexed per user (an order by ``notifiedAt``, a change log, the unread set, the
notification of each thread), so a page, a delta or a count costs what it returns, not
what the inbox holds. Every change goes through the store's methods, which keep them.
The store takes part in the incremental reset: it notes which users changed and puts
back only their part of the baseline.
"""

from __future__ import annotations

import secrets
import string
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
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


class _UserInbox:
    """One user's notifications with the indexes the inbox reads by."""

    __slots__ = (
        "by_id",
        "by_sequence",
        "changes",
        "order",
        "threads",
        "tombstones",
        "unread",
    )

    def __init__(self) -> None:
        self.by_id: dict[str, InboxNotification] = {}
        # (notified_ms, sequence) ascending: a page walks it from the end.
        self.order: list[tuple[int, int]] = []
        self.by_sequence: dict[int, InboxNotification] = {}
        # Ids by last change, oldest first: a delta walks it from the end.
        self.changes: dict[str, InboxNotification] = {}
        self.unread: set[str] = set()
        self.threads: dict[str, InboxNotification] = {}  # thread id -> its notification
        self.tombstones: list[Tombstone] = []

    def add(self, n: InboxNotification) -> None:
        self.by_id[n.id] = n
        insort(self.order, (n.notified_ms, n.sequence))
        self.by_sequence[n.sequence] = n
        self.changes[n.id] = n
        if n.unread:
            self.unread.add(n.id)
        if n.kind == "thread" and n.thread_id is not None:
            self.threads[n.thread_id] = n

    def remove(self, n: InboxNotification) -> None:
        del self.by_id[n.id]
        self._unorder(n)
        del self.by_sequence[n.sequence]
        self.changes.pop(n.id, None)
        self.unread.discard(n.id)
        if n.kind == "thread" and n.thread_id is not None:
            self.threads.pop(n.thread_id, None)

    def _unorder(self, n: InboxNotification) -> None:
        key = (n.notified_ms, n.sequence)
        index = bisect_left(self.order, key)
        if index < len(self.order) and self.order[index] == key:
            del self.order[index]

    def update(self, n: InboxNotification, notified_ms: int, read_ms: int | None,
               changed_ms: int) -> None:
        if notified_ms != n.notified_ms:
            self._unorder(n)
            n.notified_ms = notified_ms
            insort(self.order, (notified_ms, n.sequence))
        n.read_ms = read_ms
        n.changed_ms = changed_ms
        changes = self.changes
        del changes[n.id]
        changes[n.id] = n
        if read_ms is None or read_ms < notified_ms:
            self.unread.add(n.id)
        else:
            self.unread.discard(n.id)

    def newest_first(self, before: tuple[int, int] | None = None
                     ) -> Iterator[InboxNotification]:
        end = len(self.order) if before is None else bisect_left(self.order, before)
        for index in range(end - 1, -1, -1):
            yield self.by_sequence[self.order[index][1]]


def _copy(n: InboxNotification) -> InboxNotification:
    return replace(n, mention=None if n.mention is None else dict(n.mention),
                   activities=[Activity(a.id, a.created_ms, dict(a.data))
                               for a in n.activities])


class InboxStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._users: dict[str, _UserInbox] = {}
        self._by_id: dict[str, InboxNotification] = {}
        # thread id -> user -> notification; mention id -> notification id -> notification
        self._by_thread: dict[str, dict[str, InboxNotification]] = {}
        self._by_mention: dict[str, dict[str, InboxNotification]] = {}
        self._sequence = 0
        # Incremental reset: the baseline per user, and the users changed since.
        self._baseline: dict[str, list[InboxNotification]] = {}
        self._touched: set[str] = set()
        # Told of every notification made or brought forward unread (webhooks' `notification`
        # events wait for it); kept across clear(), like a subscription.
        self.on_notified: list[Callable[[InboxNotification], None]] = []

    def __iter__(self) -> Iterator[InboxNotification]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def clear(self) -> None:
        self._touched |= set(self._users) | set(self._baseline)
        self._users.clear()
        self._by_id.clear()
        self._by_thread.clear()
        self._by_mention.clear()

    # ------------------------------------------------------------ reset

    def mark_baseline(self) -> None:
        self._baseline = {user: [_copy(n) for n in held.by_id.values()]
                          for user, held in self._users.items() if held.by_id}
        self._touched = set()

    def restore_baseline(self) -> None:
        for user in self._touched:
            held = self._users.pop(user, None)
            if held is not None:
                for n in list(held.by_id.values()):
                    self._unindex(n)
            for n in self._baseline.get(user, ()):
                self._add(_copy(n))
        self._touched = set()

    def load(self, notifications: Iterable[InboxNotification]) -> None:
        """Put notifications read from a fixture in (ids must be new: fixtures check)."""
        for n in notifications:
            self._sequence += 1
            n.sequence = self._sequence
            self._add(n)

    def has(self, notification_id: str) -> bool:
        return notification_id in self._by_id

    # ------------------------------------------------------------ reading

    def of_user(self, user_id: str) -> list[InboxNotification]:
        """A user's notifications, the most recently notified first."""
        held = self._users.get(user_id)
        return [] if held is None else list(held.newest_first())

    def users(self) -> list[str]:
        return [user for user, held in self._users.items() if held.by_id]

    def get(self, user_id: str, notification_id: str) -> InboxNotification:
        held = self._users.get(user_id)
        found = None if held is None else held.by_id.get(notification_id)
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
        held = self._users.get(user_id)
        before: tuple[int, int] | None = None
        if starting_after is not None:
            after = decode_cursor(starting_after)
            last = None if held is None else held.by_sequence.get(after)
            if last is None:
                raise InvalidCursor(f"startingAfter {starting_after!r} is not a cursor of "
                                    "this list (use nextCursor)")
            before = (last.notified_ms, last.sequence)
        if held is None:
            return [], None
        chosen: list[InboxNotification] = []
        for n in held.newest_first(before):
            if keep(n):
                if len(chosen) == limit:
                    return chosen, encode_cursor(chosen[-1].sequence)
                chosen.append(n)
        return chosen, None

    def changed_since(self, user_id: str, since_ms: int
                      ) -> tuple[list[InboxNotification], list[Tombstone]]:
        """What changed at or after ``since_ms`` (the last change first), and what went."""
        held = self._users.get(user_id)
        if held is None:
            return [], []
        changed: list[InboxNotification] = []
        for n in reversed(held.changes.values()):
            if n.changed_ms < since_ms:
                break
            changed.append(n)
        deleted: list[Tombstone] = []
        for tombstone in reversed(held.tombstones):
            if tombstone.deleted_ms < since_ms:
                break
            deleted.append(tombstone)
        return changed, deleted

    def unread_count(self, user_id: str) -> int:
        held = self._users.get(user_id)
        return 0 if held is None else len(held.unread)

    def unread_of(self, user_id: str) -> list[InboxNotification]:
        held = self._users.get(user_id)
        return [] if held is None else [held.by_id[i] for i in held.unread]

    def of_thread(self, thread_id: str, room_id: str | None = None
                  ) -> list[InboxNotification]:
        """The ``thread`` notifications of every user about a thread."""
        found = self._by_thread.get(thread_id, {}).values()
        return [n for n in found if room_id is None or n.room_id == room_id]

    def thread_notification(self, user_id: str, thread_id: str) -> InboxNotification | None:
        held = self._users.get(user_id)
        return None if held is None else held.threads.get(thread_id)

    def of_mention(self, mention_id: str, room_id: str | None = None
                   ) -> list[InboxNotification]:
        found = self._by_mention.get(mention_id, {}).values()
        return [n for n in found if room_id is None or n.room_id == room_id]

    # ------------------------------------------------------------ changing

    def _notified(self, notification: InboxNotification) -> InboxNotification:
        for listener in tuple(self.on_notified):
            listener(notification)
        return notification

    def _add(self, notification: InboxNotification) -> InboxNotification:
        held = self._users.get(notification.user_id)
        if held is None:
            held = self._users[notification.user_id] = _UserInbox()
        held.add(notification)
        self._by_id[notification.id] = notification
        if notification.thread_id is not None:
            self._by_thread.setdefault(notification.thread_id, {})[
                notification.user_id] = notification
        if notification.mention_id is not None:
            self._by_mention.setdefault(notification.mention_id, {})[
                notification.id] = notification
        self._touched.add(notification.user_id)
        return notification

    def _unindex(self, n: InboxNotification) -> None:
        self._by_id.pop(n.id, None)
        if n.thread_id is not None:
            users = self._by_thread.get(n.thread_id)
            if users is not None and users.get(n.user_id) is n:
                del users[n.user_id]
                if not users:
                    del self._by_thread[n.thread_id]
        if n.mention_id is not None:
            mentions = self._by_mention.get(n.mention_id)
            if mentions is not None:
                mentions.pop(n.id, None)
                if not mentions:
                    del self._by_mention[n.mention_id]

    def _new(self, user_id: str, kind: str, room_id: str | None, organization_id: str,
             *, at_ms: int | None = None, **fields: Any) -> InboxNotification:
        now = self._clock()
        self._sequence += 1
        return self._add(InboxNotification(
            new_id("in"), user_id, kind, room_id, organization_id,
            now if at_ms is None else at_ms, self._sequence, now, **fields))

    def _update(self, n: InboxNotification, *, notified_ms: int, read_ms: int | None) -> None:
        self._users[n.user_id].update(n, notified_ms, read_ms, self._clock())
        self._touched.add(n.user_id)

    def trigger(self, user_id: str, kind: str, subject_id: str,
                data: dict[str, str | int | float | bool], *, room_id: str | None,
                organization_id: str) -> InboxNotification:
        """A custom notification with one activity (batching is off, as by default)."""
        activity = Activity(new_id("ac"), self._clock(), data)
        return self._notified(self._new(user_id, kind, room_id, organization_id,
                                        subject_id=subject_id, activities=[activity]))

    def notify_thread(self, user_id: str, room_id: str, thread_id: str, organization_id: str,
                      *, at_ms: int, read: bool = False) -> InboxNotification:
        """The (user, thread) notification, made or brought forward to ``at_ms`` (never
        back: ``notifiedAt`` stays at the newest comment that caused it), which makes it
        unread again unless ``read`` (the user's own comment: it is read up to there)."""
        existing = self.thread_notification(user_id, thread_id)
        made = existing is None
        if existing is None:
            existing = self._new(user_id, "thread", room_id, organization_id,
                                 at_ms=at_ms, thread_id=thread_id)
        notified = max(existing.notified_ms, at_ms)
        brought_forward = made or notified != existing.notified_ms
        self._update(existing, notified_ms=notified,
                     read_ms=notified if read else existing.read_ms)
        return self._notified(existing) if brought_forward and existing.unread else existing

    def notify_thread_users(self, user_ids: Iterable[str], room_id: str, thread_id: str,
                            organization_id: str, *, at_ms: int) -> list[InboxNotification]:
        """``notify_thread`` for many users at once (a comment's fan-out): one clock read,
        the per-user work inlined."""
        now = self._clock()
        users = self._users
        touched = self._touched
        notified: list[InboxNotification] = []
        told: list[InboxNotification] = []  # made, or brought forward unread
        for user_id in user_ids:
            held = users.get(user_id)
            existing = None if held is None else held.threads.get(thread_id)
            if held is None or existing is None:
                existing = self._new(user_id, "thread", room_id, organization_id,
                                     at_ms=at_ms, thread_id=thread_id)
                told.append(existing)
            elif existing.notified_ms < at_ms:
                # held.update(existing, at_ms, existing.read_ms, now), inlined: the hot path.
                order = held.order
                sequence = existing.sequence
                index = bisect_left(order, (existing.notified_ms, sequence))
                del order[index]
                key = (at_ms, sequence)
                if not order or order[-1] < key:
                    order.append(key)
                else:
                    insort(order, key)
                existing.notified_ms = at_ms
                existing.changed_ms = now
                changes = held.changes
                del changes[existing.id]
                changes[existing.id] = existing
                read = existing.read_ms
                if read is None or read < at_ms:
                    held.unread.add(existing.id)
                    told.append(existing)
                touched.add(user_id)
            notified.append(existing)
        if self.on_notified:
            for notification in told:
                self._notified(notification)
        return notified

    def text_mention(self, user_id: str, room_id: str, organization_id: str, *,
                     created_by: str, mention_id: str, mention: dict[str, Any]
                     ) -> InboxNotification:
        """The user's notification of a text mention: one per (user, mention), brought
        forward and unread again when the editor reports the mention again."""
        for existing in self.of_mention(mention_id, room_id):
            if existing.user_id == user_id:
                existing.mention = mention
                existing.created_by = created_by
                self._update(existing, notified_ms=max(self._clock(), existing.notified_ms),
                             read_ms=existing.read_ms)
                return self._notified(existing) if existing.unread else existing
        return self._notified(self._new(user_id, "textMention", room_id, organization_id,
                                        created_by=created_by, mention_id=mention_id,
                                        mention=mention))

    def mark_read(self, notifications: Iterable[InboxNotification]) -> None:
        """Read now, or up to ``notifiedAt`` when a back-dated (future) comment put it
        later: a notification marked read is read."""
        now = self._clock()
        for notification in list(notifications):
            self._update(notification, notified_ms=notification.notified_ms,
                         read_ms=max(now, notification.notified_ms))

    def delete(self, notifications: Iterable[InboxNotification]) -> None:
        now = self._clock()
        for notification in list(notifications):
            held = self._users.get(notification.user_id)
            if held is None or notification.id not in held.by_id:
                continue
            held.remove(notification)
            self._unindex(notification)
            held.tombstones.append(Tombstone(notification.id, notification.user_id,
                                             notification.room_id, now))
            self._touched.add(notification.user_id)

    def where(self, *, room_id: str | None = None, thread_id: str | None = None,
              mention_id: str | None = None) -> list[InboxNotification]:
        """Every notification about a room, a thread or a text mention."""
        if thread_id is not None:
            found: Iterable[InboxNotification] = self._by_thread.get(thread_id, {}).values()
        elif mention_id is not None:
            found = self._by_mention.get(mention_id, {}).values()
        else:
            found = self._by_id.values()
        return [n for n in found
                if (room_id is None or n.room_id == room_id)
                and (thread_id is None or n.thread_id == thread_id)
                and (mention_id is None or n.mention_id == mention_id)]

    def rename_room(self, room_id: str, new_id: str) -> None:
        for notification in self.where(room_id=room_id):
            notification.room_id = new_id
            self._touched.add(notification.user_id)
