"""Rooms and the in-memory room store: creation order, lookups, filtered pages.

Rooms are listed newest first. Each room gets an order key made of its
creation time and a sequence number, so keys are unique and a cursor can name
a position in the order even after the room it came from is deleted. The keys
sit in one ascending list: a page is a bisect plus ``limit`` steps, whatever
the number of rooms.

The store takes part in the emulator's incremental reset (see
``emulator.state``): ``mark_baseline`` keeps a private copy of every room, and
``restore_baseline`` puts back only the rooms whose ids were journaled since.
An id is journaled by every call that may lead to a change of its room:
``create``, ``get``, ``find`` (a caller that looks a room up may change it),
``update``, ``rename`` (both ids), ``delete``, ``move_organization``. Rooms seen
through iteration or ``page`` are for reading only: to change one, look it up
by id (or call ``touch``).
"""

from __future__ import annotations

import base64
import binascii
import copy
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .clock import format_ms
from .errors import Conflict, InvalidInput, RoomAlreadyExists, RoomNotFound
from .room_inputs import (
    Accesses,
    Metadata,
    RoomCreation,
    RoomUpdate,
    copy_accesses,
    copy_metadata,
    merged_accesses,
    merged_metadata,
)
from .storage import StorageDocument
from .storage_formats import from_plain_lson, to_plain_lson

_SEQ_BITS = 32


@dataclass(slots=True, eq=False)
class Room:
    id: str
    created_ms: int
    order_key: int
    organization_id: str
    default_accesses: list[str]
    users_accesses: Accesses
    groups_accesses: Accesses
    metadata: Metadata
    last_connection_ms: int | None = None
    # Storage is made on first use: an empty room costs no node tree.
    storage: StorageDocument | None = None
    # "name@version" of the attached schema, if any.
    schema_id: str | None = None
    # Connection ids ("actors") are never reused while the room exists: clients
    # build node ids from them, so a reused actor would collide with old nodes.
    next_actor: int = 0

    # Server-made node ids already handed out by earlier documents of this room.
    retired_server_ids: int = 1
    # Checked Plain LSON (from a fixture) the document is built from on first use.
    pending_storage: Any = None

    def document(self) -> StorageDocument:
        """The room's storage, built (or created empty) on first use."""
        if self.storage is None:
            if self.pending_storage is not None:
                self.storage = from_plain_lson(
                    self.pending_storage, first_server_id=self.retired_server_ids)
                self.pending_storage = None
            else:
                self.storage = StorageDocument.empty(self.next_server_id())
        return self.storage

    def use_plain_lson(self, plain_lson: Any) -> None:
        """Storage to build when first needed (the value must be valid Plain LSON)."""
        self.storage = None
        self.pending_storage = plain_lson

    def plain_lson(self) -> Any:
        """The storage as Plain LSON, or None when the room has never had any."""
        if self.pending_storage is not None:
            return self.pending_storage
        return None if self.storage is None else to_plain_lson(self.storage)

    def storage_is_empty(self) -> bool:
        if self.pending_storage is not None:
            return not self.pending_storage["data"]
        doc = self.storage
        return doc is None or (doc.node_count == 1 and not doc.root.data)

    def next_server_id(self) -> int:
        """Where the numbering of a new document must start ("si:<n>" never reused)."""
        if self.storage is None:
            return self.retired_server_ids
        return max(self.retired_server_ids, self.storage.next_server_id)

    def replace_storage(self, doc: StorageDocument | None) -> None:
        """Swap in a new document (None: empty), retiring the ids of the old one."""
        self.retired_server_ids = self.next_server_id()
        self.storage = doc
        self.pending_storage = None

    def take_actor(self) -> int:
        actor = self.next_actor
        self.next_actor += 1
        return actor

    def detached_copy(self) -> Room:
        """An equal room that shares no mutable part with this one (Plain LSON is never
        mutated: a fixture's storage is shared by every reset already)."""
        twin = copy.copy(self)
        twin.default_accesses = list(self.default_accesses)
        twin.users_accesses = copy_accesses(self.users_accesses)
        twin.groups_accesses = copy_accesses(self.groups_accesses)
        twin.metadata = copy_metadata(self.metadata)
        if self.storage is not None:  # a live node tree: kept as Plain LSON
            twin.retired_server_ids = self.next_server_id()
            twin.use_plain_lson(to_plain_lson(self.storage))
        return twin


