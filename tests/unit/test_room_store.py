"""RoomStore: ordering and cursor paging, driven with plain calls (no HTTP)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain.errors import RoomAlreadyExists, RoomNotFound
from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore, decode_cursor


def fixed_clock(start: int = 1_700_000_000_000) -> itertools.count[int]:
    return itertools.count(start)


def store_with(ids: list[str]) -> RoomStore:
    store = RoomStore(fixed_clock().__next__)
    for room_id in ids:
        store.create(RoomCreation(id=room_id, default_accesses=[]))
    return store


def walk(store: RoomStore, limit: int) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = store.page(limit=limit, starting_after=cursor)
        seen.extend(room.id for room in page.rooms)
        if page.next_cursor is None:
            return seen
        assert len(page.rooms) == limit
        cursor = page.next_cursor


def test_same_millisecond_rooms_keep_creation_order() -> None:
    store = RoomStore(lambda: 42)
    for room_id in "abc":
        store.create(RoomCreation(id=room_id, default_accesses=[]))
    assert walk(store, 2) == ["c", "b", "a"]


def test_fixture_rooms_with_older_dates_sort_by_date() -> None:
    store = store_with(["new"])
    store.create(RoomCreation(id="old", default_accesses=[]), created_ms=1)
    assert walk(store, 10) == ["new", "old"]
    assert [room.id for room in store] == ["old", "new"]


def test_errors_are_typed() -> None:
    store = store_with(["a"])
    with pytest.raises(RoomAlreadyExists):
        store.create(RoomCreation(id="a", default_accesses=[]))
    with pytest.raises(RoomNotFound):
        store.get("b")
    with pytest.raises(RoomAlreadyExists):
        store_with(["a", "b"]).rename("a", "b")


def test_rename_keeps_position() -> None:
    store = store_with(["a", "b", "c"])
    store.rename("b", "z")
    assert walk(store, 10) == ["c", "z", "a"]
    assert store.find("b") is None


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(0, 120),
    deletions=st.lists(st.integers(0, 119), max_size=80),
    limit=st.integers(1, 30),
)
def test_pages_walk_every_room_once_newest_first(
    count: int, deletions: list[int], limit: int
) -> None:
    ids = [f"r{i}" for i in range(count)]
    store = store_with(ids)
    for index in deletions:
        if index < count:
            store.delete(f"r{index}")
    alive = [room_id for i, room_id in enumerate(ids) if i not in set(deletions)]
    assert walk(store, limit) == list(reversed(alive))
    assert len(store) == len(alive)


def test_compaction_after_many_deletions_keeps_order() -> None:
    ids = [f"r{i}" for i in range(5000)]
    store = store_with(ids)
    for room_id in ids[:4000]:
        store.delete(room_id)
    assert walk(store, 100) == list(reversed(ids[4000:]))


@pytest.mark.parametrize("cursor", ["", "x", "AAAA", "!!!!", "A" * 200])
def test_garbage_cursors_are_refused(cursor: str) -> None:
    from emulator.domain.rooms import InvalidCursor

    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)


def test_an_emptied_store_keeps_no_order_keys() -> None:
    # Left-over keys would pin the memory pools the deleted rooms lived in.
    store = store_with([f"r{i}" for i in range(500)])
    for i in range(500):
        store.delete(f"r{i}")
    assert store._keys == [] and len(store) == 0
    store.create(RoomCreation(id="again", default_accesses=[]))
    assert walk(store, 10) == ["again"]


def test_the_newest_rooms_leave_no_keys_behind() -> None:
    # A test's create + delete, a thousand times over: a page (newest first) would
    # otherwise step over a thousand dead keys.
    store = store_with(["a", "b", "c"])
    store.mark_baseline()
    for i in range(1000):
        store.create(RoomCreation(id=f"new-{i % 3}", default_accesses=[]))
        if i % 2:
            store.delete("b")  # a middle one: its key stays until restored
        store.delete(f"new-{i % 3}")
        store.restore_baseline()
    assert len(store._keys) == 3 and store._dead_keys == 0
    assert walk(store, 2) == ["c", "b", "a"]
    store.create(RoomCreation(id="d", default_accesses=[]))
    store.delete("c")  # not the newest: left for compaction
    store.delete("d")  # the newest, and the dead key before it
    assert len(store._keys) == 2 and store._dead_keys == 0
    assert walk(store, 10) == ["b", "a"]
