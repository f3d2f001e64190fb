"""Printing an AST back as schema text.

`format_schema` gives the canonical multi-line text of a document;
`prettify` gives the one-line summary of a type used in diagnostics, where
literals appear as JSON (`"x"`, `42`) as in the official checker.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .ast import (
    ArrayType,
    BooleanType,
    Document,
    FieldDef,
    LiteralType,
    LiteralValue,
    LiveListType,
    LiveMapType,
    NullType,
    NumberType,
    ObjectLiteralType,
    ObjectTypeDefinition,
    StringType,
    TypeExpr,
    TypeRef,
    UnionType,
)
from .js_format import json_literal

LiteralPrinter = Callable[[LiteralValue], str]

_SCALAR_NAMES: dict[type, str] = {
    StringType: "string",
    NumberType: "number",
    BooleanType: "boolean",
    NullType: "null",
}

# What a string literal cannot hold raw: its quote, the escape character, a
# newline, and "{" (reserved by the grammar). The others are escaped for clarity.
_STRING_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "{": "\\{",
}


def schema_literal(value: LiteralValue) -> str:
    """A literal as schema source text, such that parsing it gives `value` back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(_STRING_ESCAPES.get(ch, ch) for ch in value) + '"'
    if isinstance(value, int):
        return str(value)
    # The grammar has no exponent notation: write floats in plain positional form,
    # keeping a "." so the value reads back as a float.
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def render_type(node: TypeExpr, literal: LiteralPrinter = schema_literal) -> str:
    """One-line text of a type expression."""
    if isinstance(node, TypeRef):
        return f"LiveObject<{node.ref.name}>" if node.as_live_object else node.ref.name
    if isinstance(node, LiteralType):
        return literal(node.value)
    if isinstance(node, ArrayType):
        inner = render_type(node.of_type, literal)
        return f"({inner})[]" if isinstance(node.of_type, UnionType) else f"{inner}[]"
    if isinstance(node, UnionType):
        return " | ".join(
            f"({render_type(m, literal)})" if isinstance(m, UnionType) else render_type(m, literal)
            for m in node.members
        )
    if isinstance(node, LiveListType):
        return f"LiveList<{render_type(node.of_type, literal)}>"
    if isinstance(node, LiveMapType):
        key = render_type(node.key_type, literal)
        return f"LiveMap<{key}, {render_type(node.value_type, literal)}>"
    if isinstance(node, ObjectLiteralType):
        if not node.fields:
            return "{}"
        return "{ " + ", ".join(render_field(f, literal) for f in node.fields) + " }"
    return _SCALAR_NAMES[type(node)]


def render_field(field: FieldDef, literal: LiteralPrinter = schema_literal) -> str:
    mark = "?" if field.optional else ""
    return f"{field.name.name}{mark}: {render_type(field.type, literal)}"


def prettify(node: TypeExpr) -> str:
    """A type as the official checker shows it in messages."""
    return render_type(node, json_literal)


def format_definition(definition: ObjectTypeDefinition) -> str:
    if not definition.fields:
        return f"type {definition.name.name} {{}}"
    lines = [f"type {definition.name.name} {{"]
    lines.extend(f"  {render_field(f)}" for f in definition.fields)
    lines.append("}")
    return "\n".join(lines)


def format_schema(document: Document) -> str:
    """Canonical schema text: one field per line, a blank line between definitions."""
    return "\n\n".join(format_definition(d) for d in document.definitions) + "\n"
