"""EmulatorState: everything one emulator holds, in one object (no module globals).

A test can build several states side by side; the app receives its state at
creation. Only the event loop that serves the app touches it.
"""

from __future__ import annotations

from .config import Config
from .domain.clock import Clock, system_clock
from .domain.rooms import Room, RoomStore
from .realtime.hub import LiveHub


class EmulatorState:
    def __init__(self, config: Config | None = None, *, clock: Clock = system_clock) -> None:
        self.config = config or Config()
        self.clock = clock
        self.rooms = RoomStore(clock)
        self.live = LiveHub()

    def reset(self) -> None:
        """Forget every room (and everything attached to rooms); live clients are disconnected."""
        self.live.disconnect_all("The emulator was reset")
        self.rooms.clear()

    def delete_room(self, room_id: str) -> bool:
        """Delete a room and everything it holds; False when there was none."""
        room = self.rooms.delete(room_id)
        if room is None:
            return False
        self.live.room_deleted(room)
        return True

    def rename_room(self, room_id: str, new_id: str) -> Room:
        room = self.rooms.rename(room_id, new_id)
        if new_id != room_id:
            self.live.room_renamed(room)
        return room
