"""Schema text → typed AST (`Document`), with Lark's LALR parser."""

from __future__ import annotations

import math
import re
from functools import cache
from importlib.resources import files
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from . import ast
from .errors import SchemaError
from .gc_pause import gc_paused
from .lexer import SchemaLexer
from .newlines import MAX_NESTING, NESTING_MESSAGE, SeparatorPostLexer
from .syntax_errors import locate_syntax_error

Located = Token | ast.Node

# JavaScript's `.` (used by the official unescape) does not match line
# terminators, so a backslash before one of them stays as written.
_ESCAPE = re.compile(r"\\([^\n\r\u2028\u2029])")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r"}

_FIRST_NON_SPACE = re.compile(r"[^ \t\r\n]")
_BLANKS = re.compile(r"\s+")

# `String`, `Int`, `Float` and `Boolean` as scalars: the official parser's
# `allowLegacyBuiltins` option.
_LEGACY_BUILTINS: dict[str, type[ast.ScalarType]] = {
    "String": ast.StringType,
    "Int": ast.NumberType,
    "Float": ast.NumberType,
    "Boolean": ast.BooleanType,
}


def _span(first: Located, last: Located) -> dict[str, int]:
    return {
        "line": first.line or 1,
        "column": first.column or 1,
        "end_line": last.end_line or 1,
        "end_column": last.end_column or 1,
    }


def _nested(*children: ast.TypeNode) -> int:
    nesting = 1 + max((c.nesting for c in children), default=0)
    if nesting > MAX_NESTING:
        first = children[0]
        raise SchemaError(NESTING_MESSAGE, first.line, first.column, stage="syntax")
    return nesting


def _unescape(body: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), body)


def _number(text: str) -> int | float:
    # The official parser drops blanks and calls parseFloat; a comment after the
    # "-" makes that NaN, which the checker then rejects as not whole.
    digits = _BLANKS.sub("", text)
    if "/" in digits or "#" in digits:
        return math.nan
    return float(digits) if "." in digits else int(digits)


