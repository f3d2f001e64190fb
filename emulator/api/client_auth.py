"""Authentication of the browser client's HTTP calls (``/v2/c/rooms/{roomId}/…``).

The client sends ``Authorization: Bearer <public key>`` or ``Bearer <token>`` (the token of
its auth endpoint). The room's access for that credential is what the call may do, read
or write, as over the WebSocket. Unknown credentials are 403, none 401.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request

from ..domain.errors import Forbidden, Unauthorized
from ..domain.permissions import RoomAccess, access_from_public_key
from ..domain.rooms import Room
from ..domain.tokens import InvalidToken, verify_token
from .requests import emulator_state, path_room


def client_room_access(request: Request) -> tuple[Room, RoomAccess, str | None]:
    """The path's room (RoomNotFound if none), the caller's access to it and its user id."""
    state = emulator_state(request)
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise Unauthorized("Missing Authorization header; send 'Authorization: Bearer "
                           "<public key or token>'", code="MISSING_AUTHORIZATION")
    room = path_room(request)
    if hmac.compare_digest(credential.encode(), state.config.public_key.encode()):
        return room, access_from_public_key(room), None
    try:
        claims = verify_token(credential, state.config.effective_signing_key,
                              state.clock() // 1000)
    except InvalidToken as error:
        raise Forbidden(error.message, code="INVALID_TOKEN") from None
    return room, claims.room_access(room.id, room), claims.user_id


def require_storage(request: Request, *, write: bool) -> tuple[Room, str | None]:
    room, access, user_id = client_room_access(request)
    allowed = access.may_write_storage if write else access.may_read_storage
    if not (access.may_enter and allowed):
        raise Forbidden(f"You may not {'write' if write else 'read'} the storage of this room",
                        code="NOT_ALLOWED")
    return room, user_id
