"""Checking storage documents (Plain LSON) against a checked schema (§3).

Validation is one iterative pass over the document (no recursion, whatever its
depth) guided by the compiled `Expect` objects; a path string is built only
for a violation.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .expectations import Expect, Shape
from .js_format import quote
from .values import (
    ARRAY,
    CONTAINER_KINDS,
    LIVE_LIST,
    LIVE_OBJECT,
    NULL,
    OBJECT,
    describe_value,
    kind_of,
)

# Path steps: how a key is printed after its parent.
FIELD, INDEX, MAP_KEY = 0, 1, 2
PathNode = tuple[Any, str | int, int] | None

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")


class Missing(enum.Enum):
    """Type of `MISSING`, the value `validate_at` takes for "this key is being removed"."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing.MISSING


@dataclass(frozen=True, slots=True)
class Violation:
    """One place where a document does not match its schema."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# Paths


def format_path(path: PathNode) -> str:
    parts: list[str] = []
    while path is not None:
        parent, key, style = path
        if style == INDEX:
            parts.append(f"[{key}]")
        elif style == FIELD or (isinstance(key, str) and _IDENTIFIER.match(key)):
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key, ensure_ascii=False, default=str)}]")
        path = parent
    parts.append("root")
    return "".join(reversed(parts))


# Validation


def _mismatch(expect: Expect, value: Any, kind: int, path: PathNode) -> Violation:
    return Violation(
        format_path(path), f"expected {expect.describe()}, got {describe_value(value, kind)}"
    )


def check_value(expect: Expect, value: Any, path: PathNode) -> list[Violation]:
    """Every violation in `value` (a subtree at `path`), parents before children."""
    out: list[Violation] = []
    stack: list[tuple[Expect, Any, PathNode]] = [(expect, value, path)]
    pop, push = stack.pop, stack.append
    while stack:
        expect, value, path = pop()
        kind = kind_of(value)
        if expect.by_kind is not None:
            member = expect.by_kind.get(kind)
            if member is None:
                out.append(_mismatch(expect, value, kind, path))
                continue
            expect = member
        elif expect.kind != kind:
            out.append(_mismatch(expect, value, kind, path))
            continue
        if expect.literals is not None:
            if value not in expect.literals:
                out.append(_mismatch(expect, value, kind, path))
            continue
        if kind <= NULL:
            continue
        if kind in (OBJECT, LIVE_OBJECT):
            data = value if kind == OBJECT else value["data"]
            shape = expect.shape
            assert shape is not None
            fields = shape.fields
            for name in shape.required:
                if name not in data:
                    out.append(
                        Violation(format_path(path), f"required field {quote(name)} is missing")
                    )
            children: list[tuple[Expect, Any, PathNode]] = []
            for key, item in data.items():
                field = fields.get(key)
                if field is None:
                    out.append(_unexpected_field(shape, key, path))
                else:
                    children.append((field, item, (path, key, FIELD)))
            stack.extend(reversed(children))
            continue
        item_expect = expect.item
        assert item_expect is not None
        if kind in (ARRAY, LIVE_LIST):
            items = value if kind == ARRAY else value["data"]
            for index in range(len(items) - 1, -1, -1):
                push((item_expect, items[index], (path, index, INDEX)))
        else:  # LIVE_MAP
            for key, item in reversed(value["data"].items()):
                push((item_expect, item, (path, key, MAP_KEY)))
    return out


def _unexpected_field(shape: Shape, key: object, path: PathNode) -> Violation:
    shown = quote(key) if isinstance(key, str) else repr(key)
    return Violation(
        format_path(path), f"unexpected field {shown} (type {shape.label} has no such field)"
    )


def check_at(
    root: Expect, steps: Sequence[tuple[str, str | int]], value: object
) -> list[Violation]:
    """Would `value` be valid at `steps` from the root? (see `schema_lang.validate_at`)."""
    expect = root
    path: PathNode = None
    last = len(steps) - 1
    if last < 0 and value is MISSING:
        return [Violation("root", "the root LiveObject cannot be removed")]
    for position, (container, key) in enumerate(steps):
        kind = CONTAINER_KINDS.get(container)
        if kind is None:
            raise ValueError(
                f"unknown container kind {container!r}: expected one of {sorted(CONTAINER_KINDS)}"
            )
        member = expect.by_kind.get(kind) if expect.by_kind is not None else expect
        if member is None or member.kind != kind:
            found = "an" if container[0] in "AEIOU" else "a"
            message = f"expected {expect.describe()}, got {found} {container}"
            return [Violation(format_path(path), message)]
        removing = position == last and value is MISSING
        if kind == LIVE_OBJECT:
            shape = member.shape
            assert shape is not None
            field = shape.fields.get(key) if isinstance(key, str) else None
            if field is None:
                return [_unexpected_field(shape, key, path)]
            if removing:
                if key in shape.required:
                    return [Violation(format_path(path), f"required field {quote(key)} is missing")]
                return []
            expect, path = field, (path, key, FIELD)
        else:
            if removing:
                return []  # removing a list item or a map entry never breaks the schema
            wanted: type = int if kind == LIVE_LIST else str
            if not isinstance(key, wanted) or isinstance(key, bool):
                what = "an index (int)" if kind == LIVE_LIST else "a key (str)"
                message = f"a {container} step needs {what}, got {key!r}"
                return [Violation(format_path(path), message)]
            assert member.item is not None
            expect, path = member.item, (path, key, INDEX if kind == LIVE_LIST else MAP_KEY)
    return check_value(expect, value, path)
