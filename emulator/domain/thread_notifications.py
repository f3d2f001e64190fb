"""How comments and text mentions fill the inbox (COMMENTS.md §4.6).

Thread notifications, on every new comment C by author A in thread T of room R:

- recipients: T's subscribers, T's participants (commenters and users mentioned in its
  comments) who have not unsubscribed from T, the users @-mentioned in C (a group mention
  names the group's members in ``/v2/groups``, plus any ``userIds`` the mention lists),
  and the users whose room setting ``threads`` is ``"all"`` and who have not unsubscribed
  from T; never A, and nobody whose room setting ``threads`` is ``"none"``;
- a mentioned user whose setting is not ``"none"`` is subscribed to T (so later replies
  reach them too), and so is a user whose setting is ``"all"`` when T is created;
- one notification per (user, thread): made on the first comment, later brought forward
  to the comment's ``createdAt`` (``notifiedAt``), which makes it unread again
  (``readAt`` is kept); A's own notification of T, if any, becomes read up to C;
- edits, reactions, metadata and resolving notify nobody; deleting T deletes its
  notifications (deltas report them as deleted).

Changing a user's room ``threads`` setting rewrites their subscriptions in that room:
``"none"`` drops them all, ``"all"`` follows every thread, ``"replies_and_mentions"``
keeps exactly the threads they take part in.

Text mentions (C27/C28): a mention of a user, or of a group (each member), in a room's
text editor notifies the mentioned users whose room setting ``textMentions`` is not
``"none"``, never the one who wrote the mention; removing the mention removes them.

Times come from the comment (``createdAt``, which the secret API may back-date) or
from the emulator's clock.
"""

from __future__ import annotations

from typing import Any

from .comments import CommentStore
from .comments_model import Comment, Happening, Thread
from .groups import GroupStore
from .inbox import InboxNotification, InboxStore
from .notification_settings import NotificationSettingsStore
from .rooms import Room


