"""The records of Comments: threads, comments, grouped reactions, attachments, and what a
change tells the room and the webhooks (``Happening``).

Times are integer milliseconds of the emulator's clock. A deleted comment stays in its
thread as a tombstone (``deleted_ms``, no body), as ``<Thread showDeletedComments>``
renders them; a deleted thread leaves a tombstone in its room so that ``since`` deltas
report it (COMMENTS.md §1.6, §4.1).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from .comments_inputs import Metadata, mentioned_user_ids

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"


def new_id(prefix: str) -> str:
    """``prefix_`` + 21 random characters, as the client's createOptimisticId makes them."""
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(21))


@dataclass(slots=True)
class ReactionGroup:
    """One emoji on one comment: who reacted, in order, and when."""

    emoji: str
    users: dict[str, int]  # user id -> reacted at (ms)

    @property
    def created_ms(self) -> int:
        return min(self.users.values())


@dataclass(slots=True, eq=False)
class Comment:
    id: str
    thread_id: str
    user_id: str
    created_ms: int
    body: dict[str, Any] | None
    metadata: Metadata = field(default_factory=dict)
    attachment_ids: list[str] = field(default_factory=list)
    reactions: list[ReactionGroup] = field(default_factory=list)
    edited_ms: int | None = None
    deleted_ms: int | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_ms is not None

    def reaction(self, emoji: str) -> ReactionGroup | None:
        for group in self.reactions:
            if group.emoji == emoji:
                return group
        return None


@dataclass(slots=True, eq=False)
class Thread:
    id: str
    created_ms: int
    updated_ms: int
    visibility: str
    metadata: Metadata = field(default_factory=dict)
    resolved: bool = False
    comments: list[Comment] = field(default_factory=list)
    # Who follows the thread (user id -> since, ms) and who stopped (-> when): the
    # notifications feature reads both; deltas report the stops as deletedSubscriptions.
    subscriptions: dict[str, int] = field(default_factory=dict)
    unsubscribed: dict[str, int] = field(default_factory=dict)

    def comment(self, comment_id: str) -> Comment | None:
        for comment in self.comments:
            if comment.id == comment_id:
                return comment
        return None

    @property
    def live_comments(self) -> list[Comment]:
        return [comment for comment in self.comments if not comment.is_deleted]

    @property
    def author(self) -> str:
        return self.comments[0].user_id

    def participants(self) -> list[str]:
        """Commenters and mentioned users, first appearance first (S11)."""
        found: dict[str, None] = {}
        for comment in self.comments:
            found[comment.user_id] = None
            for user_id in mentioned_user_ids(comment.body):
                found[user_id] = None
        return list(found)

    def touch(self, now_ms: int) -> None:
        # The client keeps the newer copy by updatedAt: every change must move it on.
        self.updated_ms = max(now_ms, self.updated_ms + 1)


@dataclass(slots=True, eq=False)
class Attachment:
    id: str
    name: str
    size: int
    mime_type: str
    data: bytes
    user_id: str | None
    created_ms: int
    comment_id: str | None = None  # None while it is a draft


@dataclass(slots=True, eq=False)
class MultipartUpload:
    upload_id: str
    attachment_id: str
    name: str
    size: int
    user_id: str | None
    parts: dict[int, bytes] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class RoomComments:
    """Everything Comments holds for one room."""

    threads: dict[str, Thread] = field(default_factory=dict)
    deleted_threads: dict[str, int] = field(default_factory=dict)  # id -> deleted at (ms)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    uploads: dict[str, MultipartUpload] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Happening:
    """One consequence of a change: the room's WebSocket message (a ServerMsg name, or
    None) and the webhook event (WEBHOOKS.md §2.2) with its data, minus projectId."""

    message: str | None
    thread_id: str
    event: str
    data: dict[str, Any]
    comment_id: str | None = None
    emoji: str | None = None
