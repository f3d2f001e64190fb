"""The incremental reset: whatever a test did, a reset gives the state a full reset gives.

Random sequences of domain changes (rooms created, deleted, renamed into each
other's ids, updated, moved, storage replaced or edited, schemas made, attached,
detached, deleted, fixtures loaded, resets to empty…) run on a state loaded from
fixtures; after ``reset()`` it must equal a state freshly loaded from the same
fixtures — the snapshot, the rooms' order and everything a snapshot does not
show (order keys, actor and node-id counters) — and share no mutable object
with the baseline the next reset restores from.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.config import Config
from emulator.domain.errors import DomainError
from emulator.domain.room_inputs import RoomCreation, RoomUpdate
from emulator.domain.rooms import Room, RoomStore
from emulator.domain.storage_formats import from_plain_lson
from emulator.fixture_files import FixtureSource
from emulator.state import EmulatorState

SCHEMA = "type Storage { title: string }"
FIXTURES = {
    "schemas": [{"name": "note", "body": SCHEMA, "createdAt": "2026-01-01T00:00:00.000Z"}],
    "rooms": [
        {"id": "a", "defaultAccesses": ["room:write"], "metadata": {"tags": ["x", "y"], "k": "v"},
         "usersAccesses": {"alice": ["room:write"]}, "groupsAccesses": {"g": ["room:read"]},
         "storage": {"liveblocksType": "LiveObject", "data": {"title": "A"}}, "schema": "note@1",
         "createdAt": "2026-01-02T00:00:00.000Z"},
        {"id": "b", "lastConnectionAt": "2026-01-04T00:00:00.000Z",
         "storage": {"liveblocksType": "LiveObject", "data": {"items": {
             "liveblocksType": "LiveList", "data": [1, 2]}}},
         "createdAt": "2026-01-03T00:00:00.000Z"},
        {"id": "c"},
        {"id": "d"},  # same createdAt as "c" (the start-up time): the order key decides
    ],
}
IDS = ["a", "b", "c", "d", "x", "y"]


def new_state() -> EmulatorState:
    clock = itertools.count(1_780_000_000_000).__next__
    state = EmulatorState(Config(), clock=clock)
    state.load_startup_fixtures([FixtureSource(FIXTURES, "fixtures")])
    return state


def fingerprint(state: EmulatorState, *, keys: bool = True) -> tuple[Any, ...]:
    """What a test can observe, and the counters it cannot (yet) see (the order keys:
    a full reset numbers them anew, in the same order)."""
    rooms = [(r.id, r.order_key if keys else None, r.created_ms, r.next_actor, r.next_server_id(),
              r.last_connection_ms) for r in state.rooms]
    newest_first = [r.id for r in state.rooms.page(limit=100).rooms]
    return state.snapshot(), rooms, newest_first


def change(state: EmulatorState, step: tuple[str, str, str]) -> None:
    kind, one, other = step
    rooms = state.rooms
    try:
        if kind == "create":
            rooms.create(RoomCreation(id=one, default_accesses=["room:read"]))
        elif kind == "delete":
            state.delete_room(one)
        elif kind == "rename":
            state.rename_room(one, other)
        elif kind == "update":
            rooms.update(one, RoomUpdate(metadata={"k": other, "tags": None}, default_accesses=[]))
        elif kind == "move":
            rooms.move_organization(one, "default", other)
        elif kind == "storage":
            state.detach_schema(rooms.get(one))
            rooms.get(one).replace_storage(from_plain_lson(
                {"liveblocksType": "LiveObject", "data": {"n": other}}))
        elif kind == "edit":  # in place, as the realtime ops do
            room = rooms.get(one)
            room.document().root.data["edited"] = other
            room.take_actor()
            room.last_connection_ms = 1
            room.metadata["tags"] = ["mutated in place"]
            room.users_accesses.setdefault("bob", []).append("room:write")
        elif kind == "schema":
            if other == "x":
                state.schemas.create("extra", SCHEMA)
            elif other == "y":
                state.schemas.update("note@1", SCHEMA)
            else:
                state.schemas.delete("note@1")
        elif kind == "attach":
            state.attach_schema(rooms.get(one), "note@1")
        elif kind == "load":
            state.load([FixtureSource({"rooms": [{"id": one}]}, "marker")])
        elif kind == "empty":
            state.reset(to_fixtures=False)
        elif kind == "reset":
            state.reset()
    except DomainError:
        pass  # refused: the state is unchanged, and the reset must cope all the same


STEPS = st.tuples(
    st.sampled_from(["create", "delete", "rename", "update", "move", "storage", "edit",
                     "schema", "attach", "load", "empty", "reset"]),
    st.sampled_from(IDS), st.sampled_from(IDS),
)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, max_size=12))
def test_reset_after_any_changes_equals_a_fresh_state(steps: list[tuple[str, str, str]]) -> None:
    state = new_state()
    expected = fingerprint(new_state())
    assert fingerprint(state) == expected
    for _ in range(2):  # twice: the first reset must leave the baseline intact
        for step in steps:
            change(state, step)
        state.reset()
        assert fingerprint(state) == expected


def test_a_reset_re_makes_only_the_rooms_a_test_touched() -> None:
    state = new_state()
    untouched = state.rooms.find("c")
    state.reset()
    before = {room.id: room for room in state.rooms}
    state.rooms.get("a").metadata["k"] = "changed"
    state.rooms.create(RoomCreation(id="x", default_accesses=[]))
    state.reset()
    after = {room.id: room for room in state.rooms}
    assert after["a"] is not before["a"] and after["a"].metadata["k"] == "v"
    assert all(after[i] is before[i] for i in ("b", "c", "d"))
    assert "x" not in after and untouched is not after["c"]  # "c" was found before the reset


def test_a_restored_room_shares_nothing_mutable_with_the_baseline() -> None:
    """Every field of a copy is immutable or a new object: a new mutable field must be
    copied in Room.detached_copy, or this fails."""
    state = new_state()
    room = state.rooms.get("a")
    room.document()
    twin = room.detached_copy()
    for field in dataclasses.fields(Room):
        value = getattr(twin, field.name)
        if field.name == "pending_storage":  # Plain LSON: never mutated, shared on purpose
            continue
        if not isinstance(value, (str, int, type(None), tuple, frozenset)):
            assert value is not getattr(room, field.name), field.name
            for inner, original in zip(_values(value), _values(getattr(room, field.name)),
                                       strict=True):
                if isinstance(inner, (list, dict)):
                    assert inner is not original, field.name


def _values(container: Any) -> list[Any]:
    return list(container.values()) if isinstance(container, dict) else list(container)


def test_a_long_journal_turns_into_a_full_restore() -> None:
    """A server used for hours journals without bound no more: past 1,024 ids it restores all."""
    store = RoomStore(itertools.count(1).__next__)
    store.create(RoomCreation(id="kept", default_accesses=[]))
    store.mark_baseline()
    for n in range(3000):
        store.create(RoomCreation(id=f"r{n}", default_accesses=[]))
        store.delete(f"r{n}")
    assert len(store._touched) <= 1025
    store.restore_baseline()
    assert [room.id for room in store] == ["kept"]


def test_an_emptied_store_without_baseline_keeps_no_journal() -> None:
    store = RoomStore(itertools.count(1).__next__)
    for n in range(10):
        store.create(RoomCreation(id=f"r{n}", default_accesses=[]))
    for n in range(10):
        store.delete(f"r{n}")
    assert not store._touched  # the ids of rooms gone would pin their memory


class PlainStore:
    """A store that does not take part in the incremental reset: only ``clear``."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.clears = 0

    def clear(self) -> None:
        self.items.clear()
        self.clears += 1


