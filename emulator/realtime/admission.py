"""Who may enter which room over WebSocket (PROTOCOL.md §1.3.1).

A connection brings either the public key (``pubkey``) or a token the emulator
minted (``tok``). The outcome is the room (created on connect where Liveblocks
creates it) and the connection's identity, or a refusal with the close code
the official client understands.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from ..domain.errors import DomainError
from ..domain.room_inputs import RoomCreation, check_room_id
from ..domain.rooms import Room
from ..state import EmulatorState
from .codes import CloseCode
from .session import Identity

STORAGE_WRITE = frozenset({"room:write", "*:write", "storage:write"})
PRESENCE_WRITE = STORAGE_WRITE | {"room:presence:write"}
ENTER = PRESENCE_WRITE | {"room:read", "*:read", "storage:read"}


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Admission:
    room: Room
    identity: Identity
    expires_at: int | None = None  # seconds since the epoch, for token connections


def identity_from_scopes(
    scopes: list[str], user_id: str | None = None, info: object = None
) -> Identity:
    granted = set(scopes)
    return Identity(
        user_id=user_id,
        info=info,
        scopes=scopes,
        can_write_storage=bool(granted & STORAGE_WRITE),
        can_write_presence=bool(granted & PRESENCE_WRITE),
    )


def _room_id(params: Mapping[str, str]) -> str:
    try:
        return check_room_id(params.get("roomId"), "roomId")
    except DomainError as error:
        raise Refused(CloseCode.NOT_ALLOWED, error.message) from None


def admit(state: EmulatorState, params: Mapping[str, str]) -> Admission:
    room_id = _room_id(params)
    if "pubkey" in params:
        return _admit_public_key(state, room_id, params["pubkey"])
    if "tok" in params:
        return _admit_token(state, room_id, params["tok"])
    raise Refused(CloseCode.NOT_ALLOWED, "Missing 'pubkey' or 'tok' in the connection URL")


def _admit_public_key(state: EmulatorState, room_id: str, key: str) -> Admission:
    if not hmac.compare_digest(key.encode(), state.config.public_key.encode()):
        raise Refused(CloseCode.NOT_ALLOWED, "Invalid public key")
    room = state.rooms.find(room_id)
    if room is None:
        # Liveblocks creates a room entered with the public key, open to everyone.
        room = state.rooms.create(RoomCreation(id=room_id, default_accesses=["room:write"]))
    scopes = [scope for scope in room.default_accesses if scope in ENTER]
    if not scopes:
        raise Refused(CloseCode.NOT_ALLOWED, "You have no access to this room")
    return Admission(room, identity_from_scopes(scopes))


def _admit_token(state: EmulatorState, room_id: str, token: str) -> Admission:
    raise Refused(CloseCode.NOT_ALLOWED, "Token authentication is not available yet")
