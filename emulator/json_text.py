"""JSON text for any depth.

The standard encoder recurses: a storage tree nested past ~1,000 levels (which
clients can build one op at a time) would make it raise. The fast encoder is
tried first; only such documents go through the iterative one, which writes
the same compact text.
"""

from __future__ import annotations

import json
import sys
from json.encoder import encode_basestring
from typing import Any

# Built once: json.dumps with options makes a new encoder per call (~1 µs per response).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept as is (like json.dumps(ensure_ascii=False, separators))."""
    try:
        return _ENCODER.encode(value)
    except RecursionError:
        return _dumps_iteratively(value)


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _dumps_iteratively(value: Any) -> str:
    parts: list[str] = []
    # The stack holds values to write, or closing text already decided.
    stack: list[tuple[bool, Any]] = [(False, value)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            parts.append(item)
        elif isinstance(item, dict):
            parts.append("{")
            stack.append((True, "}"))
            entries = list(item.items())
            for index in range(len(entries) - 1, -1, -1):
                key, child = entries[index]
                stack.append((False, child))
                prefix = "," if index else ""
                stack.append((True, prefix + encode_basestring(str(key)) + ":"))
        elif isinstance(item, (list, tuple)):
            parts.append("[")
            stack.append((True, "]"))
            for index in range(len(item) - 1, -1, -1):
                stack.append((False, item[index]))
                if index:
                    stack.append((True, ","))
        else:
            parts.append(_scalar(item))
    return "".join(parts)


# Deep enough for any document a person builds, well inside a thread's C stack
# (the decoder recurses in C; 50,000 levels was measured safe, 100,000 not).
DEEP_RECURSION_LIMIT = 20_000


def loads(text: str | bytes) -> Any:
    """json.loads that also reads documents nested deeper than Python's recursion limit.

    NaN and Infinity are refused: no other JSON reader accepts them. Raises
    ValueError for anything that is not JSON, RecursionError past the limit.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        return _DECODER.decode(text)
    except RecursionError:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, DEEP_RECURSION_LIMIT))
        try:
            return _DECODER.decode(text)
        finally:
            sys.setrecursionlimit(previous)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# One decoder for every call (json.loads with options builds a new one each time).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
