"""What a WebSocket connection changed, told to ``state.events`` (webhooks, the dashboard).

The endpoint calls these at its three moments: a client joined, a client left, a
client frame was handled. (``storageUpdated`` comes from the one place every storage write
ends, ``EmulatorState.storage_updated``.) Keeping the emits here leaves ``LiveRoom`` untouched: it
only relays and applies, and this module reads what came out.

Events: ``userEntered`` / ``userLeft`` (WEBHOOKS.md §2.1, without ``projectId``) and
``emulator.presenceUpdated`` (dashboard only: ``roomId``, ``connectionId``, ``presence``).
"""

from __future__ import annotations

from typing import Any

from ..domain.activity import Entry
from ..domain.clock import format_ms
from ..state import EmulatorState
from .codes import ClientMsg
from .live_room import LiveRoom
from .session import Session


def _user_event(
    state: EmulatorState, live: LiveRoom, session: Session, when: str
) -> dict[str, Any]:
    identity = session.identity
    return {
        "roomId": live.room.id,
        "connectionId": session.actor,
        "userId": identity.user_id,
        "userInfo": identity.info,
        when: format_ms(state.clock()),
        "numActiveUsers": len(live.sessions) + len(live.backend_users),
    }


def entered(state: EmulatorState, live: LiveRoom, session: Session) -> None:
    state.events.emit("userEntered", _user_event(state, live, session, "enteredAt"))


def left(state: EmulatorState, live: LiveRoom, session: Session) -> None:
    state.events.emit("userLeft", _user_event(state, live, session, "leftAt"))


def frame_handled(
    state: EmulatorState,
    live: LiveRoom,
    session: Session,
    messages: list[Any],
) -> None:
    room_id = live.room.id
    _log(state, room_id, session.actor, messages)
    if not session.identity.can_write_presence:
        return
    changed = False
    for message in messages:
        # handle_frame has checked the shape: a presence message has an object `data`.
        if isinstance(message, dict) and message.get("type") == ClientMsg.UPDATE_PRESENCE:
            # targetActor marks a full presence; without it, data is a patch.
            if "targetActor" in message:
                session.presence = dict(message["data"])
            else:
                session.presence.update(message["data"])
            changed = True
    if changed:
        state.events.emit("emulator.presenceUpdated", {
            "roomId": room_id, "connectionId": session.actor, "presence": session.presence})


def _describe(message: Any) -> str:
    if not isinstance(message, dict):
        return "?"
    kind: Any = message.get("type")
    try:
        name = ClientMsg(kind).name
    except ValueError:
        name = str(kind)
    ops = message.get("ops")
    return f"{name} ({len(ops)} ops)" if isinstance(ops, list) else name


def _log(state: EmulatorState, room_id: str, actor: int, messages: list[Any]) -> None:
    what = ", ".join(_describe(message) for message in messages[:10])
    if len(messages) > 10:
        what += f", … {len(messages) - 10} more"
    state.activity.record(Entry(state.clock(), "ws", room_id, what, actor=actor))
