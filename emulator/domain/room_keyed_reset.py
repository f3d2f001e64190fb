"""The incremental reset of a store keyed by Room object (Yjs documents, comment threads).

The room store puts a room a test touched back as a new object, and every change to a
room's part of such a store goes through a lookup that touches the room (rooms.py). So
after the rooms are restored: what is held for objects that are no longer the store's
rooms goes, and the rooms put back get their baseline part again. Rooms nobody touched
keep what they hold, untouched: a reset costs what the last test changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, Protocol, TypeVar

from .rooms import Room, RoomStore

T = TypeVar("T")


class Clearable(Protocol):
    def clear(self) -> None: ...


class RoomKeyedBaseline(Generic[T]):
    def __init__(
        self,
        store: Clearable,
        rooms: RoomStore,
        *,
        held: Callable[[], Iterable[Room]],
        save: Callable[[Room], T | None],
        put_back: Callable[[Room, T], None],
        drop: Callable[[Room], None],
    ) -> None:
        self.store = store  # what state.stores' check looks for (tests/harness)
        self._rooms = rooms
        self._held = held
        self._save = save
        self._put_back = put_back
        self._drop = drop
        self._saved: dict[str, T] = {}

    def clear(self) -> None:
        self.store.clear()

    def mark_baseline(self) -> None:
        saved = ((room.id, self._save(room)) for room in self._held())
        self._saved = {room_id: part for room_id, part in saved if part is not None}

    def restore_baseline(self) -> None:
        held = set(map(id, self._held()))
        for room in list(self._held()):
            if self._rooms.peek(room.id) is not room:
                self._drop(room)
                held.discard(id(room))
        for room_id, part in self._saved.items():
            current = self._rooms.peek(room_id)
            if current is not None and id(current) not in held:
                self._put_back(current, part)
