"""A faster drop-in for Lark's basic lexer, built from grammar.lark's own terminals.

Lark's lexer spends most of its time per token in generic bookkeeping. This
one compiles the same terminals, in the same priority order, into a single
regular expression; keywords are recognised the way Lark does it (a word
matched by IDENT is retyped when it is exactly a keyword). The tokens are
ordinary Lark `Token`s, so the parser and its error reporting are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState, PatternRE, PatternStr, TerminalDef

_new_str = str.__new__


def _lark_order(terminal: TerminalDef) -> tuple[int, int, int, str]:
    # The order Lark's own BasicLexer tries terminals in.
    pattern = terminal.pattern
    return (-terminal.priority, -pattern.max_width, -len(pattern.value), terminal.name)


class SchemaLexer(Lexer):
    # Lark's current custom-lexer interface: lex() gets the LexerState, whose
    # `text` is a TextSlice.
    __future_interface__ = 2

    def __init__(self, conf: LexerConf) -> None:
        terminals = list(conf.terminals)
        words = [t for t in terminals if isinstance(t.pattern, PatternRE)]
        self._keywords: dict[str, dict[str, str]] = {}
        scanned: list[TerminalDef] = []
        for terminal in terminals:
            owner = None
            if isinstance(terminal.pattern, PatternStr):
                owner = next(
                    (
                        w
                        for w in words
                        if w.priority == terminal.priority
                        and re.fullmatch(w.pattern.to_regexp(), terminal.pattern.value)
                    ),
                    None,
                )
            if owner is None:
                scanned.append(terminal)
            else:
                self._keywords.setdefault(owner.name, {})[terminal.pattern.value] = terminal.name
        scanned.sort(key=_lark_order)
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in scanned)
        self._match = re.compile(alternatives).match
        self._ignore = frozenset(conf.ignore)

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        window = lexer_state.text
        text: str = window.text  # never bytes: parse() takes a str
        match, ignore, keywords = self._match, self._ignore, self._keywords
        pos, size = window.start, window.end
        line = text.count("\n", 0, pos) + 1
        line_start = text.rfind("\n", 0, pos) + 1
        while pos < size:
            found = match(text, pos)
            if found is None:
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text, pos, line, pos - line_start + 1, state=parser_state
                )
            kind: str = found.lastgroup  # type: ignore[assignment]  # every alternative is named
            end = found.end()
            value = text[pos:end]
            token = None
            if kind not in ignore:
                retype = keywords.get(kind)
                if retype is not None:
                    kind = retype.get(value, kind)
                # Token(...) is slow; setting its slots directly is the same object.
                token = _new_str(Token, value)
                token.type = kind
                token.value = value
                token.start_pos = pos
                token.line = line
                token.column = pos - line_start + 1
            if "\n" in value:
                line += value.count("\n")
                line_start = text.rindex("\n", pos, end) + 1
            if token is not None:
                token.end_line = line
                token.end_column = end - line_start + 1
                token.end_pos = end
                yield token
            pos = end
