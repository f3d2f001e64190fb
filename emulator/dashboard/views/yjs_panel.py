"""A room's Yjs document, as the REST API reads it (``GET /v2/rooms/{id}/ydoc``): each root
as JSON, text roots (Y.Text, XML) also as plain text. Re-rendered on ``ydocUpdated``, which
both a client's update and a REST ``PUT`` emit.

A big document is cut at ``MAX_CHARS`` characters per rendering, and the cut said, so the
page stays responsive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...domain.rooms import Room
from ...domain.yjs_json import document_json
from ...state import EmulatorState
from ..registry import RoomPanel

MAX_CHARS = 100_000


def _cut(text: str) -> tuple[str, int]:
    """(what is shown, how many characters were left out)."""
    if len(text) <= MAX_CHARS:
        return text, 0
    return text[:MAX_CHARS], len(text) - MAX_CHARS


def _rendered(value: dict[str, Any]) -> dict[str, Any]:
    texts = []
    for name, root in value.items():
        if isinstance(root, str):
            shown, hidden = _cut(root)
            texts.append({"name": name, "text": shown, "hidden": hidden})
    shown, hidden = _cut(json.dumps(value, indent=2, ensure_ascii=False))
    return {"roots": sorted(value), "texts": texts, "json": shown, "json_hidden": hidden}


def _yjs(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    docs = state.yjs.find(room)
    if docs is None or docs.is_empty():
        return {"empty": True, "subdocs": 0}
    doc = docs.root
    # Reused until the document changes (the REST read memoizes the same way).
    view = docs.memoized(doc, ("dashboard",), lambda: _rendered(document_json(doc)))
    return {"empty": False, "subdocs": len(docs.subdocs), **view}


PANELS = (
    RoomPanel("yjs", "Yjs document", "panel_yjs.html", _yjs, frozenset({"ydocUpdated"}),
              order=50),
)
