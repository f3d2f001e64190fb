"""RFC 6902 JSON Patch on a storage document, the way Liveblocks' REST endpoint does it.

Rules from Liveblocks' guide "Modifying Storage via REST API with JSON Patch":
paths are JSON Pointers (RFC 6901) over the JSON view of storage; every parent
along a path must be a LiveObject, LiveList or LiveMap (no traversing into
plain JSON); nested objects and arrays given to ``add``/``replace`` become
LiveObjects and LiveLists; ``-`` appends to a LiveList; a patch is applied in
order and all-or-nothing (any failing op or ``test`` leaves the document as
it was).

Each patch op is turned into storage ops (server-made, no ``opId``) and applied
by ``storage_ops``, so REST and realtime changes share one code path; the
applied ops are returned for broadcasting to connected clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from emulator.domain.errors import InvalidInput
from emulator.domain.positions import make_position
from emulator.domain.storage import LIST, OBJECT, REGISTER, Node, StorageDocument
from emulator.domain.storage_formats import (
    clone_json,
    json_equal,
    json_kind,
    to_json,
    to_plain_lson,
)
from emulator.domain.storage_ops import (
    DELETE_CRDT,
    DELETE_OBJECT_KEY,
    SET_PARENT_KEY,
    apply_server_ops,
    create_ops_for_value,
)

OPS: Final = ("add", "remove", "replace", "move", "copy", "test")
_NEEDS_VALUE: Final = frozenset({"add", "replace", "test"})
_NEEDS_FROM: Final = frozenset({"move", "copy"})


class InvalidPatch(InvalidInput):
    """A patch that is malformed or cannot be applied (HTTP 422, nothing changed)."""

    # The code Liveblocks' guide names for a refused patch.
    default_code = "INVALID_STORAGE_MUTATION_REQUEST"


class _PatchError(Exception):
    """Why one patch op failed; the caller adds which op it was."""


@dataclass(frozen=True)
class _Op:
    op: str
    path: list[str]
    raw_path: str
    value: Any = None
    source: list[str] | None = None
    raw_from: str = ""

    def label(self) -> str:
        shown = _show(self.raw_path)
        if self.source is not None:
            return f"{self.op} from {_show(self.raw_from)} to {shown}"
        return f"{self.op} {shown}"


_MAX_SHOWN = 120


def _show(pointer: str) -> str:
    """A pointer for a message: ``""`` when empty, the end of it when very long."""
    if not pointer:
        return '""'
    if len(pointer) > _MAX_SHOWN:
        return "…" + pointer[-_MAX_SHOWN:]
    return pointer


# ----------------------------------------------------------------- public


def apply_json_patch(doc: StorageDocument, patch: Any) -> list[dict[str, Any]]:
    """Apply a JSON Patch; return the storage ops to broadcast to connected clients.

    Raises InvalidPatch (an InvalidInput) naming the op index and path (e.g.
    ``patch[2] (test /todos/0/done): value differs``); the document is then unchanged.
    """
    ops = _parse_patch(patch)
    broadcast: list[dict[str, Any]] = []
    with doc.transaction():
        for index, op in enumerate(ops):
            try:
                broadcast.extend(_apply(doc, op))
            except _PatchError as error:
                raise InvalidPatch(f"patch[{index}] ({op.label()}): {error}") from None
            except InvalidInput as error:  # a malformed value (names its own path)
                raise InvalidPatch(f"patch[{index}] ({op.label()}): {error.message}") from None
    return broadcast


# ------------------------------------------------------------ patch shape


def _parse_patch(patch: Any) -> list[_Op]:
    if not isinstance(patch, list):
        raise InvalidPatch(f"a JSON Patch must be an array of operations, got {json_kind(patch)}")
    return [_parse_op(index, raw) for index, raw in enumerate(patch)]


def _parse_op(index: int, raw: Any) -> _Op:
    where = f"patch[{index}]"
    if not isinstance(raw, dict):
        raise InvalidPatch(f"{where}: an operation must be an object, got {json_kind(raw)}")
    if "op" not in raw:
        raise InvalidPatch(f"{where}: missing 'op'")
    name = raw["op"]
    if name not in OPS:
        raise InvalidPatch(
            f"{where}: unknown op {name!r} (expected add, remove, replace, move, copy or test)"
        )
    raw_path = raw.get("path")
    if not isinstance(raw_path, str):
        raise InvalidPatch(f"{where} ({name}): 'path' must be a string (a JSON Pointer)")
    where = f"{where} ({name} {_show(raw_path)})"
    path = _parse_pointer(raw_path, where, "path")
    if name in _NEEDS_VALUE and "value" not in raw:
        raise InvalidPatch(f"{where}: missing 'value'")
    if name in _NEEDS_FROM:
        raw_from = raw.get("from")
        if not isinstance(raw_from, str):
            raise InvalidPatch(f"{where}: 'from' must be a string (a JSON Pointer)")
        source = _parse_pointer(raw_from, where, "from")
        return _Op(name, path, raw_path, source=source, raw_from=raw_from)
    return _Op(name, path, raw_path, value=raw.get("value"))


def _parse_pointer(pointer: str, where: str, field: str) -> list[str]:
    """RFC 6901: "" is the whole document, else "/"-separated tokens with ~1 and ~0 escapes."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise InvalidPatch(f"{where}: '{field}' must be empty or start with '/' (a JSON Pointer)")
    tokens = pointer[1:].split("/")
    for token in tokens:
        rest = token.replace("~0", "").replace("~1", "")
        if "~" in rest:
            raise InvalidPatch(
                f"{where}: '{field}' has a '~' that is not '~0' or '~1' in {token!r}"
            )
    return [token.replace("~1", "/").replace("~0", "~") for token in tokens]


