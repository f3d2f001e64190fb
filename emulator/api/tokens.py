"""Token endpoints: the current authorize-user / identify-user and the seed's room authorize.

Every one answers 200 with ``{"token": "<jwt>"}``, the body both SDKs parse
(the Node SDK hands it on as text), and mints a new token string on each call.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Forbidden
from ..domain.permissions import access_from_public_key
from ..domain.room_inputs import require_object
from ..domain.tokens import (
    AccessTokenRequest,
    IdTokenRequest,
    mint_access_token,
    mint_id_token,
    parse_access_token_request,
    parse_id_token_request,
)
from ..state import EmulatorState
from .requests import emulator_state, path_room, read_json
from .responses import JSONResponse


def _token_response(
    state: EmulatorState, token_request: AccessTokenRequest | IdTokenRequest
) -> Response:
    config = state.config
    key, ttl = config.effective_signing_key, config.token_ttl_seconds
    now = state.clock() // 1000
    if isinstance(token_request, AccessTokenRequest):
        token = mint_access_token(token_request, key=key, now_seconds=now, ttl_seconds=ttl)
    else:
        token = mint_id_token(token_request, key=key, now_seconds=now, ttl_seconds=ttl)
    return JSONResponse({"token": token})


async def authorize_user(request: Request) -> Response:
    """``POST /v2/authorize-user``: an access token holding the permissions asked for."""
    token_request = parse_access_token_request(await read_json(request))
    return _token_response(emulator_state(request), token_request)


async def identify_user(request: Request) -> Response:
    """``POST /v2/identify-user``: an ID token; the rooms' accesses decide at the door."""
    token_request = parse_id_token_request(await read_json(request))
    return _token_response(emulator_state(request), token_request)


async def authorize_room(request: Request) -> Response:
    """Seed ``POST /v2/rooms/{roomId}/authorize`` (``userId``?, ``groupIds``, ``userInfo``).

    It mints an **ID token**. The seed's endpoint returned a legacy room token
    (``k: "sec-legacy"``) that the 3.x client no longer accepts; of the two kinds
    it does accept, the ID token keeps the seed's meaning: the token says who
    the user is, and the room's ``defaultAccesses``/``usersAccesses``/
    ``groupsAccesses`` are checked each time it is used to enter, so a later
    change to the room's permissions applies on the next connection. (An
    access token would freeze the permissions of the moment it was minted.)

    Without ``userId`` the user is anonymous (a fresh ``anonymous-…`` id, as
    Liveblocks makes up one per anonymous user), which only works for rooms
    whose default accesses let everyone in: a private room needs a ``userId``.
    """
    state = emulator_state(request)
    room = path_room(request)
    token_request = parse_id_token_request(await read_json(request, empty={}), allow_anonymous=True)
    if token_request.anonymous and not access_from_public_key(room).may_enter:
        raise Forbidden(
            f"Room '{room.id}' is private: pass the userId of a user its accesses let in",
            code="USER_ID_REQUIRED",
        )
    return _token_response(state, token_request)


async def authorize_public_room(request: Request) -> Response:
    """Seed ``POST /v2/rooms/{roomId}/public/authorize`` with ``{publicApiKey}``, no secret.

    Only for public rooms (default accesses that let everyone write). Like the
    seed's authorize, it mints an ID token for an anonymous user, so the room's
    default accesses are checked again whenever the token is used.
    """
    state = emulator_state(request)
    body = require_object(await read_json(request, empty={}), "Request body")
    key = body.get("publicApiKey")
    expected = state.config.public_key
    if not isinstance(key, str) or not hmac.compare_digest(key.encode(), expected.encode()):
        raise Forbidden(
            "Invalid publicApiKey: send the emulator's public key as {\"publicApiKey\": …}",
            code="INVALID_PUBLIC_KEY",
            suggestion="The emulator prints its public key at start (pk_localdev by default)",
        )
    room = path_room(request)
    if not access_from_public_key(room).may_write_storage:
        raise Forbidden(
            f"Room '{room.id}' is not public: the public key only authorizes rooms whose "
            "defaultAccesses allow writing (e.g. [\"room:write\"])",
            code="ROOM_NOT_PUBLIC",
        )
    return _token_response(state, parse_id_token_request({}, allow_anonymous=True))
