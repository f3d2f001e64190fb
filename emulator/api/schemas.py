"""Schema endpoints: create, get, update (next version), delete; attach to / detach from rooms."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import format_ms
from ..domain.errors import NotFound
from ..domain.room_inputs import require_object
from ..domain.schemas import MAX_BODY_LENGTH, NAME_PATTERN, StoredSchema
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    NO_CONTENT,
    TIMESTAMP,
    closed_object,
    error,
    in_room,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
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
    return JSONResponse(schema_json(schemas.get(request.path_params["schemaId"])))


async def update_schema(request: Request) -> Response:
    body = require_object(await read_json(request), "Request body")
    schemas = emulator_state(request).schemas
    stored = schemas.update(request.path_params["schemaId"], body.get("body"))
    return JSONResponse(schema_json(stored))


async def delete_schema(request: Request) -> Response:
    emulator_state(request).schemas.delete(request.path_params["schemaId"])
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


# ------------------------------------------------------------------ OpenAPI

SCHEMA = "/v2/schemas/{schemaId}"
ROOM_SCHEMA = "/v2/rooms/{roomId}/schema"
SCHEMA_IN_USE = error("409", "A room uses the schema (SCHEMA_IN_USE)")
INVALID_SCHEMA = error("422", "A body that does not check (INVALID_SCHEMA, with line and column)")

FEATURE = Feature(
    "schemas",
    [
        Endpoint("POST", "/v2/schemas", create_schema, operation(
            "schemas",
            "Create a schema (version 1)",
            {"200": ok(ref("Schema")),
             "409": error("409", "SCHEMA_ALREADY_EXISTS"),
             "422": error("422", "A bad name, or a body that does not check (INVALID_SCHEMA, "
                          "with line and column)")},
            body=open_object({"name": ref("SchemaName"), "body": ref("SchemaText")},
                             ["name", "body"]),
        )),
        Endpoint("GET", SCHEMA, get_schema, operation(
            "schemas", "Get a schema version",
            {"200": ok(ref("Schema")), "404": error("404", "SCHEMA_NOT_FOUND")})),
        Endpoint("PUT", SCHEMA, update_schema, operation(
            "schemas",
            "Make the next version of a schema",
            {"200": ok(ref("Schema")), "404": error("404", "SCHEMA_NOT_FOUND"),
             "409": SCHEMA_IN_USE, "422": INVALID_SCHEMA},
            body=open_object({"body": ref("SchemaText")}, ["body"]),
        )),
        Endpoint("DELETE", SCHEMA, delete_schema, operation(
            "schemas", "Delete a schema version",
            {"204": NO_CONTENT, "404": error("404", "SCHEMA_NOT_FOUND"),
             "409": SCHEMA_IN_USE})),
        Endpoint("GET", ROOM_SCHEMA, get_room_schema, in_room(
            "The schema attached to a room",
            {"200": ok(ref("Schema")),
             "404": error("404", "No such room, or no schema attached (SCHEMA_NOT_FOUND)")})),
        Endpoint("POST", ROOM_SCHEMA, attach_schema, in_room(
            "Attach a schema to a room",
            {"200": ok(closed_object({"schema": ref("SchemaId")}, ["schema"])),
             "404": error("404", "No such room (ROOM_NOT_FOUND) or schema (SCHEMA_NOT_FOUND)"),
             "422": error("422", "A schema id that is not a string, or storage that does not "
                          "match the schema (SCHEMA_VALIDATION_FAILED, with violations)")},
            body=open_object({"schema": string(description="name@version",
                                               examples=["todo-list@1"])}, ["schema"]),
        )),
        Endpoint("DELETE", ROOM_SCHEMA, detach_schema,
                 in_room("Detach a room's schema (fine when none is)", {"204": NO_CONTENT})),
    ],
    schemas={
        "SchemaName": string(pattern=f"^{NAME_PATTERN.pattern}$",
                             description="Lowercase letters, digits and dashes"),
        "SchemaId": string(pattern=f"^{NAME_PATTERN.pattern}@[1-9][0-9]*$",
                           description="name@version", examples=["todo-list@1"]),
        "SchemaText": string(0, MAX_BODY_LENGTH,
                             description="A schema in the schema language (SCHEMA_LANGUAGE.md)",
                             examples=["type Storage { title: string, count?: number }"]),
        "Schema": closed_object(
            {
                "id": ref("SchemaId"),
                "name": ref("SchemaName"),
                "version": {"type": "integer", "minimum": 1},
                "createdAt": TIMESTAMP,
                "updatedAt": TIMESTAMP,
                "body": string(),
            },
            ["id", "name", "version", "createdAt", "updatedAt", "body"],
        ),
    },
    parameters={"schemaId": path_parameter("schemaId",
                                           "name@version; a bare name means its latest version")},
)
