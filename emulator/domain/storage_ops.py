"""Applying realtime storage ops with the server rules of PROTOCOL.md §4.4.

``apply_ops`` takes the ``ops`` of one client UPDATE_STORAGE message and returns
what to send, in the order the reference server sends it:

1. ``result.immediate`` to the sender at once (fix ops and ACKs) as one
   ``{"type": 201, "ops": …}``;
2. ``result.forward`` to every other session (accepted ops without ``opId``);
3. ``result.echo`` back to the sender (accepted ops with ``opId``).

Each op is *accepted*, *ignored* (acknowledged with the ACK hack
``{"type": 5, "id": "ACK", "opId": …}``) or *rectified* (already applied: the
stored version is echoed). *Rejected* is the caller's decision (permissions,
schema): ``actor_can_write=False`` rejects the whole message, and a schema
violation is undone by rolling back the document's transaction.

Server-made changes (JSON Patch, REST) go through the same code with ops that
have no ``opId`` (``apply_server_ops``); ``create_ops_for_value`` turns a value
into such ops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from emulator.domain.errors import InvalidInput
from emulator.domain.positions import after, as_pos, between
from emulator.domain.storage import LIST, MAP, OBJECT, REGISTER, Node, StorageDocument
from emulator.domain.storage_formats import Path, clone_json, is_live_value, iter_lson_nodes

# OpCode (protocol/Op.ts)
SET_PARENT_KEY: Final = 1
CREATE_LIST: Final = 2
UPDATE_OBJECT: Final = 3
CREATE_OBJECT: Final = 4
DELETE_CRDT: Final = 5
DELETE_OBJECT_KEY: Final = 6
CREATE_MAP: Final = 7
CREATE_REGISTER: Final = 8
CREATE_TEXT: Final = 9
UPDATE_TEXT: Final = 10
CREATE_FILE: Final = 11

CREATE_OP_FOR_TYPE: Final[dict[int, int]] = {
    OBJECT: CREATE_OBJECT,
    LIST: CREATE_LIST,
    MAP: CREATE_MAP,
    REGISTER: CREATE_REGISTER,
}
_NODE_TYPE_FOR_CREATE: Final[dict[int, int]] = {op: t for t, op in CREATE_OP_FOR_TYPE.items()}
# Every op that creates a node (LiveText and LiveFile ones too).
CREATE_OPS: Final = frozenset((*CREATE_OP_FOR_TYPE.values(), CREATE_TEXT, CREATE_FILE))

# A slot of a container whose content changed: (container node id, key), where
# key is a field name, a map key or a list item's position.
Slot = tuple[str, str]

# ----------------------------------------------------------- op validation

# Field checks, in the order the reference decoder builds the op (which is the
# key order of what it forwards and echoes). A trailing "?" marks optional.
_CREATE_HEAD: Final = ("id:str", "parentId:str", "parentKey:str")
_CREATE_TAIL: Final = ("intent?:intent", "deletedId?:str")
_FIELDS: Final[dict[int, tuple[str, ...]]] = {
    UPDATE_OBJECT: ("id:str", "data:object"),
    CREATE_OBJECT: (*_CREATE_HEAD, "data:object", *_CREATE_TAIL),
    CREATE_LIST: (*_CREATE_HEAD, *_CREATE_TAIL),
    CREATE_MAP: (*_CREATE_HEAD, *_CREATE_TAIL),
    # The reference accepts a register without data (undefined); it reads as null.
    CREATE_REGISTER: (*_CREATE_HEAD, "data?:json", *_CREATE_TAIL),
    CREATE_TEXT: (*_CREATE_HEAD, "data:array", "version:version", *_CREATE_TAIL),
    CREATE_FILE: (*_CREATE_HEAD, "data:object", *_CREATE_TAIL),
    UPDATE_TEXT: ("id:str", "baseVersion:version", "version?:version", "ops:array"),
    DELETE_CRDT: ("id:str",),
    SET_PARENT_KEY: ("id:str", "parentKey:str"),
    DELETE_OBJECT_KEY: ("id:str", "key:str"),
}
_PARSED_FIELDS: Final[dict[int, tuple[tuple[str, bool, str], ...]]] = {
    code: tuple(
        (name.rstrip("?"), name.endswith("?"), kind)
        for name, kind in (spec.split(":") for spec in specs)
    )
    for code, specs in _FIELDS.items()
}


def _kind_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "intent":
        return value in ("set", "push")
    if kind == "version":
        return _as_int(value) is not None and value >= 0
    return True  # json


_KIND_TEXT: Final = {
    "str": "a string",
    "object": "an object",
    "array": "an array",
    "intent": '"set" or "push"',
    "version": "a non-negative integer",
}


def _as_int(value: Any) -> int | None:
    """JSON numbers as JS sees them: 3.0 is 3; booleans are not numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def parse_op(raw: Any, where: str, *, require_op_id: bool = True) -> dict[str, Any]:
    """Check one wire op and return it with only its known fields, in wire order.

    Raises InvalidInput (the realtime layer closes with 4000) for anything the
    reference server's decoder refuses: not an object, unknown type, missing or
    mistyped fields, a ``null`` where a field is optional. JSON values are copied
    and checked (no NaN or Infinity).
    """
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: an op must be an object")
    code = _as_int(raw.get("type"))
    if code is None or code not in _PARSED_FIELDS:
        raise InvalidInput(f"{where}: unknown op type {raw.get('type')!r}")
    op: dict[str, Any] = {"type": code}
    op_id = raw.get("opId")
    if isinstance(op_id, str):
        op["opId"] = op_id
    elif require_op_id or "opId" in raw:
        raise InvalidInput(f"{where}: 'opId' must be a string")
    for name, optional, kind in _PARSED_FIELDS[code]:
        if name not in raw:
            if optional:
                continue
            raise InvalidInput(f"{where}: missing '{name}'")
        value = raw[name]
        if not _kind_ok(kind, value):
            raise InvalidInput(f"{where}: '{name}' must be {_KIND_TEXT[kind]}")
        if kind == "version":
            value = _as_int(value)
        elif kind in ("object", "json"):
            # Own copy, and no NaN/Infinity (Python's json module reads them).
            value = clone_json(value, (None, f"{where}.{name}"))
        op[name] = value
    return op


