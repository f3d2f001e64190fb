"""A room's storage as rows for the tree view, each with the JSON Pointer that edits it.

Rows, not nested HTML, so a huge document is cut at a budget instead of freezing
the page: at most ``MAX_CHILDREN`` children of a container and ``MAX_ROWS`` rows
in all are shown, and what was left out is counted on a row of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..domain.storage import KIND_NAMES, LIST, REGISTER, Node, StorageDocument
from ..domain.storage_formats import json_kind

MAX_ROWS = 2000
MAX_CHILDREN = 200


@dataclass(frozen=True, slots=True)
class Row:
    depth: int
    key: str  # field, map key or list index; "" for the root
    pointer: str  # RFC 6901, what JSON Patch takes
    kind: str  # LiveObject, LiveList, LiveMap, or the JSON type of a plain value
    value: Any = None  # plain values only
    size: int | None = None  # containers: how many children
    hidden: int = 0  # a "… N more" row: how many were left out


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _json_kind(value: Any) -> str:
    return json_kind(value).split()[-1]  # "a string" -> "string"


def _children(doc: StorageDocument, node: Node) -> list[tuple[str, Any]]:
    """(key, child node or plain value), in the order the client shows them."""
    if node.type == LIST:
        return [(str(index), item) for index, item in enumerate(doc.list_items(node))]
    pairs: list[tuple[str, Any]] = []
    if isinstance(node.data, dict):
        pairs.extend(node.data.items())  # a LiveObject's plain fields
    pairs.extend((child.parent_key, child) for child in doc.iter_children(node))
    return pairs


def rows(doc: StorageDocument) -> Iterator[Row]:
    shown = 0
    stack: list[tuple[int, str, str, Any]] = [(0, "", "", doc.root)]
    while stack:
        depth, key, pointer, item = stack.pop()
        if shown >= MAX_ROWS:
            rest = 1 + len(stack)
            yield Row(depth, "", pointer, "more", hidden=rest)
            return
        shown += 1
        if isinstance(item, Node) and item.type != REGISTER:
            children = _children(doc, item)
            yield Row(depth, key, pointer, KIND_NAMES[item.type], size=len(children))
            visible = children[:MAX_CHILDREN]
            if len(children) > MAX_CHILDREN:
                stack.append((depth + 1, "", pointer, _More(len(children) - MAX_CHILDREN)))
            for child_key, child in reversed(visible):
                stack.append((depth + 1, child_key, f"{pointer}/{_escape(child_key)}", child))
        elif isinstance(item, _More):
            yield Row(depth, "", pointer, "more", hidden=item.count)
        else:
            value = item.data if isinstance(item, Node) else item
            yield Row(depth, key, pointer, _json_kind(value), value=value)


@dataclass(frozen=True, slots=True)
class _More:
    count: int