def mentions_in(body: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The mention elements of a comment body, in order, once per (kind, id)."""
    if body is None:
        return []
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for block in body.get("content", ()):
        for inline in block.get("children", ()):
            if isinstance(inline, dict) and inline.get("type") == "mention":
                kind = inline.get("kind", "user")
                found.setdefault((kind, str(inline.get("id"))), inline)
    return list(found.values())


class ThreadNotifier:
    """Turns what the comment store tells (``Happening``s) into inbox changes."""

    def __init__(self, comments: CommentStore, inbox: InboxStore,
                 settings: NotificationSettingsStore, groups: GroupStore) -> None:
        self.comments = comments
        self.inbox = inbox
        self.settings = settings
        self.groups = groups

    # ------------------------------------------------------------ mentions

    def group_members(self, group_id: str, listed: list[str] | None = None) -> list[str]:
        """Who a mention of the group reaches: its members in ``/v2/groups`` (unless the
        group may not be mentioned, ``scopes.mention: false``), plus the ``userIds`` the
        mention itself lists (what the client knew when it wrote the mention)."""
        members: dict[str, None] = {}
        group = self.groups.find(group_id)
        if group is not None and group.mention:
            members.update(dict.fromkeys(group.members))
        members.update(dict.fromkeys(u for u in listed or () if isinstance(u, str) and u))
        return list(members)

    def mentioned_users(self, body: dict[str, Any] | None) -> list[str]:
        """Users a comment body mentions, directly or through a group, once each."""
        users: dict[str, None] = {}
        for mention in mentions_in(body):
            if mention.get("kind", "user") == "user":
                users[str(mention["id"])] = None
            else:
                users.update(dict.fromkeys(
                    self.group_members(str(mention["id"]), mention.get("userIds"))))
        return list(users)

    # ------------------------------------------------------------ comments

    def happened(self, room: Room, happened: list[Happening]) -> None:
        """The comment store's listener: a new thread, a new comment, a deleted thread."""
        for happening in happened:
            if happening.event == "threadCreated":
                thread = self._thread(room, happening.thread_id)
                if thread is not None:
                    self.thread_created(room, thread)
            elif happening.event == "commentCreated" and happening.comment_id is not None:
                thread = self._thread(room, happening.thread_id)
                comment = None if thread is None else thread.comment(happening.comment_id)
                if thread is not None and comment is not None:
                    self.comment_created(room, thread, comment)
            elif happening.event == "threadDeleted":
                self.thread_deleted(room.id, happening.thread_id)

    def _thread(self, room: Room, thread_id: str) -> Thread | None:
        held = self.comments.find(room)
        return None if held is None else held.threads.get(thread_id)

    def thread_created(self, room: Room, thread: Thread) -> None:
        """Users who want every thread of the room follow the new one."""
        for user in self.settings.users_in_room(room.id, threads="all"):
            self.comments.subscribe(room, thread.id, user)

    def recipients(self, room: Room, thread: Thread, comment: Comment) -> list[str]:
        """Who a new comment notifies (see the module docstring); subscribes the mentioned."""
        author = comment.user_id
        mentioned = [u for u in self.mentioned_users(comment.body) if u != author]
        for user in mentioned:
            if self.settings.threads_setting(room.id, user) != "none":
                self.comments.subscribe(room, thread.id, user)
        candidates: dict[str, None] = dict.fromkeys(thread.subscriptions)
        for user in thread.participants():
            if user not in thread.unsubscribed:
                candidates[user] = None
        for user in self.settings.users_in_room(room.id, threads="all"):
            if user not in thread.unsubscribed:
                candidates[user] = None
        candidates.update(dict.fromkeys(mentioned))
        candidates.pop(author, None)
        for user in self.settings.users_in_room(room.id, threads="none"):
            candidates.pop(user, None)
        return list(candidates)

    def comment_created(self, room: Room, thread: Thread, comment: Comment
                        ) -> list[InboxNotification]:
        at = comment.created_ms
        notified = self.inbox.notify_thread_users(self.recipients(room, thread, comment),
                                                  room.id, thread.id, room.organization_id,
                                                  at_ms=at)
        own = self.inbox.thread_notification(comment.user_id, thread.id)
        if own is not None:
            self.inbox.notify_thread(comment.user_id, room.id, thread.id,
                                     room.organization_id, at_ms=at, read=True)
        return notified

    def thread_deleted(self, room_id: str, thread_id: str) -> None:
        self.inbox.delete(self.inbox.of_thread(thread_id, room_id))

    # ------------------------------------------------------------ settings

    def room_threads_setting_changed(self, room: Room, user_id: str) -> None:
        """Rewrite the user's subscriptions in the room after their ``threads`` setting
        changed (or went back to the default)."""
        setting = self.settings.threads_setting(room.id, user_id)
        for thread in self.comments.threads(room):
            if setting == "all" or (setting == "replies_and_mentions"
                                    and user_id in thread.participants()):
                if user_id not in thread.subscriptions:
                    self.comments.subscribe(room, thread.id, user_id)
            elif user_id in thread.subscriptions:
                self.comments.unsubscribe(room, thread.id, user_id)

    # ------------------------------------------------------------ text mentions

    def text_mention_created(self, room: Room, *, created_by: str, mention_id: str,
                             user_id: str | None = None, group_id: str | None = None,
                             user_ids: list[str] | None = None) -> list[InboxNotification]:
        """C27: the editor reports a mention of a user (or of a group's members)."""
        mention: dict[str, Any]
        if user_id is not None:
            mention = {"kind": "user", "id": user_id}
            users = [user_id]
        elif group_id is not None:
            mention = {"kind": "group", "id": group_id}
            if user_ids is not None:
                mention["userIds"] = list(user_ids)
            users = self.group_members(group_id, user_ids)
        else:
            return []
        return [self.inbox.text_mention(user, room.id, room.organization_id,
                                        created_by=created_by, mention_id=mention_id,
                                        mention=dict(mention))
                for user in users
                if user != created_by
                and self.settings.text_mentions_setting(room.id, user) != "none"]

    def text_mention_deleted(self, room: Room, mention_id: str) -> None:
        """C28: the mention left the document; so do its notifications."""
        self.inbox.delete(self.inbox.of_mention(mention_id, room.id))
