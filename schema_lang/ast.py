"""Typed AST of the schema language.

Every node carries the 1-based `line`/`column` where it starts and the
`end_line`/`end_column` just past where it ends. Positions are excluded from
equality, so two trees that differ only in layout compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Node:
    line: int = field(default=0, compare=False, kw_only=True)
    column: int = field(default=0, compare=False, kw_only=True)
    end_line: int = field(default=0, compare=False, kw_only=True)
    end_column: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Identifier(Node):
    """A field name, e.g. `title` in `title: string`."""

    name: str


@dataclass(frozen=True, slots=True)
class TypeName(Node):
    """A type's name, in a definition (`type Todo`) or a reference (`Todo`)."""

    name: str


@dataclass(frozen=True, slots=True)
class TypeNode(Node):
    # How many type nodes deep this subtree goes; the parser uses it to refuse
    # absurd nesting before any recursive pass could overflow the stack.
    nesting: int = field(default=1, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class StringType(TypeNode):
    pass


@dataclass(frozen=True, slots=True)
class NumberType(TypeNode):
    pass


@dataclass(frozen=True, slots=True)
class BooleanType(TypeNode):
    pass


@dataclass(frozen=True, slots=True)
class NullType(TypeNode):
    pass


LiteralValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class LiteralType(TypeNode):
    """A string, number or boolean literal type: `"done"`, `42`, `true`."""

    value: LiteralValue


@dataclass(frozen=True, slots=True)
class ArrayType(TypeNode):
    """`T[]`: a plain JSON array."""

    of_type: TypeExpr


@dataclass(frozen=True, slots=True)
class UnionType(TypeNode):
    """`A | B | …`, always flattened (a member is never itself a union)."""

    members: tuple[TypeExpr, ...]


@dataclass(frozen=True, slots=True)
class LiveListType(TypeNode):
    of_type: TypeExpr


@dataclass(frozen=True, slots=True)
class LiveMapType(TypeNode):
    key_type: TypeExpr
    value_type: TypeExpr


@dataclass(frozen=True, slots=True)
class ObjectLiteralType(TypeNode):
    """An inline object type: `{ x: number, y?: number }`."""

    fields: tuple[FieldDef, ...]


@dataclass(frozen=True, slots=True)
class TypeRef(TypeNode):
    """A reference to a defined type: `Todo`, or `LiveObject<Todo>` when `as_live_object`."""

    ref: TypeName
    as_live_object: bool = False


TypeExpr = (
    StringType
    | NumberType
    | BooleanType
    | NullType
    | LiteralType
    | ArrayType
    | UnionType
    | LiveListType
    | LiveMapType
    | ObjectLiteralType
    | TypeRef
)

ScalarType = StringType | NumberType | BooleanType | NullType


@dataclass(frozen=True, slots=True)
class FieldDef(Node):
    name: Identifier
    optional: bool
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class ObjectTypeDefinition(Node):
    """`type Name { fields }`: the only kind of definition the language has."""

    name: TypeName
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True, slots=True)
class Document(Node):
    definitions: tuple[ObjectTypeDefinition, ...]
