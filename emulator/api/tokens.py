"""Token endpoints: the current authorize-user / identify-user and the seed's room authorize.

Every one answers 200 with ``{"token": "<jwt>"}``, the body both SDKs parse
(the Node SDK hands it on as text), and mints a new token string on each call.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Forbidden
from ..domain.permissions import MAX_ROOM_PATTERNS, ROOM_PATTERN, access_from_public_key
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
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    INVALID,
    JWT,
    NON_EMPTY,
    Json,
    closed_object,
    error,
    in_room,
    nullable,
    ok,
    open_object,
    operation,
    ref,
    string,
)
from .requests import emulator_state, path_room, read_json
from .responses import JSONResponse
from .rooms import ORGANIZATION_ID


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
    if not (isinstance(token_request, IdTokenRequest) and token_request.anonymous):
        state.activity.note_token_user(token_request.user_id)
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


# ------------------------------------------------------------------ OpenAPI

ID_TOKEN_FIELDS: Json = {
    "groupIds": nullable({"type": "array", "items": NON_EMPTY}),
    "userInfo": ref("UserInfo"),
    "organizationId": nullable(ORGANIZATION_ID),
}


def room_token(summary: str, forbidden: str, body: Json, *, secret: bool = True) -> Json:
    """The seed's room authorize endpoints: an optional body, a token, 403 when refused."""
    return in_room(
        summary,
        {"200": ok(ref("Token")), "403": error("403", forbidden), "422": INVALID},
        body=body,
        body_required=False,
        secret=secret,
    )


FEATURE = Feature(
    "tokens",
    [
        Endpoint("POST", "/v2/authorize-user", authorize_user, operation(
            "tokens",
            "An access token holding the permissions asked for",
            {"200": ok(ref("Token")), "422": INVALID},
            body=open_object(
                {
                    "userId": NON_EMPTY,
                    "permissions": {
                        "type": "object",
                        "description": "Room id, 'prefix*' or '*' → permissions",
                        "maxProperties": MAX_ROOM_PATTERNS,
                        "propertyNames": string(pattern=f"^({ROOM_PATTERN.pattern})$"),
                        "additionalProperties": {"type": "array", "items": ref("Permission"),
                                                 "minItems": 1},
                    },
                    "userInfo": ref("UserInfo"),
                    "organizationId": nullable(ORGANIZATION_ID),
                },
                ["userId", "permissions"],
            ),
        )),
        Endpoint("POST", "/v2/identify-user", identify_user, operation(
            "tokens", "An ID token (the rooms' accesses decide at the door)",
            {"200": ok(ref("Token")), "422": INVALID}, body=ref("IdentifyUser"))),
        Endpoint("POST", "/v2/rooms/{roomId}/authorize", authorize_room, room_token(
            "Seed authorize: an ID token for the room (anonymous without userId)",
            "Not the secret key, or an anonymous user for a private room (USER_ID_REQUIRED)",
            open_object({"userId": nullable(NON_EMPTY), **ID_TOKEN_FIELDS}),
        )),
        # The public key is the credential here: no secret.
        Endpoint("POST", "/v2/rooms/{roomId}/public/authorize", authorize_public_room,
                 room_token(
            "Seed public authorize: an anonymous ID token, for the public key",
            "Not the public key (INVALID_PUBLIC_KEY), or a room whose defaultAccesses do not "
            "allow writing (ROOM_NOT_PUBLIC)",
            open_object({"publicApiKey": string(examples=["pk_localdev"])}, ["publicApiKey"]),
            secret=False,
        ), guard=None),
    ],
    schemas={
        "Token": closed_object(
            {"token": string(pattern=JWT, description="A JWT signed with HS256")}, ["token"]),
        "UserInfo": {"type": ["object", "null"], "description": "Any JSON object about the user"},
        "IdentifyUser": open_object({"userId": NON_EMPTY, **ID_TOKEN_FIELDS}, ["userId"]),
    },
)
