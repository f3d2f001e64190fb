"""`Schema`: a parsed and checked schema, ready to validate documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from .ast import Document, ObjectTypeDefinition
from .checker import ROOT_TYPE, check_document
from .expectations import Expect, compile_root
from .gc_pause import gc_paused
from .parser import parse
from .validator import MISSING, Missing, Violation, check_at, check_value

__all__ = ["MISSING", "Schema", "Violation", "check", "load", "validate", "validate_at"]


class Schema:
    """A checked schema. Build one with `load(text)` or `check(document)`."""

    __slots__ = ("_root_expect", "ast", "live_types", "root", "types")

    ast: Document
    types: Mapping[str, ObjectTypeDefinition]
    root: ObjectTypeDefinition
    live_types: frozenset[str]

    def __init__(self, document: Document) -> None:
        with gc_paused():
            checked = check_document(document)
            self._root_expect: Expect = compile_root(checked.types)
        self.ast = document
        self.types = MappingProxyType(checked.types)
        self.root = checked.types[ROOT_TYPE]
        self.live_types = checked.live

    def is_live(self, name: str) -> bool:
        """Whether values of type `name` are LiveObjects (else plain JSON objects)."""
        return name in self.live_types

    def __repr__(self) -> str:
        return f"<Schema with {len(self.types)} types>"


def check(document: Document) -> Schema:
    """Run the semantic checks on a parsed document; raises `SchemaError`."""
    return Schema(document)


def load(text: str, *, allow_legacy_builtins: bool = False) -> Schema:
    """Parse and check schema text; raises `SchemaError`."""
    with gc_paused():
        return Schema(parse(text, allow_legacy_builtins=allow_legacy_builtins))


def validate(schema: Schema, root: object) -> list[Violation]:
    """Every violation of `schema` in a storage document (Plain LSON); [] when valid."""
    return check_value(schema._root_expect, root, None)


def validate_at(
    schema: Schema, path: Sequence[tuple[str, str | int]], value: object | Missing
) -> list[Violation]:
    """Would `value` be valid placed at `path`? See the package docstring for the path form."""
    return check_at(schema._root_expect, path, value)
