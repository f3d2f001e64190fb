"""Hypothesis strategies shared by the schema_lang property tests.

- `documents()`: arbitrary ASTs the grammar can express (not necessarily valid).
- `draw_valid_document(data)`: a random schema that passes the checker.
- `draw_storage(data, document)`: a random storage document valid for it, with
  every position recorded (path, steps for validate_at, type, where it sits).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from schema_lang import ast

KEYWORDS = ["type", "string", "number", "boolean", "null", "true", "false"]
LIVE_KEYWORDS = ["LiveList", "LiveMap", "LiveObject"]

identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
field_names = st.one_of(identifiers, st.sampled_from(KEYWORDS + LIVE_KEYWORDS))
# A plain reference cannot be a scalar keyword or a literal keyword.
ref_names = identifiers.filter(lambda n: n not in KEYWORDS[1:] + LIVE_KEYWORDS)
# After `type` and inside LiveObject<…>: any word but the Live keywords.
type_names = st.one_of(
    identifiers, st.from_regex(r"[0-9][A-Za-z0-9_]{0,5}", fullmatch=True), st.sampled_from(KEYWORDS)
).filter(lambda n: n not in LIVE_KEYWORDS)

literal_values = st.one_of(
    st.text(max_size=8),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)


def _base_types() -> st.SearchStrategy[ast.TypeExpr]:
    return st.one_of(
        st.sampled_from([ast.StringType(), ast.NumberType(), ast.BooleanType(), ast.NullType()]),
        literal_values.map(ast.LiteralType),
        ref_names.map(lambda n: ast.TypeRef(ast.TypeName(n), False)),
        type_names.map(lambda n: ast.TypeRef(ast.TypeName(n), True)),
    )


def _flat_union(members: list[ast.TypeExpr]) -> ast.UnionType:
    flat: list[ast.TypeExpr] = []
    for member in members:
        flat.extend(member.members if isinstance(member, ast.UnionType) else [member])
    return ast.UnionType(tuple(flat))


def _fields(types: st.SearchStrategy[ast.TypeExpr]) -> st.SearchStrategy[tuple[ast.FieldDef, ...]]:
    return st.lists(
        st.builds(lambda n, o, t: ast.FieldDef(ast.Identifier(n), o, t), field_names, st.booleans(),
                  types),
        max_size=3,
    ).map(tuple)


def _composite(children: st.SearchStrategy[ast.TypeExpr]) -> st.SearchStrategy[ast.TypeExpr]:
    return st.one_of(
        children.map(ast.ArrayType),
        children.map(ast.LiveListType),
        st.builds(ast.LiveMapType, children, children),
        st.lists(children, min_size=2, max_size=4).map(_flat_union),
        _fields(children).map(ast.ObjectLiteralType),
    )


type_exprs = st.recursive(_base_types(), _composite, max_leaves=12)


def documents() -> st.SearchStrategy[ast.Document]:
    definition = st.builds(
        lambda name, fields: ast.ObjectTypeDefinition(ast.TypeName(name), fields),
        type_names,
        _fields(type_exprs),
    )
    return st.lists(definition, min_size=1, max_size=4).map(lambda d: ast.Document(tuple(d)))


def structure(node: Any) -> Any:
    """A node as nested tuples, positions left out and literal types kept
    (so `LiteralType(True)` and `LiteralType(1)` differ, unlike with ==)."""
    if isinstance(node, tuple):
        return tuple(structure(x) for x in node)
    if isinstance(node, ast.LiteralType):
        return ("LiteralType", type(node.value).__name__, node.value)
    if isinstance(node, ast.Node):
        values = [structure(getattr(node, f)) for f in node.__dataclass_fields__
                  if node.__dataclass_fields__[f].compare]
        return (type(node).__name__, *values)
    return node


# Valid schemas

_LITERALS: list[ast.LiteralValue] = ["a", "b", "x y", "{", "it's", 'q"', 0, 1, -3, 7, True, False]
_FIELD_POOL = ["a", "b", "c", "type", "string", "LiveObject", "x1", "_y", "null"]


def _tag(node: ast.TypeExpr) -> str:
    if isinstance(node, ast.LiteralType):
        return "lit:" + json.dumps(node.value)
    if isinstance(node, ast.TypeRef):
        return "liveobj" if node.as_live_object else "obj"
    return type(node).__name__.replace("ObjectLiteralType", "obj")


def _base_of(node: ast.TypeExpr) -> str | None:
    if isinstance(node, ast.LiteralType):
        return type(node.value).__name__.replace("int", "num")
    return {ast.StringType: "str", ast.NumberType: "num", ast.BooleanType: "bool"}.get(type(node))


class _ValidSchemaBuilder:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.live: dict[str, bool] = {}

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def fields(
        self, live: bool, refs: list[str], depth: int, min_size: int = 0
    ) -> tuple[ast.FieldDef, ...]:
        names = self.draw(
            st.lists(st.sampled_from(_FIELD_POOL), unique=True, min_size=min_size, max_size=5)
        )
        return tuple(
            ast.FieldDef(ast.Identifier(n), self.draw(st.booleans()), self.type(live, refs, depth))
            for n in names
        )

    def type(self, live: bool, refs: list[str], depth: int) -> ast.TypeExpr:
        options = ["string", "number", "boolean", "null", "literal", "ref", "ref"]
        if depth < 3:
            # Composite types weigh more, so that schemas are rich.
            options += ["array", "object", "union"] * 2
            if live:
                options += ["livelist", "livemap", "liveref"] * 2
        choice = self.draw(st.sampled_from(options))
        if choice == "literal":
            return ast.LiteralType(self.draw(st.sampled_from(_LITERALS)))
        if choice in ("ref", "liveref"):
            wanted = choice == "liveref"
            targets = [r for r in refs if self.live[r] == wanted]
            if not targets:
                return ast.StringType()
            return ast.TypeRef(ast.TypeName(self.draw(st.sampled_from(targets))), wanted)
        if choice == "array":
            return ast.ArrayType(self.type(False, refs, depth + 1))
        if choice == "object":
            return ast.ObjectLiteralType(self.fields(False, refs, depth + 1))
        if choice == "livelist":
            return ast.LiveListType(self.type(True, refs, depth + 1))
        if choice == "livemap":
            return ast.LiveMapType(ast.StringType(), self.type(True, refs, depth + 1))
        if choice == "union":
            return self.union(live, refs, depth)
        return {"string": ast.StringType(), "number": ast.NumberType(),
                "boolean": ast.BooleanType(), "null": ast.NullType()}[choice]

    def union(self, live: bool, refs: list[str], depth: int) -> ast.TypeExpr:
        members: list[ast.TypeExpr] = []
        tags: set[str] = set()
        bases_with_scalar: set[str] = set()
        bases_with_literal: set[str] = set()
        for _ in range(self.draw(st.integers(2, 4))):
            member = self.type(live, refs, depth + 1)
            candidates = member.members if isinstance(member, ast.UnionType) else (member,)
            for m in candidates:
                tag, base = _tag(m), _base_of(m)
                is_literal = isinstance(m, ast.LiteralType)
                if tag in tags or (base is not None and base in (
                    bases_with_scalar if is_literal else bases_with_literal
                )):
                    continue
                tags.add(tag)
                if base is not None:
                    (bases_with_literal if is_literal else bases_with_scalar).add(base)
                members.append(m)
        return members[0] if len(members) == 1 else ast.UnionType(tuple(members))

    def document(self) -> ast.Document:
        names = [f"T{i}" for i in range(self.draw(st.integers(0, 6)))]
        self.live = {n: self.draw(st.booleans()) for n in names}
        definitions = {
            name: ast.ObjectTypeDefinition(
                ast.TypeName(name), self.fields(self.live[name], names[i + 1:], 0)
            )
            for i, name in enumerate(names)
        }
        storage = ast.ObjectTypeDefinition(
            ast.TypeName("Storage"), self.fields(True, names, 0, min_size=2)
        )
        # Keep only what Storage reaches: the checker rejects unused types.
        reachable: list[str] = []
        pending = [storage]
        while pending:
            for field in pending.pop().fields:
                for node in _walk(field.type):
                    name = node.ref.name if isinstance(node, ast.TypeRef) else None
                    if name is not None and name not in reachable:
                        reachable.append(name)
                        pending.append(definitions[name])
        return ast.Document((storage, *(definitions[n] for n in names if n in reachable)))


def _walk(node: ast.TypeExpr) -> list[ast.TypeExpr]:
    out = [node]
    if isinstance(node, ast.ArrayType | ast.LiveListType):
        out += _walk(node.of_type)
    elif isinstance(node, ast.LiveMapType):
        out += _walk(node.key_type) + _walk(node.value_type)
    elif isinstance(node, ast.UnionType):
        for m in node.members:
            out += _walk(m)
    elif isinstance(node, ast.ObjectLiteralType):
        for f in node.fields:
            out += _walk(f.type)
    return out


def draw_valid_document(data: st.DataObject) -> ast.Document:
    return _ValidSchemaBuilder(data).document()


# Storage documents

_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")


@dataclass
class Position:
    """One value of a generated document: where it is, and what type it has."""

    path: str
    steps: list[tuple[str, str | int]] | None  # None when inside a plain container
    type: ast.TypeExpr
    parent: Any  # the dict or list holding it; None for the root
    key: Any


def child_path(path: str, key: str | int, style: str) -> str:
    if style == "index":
        return f"{path}[{key}]"
    if style == "field" or _KEY.match(str(key)):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _extend(
    steps: list[tuple[str, str | int]] | None, step: tuple[str, str | int]
) -> list[tuple[str, str | int]] | None:
    """validate_at steps one level down; None once inside a plain container."""
    return None if steps is None else [*steps, step]


class _StorageBuilder:
    def __init__(self, data: st.DataObject, document: ast.Document) -> None:
        self.data = data
        self.types = {d.name.name: d for d in document.definitions}
        self.positions: list[Position] = []

    def value(self, node: ast.TypeExpr, where: Position) -> Any:
        self.positions.append(where)  # recorded with its declared type, unions included
        if isinstance(node, ast.UnionType):
            node = self.data.draw(st.sampled_from(node.members))
        return self.member_value(node, where)

    def member_value(self, node: ast.TypeExpr, where: Position) -> Any:
        draw = self.data.draw
        if isinstance(node, ast.StringType):
            return draw(st.text(max_size=4))
        if isinstance(node, ast.NumberType):
            return draw(st.one_of(st.integers(-100, 100), st.floats(-1e6, 1e6)))
        if isinstance(node, ast.BooleanType):
            return draw(st.booleans())
        if isinstance(node, ast.NullType):
            return None
        if isinstance(node, ast.LiteralType):
            return node.value
        if isinstance(node, ast.ArrayType | ast.LiveListType):
            items: list[Any] = []
            live = isinstance(node, ast.LiveListType)
            for i in range(draw(st.integers(0, 3))):
                steps = _extend(where.steps, ("LiveList", i)) if live else None
                items.append(self.value(node.of_type, Position(
                    child_path(where.path, i, "index"), steps, node.of_type, items, i)))
            return {"liveblocksType": "LiveList", "data": items} if live else items
        if isinstance(node, ast.LiveMapType):
            entries: dict[str, Any] = {}
            for key in draw(st.lists(st.text("ab $", min_size=1, max_size=3), unique=True,
                                     max_size=3)):
                steps = _extend(where.steps, ("LiveMap", key))
                entries[key] = self.value(node.value_type, Position(
                    child_path(where.path, key, "key"), steps, node.value_type, entries, key))
            return {"liveblocksType": "LiveMap", "data": entries}
        if isinstance(node, ast.ObjectLiteralType):
            return self.fields(node.fields, where, live=False)
        assert isinstance(node, ast.TypeRef)
        fields = self.types[node.ref.name].fields
        if node.as_live_object:
            return {"liveblocksType": "LiveObject", "data": self.fields(fields, where, live=True)}
        return self.fields(fields, where, live=False)

    def fields(self, fields: tuple[ast.FieldDef, ...], where: Position, live: bool) -> Any:
        out: dict[str, Any] = {}
        for field in fields:
            if field.optional and self.data.draw(st.booleans()):
                continue
            name = field.name.name
            steps = _extend(where.steps, ("LiveObject", name)) if live else None
            out[name] = self.value(field.type, Position(
                child_path(where.path, name, "field"), steps, field.type, out, name))
        return out


def draw_storage(data: st.DataObject, document: ast.Document) -> tuple[Any, list[Position]]:
    builder = _StorageBuilder(data, document)
    root_type = ast.TypeRef(ast.TypeName("Storage"), True)
    root = builder.value(root_type, Position("root", [], root_type, None, None))
    return root, builder.positions
