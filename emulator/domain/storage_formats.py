"""Conversions between a StorageDocument and its outside shapes.

- Plain LSON (REST storage, PROTOCOL.md §4.5) in and out;
- plain JSON (``?format=json``): the same tree with the Live wrappers removed;
- serialized nodes for the realtime layer: the compact v8 tuples of
  STORAGE_CHUNK and the v7 / ndjson ``[id, {type, parentId, parentKey, data}]``.

Every walk is iterative: documents 10,000 levels deep and values nested
arbitrarily deep never hit Python's recursion limit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any, Final

from emulator.domain.errors import InvalidInput
from emulator.domain.positions import after, make_position
from emulator.domain.storage import (
    LIST,
    MAP,
    OBJECT,
    REGISTER,
    ROOT_ID,
    Node,
    StorageDocument,
)

LIVE_TYPES: Final[dict[str, int]] = {"LiveObject": OBJECT, "LiveList": LIST, "LiveMap": MAP}
_WRAPPER_NAMES: Final[dict[int, str]] = {code: name for name, code in LIVE_TYPES.items()}

# A path for error messages, rendered only when there is an error: None (the
# start), (parent, text) for raw text, (parent, index) for a list index, or
# (parent, key, True) for an object key.
Path = tuple[Any, ...] | None

# One node of a Plain LSON value, in depth-first order, parents first:
# (index of the parent spec or -1, key in the parent, node type, data).
NodeSpec = tuple[int, str, int, Any]


# --------------------------------------------------------------------- paths


_MAX_SHOWN_PATH = 200


def render_path(path: Path) -> str:
    """Turn a lazy path chain into text like ``root.data.shapes.data[2]``.

    A very deep path keeps only its end, so an error message stays readable.
    """
    parts: list[str] = []
    length = 0
    while path is not None:
        if length > _MAX_SHOWN_PATH:
            parts.append("…")
            break
        segment = path[1]
        if len(path) == 3:
            parts.append(key_segment(segment))
        elif isinstance(segment, int):
            parts.append(f"[{segment}]")
        else:
            parts.append(segment)
        length += len(parts[-1])
        path = path[0]
    return "".join(reversed(parts))


def key_segment(key: str) -> str:
    """``.name`` for identifier-like keys, ``["odd key"]`` for the rest."""
    if key.isidentifier() and key.isascii():
        return "." + key
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def _fail(path: Path, message: str) -> InvalidInput:
    return InvalidInput(f"{render_path(path)}: {message}")


# ---------------------------------------------------------------- plain JSON


def json_kind(value: Any) -> str:
    """ "an object", "an array", "a string"… for messages about a value's JSON type."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"


_SCALAR_TYPES: Final = frozenset({str, int, bool, type(None)})


