"""Postlexer: decides which newlines separate fields, and bounds nesting.

SCHEMA_LANGUAGE.md §1.3: a newline separates two fields only right after a
field's type; elsewhere it is plain whitespace (`a:\\n string`,
`a: string\\n | number`, `LiveList<\\n string\\n >` all parse). The lexer emits
every newline as NL; this filter keeps one NL only where it is a separator,
so the LALR grammar stays free of optional-newline rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token

from .errors import SchemaError

# Deeper than any real schema, shallow enough that the recursive passes over
# the AST (checker, formatter) stay far from Python's recursion limit.
MAX_NESTING = 64

NESTING_MESSAGE = f"Schema is nested too deeply (more than {MAX_NESTING} levels)"

_OPENERS = frozenset({"LBRACE", "LPAR", "LT", "LSQB"})
_CLOSERS = frozenset({"RBRACE", "RPAR", "GT", "RSQB"})

# Tokens that can be the last token of a complete type.
_TYPE_END = frozenset(
    {
        "IDENT",
        "TYPE",
        "DIGITWORD",
        "INT",
        "NUMLIT",
        "STRLIT",
        "STRING_KW",
        "NUMBER_KW",
        "BOOLEAN_KW",
        "NULL_KW",
        "TRUE",
        "FALSE",
        "RSQB",
        "GT",
        "RPAR",
        "RBRACE",
    }
)

# After a type, a newline followed by one of these is whitespace: the type goes
# on (`[]`, `|`, `<`) or an explicit separator / closing bracket follows.
_CONTINUATION = frozenset({"PIPE", "LSQB", "LT", "COMMA", "SEMI", "RBRACE", "GT", "RPAR"})


def nesting_error(token: Token) -> SchemaError:
    return SchemaError(
        NESTING_MESSAGE, token.line or 1, token.column or 1, stage="syntax"
    )


class SeparatorPostLexer:
    """Lark postlexer (see `Lark(postlex=…)`); keeps no state between parses."""

    always_accept: tuple[str, ...] = ("NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        # Open brackets, innermost last; for each, whether we are inside a
        # field's type (after its ":"), which only matters for "{" frames.
        brackets: list[str] = []
        in_type: list[bool] = []
        prev_ends_type = False
        pending_newline: Token | None = None

        for token in stream:
            kind = token.type
            if kind == "NL":
                if pending_newline is None:
                    pending_newline = token
                continue
            if pending_newline is not None:
                if (
                    prev_ends_type
                    and brackets
                    and brackets[-1] == "LBRACE"
                    and in_type[-1]
                    and kind not in _CONTINUATION
                ):
                    in_type[-1] = False
                    yield pending_newline
                pending_newline = None

            if kind in _OPENERS:
                brackets.append(kind)
                in_type.append(False)
                if len(brackets) > MAX_NESTING:
                    raise nesting_error(token)
            elif kind in _CLOSERS:
                if brackets:
                    brackets.pop()
                    in_type.pop()
            elif brackets and brackets[-1] == "LBRACE":
                if kind == "COLON":
                    in_type[-1] = True
                elif kind in ("COMMA", "SEMI"):
                    in_type[-1] = False
            prev_ends_type = kind in _TYPE_END
            yield token

        # A newline at the very end (`{ a: string⏎` then EOF) is a separator too.
        if pending_newline is not None and prev_ends_type and brackets and in_type[-1]:
            yield pending_newline
