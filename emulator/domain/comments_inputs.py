"""Checking what clients send for comments: comment bodies (CommentBody v1), metadata
patches, emojis, ids and visibility (COMMENTS.md §3.1, §4.2).

Every check raises ``InvalidInput`` with a message naming the field, so a request is
refused whole (422) before anything changes.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import InvalidInput

MAX_METADATA_ENTRIES = 50
MAX_METADATA_KEY = 40
MAX_METADATA_STRING = 4000
MAX_BODY_NODES = 10_000
MAX_TEXT = 100_000
MAX_EMOJI = 32
MAX_ID = 128
VISIBILITIES = ("public", "private")
TEXT_MARKS = ("bold", "italic", "strikethrough", "code")

# createOptimisticId: prefix + "_" + nanoid(21) over [0-9a-zA-Z_-]; accept any length.
_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")

Metadata = dict[str, str | int | float | bool]


def check_new_id(value: Any, prefix: str, field: str) -> str:
    """A client-made id (``th_…``, ``cm_…``, ``at_…``)."""
    if not isinstance(value, str) or not value.startswith(prefix + "_") or not _ID.fullmatch(
        value
    ):
        raise InvalidInput(
            f"{field} must be a string '{prefix}_' followed by letters, digits, '_' or '-' "
            f"(at most {MAX_ID} characters), got {_shown(value)}"
        )
    return value


def check_user_id(value: Any, field: str = "userId") -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise InvalidInput(f"{field} must be a non-empty string of at most {MAX_ID} characters")
    return value


def check_visibility(value: Any) -> str:
    if value is None:
        return "public"
    if value not in VISIBILITIES:
        raise InvalidInput(f"visibility must be 'public' or 'private', got {_shown(value)}")
    assert isinstance(value, str)
    return value


def check_emoji(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_EMOJI or value.isspace():
        raise InvalidInput(f"emoji must be a non-empty string of at most {MAX_EMOJI} characters")
    return value


def require_object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be a JSON object, got {_shown(value)}")
    return value


def optional_strings(value: Any, field: str, *, limit: int = 50) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f"{field} must be an array of non-empty strings")
    if len(value) > limit:
        raise InvalidInput(f"{field} may hold at most {limit} entries, got {len(value)}")
    return list(dict.fromkeys(value))


# ------------------------------------------------------------------ metadata


def _metadata_value(key: Any, value: Any, field: str) -> None:
    if not isinstance(key, str) or not key or len(key) > MAX_METADATA_KEY:
        raise InvalidInput(
            f"{field} keys must be 1-{MAX_METADATA_KEY} characters, got {_shown(key)}"
        )
    if isinstance(value, str):
        if len(value) > MAX_METADATA_STRING:
            raise InvalidInput(
                f"{field}['{key}'] must be at most {MAX_METADATA_STRING} characters long"
            )
    elif not isinstance(value, int | float | bool):
        raise InvalidInput(
            f"{field}['{key}'] must be a string, a number or a boolean, got {_shown(value)}"
        )


def check_metadata(value: Any, field: str = "metadata") -> Metadata:
    """Metadata of a new thread or comment (``null`` entries are dropped)."""
    if value is None:
        return {}
    patch = check_metadata_patch(value, field)
    kept = {key: v for key, v in patch.items() if v is not None}
    return kept


def check_metadata_patch(value: Any, field: str = "metadata") -> dict[str, Any]:
    """A metadata update: values as in ``check_metadata``; ``null`` removes the key."""
    data = require_object(value, field)
    if len(data) > MAX_METADATA_ENTRIES:
        raise InvalidInput(f"{field} may hold at most {MAX_METADATA_ENTRIES} entries")
    for key, entry in data.items():
        if entry is not None:
            _metadata_value(key, entry, field)
        else:
            _metadata_value(key, "", field)
    return data


def patched_metadata(current: Metadata, patch: dict[str, Any], field: str) -> Metadata:
    """``current`` with ``patch`` applied, if the result stays within the limits."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > MAX_METADATA_ENTRIES:
        raise InvalidInput(
            f"{field} would hold {len(merged)} entries; at most {MAX_METADATA_ENTRIES} are allowed"
        )
    return merged


