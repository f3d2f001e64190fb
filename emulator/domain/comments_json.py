"""Threads, comments and attachments as JSON, the way both SDKs and the browser client
read them (COMMENTS.md §4.1).

Reactions are grouped per emoji (``{emoji, createdAt, users: [{id}]}``), as the browser
and Node types say, and each entry also carries ``userId`` (its first user): the Python
SDK 3.23 parses a comment's reactions with its ``{emoji, userId, createdAt}`` model and
fails without that key (COMMENTS.md §3.5). The extra key is ignored by JavaScript.
"""

from __future__ import annotations

from typing import Any

from .clock import format_ms
from .comments_model import Attachment, Comment, ReactionGroup, RoomComments, Thread


def reaction_json(group: ReactionGroup) -> dict[str, Any]:
    users = list(group.users)
    return {"emoji": group.emoji, "createdAt": format_ms(group.created_ms),
            "users": [{"id": user_id} for user_id in users], "userId": users[0]}


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    return {"type": "attachment", "id": attachment.id, "name": attachment.name,
            "size": attachment.size, "mimeType": attachment.mime_type}


def comment_json(room_id: str, comment: Comment, held: RoomComments | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "comment",
        "id": comment.id,
        "threadId": comment.thread_id,
        "roomId": room_id,
        "userId": comment.user_id,
        "createdAt": format_ms(comment.created_ms),
        "metadata": dict(comment.metadata),
        "reactions": [reaction_json(group) for group in comment.reactions],
        "attachments": [],
    }
    if comment.edited_ms is not None:
        data["editedAt"] = format_ms(comment.edited_ms)
    if comment.deleted_ms is not None:
        data["deletedAt"] = format_ms(comment.deleted_ms)
    else:
        data["body"] = comment.body
        if held is not None:
            data["attachments"] = [attachment_json(held.attachments[a])
                                   for a in comment.attachment_ids if a in held.attachments]
    return data


def thread_json(room_id: str, thread: Thread, held: RoomComments | None) -> dict[str, Any]:
    return {
        "type": "thread",
        "id": thread.id,
        "roomId": room_id,
        "createdAt": format_ms(thread.created_ms),
        "updatedAt": format_ms(thread.updated_ms),
        "metadata": dict(thread.metadata),
        "resolved": thread.resolved,
        "visibility": thread.visibility,
        "comments": [comment_json(room_id, c, held) for c in thread.comments],
    }


def subscription_json(thread_id: str, created_ms: int, user_id: str | None = None
                      ) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "thread", "subjectId": thread_id,
                            "createdAt": format_ms(created_ms)}
    if user_id is not None:
        data["userId"] = user_id
    return data


def deleted_thread_json(room_id: str, thread_id: str, deleted_ms: int) -> dict[str, Any]:
    return {"type": "deletedThread", "id": thread_id, "roomId": room_id,
            "deletedAt": format_ms(deleted_ms)}


def deleted_subscription_json(thread_id: str, deleted_ms: int) -> dict[str, Any]:
    return {"type": "deletedSubscription", "kind": "thread", "subjectId": thread_id,
            "deletedAt": format_ms(deleted_ms)}