def _check_scalar(value: Any, path: Path) -> None:
    if type(value) in _SCALAR_TYPES or isinstance(value, str | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _fail(path, f"{value} is not a JSON number")
        return
    raise _fail(path, f"{json_kind(value)} is not a JSON value")


def clone_json(value: Any, path: Path = None) -> Any:
    """Deep copy of a JSON value, checking that it is JSON (str keys, finite numbers).

    Iterative, so any nesting depth works. Used for values coming in (so the
    document never shares mutable values with a caller) and going out.
    """
    if type(value) in _SCALAR_TYPES:
        return value
    if not isinstance(value, dict | list):
        _check_scalar(value, path)
        return value
    top: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any, Path]] = [(value, top, path)]
    while stack:
        src, dst, here = stack.pop()
        if isinstance(src, dict):
            for key, item in src.items():
                if not isinstance(key, str):
                    raise _fail(here, f"object key {key!r} is not a string")
                if isinstance(item, dict | list):
                    child: Any = {} if isinstance(item, dict) else []
                    dst[key] = child
                    stack.append((item, child, (here, key, True)))
                else:
                    _check_scalar(item, (here, key, True))
                    dst[key] = item
        else:
            for i, item in enumerate(src):
                if isinstance(item, dict | list):
                    child = {} if isinstance(item, dict) else []
                    dst.append(child)
                    stack.append((item, child, (here, i)))
                else:
                    _check_scalar(item, (here, i))
                    dst.append(item)
    return top


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true != 1 and object key order does not matter."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, bool) or isinstance(y, bool):
            if x is not y:
                return False
        elif isinstance(x, int | float) and isinstance(y, int | float):
            if x != y:
                return False
        elif isinstance(x, dict) and isinstance(y, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif type(x) is not type(y) or x != y:
            return False
    return True


# ----------------------------------------------------------- Plain LSON input


def live_object(data: dict[str, Any]) -> dict[str, Any]:
    """Plain LSON of a LiveObject (static fields and Live children mixed in ``data``)."""
    return {"liveblocksType": "LiveObject", "data": data}


def live_list(items: list[Any]) -> dict[str, Any]:
    """Plain LSON of a LiveList."""
    return {"liveblocksType": "LiveList", "data": items}


def live_map(entries: dict[str, Any]) -> dict[str, Any]:
    """Plain LSON of a LiveMap."""
    return {"liveblocksType": "LiveMap", "data": entries}


def is_live_value(value: Any, liveify: bool) -> bool:
    """Whether ``value`` becomes a node of its own (rather than static data / a register).

    In Plain LSON only ``{"liveblocksType": …}`` objects are Live; with
    ``liveify`` (JSON Patch values) plain objects and arrays are too.
    """
    if isinstance(value, dict):
        return liveify or "liveblocksType" in value
    return liveify and isinstance(value, list)


def _live_parts(value: Any, path: Path, liveify: bool) -> tuple[int, Any, bool, Path]:
    """(node type, contents, liveify for the contents, path of the contents) of a Live value."""
    if isinstance(value, list):
        return LIST, value, liveify, path
    if "liveblocksType" not in value:
        return OBJECT, value, liveify, path
    kind = value["liveblocksType"]
    if not isinstance(kind, str) or kind not in LIVE_TYPES:
        shown = f"'{kind}'" if isinstance(kind, str) else json.dumps(kind)
        raise _fail(
            path, f"unknown liveblocksType {shown} (expected LiveObject, LiveList or LiveMap)"
        )
    extra = [key for key in value if key not in ("liveblocksType", "data")]
    if extra:
        raise _fail(
            path, f"unexpected key '{extra[0]}' beside 'liveblocksType' and 'data' in a {kind}"
        )
    if "data" not in value:
        raise _fail(path, f"missing 'data' in a {kind}")
    node_type = LIVE_TYPES[kind]
    data = value["data"]
    data_path: Path = (path, ".data")
    wanted = list if node_type == LIST else dict
    if not isinstance(data, wanted):
        need = "an array" if node_type == LIST else "an object"
        raise _fail(data_path, f"a {kind}'s data must be {need}, got {json_kind(data)}")
    # Inside an explicit Plain LSON value, plain objects and arrays stay plain.
    return node_type, data, False, data_path


def iter_lson_nodes(
    value: Any, key: str = "", path: Path = None, *, liveify: bool = False
) -> Iterator[NodeSpec]:
    """The nodes a Live value stands for, depth first, parents before children.

    ``value`` must be Live (see ``is_live_value``). The first spec is the value
    itself (parent -1, ``key``). Objects carry their static fields as data;
    list items get positions ``make_position()`` then ``after(prev)``; plain
    values in lists and maps become REGISTER specs. Raises InvalidInput naming
    the path of a malformed part.
    """
    stack: list[tuple[Any, int, str, Path, bool]] = [(value, -1, key, path, liveify)]
    index = 0
    while stack:
        current, parent, here_key, here, live = stack.pop()
        me = index
        index += 1
        if not is_live_value(current, live):
            yield (parent, here_key, REGISTER, clone_json(current, here))
            continue
        node_type, contents, inner_live, inner_path = _live_parts(current, here, live)
        children: list[tuple[Any, int, str, Path, bool]] = []
        if node_type == LIST:
            pos = make_position()
            for i, item in enumerate(contents):
                if i:
                    pos = after(pos)
                children.append((item, me, pos, (inner_path, i), inner_live))
            yield (parent, here_key, LIST, None)
        else:
            static: dict[str, Any] | None = {} if node_type == OBJECT else None
            for field, item in contents.items():
                if not isinstance(field, str):
                    raise _fail(inner_path, f"object key {field!r} is not a string")
                item_path: Path = (inner_path, field, True)
                if static is not None and not is_live_value(item, inner_live):
                    static[field] = clone_json(item, item_path)
                else:
                    children.append((item, me, field, item_path, inner_live))
            yield (parent, here_key, node_type, static)
        children.reverse()
        stack.extend(children)


def from_plain_lson(value: Any, *, first_server_id: int = 1) -> StorageDocument:
    """Build a document from Plain LSON; ids ``si:1``, ``si:2``… in depth-first order
    (from ``si:<first_server_id>`` when it replaces a room's earlier document)."""
    root_path: Path = (None, "root")
    if not (isinstance(value, dict) and value.get("liveblocksType") == "LiveObject"):
        raise _fail(
            root_path,
            "the storage root must be a LiveObject "
            '({"liveblocksType": "LiveObject", "data": {...}})',
        )
    doc = StorageDocument.empty(first_server_id)
    ids: list[str] = []
    for parent, key, node_type, data in iter_lson_nodes(value, "", root_path):
        if parent < 0:
            doc.root.data = data
            ids.append(ROOT_ID)
        else:
            node_id = doc.new_server_id()
            doc.add_node(node_id, node_type, ids[parent], key, data)
            ids.append(node_id)
    return doc


# ----------------------------------------------------------------- output


def _build(doc: StorageDocument, node_id: str, lson: bool) -> Any:
    """Plain LSON (``lson``) or plain JSON of a subtree, built top-down without recursion."""
    top = doc.node(node_id)
    result: list[Any] = []
    # (node, where to put its value: a list to append to, or a dict and key)
    stack: list[tuple[Node, Any, str | None]] = [(top, result, None)]
    while stack:
        node, target, key = stack.pop()
        if node.type == REGISTER:
            value: Any = clone_json(node.data)
            contents: Any = None
        elif node.type == LIST:
            value = contents = []
        else:
            value = contents = clone_json(node.data) if node.type == OBJECT else {}
        if contents is not None and lson:
            value = {"liveblocksType": _WRAPPER_NAMES[node.type], "data": contents}
        if key is None:
            target.append(value)
        else:
            target[key] = value
        if contents is not None and node.children:
            is_list = node.type == LIST
            stack.extend(
                (child, contents, None if is_list else child.parent_key)
                for child in reversed(list(doc.iter_children(node)))
            )
    return result[0]


def to_plain_lson(doc: StorageDocument, node_id: str = ROOT_ID) -> Any:
    """Plain LSON of the document (or of one node), as ``GET …/storage`` returns it."""
    return _build(doc, node_id, lson=True)


def to_json(doc: StorageDocument, node_id: str = ROOT_ID) -> Any:
    """The lossy plain-JSON projection (``?format=json``): Live wrappers removed."""
    return _build(doc, node_id, lson=False)


def slot_value(doc: StorageDocument, node_id: str, key: str) -> tuple[bool, Any]:
    """(present, Plain LSON value) of slot ``key`` of a container: child node or static field."""
    node = doc.node(node_id)
    child = doc.child_at(node, key)
    if child is not None:
        return True, to_plain_lson(doc, child.id)
    if node.type == OBJECT and key in node.data:
        return True, clone_json(node.data[key])
    return False, None


# -------------------------------------------------------- serialized nodes


def iter_nodes_compact(doc: StorageDocument) -> Iterator[list[Any]]:
    """Compact v8 tuples (``StorageNode.ts``), root first, parents before children."""
    for node in doc.iter_nodes():
        t = node.type
        if node.parent_id is None:
            yield [node.id, dict(node.data)]
        elif t == OBJECT:
            yield [node.id, t, node.parent_id, node.parent_key, dict(node.data)]
        elif t == REGISTER:
            yield [node.id, t, node.parent_id, node.parent_key, node.data]
        else:
            yield [node.id, t, node.parent_id, node.parent_key]


def serialize_nodes_compact(doc: StorageDocument) -> list[list[Any]]:
    """All nodes as STORAGE_CHUNK tuples: ``["root", data]``, ``[id, 0, pid, pkey, data]``…"""
    return list(iter_nodes_compact(doc))


def serialize_nodes_objects(doc: StorageDocument) -> list[list[Any]]:
    """All nodes as ``[id, {"type", "parentId"?, "parentKey"?, "data"?}]`` (v7, ndjson)."""
    out: list[list[Any]] = []
    for node in doc.iter_nodes():
        crdt: dict[str, Any] = {"type": node.type}
        if node.parent_id is not None:
            crdt["parentId"] = node.parent_id
            crdt["parentKey"] = node.parent_key
        if node.type == OBJECT:
            crdt["data"] = dict(node.data)
        elif node.type == REGISTER:
            crdt["data"] = node.data
        out.append([node.id, crdt])
    return out
