"""The Liveblocks storage schema language: parse, check, format, and validate storage.

    from schema_lang import load, validate, validate_at, SchemaError, MISSING

    schema = load(text)                # parse + check; raises SchemaError
    validate(schema, plain_lson_root)  # -> list[Violation], [] when valid
    validate_at(schema, [("LiveObject", "todos"), ("LiveList", 2)], value)

`validate_at` answers "would `value` be valid at this path?". Each step is
`(container_kind, key)`: the kind ("LiveObject", "LiveList" or "LiveMap") of
the Live container holding the next key, and the key (a field name or map key,
or a list index). `value` may be `MISSING` to ask whether removing the key is
allowed. `validate_at(schema, [], root)` is `validate(schema, root)`.

This package never imports the emulator: it can be used on its own, e.g.
`python -m schema_lang check FILE...` lints schema files.
"""

from __future__ import annotations

from . import ast
from .ast import Document
from .errors import SchemaError
from .formatter import format_definition, format_schema, render_type
from .parser import parse
from .schema import Schema, check, load, validate, validate_at
from .validator import MISSING, Violation

__all__ = [
    "MISSING",
    "Document",
    "Schema",
    "SchemaError",
    "Violation",
    "ast",
    "check",
    "format",
    "load",
    "parse",
    "validate",
    "validate_at",
]


def format(node: Schema | ast.Document | ast.ObjectTypeDefinition | ast.TypeExpr) -> str:
    """Canonical schema text of a schema, a document, a definition or a type."""
    if isinstance(node, Schema):
        return format_schema(node.ast)
    if isinstance(node, ast.Document):
        return format_schema(node)
    if isinstance(node, ast.ObjectTypeDefinition):
        return format_definition(node) + "\n"
    return render_type(node)
