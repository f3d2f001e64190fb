"""Room endpoints: list, create, get, update, delete, upsert, rename, prewarm; their OpenAPI
entries and the room schemas the other features refer to."""

from __future__ import annotations

from typing import NoReturn
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import InvalidInput
from ..domain.permissions import ROOM_PERMISSIONS
from ..domain.room_inputs import (
    MAX_ACCESS_ENTRIES,
    MAX_ACCESS_ID_LENGTH_ON_CREATE,
    MAX_ACCESS_ID_LENGTH_ON_UPDATE,
    MAX_METADATA_ENTRIES,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_VALUE_LENGTH,
    MAX_ORGANIZATION_ID_LENGTH,
    MAX_ROOM_ID_LENGTH,
    apply_update_to_creation,
    check_organization_id,
    check_room_id,
    parse_creation,
    parse_update,
    require_object,
)
from ..domain.room_query import RoomFilter
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    INVALID,
    NO_CONTENT,
    TIMESTAMP,
    Json,
    closed_object,
    error,
    in_room,
    limited_map,
    nullable,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, query_int, read_json
from .responses import JSONResponse, no_content
from .room_json import room_json


def _room_id(request: Request) -> str:
    room_id: str = request.path_params["roomId"]
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
    return JSONResponse(room_json(emulator_state(request).create_room(creation)))


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
    return JSONResponse(room_json(emulator_state(request).create_room(creation)))


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


# ------------------------------------------------------------------ OpenAPI


def accesses(max_id_length: int, *, in_update: bool = False) -> Json:
    """``{user or group id: [permission…]}``."""
    return limited_map(string(1, max_id_length), ref("Permissions"), MAX_ACCESS_ENTRIES,
                       in_update=in_update)


def metadata(*, in_update: bool = False) -> Json:
    """``{key: string or [string…]}``."""
    return limited_map(string(0, MAX_METADATA_KEY_LENGTH), ref("MetadataValue"),
                       MAX_METADATA_ENTRIES, in_update=in_update)


ORGANIZATION_ID = string(1, MAX_ORGANIZATION_ID_LENGTH)
ROOM_ID_VALUE = string(1, MAX_ROOM_ID_LENGTH, **{"not": {"enum": [".", ".."]}})
ROOM_CREATE_FIELDS: Json = {
    "defaultAccesses": ref("Permissions"),
    "metadata": nullable(metadata()),
    "usersAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_CREATE)),
    "groupsAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_CREATE)),
    "organizationId": nullable(ORGANIZATION_ID),
    "engine": {"enum": [1, 2, None]},
}
ROOM_OK = ok(ref("Room"))

SCHEMAS: Json = {
    "Permission": {"enum": sorted(ROOM_PERMISSIONS)},
    "Permissions": {"type": "array", "items": ref("Permission")},
    "MetadataValue": {
        "anyOf": [
            string(0, MAX_METADATA_VALUE_LENGTH),
            {"type": "array", "items": string(0, MAX_METADATA_VALUE_LENGTH)},
        ]
    },
    "Room": closed_object(
        {
            "type": {"const": "room"},
            "id": string(1, MAX_ROOM_ID_LENGTH),
            "organizationId": string(1),
            "createdAt": TIMESTAMP,
            "lastConnectionAt": {**TIMESTAMP, "description": "Absent until a first connection"},
            "metadata": metadata(),
            "defaultAccesses": ref("Permissions"),
            "usersAccesses": accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE),
            "groupsAccesses": accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE),
        },
        ["type", "id", "organizationId", "createdAt", "metadata", "defaultAccesses",
         "usersAccesses", "groupsAccesses"],
    ),
    "RoomList": closed_object(
        {
            "nextCursor": {"type": ["string", "null"]},
            "nextPage": {"anyOf": [string(pattern=r"^/v2/rooms\?"), {"type": "null"}],
                         "description": "The next page's path and query, filters kept"},
            "data": {"type": "array", "items": ref("Room")},
        },
        ["nextCursor", "nextPage", "data"],
    ),
    "CreateRoom": open_object({"id": ROOM_ID_VALUE, **ROOM_CREATE_FIELDS},
                              ["id", "defaultAccesses"]),
    "UpdateRoom": open_object(
        {
            "defaultAccesses": nullable(ref("Permissions")),
            "metadata": nullable(metadata(in_update=True)),
            "usersAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE, in_update=True)),
            "groupsAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE, in_update=True)),
        },
        description="Only the fields given change. null deletes a metadata key or an access "
        "entry, or clears a whole map; defaultAccesses: null makes the room private.",
    ),
}

