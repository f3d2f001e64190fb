"""Who may enter which room over WebSocket (PROTOCOL.md §1.3.1).

A connection brings either the public key (``pubkey``) or a token the emulator
minted (``tok``). The outcome is the room (created on connect where Liveblocks
creates it) and the connection's identity, or a refusal with the close code
the official client understands: 4109 for an expired token (it fetches a new
one at once), 4001 for everything else (it stops).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from ..domain.errors import DomainError
from ..domain.permissions import RoomAccess, access_from_public_key
from ..domain.room_inputs import RoomCreation, check_room_id
from ..domain.rooms import Room
from ..domain.tokens import InvalidToken, TokenKind, TokenRefusal, verify_token
from ..state import EmulatorState
from .codes import CloseCode
from .session import Identity

NO_ACCESS_REASON = "You have no access to this room"


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


def identity_for(access: RoomAccess, user_id: str | None = None, info: object = None) -> Identity:
    return Identity(
        user_id=user_id,
        info=info,
        scopes=access.scopes,
        can_read_storage=access.may_read_storage,
        can_write_storage=access.may_write_storage,
        can_write_presence=access.may_write_presence,
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
        room = state.create_room(RoomCreation(id=room_id, default_accesses=["room:write"]))
    access = access_from_public_key(room)
    if not access.may_enter:
        raise Refused(CloseCode.NOT_ALLOWED, NO_ACCESS_REASON)
    return Admission(room, identity_for(access))


def _admit_token(state: EmulatorState, room_id: str, token: str) -> Admission:
    now_seconds = state.clock() // 1000
    try:
        claims = verify_token(token, state.config.effective_signing_key, now_seconds)
    except InvalidToken as error:
        code = (CloseCode.TOKEN_EXPIRED if error.reason is TokenRefusal.EXPIRED
                else CloseCode.NOT_ALLOWED)
        raise Refused(code, error.message) from None
    room = state.rooms.find(room_id)
    access = claims.room_access(room_id, room)
    if not access.may_enter:
        raise Refused(CloseCode.NOT_ALLOWED, NO_ACCESS_REASON)
    if room is None:
        # An access token that grants the room creates it, private (Liveblocks does the same).
        assert claims.kind is TokenKind.ACCESS
        room = state.create_room(RoomCreation(id=room_id, default_accesses=[]))
    identity = identity_for(access, claims.user_id, claims.user_info)
    return Admission(room, identity, expires_at=claims.expires_at)
