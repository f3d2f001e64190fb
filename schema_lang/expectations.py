"""Schema types compiled for validation: `Expect` objects with every name resolved.

`compile_root` runs once per schema (in `load`); validation then only follows
references between these objects, never looks a type up by name.
"""

from __future__ import annotations

from . import ast
from .formatter import prettify
from .values import ARRAY, BOOLEAN, LIVE_LIST, LIVE_MAP, LIVE_OBJECT, NULL, NUMBER, OBJECT, STRING


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