def room_record(room: Room) -> dict[str, Any]:
    """A room's fields as Liveblocks spells them (the REST room object, minus its type)."""
    record: dict[str, Any] = {
        "id": room.id,
        "organizationId": room.organization_id,
        "createdAt": format_ms(room.created_ms),
        "metadata": room.metadata,
        "defaultAccesses": room.default_accesses,
        "usersAccesses": room.users_accesses,
        "groupsAccesses": room.groups_accesses,
    }
    # The Python SDK refuses a null lastConnectionAt: the key is omitted until a connection.
    if room.last_connection_ms is not None:
        record["lastConnectionAt"] = format_ms(room.last_connection_ms)
    return record


class InvalidCursor(InvalidInput):
    default_code = "INVALID_QUERY"


def encode_cursor(order_key: int) -> str:
    return base64.urlsafe_b64encode(order_key.to_bytes(16, "big")).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 16:
        shown = cursor if len(cursor) <= 60 else cursor[:60] + "…"
        raise InvalidCursor(
            f"startingAfter {shown!r} is not a cursor returned by this server (use nextCursor)"
        )
    return int.from_bytes(raw, "big")


@dataclass(slots=True)
class RoomPage:
    rooms: list[Room]
    next_cursor: str | None


class RoomStore:
    """All rooms of one emulator, by id and in creation order."""

    def __init__(self, clock: Callable[[], int]) -> None:
        self._clock = clock
        self._by_id: dict[str, Room] = {}
        self._by_key: dict[int, Room] = {}
        self._keys: list[int] = []  # ascending; may hold keys of deleted rooms
        self._dead_keys = 0
        self._next_seq = 0
        # The incremental reset: private copies of the rooms at the baseline, and the
        # ids whose rooms may differ from it since (all of them: ``_all_touched``).
        self._baseline: dict[str, Room] = {}
        self._touched: set[str] = set()
        self._all_touched = False

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, room_id: str) -> bool:
        return room_id in self._by_id

    def __iter__(self) -> Iterator[Room]:
        """Rooms oldest first."""
        for key in self._keys:
            room = self._by_key.get(key)
            if room is not None:
                yield room

    def find(self, room_id: str) -> Room | None:
        room = self._by_id.get(room_id)
        if room is not None:
            self.touch(room_id)
        return room

    def peek(self, room_id: str) -> Room | None:
        """The room, for a look that changes nothing (not journaled: see the docstring)."""
        return self._by_id.get(room_id)

    def get(self, room_id: str) -> Room:
        room = self._by_id.get(room_id)
        if room is None:
            raise RoomNotFound(room_id)
        self.touch(room_id)
        return room

    def touch(self, room_id: str) -> None:
        """Journal the id: the next ``restore_baseline`` puts its room back as it was."""
        if self._all_touched:
            return
        touched = self._touched
        touched.add(room_id)
        # A long journal (a server used for hours, not a test) is no cheaper than a
        # full restore, and would hold on to the ids of rooms long gone.
        if len(touched) > 1024 and len(touched) > 2 * (len(self._by_id) + len(self._baseline)):
            self._touch_all()

    def _touch_all(self) -> None:
        self._all_touched = True
        self._touched = set()

    def create(self, creation: RoomCreation, *, created_ms: int | None = None) -> Room:
        if creation.id in self._by_id:
            raise RoomAlreadyExists(creation.id)
        self.touch(creation.id)
        created = self._clock() if created_ms is None else created_ms
        self._next_seq += 1
        key = (created << _SEQ_BITS) | (self._next_seq & ((1 << _SEQ_BITS) - 1))
        room = Room(
            id=creation.id,
            created_ms=created,
            order_key=key,
            organization_id=creation.organization_id,
            default_accesses=creation.default_accesses,
            users_accesses=creation.users_accesses,
            groups_accesses=creation.groups_accesses,
            metadata=creation.metadata,
        )
        self._insert(room)
        return room

    def _insert(self, room: Room) -> None:
        key = room.order_key
        keys = self._keys
        if not keys or key > keys[-1]:
            keys.append(key)
        else:  # a fixture room with an older createdAt, or a room restored to its place
            index = bisect_left(keys, key)
            if index < len(keys) and keys[index] == key:
                self._dead_keys -= 1  # its key was left in the list when it went
            else:
                keys.insert(index, key)
        self._by_key[key] = room
        self._by_id[room.id] = room

    def update(self, room_id: str, update: RoomUpdate) -> Room:
        room = self.get(room_id)
        # Compute everything first: a limit broken by the merge leaves the room untouched.
        metadata = merged_metadata(room.metadata, update)
        users = merged_accesses(
            "usersAccesses", room.users_accesses, update.users_accesses,
            update.clear_users_accesses,
        )
        groups = merged_accesses(
            "groupsAccesses", room.groups_accesses, update.groups_accesses,
            update.clear_groups_accesses,
        )
        room.metadata = metadata
        room.users_accesses = users
        room.groups_accesses = groups
        if update.default_accesses is not None:
            room.default_accesses = update.default_accesses
        return room

    def delete(self, room_id: str) -> Room | None:
        self.touch(room_id)
        room = self._remove(room_id)
        if not self._by_id and not self._baseline:
            self._touch_all()  # nothing to put back: the journal would only pin memory
        return room

    def _remove(self, room_id: str) -> Room | None:
        room = self._by_id.pop(room_id, None)
        if room is None:
            return None
        del self._by_key[room.order_key]
        keys = self._keys
        if keys and keys[-1] == room.order_key:
            # The newest room (a test's create + delete): its key goes now, and the dead
            # ones before it, so that pages, newest first, do not skip them every time.
            keys.pop()
            while keys and keys[-1] not in self._by_key:
                keys.pop()
                self._dead_keys -= 1
        else:
            self._dead_keys += 1
        # The last room gone: drop every key now. Left-over keys (small objects made
        # while the rooms were) would pin the memory pools the rooms lived in.
        if not self._by_id or (self._dead_keys > 1024 and self._dead_keys * 2 > len(self._keys)):
            self._keys = [key for key in self._keys if key in self._by_key]
            self._dead_keys = 0
            # A dict never shrinks as keys leave it: copies sized for the rooms left free
            # the tables of the busiest moment (9 MB after 100,000 rooms).
            self._by_key = dict(self._by_key)
            self._by_id = dict(self._by_id)
        return room

    def rename(self, room_id: str, new_id: str) -> Room:
        room = self.get(room_id)
        if new_id == room_id:
            return room
        if new_id in self._by_id:
            raise RoomAlreadyExists(new_id)
        self.touch(new_id)
        del self._by_id[room_id]
        room.id = new_id
        self._by_id[new_id] = room
        return room

    def move_organization(self, room_id: str, from_org: str, to_org: str) -> Room:
        room = self.get(room_id)
        if room.organization_id != from_org:
            raise Conflict(
                f"Room '{room_id}' belongs to organization '{room.organization_id}', "
                f"not '{from_org}'",
                code="ORGANIZATION_MISMATCH",
            )
        room.organization_id = to_org
        return room

    def clear(self) -> None:
        """No rooms (the baseline is kept: ``restore_baseline`` re-creates all of it)."""
        self._by_id = {}
        self._by_key = {}
        self._keys = []
        self._dead_keys = 0
        self._touch_all()

    # ------------------------------------------------------------ incremental reset

    def mark_baseline(self) -> None:
        """The rooms as they are now are what ``restore_baseline`` goes back to."""
        self._baseline = {room.id: room.detached_copy() for room in self}
        self._touched = set()
        self._all_touched = False

    def restore_baseline(self) -> None:
        """Back to the baseline, re-creating only the rooms journaled since."""
        if self._all_touched:
            self.clear()
            for template in self._baseline.values():  # oldest first: every key appends
                self._insert(template.detached_copy())
        else:
            touched = self._touched
            for room_id in touched:  # all removed first: a rename may have swapped ids
                self._remove(room_id)
            for room_id in touched:
                was = self._baseline.get(room_id)
                if was is not None:
                    self._insert(was.detached_copy())
        self._touched = set()
        self._all_touched = False

    def page(
        self,
        *,
        limit: int,
        starting_after: str | None = None,
        predicate: Callable[[Room], bool] | None = None,
    ) -> RoomPage:
        """Up to ``limit`` rooms, newest first, after the cursor, that pass ``predicate``."""
        keys = self._keys
        by_key = self._by_key
        index = len(keys) - 1
        if starting_after is not None:
            index = bisect_left(keys, decode_cursor(starting_after)) - 1
        rooms: list[Room] = []
        while index >= 0:
            room = by_key.get(keys[index])
            index -= 1
            if room is None or (predicate is not None and not predicate(room)):
                continue
            if len(rooms) == limit:
                # One more match exists beyond the page: hand out a cursor.
                return RoomPage(rooms, encode_cursor(rooms[-1].order_key))
            rooms.append(room)
        return RoomPage(rooms, None)
