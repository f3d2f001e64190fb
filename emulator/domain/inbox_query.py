"""The ``query=`` filter of inbox notification lists: clauses ``unread:true|false``,
``roomId:"id"`` and ``kind:"kind"`` joined by ``AND`` or spaces (what ``objectToQuery``
writes for ``{unread, roomId, kind}``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidInput
from .inbox import InboxNotification

_CLAUSE = re.compile(
    r"""\s*(?:AND\s+)?(unread|roomId|kind)\s*:\s*(true|false|"[^"]*"|'[^']*')\s*""")


@dataclass(frozen=True, slots=True)
class InboxFilter:
    unread: bool | None = None
    room_id: str | None = None
    kind: str | None = None

    def matches(self, notification: InboxNotification) -> bool:
        return ((self.unread is None or notification.unread == self.unread)
                and (self.room_id is None or notification.room_id == self.room_id)
                and (self.kind is None or notification.kind == self.kind))


def parse_inbox_query(text: str | None) -> InboxFilter:
    if not text or not text.strip():
        return InboxFilter()
    values: dict[str, bool | str] = {}
    position = 0
    while position < len(text):
        match = _CLAUSE.match(text, position)
        if match is None or match.end() == position:
            raise InvalidInput(
                f"query {text!r} cannot be read at {position + 1}: use unread:true|false, "
                "roomId:\"…\" or kind:\"…\", joined by AND", code="INVALID_QUERY")
        name, raw = match.groups()
        is_bool = raw in ("true", "false")
        if (name == "unread") != is_bool:
            wanted = "true or false" if name == "unread" else "a quoted string"
            raise InvalidInput(f"query: {name} takes {wanted}", code="INVALID_QUERY")
        values[name] = raw == "true" if is_bool else raw[1:-1]
        position = match.end()
    unread = values.get("unread")
    room_id = values.get("roomId")
    kind = values.get("kind")
    return InboxFilter(
        unread if isinstance(unread, bool) else None,
        room_id if isinstance(room_id, str) else None,
        kind if isinstance(kind, str) else None,
    )

