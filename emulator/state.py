"""EmulatorState: everything one emulator holds, in one object (no module globals).

A test can build several states side by side; the app receives its state at
creation. Only the event loop that serves the app touches it.

Reset, and how a store takes part in it
---------------------------------------
``reset()`` goes back to the start-up fixtures before every test of the pytest
plugin, so it must cost what the last test changed, not what the fixtures hold.
Every store of the state (rooms, schemas, and any new per-room or
per-workspace store: Yjs documents, comment threads, notifications, webhooks…)
is listed in ``self.stores`` and has ``clear()`` (empty it). A store that no
fixture fills is listed wrapped in ``EmptiedOnReset``: its reset is ``clear()``.
A store opts in to the incremental reset by also having (``IncrementalStore``):

- ``mark_baseline()``: remember the current contents; called once the start-up
  fixtures are loaded;
- ``restore_baseline()``: back to those contents, ideally re-making only what
  changed since (a journal of touched ids: ``RoomStore``; a changed flag:
  ``SchemaRegistry``; a deep copy of the baseline is a correct start). After
  ``clear()`` it must re-make all of the baseline.

When every store opts in, a reset is ``restore_baseline()`` on each. When one
does not, reset is full and correct anyway: every store is cleared, the
fixtures are loaded again, and the baseline is marked anew. A store keyed by
room id keeps its own journal: when the room store puts a room back, each store
puts back its own part of that room.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from .config import Config
from .domain.activity import ActivityLog
from .domain.clock import Clock, format_ms, system_clock
from .domain.comments import CommentStore
from .domain.comments_attachments import Attachments
from .domain.comments_fixtures import comments_baseline
from .domain.comments_model import Happening
from .domain.emulator_clock import EmulatorClock
from .domain.events import EventBus
from .domain.fixtures import Fixture, load_fixtures, snapshot
from .domain.groups import GroupStore
from .domain.inbox import InboxStore
from .domain.notification_settings import NotificationSettingsStore
from .domain.notification_webhooks import NotificationWebhooks
from .domain.room_inputs import RoomCreation
from .domain.rooms import Room, RoomStore
from .domain.schemas import SchemaRegistry, StoredSchema
from .domain.storage_ops import Slot
from .domain.storage_schema import describe, document_violations, refuse, slot_violations
from .domain.thread_notifications import ThreadNotifier
from .domain.yjs_docs import YjsStore, yjs_baseline
from .faults import Faults
from .fixture_files import FixtureSource
from .realtime.comment_events import send_comment_messages
from .realtime.hub import LiveHub
from .webhooks import Webhooks


class Store(Protocol):
    """What every store of the state has (see the module docstring)."""

    def clear(self) -> None: ...


@runtime_checkable
class IncrementalStore(Protocol):
    """A store whose reset costs what changed since the baseline (module docstring)."""

    def clear(self) -> None: ...

    def mark_baseline(self) -> None: ...

    def restore_baseline(self) -> None: ...


class EmptiedOnReset:
    """A store no fixture fills, as it takes part in the reset: its baseline is empty,
    so restoring it is ``clear()`` (which costs what the tests added). When fixtures
    start to fill such a store, give it ``mark_baseline``/``restore_baseline`` instead."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def clear(self) -> None:
        self.store.clear()

    def mark_baseline(self) -> None:
        pass

    def restore_baseline(self) -> None:
        self.store.clear()


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class EmulatorState:
    def __init__(self, config: Config | None = None, *, clock: Clock = system_clock) -> None:
        self.config = config or Config()
        # Callable like any Clock (ms since the epoch); tests freeze, set and advance it.
        self.clock = clock if isinstance(clock, EmulatorClock) else EmulatorClock(clock)
        self.rooms = RoomStore(self.clock)
        self.schemas = SchemaRegistry(self.clock, self._rooms_using)
        # Each room's Yjs documents (domain/yjs_docs.py), keyed by the Room object.
        self.yjs = YjsStore()
        self.live = LiveHub(self._check_ops_against_schema, self.yjs.docs, self.ydoc_changed)
        self.groups = GroupStore(self.clock)
        self.inbox = InboxStore(self.clock)
        self.notification_settings = NotificationSettingsStore()
        # Every store a reset empties or restores: add new ones here.
        self._incremental: tuple[tuple[int, ...], list[IncrementalStore]] | None = None
        self.stores: list[Store] = [
            self.rooms, self.schemas, self.groups, self.inbox,
            self.notification_settings, yjs_baseline(self.yjs, self.rooms),
        ]
        # What happened, for webhooks and the dashboard (domain/events.py).
        self.events = EventBus()
        # The last REST calls and client messages, for the dashboard's log (not reset).
        self.activity = ActivityLog()
        # Injected faults (REST and WebSocket); a reset keeps only the CLI's always-on ones.
        self.faults = Faults(self.config)
        self.stores.append(EmptiedOnReset(self.faults))
        # Threads, comments, reactions and attachments of every room (domain/comments.py).
        self.comments = CommentStore(self.clock)
        self.comments.on_change = self._comments_changed
        self.attachments = Attachments(self.comments)
        # Comments (made through any path but fixtures) and text mentions fill the inbox.
        self.notifier = ThreadNotifier(self.comments, self.inbox, self.notification_settings,
                                       self.groups)
        self.stores.append(comments_baseline(self.comments, self.rooms, self.clock))
        # Signs and delivers the webhook events of the bus (emulator/webhooks.py).
        self.webhooks = Webhooks(self)
        # `notification` events, some time after an inbox notification, if still unread.
        self.notification_webhooks = NotificationWebhooks(
            self.inbox, self.notification_settings, self.clock, self.call_later,
            self.events.emit, self.config.webhook_notification_delay_seconds)
        self.stores.append(EmptiedOnReset(self.notification_webhooks))
        self.live.on_storage_updated = self.storage_updated
        # The fixtures loaded at start, which a reset goes back to, and when that
        # was: entries without dates get that time, so every reset is identical.
        self.startup_fixtures: list[FixtureSource] = []
        self._startup_parsed: list[Fixture] = []
        self.startup_ms = self.clock()
        # Whether the stores' baselines are the start-up fixtures (else: a full reset).
        self._baseline_marked = False

    def call_later(self, delay_seconds: float, callback: Callable[[], None]) -> Cancellable:
        """Run ``callback`` on the event loop after ``delay_seconds`` of the emulator's time.

        Every delayed action (webhook throttles and retries, notification delays, TTLs)
        goes through here, so that a test that controls the clock controls them all.
        """
        return self.clock.call_later(delay_seconds, callback)

    def reset(self, *, to_fixtures: bool = True) -> None:
        """Back to the start-up fixtures (or to nothing); live clients are disconnected."""
        self.live.disconnect_all("The emulator was reset")
        try:
            self._restore(to_fixtures=to_fixtures)
        finally:
            self.events.emit("emulator.reset", {})

    def _restore(self, *, to_fixtures: bool) -> None:
        # Real time again; timers stay (each feature's clear() cancels its own).
        self.clock.reset()
        self.webhooks.reset(self._startup_parsed if to_fixtures else [])
        incremental = self._incremental_stores()
        if to_fixtures and self._baseline_marked and len(incremental) == len(self.stores):
            for changed in incremental:
                changed.restore_baseline()
            return
        for store in self.stores:
            store.clear()
        if to_fixtures:
            # Parsed and checked once at start: a reset only re-creates the rooms.
            load_fixtures(self.rooms, self.schemas, self._startup_parsed, yjs=self.yjs,
                          comments=self.comments, notifier=self.notifier)
            for fresh in incremental:
                fresh.mark_baseline()
            self._baseline_marked = True

    def _incremental_stores(self) -> list[IncrementalStore]:
        """The stores that restore incrementally. ``isinstance`` against a runtime-checkable
        Protocol costs ~40 µs a store (most of a reset): asked again only when the list
        of stores changed."""
        key = tuple(map(id, self.stores))
        cached = self._incremental
        if cached is None or cached[0] != key:
            cached = self._incremental = (
                key, [store for store in self.stores if isinstance(store, IncrementalStore)])
        return cached[1]

    def load(self, sources: list[FixtureSource], *, now_ms: int | None = None) -> None:
        """Add fixture documents to the state: all of them, or none (FixtureError)."""
        now = self.clock() if now_ms is None else now_ms
        parsed = [source.parse(now) for source in sources]
        self.webhooks.check_fixtures(parsed)
        load_fixtures(self.rooms, self.schemas, parsed, yjs=self.yjs, comments=self.comments,
                      notifier=self.notifier)
        self.webhooks.load_fixtures(parsed)

    def set_startup_fixtures(self, sources: list[FixtureSource]) -> None:
        """The fixtures a reset goes back to (parsed and checked now: FixtureError)."""
        startup_ms = self.clock()
        self._startup_parsed = [source.parse(startup_ms) for source in sources]
        self.startup_ms = startup_ms
        self.startup_fixtures = list(sources)
        self._baseline_marked = False

    def load_startup_fixtures(self, sources: list[FixtureSource]) -> None:
        """Go to these fixtures now (in place of what the state holds), and back on every reset."""
        self.set_startup_fixtures(sources)
        self.webhooks.check_fixtures(self._startup_parsed)
        self.reset()
        self.webhooks.restore_deliveries(self._startup_parsed)

    def snapshot(self) -> dict[str, Any]:
        return {**snapshot(self.rooms, self.schemas, yjs=self.yjs, comments=self.comments,
                           notifier=self.notifier),
                **self.webhooks.snapshot()}

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

    def ydoc_changed(self, room: Room) -> None:
        """A room's Yjs document changed (over WebSocket or REST): tell the listeners."""
        self.events.emit("ydocUpdated", {"roomId": room.id, "updatedAt": format_ms(self.clock())})

    def delete_room(self, room_id: str) -> bool:
        """Delete a room and everything it holds; False when there was none."""
        room = self.rooms.delete(room_id)
        if room is None:
            return False
        self.live.room_deleted(room)
        self.yjs.drop(room)
        self.inbox.delete(self.inbox.where(room_id=room_id))
        self.notification_settings.forget_room(room_id)
        self.comments.room_deleted(room)
        self.events.emit("roomDeleted", {"roomId": room_id, "deletedAt": format_ms(self.clock())})
        return True

    def _comments_changed(self, room: Room, visibility: str, happened: list[Happening]) -> None:
        # Notifications first, so that the thread the connections refetch (C6) carries them;
        # then the room's connections refetch the thread; webhooks and the dashboard hear.
        self.notifier.happened(room, happened)
        live = self.live.find(room)
        if live is not None:
            send_comment_messages(live, visibility, happened)
        for happening in happened:
            self.events.emit(happening.event, dict(happening.data))

    def rename_room(self, room_id: str, new_id: str) -> Room:
        room = self.rooms.rename(room_id, new_id)
        if new_id != room_id:
            self.live.room_renamed(room)
            self.inbox.rename_room(room_id, new_id)
            self.notification_settings.rename_room(room_id, new_id)
        return room
