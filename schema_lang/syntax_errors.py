"""Turning a Lark parse failure into a peggy-style diagnostic.

The official parser (peggy) reports `Expected A, B, or C but "x" found` at the
first character it could not match. LALR's own error state can be past a few
default reductions, which shrinks or blurs the expected set, so on failure we
replay the token stream through Lark's interactive parser and ask, just
before the offending token, which terminals would have been accepted.
"""

from __future__ import annotations

from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedToken

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


def locate_syntax_error(parser: Lark, text: str) -> SchemaError | None:
    """Replay `text` to find its first syntax error; None if it parses after all."""
    # Lark's interactive parser is untyped.
    session: Any = parser.parse_interactive(text)
    try:
        for token in session.lexer_thread.lex(session.parser_state):
            before = session.copy()
            try:
                session.feed_token(token)
            except UnexpectedToken:
                return _make_error(
                    before.accepts(), _first_char(token), token.line or 1, token.column or 1
                )
    except UnexpectedCharacters as exc:
        pos: int = exc.pos_in_stream or 0
        if text[pos] in "\"'":
            return _string_literal_error(text, pos)
        return _make_error(session.accepts(), text[pos], exc.line, exc.column)
    before = session.copy()
    try:
        session.feed_eof()
    except UnexpectedToken:
        return _make_error(before.accepts(), None, *_end_position(text))
    return None


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
