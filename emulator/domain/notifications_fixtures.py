"""Groups, notification settings, room subscription settings and inbox notifications in
fixtures and snapshots (top-level fields of a fixture document)::

    {"groups": [{"id": "eng", "members": [{"id": "ann"}], "scopes": {"mention": true}}],
     "notificationSettings": {"ann": {"email": {"thread": false}}},
     "roomSubscriptionSettings": [{"roomId": "r", "userId": "ann", "threads": "all"}],
     "inboxNotifications": [{"userId": "ann", "kind": "thread", "roomId": "r",
                             "threadId": "th_…", "notifiedAt": "…", "readAt": null}],
     "generateNotifications": true}

Entries are what the API answers (a notification adds its ``userId``). Loading fixture
threads notifies nobody, unless the document says ``generateNotifications: true``: then
every comment of its rooms' threads is replayed through the rules of
``thread_notifications`` (oldest first), as if it had just been posted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .comments_fixtures import SeedError, checked, seed_time
from .groups import DEFAULT_ORGANIZATION, MAX_GROUP_ID_LENGTH, Group
from .inbox import (
    MAX_ACTIVITIES,
    MAX_SUBJECT_ID_LENGTH,
    Activity,
    InboxNotification,
    check_activity_data,
    check_custom_kind,
    new_id,
)
from .notification_settings import (
    ChannelSettings,
    check_channel_update,
    check_room_settings_update,
)
from .rooms import Room
from .thread_notifications import ThreadNotifier

FIELDS = frozenset({"groups", "inboxNotifications", "notificationSettings",
                    "roomSubscriptionSettings", "generateNotifications"})


@dataclass(slots=True)
class NotificationsSeed:
    """Checked entries (kept as plain values: records are made per load)."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, ChannelSettings] = field(default_factory=dict)
    room_settings: list[tuple[str, str, dict[str, str], str]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    generate: bool = False


def _string(entry: dict[str, Any], key: str, where: str, *, limit: int = 256) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise SeedError(f"{where}.{key}", f"{key} must be a string of 1 to {limit} characters")
    return value


GROUP_FIELDS = frozenset({"id", "organizationId", "createdAt", "updatedAt", "scopes",
                          "members", "memberIds", "type"})
NOTIFICATION_FIELDS = frozenset({
    "userId", "id", "kind", "roomId", "threadId", "createdBy", "mentionId", "mention",
    "subjectId", "activities", "notifiedAt", "readAt", "organizationId"})
ROOM_SETTINGS_FIELDS = frozenset({"roomId", "userId", "threads", "textMentions"})


def _known(entry: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    for key in entry:
        if key not in allowed:
            raise SeedError(f"{where}.{key}", f"unknown field {key!r}; allowed fields are "
                            f"{', '.join(sorted(allowed))}")


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SeedError(where, "must be an array of objects")
    return value


def parse_notifications(data: dict[str, Any], now_ms: int) -> NotificationsSeed | None:
    if not any(key in data for key in FIELDS):
        return None
    seed = NotificationsSeed()
    generate = data.get("generateNotifications", False)
    if not isinstance(generate, bool):
        raise SeedError("generateNotifications", "must be a boolean")
    seed.generate = generate
    for index, entry in enumerate(_objects(data.get("groups"), "groups")):
        seed.groups.append(_parse_group(entry, f"groups[{index}]", now_ms))
    ids = [g["id"] for g in seed.groups]
    if len(set(ids)) != len(ids):
        raise SeedError("groups", "a group id is defined twice")
    settings = data.get("notificationSettings") or {}
    if not isinstance(settings, dict):
        raise SeedError("notificationSettings", "must be an object: user id -> settings")
    for user, channels in settings.items():
        seed.settings[user] = checked(f"notificationSettings.{user}", check_channel_update,
                                       channels)
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(_objects(data.get("roomSubscriptionSettings"),
                                           "roomSubscriptionSettings")):
        where = f"roomSubscriptionSettings[{index}]"
        _known(entry, ROOM_SETTINGS_FIELDS, where)
        room_id, user_id = _string(entry, "roomId", where), _string(entry, "userId", where)
        if (room_id, user_id) in seen:
            raise SeedError(where, f"settings of '{user_id}' in '{room_id}' are given twice")
        seen.add((room_id, user_id))
        rest = {k: v for k, v in entry.items() if k not in ("roomId", "userId")}
        seed.room_settings.append((room_id, user_id, checked(
            where, check_room_settings_update, rest), where))
    for index, entry in enumerate(_objects(data.get("inboxNotifications"),
                                           "inboxNotifications")):
        seed.notifications.append(_parse_notification(entry, f"inboxNotifications[{index}]",
                                                      now_ms))
    ids = [n["id"] for n in seed.notifications]
    if len(set(ids)) != len(ids):
        raise SeedError("inboxNotifications", "a notification id is given twice")
    return seed


def _parse_group(entry: dict[str, Any], where: str, now_ms: int) -> dict[str, Any]:
    _known(entry, GROUP_FIELDS, where)
    created = seed_time(entry, "createdAt", where, now_ms)
    assert created is not None
    members: dict[str, int] = {}
    for i, member in enumerate(_objects(entry.get("members"), f"{where}.members")):
        user = _string(member, "id", f"{where}.members[{i}]")
        added = seed_time(member, "addedAt", f"{where}.members[{i}]", created)
        assert added is not None
        members[user] = added
    listed = entry.get("memberIds") or []
    if not isinstance(listed, list) or not all(isinstance(u, str) and u for u in listed):
        raise SeedError(f"{where}.memberIds", "must be an array of user ids")
    for user in listed:
        members.setdefault(user, created)
    scopes = entry.get("scopes") or {}
    mention = scopes.get("mention", True) if isinstance(scopes, dict) else None
    if not isinstance(mention, bool):
        raise SeedError(f"{where}.scopes", "scopes must be {mention: boolean}")
    organization = entry.get("organizationId") or DEFAULT_ORGANIZATION
    if not isinstance(organization, str):
        raise SeedError(f"{where}.organizationId", "must be a string")
    return {"id": _string(entry, "id", where, limit=MAX_GROUP_ID_LENGTH),
            "organizationId": organization, "createdMs": created,
            "updatedMs": seed_time(entry, "updatedAt", where, created), "mention": mention,
            "members": members}


def _parse_notification(entry: dict[str, Any], where: str, now_ms: int) -> dict[str, Any]:
    _known(entry, NOTIFICATION_FIELDS, where)
    kind = entry.get("kind")
    parsed: dict[str, Any] = {
        "id": entry.get("id") or new_id("in"),
        "userId": _string(entry, "userId", where),
        "kind": kind,
        "roomId": None,
        "notifiedMs": seed_time(entry, "notifiedAt", where, now_ms),
        "readMs": None if entry.get("readAt") is None else seed_time(entry, "readAt", where),
        "organizationId": entry.get("organizationId") or DEFAULT_ORGANIZATION,
    }
    if not isinstance(parsed["id"], str) or not parsed["id"].startswith("in_"):
        raise SeedError(f"{where}.id", "id must be a string starting with 'in_'")
    if not isinstance(parsed["organizationId"], str):
        raise SeedError(f"{where}.organizationId", "must be a string")
    if kind in ("thread", "textMention") or entry.get("roomId") is not None:
        parsed["roomId"] = _string(entry, "roomId", where)
    if kind == "thread":
        parsed["threadId"] = _string(entry, "threadId", where)
    elif kind == "textMention":
        parsed["createdBy"] = _string(entry, "createdBy", where)
        parsed["mentionId"] = _string(entry, "mentionId", where)
        mention = entry.get("mention")
        user_ids = mention.get("userIds", []) if isinstance(mention, dict) else None
        if not (isinstance(mention, dict) and mention.get("kind") in ("user", "group")
                and isinstance(mention.get("id"), str) and isinstance(user_ids, list)
                and all(isinstance(u, str) for u in user_ids)):
            raise SeedError(f"{where}.mention",
                            "mention must be {kind: user|group, id, userIds?: [string]}")
        parsed["mention"] = dict(mention)
    else:
        checked(f"{where}.kind", check_custom_kind, kind)
        parsed["subjectId"] = _string(entry, "subjectId", where, limit=MAX_SUBJECT_ID_LENGTH)
        activities = _objects(entry.get("activities"), f"{where}.activities")
        if not 0 < len(activities) <= MAX_ACTIVITIES:
            raise SeedError(f"{where}.activities", f"give 1 to {MAX_ACTIVITIES} activities")
        if not all(isinstance(a.get("id", ""), str) for a in activities):
            raise SeedError(f"{where}.activities", "an activity id must be a string")
        parsed["activities"] = [
            (a.get("id") or new_id("ac"),
             seed_time(a, "createdAt", f"{where}.activities[{i}]", parsed["notifiedMs"]),
             checked(f"{where}.activities[{i}].data", check_activity_data, a.get("data")))
            for i, a in enumerate(activities)]
    return parsed


def check_notifications(seed: NotificationsSeed, notifier: ThreadNotifier,
                        room_exists: Callable[[str], bool]) -> None:
    """What the current state must allow before anything is loaded (SeedError)."""
    for index, group in enumerate(seed.groups):
        if notifier.groups.find(group["id"]) is not None:
            raise SeedError(f"groups[{index}].id", f"group '{group['id']}' already exists")
    for room_id, _, _, where in seed.room_settings:
        if not room_exists(room_id):
            raise SeedError(f"{where}.roomId", f"room '{room_id}' is not defined")
    for index, entry in enumerate(seed.notifications):
        where = f"inboxNotifications[{index}]"
        if notifier.inbox.has(entry["id"]):
            raise SeedError(f"{where}.id", f"notification '{entry['id']}' already exists")
        if entry["roomId"] is not None and not room_exists(entry["roomId"]):
            raise SeedError(f"{where}.roomId", f"room '{entry['roomId']}' is not defined")


def load_notifications(seed: NotificationsSeed, notifier: ThreadNotifier) -> None:
    """Fresh records for the seed's entries (nothing is shared with it)."""
    for g in seed.groups:
        notifier.groups.restore(Group(g["id"], g["organizationId"], g["createdMs"],
                                      g["updatedMs"], 0, g["mention"], dict(g["members"])))
    for user, channels in seed.settings.items():
        notifier.settings.update_channels(user, channels)
    for room_id, user_id, settings, _ in seed.room_settings:
        notifier.settings.update_room(room_id, user_id, settings)
    notifier.inbox.load(_notification(entry) for entry in seed.notifications)


def _notification(entry: dict[str, Any]) -> InboxNotification:
    return InboxNotification(
        entry["id"], entry["userId"], entry["kind"], entry["roomId"], entry["organizationId"],
        entry["notifiedMs"], 0, entry["notifiedMs"], entry["readMs"],
        thread_id=entry.get("threadId"), created_by=entry.get("createdBy"),
        mention_id=entry.get("mentionId"),
        mention=None if entry.get("mention") is None else dict(entry["mention"]),
        subject_id=entry.get("subjectId"),
        activities=[Activity(a_id, at, dict(data))
                    for a_id, at, data in entry.get("activities", ())])


def generate_from_threads(notifier: ThreadNotifier, rooms: list[Room]) -> None:
    """Replay the rooms' fixture comments through the notification rules, oldest first."""
    for room in rooms:
        for thread in notifier.comments.threads(room):
            notifier.thread_created(room, thread)
            for comment in sorted(thread.live_comments, key=lambda c: c.created_ms):
                notifier.comment_created(room, thread, comment)


def dump_notifications(notifier: ThreadNotifier) -> dict[str, Any]:
    """The state's groups, settings and notifications as fixture fields (empty: none)."""
    fields: dict[str, Any] = {}
    groups = [{k: v for k, v in g.to_json().items() if k != "type"} for g in notifier.groups]
    if groups:
        fields["groups"] = groups
    settings = dict(notifier.settings.users_with_channel_settings())
    if settings:
        fields["notificationSettings"] = settings
    rooms = [{"roomId": s.room_id, "userId": s.user_id, **s.to_json()}
             for s in sorted(notifier.settings.all_room_settings(), key=lambda s: s.sequence)]
    if rooms:
        fields["roomSubscriptionSettings"] = rooms
    notifications = []
    for user in sorted(notifier.inbox.users()):
        for n in reversed(notifier.inbox.of_user(user)):
            entry = {"userId": user, **n.to_json()}
            if entry.get("roomId") is None:
                entry.pop("roomId", None)
            notifications.append(entry)
    if notifications:
        fields["inboxNotifications"] = notifications
    return fields