# ------------------------------------------------------------------ comment bodies


class _Counter:
    __slots__ = ("nodes",)

    def __init__(self) -> None:
        self.nodes = 0

    def count(self, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_BODY_NODES:
            raise InvalidInput(f"body has more than {MAX_BODY_NODES} nodes (at {where})")


def check_body(value: Any, field: str = "body") -> dict[str, Any]:
    """A CommentBody v1: ``{version: 1, content: [paragraph…]}``, returned as sent."""
    body = require_object(value, field)
    if body.get("version") != 1:
        raise InvalidInput(f"{field}.version must be 1, got {_shown(body.get('version'))}")
    content = body.get("content")
    if not isinstance(content, list):
        raise InvalidInput(f"{field}.content must be an array of paragraphs")
    counter = _Counter()
    for index, block in enumerate(content):
        _check_block(block, f"{field}.content[{index}]", counter)
    return body


def _check_block(block: Any, where: str, counter: _Counter) -> None:
    counter.count(where)
    if not isinstance(block, dict) or block.get("type") != "paragraph":
        raise InvalidInput(f"{where} must be a paragraph ({{type: 'paragraph', children}})")
    children = block.get("children")
    if not isinstance(children, list):
        raise InvalidInput(f"{where}.children must be an array")
    for index, inline in enumerate(children):
        _check_inline(inline, f"{where}.children[{index}]", counter)


def _check_inline(inline: Any, where: str, counter: _Counter) -> None:
    counter.count(where)
    if not isinstance(inline, dict):
        raise InvalidInput(f"{where} must be an object (text, mention or link)")
    kind = inline.get("type")
    if kind is None:
        text = inline.get("text")
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InvalidInput(f"{where}.text must be a string of at most {MAX_TEXT} characters")
        for mark in TEXT_MARKS:
            if mark in inline and not isinstance(inline[mark], bool):
                raise InvalidInput(f"{where}.{mark} must be a boolean")
    elif kind == "mention":
        mention_kind = inline.get("kind", "user")
        if mention_kind not in ("user", "group"):
            raise InvalidInput(f"{where}.kind must be 'user' or 'group'")
        check_user_id(inline.get("id"), f"{where}.id")
        if mention_kind == "group":
            optional_strings(inline.get("userIds"), f"{where}.userIds", limit=1000)
    elif kind == "link":
        url = inline.get("url")
        if not isinstance(url, str) or not url or len(url) > MAX_TEXT:
            raise InvalidInput(f"{where}.url must be a non-empty string")
        if "text" in inline and not isinstance(inline["text"], str):
            raise InvalidInput(f"{where}.text must be a string")
    else:
        raise InvalidInput(
            f"{where}.type must be 'mention' or 'link' (or absent for text), got {_shown(kind)}"
        )


def mentioned_user_ids(body: dict[str, Any] | None) -> list[str]:
    """Users mentioned in a body, in order, once each (group members named by userIds too)."""
    if body is None:
        return []
    found: dict[str, None] = {}
    for block in body.get("content", ()):
        for inline in block.get("children", ()):
            if inline.get("type") != "mention":
                continue
            if inline.get("kind", "user") == "user":
                found[inline["id"]] = None
            else:
                for user_id in inline.get("userIds") or ():
                    found[user_id] = None
    return list(found)


def body_text(body: dict[str, Any] | None) -> str:
    """The plain text of a body, for comment search."""
    if body is None:
        return ""
    parts: list[str] = []
    for block in body.get("content", ()):
        for inline in block.get("children", ()):
            if "text" in inline and isinstance(inline["text"], str):
                parts.append(inline["text"])
            elif inline.get("type") == "mention":
                parts.append(str(inline.get("id", "")))
        parts.append("\n")
    return "".join(parts)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
