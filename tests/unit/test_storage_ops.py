"""Realtime ops with the server rules of PROTOCOL.md §4.4."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain.errors import InvalidInput
from emulator.domain.storage import StorageDocument
from emulator.domain.storage_formats import (
    from_plain_lson,
    live_list,
    live_map,
    live_object,
    serialize_nodes_objects,
    to_json,
    to_plain_lson,
)
from emulator.domain.storage_ops import ApplyResult, apply_ops, apply_server_ops

ACK = "ACK"

# Random op batches applied by Liveblocks' server core (record_storage_ops.mjs).
REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "reference_storage_ops.json").read_text()
)


def create(
    code: int, op_id: str, node_id: str, parent_id: str, key: str, **fields: Any
) -> dict[str, Any]:
    """A CREATE_* op as a client sends it (``fields``: data, intent, deletedId)."""
    return {
        "type": code,
        "opId": op_id,
        "id": node_id,
        "parentId": parent_id,
        "parentKey": key,
        **fields,
    }


def register(
    op_id: str, node_id: str, parent_id: str, key: str, data: Any, **extra: Any
) -> dict[str, Any]:
    return create(8, op_id, node_id, parent_id, key, data=data, **extra)


def doc_with_list(*keys: str) -> StorageDocument:
    """root.items = LiveList "0:4" with register items "1:<i>" at the given positions."""
    doc = StorageDocument.empty()
    ops: list[dict[str, Any]] = [
        {"type": 2, "opId": "9:0", "id": "0:4", "parentId": "root", "parentKey": "items"}
    ]
    for i, key in enumerate(keys):
        ops.append(register(f"9:{i + 1}", f"1:{i}", "0:4", key, f"v{i}", intent="set"))
    apply_ops(doc, ops)
    return doc


def sample() -> StorageDocument:
    return from_plain_lson(
        live_object(
            {
                "title": "t",
                "obj": live_object({"a": 1, "child": live_object({"deep": live_list([1])})}),
                "map": live_map({"k": 1, "o": live_object({})}),
                "list": live_list(["x", "y"]),
            }
        )
    )


def one(doc: StorageDocument, op: dict[str, Any]) -> ApplyResult:
    result = apply_ops(doc, [op])
    doc.verify()
    return result


# ---------------------------------------------------------- verified examples


@pytest.mark.parametrize("index", range(0, len(REFERENCE["scenarios"]), 10))
def test_same_as_the_reference_server(index: int) -> None:
    """Outcomes, replies (field order included), nodes and GET output all match."""
    for scenario in REFERENCE["scenarios"][index : index + 10]:
        doc = from_plain_lson(REFERENCE["initial"][scenario["initial"]])
        r = apply_ops(doc, scenario["ops"])
        assert r.outcomes == scenario["outcomes"], scenario["ops"]
        assert json.dumps(r.immediate) == json.dumps(scenario["immediate"]), scenario["ops"]
        assert json.dumps(r.echo) == json.dumps(scenario["echo"]), scenario["ops"]
        assert r.forward == [{k: v for k, v in op.items() if k != "opId"} for op in r.echo]
        nodes = sorted(serialize_nodes_objects(doc), key=lambda node: node[0])
        assert nodes == scenario["nodes"], scenario["ops"]
        assert to_plain_lson(doc) == scenario["plainLson"]
        assert to_json(doc) == scenario["json"]
        doc.verify()


def test_update_object_example() -> None:
    doc = StorageDocument.empty()
    r = one(doc, {"opId": "0:2", "id": "root", "type": 3, "data": {"title": "hello"}})
    assert r.immediate == []
    assert r.forward == [{"type": 3, "id": "root", "data": {"title": "hello"}}]
    assert r.echo == [{"type": 3, "opId": "0:2", "id": "root", "data": {"title": "hello"}}]
    assert r.outcomes == ["accepted"]
    assert r.touched == [("root", "title")]
    assert to_json(doc) == {"title": "hello"}


def test_concurrent_push_is_rectified_with_a_fix() -> None:
    doc = doc_with_list("!", "!!", '!"', "!#")  # B's push at "!#" already applied
    r = one(
        doc,
        {
            "opId": "0:14",
            "type": 8,
            "id": "0:8",
            "parentId": "0:4",
            "parentKey": "!#",
            "data": "fromA",
            "intent": "push",
        },
    )
    assert r.immediate == [{"type": 1, "id": "0:8", "parentKey": "!$"}]
    assert r.forward == [
        {
            "type": 8,
            "id": "0:8",
            "parentId": "0:4",
            "parentKey": "!$",
            "data": "fromA",
            "intent": "push",
        }
    ]
    assert r.echo == [
        {
            "type": 8,
            "opId": "0:14",
            "id": "0:8",
            "parentId": "0:4",
            "parentKey": "!$",
            "data": "fromA",
            "intent": "push",
        }
    ]
    assert to_json(doc)["items"] == ["v0", "v1", "v2", "v3", "fromA"]


def test_push_after_the_last_item_keeps_its_position() -> None:
    doc = doc_with_list("!", "!!")
    op = {"type": 4, "opId": "0:1", "id": "0:9", "parentId": "0:4", "parentKey": "~", "data": {}}
    r = one(doc, {**op, "intent": "push"})
    assert r.immediate == [] and r.forward[0]["parentKey"] == "~"


def test_push_into_an_empty_list() -> None:
    doc = doc_with_list()
    r = one(
        doc,
        {
            "type": 2,
            "opId": "0:1",
            "id": "0:9",
            "parentId": "0:4",
            "parentKey": " ",
            "intent": "push",
        },
    )
    # " " is not a valid position: asPos gives "!", which differs from what was sent.
    assert r.immediate == [{"type": 1, "id": "0:9", "parentKey": "!"}]


def test_repeated_push_of_the_same_node_is_rectified() -> None:
    doc = doc_with_list("!")
    op = {
        "type": 8,
        "opId": "0:5",
        "id": "0:9",
        "parentId": "0:4",
        "parentKey": "!",
        "data": "x",
        "intent": "push",
    }
    one(doc, op)
    r = one(doc, {**op, "opId": "0:6", "parentKey": "~"})
    assert r.outcomes == ["rectified"]
    assert r.immediate == [
        {**op, "opId": "0:6", "parentKey": "!!"},
        {"type": 1, "id": "0:9", "parentKey": "!!"},
    ]
    assert r.forward == [] and r.echo == []


def test_insert_at_a_taken_position() -> None:
    doc = doc_with_list("!", "!!")
    r = one(
        doc, {"type": 8, "opId": "0:1", "id": "0:9", "parentId": "0:4", "parentKey": "!", "data": 1}
    )
    assert r.immediate == [{"type": 1, "id": "0:9", "parentKey": "! O"}]
    r = one(
        doc,
        {"type": 8, "opId": "0:2", "id": "0:8", "parentId": "0:4", "parentKey": "!!", "data": 2},
    )
    assert r.immediate == [{"type": 1, "id": "0:8", "parentKey": '!"'}]
    assert to_json(doc)["items"] == ["v0", 1, "v1", 2]


def test_set_intent_with_deleted_id() -> None:
    doc = doc_with_list("!", "!!")
    r = one(doc, register("0:1", "0:9", "0:4", "!!", "new", intent="set", deletedId="1:1"))
    assert r.immediate == []
    assert "1:1" not in doc
    assert to_json(doc)["items"] == ["v0", "new"]
    assert r.touched == [("0:4", "!!")]


def test_set_intent_over_someone_elses_item_sends_a_delete_fix() -> None:
    # The sender meant to replace "1:0", but "1:1" now sits at the position.
    doc = doc_with_list("!", "!!")
    r = one(doc, register("0:1", "0:9", "0:4", "!!", "new", intent="set", deletedId="1:0"))
    assert r.immediate == [{"type": 5, "id": "1:1"}]
    assert "1:0" not in doc and "1:1" not in doc
    assert to_json(doc)["items"] == ["new"]


def test_set_intent_ignores_a_deleted_id_outside_the_list() -> None:
    doc = sample()
    before = to_json(doc)
    r = one(
        doc,
        {
            "type": 8,
            "opId": "0:1",
            "id": "0:9",
            "parentId": "si:8",
            "parentKey": "~",
            "data": "z",
            "intent": "set",
            "deletedId": "si:1",  # not a sibling: left alone
        },
    )
    assert r.outcomes == ["accepted"] and r.immediate == []
    assert to_json(doc) == {**before, "list": ["x", "y", "z"]}


# -------------------------------------------------------------- CREATE rules


def test_create_with_an_existing_id_is_ignored() -> None:
    doc = sample()
    r = one(
        doc,
        {"type": 4, "opId": "0:1", "id": "si:1", "parentId": "root", "parentKey": "x", "data": {}},
    )
    assert r.outcomes == ["ignored"]
    assert r.immediate == [{"type": 5, "id": ACK, "opId": "0:1"}]
    assert r.forward == [] and r.echo == [] and r.touched == []


@pytest.mark.parametrize(
    "op",
    [
        # missing parent
        {"type": 4, "id": "0:9", "parentId": "nope", "parentKey": "x", "data": {}},
        # register under an object
        {"type": 8, "id": "0:9", "parentId": "root", "parentKey": "x", "data": 1},
        # anything under a register (si:6 is map.k = 1)
        {"type": 7, "id": "0:9", "parentId": "si:6", "parentKey": "x"},
        # push of an existing node that is not in a list
        {
            "type": 4,
            "id": "si:1",
            "parentId": "root",
            "parentKey": "x",
            "data": {},
            "intent": "push",
        },
        # LiveText and LiveFile are not stored
        {"type": 9, "id": "0:9", "parentId": "root", "parentKey": "x", "data": [], "version": 0},
        {
            "type": 11,
            "id": "0:9",
            "parentId": "root",
            "parentKey": "x",
            "data": {"id": "fl_" + "a" * 21, "name": "n", "size": 1, "mimeType": "m"},
        },
        {"type": 10, "id": "0:9", "baseVersion": 0, "ops": []},
        # SET_PARENT_KEY of a missing node, of the root, of a non-list child
        {"type": 1, "id": "nope", "parentKey": "!"},
        {"type": 1, "id": "root", "parentKey": "!"},
        {"type": 1, "id": "si:1", "parentKey": "!"},
    ],
)
def test_ignored_ops_get_the_ack_hack(op: dict[str, Any]) -> None:
    doc = sample()
    before = serialize_nodes_objects(doc)
    r = one(doc, {**op, "opId": "7:7"})
    assert r.outcomes == ["ignored"]
    assert r.immediate == [{"type": 5, "id": "ACK", "opId": "7:7"}]
    assert r.forward == [] and r.echo == []
    assert serialize_nodes_objects(doc) == before


def test_create_overwrites_a_child_subtree_and_static_field() -> None:
    doc = sample()
    assert "si:2" in doc and "si:3" in doc  # obj.child and obj.child.deep
    r = one(doc, {"type": 7, "opId": "0:1", "id": "0:9", "parentId": "si:1", "parentKey": "child"})
    assert "si:2" not in doc and "si:3" not in doc and "si:4" not in doc
    r = one(doc, {"type": 2, "opId": "0:2", "id": "0:8", "parentId": "si:1", "parentKey": "a"})
    assert to_json(doc)["obj"] == {"a": [], "child": {}}
    assert r.touched == [("si:1", "a")]
    assert doc.node("si:1").data == {}


def test_create_in_a_map_replaces_the_value() -> None:
    doc = sample()
    one(
        doc,
        {"type": 8, "opId": "0:1", "id": "0:9", "parentId": "si:5", "parentKey": "o", "data": 5},
    )
    one(
        doc,
        {"type": 8, "opId": "0:2", "id": "0:8", "parentId": "si:5", "parentKey": "k", "data": 6},
    )
    assert to_json(doc)["map"] == {"k": 6, "o": 5}
    assert "si:6" not in doc and "si:7" not in doc


def test_nested_create_in_one_message() -> None:
    doc = StorageDocument.empty()
    r = apply_ops(
        doc,
        [
            create(4, "0:1", "0:1", "root", "meta", data={"a": 1}),
            create(4, "0:2", "0:2", "0:1", "nested", data={}),
            {"type": 3, "opId": "0:3", "id": "0:2", "data": {"b": 2}},
            {"type": 3, "opId": "0:4", "id": "root", "data": {"c": 3}},
        ],
    )
    assert to_json(doc) == {"meta": {"a": 1, "nested": {"b": 2}}, "c": 3}
    # Slots inside the subtree created by this message are covered by ("root", "meta").
    assert r.touched == [("root", "meta"), ("root", "c")]


def test_forwarded_create_data_is_not_changed_by_later_ops() -> None:
    doc = StorageDocument.empty()
    r = apply_ops(
        doc,
        [
            create(4, "0:1", "0:1", "root", "o", data={"a": 1}),
            {"type": 3, "opId": "0:2", "id": "0:1", "data": {"a": 2}},
        ],
    )
    assert r.forward[0]["data"] == {"a": 1}


# ---------------------------------------------------------- other op rules


def test_update_object_removes_children_and_ignores_non_objects() -> None:
    doc = sample()
    r = one(doc, {"type": 3, "opId": "0:1", "id": "si:1", "data": {"child": None, "b": [1]}})
    assert "si:2" not in doc and "si:3" not in doc
    assert to_json(doc)["obj"] == {"a": 1, "child": None, "b": [1]}
    assert r.touched == [("si:1", "child"), ("si:1", "b")]
    for target in ("si:5", "nope"):  # a map, a missing node: accepted, no change
        r = one(doc, {"type": 3, "opId": "0:2", "id": target, "data": {"x": 1}})
        assert r.outcomes == ["accepted"] and r.touched == []
        assert r.forward == [{"type": 3, "id": target, "data": {"x": 1}}]


def test_delete_object_key() -> None:
    doc = sample()
    r = one(doc, {"type": 6, "opId": "0:1", "id": "si:1", "key": "a"})
    assert r.touched == [("si:1", "a")]
    r = one(doc, {"type": 6, "opId": "0:2", "id": "si:1", "key": "child"})
    assert to_json(doc)["obj"] == {}
    assert "si:3" not in doc
    r = one(doc, {"type": 6, "opId": "0:3", "id": "nope", "key": "child"})
    assert r.outcomes == ["accepted"] and r.touched == []
    r = one(doc, {"type": 6, "opId": "0:4", "id": "si:1", "key": "never"})
    assert r.outcomes == ["accepted"] and r.touched == []


def test_delete_crdt() -> None:
    doc = sample()
    for target in ("root", "nope"):
        r = one(doc, {"type": 5, "opId": "0:1", "id": target})
        assert r.outcomes == ["accepted"]
        assert r.forward == [{"type": 5, "id": target}]
    assert "root" in doc
    r = one(doc, {"type": 5, "opId": "0:2", "id": "si:1"})
    assert r.touched == [("root", "obj")]
    assert "obj" not in to_json(doc) and doc.node_count == 7
    r = one(doc, {"type": 5, "opId": "0:3", "id": "si:9"})  # a list item
    assert r.touched == [] and to_json(doc)["list"] == ["y"]


def test_set_parent_key() -> None:
    doc = doc_with_list("!", "!!", '!"')
    r = one(doc, {"type": 1, "opId": "0:1", "id": "1:0", "parentKey": "!"})  # same key
    assert r.outcomes == ["accepted"] and r.immediate == [] and r.touched == []
    r = one(doc, {"type": 1, "opId": "0:2", "id": "1:0", "parentKey": "~"})  # free key
    assert r.immediate == [] and r.forward == [{"type": 1, "id": "1:0", "parentKey": "~"}]
    assert to_json(doc)["items"] == ["v1", "v2", "v0"]
    assert r.touched == [("0:4", "~")]
    r = one(doc, {"type": 1, "opId": "0:3", "id": "1:2", "parentKey": "!!"})  # taken
    assert r.immediate == [{"type": 1, "id": "1:2", "parentKey": "!!O"}]
    assert r.echo == [{"type": 1, "opId": "0:3", "id": "1:2", "parentKey": "!!O"}]
    assert to_json(doc)["items"] == ["v1", "v2", "v0"]
    r = one(doc, {"type": 1, "opId": "0:4", "id": "1:1", "parentKey": "~"})  # taken, last
    assert r.immediate == [{"type": 1, "id": "1:1", "parentKey": "~!"}]
    assert to_json(doc)["items"] == ["v2", "v0", "v1"]


def test_reply_order_for_a_mixed_message() -> None:
    doc = doc_with_list("!")
    r = apply_ops(
        doc,
        [
            {
                "type": 8,
                "opId": "0:1",
                "id": "0:1",
                "parentId": "nope",
                "parentKey": "!",
                "data": 1,
            },
            {"type": 8, "opId": "0:2", "id": "0:2", "parentId": "0:4", "parentKey": "!", "data": 2},
            {"type": 3, "opId": "0:3", "id": "root", "data": {"x": 1}},
            {"type": 10, "opId": "0:4", "id": "0:2", "baseVersion": 0, "ops": []},
        ],
    )
    assert r.outcomes == ["ignored", "accepted", "accepted", "ignored"]
    assert r.immediate == [
        {"type": 5, "id": "ACK", "opId": "0:1"},
        {"type": 1, "id": "0:2", "parentKey": "!!"},
        {"type": 5, "id": "ACK", "opId": "0:4"},
    ]
    assert [op.get("opId") for op in r.echo] == ["0:2", "0:3"]
    assert all("opId" not in op for op in r.forward)
    assert r.changed


def test_unknown_fields_are_dropped() -> None:
    doc = StorageDocument.empty()
    r = one(doc, {"type": 3, "opId": "0:1", "id": "root", "data": {}, "evil": 1})
    assert r.echo == [{"type": 3, "opId": "0:1", "id": "root", "data": {}}]


def test_register_without_data_reads_as_null() -> None:
    doc = doc_with_list()
    r = one(doc, {"type": 8, "opId": "0:1", "id": "0:9", "parentId": "0:4", "parentKey": "!"})
    assert r.forward == [{"type": 8, "id": "0:9", "parentId": "0:4", "parentKey": "!"}]
    assert to_json(doc)["items"] == [None]


def test_no_write_access_rejects_the_whole_message() -> None:
    doc = sample()
    before = serialize_nodes_objects(doc)
    r = apply_ops(
        doc,
        [
            {"type": 3, "opId": "0:1", "id": "root", "data": {"a": 1}},
            {"type": 5, "opId": "0:2", "id": "si:1"},
        ],
        actor_can_write=False,
    )
    assert r.rejected_op_ids == ["0:1", "0:2"]
    assert r.outcomes == ["rejected", "rejected"]
    assert r.forward == r.echo == r.immediate == []
    assert serialize_nodes_objects(doc) == before


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ({"type": 3}, "'ops' must be an array"),
        (["x"], "ops[0]: an op must be an object"),
        ([{"type": 42, "opId": "0:1"}], "ops[0]: unknown op type 42"),
        ([{"type": 0, "opId": "0:1"}], "ops[0]: unknown op type 0"),
        ([{"type": True, "opId": "0:1", "id": "x"}], "ops[0]: unknown op type True"),
        ([{"type": "5", "opId": "0:1", "id": "x"}], "ops[0]: unknown op type '5'"),
        ([{"type": 5, "id": "x"}], "ops[0]: 'opId' must be a string"),
        ([{"type": 5, "opId": 1, "id": "x"}], "ops[0]: 'opId' must be a string"),
        ([{"type": 5, "opId": "0:1"}], "ops[0]: missing 'id'"),
        (
            [{"type": 3, "opId": "0:1", "id": "root", "data": []}],
            "ops[0]: 'data' must be an object",
        ),
        (
            [{"type": 2, "opId": "0:1", "id": "a", "parentId": "root", "parentKey": 1}],
            "ops[0]: 'parentKey' must be a string",
        ),
        (
            [
                {
                    "type": 2,
                    "opId": "0:1",
                    "id": "a",
                    "parentId": "root",
                    "parentKey": "k",
                    "intent": None,
                }
            ],
            'ops[0]: \'intent\' must be "set" or "push"',
        ),
        (
            [
                {
                    "type": 2,
                    "opId": "0:1",
                    "id": "a",
                    "parentId": "root",
                    "parentKey": "k",
                    "intent": "move",
                }
            ],
            "ops[0]: 'intent' must be",
        ),
        (
            [
                {"type": 5, "opId": "0:1", "id": "si:1"},
                {
                    "type": 9,
                    "opId": "0:2",
                    "id": "a",
                    "parentId": "root",
                    "parentKey": "k",
                    "data": [],
                    "version": -1,
                },
            ],
            "ops[1]: 'version' must be a non-negative integer",
        ),
    ],
)
def test_malformed_messages_change_nothing(ops: Any, message: str) -> None:
    doc = sample()
    before = serialize_nodes_objects(doc)
    with pytest.raises(InvalidInput) as info:
        apply_ops(doc, ops)
    assert info.value.message.startswith(message), info.value.message
    assert serialize_nodes_objects(doc) == before


def test_integral_floats_count_as_ints() -> None:
    doc = StorageDocument.empty()
    r = one(doc, {"type": 3.0, "opId": "0:1", "id": "root", "data": {"a": 1}})
    assert r.forward == [{"type": 3, "id": "root", "data": {"a": 1}}]


def test_server_ops_have_no_op_id() -> None:
    doc = doc_with_list("!")
    out = apply_server_ops(
        doc, [{"type": 8, "id": "si:9", "parentId": "0:4", "parentKey": "!", "data": "s"}]
    )
    assert out == [{"type": 8, "id": "si:9", "parentId": "0:4", "parentKey": "!!", "data": "s"}]
    assert apply_server_ops(doc, [{"type": 5, "id": "nope"}]) == [{"type": 5, "id": "nope"}]
    # ignored server ops produce nothing to send
    assert apply_server_ops(doc, [{"type": 1, "id": "nope", "parentKey": "!"}]) == []


# ------------------------------------------------------- rollback property

ids = st.sampled_from(
    ["root", "si:1", "si:2", "si:3", "si:4", "si:5", "si:7", "si:8", "0:1", "0:2", "0:3"]
)
keys = st.sampled_from(["a", "child", "k", "o", "!", "!!", "~", " ", "x"])
json_values = st.none() | st.integers() | st.text(max_size=3) | st.lists(st.integers(), max_size=2)
intents = st.sampled_from([None, "set", "push"])


@st.composite
def random_op(draw: st.DrawFn) -> dict[str, Any]:
    code = draw(st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8]))
    op: dict[str, Any] = {"type": code, "opId": "0:0", "id": draw(ids)}
    if code in (2, 4, 7, 8):
        op["parentId"] = draw(ids)
        op["parentKey"] = draw(keys)
        intent = draw(intents)
        if intent is not None:
            op["intent"] = intent
        if draw(st.booleans()):
            op["deletedId"] = draw(ids)
        if code == 4:
            op["data"] = draw(st.dictionaries(keys, json_values, max_size=2))
        if code == 8:
            op["data"] = draw(json_values)
    elif code == 3:
        op["data"] = draw(st.dictionaries(keys, json_values, max_size=2))
    elif code == 6:
        op["key"] = draw(keys)
    elif code == 1:
        op["parentKey"] = draw(keys)
    return op


@settings(max_examples=200, deadline=None)
@given(st.lists(random_op(), max_size=12), st.lists(random_op(), max_size=6))
def test_random_ops_then_rollback_restore_the_document(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    doc = sample()
    apply_ops(doc, first)
    doc.verify()
    before = serialize_nodes_objects(doc)
    before_text = json.dumps(to_plain_lson(doc))  # also compares key order
    with doc.transaction() as tx:
        result = apply_ops(doc, second)
        doc.verify()
        for container_id, key in result.touched:
            assert container_id in doc
            doc.slot_path(container_id, key)
        tx.rollback()
    assert serialize_nodes_objects(doc) == before
    assert json.dumps(to_plain_lson(doc)) == before_text
    doc.verify()


@settings(max_examples=100, deadline=None)
@given(st.lists(random_op(), max_size=12))
def test_forwarded_ops_replay_to_the_same_document(ops: list[dict[str, Any]]) -> None:
    # Another server (or a client) applying what we forward must end up equal.
    doc = sample()
    result = apply_ops(doc, ops)
    replica = sample()
    replayed = apply_server_ops(replica, result.forward)
    assert replayed == result.forward
    assert serialize_nodes_objects(replica) == serialize_nodes_objects(doc)


garbage = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "opId",
                    "id",
                    "parentId",
                    "parentKey",
                    "data",
                    "intent",
                    "deletedId",
                    "key",
                ]
            ),
            inner,
            max_size=8,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(garbage, max_size=5) | garbage)
def test_garbage_never_crashes(ops: Any) -> None:
    doc = sample()
    with contextlib.suppress(InvalidInput):
        apply_ops(doc, ops)
    doc.verify()


def test_non_json_numbers_are_refused() -> None:
    doc = sample()
    with pytest.raises(InvalidInput, match=r"ops\[0\].data.x: nan is not a JSON number"):
        apply_ops(doc, [{"type": 3, "opId": "0:1", "id": "root", "data": {"x": float("nan")}}])
    with pytest.raises(InvalidInput, match=r"ops\[0\].data\[0\]: inf is not a JSON number"):
        apply_ops(doc, [register("0:1", "0:9", "si:8", "~", [float("inf")])])
