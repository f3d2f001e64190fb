"""EmulatorState: everything one emulator holds, in one object (no module globals).

A test can build several states side by side; the app receives its state at
creation. Only the event loop that serves the app touches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from .config import Config
from .domain.clock import Clock, format_ms, system_clock
from .domain.events import EventBus
from .domain.fixtures import Fixture, load_fixtures, snapshot
from .domain.groups import GroupStore
from .domain.inbox import InboxStore
from .domain.notification_settings import NotificationSettingsStore
from .domain.room_inputs import RoomCreation
from .domain.rooms import Room, RoomStore
from .domain.schemas import SchemaRegistry, StoredSchema
from .domain.storage_ops import Slot
from .domain.storage_schema import describe, document_violations, refuse, slot_violations
from .fixture_files import FixtureSource
from .realtime.hub import LiveHub
from .webhooks import Webhooks


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class EmulatorState:
    def __init__(self, config: Config | None = None, *, clock: Clock = system_clock) -> None:
        self.config = config or Config()
        self.clock = clock
        self.rooms = RoomStore(clock)
        self.schemas = SchemaRegistry(clock, self._rooms_using)
        self.live = LiveHub(self._check_ops_against_schema)
        self.groups = GroupStore(clock)
        self.inbox = InboxStore(clock)
        self.notification_settings = NotificationSettingsStore()
        # What happened, for webhooks and the dashboard (domain/events.py).
        self.events = EventBus()
        # Signs and delivers the webhook events of the bus (emulator/webhooks.py).
        self.webhooks = Webhooks(self)
        self.live.on_storage_updated = self.storage_updated
        # The fixtures loaded at start, which a reset goes back to, and when that
        # was: entries without dates get that time, so every reset is identical.
        self.startup_fixtures: list[FixtureSource] = []
        self._startup_parsed: list[Fixture] = []
        self.startup_ms = clock()

    def call_later(self, delay_seconds: float, callback: Callable[[], None]) -> Cancellable:
        """Run ``callback`` on the event loop after ``delay_seconds`` of the emulator's time.

        Every delayed action (webhook throttles and retries, notification delays, TTLs)
        goes through here, so that a test that controls the clock controls them all.
        """
        return asyncio.get_running_loop().call_later(delay_seconds, callback)

    def reset(self, *, to_fixtures: bool = True) -> None:
        """Back to the start-up fixtures (or to nothing); live clients are disconnected."""
        self.live.disconnect_all("The emulator was reset")
        self.rooms.clear()
        self.schemas.clear()
        self.groups.clear()
        self.inbox.clear()
        self.notification_settings.clear()
        self.webhooks.reset(self._startup_parsed if to_fixtures else [])
        if to_fixtures and self._startup_parsed:
            # Parsed and checked once at start: a reset only re-creates the rooms.
            load_fixtures(self.rooms, self.schemas, self._startup_parsed)

    def load(self, sources: list[FixtureSource], *, now_ms: int | None = None) -> None:
        """Add fixture documents to the state: all of them, or none (FixtureError)."""
        now = self.clock() if now_ms is None else now_ms
        parsed = [source.parse(now) for source in sources]
        self.webhooks.check_fixtures(parsed)
        load_fixtures(self.rooms, self.schemas, parsed)
        self.webhooks.load_fixtures(parsed)

    def set_startup_fixtures(self, sources: list[FixtureSource]) -> None:
        """The fixtures a reset goes back to (parsed and checked now: FixtureError)."""
        self.startup_ms = self.clock()
        self._startup_parsed = [source.parse(self.startup_ms) for source in sources]
        self.startup_fixtures = list(sources)

    def load_startup_fixtures(self, sources: list[FixtureSource]) -> None:
        """Load fixtures now, and go back to them on every reset."""
        self.set_startup_fixtures(sources)
        self.webhooks.check_fixtures(self._startup_parsed)
        load_fixtures(self.rooms, self.schemas, self._startup_parsed)
        self.webhooks.load_fixtures(self._startup_parsed)

    def snapshot(self) -> dict[str, Any]:
        return {**snapshot(self.rooms, self.schemas), **self.webhooks.snapshot()}

    # ------------------------------------------------------------ rooms and events

    def create_room(self, creation: RoomCreation) -> Room:
        """Create a room (RoomAlreadyExists) and tell the listeners (roomCreated)."""
        room = self.rooms.create(creation)
        self.events.emit("roomCreated",
                         {"roomId": room.id, "createdAt": format_ms(room.created_ms)})
        return room

    def storage_updated(self, room: Room) -> None:
        """Every write to a room's storage ends here (REST, mutateStorage, WebSocket ops)."""
        self.events.emit("storageUpdated",
                         {"roomId": room.id, "updatedAt": format_ms(self.clock())})

    # ------------------------------------------------------------ schemas

    def attached_schema(self, room: Room) -> StoredSchema | None:
        return None if room.schema_id is None else self.schemas.get(room.schema_id)

    def attach_schema(self, room: Room, schema_id: object) -> StoredSchema:
        stored = self.schemas.get(schema_id)
        violations = document_violations(stored.schema, room.document())
        if violations:
            raise refuse(stored.id, violations, f"The storage of room '{room.id}'")
        room.schema_id = stored.id
        return stored

    def detach_schema(self, room: Room) -> None:
        room.schema_id = None

    def _rooms_using(self, schema_id: str) -> list[str]:
        return [room.id for room in self.rooms if room.schema_id == schema_id]

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
        self.live.room_deleted(room)
        self.inbox.delete(self.inbox.where(room_id=room_id))
        self.notification_settings.forget_room(room_id)
        self.events.emit("roomDeleted", {"roomId": room_id, "deletedAt": format_ms(self.clock())})
        return True

    def rename_room(self, room_id: str, new_id: str) -> Room:
        room = self.rooms.rename(room_id, new_id)
        if new_id != room_id:
            self.live.room_renamed(room)
            self.inbox.rename_room(room_id, new_id)
            self.notification_settings.rename_room(room_id, new_id)
        return room
