"""Who makes a personal browser call (``/v2/c/inbox-notifications…``,
``/v2/c/notification-settings``, ``/v2/c/threads…``, ``/v2/c/groups/find``) and what of
theirs they may see (COMMENTS.md §1.2).

The client asks for ``personal:write``, which any valid token of the user satisfies; the
public key names no user, so it gets 403. With an access token Liveblocks ignores the
token's permissions for notifications; with an ID token it only delivers those of rooms
the user may enter (docs, ``notifications/concepts``). A ``thread`` notification travels
with its thread (the client hides it otherwise), so one whose thread is gone or private
to others is not delivered either — and not counted as unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from ..domain.comments_json import subscription_json
from ..domain.comments_model import Thread
from ..domain.errors import Forbidden
from ..domain.groups import DEFAULT_ORGANIZATION, Group
from ..domain.inbox import InboxNotification
from ..domain.permissions import Levels, resource_levels
from ..domain.rooms import Room
from ..domain.tokens import TokenClaims, TokenKind
from ..state import EmulatorState
from .client_caller import client_caller
from .comments.common import thread_out
from .requests import emulator_state


@dataclass(frozen=True, slots=True)
class Personal:
    state: EmulatorState
    user_id: str
    claims: TokenClaims
    organization_id: str
    rooms_seen: dict[str, Levels | None] = field(default_factory=dict)

    # ------------------------------------------------------------ rooms and threads

    def _levels(self, room: Room) -> Levels | None:
        """The caller's levels in a room (None: may not enter), decided once per call:
        an inbox of thousands of notifications names the same few rooms again and again."""
        if room.id not in self.rooms_seen:
            access = self.claims.room_access(room.id, room)
            self.rooms_seen[room.id] = (
                (resource_levels(access.scopes) or {}) if access.may_enter else None)
        return self.rooms_seen[room.id]

    def may_enter(self, room: Room) -> bool:
        return self.claims.kind is TokenKind.ACCESS or self._levels(room) is not None

    def may_read_comments(self, room: Room, visibility: str) -> bool:
        """An access token reads every room's notifications; an ID token those of the
        rooms (and thread visibilities) its accesses open."""
        if self.claims.kind is TokenKind.ACCESS:
            return True
        levels = self._levels(room)
        return levels is not None and levels.get(f"comments:{visibility}", "none") != "none"

    def thread(self, room_id: str | None, thread_id: str | None) -> tuple[Room, Thread] | None:
        if room_id is None or thread_id is None:
            return None
        room = self.state.rooms.peek(room_id)
        held = None if room is None else self.state.comments.find(room)
        thread = None if held is None else held.threads.get(thread_id)
        if room is None or thread is None or not self.may_read_comments(room, thread.visibility):
            return None
        return room, thread

    def delivers(self, notification: InboxNotification) -> bool:
        if notification.organization_id != self.organization_id:
            return False
        if notification.kind == "thread":
            return self.thread(notification.room_id, notification.thread_id) is not None
        if notification.room_id is None or self.claims.kind is TokenKind.ACCESS:
            return True
        room = self.state.rooms.peek(notification.room_id)
        return room is not None and self.may_enter(room)

    # ------------------------------------------------------------ what travels along

    def threads_of(self, notifications: list[InboxNotification]
                   ) -> list[tuple[Room, Thread]]:
        """The threads of the ``thread`` notifications, once each."""
        found: dict[str, tuple[Room, Thread]] = {}
        for notification in notifications:
            pair = self.thread(notification.room_id, notification.thread_id)
            if pair is not None:
                found.setdefault(pair[1].id, pair)
        return list(found.values())

    def thread_json(self, pair: tuple[Room, Thread]) -> dict[str, Any]:
        return thread_out(self.state, pair[0], pair[1])

    def subscriptions(self, threads: list[tuple[Room, Thread]], since_ms: int = 0
                      ) -> list[dict[str, Any]]:
        user = self.user_id
        return [subscription_json(t.id, t.subscriptions[user]) for _, t in threads
                if t.subscriptions.get(user, -1) >= since_ms]

    def groups_json(self, notifications: list[InboxNotification],
                    threads: list[tuple[Room, Thread]]) -> list[dict[str, Any]]:
        """The groups mentioned in what is handed out, so the inbox can name them."""
        wanted: dict[str, None] = {}
        for notification in notifications:
            mention = notification.mention or {}
            if mention.get("kind") == "group" and mention.get("id"):
                wanted[mention["id"]] = None
        for _, thread in threads:
            for comment in thread.comments:
                for group_id in mentioned_group_ids(comment.body):
                    wanted[group_id] = None
        # A mention of a group the backend never made (or deleted) names nothing.
        return [group_json(g) for g in self.state.groups if g.id in wanted]


def group_json(group: Group) -> dict[str, Any]:
    """A group as the client's GroupDataPlain has it: with ``tenantId`` (deprecated, still
    a required field there) beside ``organizationId``."""
    return {**group.to_json(), "tenantId": group.organization_id}


def mentioned_group_ids(body: dict[str, Any] | None) -> list[str]:
    found: dict[str, None] = {}
    for block in (body or {}).get("content", ()):
        for inline in block.get("children", ()):
            if inline.get("type") == "mention" and inline.get("kind") == "group":
                found[inline["id"]] = None
    return list(found)


def personal(request: Request) -> Personal:
    caller = client_caller(request)
    if caller.claims is None:
        raise Forbidden("Personal calls (inbox, notification settings, user threads, groups) "
                        "need a token that names a user; the public key names none",
                        code="PERSONAL_ACCESS_DENIED")
    return Personal(emulator_state(request), caller.user_id, caller.claims,
                    caller.claims.organization_id or DEFAULT_ORGANIZATION)
