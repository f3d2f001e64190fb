"""The comments store: threads, comments, reactions and metadata of every room.

Keyed by the Room object (compared by identity, like the live hub), so a renamed room
keeps its threads and a deleted room's threads go with it (``room_deleted``). Every
change returns nothing but tells ``on_change`` what happened (``Happening``s), which the
state turns into WebSocket messages and webhook events.

Attachments live in ``comments_attachments``; the query language in ``comments_query``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .clock import format_ms
from .comments_inputs import Metadata, patched_metadata
from .comments_model import Comment, Happening, ReactionGroup, RoomComments, Thread, new_id
from .errors import Conflict, InvalidInput, NotFound
from .rooms import Room

# (room, the thread's visibility, what happened)
ChangeListener = Callable[[Room, str, list[Happening]], None]


class ThreadNotFound(NotFound):
    default_code = "THREAD_NOT_FOUND"


class CommentNotFound(NotFound):
    default_code = "COMMENT_NOT_FOUND"


class CommentStore:
    def __init__(self, clock: Callable[[], int]) -> None:
        self.clock = clock
        self._rooms: dict[Room, RoomComments] = {}
        self.on_change: ChangeListener | None = None

    # ------------------------------------------------------------ rooms

    def find(self, room: Room) -> RoomComments | None:
        return self._rooms.get(room)

    def of(self, room: Room) -> RoomComments:
        held = self._rooms.get(room)
        if held is None:
            held = self._rooms[room] = RoomComments()
        return held

    def rooms(self) -> Iterator[tuple[Room, RoomComments]]:
        yield from self._rooms.items()

    def room_deleted(self, room: Room) -> None:
        self._rooms.pop(room, None)

    def clear(self) -> None:
        self._rooms = {}

    def thread_count(self) -> int:
        return sum(len(held.threads) for held in self._rooms.values())

    # ------------------------------------------------------------ reading

    def threads(self, room: Room) -> list[Thread]:
        """The room's threads, oldest first (as useThreads shows them)."""
        held = self._rooms.get(room)
        if held is None:
            return []
        return sorted(held.threads.values(), key=lambda t: (t.created_ms, t.id))

    def thread(self, room: Room, thread_id: str) -> Thread:
        held = self._rooms.get(room)
        thread = None if held is None else held.threads.get(thread_id)
        if thread is None:
            raise ThreadNotFound(f"Thread '{thread_id}' was not found in room '{room.id}'")
        return thread

    def comment(self, room: Room, thread_id: str, comment_id: str) -> tuple[Thread, Comment]:
        thread = self.thread(room, thread_id)
        comment = thread.comment(comment_id)
        if comment is None:
            raise CommentNotFound(
                f"Comment '{comment_id}' was not found in thread '{thread_id}'"
            )
        return thread, comment

    def live_comment(self, room: Room, thread_id: str, comment_id: str) -> tuple[Thread, Comment]:
        thread, comment = self.comment(room, thread_id, comment_id)
        if comment.is_deleted:
            raise CommentNotFound(f"Comment '{comment_id}' was deleted")
        return thread, comment

    def deleted_since(self, room: Room, since_ms: int) -> list[tuple[str, int]]:
        held = self._rooms.get(room)
        if held is None:
            return []
        return [(tid, ms) for tid, ms in held.deleted_threads.items() if ms >= since_ms]

    # ------------------------------------------------------------ threads

    def create_thread(
        self,
        room: Room,
        *,
        user_id: str,
        body: dict[str, Any],
        thread_id: str | None = None,
        comment_id: str | None = None,
        visibility: str = "public",
        metadata: Metadata | None = None,
        comment_metadata: Metadata | None = None,
        attachment_ids: list[str] | None = None,
        at_ms: int | None = None,
    ) -> Thread:
        held = self.of(room)
        thread_id = thread_id or new_id("th")
        if thread_id in held.threads or thread_id in held.deleted_threads:
            raise Conflict(f"Thread '{thread_id}' already exists in room '{room.id}'",
                           code="THREAD_ALREADY_EXISTS")
        now = self.clock()
        created = now if at_ms is None else at_ms
        comment_id = comment_id or new_id("cm")
        attached = self._claim_attachments(held, attachment_ids or [], comment_id)
        thread = Thread(thread_id, created, max(now, created), visibility,
                        dict(metadata or {}))
        comment = Comment(comment_id, thread_id, user_id, created, body,
                          dict(comment_metadata or {}), attached)
        thread.comments.append(comment)
        thread.subscriptions[user_id] = now
        held.threads[thread_id] = thread
        self._tell(room, thread, [
            Happening("THREAD_CREATED", thread_id, "threadCreated", {
                "roomId": room.id, "threadId": thread_id,
                "createdAt": format_ms(created), "createdBy": user_id}),
            self._comment_created(room, comment),
        ])
        return thread

    def delete_thread(self, room: Room, thread_id: str) -> None:
        held = self.of(room)
        self.thread(room, thread_id)
        self._drop_thread(room, held, thread_id, [])

    def edit_thread_metadata(
        self, room: Room, thread_id: str, patch: dict[str, Any], user_id: str,
        at_ms: int | None = None,
    ) -> Metadata:
        thread = self.thread(room, thread_id)
        thread.metadata = patched_metadata(thread.metadata, patch, "metadata")
        at = self._touch(thread, at_ms)
        self._tell(room, thread, [Happening("THREAD_METADATA_UPDATED", thread_id,
                                            "threadMetadataUpdated", {
            "roomId": room.id, "threadId": thread_id,
            "updatedAt": format_ms(at), "updatedBy": user_id})])
        return thread.metadata

    def set_resolved(self, room: Room, thread_id: str, resolved: bool, user_id: str) -> Thread:
        thread = self.thread(room, thread_id)
        thread.resolved = resolved
        at = self._touch(thread, None)
        event = "threadMarkedAsResolved" if resolved else "threadMarkedAsUnresolved"
        self._tell(room, thread, [Happening("THREAD_UPDATED", thread_id, event, {
            "roomId": room.id, "threadId": thread_id,
            "updatedAt": format_ms(at), "updatedBy": user_id})])
        return thread

    def subscribe(self, room: Room, thread_id: str, user_id: str) -> int:
        """Follow a thread; returns since when (an existing subscription keeps its time)."""
        thread = self.thread(room, thread_id)
        thread.unsubscribed.pop(user_id, None)
        return thread.subscriptions.setdefault(user_id, self.clock())

    def unsubscribe(self, room: Room, thread_id: str, user_id: str) -> None:
        thread = self.thread(room, thread_id)
        if thread.subscriptions.pop(user_id, None) is not None:
            thread.unsubscribed[user_id] = self.clock()

    # ------------------------------------------------------------ comments

    def create_comment(
        self,
        room: Room,
        thread_id: str,
        *,
        user_id: str,
        body: dict[str, Any],
        comment_id: str | None = None,
        metadata: Metadata | None = None,
        attachment_ids: list[str] | None = None,
        at_ms: int | None = None,
    ) -> Comment:
        held = self.of(room)
        thread = self.thread(room, thread_id)
        comment_id = comment_id or new_id("cm")
        if thread.comment(comment_id) is not None:
            raise Conflict(f"Comment '{comment_id}' already exists",
                           code="COMMENT_ALREADY_EXISTS")
        attached = self._claim_attachments(held, attachment_ids or [], comment_id)
        now = self.clock()
        created = now if at_ms is None else at_ms
        comment = Comment(comment_id, thread_id, user_id, created, body, dict(metadata or {}),
                          attached)
        thread.comments.append(comment)
        thread.comments.sort(key=lambda c: c.created_ms)
        thread.touch(max(now, created))
        if user_id not in thread.subscriptions:
            thread.subscriptions[user_id] = now
            thread.unsubscribed.pop(user_id, None)
        self._tell(room, thread, [self._comment_created(room, comment)])
        return comment

    def edit_comment(
        self,
        room: Room,
        thread_id: str,
        comment_id: str,
        *,
        body: dict[str, Any],
        attachment_ids: list[str] | None = None,
        metadata_patch: dict[str, Any] | None = None,
        at_ms: int | None = None,
    ) -> Comment:
        held = self.of(room)
        thread, comment = self.live_comment(room, thread_id, comment_id)
        metadata = (comment.metadata if metadata_patch is None
                    else patched_metadata(comment.metadata, metadata_patch, "metadata"))
        if attachment_ids is not None:
            kept = [a for a in attachment_ids if a in comment.attachment_ids]
            added = self._claim_attachments(
                held, [a for a in attachment_ids if a not in kept], comment_id)
            for gone in set(comment.attachment_ids) - set(attachment_ids):
                held.attachments.pop(gone, None)
            comment.attachment_ids = [a for a in attachment_ids if a in kept or a in added]
        comment.body = body
        comment.metadata = metadata
        at = self._touch(thread, at_ms)
        comment.edited_ms = at
        self._tell(room, thread, [Happening("COMMENT_EDITED", thread_id, "commentEdited", {
            "roomId": room.id, "threadId": thread_id, "commentId": comment_id,
            "editedAt": format_ms(at)}, comment_id=comment_id)])
        return comment

    def delete_comment(self, room: Room, thread_id: str, comment_id: str) -> None:
        held = self.of(room)
        thread, comment = self.live_comment(room, thread_id, comment_id)
        at = self._touch(thread, None)
        comment.deleted_ms = at
        comment.body = None
        comment.reactions = []
        for attachment_id in comment.attachment_ids:
            held.attachments.pop(attachment_id, None)
        comment.attachment_ids = []
        happened = [Happening("COMMENT_DELETED", thread_id, "commentDeleted", {
            "roomId": room.id, "threadId": thread_id, "commentId": comment_id,
            "deletedAt": format_ms(at)}, comment_id=comment_id)]
        if not thread.live_comments:
            # A thread without comments is gone (Liveblocks deletes it; the client too).
            self._drop_thread(room, held, thread_id, happened)
        else:
            self._tell(room, thread, happened)

    def edit_comment_metadata(
        self, room: Room, thread_id: str, comment_id: str, patch: dict[str, Any],
        user_id: str, at_ms: int | None = None,
    ) -> Metadata:
        thread, comment = self.live_comment(room, thread_id, comment_id)
        comment.metadata = patched_metadata(comment.metadata, patch, "metadata")
        at = self._touch(thread, at_ms)
        self._tell(room, thread, [Happening("COMMENT_METADATA_UPDATED", thread_id,
                                    "commentMetadataUpdated", {
            "roomId": room.id, "threadId": thread_id, "commentId": comment_id,
            "updatedAt": format_ms(at), "updatedBy": user_id}, comment_id=comment_id)])
        return comment.metadata

    # ------------------------------------------------------------ reactions

    def add_reaction(
        self, room: Room, thread_id: str, comment_id: str, user_id: str, emoji: str,
        *, at_ms: int | None = None, strict: bool = False,
    ) -> int:
        """Add a reaction; returns its time. ``strict``: a repeat is an error (secret API)
        rather than a no-op (the browser toggles)."""
        thread, comment = self.live_comment(room, thread_id, comment_id)
        group = comment.reaction(emoji)
        if group is not None and user_id in group.users:
            if strict:
                raise Conflict(f"User '{user_id}' already reacted with {emoji} to this comment",
                               code="REACTION_ALREADY_EXISTS")
            return group.users[user_id]
        at = self.clock() if at_ms is None else at_ms
        if group is None:
            comment.reactions.append(ReactionGroup(emoji, {user_id: at}))
        else:
            group.users[user_id] = at
        self._touch(thread, None)
        self._tell(room, thread, [Happening("COMMENT_REACTION_ADDED", thread_id,
                                            "commentReactionAdded", {
            "roomId": room.id, "threadId": thread_id, "commentId": comment_id, "emoji": emoji,
            "addedAt": format_ms(at), "addedBy": user_id}, comment_id=comment_id, emoji=emoji)])
        return at

    def remove_reaction(
        self, room: Room, thread_id: str, comment_id: str, user_id: str, emoji: str,
        *, at_ms: int | None = None, strict: bool = False,
    ) -> None:
        thread, comment = self.live_comment(room, thread_id, comment_id)
        group = comment.reaction(emoji)
        if group is None or user_id not in group.users:
            if strict:
                raise NotFound(f"User '{user_id}' has no {emoji} reaction on this comment",
                               code="REACTION_NOT_FOUND")
            return
        del group.users[user_id]
        if not group.users:
            comment.reactions.remove(group)
        self._touch(thread, None)
        at = self.clock() if at_ms is None else at_ms
        self._tell(room, thread, [Happening("COMMENT_REACTION_REMOVED", thread_id,
                                    "commentReactionRemoved", {
            "roomId": room.id, "threadId": thread_id, "commentId": comment_id, "emoji": emoji,
            "removedAt": format_ms(at), "removedBy": user_id}, comment_id=comment_id,
            emoji=emoji)])

    # ------------------------------------------------------------ helpers

    def _touch(self, thread: Thread, at_ms: int | None) -> int:
        thread.touch(self.clock())
        return thread.updated_ms if at_ms is None else at_ms

    def _comment_created(self, room: Room, comment: Comment) -> Happening:
        return Happening("COMMENT_CREATED", comment.thread_id, "commentCreated", {
            "roomId": room.id, "threadId": comment.thread_id, "commentId": comment.id,
            "createdAt": format_ms(comment.created_ms), "createdBy": comment.user_id},
            comment_id=comment.id)

    def _drop_thread(self, room: Room, held: RoomComments, thread_id: str,
                     happened: list[Happening]) -> None:
        thread = held.threads.pop(thread_id)
        now = self.clock()
        held.deleted_threads[thread_id] = now
        for comment in thread.comments:
            for attachment_id in comment.attachment_ids:
                held.attachments.pop(attachment_id, None)
        happened.append(Happening("THREAD_DELETED", thread_id, "threadDeleted", {
            "roomId": room.id, "threadId": thread_id, "deletedAt": format_ms(now)}))
        self._tell(room, thread, happened)

    def _claim_attachments(self, held: RoomComments, ids: list[str], comment_id: str) -> list[str]:
        """Draft attachments become the comment's; an unknown or taken id refuses all."""
        for attachment_id in ids:
            attachment = held.attachments.get(attachment_id)
            if attachment is None:
                raise InvalidInput(f"attachmentIds: attachment '{attachment_id}' was not "
                                   "uploaded to this room", code="ATTACHMENT_NOT_FOUND")
            if attachment.comment_id not in (None, comment_id):
                raise InvalidInput(f"attachmentIds: attachment '{attachment_id}' already "
                                   "belongs to another comment")
        for attachment_id in ids:
            held.attachments[attachment_id].comment_id = comment_id
        return list(dict.fromkeys(ids))

    def _tell(self, room: Room, thread: Thread, happened: list[Happening]) -> None:
        if self.on_change is not None:
            self.on_change(room, thread.visibility, happened)
