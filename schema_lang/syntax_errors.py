"""Turning a Lark parse failure into a peggy-style diagnostic.

The official parser (peggy) reports `Expected A, B, or C but "x" found` at the
first character it could not match. LALR's own error state can be past a few
default reductions, which shrinks or blurs the expected set, so on failure we
replay the token stream through Lark's interactive parser and ask, just
before the offending token, which terminals would have been accepted.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .errors import SchemaError

_NAME_KEYWORDS = frozenset(
    {"TYPE", "STRING_KW", "NUMBER_KW", "BOOLEAN_KW", "NULL_KW", "TRUE", "FALSE"}
)
_LIVE_KEYWORDS = frozenset({"LIVELIST", "LIVEMAP", "LIVEOBJECT"})

# Groups of terminals that read better as one word. Checked in this order;
# a group is used only when every one of its terminals is acceptable.
_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "<type>",
        frozenset(
            {"LPAR", "LBRACE", "STRLIT", "INT", "NUMLIT", "IDENT"} | _NAME_KEYWORDS | _LIVE_KEYWORDS
        ),
    ),
    ("type name", frozenset({"IDENT", "DIGITWORD", "INT"} | _NAME_KEYWORDS)),
    ("<identifier>", frozenset({"IDENT"}) | _NAME_KEYWORDS | _LIVE_KEYWORDS),
)

_DESCRIPTIONS = {
    "IDENT": "<identifier>",
    "DIGITWORD": "type name",
    "INT": "number literal",
    "NUMLIT": "number literal",
    "STRLIT": "string literal",
    "NL": "newline",
    "$END": "end of input",
    "TYPE": '"type"',
    "STRING_KW": '"string"',
    "NUMBER_KW": '"number"',
    "BOOLEAN_KW": '"boolean"',
    "NULL_KW": '"null"',
    "TRUE": '"true"',
    "FALSE": '"false"',
    "LIVELIST": '"LiveList"',
    "LIVEMAP": '"LiveMap"',
    "LIVEOBJECT": '"LiveObject"',
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LPAR": '"("',
    "RPAR": '")"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "LT": '"<"',
    "GT": '">"',
    "COLON": '":"',
    "QMARK": '"?"',
    "COMMA": '","',
    "SEMI": '";"',
    "PIPE": '"|"',
    "EQ": '"="',
}


_PEGGY_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(ch: str) -> str:
    escaped = _PEGGY_ESCAPES.get(ch)
    if escaped is not None:
        return escaped
    code = ord(ch)
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        return f"\\x{code:02X}"
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate could not be encoded in a message
        return f"\\u{code:04X}"
    return ch


def literal_escape(text: str) -> str:
    """peggy's `literalEscape`: how a found character is shown between quotes."""
    return "".join(_escape_char(ch) for ch in text)


def describe_expected(terminals: set[str]) -> str:
    """`"}" or <identifier>`, `",", ";", or "}"`: peggy's sorted, deduplicated list."""
    remaining = set(terminals)
    descriptions: set[str] = set()
    for label, group in _GROUPS:
        if group <= remaining:
            descriptions.add(label)
            remaining -= group
    descriptions.update(_DESCRIPTIONS.get(t, t) for t in remaining)
    ordered = sorted(descriptions)
    if not ordered:
        return "nothing"
    if len(ordered) == 1:
        return ordered[0]
    if len(ordered) == 2:
        return f"{ordered[0]} or {ordered[1]}"
    return ", ".join(ordered[:-1]) + ", or " + ordered[-1]


def _end_position(text: str) -> tuple[int, int]:
    line = text.count("\n") + 1
    return line, len(text) - (text.rfind("\n") + 1) + 1


def _make_error(expected: set[str], found: str | None, line: int, column: int) -> SchemaError:
    found_text = "end of input" if not found else f'"{literal_escape(found)}"'
    return SchemaError(
        f"Expected {describe_expected(expected)} but {found_text} found",
        line,
        column,
        stage="syntax",
    )


def locate_syntax_error(parser: Lark, text: str, failure: UnexpectedInput) -> SchemaError:
    """Describe the first syntax error of `text`, where the first parse raised `failure`.

    The tokens before the failure are fed again (they parsed once, so they parse
    again), then the parser is asked what it would accept instead of the
    offending token: one linear replay, no copies of the parser per token.
    """
    if isinstance(failure, UnexpectedToken) and failure.token.type != "$END":
        stop = failure.token.start_pos or 0
    elif isinstance(failure, UnexpectedCharacters):
        stop = failure.pos_in_stream or 0
    else:
        stop = len(text) + 1  # end of input
    # Lark's interactive parser is untyped.
    session: Any = parser.parse_interactive(text)
    # The replay only needs parser states: skip building the AST again.
    session.parser_state.parse_conf = copy(session.parser_state.parse_conf)
    session.parser_state.parse_conf.callbacks = {}
    try:
        for token in session.lexer_thread.lex(session.parser_state):
            if token.start_pos >= stop:
                return _make_error(
                    session.accepts(), _first_char(token), token.line or 1, token.column or 1
                )
            session.feed_token(token)
    except UnexpectedCharacters as exc:
        pos: int = exc.pos_in_stream or 0
        if text[pos] in "\"'":
            return _string_literal_error(text, pos)
        return _make_error(session.accepts(), text[pos], exc.line, exc.column)
    except UnexpectedToken as exc:  # pragma: no cover - the replay fails where the parse did
        return _make_error(set(exc.expected), _first_char(exc.token), exc.line, exc.column)
    return _make_error(session.accepts(), None, *_end_position(text))


def _string_literal_error(text: str, start: int) -> SchemaError:
    """A quote the lexer could not close: point at what stopped the literal."""
    quote_char = text[start]
    pos = start + 1
    while pos < len(text) and text[pos] not in ("\n", "{", quote_char):
        pos += 2 if text[pos] == "\\" else 1
    pos = min(pos, len(text))
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    message = f'Expected "{literal_escape(quote_char)}" but '
    if pos < len(text):
        message += f'"{literal_escape(text[pos])}" found;'
        message += ' a string literal cannot contain "{" or a line break'
    else:
        message += "end of input found"
    return SchemaError(message, line, column, stage="syntax")


def _first_char(token: Token) -> str | None:
    value = str(token)
    return value[0] if value else None
