"""Syntax errors worded and positioned like the official parser's.

The official parser (peggy) reports `Expected A, B, or C but "x" found` at the
furthest character where some part of its grammar failed, listing what every
rule tried there expected. The LALR parser stops at a different place for a
few texts (an unclosed string, `1e3`), so on failure the text is replayed
through peg_errors.py, a mirror of the official grammar, which gives both.
"""

from __future__ import annotations

from .errors import SchemaError
from .newlines import NESTING_MESSAGE
from .peg_errors import NestedTooDeeply, peg_failure

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


def describe_expected(descriptions: set[str]) -> str:
    """peggy's `describeExpected`: sorted, deduplicated, joined with commas and "or"."""
    ordered = sorted(descriptions)
    if not ordered:
        return "nothing"
    if len(ordered) == 1:
        return ordered[0]
    if len(ordered) == 2:
        return f"{ordered[0]} or {ordered[1]}"
    return ", ".join(ordered[:-1]) + ", or " + ordered[-1]


def _position(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def locate_syntax_error(text: str, *, legacy_builtins: bool = False) -> SchemaError:
    """The official diagnostic for `text`, which the LALR parser rejected."""
    try:
        failure = peg_failure(text, legacy_builtins=legacy_builtins)
    except NestedTooDeeply as exc:
        return SchemaError(NESTING_MESSAGE, *_position(text, exc.pos), stage="syntax")
    if failure is None:  # pragma: no cover - both grammars accept the same texts
        return SchemaError("Unexpected input", 1, 1, stage="syntax")
    pos = failure.pos
    found = "end of input"
    if pos < len(text):
        # peggy reads UTF-16 code units: past U+FFFF it finds a lone high surrogate.
        code = ord(text[pos])
        char = chr(0xD800 + ((code - 0x10000) >> 10)) if code > 0xFFFF else text[pos]
        found = f'"{literal_escape(char)}"'

    return SchemaError(
        f"Expected {describe_expected(failure.expected)} but {found} found",
        *_position(text, pos),
        stage="syntax",
    )
