"""The thread filter language of ``?query=`` (COMMENTS.md §1.4).

    resolved:false metadata['status']:'open' metadata['x']>10 metadata['k']:null
    metadata["status"]^"op" AND subscribed:true visibility:'private' roomId^'team:'

Clauses are ANDed (``AND`` or a space). Values are quoted strings, numbers, ``true``,
``false`` or ``null`` (for metadata: the key is absent). ``^`` only matches strings,
``<`` ``>`` ``<=`` ``>=`` only numbers, ``:`` is strict equality — the rules of the
client's own filter (``makeThreadsFilter``), so the server and the client agree.
Comment search (C3) filters with the same grammar over ``threadResolved``,
``hasAttachments``, ``hasMentions`` and ``threadMetadata[…]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .comments_inputs import mentioned_user_ids
from .comments_model import Comment, Thread
from .room_query import InvalidQuery, TokenStream, unquote

THREAD_FIELDS = ("resolved", "subscribed", "visibility", "roomId", "metadata")
SEARCH_FIELDS = ("threadResolved", "hasAttachments", "hasMentions", "threadMetadata")
_MAPS = ("metadata", "threadMetadata")
_NUMBER_OPS = ("<", ">", "<=", ">=")


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    key: str | None  # the metadata key
    operator: str  # ":", "^", "<", ">", "<=", ">="
    value: Any  # str, int, float, bool or None


def parse_conditions(text: str, fields: tuple[str, ...] = THREAD_FIELDS) -> list[Condition]:
    stream = TokenStream(text)
    found: list[Condition] = []
    while stream.more(bool(found)):
        _, name, position = stream.take(("word",), "a field name")
        if name not in fields:
            raise InvalidQuery(f"Unknown field {name!r} at position {position}; "
                               f"known fields: {', '.join(fields)}")
        key = stream.bracketed_key() if name in _MAPS else None
        _, operator, op_position = stream.take(("op",), "an operator (: ^ < > <= >=)")
        kind, raw, value_position = stream.take(("dstring", "sstring", "number", "word"),
                                                "a value")
        value = _value(kind, raw, value_position)
        if operator == "^" and not isinstance(value, str):
            raise InvalidQuery(f"'^' (starts with) needs a string at position {value_position}")
        if operator in _NUMBER_OPS and (isinstance(value, bool)
                                        or not isinstance(value, int | float)):
            raise InvalidQuery(f"{operator!r} needs a number at position {value_position}")
        if key is None and operator != ":" and not (name == "roomId" and operator == "^"):
            raise InvalidQuery(f"{name} only takes ':' (at position {op_position})")
        found.append(Condition(name, key, operator, value))
    return found


def _value(kind: str, raw: str, position: int) -> Any:
    if kind in ("dstring", "sstring"):
        return unquote(raw, position)
    if kind == "number":
        return json.loads(raw)
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "null":
        return None
    raise InvalidQuery(f"Unexpected value {raw!r} at position {position}; quote strings")


def matches(condition: Condition, actual: Any, present: bool = True) -> bool:
    """Does ``actual`` satisfy the condition (``present``: the metadata key exists)?"""
    op, expected = condition.operator, condition.value
    if op == ":":
        if expected is None:
            return not present
        if not present:
            return False
        if _both_numbers(actual, expected):
            return bool(actual == expected)
        return type(actual) is type(expected) and bool(actual == expected)
    if op == "^":
        return isinstance(actual, str) and actual.startswith(expected)
    if not _both_numbers(actual, expected):
        return False
    result = {"<": actual < expected, ">": actual > expected,
              "<=": actual <= expected, ">=": actual >= expected}[op]
    return bool(result)


def _both_numbers(a: Any, b: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))


Lookup = Callable[[Condition], tuple[Any, bool]]


def all_match(conditions: list[Condition], lookup: Lookup) -> bool:
    """``lookup(condition)`` gives the candidate's (value, present) for the condition."""
    for condition in conditions:
        actual, present = lookup(condition)
        if not matches(condition, actual, present):
            return False
    return True


def thread_matches(conditions: list[Condition], thread: Thread, room_id: str,
                   user_id: str | None) -> bool:
    """``subscribed`` asks whether ``user_id`` (the caller) follows the thread."""
    def lookup(condition: Condition) -> tuple[Any, bool]:
        if condition.field == "resolved":
            return thread.resolved, True
        if condition.field == "visibility":
            return thread.visibility, True
        if condition.field == "roomId":
            return room_id, True
        if condition.field == "subscribed":
            return user_id is not None and user_id in thread.subscriptions, True
        assert condition.key is not None
        return thread.metadata.get(condition.key), condition.key in thread.metadata

    return all_match(conditions, lookup)


def comment_matches(conditions: list[Condition], thread: Thread, comment: Comment) -> bool:
    """The filters of comment search (C3)."""
    def lookup(condition: Condition) -> tuple[Any, bool]:
        if condition.field == "threadResolved":
            return thread.resolved, True
        if condition.field == "hasAttachments":
            return bool(comment.attachment_ids), True
        if condition.field == "hasMentions":
            return bool(mentioned_user_ids(comment.body)), True
        assert condition.key is not None
        return thread.metadata.get(condition.key), condition.key in thread.metadata

    return all_match(conditions, lookup)
