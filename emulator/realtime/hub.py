"""All live rooms of one emulator, and what REST changes do to their connections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.rooms import Room
from .codes import CloseCode
from .live_room import LiveRoom, SchemaCheck, YDocChanged, YDocsOf, _no_ydoc_change


def _no_schema_check(room: Room, touched: Any) -> str | None:
    return None


class LiveHub:
    def __init__(
        self,
        schema_check: SchemaCheck = _no_schema_check,
        ydocs: YDocsOf | None = None,
        ydoc_changed: YDocChanged = _no_ydoc_change,
    ) -> None:
        # Keyed by the Room object (compared by identity), so a rename changes nothing here.
        self._rooms: dict[Room, LiveRoom] = {}
        self.schema_check = schema_check
        self._ydocs = ydocs
        self._ydoc_changed = ydoc_changed
        # Told after every accepted storage change made through a live room (webhooks).
        self.on_storage_updated: Callable[[Room], None] | None = None

    def live_room(self, room: Room) -> LiveRoom:
        live = self._rooms.get(room)
        if live is None:
            live = LiveRoom(room, self._check, self._ydocs, self._ydoc_changed)
            live.on_empty = self.forget_if_empty
            live.on_storage_updated = self.on_storage_updated
            self._rooms[room] = live
        return live

    def _check(self, room: Room, touched: Any) -> str | None:
        return self.schema_check(room, touched)

    def find(self, room: Room) -> LiveRoom | None:
        return self._rooms.get(room)

    def forget_if_empty(self, live: LiveRoom) -> None:
        if live.is_empty and self._rooms.get(live.room) is live:
            del self._rooms[live.room]

    def connection_count(self, room: Room) -> int:
        live = self._rooms.get(room)
        return 0 if live is None else len(live.sessions)

    def total_connections(self) -> int:
        return sum(len(live.sessions) for live in self._rooms.values())

    def disconnect(self, room: Room, code: int, reason: str) -> None:
        live = self._rooms.pop(room, None)
        if live is not None:
            live.close_all(code, reason)

    def room_deleted(self, room: Room) -> None:
        self.disconnect(room, CloseCode.CLOSE_WITHOUT_RETRY, "The room was deleted")

    def room_renamed(self, room: Room) -> None:
        self.disconnect(room, CloseCode.ROOM_ID_UPDATED, f"The room id changed to '{room.id}'")

    def storage_reset(self, room: Room) -> None:
        # Clients reconnect at once with the same credentials and fetch the new storage.
        self.disconnect(room, CloseCode.SERVICE_RESTART, "The room's storage was reset")

    def disconnect_all(self, reason: str) -> None:
        # A reset makes a new world (rooms re-created, actor ids restarting): clients
        # must not carry their old storage into it, so they stop rather than reconnect.
        for live in list(self._rooms.values()):
            live.close_all(CloseCode.CLOSE_WITHOUT_RETRY, reason)
        self._rooms.clear()
