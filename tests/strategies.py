"""Hypothesis strategies shared by tests: JSON values, Plain LSON roots, fixture documents,
random JSON Patch ops, and the reference projection and RFC 6902 implementation they are
checked against."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from emulator.domain.clock import format_ms
from emulator.domain.permissions import ROOM_PERMISSIONS
from emulator.domain.storage import LIST, OBJECT, REGISTER, Node, StorageDocument
from emulator.domain.storage_formats import json_equal

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


# ------------------------------------------- storage: reference projection and RFC 6902


def plain_projection(value: Any) -> Any:
    """Reference projection of Plain LSON to plain JSON (written independently of the emulator)."""
    if isinstance(value, dict) and "liveblocksType" in value:
        data = value["data"]
        if isinstance(data, list):
            return [plain_projection(item) for item in data]
        return {k: plain_projection(v) for k, v in data.items()}
    return value


class RefError(Exception):
    """The reference RFC 6902 implementation refuses an operation."""


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def pointer(tokens: list[str]) -> str:
    """The JSON Pointer (RFC 6901) of a list of keys."""
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def ref_get(doc: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(doc, dict):
            if token not in doc:
                raise RefError("missing")
            doc = doc[token]
        elif isinstance(doc, list):
            if not token.isdigit() or (token != "0" and token.startswith("0")):
                raise RefError("index")
            if int(token) >= len(doc):
                raise RefError("bounds")
            doc = doc[int(token)]
        else:
            raise RefError("scalar")
    return doc


def _ref_add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = ref_get(doc, tokens[:-1])
    key = tokens[-1]
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list):
        index = len(parent) if key == "-" else int(key)
        if index > len(parent):
            raise RefError("bounds")
        parent.insert(index, value)
    else:
        raise RefError("scalar")
    return doc


def _ref_remove(doc: Any, tokens: list[str]) -> Any:
    ref_get(doc, tokens)
    parent = ref_get(doc, tokens[:-1])
    if isinstance(parent, dict):
        del parent[tokens[-1]]
    else:
        del parent[int(tokens[-1])]
    return doc


def ref_apply(doc: Any, patch: list[dict[str, Any]]) -> Any:
    """RFC 6902 on plain JSON, on a copy of ``doc``; RefError when an op fails."""
    doc = copy.deepcopy(doc)
    for op in patch:
        path = _tokens(op["path"])
        name = op["op"]
        if name == "add":
            doc = _ref_add(doc, path, copy.deepcopy(op["value"]))
        elif name == "remove":
            doc = _ref_remove(doc, path)
        elif name == "replace":
            ref_get(doc, path)
            doc = _ref_add(_ref_remove(doc, path), path, copy.deepcopy(op["value"]))
        elif name == "move":
            source = _tokens(op["from"])
            value = ref_get(doc, source)
            if source != path and path[: len(source)] == source:
                raise RefError("into itself")
            doc = _ref_add(_ref_remove(doc, source), path, value)
        elif name == "copy":
            value = copy.deepcopy(ref_get(doc, _tokens(op["from"])))
            doc = _ref_add(doc, path, value)
        elif name == "test" and not json_equal(ref_get(doc, path), op["value"]):
            raise RefError("test")
    return doc


# ------------------------------------ random JSON Patch ops that only traverse Live nodes


def storage_slots(doc: StorageDocument) -> tuple[list[tuple[list[str], Node]], list[list[str]]]:
    """(containers with their paths, paths of every existing value below the root)."""
    containers: list[tuple[list[str], Node]] = []
    values: list[list[str]] = []
    stack: list[tuple[list[str], Node]] = [([], doc.root)]
    while stack:
        tokens, node = stack.pop()
        if node.type == REGISTER:
            continue
        containers.append((tokens, node))
        if node.type == OBJECT:
            values.extend([*tokens, key] for key in node.data)
        if node.type == LIST:
            items = doc.list_items(node)
            for i, child in enumerate(items):
                values.append([*tokens, str(i)])
                stack.append(([*tokens, str(i)], child))
        else:
            for key, child in (node.children or {}).items():
                values.append([*tokens, key])
                stack.append(([*tokens, key], child))
    return containers, values


patch_leaves = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3)
patch_values = st.recursive(
    patch_leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=6,
)
patch_keys = st.sampled_from(["a", "b", "", "~", "x/y", "-", "é"])


def _target(data: st.DataObject, doc: StorageDocument, *, insert: bool) -> list[str]:
    containers, _ = storage_slots(doc)
    tokens, node = data.draw(st.sampled_from(containers))
    if node.type == LIST:
        size = len(node.order or [])
        if insert:
            key = data.draw(st.sampled_from([*map(str, range(size + 1)), "-"]))
        else:
            key = str(data.draw(st.integers(0, size - 1))) if size else "-"
    else:
        existing = [*node.data] if node.type == OBJECT else []
        existing += list(node.children or {})
        key = data.draw(st.sampled_from(existing) | patch_keys) if existing else data.draw(patch_keys)
    return [*tokens, key]


def draw_patch_op(data: st.DataObject, doc: StorageDocument, plain: Any) -> dict[str, Any] | None:
    """One JSON Patch op on ``doc`` (whose JSON view is ``plain``) whose paths cross only
    Live containers, as Liveblocks' guide requires; None when none fits."""
    _, values = storage_slots(doc)
    name = data.draw(st.sampled_from(["add", "remove", "replace", "move", "copy", "test"]))
    if name == "add":
        return {
            "op": "add",
            "path": pointer(_target(data, doc, insert=True)),
            "value": data.draw(patch_values),
        }
    if not values:
        return None
    source = data.draw(st.sampled_from(values))
    if name == "remove":
        return {"op": "remove", "path": pointer(source)}
    if name == "replace":
        return {"op": "replace", "path": pointer(source), "value": data.draw(patch_values)}
    if name == "test":
        value = ref_get(plain, source)
        if data.draw(st.integers(0, 9)) == 0:
            value = ["surely", "different"]
        return {"op": "test", "path": pointer(source), "value": value}
    target = _target(data, doc, insert=True)
    if name == "move":
        if target[: len(source)] == source and target != source:
            return None
        # After the removal, indices in the source's list shift: only move through
        # that list when it is the target's direct parent.
        parent = source[:-1]
        if target[: len(parent)] == parent and len(target) > len(source):
            return None
    return {"op": name, "from": pointer(source), "path": pointer(target)}


# ----------------------------------------------- garbage: almost Plain LSON, almost patches

lson_garbage = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=3)
    | st.sampled_from(["LiveObject", "LiveList", "LiveMap", "LiveText"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["liveblocksType", "data", "x"]), inner, max_size=3)
    ),
    max_leaves=16,
)
patch_garbage = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(["", "/", "/log/0", "/map/k", "-"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["op", "path", "from", "value"]), inner, max_size=4)
        | st.fixed_dictionaries(
            {"op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test"])},
            optional={"path": inner, "from": inner, "value": inner},
        )
    ),
    max_leaves=16,
)
