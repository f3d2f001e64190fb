"""REST endpoints that reach into live rooms: active users, broadcast, backend presence."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import InvalidInput
from ..domain.room_inputs import require_object
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    ANY_OBJECT,
    INVALID,
    NO_CONTENT,
    NON_EMPTY,
    closed_object,
    in_room,
    ok,
    open_object,
    ref,
)
from .requests import emulator_state, path_room, read_json
from .responses import JSONResponse, no_content

MIN_PRESENCE_TTL = 2
MAX_PRESENCE_TTL = 3599
DEFAULT_PRESENCE_TTL = 60


async def active_users(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    live = state.live.find(room)
    users: list[dict[str, Any]] = []
    if live is not None:
        users = [
            {"type": "user", "id": user_id, "info": info if info is not None else {},
             "connectionId": actor}
            for actor, user_id, info in live.active_users()
        ]
    return JSONResponse({"data": users})


async def broadcast_event(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    # Any JSON value is an event (the seed: "It takes any valid JSON as a request body").
    event = await read_json(request)
    live = state.live.find(room)
    if live is not None:
        live.broadcast_event(event)
    return no_content()


async def set_presence(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = require_object(await read_json(request), "Request body")
    user_id = body.get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise InvalidInput("userId is required and must be a non-empty string")
    data = require_object(body.get("data"), "data")
    info = body.get("userInfo")
    if info is not None:
        info = require_object(info, "userInfo")
    ttl = body.get("ttl", DEFAULT_PRESENCE_TTL)
    if type(ttl) is not int or not MIN_PRESENCE_TTL <= ttl <= MAX_PRESENCE_TTL:
        raise InvalidInput(
            f"ttl must be an integer number of seconds between {MIN_PRESENCE_TTL} and "
            f"{MAX_PRESENCE_TTL}, got {ttl!r}"
        )
    live = state.live.live_room(room)
    live.set_backend_presence(user_id, data, info, ttl, state.call_later)
    return no_content()


# ------------------------------------------------------------------ OpenAPI

ACTIVE_USERS = in_room("Users connected to a room", {"200": ok(ref("ActiveUsers"))})
BROADCAST_EVENT = in_room("Send an event to every connection of a room", {"204": NO_CONTENT},
                          body={"description": "Any JSON value"})
ROOM = "/v2/rooms/{roomId}"

FEATURE = Feature(
    "live",
    [
        # Both spellings: the Node SDK uses the dashed one, the seed the underscored one.
        Endpoint("GET", ROOM + "/active_users", active_users, ACTIVE_USERS),
        Endpoint("GET", ROOM + "/active-users", active_users, ACTIVE_USERS),
        Endpoint("POST", ROOM + "/broadcast_event", broadcast_event, BROADCAST_EVENT),
        Endpoint("POST", ROOM + "/broadcast-event", broadcast_event, BROADCAST_EVENT),
        Endpoint("POST", ROOM + "/presence", set_presence, in_room(
            "Set a backend user's presence for ttl seconds",
            {"204": NO_CONTENT, "422": INVALID},
            body=open_object(
                {
                    "userId": NON_EMPTY,
                    "data": ANY_OBJECT,
                    "userInfo": ref("UserInfo"),
                    "ttl": {"type": "integer", "minimum": MIN_PRESENCE_TTL,
                            "maximum": MAX_PRESENCE_TTL, "default": DEFAULT_PRESENCE_TTL},
                },
                ["userId", "data"],
            ),
        )),
    ],
    schemas={
        "ActiveUsers": closed_object(
            {
                "data": {
                    "type": "array",
                    "items": closed_object(
                        {
                            "type": {"const": "user"},
                            "id": {"type": ["string", "null"]},
                            "info": ANY_OBJECT,
                            "connectionId": {"type": "integer"},
                        },
                        ["type", "id", "info", "connectionId"],
                    ),
                }
            },
            ["data"],
        ),
    },
)
