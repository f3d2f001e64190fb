"""What a user wants to be told: notification settings per channel, and subscription
settings per room (COMMENTS.md §4.4, §4.6).

Channel settings: ``{email, slack, teams, webPush}``, each ``{kind: bool}`` for
``thread``, ``textMention`` and custom ``$kinds``. Which channels and kinds exist is
dashboard configuration on Liveblocks; here every channel exists with ``thread`` and
``textMention`` on, and a custom kind is known once a setting names it.

Room subscription settings: ``{threads: all | replies_and_mentions | none,
textMentions: mine | none}``, by default ``replies_and_mentions`` and ``mine``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from .errors import InvalidInput
from .paging import page
from .room_inputs import require_object

CHANNELS = ("email", "slack", "teams", "webPush")
BUILT_IN_KINDS = ("thread", "textMention")
THREADS = ("all", "replies_and_mentions", "none")
TEXT_MENTIONS = ("mine", "none")
DEFAULT_ROOM_SETTINGS = {"threads": "replies_and_mentions", "textMentions": "mine"}

ChannelSettings = dict[str, dict[str, bool]]


def default_channel_settings() -> ChannelSettings:
    return {channel: dict.fromkeys(BUILT_IN_KINDS, True) for channel in CHANNELS}


def check_channel_update(value: Any) -> ChannelSettings:
    body = require_object(value, "Request body")
    update: ChannelSettings = {}
    for channel, kinds in body.items():
        if channel not in CHANNELS:
            raise InvalidInput(f"Unknown channel {channel!r}; channels are {', '.join(CHANNELS)}")
        kinds = require_object(kinds, channel)
        for kind, enabled in kinds.items():
            if kind not in BUILT_IN_KINDS and not (kind.startswith("$") and len(kind) > 1):
                raise InvalidInput(
                    f"Unknown kind {kind!r} in {channel}: thread, textMention or a custom "
                    "kind starting with '$'")
            if not isinstance(enabled, bool):
                raise InvalidInput(f"{channel}.{kind} must be a boolean, got {enabled!r}")
        update[channel] = dict(kinds)
    return update


def check_room_settings_update(value: Any) -> dict[str, str]:
    body = require_object(value, "Request body")
    update: dict[str, str] = {}
    for name, allowed in (("threads", THREADS), ("textMentions", TEXT_MENTIONS)):
        if name in body:
            if body[name] not in allowed:
                raise InvalidInput(
                    f"{name} must be one of {', '.join(allowed)}, got {body[name]!r}")
            update[name] = body[name]
    return update


@dataclass(slots=True)
class RoomSettings:
    room_id: str
    user_id: str
    threads: str
    text_mentions: str
    sequence: int

    def to_json(self) -> dict[str, str]:
        return {"threads": self.threads, "textMentions": self.text_mentions}


class NotificationSettingsStore:
    """Channel settings by user and room settings by (room, user), indexed by room too
    (who in a room wants every thread). It takes part in the incremental reset: it notes
    which keys changed and puts back only those."""

    def __init__(self) -> None:
        self._channels: dict[str, ChannelSettings] = {}
        self._rooms: dict[tuple[str, str], RoomSettings] = {}  # (room, user)
        self._by_room: dict[str, dict[str, RoomSettings]] = {}  # room -> user -> settings
        self._sequence = 0
        self._baseline_channels: dict[str, ChannelSettings] = {}
        self._baseline_rooms: dict[tuple[str, str], RoomSettings] = {}
        self._touched_channels: set[str] = set()
        self._touched_rooms: set[tuple[str, str]] = set()

    def clear(self) -> None:
        self._touched_channels |= set(self._channels) | set(self._baseline_channels)
        self._touched_rooms |= set(self._rooms) | set(self._baseline_rooms)
        self._channels.clear()
        self._rooms.clear()
        self._by_room.clear()

    # ------------------------------------------------------------ reset

    def mark_baseline(self) -> None:
        self._baseline_channels = {u: _copy_channels(c) for u, c in self._channels.items()}
        self._baseline_rooms = {k: replace(s) for k, s in self._rooms.items()}
        self._touched_channels = set()
        self._touched_rooms = set()

    def restore_baseline(self) -> None:
        for user in self._touched_channels:
            saved = self._baseline_channels.get(user)
            if saved is None:
                self._channels.pop(user, None)
            else:
                self._channels[user] = _copy_channels(saved)
        for key in self._touched_rooms:
            self._drop_room_settings(key)
            saved_room = self._baseline_rooms.get(key)
            if saved_room is not None:
                self._put_room_settings(replace(saved_room))
        self._touched_channels = set()
        self._touched_rooms = set()

    # ------------------------------------------------------------ channels

    def channels(self, user_id: str) -> ChannelSettings:
        return self._channels.get(user_id) or default_channel_settings()

    def update_channels(self, user_id: str, update: ChannelSettings) -> ChannelSettings:
        current = _copy_channels(self.channels(user_id))
        for channel, kinds in update.items():
            current.setdefault(channel, {}).update(kinds)
        self._channels[user_id] = current
        self._touched_channels.add(user_id)
        return current

    def reset_channels(self, user_id: str) -> None:
        self._channels.pop(user_id, None)
        self._touched_channels.add(user_id)

    def users_with_channel_settings(self) -> Iterator[tuple[str, ChannelSettings]]:
        return iter(list(self._channels.items()))

    # ------------------------------------------------------------ rooms

    def _put_room_settings(self, settings: RoomSettings) -> None:
        key = (settings.room_id, settings.user_id)
        self._rooms[key] = settings
        self._by_room.setdefault(settings.room_id, {})[settings.user_id] = settings
        self._touched_rooms.add(key)

    def _drop_room_settings(self, key: tuple[str, str]) -> None:
        self._rooms.pop(key, None)
        users = self._by_room.get(key[0])
        if users is not None:
            users.pop(key[1], None)
            if not users:
                del self._by_room[key[0]]
        self._touched_rooms.add(key)

    def room(self, room_id: str, user_id: str) -> dict[str, str]:
        found = self._rooms.get((room_id, user_id))
        return found.to_json() if found else dict(DEFAULT_ROOM_SETTINGS)

    def threads_setting(self, room_id: str, user_id: str) -> str:
        found = self._rooms.get((room_id, user_id))
        return DEFAULT_ROOM_SETTINGS["threads"] if found is None else found.threads

    def text_mentions_setting(self, room_id: str, user_id: str) -> str:
        found = self._rooms.get((room_id, user_id))
        return DEFAULT_ROOM_SETTINGS["textMentions"] if found is None else found.text_mentions

    def users_in_room(self, room_id: str, *, threads: str) -> list[str]:
        """The users whose ``threads`` setting in the room is ``threads``."""
        return [user for user, s in self._by_room.get(room_id, {}).items()
                if s.threads == threads]

    def update_room(self, room_id: str, user_id: str, update: dict[str, str]) -> dict[str, str]:
        found = self._rooms.get((room_id, user_id))
        if found is None:
            self._sequence += 1
            found = RoomSettings(room_id, user_id, DEFAULT_ROOM_SETTINGS["threads"],
                                 DEFAULT_ROOM_SETTINGS["textMentions"], self._sequence)
            self._put_room_settings(found)
        found.threads = update.get("threads", found.threads)
        found.text_mentions = update.get("textMentions", found.text_mentions)
        self._touched_rooms.add((room_id, user_id))
        return found.to_json()

    def load_room(self, room_id: str, user_id: str, settings: dict[str, str]) -> None:
        """A fixture's room settings (checked by ``check_room_settings_update``)."""
        self.update_room(room_id, user_id, settings)

    def load_channels(self, user_id: str, settings: ChannelSettings) -> None:
        self.update_channels(user_id, settings)

    def reset_room(self, room_id: str, user_id: str) -> None:
        self._drop_room_settings((room_id, user_id))

    def forget_room(self, room_id: str) -> None:
        """A deleted room takes its settings with it."""
        for user in list(self._by_room.get(room_id, {})):
            self._drop_room_settings((room_id, user))

    def rename_room(self, room_id: str, new_id: str) -> None:
        for user, settings in list(self._by_room.get(room_id, {}).items()):
            self._drop_room_settings((room_id, user))
            settings.room_id = new_id
            self._put_room_settings(settings)

    def all_room_settings(self) -> Iterator[RoomSettings]:
        return iter(list(self._rooms.values()))

    def rooms_of(self, user_id: str, *, limit: int, starting_after: str | None
                 ) -> tuple[list[RoomSettings], str | None]:
        """The rooms where a user changed their settings, in the order they first did."""
        mine = sorted((s for s in self._rooms.values() if s.user_id == user_id),
                      key=lambda s: s.sequence)
        return page(mine, lambda s: s.sequence, limit=limit, starting_after=starting_after)


def _copy_channels(settings: ChannelSettings) -> ChannelSettings:
    return {channel: dict(kinds) for channel, kinds in settings.items()}
