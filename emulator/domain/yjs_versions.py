"""Version history of a room's Yjs document: snapshots taken on request, newest first.

A version keeps the whole root document as a v1 update, when it was taken, and who wrote
to the document since the version before it (the ``authors`` of ``HistoryVersion``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from .clock import format_ms
from .errors import InvalidInput, NotFound

MAX_VERSIONS = 1000


@dataclass(frozen=True, slots=True)
class Version:
    id: str
    created_ms: int
    authors: tuple[str, ...]
    update: bytes

    def json(self) -> dict[str, Any]:
        return {"type": "historyVersion", "id": self.id, "kind": "yjs",
                "createdAt": format_ms(self.created_ms),
                "authors": [{"id": author} for author in self.authors]}


class VersionNotFound(NotFound):
    default_code = "VERSION_NOT_FOUND"

    def __init__(self, version_id: str) -> None:
        super().__init__(f"Version with id '{version_id[:100]}' was not found")


@dataclass(slots=True)
class VersionHistory:
    versions: list[Version] = field(default_factory=list)  # oldest first
    # Users who changed the document since the last version.
    authors_since: list[str] = field(default_factory=list)

    def note_author(self, user_id: str | None) -> None:
        if user_id is not None and user_id not in self.authors_since:
            self.authors_since.append(user_id)

    def create(self, update: bytes, now_ms: int) -> Version:
        version = Version(f"vh_{secrets.token_urlsafe(12)}", now_ms,
                          tuple(self.authors_since), update)
        self.versions.append(version)
        del self.versions[:-MAX_VERSIONS]
        self.authors_since.clear()
        return version

    def get(self, version_id: str) -> Version:
        for version in self.versions:
            if version.id == version_id:
                return version
        raise VersionNotFound(version_id)

    def delete(self, version_id: str) -> None:
        self.versions.remove(self.get(version_id))

    def page(self, limit: int, cursor: str | None) -> tuple[list[Version], str | None]:
        """Newest first; the cursor is the id of the last version of the previous page."""
        newest_first = self.versions[::-1]
        start = 0
        if cursor:
            ids = [version.id for version in newest_first]
            if cursor not in ids:
                raise InvalidInput(f"cursor {cursor[:100]!r} is not a cursor of this list")
            start = ids.index(cursor) + 1
        page = newest_first[start:start + limit]
        more = start + limit < len(newest_first)
        return page, (page[-1].id if page and more else None)

    def since(self, since_ms: int) -> list[Version]:
        return [version for version in self.versions[::-1] if version.created_ms >= since_ms]
