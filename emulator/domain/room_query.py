"""The room filter language of ``GET /v2/rooms?query=…``.

Examples (from Liveblocks' guide and what ``@liveblocks/node`` generates)::

    roomId^'liveblocks:'
    metadata['roomType']:'whiteboard'
    roomId^"team:" AND metadata["color"]:'blue'
    metadata['a']:'x' metadata['b']^'y'          # the Node SDK joins with a space

Clauses are ANDed. A key is ``roomId`` or ``metadata[<string>]``; the operator is
``:`` (equals) or ``^`` (starts with). Strings take single or double quotes;
double-quoted strings use JSON escapes, as ``JSON.stringify`` writes them.
Only string metadata values match a clause (Liveblocks: "only strings can be
filtered").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InvalidInput

if TYPE_CHECKING:
    from .rooms import Room

MAX_QUERY_LENGTH = 10_000


class InvalidQuery(InvalidInput):
    default_code = "INVALID_QUERY"


@dataclass(frozen=True, slots=True)
class Clause:
    field: str  # "roomId" or "metadata"
    key: str | None  # the metadata key
    operator: str  # ":" or "^"
    value: str


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<and>AND\b)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<dstring>"(?:[^"\\]|\\.)*")
  | (?P<sstring>'(?:[^'\\]|\\.)*')
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<op>>=|<=|[:^<>])
  | (?P<punct>[\[\]])
    """,
    re.VERBOSE,
)


def unquote(token: str, position: int) -> str:
    body = token[1:-1]
    if token[0] == "'":
        # The SDK writes a single-quoted string as JSON with \" unescaped.
        body = body.replace('"', '\\"').replace("\\'", "'")
    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        raise InvalidQuery(f"Invalid string {token} at position {position} in query") from None
    assert isinstance(value, str)
    return value


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise InvalidQuery(
                f"Unexpected character {text[position]!r} at position {position} in query"
            )
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append((kind, match.group(), position))
        position = match.end()
    return tokens


class TokenStream:
    """The tokens of one query, read in order (room and thread filters share it)."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_QUERY_LENGTH:
            raise InvalidQuery(f"query must be at most {MAX_QUERY_LENGTH} characters long")
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def more(self, started: bool) -> bool:
        """Is there another clause? (``AND`` between clauses is skipped; a trailing one
        promises a clause, so the next ``take`` says it is missing.)"""
        if self.index >= len(self.tokens):
            return False
        if started and self.tokens[self.index][0] == "and":
            self.index += 1
        return True

    def take(self, kinds: tuple[str, ...], what: str) -> tuple[str, str, int]:
        if self.index >= len(self.tokens):
            raise InvalidQuery(f"Expected {what} at the end of query {self.text[:80]!r}")
        token = self.tokens[self.index]
        if token[0] not in kinds:
            raise InvalidQuery(f"Expected {what} but found {token[1]!r} at position {token[2]}")
        self.index += 1
        return token

    def bracketed_key(self) -> str:
        """``['key']`` after a map field such as ``metadata``."""
        self.take(("punct",), "'['")
        _, raw, position = self.take(("dstring", "sstring"), "a quoted metadata key")
        closing = self.take(("punct",), "']'")
        if closing[1] != "]":
            raise InvalidQuery(f"Expected ']' at position {closing[2]}")
        return unquote(raw, position)


def parse_query(text: str) -> list[Clause]:
    stream = TokenStream(text)
    clauses: list[Clause] = []
    while stream.more(bool(clauses)):
        _, word, position = stream.take(("word",), "roomId or metadata[...]")
        key: str | None = None
        if word == "metadata":
            key = stream.bracketed_key()
        elif word != "roomId":
            raise InvalidQuery(
                f"Unknown field {word!r} at position {position}; rooms can be filtered by "
                "roomId and metadata['key']"
            )
        _, operator, op_position = stream.take(("op",), "':' or '^'")
        if operator not in (":", "^"):
            raise InvalidQuery(
                f"Operator {operator!r} at position {op_position} is not supported for rooms; "
                "use ':' (equals) or '^' (starts with)"
            )
        kind, raw, value_position = stream.take(
            ("dstring", "sstring", "number", "word"), "a quoted string value"
        )
        if kind not in ("dstring", "sstring"):
            raise InvalidQuery(
                f"Room filters only compare strings; got {raw!r} at position {value_position}"
            )
        clauses.append(Clause(word, key, operator, unquote(raw, value_position)))
    return clauses


RoomPredicate = Callable[["Room"], bool]


def _matches(clause: Clause, candidate: str) -> bool:
    if clause.operator == ":":
        return candidate == clause.value
    return candidate.startswith(clause.value)


def compile_clauses(clauses: list[Clause]) -> RoomPredicate:
    def predicate(room: Room) -> bool:
        for clause in clauses:
            if clause.field == "roomId":
                if not _matches(clause, room.id):
                    return False
            else:
                assert clause.key is not None
                value = room.metadata.get(clause.key)
                if not isinstance(value, str) or not _matches(clause, value):
                    return False
        return True

    return predicate


@dataclass(slots=True)
class RoomFilter:
    """Every filter ``GET /v2/rooms`` takes; an empty filter keeps every room."""

    metadata_equals: dict[str, str]  # seed form: metadata.KEY=VALUE, ANDed
    user_id: str | None = None
    group_ids: tuple[str, ...] = ()
    organization_id: str | None = None
    query: str | None = None

    def compile(self) -> RoomPredicate | None:
        """A predicate for the store, or None when nothing is filtered."""
        tests: list[RoomPredicate] = []
        for key, expected in self.metadata_equals.items():
            tests.append(_metadata_equals(key, expected))
        if self.user_id is not None or self.group_ids:
            tests.append(_has_access(self.user_id, self.group_ids))
        if self.organization_id is not None:
            organization_id = self.organization_id
            tests.append(lambda room: room.organization_id == organization_id)
        if self.query:
            tests.append(compile_clauses(parse_query(self.query)))
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda room: all(test(room) for test in tests)


def _metadata_equals(key: str, expected: str) -> RoomPredicate:
    def test(room: Room) -> bool:
        value = room.metadata.get(key)
        # A list-valued entry matches when it holds the value.
        return value == expected or (isinstance(value, list) and expected in value)

    return test


def _has_access(user_id: str | None, group_ids: tuple[str, ...]) -> RoomPredicate:
    # The seed: "the operator OR is applied between each groupIds and the userId".
    def test(room: Room) -> bool:
        if user_id is not None and user_id in room.users_accesses:
            return True
        return any(group in room.groups_accesses for group in group_ids)

    return test
