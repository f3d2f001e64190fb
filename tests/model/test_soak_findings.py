"""What the soak (bench/bench_soak.py) found: memory an emptied emulator kept."""

from __future__ import annotations

import itertools
import sys

import httpx

from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore
from emulator.server import BackgroundServer

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


def test_a_live_room_is_let_go_when_its_last_rest_presence_expires(
    server: BackgroundServer, http: httpx.Client
) -> None:
    # The hub kept an empty LiveRoom for every room that once had a REST presence, until the
    # room was deleted.
    assert http.post("/v2/rooms", json={"id": "p", "defaultAccesses": []}).status_code == 200
    body = {"userId": "u", "data": {"x": 1}, "ttl": 2}
    assert http.post("/v2/rooms/p/presence", json=body).status_code == 204
    live_rooms = server.state.live._rooms
    assert server.call(lambda: len(live_rooms)) == 1

    def expire() -> None:  # what the presence's timer does after its ttl, without the wait
        (live,) = live_rooms.values()
        timer = live.backend_users["u"].expiry
        assert timer is not None
        timer.cancel()
        live._expire_backend("u")

    server.call(expire)
    assert server.call(lambda: len(live_rooms)) == 0
    assert http.get("/v2/rooms/p/active_users").json() == {"data": []}
