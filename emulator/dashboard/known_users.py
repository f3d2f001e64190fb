"""Every user id the emulator has heard of, and where from, for the users tab.

There is no user store in Liveblocks: users exist in what names them. So a user is known
from their inbox, their notification settings, a group, a comment (author, mention,
reaction, subscription), a room's ``usersAccesses``, a token minted for them
(``/v2/authorize-user``, ``/v2/identify-user``; kept across resets, as the tokens work on)
or a live connection (the user id of the token it entered with). Read through the stores'
public reading methods only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..domain.comments_model import Thread
from ..state import EmulatorState

INBOX, SETTINGS, GROUP, COMMENTS, ACCESS, CONNECTED, TOKEN = (
    "inbox", "settings", "group", "comments", "room access", "connected", "token")


def _thread_users(thread: Thread) -> Iterable[str]:
    yield from thread.participants()
    yield from thread.subscriptions
    for comment in thread.comments:
        for group in comment.reactions:
            yield from group.users


def known_users(state: EmulatorState) -> dict[str, set[str]]:
    """user id -> where it was seen (the constants above)."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for user_id in state.activity.token_users():
        found[user_id].add(TOKEN)
    for notification in state.inbox:
        found[notification.user_id].add(INBOX)
    for user_id, _ in state.notification_settings.users_with_channel_settings():
        found[user_id].add(SETTINGS)
    for room_settings in state.notification_settings.all_room_settings():
        found[room_settings.user_id].add(SETTINGS)
    for group in state.groups:
        for member in group.members:
            found[member].add(GROUP)
    for _, held in state.comments.rooms():
        for thread in held.threads.values():
            for user_id in _thread_users(thread):
                found[user_id].add(COMMENTS)
    for room in state.rooms:
        for user_id in room.users_accesses:
            found[user_id].add(ACCESS)
        live = state.live.find(room)
        if live is not None:
            for session in live.sessions.values():
                if session.identity.user_id is not None:
                    found[session.identity.user_id].add(CONNECTED)
    return dict(found)