def test_a_store_that_does_not_opt_in_gets_a_full_reset() -> None:
    state = new_state()
    plain = PlainStore()
    state.stores.append(plain)
    expected = fingerprint(new_state(), keys=False)
    plain.items.append("left by a test")
    state.rooms.get("a").metadata["k"] = "changed"
    state.rooms.get("c").metadata["k"] = "changed"  # no journal needed on the full path
    state.rooms._touched.clear()
    state.reset()
    assert plain.items == [] and plain.clears == 1
    assert fingerprint(state, keys=False) == expected


def test_every_store_of_the_state_takes_part_in_the_reset() -> None:
    """A store added to EmulatorState but not to ``stores`` would keep one test's data
    for the next: everything with a ``clear`` must be listed (or wrapped) there."""
    state = EmulatorState(Config())
    listed = {id(store) for store in state.stores}
    # A wrapper (EmptiedOnReset, RoomKeyedBaseline) names the store it resets as ``store``.
    listed |= {id(store.store) for store in state.stores if hasattr(store, "store")}
    # The dashboard's log of recent calls spans resets on purpose (a reset is one of them).
    kept_across_resets = {"activity"}
    for name, value in vars(state).items():
        if name in kept_across_resets:
            continue
        if callable(getattr(value, "clear", None)) and not isinstance(value, (list, dict, set)):
            assert id(value) in listed, f"EmulatorState.{name} is not in EmulatorState.stores"


def test_yjs_documents_come_back_with_their_rooms() -> None:
    """Yjs documents are keyed by Room object: a reset gives the rooms it puts back their
    fixture documents, drops documents made since, and keeps untouched rooms' as they are."""
    import pathlib

    from emulator.domain.room_inputs import parse_creation
    from emulator.fixture_files import read_fixture_file

    demo = read_fixture_file(pathlib.Path(__file__).parents[2] / "fixtures" / "demo.json")
    state = EmulatorState(Config())
    state.load_startup_fixtures([demo])
    notes = state.rooms.get("meeting-notes")
    saved = state.yjs.docs(notes).updates()
    assert saved["root"]
    for full in (False, True):
        state.yjs.drop(state.rooms.get("meeting-notes"))  # a test changed the document
        new = state.rooms.create(parse_creation({"id": "scratch", "defaultAccesses": []}))
        state.yjs.docs(new)  # a document made for a room made since
        if full:
            state.reset(to_fixtures=False)
        state.reset()
        assert state.yjs.docs(state.rooms.get("meeting-notes")).updates() == saved
        assert state.rooms.peek("scratch") is None
        assert all(state.rooms.peek(room.id) is room for room, _ in state.yjs)
