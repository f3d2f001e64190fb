"""What a JSON value is, as far as a schema is concerned, and how messages name it."""

from __future__ import annotations

import json
import math
from typing import Any

from .js_format import js_number

# Value kinds.
STRING, NUMBER, BOOLEAN, NULL, ARRAY, OBJECT = 0, 1, 2, 3, 4, 5
LIVE_OBJECT, LIVE_LIST, LIVE_MAP = 6, 7, 8
UNKNOWN_LIVE, MALFORMED_LIVE, NOT_JSON = 9, 10, 11

CONTAINER_KINDS = {"LiveObject": LIVE_OBJECT, "LiveList": LIVE_LIST, "LiveMap": LIVE_MAP}
_LIVE_DATA_TYPES: dict[str, tuple[int, type]] = {
    "LiveObject": (LIVE_OBJECT, dict),
    "LiveList": (LIVE_LIST, list),
    "LiveMap": (LIVE_MAP, dict),
}

_MAX_SHOWN_STRING = 40


def kind_of(value: object) -> int:
    cls = type(value)
    if cls is str:
        return STRING
    if cls is bool:
        return BOOLEAN
    if cls is int:
        return NUMBER
    if cls is float:
        return NUMBER if math.isfinite(value) else NOT_JSON  # type: ignore[arg-type]
    if value is None:
        return NULL
    if cls is list:
        return ARRAY
    if cls is dict:
        return _kind_of_dict(value)  # type: ignore[arg-type]
    return _kind_of_other(value)


def _kind_of_other(value: object) -> int:
    if isinstance(value, str):
        return STRING
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return NUMBER
    if isinstance(value, float):
        return NUMBER if math.isfinite(value) else NOT_JSON
    if isinstance(value, list | tuple):
        return ARRAY
    if isinstance(value, dict):
        return _kind_of_dict(value)
    return NOT_JSON


def _kind_of_dict(value: dict[Any, Any]) -> int:
    if "liveblocksType" not in value:
        return OBJECT
    expected = _LIVE_DATA_TYPES.get(value["liveblocksType"])
    if expected is None:
        return UNKNOWN_LIVE
    kind, data_type = expected
    return kind if isinstance(value.get("data"), data_type) else MALFORMED_LIVE


def describe_value(value: Any, kind: int) -> str:
    """What was found, for a message: `string "yes"`, `a plain object`, `a LiveList`."""
    if kind == STRING:
        shown = value if len(value) <= _MAX_SHOWN_STRING else value[:_MAX_SHOWN_STRING] + "…"
        return "string " + json.dumps(shown, ensure_ascii=False)
    if kind == NUMBER:
        return f"number {js_number(value)}"
    if kind == BOOLEAN:
        return "boolean true" if value else "boolean false"
    if kind == NULL:
        return "null"
    if kind == ARRAY:
        return "a plain array"
    if kind == OBJECT:
        return "a plain object"
    if kind in (LIVE_OBJECT, LIVE_LIST, LIVE_MAP):
        return f"a {value['liveblocksType']}"
    if kind == UNKNOWN_LIVE:
        shown = json.dumps(value["liveblocksType"], ensure_ascii=False, default=repr)
        return f"an object with an unsupported liveblocksType {shown}"
    if kind == MALFORMED_LIVE:
        live_type = value["liveblocksType"]
        wanted = "an array" if live_type == "LiveList" else "an object"
        return f'a malformed {live_type} (its "data" must be {wanted})'
    if isinstance(value, float):  # NaN and the infinities
        return f"{js_number(value)}, which is not a JSON value"
    return f"a {type(value).__name__}, which is not a JSON value"
