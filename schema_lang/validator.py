"""Checking storage documents (Plain LSON) against a checked schema (§3).

`compile_root` turns the AST into `Expect` objects once, with every type name
already resolved; validation is then one iterative pass over the document (no
recursion, whatever the depth) that builds a path string only for a violation.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import ast
from .formatter import prettify
from .js_format import js_number, quote

# What a JSON value is, as far as the schema is concerned.
STRING, NUMBER, BOOLEAN, NULL, ARRAY, OBJECT = 0, 1, 2, 3, 4, 5
LIVE_OBJECT, LIVE_LIST, LIVE_MAP = 6, 7, 8
UNKNOWN_LIVE, MALFORMED_LIVE, NOT_JSON = 9, 10, 11

CONTAINER_KINDS = {"LiveObject": LIVE_OBJECT, "LiveList": LIVE_LIST, "LiveMap": LIVE_MAP}
_LIVE_DATA_TYPES: dict[str, tuple[int, type]] = {
    "LiveObject": (LIVE_OBJECT, dict),
    "LiveList": (LIVE_LIST, list),
    "LiveMap": (LIVE_MAP, dict),
}

# Path steps: how a key is printed after its parent.
FIELD, INDEX, MAP_KEY = 0, 1, 2
PathNode = tuple[Any, str | int, int] | None

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
_MAX_SHOWN_STRING = 40


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


class Shape:
    """The fields of an object type (a definition or an object literal)."""

    __slots__ = ("fields", "label", "required")

    def __init__(self, label: str) -> None:
        self.label = label
        self.fields: dict[str, Expect] = {}
        self.required: tuple[str, ...] = ()


class Expect:
    """What one position of a document must hold, compiled from a type expression."""

    __slots__ = ("by_kind", "item", "kind", "literals", "node", "shape")

    def __init__(
        self,
        kind: int,
        node: ast.TypeExpr,
        *,
        literals: frozenset[ast.LiteralValue] | None = None,
        item: Expect | None = None,
        shape: Shape | None = None,
        by_kind: dict[int, Expect] | None = None,
    ) -> None:
        self.kind = kind  # the value kind required, or -1 for a union
        self.node = node
        self.literals = literals
        self.item = item
        self.shape = shape
        self.by_kind = by_kind

    def describe(self) -> str:
        """The type as a message shows it: `LiveList<string>`, `Todo (a plain object)`."""
        text = prettify(self.node)
        if self.kind == OBJECT:
            return f"{text} (a plain object)"
        if self.kind == ARRAY:
            return f"{text} (a plain array)"
        return text


_SCALARS: dict[type, int] = {
    ast.StringType: STRING,
    ast.NumberType: NUMBER,
    ast.BooleanType: BOOLEAN,
    ast.NullType: NULL,
}


def _literal_kind(value: ast.LiteralValue) -> int:
    if isinstance(value, bool):
        return BOOLEAN
    return STRING if isinstance(value, str) else NUMBER


class _Compiler:
    def __init__(self, types: dict[str, ast.ObjectTypeDefinition]) -> None:
        # Plain references always name static types and LiveObject<> ones live
        # types: the checker rejected every mix.
        self.types = types
        # Shapes exist before their fields are compiled, so references between
        # definitions never recurse from one definition into another.
        self.shapes = {name: Shape(name) for name in types}
        self.refs: dict[tuple[str, bool], Expect] = {}

    def compile_all(self) -> None:
        for name, definition in self.types.items():
            self.fill(self.shapes[name], definition.fields)

    def fill(self, shape: Shape, fields: tuple[ast.FieldDef, ...]) -> None:
        shape.fields = {f.name.name: self.compile(f.type) for f in fields}
        shape.required = tuple(f.name.name for f in fields if not f.optional)

    def compile(self, node: ast.TypeExpr) -> Expect:
        scalar = _SCALARS.get(type(node))
        if scalar is not None:
            return Expect(scalar, node)
        if isinstance(node, ast.LiteralType):
            return Expect(_literal_kind(node.value), node, literals=frozenset({node.value}))
        if isinstance(node, ast.TypeRef):
            return self.reference(node)
        if isinstance(node, ast.ArrayType):
            return Expect(ARRAY, node, item=self.compile(node.of_type))
        if isinstance(node, ast.LiveListType):
            return Expect(LIVE_LIST, node, item=self.compile(node.of_type))
        if isinstance(node, ast.LiveMapType):
            return Expect(LIVE_MAP, node, item=self.compile(node.value_type))
        if isinstance(node, ast.ObjectLiteralType):
            shape = Shape(prettify(node))
            self.fill(shape, node.fields)
            return Expect(OBJECT, node, shape=shape)
        assert isinstance(node, ast.UnionType)
        return self.union(node)

    def reference(self, node: ast.TypeRef) -> Expect:
        key = (node.ref.name, node.as_live_object)
        expect = self.refs.get(key)
        if expect is None:
            kind = LIVE_OBJECT if node.as_live_object else OBJECT
            expect = Expect(kind, node, shape=self.shapes[node.ref.name])
            self.refs[key] = expect
        return expect

    def union(self, node: ast.UnionType) -> Expect:
        # The checker made members disjoint by kind, except that several
        # literals may share one (`"a" | "b"`): those become one literal set.
        by_kind: dict[int, Expect] = {}
        literals: dict[int, set[ast.LiteralValue]] = {}
        for member in node.members:
            if isinstance(member, ast.LiteralType):
                literals.setdefault(_literal_kind(member.value), set()).add(member.value)
            else:
                compiled = self.compile(member)
                by_kind[compiled.kind] = compiled
        for kind, values in literals.items():
            # Labelled with the whole union, so a mismatch lists every choice.
            by_kind[kind] = Expect(kind, node, literals=frozenset(values))
        return Expect(-1, node, by_kind=by_kind)


def compile_root(types: dict[str, ast.ObjectTypeDefinition]) -> Expect:
    """The expectation for a whole document: a LiveObject holding `Storage`."""
    compiler = _Compiler(types)
    compiler.compile_all()
    root = types["Storage"]
    node = ast.TypeRef(root.name, True, line=root.line, column=root.column)
    return Expect(LIVE_OBJECT, node, shape=compiler.shapes["Storage"])


# Reading values


def kind_of(value: object) -> int:
    cls = type(value)
    if cls is str:
        return STRING
    if cls is bool:
        return BOOLEAN
    if cls is int:
        return NUMBER
    if cls is float:
        return NUMBER if math.isfinite(value) else NOT_JSON  # type: ignore[arg-type]
    if value is None:
        return NULL
    if cls is list:
        return ARRAY
    if cls is dict:
        return _kind_of_dict(value)  # type: ignore[arg-type]
    return _kind_of_other(value)


def _kind_of_other(value: object) -> int:
    if isinstance(value, str):
        return STRING
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return NUMBER
    if isinstance(value, float):
        return NUMBER if math.isfinite(value) else NOT_JSON
    if isinstance(value, list | tuple):
        return ARRAY
    if isinstance(value, dict):
        return _kind_of_dict(value)
    return NOT_JSON


def _kind_of_dict(value: dict[Any, Any]) -> int:
    if "liveblocksType" not in value:
        return OBJECT
    expected = _LIVE_DATA_TYPES.get(value["liveblocksType"])
    if expected is None:
        return UNKNOWN_LIVE
    kind, data_type = expected
    return kind if isinstance(value.get("data"), data_type) else MALFORMED_LIVE


def describe_value(value: Any, kind: int) -> str:
    """What was found, for a message: `string "yes"`, `a plain object`, `a LiveList`."""
    if kind == STRING:
        shown = value if len(value) <= _MAX_SHOWN_STRING else value[:_MAX_SHOWN_STRING] + "…"
        return "string " + json.dumps(shown, ensure_ascii=False)
    if kind == NUMBER:
        return f"number {js_number(value)}"
    if kind == BOOLEAN:
        return "boolean true" if value else "boolean false"
    if kind == NULL:
        return "null"
    if kind == ARRAY:
        return "a plain array"
    if kind == OBJECT:
        return "a plain object"
    if kind in (LIVE_OBJECT, LIVE_LIST, LIVE_MAP):
        return f"a {value['liveblocksType']}"
    if kind == UNKNOWN_LIVE:
        shown = json.dumps(value["liveblocksType"], ensure_ascii=False, default=repr)
        return f"an object with an unsupported liveblocksType {shown}"
    if kind == MALFORMED_LIVE:
        live_type = value["liveblocksType"]
        wanted = "an array" if live_type == "LiveList" else "an object"
        return f'a malformed {live_type} (its "data" must be {wanted})'
    if isinstance(value, float):  # NaN and the infinities
        return f"{js_number(value)}, which is not a JSON value"
    return f"a {type(value).__name__}, which is not a JSON value"


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
