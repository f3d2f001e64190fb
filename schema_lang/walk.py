"""Generic traversals of the AST, shared by the checker, the parser and the validator."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import ast


def type_children(node: ast.TypeExpr) -> tuple[ast.TypeExpr, ...]:
    """The type expressions directly inside `node`, in source order."""
    if isinstance(node, ast.ArrayType | ast.LiveListType):
        return (node.of_type,)
    if isinstance(node, ast.UnionType):
        return node.members
    if isinstance(node, ast.LiveMapType):
        return (node.key_type, node.value_type)
    if isinstance(node, ast.ObjectLiteralType):
        return tuple(f.type for f in node.fields)
    return ()


def iter_types(roots: tuple[ast.TypeExpr, ...]) -> Iterator[ast.TypeExpr]:
    """Every type node under `roots`, pre-order and in source order (no recursion)."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(type_children(node)))


def iter_definition_types(definition: ast.ObjectTypeDefinition) -> Iterator[ast.TypeExpr]:
    return iter_types(tuple(f.type for f in definition.fields))


def iter_type_refs(definition: ast.ObjectTypeDefinition) -> Iterator[ast.TypeRef]:
    for node in iter_definition_types(definition):
        if isinstance(node, ast.TypeRef):
            yield node


def map_types(
    document: ast.Document, replace: Callable[[ast.TypeExpr], ast.TypeExpr]
) -> ast.Document:
    """A copy of `document` where every type node went through `replace`, bottom-up."""

    def rebuild_field(field: ast.FieldDef) -> ast.FieldDef:
        return ast.FieldDef(
            field.name,
            field.optional,
            rebuild(field.type),
            line=field.line,
            column=field.column,
            end_line=field.end_line,
            end_column=field.end_column,
        )

    def rebuild(node: ast.TypeExpr) -> ast.TypeExpr:
        pos = {
            "line": node.line,
            "column": node.column,
            "end_line": node.end_line,
            "end_column": node.end_column,
            "nesting": node.nesting,
        }
        new: ast.TypeExpr = node
        if isinstance(node, ast.ArrayType):
            new = ast.ArrayType(rebuild(node.of_type), **pos)
        elif isinstance(node, ast.LiveListType):
            new = ast.LiveListType(rebuild(node.of_type), **pos)
        elif isinstance(node, ast.UnionType):
            new = ast.UnionType(tuple(rebuild(m) for m in node.members), **pos)
        elif isinstance(node, ast.LiveMapType):
            new = ast.LiveMapType(rebuild(node.key_type), rebuild(node.value_type), **pos)
        elif isinstance(node, ast.ObjectLiteralType):
            new = ast.ObjectLiteralType(tuple(rebuild_field(f) for f in node.fields), **pos)
        return replace(new)

    definitions = tuple(
        ast.ObjectTypeDefinition(
            d.name,
            tuple(rebuild_field(f) for f in d.fields),
            line=d.line,
            column=d.column,
            end_line=d.end_line,
            end_column=d.end_column,
        )
        for d in document.definitions
    )
    return ast.Document(
        definitions,
        line=document.line,
        column=document.column,
        end_line=document.end_line,
        end_column=document.end_column,
    )
