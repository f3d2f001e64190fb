"""A room's threads and attachments in fixtures and snapshots.

A fixture room may hold ``threads`` (each as the API shows a thread, plus its
``subscriptions``: ``[{userId, createdAt}]``) and ``attachments`` (``[{id, name,
mimeType, data}]``, data in base64). Entries are checked when the fixture is read and
turned into fresh records each time they are loaded (a reset loads them again).
Deleted-thread tombstones are not kept: a snapshot is a state, not a history.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .clock import format_ms, parse_iso
from .comments import CommentStore
from .comments_attachments import MAX_ATTACHMENT_BYTES, mime_type_of
from .comments_inputs import (
    check_body,
    check_emoji,
    check_metadata,
    check_new_id,
    check_user_id,
    check_visibility,
)
from .comments_json import attachment_json, thread_json
from .comments_model import Attachment, Comment, ReactionGroup, Thread
from .errors import InvalidInput
from .room_keyed_reset import RoomKeyedBaseline
from .rooms import Room, RoomStore


class SeedError(InvalidInput):
    """A bad threads/attachments entry: ``where`` is its JSON path under the room."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


@dataclass(slots=True)
class CommentsSeed:
    """Checked entries of one fixture room (kept as JSON: records are made per load)."""

    threads: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)


def seed_time(entry: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    """A fixture's ISO-8601 date as ms (``default`` when absent; required without one)."""
    value = entry.get(key)
    if value is None and default is not None:
        return default
    try:
        if not isinstance(value, str):
            raise ValueError
        return parse_iso(value)
    except ValueError:
        raise SeedError(f"{where}.{key}", f"{key} must be an ISO-8601 date") from None


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SeedError(where, "must be an array")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedError(where, "must be an object")
    return value


def checked(where: str, check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except SeedError:
        raise
    except InvalidInput as error:
        raise SeedError(where, error.message) from None


def parse_seed(threads: Any, attachments: Any, now_ms: int) -> CommentsSeed | None:
    if threads is None and attachments is None:
        return None
    seed = CommentsSeed()
    known: set[str] = set()
    for index, raw in enumerate(_list(attachments, "attachments")):
        where = f"attachments[{index}]"
        entry = _object(raw, where)
        attachment_id = checked(f"{where}.id", check_new_id, entry.get("id"), "at", "id")
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise SeedError(f"{where}.name", "name must be a non-empty string")
        try:
            data = base64.b64decode(str(entry.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            raise SeedError(f"{where}.data", "data must be base64") from None
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise SeedError(f"{where}.data", f"at most {MAX_ATTACHMENT_BYTES} bytes")
        known.add(attachment_id)
        seed.attachments.append({"id": attachment_id, "name": name, "data": data,
                                 "mimeType": entry.get("mimeType") or mime_type_of(name)})
    ids: set[str] = set()
    for index, raw in enumerate(_list(threads, "threads")):
        where = f"threads[{index}]"
        thread = _parse_thread(_object(raw, where), where, now_ms, known)
        if thread["id"] in ids:
            raise SeedError(f"{where}.id", f"thread '{thread['id']}' is defined twice")
        ids.add(thread["id"])
        seed.threads.append(thread)
    return seed


def _parse_thread(entry: dict[str, Any], where: str, now_ms: int, known: set[str]
                  ) -> dict[str, Any]:
    created = seed_time(entry, "createdAt", where, now_ms)
    comments = [_parse_comment(_object(raw, f"{where}.comments[{i}]"),
                               f"{where}.comments[{i}]", created, known)
                for i, raw in enumerate(_list(entry.get("comments"), f"{where}.comments"))]
    if not any(c["deletedMs"] is None for c in comments):
        raise SeedError(f"{where}.comments", "a thread needs at least one comment not deleted")
    resolved = entry.get("resolved", False)
    if not isinstance(resolved, bool):
        raise SeedError(f"{where}.resolved", "resolved must be a boolean")
    subscriptions: dict[str, int] = {}
    for i, raw in enumerate(_list(entry.get("subscriptions"), f"{where}.subscriptions")):
        sub = _object(raw, f"{where}.subscriptions[{i}]")
        user = checked(f"{where}.subscriptions[{i}].userId", check_user_id, sub.get("userId"))
        subscriptions[user] = seed_time(sub, "createdAt", f"{where}.subscriptions[{i}]", created)
    return {
        "id": checked(f"{where}.id", check_new_id, entry.get("id"), "th", "id"),
        "createdMs": created,
        "updatedMs": seed_time(entry, "updatedAt", where, created),
        "visibility": checked(f"{where}.visibility", check_visibility, entry.get("visibility")),
        "metadata": checked(f"{where}.metadata", check_metadata, entry.get("metadata")),
        "resolved": resolved,
        "comments": comments,
        "subscriptions": subscriptions,
    }


def _parse_comment(entry: dict[str, Any], where: str, default_ms: int, known: set[str]
                   ) -> dict[str, Any]:
    created = seed_time(entry, "createdAt", where, default_ms)
    deleted = None if entry.get("deletedAt") is None else seed_time(entry, "deletedAt", where)
    reactions: list[tuple[str, dict[str, int]]] = []
    for i, raw in enumerate(_list(entry.get("reactions"), f"{where}.reactions")):
        group = _object(raw, f"{where}.reactions[{i}]")
        emoji = checked(f"{where}.reactions[{i}].emoji", check_emoji, group.get("emoji"))
        at = seed_time(group, "createdAt", f"{where}.reactions[{i}]", created)
        users = [checked(f"{where}.reactions[{i}].users", check_user_id,
                          _object(u, f"{where}.reactions[{i}].users").get("id"))
                 for u in _list(group.get("users"), f"{where}.reactions[{i}].users")]
        if users:
            reactions.append((emoji, dict.fromkeys(users, at)))
    attachment_ids = []
    for i, raw in enumerate(_list(entry.get("attachments"), f"{where}.attachments")):
        attachment_id = _object(raw, f"{where}.attachments[{i}]").get("id")
        if attachment_id not in known:
            raise SeedError(f"{where}.attachments[{i}].id",
                            f"attachment {attachment_id!r} is not in the room's attachments")
        attachment_ids.append(attachment_id)
    return {
        "id": checked(f"{where}.id", check_new_id, entry.get("id"), "cm", "id"),
        "userId": checked(f"{where}.userId", check_user_id, entry.get("userId")),
        "createdMs": created,
        "editedMs": None if entry.get("editedAt") is None else seed_time(entry, "editedAt", where),
        "deletedMs": deleted,
        "body": None if deleted is not None else checked(f"{where}.body", check_body,
                                                          entry.get("body")),
        "metadata": checked(f"{where}.metadata", check_metadata, entry.get("metadata")),
        "reactions": reactions,
        "attachmentIds": attachment_ids,
    }


def restore(store: CommentStore, room: Room, seed: CommentsSeed) -> None:
    """Fresh records for the seed's threads and attachments (nothing is shared with it)."""
    held = store.of(room)
    for entry in seed.attachments:
        held.attachments[entry["id"]] = Attachment(entry["id"], entry["name"],
                                                   len(entry["data"]), entry["mimeType"],
                                                   entry["data"], None, 0)
    for entry in seed.threads:
        thread = Thread(entry["id"], entry["createdMs"], entry["updatedMs"],
                        entry["visibility"], dict(entry["metadata"]), entry["resolved"],
                        subscriptions=dict(entry["subscriptions"]))
        for c in entry["comments"]:
            comment = Comment(c["id"], thread.id, c["userId"], c["createdMs"], c["body"],
                              dict(c["metadata"]), list(c["attachmentIds"]),
                              [ReactionGroup(e, dict(u)) for e, u in c["reactions"]],
                              c["editedMs"], c["deletedMs"])
            thread.comments.append(comment)
            for attachment_id in comment.attachment_ids:
                held.attachments[attachment_id].comment_id = comment.id
        held.threads[thread.id] = thread


def dump(store: CommentStore, room: Room) -> dict[str, Any]:
    """The room's ``threads`` and ``attachments`` fixture fields (empty: none)."""
    held = store.find(room)
    if held is None:
        return {}
    fields: dict[str, Any] = {}
    threads = []
    for thread in store.threads(room):
        entry = thread_json(room.id, thread, held)
        for comment in entry["comments"]:
            for reaction in comment["reactions"]:
                reaction.pop("userId", None)  # the Python SDK's shim, not data
        if thread.subscriptions:
            entry["subscriptions"] = [{"userId": user, "createdAt": format_ms(ms)}
                                      for user, ms in thread.subscriptions.items()]
        threads.append(entry)
    if threads:
        fields["threads"] = threads
    attachments = [{**attachment_json(a), "data": base64.b64encode(a.data).decode()}
                   for a in held.attachments.values() if a.comment_id is not None]
    if attachments:
        fields["attachments"] = attachments
    return fields


def comments_baseline(store: CommentStore, rooms: RoomStore,
                      clock: Callable[[], int]) -> RoomKeyedBaseline[CommentsSeed]:
    """Threads' part in the incremental reset (domain/room_keyed_reset.py): a room put back
    gets its fixture threads and attachments again, as a fixture load would give them."""

    def save(room: Room) -> CommentsSeed | None:
        fields = dump(store, room)
        if not fields:
            return None
        return parse_seed(fields.get("threads"), fields.get("attachments"), clock())

    return RoomKeyedBaseline(
        store, rooms,
        held=lambda: [room for room, _ in store.rooms()],
        save=save,
        put_back=lambda room, seed: restore(store, room, seed),
        drop=store.room_deleted,
    )
