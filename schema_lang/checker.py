"""Semantic checks of SCHEMA_LANGUAGE.md §2, in the official order and wording.

Like the official checker, it stops at the first error: each check raises a
`SchemaError` (stage "semantic") positioned at the start of the offending node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import ast
from .errors import SchemaError
from .formatter import prettify
from .js_format import json_literal, quote
from .suggestions import did_you_mean
from .walk import iter_definition_types, iter_type_refs

ROOT_TYPE = "Storage"
BUILT_IN_SCALARS = ("string", "number", "boolean", "null")

_TYPE_NAME_START = re.compile(r"[A-Z_]")
_RESERVED_TYPE_NAME = re.compile(
    r"live|(?:presence|array|string|int|float|number|boolean|null)\Z", re.IGNORECASE
)
_RESERVED_IDENTIFIER = "liveblocksType"


@dataclass(frozen=True)
class CheckedTypes:
    """What the checker learned: the definitions by name, and which are LiveObjects."""

    types: dict[str, ast.ObjectTypeDefinition]
    live: frozenset[str]


def _fail(message: str, node: ast.Node) -> SchemaError:
    return SchemaError(
        message,
        node.line,
        node.column,
        stage="semantic",
        end_line=node.end_line,
        end_column=node.end_column,
    )


def _lines(node: ast.Node) -> str:
    """The official `lineno()`: "3", or "3–5" for a node spanning lines."""
    if node.end_line > node.line:
        return f"{node.line}–{node.end_line}"
    return str(node.line)


def _is_live_construct(node: ast.TypeExpr) -> bool:
    return isinstance(node, ast.LiveListType | ast.LiveMapType) or (
        isinstance(node, ast.TypeRef) and node.as_live_object
    )


def _union_tag(node: ast.TypeExpr) -> str:
    """Union members must differ by tag, so a value's kind picks its member."""
    if isinstance(node, ast.LiteralType):
        return "lit:" + json_literal(node.value)
    if isinstance(node, ast.TypeRef):
        return "liveobj" if node.as_live_object else "obj"
    return _TAGS[type(node)]


_TAGS: dict[type, str] = {
    ast.StringType: "str",
    ast.NumberType: "num",
    ast.BooleanType: "bool",
    ast.NullType: "null",
    ast.ArrayType: "arr",
    ast.ObjectLiteralType: "obj",
    ast.LiveListType: "livelist",
    ast.LiveMapType: "livemap",
}

_SCALAR_BASE: dict[type, str] = {
    ast.StringType: "str",
    ast.NumberType: "num",
    ast.BooleanType: "bool",
}


def _literal_base(value: ast.LiteralValue) -> str:
    if isinstance(value, bool):
        return "bool"
    return "str" if isinstance(value, str) else "num"


def _cannot_mix(later: ast.TypeExpr, earlier: ast.TypeExpr) -> str:
    return f"Type {quote(prettify(later))} cannot appear in a union with {quote(prettify(earlier))}"