def _strip_op_id(op: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in op.items() if k != "opId"}


# ------------------------------------------------------------- the result


@dataclass
class ApplyResult:
    """What applying one message did, and what to send to whom."""

    immediate: list[dict[str, Any]] = field(default_factory=list)
    forward: list[dict[str, Any]] = field(default_factory=list)
    echo: list[dict[str, Any]] = field(default_factory=list)
    # opIds to put in one REJECT_STORAGE_OP (when the actor may not write).
    rejected_op_ids: list[str] = field(default_factory=list)
    # Per op: "accepted", "ignored", "rectified" or "rejected".
    outcomes: list[str] = field(default_factory=list)
    # Slots changed by the batch, for schema validation: each is a container
    # that existed before the batch (slots inside a subtree created by the batch
    # are covered by the slot where that subtree hangs). Object and map slots
    # may now be empty (a deleted field); list slots always hold an item.
    touched: list[Slot] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.forward)


class _Batch:
    """Applies ops one by one to a document and collects the replies."""

    def __init__(self, doc: StorageDocument) -> None:
        self.doc = doc
        self.result = ApplyResult()
        self.created: set[str] = set()
        self.slots: list[Slot] = []

    # outcomes

    def accept(self, op: dict[str, Any], fix: dict[str, Any] | None = None) -> None:
        self.result.outcomes.append("accepted")
        if "opId" in op:
            self.result.forward.append(_strip_op_id(op))
            self.result.echo.append(op)
            if fix is not None:
                self.result.immediate.append(fix)
        else:
            self.result.forward.append(op)

    def ignore(self, op: dict[str, Any]) -> None:
        self.result.outcomes.append("ignored")
        if "opId" in op:
            self.result.immediate.append({"type": DELETE_CRDT, "id": "ACK", "opId": op["opId"]})

    def rectify(self, ack_op: dict[str, Any], fix: dict[str, Any]) -> None:
        self.result.outcomes.append("rectified")
        if "opId" in ack_op:
            self.result.immediate.extend((ack_op, fix))

    # ops

    def apply(self, op: dict[str, Any]) -> None:
        code = op["type"]
        if code in _NODE_TYPE_FOR_CREATE:
            self.create(op, _NODE_TYPE_FOR_CREATE[code])
        elif code == UPDATE_OBJECT:
            self.update_object(op)
        elif code == DELETE_OBJECT_KEY:
            self.delete_object_key(op)
        elif code == DELETE_CRDT:
            self.delete_crdt(op)
        elif code == SET_PARENT_KEY:
            self.set_parent_key(op)
        else:
            # CREATE_TEXT, CREATE_FILE, UPDATE_TEXT: LiveText/LiveFile are not stored.
            self.ignore(op)

    def create(self, op: dict[str, Any], node_type: int) -> None:
        doc = self.doc
        existing = doc.get(op["id"])
        if existing is not None:
            parent = doc.get(existing.parent_id) if existing.parent_id is not None else None
            if op.get("intent") == "push" and parent is not None and parent.type == LIST:
                stored = existing.parent_key
                fix = {"type": SET_PARENT_KEY, "id": op["id"], "parentKey": stored}
                self.rectify({**op, "parentKey": stored}, fix)
            else:
                self.ignore(op)
            return
        parent = doc.get(op["parentId"])
        if (
            parent is None
            or parent.type == REGISTER
            or (parent.type == OBJECT and node_type == REGISTER)
        ):
            self.ignore(op)
            return
        if parent.type == LIST:
            self.create_in_list(op, node_type, parent)
            return
        key = op["parentKey"]
        self.clear_slot(parent, key)
        self.add(op, node_type, parent, key)
        self.accept(op)

    def create_in_list(self, op: dict[str, Any], node_type: int, parent: Node) -> None:
        doc = self.doc
        wanted = op["parentKey"]
        intent = op.get("intent")
        if intent == "set":
            deleted_id = op.get("deletedId")
            deleted = doc.get(deleted_id) if deleted_id is not None else None
            if deleted is not None and deleted_id != op["id"] and deleted.parent_id == parent.id:
                doc.delete_subtree(deleted.id)
            key = as_pos(wanted)
            prev = doc.child_at(parent, key)
            fix = None
            if prev is not None:
                # Someone else's item sat there: the sender must drop it too.
                fix = {"type": DELETE_CRDT, "id": prev.id}
                doc.delete_subtree(prev.id)
            self.add(op, node_type, parent, key)
            self.accept(op, fix)
            return
        if intent == "push":
            last = doc.last_position(parent)
            preferred = as_pos(wanted)
            key = preferred if last is None or preferred > last else after(last)
        else:
            key = self.free_position(parent, as_pos(wanted))
        self.add(op, node_type, parent, key)
        self.accept_at(op, key)

    def accept_at(self, op: dict[str, Any], key: str) -> None:
        """Accept a list op, telling the sender when the server chose another position."""
        if key == op["parentKey"]:
            self.accept(op)
        else:
            fix = {"type": SET_PARENT_KEY, "id": op["id"], "parentKey": key}
            self.accept({**op, "parentKey": key}, fix)

    def free_position(self, parent: Node, pos: str) -> str:
        """``pos`` if no item has it, else a position just after it (findFreeListPosition)."""
        if self.doc.child_at(parent, pos) is None:
            return pos
        nxt = self.doc.next_position(parent, pos)
        return between(pos, nxt) if nxt is not None else after(pos)

    def clear_slot(self, node: Node, key: str) -> bool:
        """Remove a static field and/or a child subtree at ``key``; True if anything went."""
        removed = self.doc.delete_data_key(node, key)
        child = self.doc.child_at(node, key)
        if child is not None:
            self.doc.delete_subtree(child.id)
            removed = True
        return removed

    def add(self, op: dict[str, Any], node_type: int, parent: Node, key: str) -> None:
        data = op.get("data")
        if node_type == OBJECT:
            # Own copy: the op itself is forwarded, and later ops change node data.
            data = dict(data) if data else {}
        self.doc.add_node(op["id"], node_type, parent.id, key, data)
        self.created.add(op["id"])
        self.slots.append((parent.id, key))

    def update_object(self, op: dict[str, Any]) -> None:
        node = self.doc.get(op["id"])
        if node is not None and node.type == OBJECT:
            for key, value in op["data"].items():
                child = self.doc.child_at(node, key)
                if child is not None:
                    self.doc.delete_subtree(child.id)
                self.doc.set_data_key(node, key, value)
                self.slots.append((node.id, key))
        self.accept(op)

    def delete_object_key(self, op: dict[str, Any]) -> None:
        node = self.doc.get(op["id"])
        if node is not None and self.clear_slot(node, op["key"]):
            self.slots.append((node.id, op["key"]))
        self.accept(op)

    def delete_crdt(self, op: dict[str, Any]) -> None:
        deleted = self.doc.delete_subtree(op["id"])
        if deleted is not None:
            assert deleted.parent_id is not None
            self.slots.append((deleted.parent_id, deleted.parent_key))
        self.accept(op)

    def set_parent_key(self, op: dict[str, Any]) -> None:
        doc = self.doc
        node = doc.get(op["id"])
        parent = doc.get(node.parent_id) if node is not None and node.parent_id else None
        if node is None or parent is None or parent.type != LIST:
            self.ignore(op)
            return
        if node.parent_key == op["parentKey"]:
            self.accept(op)
            return
        key = self.free_position(parent, as_pos(op["parentKey"]))
        if key != node.parent_key:
            doc.move_child(node, key)
            self.slots.append((parent.id, key))
        self.accept_at(op, key)

    # schema slots

    def touched(self) -> list[Slot]:
        doc = self.doc
        seen: set[Slot] = set()
        out: list[Slot] = []
        for slot in self.slots:
            container_id, key = slot
            if slot in seen or container_id in self.created:
                continue
            seen.add(slot)
            container = doc.get(container_id)
            if container is None:
                continue  # deleted later in the batch; that deletion has its own slot
            if container.type == LIST and doc.child_at(container, key) is None:
                continue  # the item moved or went away; removals cannot break a list
            out.append(slot)
        return out


