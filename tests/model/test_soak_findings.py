"""What the soak (bench/bench_soak.py) checks, pinned with plain calls on the room store."""

from __future__ import annotations

import itertools
import sys

from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore

ROOMS = 20_000


def test_a_store_emptied_by_deletions_gives_back_its_memory() -> None:
    store = RoomStore(itertools.count(1_700_000_000_000).__next__)
    empty = {name: sys.getsizeof(getattr(store, name)) for name in ("_by_id", "_by_key")}
    for cycle in range(2):
        ids = [f"c{cycle}-{i}" for i in range(ROOMS)]
        for room_id in ids:
            store.create(RoomCreation(id=room_id, default_accesses=[]))
        for room_id in ids:
            store.delete(room_id)
        assert len(store) == 0 and list(store) == []
        # The order keys are compacted (at most 1,024 tombstones stay)...
        assert len(store._keys) <= 1024
        # ...and so are the id and key tables (a dict never shrinks as keys leave it: they
        # kept the size of 20,000 rooms, 1 MB, until the store was cleared).
        for name, size in empty.items():
            assert sys.getsizeof(getattr(store, name)) < size + 50_000, name
    # Still a working store: new rooms come newest first after the tombstones.
    for room_id in ("a", "b"):
        store.create(RoomCreation(id=room_id, default_accesses=[]))
    assert [room.id for room in store.page(limit=10).rooms] == ["b", "a"]
