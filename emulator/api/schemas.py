"""Schema endpoints: create, get, update (next version), delete; attach to / detach from rooms."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import format_ms
from ..domain.errors import NotFound
from ..domain.room_inputs import require_object
from ..domain.schemas import StoredSchema
from .requests import emulator_state, path_room, read_json
from .responses import JSONResponse, no_content


def schema_json(stored: StoredSchema) -> dict[str, Any]:
    return {
        "id": stored.id,
        "name": stored.name,
        "version": stored.version,
        "createdAt": format_ms(stored.created_ms),
        "updatedAt": format_ms(stored.updated_ms),
        "body": stored.body,
    }



async def create_schema(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    stored = emulator_state(request).schemas.create(body.get("name"), body.get("body"))
    return JSONResponse(schema_json(stored))


async def get_schema(request: Request) -> Response:
    schemas = emulator_state(request).schemas
    return JSONResponse(schema_json(schemas.get(request.path_params["schema_id"])))


async def update_schema(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    schemas = emulator_state(request).schemas
    stored = schemas.update(request.path_params["schema_id"], body.get("body"))
    return JSONResponse(schema_json(stored))


async def delete_schema(request: Request) -> Response:
    emulator_state(request).schemas.delete(request.path_params["schema_id"])
    return no_content()


async def get_room_schema(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    stored = state.attached_schema(room)
    if stored is None:
        raise NotFound(f"Room '{room.id}' has no schema attached", code="SCHEMA_NOT_FOUND")
    return JSONResponse(schema_json(stored))


async def attach_schema(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    body = require_object(await read_json(request), "Request body")
    stored = state.attach_schema(room, body.get("schema"))
    return JSONResponse({"schema": stored.id})


async def detach_schema(request: Request) -> Response:
    emulator_state(request).detach_schema(path_room(request))
    return no_content()