ROOM = "/v2/rooms/{roomId}"
FEATURE = Feature(
    "rooms",
    [
        Endpoint("GET", "/v2/rooms", list_rooms, operation(
            "rooms",
            "List rooms, newest first",
            {"200": ok(ref("RoomList")),
             "422": error("422", "A bad limit, cursor or query (INVALID_QUERY)")},
            parameters=[
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                {"name": "startingAfter", "in": "query",
                 "description": "The nextCursor of the previous page", "schema": string()},
                {"name": "userId", "in": "query", "schema": string()},
                {"name": "groupIds", "in": "query", "description": "Comma-separated",
                 "schema": string()},
                {"name": "organizationId", "in": "query", "schema": string()},
                {"name": "query", "in": "query",
                 "description": "e.g. roomId^'prefix' AND metadata['color']:'blue'",
                 "schema": string()},
            ],
            description="Also filters by metadata.KEY=VALUE query parameters (AND between "
            "them). userId and groupIds keep the rooms either has an access to (OR).",
        )),
        Endpoint("POST", "/v2/rooms", create_room, operation(
            "rooms",
            "Create a room",
            {"200": ROOM_OK, "409": error("409", "ROOM_ALREADY_EXISTS"), "422": INVALID},
            body=ref("CreateRoom"),
            parameters=[{"name": "idempotent", "in": "query",
                         "description": "Return an existing room instead of 409",
                         "schema": {"type": "boolean"}}],
        )),
        Endpoint("GET", ROOM, get_room, in_room("Get a room", {"200": ROOM_OK})),
        Endpoint("POST", ROOM, update_room,
                 in_room("Update a room", {"200": ROOM_OK, "422": INVALID},
                         body=ref("UpdateRoom"))),
        Endpoint("DELETE", ROOM, delete_room,
                 operation("rooms", "Delete a room (204 also when there is none)",
                           {"204": NO_CONTENT})),
        Endpoint("POST", ROOM + "/upsert", upsert_room, operation(
            "rooms",
            "Update a room, or create it",
            {"200": ROOM_OK, "422": INVALID},
            body=open_object({"update": ref("UpdateRoom"),
                              "create": nullable(open_object(ROOM_CREATE_FIELDS))},
                             ["update"]),
        )),
        Endpoint("POST", ROOM + "/update-room-id", update_room_id, in_room(
            "Rename a room",
            {"200": ROOM_OK, "409": error("409", "ROOM_ALREADY_EXISTS"), "422": INVALID},
            body=open_object({"newRoomId": ROOM_ID_VALUE}, ["newRoomId"]),
        )),
        Endpoint("POST", ROOM + "/update-organization-id", update_room_organization_id, in_room(
            "Move a room to another organization",
            {"200": ROOM_OK,
             "409": error("409", "The room is not in fromOrganizationId "
                          "(ORGANIZATION_MISMATCH)"),
             "422": INVALID},
            body=open_object(
                {"fromOrganizationId": ORGANIZATION_ID, "toOrganizationId": ORGANIZATION_ID},
                ["fromOrganizationId", "toOrganizationId"],
            ),
        )),
        Endpoint("GET", ROOM + "/prewarm", prewarm_room,
                 in_room("Prewarm a room (nothing to do here)", {"204": NO_CONTENT})),
    ],
    schemas=SCHEMAS,
    parameters={
        "roomId": path_parameter(
            "roomId",
            "The room id, percent-escaped as one path segment (any characters, '/' included)",
            string(1, MAX_ROOM_ID_LENGTH),
        )
    },
)