# --------------------------------------------------------------- public API


def apply_ops(doc: StorageDocument, ops: Any, *, actor_can_write: bool = True) -> ApplyResult:
    """Apply one client message's ops (PROTOCOL.md §4.4) and say what to send.

    All ops are checked before any is applied, so a malformed message
    (InvalidInput) changes nothing. Without write access nothing is applied
    and every opId is listed in ``rejected_op_ids``.
    """
    parsed = _parse_all(ops, require_op_id=True)
    if not actor_can_write:
        result = ApplyResult()
        result.rejected_op_ids = [op["opId"] for op in parsed]
        result.outcomes = ["rejected"] * len(parsed)
        return result
    return _run(doc, parsed)


def apply_server_ops(doc: StorageDocument, ops: Any) -> list[dict[str, Any]]:
    """Apply ops the server made (no ``opId``); returns the ops to broadcast to clients."""
    return _run(doc, _parse_all(ops, require_op_id=False)).forward


def _parse_all(ops: Any, *, require_op_id: bool) -> list[dict[str, Any]]:
    if not isinstance(ops, list):
        raise InvalidInput("'ops' must be an array of storage ops")
    return [parse_op(op, f"ops[{i}]", require_op_id=require_op_id) for i, op in enumerate(ops)]


def _run(doc: StorageDocument, ops: list[dict[str, Any]]) -> ApplyResult:
    batch = _Batch(doc)
    for op in ops:
        batch.apply(op)
    batch.result.touched = batch.touched()
    return batch.result


