"""REST endpoints that reach into live rooms: active users, broadcast, backend presence."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import InvalidInput
from ..domain.room_inputs import require_object
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
    live.set_backend_presence(user_id, data, info, ttl, asyncio.get_running_loop())
    return no_content()
