"""Room endpoints: list, create, get, update, delete, upsert, rename, prewarm."""

from __future__ import annotations

from typing import NoReturn
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import InvalidInput
from ..domain.room_inputs import (
    apply_update_to_creation,
    check_organization_id,
    check_room_id,
    parse_creation,
    parse_update,
    require_object,
)
from ..domain.room_query import RoomFilter
from .requests import emulator_state, query_int, read_json
from .responses import JSONResponse, no_content
from .room_json import room_json


def _room_id(request: Request) -> str:
    room_id: str = request.path_params["room_id"]
    return room_id


async def list_rooms(request: Request) -> Response:
    params = request.query_params
    limit = query_int(request, "limit", default=20, low=1, high=100)
    group_ids = tuple(g for g in (params.get("groupIds") or "").split(",") if g)
    room_filter = RoomFilter(
        metadata_equals={
            key[len("metadata.") :]: value
            for key, value in params.multi_items()
            if key.startswith("metadata.")
        },
        user_id=params.get("userId") or None,
        group_ids=group_ids,
        organization_id=params.get("organizationId") or None,
        query=params.get("query") or None,
    )
    page = emulator_state(request).rooms.page(
        limit=limit,
        starting_after=params.get("startingAfter") or None,
        predicate=room_filter.compile(),
    )
    next_page = None
    if page.next_cursor is not None:
        # Keep the caller's filters so following nextPage walks the same set.
        kept = [(k, v) for k, v in params.multi_items() if k != "startingAfter"]
        next_page = "/v2/rooms?" + urlencode([*kept, ("startingAfter", page.next_cursor)])
    return JSONResponse(
        {
            "nextCursor": page.next_cursor,
            "nextPage": next_page,
            "data": [room_json(room) for room in page.rooms],
        }
    )


async def create_room(request: Request) -> Response:
    creation = parse_creation(await read_json(request))
    rooms = emulator_state(request).rooms
    # `?idempotent` alone or `=true` (the Python SDK sends the boolean as text).
    if request.scope["query_string"] and request.query_params.get(
        "idempotent", "false"
    ).lower() in ("", "true", "1"):
        existing = rooms.find(creation.id)
        if existing is not None:
            return JSONResponse(room_json(existing))
    return JSONResponse(room_json(rooms.create(creation)))


async def get_room(request: Request) -> Response:
    return JSONResponse(room_json(emulator_state(request).rooms.get(_room_id(request))))


async def update_room(request: Request) -> Response:
    update = parse_update(await read_json(request))
    return JSONResponse(room_json(emulator_state(request).rooms.update(_room_id(request), update)))


async def delete_room(request: Request) -> Response:
    # Idempotent, like Liveblocks' dev server: clean-up code never has to check first.
    emulator_state(request).delete_room(_room_id(request))
    return no_content()


async def upsert_room(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    if "update" not in body:
        raise_missing("update")
    update = parse_update(body["update"])
    room_id = _room_id(request)
    rooms = emulator_state(request).rooms
    if room_id in rooms:
        return JSONResponse(room_json(rooms.update(room_id, update)))
    # Create from `create`, then let `update` win, as if created then updated;
    # the merge is checked before anything is stored.
    create = body.get("create")
    create_fields = {} if create is None else require_object(create, "create")
    # The id comes from the URL: hold it to the same rules as a created room's id.
    room_id = check_room_id(room_id, "roomId")
    creation = parse_creation({"defaultAccesses": [], **create_fields}, room_id=room_id)
    apply_update_to_creation(creation, update)
    return JSONResponse(room_json(rooms.create(creation)))


async def update_room_id(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    if "newRoomId" not in body:
        raise_missing("newRoomId")
    new_id = check_room_id(body["newRoomId"], "newRoomId")
    room = emulator_state(request).rename_room(_room_id(request), new_id)
    return JSONResponse(room_json(room))


async def update_room_organization_id(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    for name in ("fromOrganizationId", "toOrganizationId"):
        if name not in body:
            raise_missing(name)
    room = emulator_state(request).rooms.move_organization(
        _room_id(request),
        check_organization_id(body["fromOrganizationId"], "fromOrganizationId"),
        check_organization_id(body["toOrganizationId"], "toOrganizationId"),
    )
    return JSONResponse(room_json(room))


async def prewarm_room(request: Request) -> Response:
    # Rooms are always warm here; still answer 404 for a room that does not exist.
    emulator_state(request).rooms.get(_room_id(request))
    return no_content()


def raise_missing(field_name: str) -> NoReturn:
    raise InvalidInput(f"{field_name} is required")