def create_ops_for_value(
    doc: StorageDocument,
    parent: Node,
    key: str,
    value: Any,
    *,
    liveify: bool,
    path: Path = None,
) -> list[dict[str, Any]]:
    """Server ops that put ``value`` at slot ``key`` of container ``parent``.

    A plain value under a LiveObject becomes an UPDATE_OBJECT of that field;
    anything else becomes CREATE ops (parents first) with fresh server ids.
    ``liveify`` turns plain objects and arrays into LiveObjects and LiveLists
    (what JSON Patch does with nested values); otherwise ``value`` is read as
    Plain LSON. For a list, ``key`` is the new item's position.
    """
    if parent.type == OBJECT and not is_live_value(value, liveify):
        return [{"type": UPDATE_OBJECT, "id": parent.id, "data": {key: clone_json(value, path)}}]
    ids: list[str] = []
    ops: list[dict[str, Any]] = []
    for parent_index, child_key, node_type, data in iter_lson_nodes(
        value, key, path, liveify=liveify
    ):
        node_id = doc.new_server_id()
        op: dict[str, Any] = {
            "type": CREATE_OP_FOR_TYPE[node_type],
            "id": node_id,
            "parentId": ids[parent_index] if parent_index >= 0 else parent.id,
            "parentKey": child_key,
        }
        if node_type in (OBJECT, REGISTER):
            op["data"] = data
        ids.append(node_id)
        ops.append(op)
    return ops
