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
from dataclasses import dataclass
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
    def __init__(self) -> None:
        self._channels: dict[str, ChannelSettings] = {}
        self._rooms: dict[tuple[str, str], RoomSettings] = {}  # (room, user)
        self._sequence = 0

    def clear(self) -> None:
        self._channels.clear()
        self._rooms.clear()

    # ------------------------------------------------------------ channels

    def channels(self, user_id: str) -> ChannelSettings:
        return self._channels.get(user_id) or default_channel_settings()

    def update_channels(self, user_id: str, update: ChannelSettings) -> ChannelSettings:
        current = {c: dict(kinds) for c, kinds in self.channels(user_id).items()}
        for channel, kinds in update.items():
            current.setdefault(channel, {}).update(kinds)
        self._channels[user_id] = current
        return current

    def reset_channels(self, user_id: str) -> None:
        self._channels.pop(user_id, None)

    def users_with_channel_settings(self) -> Iterator[tuple[str, ChannelSettings]]:
        return iter(self._channels.items())

    # ------------------------------------------------------------ rooms

    def room(self, room_id: str, user_id: str) -> dict[str, str]:
        found = self._rooms.get((room_id, user_id))
        return found.to_json() if found else dict(DEFAULT_ROOM_SETTINGS)

    def update_room(self, room_id: str, user_id: str, update: dict[str, str]) -> dict[str, str]:
        found = self._rooms.get((room_id, user_id))
        if found is None:
            self._sequence += 1
            found = RoomSettings(room_id, user_id, DEFAULT_ROOM_SETTINGS["threads"],
                                 DEFAULT_ROOM_SETTINGS["textMentions"], self._sequence)
            self._rooms[(room_id, user_id)] = found
        found.threads = update.get("threads", found.threads)
        found.text_mentions = update.get("textMentions", found.text_mentions)
        return found.to_json()

    def reset_room(self, room_id: str, user_id: str) -> None:
        self._rooms.pop((room_id, user_id), None)

    def forget_room(self, room_id: str) -> None:
        """A deleted room takes its settings with it."""
        for key in [key for key in self._rooms if key[0] == room_id]:
            del self._rooms[key]

    def rename_room(self, room_id: str, new_id: str) -> None:
        for (room, user), settings in list(self._rooms.items()):
            if room == room_id:
                del self._rooms[(room, user)]
                settings.room_id = new_id
                self._rooms[(new_id, user)] = settings

    def all_room_settings(self) -> Iterator[RoomSettings]:
        return iter(self._rooms.values())

    def rooms_of(self, user_id: str, *, limit: int, starting_after: str | None
                 ) -> tuple[list[RoomSettings], str | None]:
        """The rooms where a user changed their settings, in the order they first did."""
        mine = sorted((s for s in self._rooms.values() if s.user_id == user_id),
                      key=lambda s: s.sequence)
        return page(mine, lambda s: s.sequence, limit=limit, starting_after=starting_after)
