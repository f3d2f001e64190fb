"""JSON Patch on storage: RFC 6902 semantics over the JSON view, Liveblocks' path rules."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from emulator.domain.errors import InvalidInput
from emulator.domain.json_patch import apply_json_patch
from emulator.domain.storage import LIST, MAP, OBJECT, REGISTER, StorageDocument
from emulator.domain.storage_formats import (
    from_plain_lson,
    json_equal,
    live_list,
    live_map,
    live_object,
    serialize_nodes_objects,
    to_json,
    to_plain_lson,
)
from emulator.domain.storage_ops import apply_server_ops
from tests.strategies import RefError, draw_patch_op, patch_garbage, pointer, ref_apply

# ------------------------------------------------------------------ helpers


def sample() -> StorageDocument:
    return from_plain_lson(
        live_object(
            {
                "count": 10,
                "static": {"deep": [1, 2]},
                "todos": live_list(
                    [
                        live_object({"text": "a", "done": False}),
                        live_object({"text": "b", "done": True}),
                    ]
                ),
                "log": live_list(["x", "y", "z"]),
                "map": live_map({"k": 1, "obj": live_object({"n": 1}), "a/b": 2, "t~": 3}),
            }
        )
    )


def patch_fails(doc: StorageDocument, patch: Any, message: str) -> None:
    before = json.dumps(to_plain_lson(doc))
    nodes = serialize_nodes_objects(doc)
    with pytest.raises(InvalidInput) as info:
        apply_json_patch(doc, patch)
    assert info.value.message.startswith(message), info.value.message
    assert json.dumps(to_plain_lson(doc)) == before
    assert serialize_nodes_objects(doc) == nodes
    doc.verify()


# ----------------------------------------------------------- the guide's cases


def test_guide_examples() -> None:
    doc = sample()
    ops = apply_json_patch(
        doc,
        [
            {"op": "test", "path": "/count", "value": 10},
            {"op": "replace", "path": "/count", "value": 11},
            {"op": "add", "path": "/log/-", "value": "updated"},
            {"op": "add", "path": "/score", "value": 42},
            {"op": "move", "from": "/score", "path": "/points"},
            {"op": "copy", "from": "/points", "path": "/again"},
        ],
    )
    view = to_json(doc)
    assert view["count"] == 11 and view["log"] == ["x", "y", "z", "updated"]
    assert view["points"] == 42 and view["again"] == 42 and "score" not in view
    assert all("opId" not in op for op in ops)
    doc.verify()


def test_nested_values_become_live() -> None:
    doc = StorageDocument.empty()
    apply_json_patch(doc, [{"op": "add", "path": "/shape", "value": {"pts": [[1, 2], {"x": 1}]}}])
    assert to_plain_lson(doc)["data"]["shape"] == live_object(
        {"pts": live_list([live_list([1, 2]), live_object({"x": 1})])}
    )


def test_plain_lson_values_keep_their_types() -> None:
    doc = StorageDocument.empty()
    apply_json_patch(doc, [{"op": "add", "path": "/m", "value": live_map({"a": {"plain": [1]}})}])
    assert to_plain_lson(doc)["data"]["m"] == live_map({"a": {"plain": [1]}})
    assert doc.node("si:2").type == REGISTER


def test_broadcast_ops_rebuild_the_same_document() -> None:
    doc = sample()
    replica = sample()
    ops = apply_json_patch(
        doc,
        [
            {"op": "add", "path": "/todos/1", "value": {"text": "new", "done": False}},
            {"op": "replace", "path": "/log/0", "value": {"now": "live"}},
            {"op": "move", "from": "/log/2", "path": "/log/0"},
            {"op": "remove", "path": "/map/k"},
            {"op": "remove", "path": "/count"},
            {"op": "move", "from": "/todos/0", "path": "/map/moved"},
        ],
    )
    apply_server_ops(replica, ops)
    assert serialize_nodes_objects(replica) == serialize_nodes_objects(doc)


def test_list_replace_and_move_send_what_a_client_would() -> None:
    doc = sample()
    log = doc.child_at(doc.root, "log")
    assert log is not None
    z = doc.list_items(log)[2]
    ops = apply_json_patch(doc, [{"op": "move", "from": "/log/2", "path": "/log/0"}])
    assert ops == [{"type": 1, "id": z.id, "parentKey": " ~"}]  # item kept, new position
    assert to_json(doc)["log"] == ["z", "x", "y"]
    old = doc.list_items(log)[1]
    ops = apply_json_patch(doc, [{"op": "replace", "path": "/log/1", "value": "X"}])
    assert ops == [
        {
            "type": 8,
            "id": ops[0]["id"],
            "parentId": log.id,
            "parentKey": old.parent_key,
            "data": "X",
            "intent": "set",
            "deletedId": old.id,
        }
    ]
    assert to_json(doc)["log"] == ["z", "X", "y"]


def test_moves_inside_a_list() -> None:
    doc = sample()
    apply_json_patch(doc, [{"op": "move", "from": "/log/0", "path": "/log/-"}])
    assert to_json(doc)["log"] == ["y", "z", "x"]
    apply_json_patch(doc, [{"op": "move", "from": "/log/0", "path": "/log/1"}])
    assert to_json(doc)["log"] == ["z", "y", "x"]
    apply_json_patch(doc, [{"op": "move", "from": "/log/1", "path": "/log/1"}])
    assert to_json(doc)["log"] == ["z", "y", "x"]
    patch_fails(doc, [{"op": "move", "from": "/log/0", "path": "/log/3"}], "patch[0] (move from")


def test_pointer_escapes_and_dash_keys() -> None:
    doc = sample()
    apply_json_patch(
        doc,
        [
            {"op": "test", "path": "/map/a~1b", "value": 2},
            {"op": "test", "path": "/map/t~0", "value": 3},
            {"op": "add", "path": "/map/-", "value": "dash is a key in maps"},
            {"op": "add", "path": "/", "value": "empty key"},
        ],
    )
    view = to_json(doc)
    assert view["map"]["-"] == "dash is a key in maps"
    assert view[""] == "empty key"


def test_whole_document_replace() -> None:
    doc = sample()
    apply_json_patch(doc, [{"op": "replace", "path": "", "value": {"a": [1], "b": 2}}])
    assert to_plain_lson(doc) == live_object({"a": live_list([1]), "b": 2})
    apply_json_patch(doc, [{"op": "add", "path": "", "value": live_object({"c": {"d": 1}})}])
    assert to_plain_lson(doc) == live_object({"c": {"d": 1}})
    doc.verify()


def test_copy_into_its_own_subtree() -> None:
    doc = sample()
    apply_json_patch(doc, [{"op": "copy", "from": "/todos/0", "path": "/todos/0/self"}])
    assert to_json(doc)["todos"][0] == {
        "text": "a",
        "done": False,
        "self": {"text": "a", "done": False},
    }


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"op": "add"}, "a JSON Patch must be an array of operations, got an object"),
        (["add"], "patch[0]: an operation must be an object, got a string"),
        ([{"path": "/a"}], "patch[0]: missing 'op'"),
        ([{"op": "frob", "path": "/a"}], "patch[0]: unknown op 'frob'"),
        ([{"op": "add", "path": 3, "value": 1}], "patch[0] (add): 'path' must be a string"),
        ([{"op": "add", "value": 1}], "patch[0] (add): 'path' must be a string"),
        (
            [{"op": "add", "path": "a", "value": 1}],
            "patch[0] (add a): 'path' must be empty or start",
        ),
        ([{"op": "add", "path": "/a~2", "value": 1}], "patch[0] (add /a~2): 'path' has a '~'"),
        ([{"op": "add", "path": "/a~", "value": 1}], "patch[0] (add /a~): 'path' has a '~'"),
        ([{"op": "add", "path": "/a"}], "patch[0] (add /a): missing 'value'"),
        ([{"op": "test", "path": "/a"}], "patch[0] (test /a): missing 'value'"),
        ([{"op": "move", "path": "/a"}], "patch[0] (move /a): 'from' must be a string"),
        (
            [
                {"op": "test", "path": "/count", "value": 10},
                {"op": "copy", "path": "/a", "from": 1},
            ],
            "patch[1] (copy /a): 'from' must be a string",
        ),
    ],
)
def test_malformed_patches(patch: Any, message: str) -> None:
    patch_fails(sample(), patch, message)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            [{"op": "test", "path": "/todos/0/done", "value": True}],
            "patch[0] (test /todos/0/done): value differs",
        ),
        (
            [{"op": "test", "path": "/count", "value": True}],
            "patch[0] (test /count): value differs",
        ),
        ([{"op": "remove", "path": "/nope"}], "patch[0] (remove /nope): /nope does not exist"),
        (
            [{"op": "replace", "path": "/nope", "value": 1}],
            "patch[0] (replace /nope): /nope does not exist",
        ),
        (
            [{"op": "add", "path": "/nope/x", "value": 1}],
            "patch[0] (add /nope/x): /nope does not exist",
        ),
        (
            [{"op": "remove", "path": ""}],
            'patch[0] (remove ""): the storage root cannot be removed',
        ),
        (
            [{"op": "replace", "path": "", "value": [1]}],
            'patch[0] (replace ""): the storage root must stay a LiveObject, got an array',
        ),
        (
            [{"op": "add", "path": "/static/deep/-", "value": 3}],
            "patch[0] (add /static/deep/-): /static is plain JSON",
        ),
        (
            [{"op": "test", "path": "/static/deep", "value": [1, 2]}],
            "patch[0] (test /static/deep): /static is plain",
        ),
        (
            [{"op": "remove", "path": "/map/k/x"}],
            "patch[0] (remove /map/k/x): /map/k is plain JSON",
        ),
        (
            [{"op": "remove", "path": "/log/0/x"}],
            "patch[0] (remove /log/0/x): /log/0 is plain JSON",
        ),
        (
            [{"op": "remove", "path": "/log/3"}],
            "patch[0] (remove /log/3): /log/3: index 3 is out of bounds",
        ),
        (
            [{"op": "add", "path": "/log/4", "value": 1}],
            "patch[0] (add /log/4): /log/4: index 4 is out of bounds",
        ),
        (
            [{"op": "add", "path": "/log/01", "value": 1}],
            "patch[0] (add /log/01): /log/01: '01' is not a list index",
        ),
        (
            [{"op": "remove", "path": "/log/-"}],
            "patch[0] (remove /log/-): /log/-: '-' is not a list index",
        ),
        (
            [{"op": "remove", "path": "/log/-1"}],
            "patch[0] (remove /log/-1): /log/-1: '-1' is not a list index",
        ),
        (
            [{"op": "move", "from": "/todos", "path": "/todos/0/x"}],
            "patch[0] (move from /todos to /todos/0/x): cannot move a value into itself",
        ),
        (
            [{"op": "copy", "from": "/nope", "path": "/x"}],
            "patch[0] (copy from /nope to /x): /nope does not exist",
        ),
        (
            [{"op": "add", "path": "/t", "value": {"liveblocksType": "LiveText", "data": []}}],
            "patch[0] (add /t): value: unknown liveblocksType 'LiveText'",
        ),
        (
            [{"op": "add", "path": "/t", "value": {"a": [1, float("inf")]}}],
            "patch[0] (add /t): value.a[1]: inf is not a JSON number",
        ),
        (
            [
                {"op": "add", "path": "/new", "value": 1},
                {"op": "remove", "path": "/todos/0"},
                {"op": "test", "path": "/new", "value": 2},
            ],
            "patch[2] (test /new): value differs",
        ),
    ],
)
def test_failing_patches_change_nothing(patch: Any, message: str) -> None:
    patch_fails(sample(), patch, message)


# ------------------------------------------------------- random patches


ROOT = live_object(
    {
        "n": 1,
        "s": {"plain": [1]},
        "l": live_list([1, live_object({"a": 1}), live_list([]), live_map({})]),
        "m": live_map({"k": "v", "o": live_object({"x": live_list([2])})}),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_patches_match_rfc6902_on_the_json_view(data: st.DataObject) -> None:
    scratch = from_plain_lson(ROOT)
    plain = to_json(scratch)
    patch: list[dict[str, Any]] = []
    for _ in range(data.draw(st.integers(1, 6))):
        op = draw_patch_op(data, scratch, plain)
        if op is None:
            continue
        try:
            expected = ref_apply(plain, [op])
        except RefError:
            continue  # e.g. a failing test: tried below as a whole patch
        event(op["op"])
        apply_json_patch(scratch, [op])
        assert json_equal(to_json(scratch), expected), op
        plain = expected
        patch.append(op)
    event(f"patch length {len(patch)}")
    # The whole patch at once, on a fresh document, gives the reference result too.
    doc = from_plain_lson(ROOT)
    replica = from_plain_lson(ROOT)
    broadcast = apply_json_patch(doc, patch)
    assert json_equal(to_json(doc), ref_apply(to_json(from_plain_lson(ROOT)), patch))
    doc.verify()
    apply_server_ops(replica, broadcast)
    assert json_equal(to_plain_lson(replica), to_plain_lson(doc))
    # And a failing last op undoes all of it.
    fresh = from_plain_lson(ROOT)
    failing = [*patch, {"op": "test", "path": "", "value": "never"}]
    with pytest.raises(InvalidInput, match=rf"patch\[{len(patch)}\] \(test \"\"\): value differs"):
        apply_json_patch(fresh, failing)
    assert json.dumps(to_plain_lson(fresh)) == json.dumps(ROOT)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_patches_through_plain_json_are_refused(data: st.DataObject) -> None:
    doc = from_plain_lson(ROOT)
    # /s is a static field, /l/0 and /m/k are registers: nothing below them is reachable.
    base = data.draw(st.sampled_from([["s"], ["s", "plain"], ["l", "0"], ["m", "k"]]))
    below = [*base, data.draw(st.sampled_from(["0", "plain", "x", "-"]))]
    op = data.draw(
        st.sampled_from(
            [
                {"op": "add", "path": pointer(below), "value": 1},
                {"op": "remove", "path": pointer(below)},
                {"op": "replace", "path": pointer(below), "value": 1},
                {"op": "test", "path": pointer(below), "value": 1},
                {"op": "copy", "from": pointer(below), "path": "/c"},
                {"op": "move", "from": "/n", "path": pointer(below)},
            ]
        )
    )
    patch_fails(doc, [{"op": "add", "path": "/first", "value": 1}, op], "patch[1] (")


def test_liveblocks_types_are_checked_after_the_patch() -> None:
    doc = sample()
    apply_json_patch(doc, [{"op": "add", "path": "/map/new", "value": {"a": 1}}])
    m = doc.child_at(doc.root, "map")
    assert m is not None and m.type == MAP
    new = doc.child_at(m, "new")
    assert new is not None and new.type == OBJECT
    lst = doc.child_at(doc.root, "log")
    assert lst is not None and lst.type == LIST


@settings(max_examples=200, deadline=None)
@given(st.lists(patch_garbage, max_size=4) | patch_garbage)
def test_garbage_patches_never_crash(patch: Any) -> None:
    doc = sample()
    with contextlib.suppress(InvalidInput):
        apply_json_patch(doc, patch)
    doc.verify()


def test_errors_carry_the_guides_code() -> None:
    with pytest.raises(InvalidInput) as info:
        apply_json_patch(sample(), [{"op": "remove", "path": "/nope"}])
    assert info.value.code == "INVALID_STORAGE_MUTATION_REQUEST"


def test_deep_values_and_paths() -> None:
    depth = 5_000
    value: Any = "leaf"
    for i in range(depth):
        value = {"a": value} if i % 2 else [value]
    doc = StorageDocument.empty()
    ops = apply_json_patch(doc, [{"op": "add", "path": "/deep", "value": value}])
    assert len(ops) == depth + 1
    assert doc.node_count == depth + 2
    path = "/deep" + "/a/0" * (depth // 2 - 1)
    apply_json_patch(doc, [{"op": "test", "path": path, "value": {"a": ["leaf"]}}])
    with pytest.raises(InvalidInput) as info:
        apply_json_patch(doc, [{"op": "test", "path": path + "/nope/x", "value": 1}])
    assert len(info.value.message) < 500  # long paths are shortened in messages
    assert info.value.message.endswith("/a/0/nope does not exist")
    apply_json_patch(doc, [{"op": "remove", "path": "/deep"}])
    assert doc.node_count == 1
