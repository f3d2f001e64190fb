"""A Yjs document as JSON, the way ``GET /v2/rooms/{roomId}/ydoc`` shows it (YJS.md §2.2, §4.5).

Values render as Yjs' ``toJSON`` does: a text is its plain string, XML is the string Yjs'
``toString`` builds (lower-case tags, attributes sorted, no escaping), numbers that are
integral come back as integers. A root's type is not stored in an update, so it is
inferred from its content, on a throwaway copy (typing a root of the live document would
fix its type for good).
"""

from __future__ import annotations

import math
from typing import Any, TypeAlias

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from .errors import InvalidInput

TYPES = ("ymap", "ytext", "yxmltext", "yxmlfragment", "yarray")
YDoc: TypeAlias = "Doc[Any]"


def js_number(value: float) -> int | float:
    if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def js_string(value: Any) -> str:
    """JavaScript's ``String(value)`` for what a Yjs document can hold."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = js_number(float(value)) if isinstance(value, float) else value
        return str(number)
    if isinstance(value, XmlElement):
        return element_string(value)
    if isinstance(value, XmlText):
        return xml_text_string(value.diff())
    if isinstance(value, XmlFragment):
        return "".join(js_string(child) for child in value.children)
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, list | tuple | Array):
        return ",".join("" if v is None else js_string(v) for v in value)
    return "[object Object]"


def _attribute_pairs(value: Any) -> list[tuple[str, Any]]:
    # Yjs walks a format value with `for (key in value)`: objects by key, strings by index.
    if isinstance(value, dict):
        return sorted((str(k), v) for k, v in value.items())
    if isinstance(value, str):
        return [(str(i), c) for i, c in enumerate(value)]
    return []


def xml_text_string(delta: list[tuple[Any, Any]]) -> str:
    """``Y.XmlText.toString()``: each formatted run wrapped in one tag per attribute."""
    parts: list[str] = []
    for insert, attributes in delta:
        tags = sorted((attributes or {}).items())
        for name, value in tags:
            pairs = "".join(f' {k}="{js_string(v)}"' for k, v in _attribute_pairs(value))
            parts.append(f"<{name}{pairs}>")
        parts.append(js_string(insert))
        for name, _ in reversed(tags):
            parts.append(f"</{name}>")
    return "".join(parts)


def element_string(element: XmlElement) -> str:
    tag = (element.tag or "").lower()
    attributes = "".join(
        f' {key}="{js_string(value)}"' for key, value in sorted(element.attributes)  # type: ignore[call-overload]
    )
    children = "".join(js_string(child) for child in element.children)
    return f"<{tag}{attributes}>{children}</{tag}>"


def to_json(value: Any) -> Any:
    """A Yjs value as ``toJSON`` gives it."""
    if isinstance(value, Text) and not isinstance(value, XmlText):
        return str(value)
    if isinstance(value, XmlElement | XmlText | XmlFragment):
        return js_string(value)
    if isinstance(value, Map):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, Array):
        return [to_json(item) for item in value]
    if isinstance(value, Doc):
        return {}
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, bytes | bytearray):
        return {str(i): b for i, b in enumerate(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return js_string(value)


def _formatted(delta: list[tuple[Any, Any]]) -> list[Any]:
    """A text with its formatting: attribute changes as ``{key, value}`` between the runs."""
    items: list[Any] = []
    current: dict[str, Any] = {}
    for insert, attributes in delta:
        wanted = dict(attributes or {})
        for key in sorted(set(current) | set(wanted)):
            if current.get(key) != wanted.get(key) or (key in current) != (key in wanted):
                items.append({"key": key, "value": to_json(wanted.get(key))})
        current = wanted
        items.append(insert if isinstance(insert, str) else to_json(insert))
    items.extend({"key": key, "value": None} for key in sorted(current))
    return items


def _copy(doc: YDoc) -> YDoc:
    copy: YDoc = Doc()
    try:
        copy.apply_update(doc.get_update())
    except BaseException as error:
        # yrs could not re-read its own encoding (seen after a JS client split a surrogate
        # pair): render the live document rather than fail.
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        return doc
    return copy


def _inferred(doc: YDoc, key: str, formatting: bool) -> tuple[bool, Any]:
    """(present, JSON) of one root, its type guessed from what it holds."""
    delta = doc.get(key, type=Text).diff()
    if delta:
        first = delta[0][0]
        if isinstance(first, XmlElement | XmlText):
            return True, "".join(js_string(insert) for insert, _ in delta)
        if isinstance(first, str) or not isinstance(first, Map | Array | Text | XmlFragment):
            if formatting:
                return True, _formatted(delta)
            return True, "".join(insert for insert, _ in delta if isinstance(insert, str))
        return True, [to_json(insert) for insert, _ in delta]
    as_map = doc.get(key, type=Map)
    if len(as_map):
        return True, to_json(as_map)
    as_array = doc.get(key, type=Array)
    if len(as_array):
        return True, to_json(as_array)
    return False, None


def _typed(doc: YDoc, key: str, kind: str) -> Any:
    if kind == "ymap":
        return to_json(doc.get(key, type=Map))
    if kind == "yarray":
        return to_json(doc.get(key, type=Array))
    if kind == "ytext":
        return str(doc.get(key, type=Text))
    if kind == "yxmltext":
        # pycrdt cannot get a root as XmlText: its Text view has the same delta.
        return xml_text_string(doc.get(key, type=Text).diff())
    return js_string(doc.get(key, type=XmlFragment))


def document_json(
    doc: YDoc, *, key: str | None = None, kind: str | None = None, formatting: bool = False
) -> Any:
    """The document (or one root) as JSON; with ``key`` and ``kind``, the bare value."""
    if kind is not None and kind not in TYPES:
        raise InvalidInput(f"type must be one of {', '.join(TYPES)}, got {kind[:40]!r}")
    copy = _copy(doc)
    if key is not None and kind is not None:
        return _typed(copy, key, kind)
    names = [key] if key is not None else sorted(copy.keys())
    result: dict[str, Any] = {}
    for name in names:
        present, value = _inferred(copy, name, formatting)
        if present:
            result[name] = value
        elif key is not None:
            result[name] = ""
    return result