class _Checker:
    def __init__(self, document: ast.Document) -> None:
        self.document = document
        self.types: dict[str, ast.ObjectTypeDefinition] = {}
        # Insertion-ordered, so "never used" reports the first unused definition.
        self.unreferenced: dict[str, ast.ObjectTypeDefinition] = {}
        # Type name -> a LiveObject<> reference to it, or None when its own body
        # uses Live constructs.
        self.live_refs: dict[str, ast.TypeRef | None] = {}
        self.static_refs: dict[str, ast.TypeRef] = {}
        # Definitions whose reachable references were fully explored without a cycle.
        self.acyclic: set[str] = set()
        self.refs_cache: dict[str, tuple[ast.TypeRef, ...]] = {}

    def run(self) -> CheckedTypes:
        self.register_definitions()
        self.decide_static_or_live()
        for definition in self.document.definitions:
            self.visit_definition(definition)
        if ROOT_TYPE not in self.types:
            raise _fail(
                f"Missing root object type definition named {quote(ROOT_TYPE)}", self.document
            )
        for name, definition in self.unreferenced.items():
            if name != ROOT_TYPE:
                raise _fail(f"Type {quote(name)} is defined but never used", definition.name)
        return CheckedTypes(self.types, frozenset(self.live_refs) | {ROOT_TYPE})

    # 1. Registration

    def register_definitions(self) -> None:
        for definition in self.document.definitions:
            name = definition.name.name
            existing = self.types.get(name)
            if existing is not None:
                raise _fail(
                    f"A type named {quote(name)} is defined multiple times "
                    f"(on line {_lines(existing.name)} and {_lines(definition.name)})",
                    definition.name,
                )
            self.types[name] = definition
            self.unreferenced[name] = definition

    # 2. Static vs live

    def decide_static_or_live(self) -> None:
        for name, definition in self.types.items():
            if any(_is_live_construct(node) for node in iter_definition_types(definition)):
                self.live_refs[name] = None
        for definition in self.document.definitions:
            for ref in iter_type_refs(definition):
                self.note_reference(ref)

    def note_reference(self, ref: ast.TypeRef) -> None:
        name = ref.ref.name
        if name not in self.types:
            return
        self.unreferenced.pop(name, None)
        as_live = quote(f"LiveObject<{name}>")
        if ref.as_live_object:
            plain = self.static_refs.get(name)
            if plain is not None:
                # Like the official checker: the line is this LiveObject<> one's,
                # the position the plain reference's.
                raise _fail(
                    f"Type {quote(name)} already referenced as {as_live} on line "
                    f"{_lines(ref)}. You cannot mix these references.",
                    plain,
                )
            self.live_refs[name] = ref
            return
        if name not in self.live_refs:
            self.static_refs[name] = ref
            return
        live = self.live_refs[name]
        if live is None:
            raise _fail(
                f"Type {quote(name)} uses Live constructs, so it must be referenced as {as_live}",
                ref,
            )
        raise _fail(
            f"Type {quote(name)} already referenced as {as_live} on line {_lines(live)}. "
            "You cannot mix these references.",
            ref,
        )

    # 3. The pre-order visit

    def visit_definition(self, definition: ast.ObjectTypeDefinition) -> None:
        self.check_duplicate_fields(definition.fields)
        self.check_cycles(definition)
        self.check_type_name(definition.name)
        for field in definition.fields:
            self.visit_field(field)

    def visit_field(self, field: ast.FieldDef) -> None:
        if field.name.name == _RESERVED_IDENTIFIER:
            raise _fail(f"Identifier {quote(field.name.name)} is reserved", field.name)
        self.visit_type(field.type)

    def visit_type(self, node: ast.TypeExpr) -> None:
        if isinstance(node, ast.TypeRef):
            self.check_type_ref(node)
            self.check_type_name(node.ref)
        elif isinstance(node, ast.ObjectLiteralType):
            self.check_duplicate_fields(node.fields)
            for field in node.fields:
                if _is_live_construct(field.type):
                    raise _fail("Cannot use Live construct inside an object literal", field.type)
            for field in node.fields:
                self.visit_field(field)
        elif isinstance(node, ast.ArrayType):
            if _is_live_construct(node.of_type):
                raise _fail("Cannot use Live construct inside an array", node.of_type)
            self.visit_type(node.of_type)
        elif isinstance(node, ast.UnionType):
            self.check_union(node)
            for member in node.members:
                self.visit_type(member)
        elif isinstance(node, ast.LiveListType):
            self.visit_type(node.of_type)
        elif isinstance(node, ast.LiveMapType):
            if not isinstance(node.key_type, ast.StringType):
                raise _fail(
                    "Only 'string' keys are currently supported in LiveMaps", node.key_type
                )
            self.visit_type(node.key_type)
            self.visit_type(node.value_type)
        elif isinstance(node, ast.LiteralType):
            value = node.value
            if not isinstance(value, bool | str) and not float(value).is_integer():
                raise _fail("Number literals can only be whole integers", node)

    def check_duplicate_fields(self, fields: Iterable[ast.FieldDef]) -> None:
        seen: dict[str, ast.FieldDef] = {}
        for field in fields:
            first = seen.setdefault(field.name.name, field)
            if first is not field:
                raise _fail(
                    f"A field named {quote(field.name.name)} is defined multiple times "
                    f"(on line {_lines(first.name)} and {_lines(field.name)})",
                    field.name,
                )

    def refs_of(self, name: str) -> tuple[ast.TypeRef, ...]:
        refs = self.refs_cache.get(name)
        if refs is None:
            refs = self.refs_cache[name] = tuple(iter_type_refs(self.types[name]))
        return refs

    def check_cycles(self, definition: ast.ObjectTypeDefinition) -> None:
        """Depth-first search from `definition` through every reference.

        Finds the same first cycle as the official recursive search, but
        iteratively (chains of thousands of types are fine) and without
        re-exploring a type already known to reach no cycle, so it is linear.
        """
        root = definition.name.name
        if root in self.acyclic:
            return
        on_path = {root}
        stack = [(root, iter(self.refs_of(root)))]
        while stack:
            name, refs = stack[-1]
            ref = next(refs, None)
            if ref is None:
                stack.pop()
                on_path.discard(name)
                self.acyclic.add(name)
                continue
            target = ref.ref.name
            if target in on_path:
                raise _fail(f"Circular reference {quote(target)} not yet supported", ref)
            if target in self.acyclic or target not in self.types:
                continue
            on_path.add(target)
            stack.append((target, iter(self.refs_of(target))))

    def check_type_name(self, node: ast.TypeName) -> None:
        name = node.name
        if name in BUILT_IN_SCALARS:
            raise _fail(f"Name {quote(name)} is a built-in and cannot be redefined", node)
        if not _TYPE_NAME_START.match(name):
            raise _fail("Type names should start with an uppercase character", node)
        if _RESERVED_TYPE_NAME.match(name):
            raise _fail(f"Name {quote(name)} is reserved for future use", node)

    def check_type_ref(self, ref: ast.TypeRef) -> None:
        name = ref.ref.name
        if name in self.types:
            return
        object_types = [n for n in self.types if n != ROOT_TYPE]
        if ref.as_live_object:
            message = f"Unknown object type {quote(name)}"
            suggestion = did_you_mean(name, object_types)
        else:
            message = f"Unknown type {quote(name)}"
            suggestion = did_you_mean(name, [*object_types, *BUILT_IN_SCALARS])
        if suggestion is not None:
            message += f". Did you mean {quote(suggestion)}?"
        raise _fail(message, ref.ref)

    def check_union(self, union: ast.UnionType) -> None:
        by_tag: dict[str, ast.TypeExpr] = {}
        for member in union.members:
            tag = _union_tag(member)
            first = by_tag.setdefault(tag, member)
            if first is member:
                continue
            later, earlier = quote(prettify(member)), quote(prettify(first))
            if tag == "obj":
                message = (
                    "Unions with more than one object type are not yet supported: "
                    f"type {later} cannot appear in a union with {earlier}"
                )
            elif tag == "liveobj":
                message = (
                    "Unions with more than one LiveObject are not yet supported: "
                    f"type {later} cannot appear in a union with {earlier}"
                )
            else:
                message = _cannot_mix(member, first)
            raise _fail(message, member)

        # A literal next to its own base scalar ("x" | string) would be ambiguous too.
        scalars: dict[str, ast.TypeExpr] = {}
        literals: dict[str, ast.TypeExpr] = {}
        for member in union.members:
            if isinstance(member, ast.LiteralType):
                base = _literal_base(member.value)
                other = scalars.get(base)
                literals.setdefault(base, member)
            else:
                scalar_base = _SCALAR_BASE.get(type(member))
                if scalar_base is None:
                    continue
                other = literals.get(scalar_base)
                scalars.setdefault(scalar_base, member)
            if other is not None:
                raise _fail(_cannot_mix(member, other), member)


def check_document(document: ast.Document) -> CheckedTypes:
    """Run every semantic check; raises `SchemaError` (stage "semantic") on the first error."""
    return _Checker(document).run()
