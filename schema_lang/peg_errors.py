"""Where the official PEG parser fails, and what it expected there.

The LALR parser (parser.py) decides whether a schema parses; when it does not,
this module replays the text through a recursive-descent mirror of the official
peggy grammar, rule for rule, to find peggy's diagnostic: the furthest position
at which a terminal failed and every expectation recorded there. Inside a named
rule (`<identifier>`, `type name`, `literal`, `end of keyword`, `keyword "type"`)
failures are silent and the rule reports its own name at its start, as in
peggy. Ordered choice matters: `a: 1e3` is the literal `1` followed by a bad
`e`, never a type name, and an unclosed string is no literal at all, so the
error is at its opening quote.

Only the failure path runs this code; it returns positions, never an AST.
"""

from __future__ import annotations

from .newlines import MAX_NESTING, NESTING_MESSAGE

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_IDENT_START = _WORD - frozenset("0123456789")
_DIGITS = frozenset("0123456789")
_LEGACY = {"string": ("String",), "number": ("Int", "Float"), "boolean": ("Boolean",)}

# peg$literalExpectation's description needs the escaping; every literal of the
# grammar is plain ASCII except the newline.
_DESCRIBED = {"\n": '"\\n"'}


class NestedTooDeeply(Exception):
    """The text nests types deeper than the parser allows."""

    def __init__(self, pos: int) -> None:
        super().__init__(NESTING_MESSAGE)
        self.pos = pos


class PegFailure:
    """Where the official parser stops: an offset and the descriptions expected there."""

    def __init__(self, pos: int, expected: set[str]) -> None:
        self.pos = pos
        self.expected = expected


