"""StorageDocument: nodes, index, paths and transactions."""

from __future__ import annotations

import pytest

from emulator.domain.errors import NotFound
from emulator.domain.positions import after
from emulator.domain.storage import (
    LIST,
    MAP,
    OBJECT,
    REGISTER,
    StorageDocument,
)
from emulator.domain.storage_formats import serialize_nodes_objects, to_json


def sample() -> StorageDocument:
    doc = StorageDocument.empty()
    doc.set_data_key(doc.root, "title", "hi")
    doc.add_node("0:1", LIST, "root", "todos")
    doc.add_node("0:2", OBJECT, "0:1", "!", {"done": False})
    doc.add_node("0:3", OBJECT, "0:1", "!!", {"done": True})
    doc.add_node("0:4", MAP, "0:3", "tags")
    doc.add_node("0:5", REGISTER, "0:4", "k", 1)
    return doc


def test_empty_document() -> None:
    doc = StorageDocument.empty()
    assert doc.node_count == 1
    assert doc.root.id == "root"
    assert doc.root.type == OBJECT
    assert to_json(doc) == {}


def test_index_and_paths() -> None:
    doc = sample()
    doc.verify()
    assert doc.node_count == 6
    assert to_json(doc) == {
        "title": "hi",
        "todos": [{"done": False}, {"done": True, "tags": {"k": 1}}],
    }
    assert doc.path_of("root") == []
    assert doc.path_of("0:5") == [
        ("LiveObject", "todos"),
        ("LiveList", 1),
        ("LiveObject", "tags"),
        ("LiveMap", "k"),
    ]
    assert doc.slot_path("0:3", "done") == [
        ("LiveObject", "todos"),
        ("LiveList", 1),
        ("LiveObject", "done"),
    ]
    assert doc.slot_path("0:1", "!!") == [("LiveObject", "todos"), ("LiveList", 1)]
    todos = doc.node("0:1")
    assert [n.id for n in doc.list_items(todos)] == ["0:2", "0:3"]
    assert doc.last_position(todos) == "!!"
    assert doc.next_position(todos, "!") == "!!"
    assert doc.next_position(todos, " ~") == "!"
    assert doc.next_position(todos, "!!") is None
    with pytest.raises(NotFound):
        doc.path_of("nope")


def test_add_node_refuses_misuse() -> None:
    doc = sample()
    with pytest.raises(ValueError, match="already exists"):
        doc.add_node("0:2", OBJECT, "root", "x")
    with pytest.raises(ValueError, match="not a container"):
        doc.add_node("0:9", REGISTER, "0:5", "x", 1)
    with pytest.raises(ValueError, match="taken"):
        doc.add_node("0:9", OBJECT, "root", "title")
    with pytest.raises(ValueError, match="taken"):
        doc.add_node("0:9", OBJECT, "0:1", "!")


def test_delete_subtree_forgets_every_descendant() -> None:
    doc = sample()
    assert doc.delete_subtree("root") is None
    assert doc.delete_subtree("missing") is None
    deleted = doc.delete_subtree("0:3")
    assert deleted is not None and deleted.id == "0:3"
    assert doc.node_count == 3
    assert "0:4" not in doc and "0:5" not in doc
    doc.verify()


def test_move_child() -> None:
    doc = sample()
    doc.move_child(doc.node("0:3"), " ~")
    assert to_json(doc)["todos"][0] == {"done": True, "tags": {"k": 1}}
    with pytest.raises(ValueError, match="taken"):
        doc.move_child(doc.node("0:3"), "!")
    with pytest.raises(ValueError, match="not a list item"):
        doc.move_child(doc.node("0:4"), "!")
    doc.verify()


def test_transaction_rollback_restores_everything() -> None:
    doc = sample()
    before = serialize_nodes_objects(doc)
    with doc.transaction() as tx:
        doc.set_data_key(doc.root, "title", "changed")
        doc.set_data_key(doc.root, "new", 1)
        doc.delete_data_key(doc.node("0:2"), "done")
        doc.delete_subtree("0:3")
        doc.add_node("0:3", REGISTER, "0:1", "!!", "reused id")
        doc.move_child(doc.node("0:2"), "~")
        doc.add_node(doc.new_server_id(), MAP, "root", "m")
        tx.rollback()
    assert tx.rolled_back
    assert serialize_nodes_objects(doc) == before
    assert doc.new_server_id() == "si:1"  # the counter was rolled back too
    doc.verify()
    assert not doc.in_transaction


def test_transaction_commits_and_exceptions_roll_back() -> None:
    doc = sample()
    with doc.transaction():
        doc.set_data_key(doc.root, "a", 1)
    assert to_json(doc)["a"] == 1
    with pytest.raises(RuntimeError, match="boom"), doc.transaction():
        doc.set_data_key(doc.root, "b", 2)
        raise RuntimeError("boom")
    assert "b" not in to_json(doc)
    assert not doc.in_transaction


def test_nested_transactions() -> None:
    doc = sample()
    doc.begin()
    doc.set_data_key(doc.root, "outer", 1)
    doc.begin()
    doc.set_data_key(doc.root, "inner", 2)
    doc.rollback()
    assert to_json(doc).get("inner") is None
    doc.set_data_key(doc.root, "inner2", 3)
    doc.begin()
    doc.delete_subtree("0:1")
    doc.commit()
    doc.rollback()
    assert serialize_nodes_objects(doc) == serialize_nodes_objects(sample())
    with pytest.raises(RuntimeError):
        doc.rollback()
    with pytest.raises(RuntimeError):
        doc.commit()


def test_no_log_outside_transactions() -> None:
    doc = sample()
    doc.set_data_key(doc.root, "x", 1)
    doc.delete_subtree("0:1")
    assert doc._log == []


def test_server_ids_never_look_like_client_ids() -> None:
    doc = StorageDocument.empty()
    ids = [doc.new_server_id() for _ in range(3)]
    assert ids == ["si:1", "si:2", "si:3"]
    # A client id is "<actor int>:<n>"; "si" is never an int.
    assert all(not i.split(":")[0].isdigit() for i in ids)


def test_many_nodes_are_cheap() -> None:
    doc = StorageDocument.empty()
    doc.add_node("l", LIST, "root", "l")
    pos = "!"
    for i in range(20_000):
        doc.add_node(f"0:{i}", REGISTER, "l", pos, i)
        pos = after(pos)
    assert doc.node_count == 20_002
    assert doc.path_of("0:19999") == [("LiveObject", "l"), ("LiveList", 19_999)]
    doc.verify()


def test_rollback_keeps_field_and_child_order() -> None:
    doc = StorageDocument.empty()
    for key in ("a", "b", "c"):
        doc.set_data_key(doc.root, key, key)
    doc.add_node("m", MAP, "root", "m")
    for key in ("x", "y", "z"):
        doc.add_node(f"m{key}", REGISTER, "m", key, key)
    with doc.transaction() as tx:
        doc.delete_data_key(doc.root, "a")
        doc.delete_data_key(doc.root, "b")
        doc.delete_subtree("mx")
        doc.delete_subtree("my")
        doc.add_node("mx2", REGISTER, "m", "x", "new")
        tx.rollback()
    assert list(doc.root.data) == ["a", "b", "c"]
    assert list(to_json(doc)["m"]) == ["x", "y", "z"]
    assert to_json(doc)["m"]["x"] == "x"
    doc.verify()