# ----------------------------------------------------------- path lookup


def _pointer(tokens: list[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _index(token: str, size: int, tokens: list[str], depth: int, *, end_ok: bool) -> int:
    """A list index token: "0" or no leading zero; ``end_ok`` allows ``size`` and "-"."""
    if end_ok and token == "-":
        return size
    if not token.isdigit() or not token.isascii() or (len(token) > 1 and token[0] == "0"):
        raise _PatchError(f"{_show(_pointer(tokens[: depth + 1]))}: {token!r} is not a list index")
    index = int(token)
    limit = size if end_ok else size - 1
    if index > limit:
        raise _PatchError(
            f"{_show(_pointer(tokens[: depth + 1]))}: index {index} is out of bounds "
            f"(the list has {size} item{'s' if size != 1 else ''})"
        )
    return index


def _item(node: Node, index: int) -> Node:
    assert node.order is not None and node.children is not None
    return node.children[node.order[index]]


def _child(doc: StorageDocument, node: Node, tokens: list[str], depth: int) -> Node | None:
    """The node at ``tokens[depth]`` under a container, or None for a missing key."""
    token = tokens[depth]
    if node.type == LIST:
        assert node.order is not None
        return _item(node, _index(token, len(node.order), tokens, depth, end_ok=False))
    return doc.child_at(node, token)


def _locate_parent(doc: StorageDocument, tokens: list[str]) -> Node:
    """The container holding the last token; every step on the way must be Live."""
    node = doc.root
    for depth in range(len(tokens) - 1):
        child = _child(doc, node, tokens, depth)
        if child is None or child.type == REGISTER:
            here = _show(_pointer(tokens[: depth + 1]))
            if child is None and not (node.type == OBJECT and tokens[depth] in node.data):
                raise _PatchError(f"{here} does not exist")
            raise _PatchError(
                f"{here} is plain JSON: only a LiveObject, LiveList or LiveMap can be traversed"
            )
        node = child
    return node


@dataclass(frozen=True)
class _Found:
    """What sits at a path: a node, or (node None) a static field of a LiveObject."""

    parent: Node | None
    node: Node | None
    static: Any = None


def _find(doc: StorageDocument, tokens: list[str]) -> _Found:
    """What is at an existing path; _PatchError if nothing is."""
    if not tokens:
        return _Found(None, doc.root)
    parent = _locate_parent(doc, tokens)
    child = _child(doc, parent, tokens, len(tokens) - 1)
    if child is not None:
        return _Found(parent, child)
    key = tokens[-1]
    if parent.type == OBJECT and key in parent.data:
        return _Found(parent, None, parent.data[key])
    raise _PatchError(f"{_show(_pointer(tokens))} does not exist")


def _as_json(doc: StorageDocument, found: _Found) -> Any:
    return to_json(doc, found.node.id) if found.node is not None else clone_json(found.static)


def _as_lson(doc: StorageDocument, found: _Found) -> Any:
    """Plain LSON of what was found, to put elsewhere with the same Live types."""
    if found.node is None:
        return clone_json(found.static)
    return to_plain_lson(doc, found.node.id)


# ------------------------------------------------------------- patch ops


def _apply(doc: StorageDocument, op: _Op) -> list[dict[str, Any]]:
    if op.op == "test":
        found = _find(doc, op.path)
        if not json_equal(_as_json(doc, found), clone_json(op.value, (None, "value"))):
            raise _PatchError("value differs")
        return []
    if op.op == "remove":
        return _remove(doc, op.path)
    if op.op == "add":
        return _put(doc, op.path, op.value, liveify=True, insert=True)
    if op.op == "replace":
        _find(doc, op.path)  # the target must exist
        return _put(doc, op.path, op.value, liveify=True, insert=False)
    assert op.source is not None
    found = _find(doc, op.source)
    if op.op == "copy":
        return _put(doc, op.path, _as_lson(doc, found), liveify=False, insert=True)
    if op.source == op.path:
        return []
    if op.path[: len(op.source)] == op.source:
        raise _PatchError("cannot move a value into itself")
    moved = _move_in_list(doc, op.source, op.path)
    if moved is not None:
        return moved
    value = _as_lson(doc, found)
    out = _remove(doc, op.source)
    out.extend(_put(doc, op.path, value, liveify=False, insert=True))
    return out


def _remove(doc: StorageDocument, tokens: list[str]) -> list[dict[str, Any]]:
    found = _find(doc, tokens)
    if found.parent is None:
        raise _PatchError("the storage root cannot be removed")
    if found.parent.type == OBJECT:
        op = {"type": DELETE_OBJECT_KEY, "id": found.parent.id, "key": tokens[-1]}
    else:
        assert found.node is not None
        op = {"type": DELETE_CRDT, "id": found.node.id}
    return apply_server_ops(doc, [op])


def _put(
    doc: StorageDocument, tokens: list[str], value: Any, *, liveify: bool, insert: bool
) -> list[dict[str, Any]]:
    """Set ``value`` at a path: create/overwrite a field or map entry, or insert/replace
    a list item (``insert`` is add's meaning for lists, else replace's)."""
    if not tokens:
        return _replace_root(doc, value, liveify=liveify)
    parent = _locate_parent(doc, tokens)
    key = tokens[-1]
    value_path = (None, "value")
    if parent.type != LIST:
        ops = create_ops_for_value(doc, parent, key, value, liveify=liveify, path=value_path)
        return apply_server_ops(doc, ops)
    assert parent.order is not None
    order = parent.order
    index = _index(key, len(order), tokens, len(tokens) - 1, end_ok=insert)
    if insert:
        lo = order[index - 1] if index > 0 else None
        hi = order[index] if index < len(order) else None
        position = make_position(lo, hi)
        ops = create_ops_for_value(doc, parent, position, value, liveify=liveify, path=value_path)
    else:
        old = _item(parent, index)
        ops = create_ops_for_value(
            doc, parent, old.parent_key, value, liveify=liveify, path=value_path
        )
        # What LiveList.set sends: replace the item sitting at that position.
        ops[0] = {**ops[0], "intent": "set", "deletedId": old.id}
    return apply_server_ops(doc, ops)


def _replace_root(doc: StorageDocument, value: Any, *, liveify: bool) -> list[dict[str, Any]]:
    """``add``/``replace`` of the whole document: the root stays a LiveObject."""
    fields = value
    if isinstance(value, dict) and "liveblocksType" in value:
        if value.get("liveblocksType") != "LiveObject" or not isinstance(value.get("data"), dict):
            raise _PatchError("the storage root must stay a LiveObject")
        fields, liveify = value["data"], False
    elif not isinstance(value, dict):
        raise _PatchError(f"the storage root must stay a LiveObject, got {json_kind(value)}")
    root = doc.root
    keys = [*root.data, *(root.children or {})]
    out = apply_server_ops(
        doc, [{"type": DELETE_OBJECT_KEY, "id": root.id, "key": key} for key in keys]
    )
    for key, item in fields.items():
        ops = create_ops_for_value(doc, root, key, item, liveify=liveify, path=(None, "value"))
        out.extend(apply_server_ops(doc, ops))
    return out


def _move_in_list(
    doc: StorageDocument, source: list[str], target: list[str]
) -> list[dict[str, Any]] | None:
    """A move inside one LiveList keeps the item (like ``LiveList.move``); else None."""
    if not source or len(source) != len(target) or source[:-1] != target[:-1]:
        return None
    parent = _locate_parent(doc, source)
    if parent.type != LIST:
        return None
    assert parent.order is not None
    order = parent.order
    size = len(order)
    src = _index(source[-1], size, source, len(source) - 1, end_ok=False)
    # After taking the item out, the list has size - 1 items; "-" is its end.
    dst = _index(target[-1], size - 1, target, len(target) - 1, end_ok=True)
    if src == dst:
        return []
    lo: str | None
    hi: str | None
    if src < dst:
        lo, hi = order[dst], order[dst + 1] if dst + 1 < size else None
    else:
        lo, hi = order[dst - 1] if dst > 0 else None, order[dst]
    item = _item(parent, src)
    return apply_server_ops(
        doc, [{"type": SET_PARENT_KEY, "id": item.id, "parentKey": make_position(lo, hi)}]
    )