class _ToAst(Transformer[Token, Any]):
    """Callbacks run by the LALR parser at each reduction: no parse tree is built."""

    def start(self, children: list[ast.ObjectTypeDefinition]) -> ast.Document:
        return ast.Document(tuple(children), **_span(children[0], children[-1]))

    def definition(self, c: list[Any]) -> ast.ObjectTypeDefinition:
        name: Token = c[1]
        fields = c[-2] if isinstance(c[-2], tuple) else ()
        return ast.ObjectTypeDefinition(
            ast.TypeName(str(name), **_span(name, name)), fields, **_span(c[0], c[-1])
        )

    def fields(self, c: list[Any]) -> tuple[ast.FieldDef, ...]:
        return tuple(x for x in c if isinstance(x, ast.FieldDef))

    def field(self, c: list[Any]) -> ast.FieldDef:
        name: Token = c[0]
        type_: ast.TypeExpr = c[-1]
        return ast.FieldDef(
            ast.Identifier(str(name), **_span(name, name)),
            len(c) == 4,
            type_,
            **_span(name, type_),
        )

    def type(self, c: list[Any]) -> ast.TypeExpr:
        if len(c) == 1:
            node: ast.TypeExpr = c[0]
            return node
        members: list[ast.TypeExpr] = []
        for x in c:
            if isinstance(x, ast.UnionType):
                members.extend(x.members)  # "(a | b) | c" is "a | b | c"
            elif not isinstance(x, Token):
                members.append(x)
        return ast.UnionType(
            tuple(members), nesting=_nested(*members), **_span(members[0], members[-1])
        )

    def nonunion(self, c: list[Any]) -> ast.TypeExpr:
        node: ast.TypeExpr = c[0]
        for closing in c[2::2]:
            # Like the official parser: an array starts where its element starts.
            node = ast.ArrayType(node, nesting=_nested(node), **_span(node, closing))
        return node

    def paren(self, c: list[Any]) -> ast.TypeExpr:
        inner: ast.TypeExpr = c[1]
        return inner

    def object_literal(self, c: list[Any]) -> ast.ObjectLiteralType:
        fields: tuple[ast.FieldDef, ...] = c[1] if len(c) == 3 else ()
        return ast.ObjectLiteralType(
            fields, nesting=_nested(*(f.type for f in fields)), **_span(c[0], c[-1])
        )

    def string_type(self, c: list[Token]) -> ast.StringType:
        return ast.StringType(**_span(c[0], c[0]))

    def number_type(self, c: list[Token]) -> ast.NumberType:
        return ast.NumberType(**_span(c[0], c[0]))

    def boolean_type(self, c: list[Token]) -> ast.BooleanType:
        return ast.BooleanType(**_span(c[0], c[0]))

    def null_type(self, c: list[Token]) -> ast.NullType:
        return ast.NullType(**_span(c[0], c[0]))

    def string_literal(self, c: list[Token]) -> ast.LiteralType:
        return ast.LiteralType(_unescape(str(c[0])[1:-1]), **_span(c[0], c[0]))

    def number_literal(self, c: list[Token]) -> ast.LiteralType:
        return ast.LiteralType(_number(str(c[0])), **_span(c[0], c[0]))

    def boolean_literal(self, c: list[Token]) -> ast.LiteralType:
        return ast.LiteralType(c[0].type == "TRUE", **_span(c[0], c[0]))

    def live_list(self, c: list[Any]) -> ast.LiveListType:
        of_type: ast.TypeExpr = c[2]
        return ast.LiveListType(of_type, nesting=_nested(of_type), **_span(c[0], c[-1]))

    def live_map(self, c: list[Any]) -> ast.LiveMapType:
        key, value = c[2], c[4]
        return ast.LiveMapType(key, value, nesting=_nested(key, value), **_span(c[0], c[-1]))

    def live_object(self, c: list[Any]) -> ast.TypeRef:
        name: Token = c[2]
        return ast.TypeRef(ast.TypeName(str(name), **_span(name, name)), True, **_span(c[0], c[-1]))

    def type_ref(self, c: list[Token]) -> ast.TypeRef:
        name = c[0]
        return ast.TypeRef(ast.TypeName(str(name), **_span(name, name)), False, **_span(name, name))


@cache
def _lark() -> Lark:
    grammar = files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer=SchemaLexer,
        postlex=SeparatorPostLexer(),
        transformer=_ToAst(),
        maybe_placeholders=False,
    )


def parse(text: str, *, allow_legacy_builtins: bool = False) -> ast.Document:
    """Parse schema text into a `Document`; raises `SchemaError` (stage "syntax")."""
    if not isinstance(text, str):
        raise TypeError(f"schema text must be a str, not {type(text).__name__}")
    parser = _lark()
    try:
        with gc_paused():
            document = cast(ast.Document, parser.parse(text))
    except UnexpectedInput:
        raise locate_syntax_error(text, legacy_builtins=allow_legacy_builtins) from None
    # The official parser's document range starts at the first non-blank
    # character, which may be a comment before the first definition.
    first = _FIRST_NON_SPACE.search(text)
    if first is not None:
        start = first.start()
        document = ast.Document(
            document.definitions,
            line=text.count("\n", 0, start) + 1,
            column=start - (text.rfind("\n", 0, start) + 1) + 1,
            end_line=document.end_line,
            end_column=document.end_column,
        )
    if allow_legacy_builtins:
        document = _with_legacy_builtins(document)
    return document


def _with_legacy_builtins(document: ast.Document) -> ast.Document:
    from .walk import map_types

    def replace(node: ast.TypeExpr) -> ast.TypeExpr:
        if isinstance(node, ast.TypeRef) and not node.as_live_object:
            scalar = _LEGACY_BUILTINS.get(node.ref.name)
            if scalar is not None:
                return scalar(
                    line=node.line,
                    column=node.column,
                    end_line=node.end_line,
                    end_column=node.end_column,
                )
        return node

    return map_types(document, replace)
