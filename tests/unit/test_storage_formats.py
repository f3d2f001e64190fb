"""Plain LSON <-> nodes, plain JSON projection and serialized nodes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain.errors import InvalidInput
from emulator.domain.storage import LIST, MAP, OBJECT, REGISTER
from emulator.domain.storage_formats import (
    clone_json,
    from_plain_lson,
    json_equal,
    live_object,
    serialize_nodes_compact,
    serialize_nodes_objects,
    slot_value,
    to_json,
    to_plain_lson,
)
from tests.strategies import lson_garbage, plain_projection

# ------------------------------------------------------------ strategies

keys = st.text(max_size=6) | st.sampled_from(
    ["", "__proto__", "liveblocksType", "data", "ü", "a.b"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
# Plain JSON that never looks like Plain LSON (no "liveblocksType" key).
plain_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(keys.filter(lambda k: k != "liveblocksType"), inner, max_size=4)
    ),
    max_leaves=12,
)


def _lson(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    def obj(fields: dict[str, Any]) -> dict[str, Any]:
        return {"liveblocksType": "LiveObject", "data": fields}

    return (
        st.dictionaries(keys, children | plain_json, max_size=4).map(obj)
        | st.lists(children | plain_json, max_size=4).map(
            lambda items: {"liveblocksType": "LiveList", "data": items}
        )
        | st.dictionaries(keys, children | plain_json, max_size=4).map(
            lambda m: {"liveblocksType": "LiveMap", "data": m}
        )
    )


live_values = st.recursive(st.nothing(), _lson, max_leaves=10)
roots = st.dictionaries(keys, live_values | plain_json, max_size=5).map(
    lambda fields: {"liveblocksType": "LiveObject", "data": fields}
)


# --------------------------------------------------------------- round trip


@settings(max_examples=150, deadline=None)
@given(roots)
def test_plain_lson_round_trip(value: dict[str, Any]) -> None:
    doc = from_plain_lson(value)
    assert json_equal(to_plain_lson(doc), value)
    assert json_equal(to_json(doc), plain_projection(value))


@settings(max_examples=60, deadline=None)
@given(roots)
def test_serialized_nodes_agree(value: dict[str, Any]) -> None:
    doc = from_plain_lson(value)
    compact = serialize_nodes_compact(doc)
    objects = serialize_nodes_objects(doc)
    assert len(compact) == len(objects) == doc.node_count
    assert compact[0] == ["root", objects[0][1]["data"]]
    seen = {"root"}
    for tup, (node_id, crdt) in zip(compact[1:], objects[1:], strict=True):
        assert tup[0] == node_id
        assert tup[1] == crdt["type"]
        assert tup[2] == crdt["parentId"] and tup[2] in seen  # parents first
        assert tup[3] == crdt["parentKey"]
        if crdt["type"] in (OBJECT, REGISTER):
            assert tup[4] == crdt["data"]
        else:
            assert len(tup) == 4 and "data" not in crdt
        seen.add(node_id)


def test_ids_and_positions_follow_the_reference_importer() -> None:
    doc = from_plain_lson(
        {
            "liveblocksType": "LiveObject",
            "data": {
                "title": "t",
                "list": {"liveblocksType": "LiveList", "data": ["a", {"x": 1}, "c"]},
                "meta": {
                    "liveblocksType": "LiveObject",
                    "data": {"m": {"liveblocksType": "LiveMap", "data": {"k": 1}}},
                },
            },
        }
    )
    assert serialize_nodes_compact(doc) == [
        ["root", {"title": "t"}],
        ["si:1", LIST, "root", "list"],
        ["si:2", REGISTER, "si:1", "!", "a"],
        ["si:3", REGISTER, "si:1", "!!", {"x": 1}],
        ["si:4", REGISTER, "si:1", '!"', "c"],
        ["si:5", OBJECT, "root", "meta", {}],
        ["si:6", MAP, "si:5", "m"],
        ["si:7", REGISTER, "si:6", "k", 1],
    ]
    assert serialize_nodes_objects(doc)[:2] == [
        ["root", {"type": 0, "data": {"title": "t"}}],
        ["si:1", {"type": 1, "parentId": "root", "parentKey": "list"}],
    ]


def test_import_matches_the_reference_importer() -> None:
    recorded = json.loads(
        (Path(__file__).parent / "data" / "reference_storage_ops.json").read_text()
    )
    for case in recorded["imports"]:
        ours = serialize_nodes_objects(from_plain_lson(case["doc"]))
        assert sorted(ours) == sorted(case["nodes"])


def test_plain_values_in_objects_are_static_data() -> None:
    doc = from_plain_lson(
        {"liveblocksType": "LiveObject", "data": {"o": {"a": [1, {"b": 2}]}, "n": None}}
    )
    assert doc.node_count == 1
    assert doc.root.data == {"o": {"a": [1, {"b": 2}]}, "n": None}


def test_empty_storage() -> None:
    doc = from_plain_lson({"liveblocksType": "LiveObject", "data": {}})
    assert to_plain_lson(doc) == {"liveblocksType": "LiveObject", "data": {}}
    assert to_json(doc) == {}
    assert serialize_nodes_compact(doc) == [["root", {}]]


def test_output_is_a_copy() -> None:
    doc = from_plain_lson({"liveblocksType": "LiveObject", "data": {"a": {"b": [1]}}})
    to_json(doc)["a"]["b"].append(2)
    to_plain_lson(doc)["data"]["a"]["b"].append(3)
    assert to_json(doc) == {"a": {"b": [1]}}


def test_input_is_copied() -> None:
    value: dict[str, Any] = {"liveblocksType": "LiveObject", "data": {"a": {"b": [1]}}}
    doc = from_plain_lson(value)
    value["data"]["a"]["b"].append(2)
    assert to_json(doc) == {"a": {"b": [1]}}


def test_subtree_and_slot_value() -> None:
    doc = from_plain_lson(
        {
            "liveblocksType": "LiveObject",
            "data": {"s": 1, "m": {"liveblocksType": "LiveMap", "data": {"k": [1]}}},
        }
    )
    assert to_plain_lson(doc, "si:1") == {"liveblocksType": "LiveMap", "data": {"k": [1]}}
    assert to_json(doc, "si:2") == [1]
    assert slot_value(doc, "root", "s") == (True, 1)
    assert slot_value(doc, "root", "m") == (True, {"liveblocksType": "LiveMap", "data": {"k": [1]}})
    assert slot_value(doc, "root", "nope") == (False, None)


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "root: the storage root must be a LiveObject"),
        ({"liveblocksType": "LiveList", "data": []}, "root: the storage root must be a LiveObject"),
        ({"liveblocksType": "LiveObject"}, "root: missing 'data' in a LiveObject"),
        (
            {"liveblocksType": "LiveObject", "data": [], "x": 1},
            "root: unexpected key 'x' beside 'liveblocksType' and 'data'",
        ),
        (
            {"liveblocksType": "LiveObject", "data": []},
            "root.data: a LiveObject's data must be an object, got an array",
        ),
        (
            {
                "liveblocksType": "LiveObject",
                "data": {
                    "shapes": {
                        "liveblocksType": "LiveList",
                        "data": [1, 2, {"liveblocksType": "LiveText", "data": []}],
                    }
                },
            },
            "root.data.shapes.data[2]: unknown liveblocksType 'LiveText'",
        ),
        (
            {
                "liveblocksType": "LiveObject",
                "data": {"f": {"liveblocksType": "LiveFile", "data": {}}},
            },
            "root.data.f: unknown liveblocksType 'LiveFile'",
        ),
        (
            {"liveblocksType": "LiveObject", "data": {"x": {"liveblocksType": None, "data": {}}}},
            "root.data.x: unknown liveblocksType null",
        ),
        (
            {
                "liveblocksType": "LiveObject",
                "data": {"l": {"liveblocksType": "LiveList", "data": {}}},
            },
            "root.data.l.data: a LiveList's data must be an array, got an object",
        ),
        (
            {
                "liveblocksType": "LiveObject",
                "data": {"m": {"liveblocksType": "LiveMap", "data": 3}},
            },
            "root.data.m.data: a LiveMap's data must be an object, got a number",
        ),
        (
            {"liveblocksType": "LiveObject", "data": {"my key": {"liveblocksType": "LiveMap"}}},
            "root.data[\"my key\"]: missing 'data' in a LiveMap",
        ),
        (
            {"liveblocksType": "LiveObject", "data": {"a": {"b": [1, float("nan")]}}},
            "root.data.a.b[1]: nan is not a JSON number",
        ),
        (
            {"liveblocksType": "LiveObject", "data": {"a": (1, 2)}},
            "root.data.a: a tuple is not a JSON value",
        ),
        (
            {"liveblocksType": "LiveObject", "data": {"a": {1: 2}}},
            "root.data.a: object key 1 is not a string",
        ),
    ],
)
def test_malformed_lson_names_the_path(value: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        from_plain_lson(value)
    assert info.value.message.startswith(message), info.value.message


# ------------------------------------------------------------ big and deep


def test_deep_documents_without_recursion() -> None:
    depth = 10_000
    value: dict[str, Any] = {"liveblocksType": "LiveObject", "data": {"leaf": True}}
    for i in range(depth):
        kind = i % 3
        if kind == 0:
            value = {"liveblocksType": "LiveObject", "data": {"c": value}}
        elif kind == 1:
            value = {"liveblocksType": "LiveList", "data": [value]}
        else:
            value = {"liveblocksType": "LiveMap", "data": {"k": value}}
    root = {"liveblocksType": "LiveObject", "data": {"top": value}}
    doc = from_plain_lson(root)
    assert doc.node_count == depth + 2
    # (== on nested dicts recurses in C, so compare with the iterative json_equal)
    assert json_equal(to_plain_lson(doc), root)
    assert json_equal(to_json(doc), _project_iteratively(root))
    compact = serialize_nodes_compact(doc)
    assert len(compact) == depth + 2
    assert len(doc.path_of(compact[-1][0])) == depth + 1


def _project_iteratively(value: Any) -> Any:
    # The recursive projection() would overflow here; unwrap level by level.
    out: dict[str, Any] = {}
    stack: list[tuple[Any, Any, Any]] = [(value, out, "x")]
    while stack:
        src, target, key = stack.pop()
        if isinstance(src, dict) and "liveblocksType" in src:
            data = src["data"]
            new: Any = [] if isinstance(data, list) else {}
            target[key] = new
            if isinstance(data, list):
                for item in data:
                    new.append(None)
                    stack.append((item, new, len(new) - 1))
            else:
                for k, v in data.items():
                    stack.append((v, new, k))
        else:
            target[key] = src
    return out["x"]


def test_deep_plain_json_values() -> None:
    deep: Any = "bottom"
    for _ in range(20_000):
        deep = {"a": [deep]}
    doc = from_plain_lson({"liveblocksType": "LiveObject", "data": {"v": deep}})
    copy = clone_json(to_json(doc))
    assert json_equal(copy["v"], deep)


def test_large_documents() -> None:
    items = [{"liveblocksType": "LiveObject", "data": {"i": i}} for i in range(50_000)]
    root = {
        "liveblocksType": "LiveObject",
        "data": {"items": {"liveblocksType": "LiveList", "data": items}},
    }
    doc = from_plain_lson(root)
    assert doc.node_count == 50_002
    assert to_plain_lson(doc) == root
    assert to_json(doc)["items"][49_999] == {"i": 49_999}
    assert doc.path_of("si:50001") == [("LiveObject", "items"), ("LiveList", 49_999)]


def test_json_equal() -> None:
    assert json_equal(1, 1.0)
    assert not json_equal(True, 1)
    assert not json_equal(0, False)
    assert json_equal({"a": [1, {"b": None}]}, {"a": [1.0, {"b": None}]})
    assert not json_equal({"a": 1}, {"a": 1, "b": 2})
    assert not json_equal([1], [1, 2])
    assert not json_equal("1", 1)
    assert not json_equal(None, {})


@settings(max_examples=200, deadline=None)
@given(lson_garbage)
def test_garbage_lson_never_crashes(value: Any) -> None:
    try:
        doc = from_plain_lson(value)
    except InvalidInput:
        return
    doc.verify()
    assert json_equal(to_plain_lson(doc), value)


def test_errors_deep_down_keep_messages_short() -> None:
    value: Any = {"liveblocksType": "LiveText", "data": []}
    for _ in range(5_000):
        value = live_object({"c": value})
    with pytest.raises(InvalidInput) as info:
        from_plain_lson(live_object({"top": value}))
    message = info.value.message
    assert len(message) < 400
    assert message.startswith("…") and ".data.c: unknown liveblocksType 'LiveText'" in message
