"""EmulatorState: everything one emulator holds, in one object (no module globals).

A test can build several states side by side; the app receives its state at
creation. Only the event loop that serves the app touches it.
"""

from __future__ import annotations

from .config import Config
from .domain.clock import Clock, system_clock
from .domain.rooms import Room, RoomStore
from .domain.schemas import SchemaRegistry, StoredSchema
from .domain.storage_ops import Slot
from .domain.storage_schema import describe, document_violations, refuse, slot_violations
from .realtime.hub import LiveHub


class EmulatorState:
    def __init__(self, config: Config | None = None, *, clock: Clock = system_clock) -> None:
        self.config = config or Config()
        self.clock = clock
        self.rooms = RoomStore(clock)
        self.schemas = SchemaRegistry(clock)
        self.live = LiveHub(self._check_ops_against_schema)

    def reset(self) -> None:
        """Forget every room, storage and schema; live clients are disconnected."""
        self.live.disconnect_all("The emulator was reset")
        self.rooms.clear()
        self.schemas.clear()

    # ------------------------------------------------------------ schemas

    def attached_schema(self, room: Room) -> StoredSchema | None:
        return None if room.schema_id is None else self.schemas.get(room.schema_id)

    def attach_schema(self, room: Room, schema_id: object) -> StoredSchema:
        stored = self.schemas.get(schema_id)
        violations = document_violations(stored.schema, room.document())
        if violations:
            raise refuse(stored.id, violations, f"The storage of room '{room.id}'")
        self.detach_schema(room)
        stored.rooms.add(room.id)
        room.schema_id = stored.id
        return stored

    def detach_schema(self, room: Room) -> None:
        stored = self.attached_schema(room)
        if stored is not None:
            stored.rooms.discard(room.id)
        room.schema_id = None

    def _check_ops_against_schema(self, room: Room, touched: list[Slot]) -> str | None:
        stored = self.attached_schema(room)
        if stored is None:
            return None
        violations = slot_violations(stored.schema, room.document(), touched)
        if not violations:
            return None
        return f"Storage change does not match schema '{stored.id}': {describe(violations)}"

    def delete_room(self, room_id: str) -> bool:
        """Delete a room and everything it holds; False when there was none."""
        room = self.rooms.delete(room_id)
        if room is None:
            return False
        self.detach_schema(room)
        self.live.room_deleted(room)
        return True

    def rename_room(self, room_id: str, new_id: str) -> Room:
        room = self.rooms.rename(room_id, new_id)
        if new_id != room_id:
            stored = self.attached_schema(room)
            if stored is not None:
                stored.rooms.discard(room_id)
                stored.rooms.add(new_id)
            self.live.room_renamed(room)
        return room
