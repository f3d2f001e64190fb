"""Hypothesis strategies shared by tests: JSON values, Plain LSON roots, fixture documents."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from emulator.domain.clock import format_ms
from emulator.domain.permissions import ROOM_PERMISSIONS

keys = st.text(max_size=8) | st.sampled_from(["", "__proto__", "a.b", "ключ", "🎉", "liveblocksType2"])
scalars = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
)
plain_json = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(keys.filter(lambda k: k != "liveblocksType"), children, max_size=4),
    max_leaves=12,
)


def _live(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    values = children | plain_json
    return (
        st.dictionaries(keys, values, max_size=4).map(
            lambda data: {"liveblocksType": "LiveObject", "data": data})
        | st.lists(values, max_size=4).map(lambda data: {"liveblocksType": "LiveList", "data": data})
        | st.dictionaries(keys, values, max_size=4).map(
            lambda data: {"liveblocksType": "LiveMap", "data": data})
    )


live_values = st.recursive(st.nothing(), _live, max_leaves=10)
lson_roots = st.dictionaries(keys, live_values | plain_json, max_size=5).map(
    lambda data: {"liveblocksType": "LiveObject", "data": data}
)

permissions = st.lists(st.sampled_from(sorted(ROOM_PERMISSIONS)), max_size=3, unique=True)
room_ids = st.text(min_size=1, max_size=30).filter(lambda s: s not in (".", ".."))
metadata = st.dictionaries(
    st.text(max_size=40),
    st.text(max_size=20) | st.lists(st.text(max_size=10), max_size=3),
    max_size=5,
)
accesses = st.dictionaries(st.text(min_size=1, max_size=40), permissions, max_size=3)
timestamps = st.integers(0, 4_000_000_000_000).map(format_ms)

COUNTER_SCHEMA = "type Storage { n: number }"


@st.composite
def fixture_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A fixture document: a few rooms, some with storage, some bound to a schema."""
    ids = draw(st.lists(room_ids, max_size=6, unique=True))
    rooms: list[dict[str, Any]] = []
    with_schema = False
    for room_id in ids:
        room: dict[str, Any] = {
            "id": room_id,
            "defaultAccesses": draw(permissions),
            "metadata": draw(metadata),
            "usersAccesses": draw(accesses),
            "groupsAccesses": draw(accesses),
            "organizationId": draw(st.sampled_from(["default", "acme"])),
            "createdAt": draw(timestamps),
        }
        if draw(st.booleans()):
            room["lastConnectionAt"] = draw(timestamps)
        kind = draw(st.sampled_from(["none", "storage", "schema"]))
        if kind == "storage":
            room["storage"] = draw(lson_roots)
        elif kind == "schema":
            with_schema = True
            room["schema"] = "counter@1"
            room["storage"] = {"liveblocksType": "LiveObject", "data": {"n": draw(st.integers())}}
        rooms.append(room)
    schemas = [{"name": "counter", "body": COUNTER_SCHEMA}] if with_schema or draw(st.booleans()) else []
    return {"schemas": schemas, "rooms": rooms}