class _Mirror:
    def __init__(self, text: str, legacy_builtins: bool) -> None:
        self.text = text
        self.size = len(text)
        self.legacy = legacy_builtins
        self.silent = 0
        self.max_pos = 0
        self.expected: set[str] = set()
        self.depth = 0
        # peggy caches every rule; here only NonUnionType needs it (a field's
        # type is tried again after a failed separator).
        self.nonunion_memo: dict[int, int | None] = {}

    # peg$fail

    def fail(self, pos: int, description: str) -> None:
        if self.silent or pos < self.max_pos:
            return
        if pos > self.max_pos:
            self.max_pos = pos
            self.expected = set()
        self.expected.add(description)

    def lit(self, pos: int, literal: str) -> int | None:
        if self.text.startswith(literal, pos):
            return pos + len(literal)
        self.fail(pos, _DESCRIBED.get(literal) or f'"{literal}"')
        return None

    # Whitespace: `_` (no newlines) and `__`; both never fail.

    def ws(self, pos: int, newlines: bool = False) -> int:
        text, size = self.text, self.size
        # Deliberate difference (SCHEMA_LANGUAGE.md): `\r` is a blank even where
        # newlines are not, so CRLF separates fields like LF.
        blanks = " \t\r\n" if newlines else " \t\r"
        while pos < size:
            ch = text[pos]
            if ch in blanks:
                pos += 1
            elif ch == "#" or text.startswith("//", pos):
                end = text.find("\n", pos)
                pos = size if end < 0 else end
            else:
                break
        return pos

    def token(self, pos: int, literal: str, after_newlines: bool = True) -> int | None:
        """`__ 'x' __` (or `__ 'x' _` for closers, `_ '\\n' __` for NEWLINE)."""
        end = self.lit(self.ws(pos, newlines=literal != "\n"), literal)
        return None if end is None else self.ws(end, newlines=after_newlines)

    def eok(self, pos: int) -> int | None:
        """EOK "end of keyword": `![a-zA-Z0-9_] _`."""
        if pos < self.size and self.text[pos] in _WORD:
            self.fail(pos, "end of keyword")
            return None
        return self.ws(pos)

    def keyword(self, pos: int, word: str) -> int | None:
        """`_ 'word' EOK`."""
        end = self.lit(self.ws(pos), word)
        return None if end is None else self.eok(end)

    def named(self, pos: int, description: str, end: int | None) -> int | None:
        if end is None:
            self.fail(pos, description)
        return end

    # Rules, in the grammar's order.

    def document(self) -> int | None:
        pos = self.definition(self.ws(0, newlines=True))
        if pos is None:
            return None
        pos = self.ws(pos, newlines=True)
        while (end := self.definition(pos)) is not None:
            pos = self.ws(end, newlines=True)
        return pos

    def definition(self, pos: int) -> int | None:
        self.silent += 1
        end = self.keyword(pos, "type")
        self.silent -= 1
        end = self.named(pos, 'keyword "type"', None if end is None else self.ws(end, True))
        if end is None or (end := self.type_name(end)) is None:
            return None
        end = self.token(end, "=") or end
        if (end := self.token(end, "{")) is None:
            return None
        end = self.field_list(end) or end
        return self.token(end, "}", after_newlines=False)

    def identifier(self, pos: int) -> int | None:
        if pos < self.size and self.text[pos] in _IDENT_START:
            end = pos + 1
            while end < self.size and self.text[end] in _WORD:
                end += 1
            return self.ws(end)
        return self.named(pos, "<identifier>", None)

    def type_name(self, pos: int) -> int | None:
        self.silent += 1
        live = any(self.keyword(pos, k) is not None for k in ("LiveObject", "LiveList", "LiveMap"))
        self.silent -= 1
        end = pos
        while not live and end < self.size and self.text[end] in _WORD:
            end += 1
        return self.named(pos, "type name", self.ws(end) if end > pos else None)

    def field_list(self, pos: int) -> int | None:
        end = self.field(pos)
        if end is None:
            return None
        while True:
            sep = self.separator(end)
            if sep is None or (after := self.field(sep)) is None:
                return sep or end
            end = after

    def separator(self, pos: int) -> int | None:
        for literal in (",", ";", "\n"):
            end = self.token(pos, literal)
            if end is not None:
                return end
        return None

    def field(self, pos: int) -> int | None:
        end = self.identifier(pos)
        if end is None:
            return None
        end = self.token(end, "?") or end
        end = self.token(end, ":")
        return None if end is None else self.type(end)

    def type(self, pos: int) -> int | None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise NestedTooDeeply(pos)
        try:
            # `NonUnionType PIPE Type / NonUnionType`, as a loop: a long union is
            # no deeper than one member, and a "|" with no member after it is
            # left for the caller, as the recursion's second alternative does.
            end = self.nonunion(pos)
            while end is not None and (pipe := self.token(end, "|")) is not None:
                member = self.nonunion(pipe)
                if member is None:
                    break
                end = member
            return end
        finally:
            self.depth -= 1

    def nonunion(self, pos: int) -> int | None:
        if pos in self.nonunion_memo:
            return self.nonunion_memo[pos]
        end = self.nonunion_l2(pos)
        while end is not None:
            opened = self.token(end, "[")
            closed = None if opened is None else self.token(opened, "]", after_newlines=False)
            if closed is None:
                break
            end = closed
        self.nonunion_memo[pos] = end
        return end

    def nonunion_l2(self, pos: int) -> int | None:
        end = self.token(pos, "(")
        if end is not None and (end := self.type(end)) is not None:
            end = self.token(end, ")", after_newlines=False)
            if end is not None:
                return end
        for rule in (self.object_literal, self.scalar, self.literal, self.live_type):
            end = rule(pos)
            if end is not None:
                return end
        return self.type_ref(pos)

    def object_literal(self, pos: int) -> int | None:
        end = self.token(pos, "{")
        if end is None:
            return None
        end = self.field_list(end) or end
        return self.token(end, "}", after_newlines=False)

    def scalar(self, pos: int) -> int | None:
        for word in ("string", "number", "null", "boolean"):
            end = self.keyword(pos, word)
            for legacy in _LEGACY.get(word, ()) if end is None and self.legacy else ():
                end = end or self.keyword(pos, legacy)
            if end is not None:
                return end
        return None

    def literal(self, pos: int) -> int | None:
        self.silent += 1
        end = self.string_literal(pos) or self.number_literal(pos)
        for word in ("true", "false"):
            if end is not None:
                break
            # TRUE / FALSE are `_ 'true' EOK __`; the deliberate difference: no
            # trailing `__`, so a newline after `true` still separates fields.
            end = self.keyword(pos, word)
        self.silent -= 1
        return self.named(pos, "literal", end)

    def string_literal(self, pos: int) -> int | None:
        text, size = self.text, self.size
        if pos >= size or text[pos] not in "\"'":
            return None
        quote = text[pos]
        end = pos + 1
        while end < size:
            ch = text[end]
            if ch == "\\" and end + 1 < size:
                end += 2
            elif ch == quote:
                return end + 1
            elif ch in "\n{\\":
                return None
            else:
                end += 1
        return None

    def number_literal(self, pos: int) -> int | None:
        text, size = self.text, self.size
        end = self.token(pos, "-") or pos
        digits = end
        while digits < size and text[digits] in _DIGITS:
            digits += 1
        if digits < size and text[digits] == ".":
            end = digits + 1
        start = end
        while end < size and text[end] in _DIGITS:
            end += 1
        return self.ws(end) if end > start else None

    def live_type(self, pos: int) -> int | None:
        end = self.keyword(pos, "LiveList")
        if end is not None and (end := self.token(end, "<")) is not None:
            end = self.type(end)
            if end is not None and (end := self.token(end, ">", False)) is not None:
                return end
        end = self.keyword(pos, "LiveMap")
        if end is None or (end := self.token(end, "<")) is None:
            return None
        if (end := self.type(end)) is None or (end := self.token(end, ",")) is None:
            return None
        if (end := self.type(end)) is None:
            return None
        return self.token(end, ">", after_newlines=False)

    def type_ref(self, pos: int) -> int | None:
        end = self.keyword(pos, "LiveObject")
        if end is not None and (end := self.token(end, "<")) is not None:
            end = self.type_name(end)
            if end is not None and (end := self.token(end, ">", False)) is not None:
                return end
        return self.type_name(pos)


def peg_failure(text: str, *, legacy_builtins: bool = False) -> PegFailure | None:
    """Where and why the official parser rejects `text`, or None when it accepts it.

    Raises `NestedTooDeeply` for types nested deeper than `MAX_NESTING`.
    """
    mirror = _Mirror(text, legacy_builtins)
    end = mirror.document()
    if end is not None and end == mirror.size:
        return None
    if end is not None:
        mirror.fail(end, "end of input")
    return PegFailure(mirror.max_pos, mirror.expected)
