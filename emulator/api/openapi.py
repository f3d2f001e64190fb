"""The OpenAPI 3.1 document of everything the emulator serves, and ``GET /openapi.json``.

The document is plain data built once at import. Its limits come from the
constants the validation uses (``room_inputs``, ``permissions``, ``schemas``),
so a changed limit changes both. ``tests/api/test_openapi_drift.py`` checks that
it names exactly the routes of ``emulator.app.routes()``, with the same
methods; schemathesis (``tests/api/test_schemathesis.py``) checks that the
emulator's responses match it.

Request bodies are open objects (the emulator ignores fields it does not know);
response bodies are closed (they hold exactly the fields documented).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import __version__
from ..domain.permissions import MAX_ROOM_PATTERNS, ROOM_PATTERN, ROOM_PERMISSIONS
from ..domain.room_inputs import (
    MAX_ACCESS_ENTRIES,
    MAX_ACCESS_ID_LENGTH_ON_CREATE,
    MAX_ACCESS_ID_LENGTH_ON_UPDATE,
    MAX_METADATA_ENTRIES,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_VALUE_LENGTH,
    MAX_ORGANIZATION_ID_LENGTH,
    MAX_ROOM_ID_LENGTH,
)
from ..domain.schemas import MAX_BODY_LENGTH, NAME_PATTERN
from .live import DEFAULT_PRESENCE_TTL, MAX_PRESENCE_TTL, MIN_PRESENCE_TTL
from .responses import JSONResponse

Json = dict[str, Any]


# ------------------------------------------------------------------ schema helpers


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def open_object(properties: Json, required: list[str] | None = None, **more: Any) -> Json:
    """An object with these properties: a request body (unknown fields are ignored)."""
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema.update(more)
    return schema


def closed_object(properties: Json, required: list[str] | None = None, **more: Any) -> Json:
    """An object with exactly these properties: what the emulator sends."""
    return {**open_object(properties, required, **more), "additionalProperties": False}


def nullable(schema: Json) -> Json:
    """Also ``null``, which the emulator reads as 'not given' (or, in an update, 'delete')."""
    return {"anyOf": [schema, {"type": "null"}]}


def string(min_length: int = 0, max_length: int | None = None, **more: Any) -> Json:
    schema: Json = {"type": "string", **more}
    if min_length:
        schema["minLength"] = min_length
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def limited_map(key: Json, value: Json, max_entries: int, *, in_update: bool) -> Json:
    """An object of ``key: value`` entries; in an update ``null`` removes an entry."""
    return {
        "type": "object",
        "maxProperties": max_entries,
        "propertyNames": key,
        "additionalProperties": nullable(value) if in_update else value,
    }


def accesses(max_id_length: int, *, in_update: bool = False) -> Json:
    """``{user or group id: [permission…]}``."""
    return limited_map(string(1, max_id_length), ref("Permissions"), MAX_ACCESS_ENTRIES,
                       in_update=in_update)


def metadata(*, in_update: bool = False) -> Json:
    """``{key: string or [string…]}``."""
    return limited_map(string(0, MAX_METADATA_KEY_LENGTH), ref("MetadataValue"),
                       MAX_METADATA_ENTRIES, in_update=in_update)


def live_node(kind: str, data: Json) -> Json:
    # Plain LSON refuses any key beside these two.
    return closed_object({"liveblocksType": {"const": kind}, "data": data},
                         ["liveblocksType", "data"])


TIMESTAMP = string(
    pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$",
    description="ISO-8601 UTC with milliseconds, e.g. 2026-01-01T00:00:00.000Z",
)
ORGANIZATION_ID = string(1, MAX_ORGANIZATION_ID_LENGTH)
NON_EMPTY = string(1)
ANY_OBJECT: Json = {"type": "object"}
JWT = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
NO_LIVE_TYPE: Json = {"not": {"type": "object", "required": ["liveblocksType"]}}

ROOM_ID_VALUE = string(1, MAX_ROOM_ID_LENGTH, **{"not": {"enum": [".", ".."]}})
ROOM_CREATE_FIELDS: Json = {
    "defaultAccesses": ref("Permissions"),
    "metadata": nullable(metadata()),
    "usersAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_CREATE)),
    "groupsAccesses": nullable(accesses(MAX_ACCESS_ID_LENGTH_ON_CREATE)),
    "organizationId": nullable(ORGANIZATION_ID),
    "engine": {"enum": [1, 2, None]},
}
ID_TOKEN_FIELDS: Json = {
    "groupIds": nullable({"type": "array", "items": NON_EMPTY}),
    "userInfo": ref("UserInfo"),
    "organizationId": nullable(ORGANIZATION_ID),
}


# ------------------------------------------------------------------ component schemas

SCHEMAS: Json = {
    "Error": {
        "type": "object",
        "description": "Every error, routing errors included. Some carry more fields: "
        "line and column (INVALID_SCHEMA), violations (SCHEMA_VALIDATION_FAILED), "
        "source and path (INVALID_FIXTURE).",
        "required": ["error", "message"],
        "properties": {
            "error": string(pattern="^[A-Z][A-Z_]*$", examples=["ROOM_NOT_FOUND"]),
            "message": NON_EMPTY,
            "suggestion": string(),
            "docs": string(),
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "violations": {
                "type": "array",
                "items": closed_object({"path": string(), "message": string()},
                                       ["path", "message"]),
            },
            "source": string(),
            "path": string(),
        },
        "additionalProperties": False,
    },
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
    "LiveObject": live_node("LiveObject",
                            {"type": "object", "additionalProperties": ref("Lson")}),
    "LiveList": live_node("LiveList", {"type": "array", "items": ref("Lson")}),
    "LiveMap": live_node("LiveMap", {"type": "object", "additionalProperties": ref("Lson")}),
    "Lson": {
        "description": "A Live structure, or any JSON value that is not an object with a "
        "liveblocksType (such a plain value is static data).",
        "anyOf": [ref("LiveObject"), ref("LiveList"), ref("LiveMap"), NO_LIVE_TYPE],
    },
    "JsonPointer": string(pattern="^(/.*)?$"),
    "JsonPatchOperation": {
        "oneOf": [
            open_object({"op": {"enum": ["add", "replace", "test"]},
                         "path": ref("JsonPointer"), "value": {}},
                        ["op", "path", "value"]),
            open_object({"op": {"const": "remove"}, "path": ref("JsonPointer")},
                        ["op", "path"]),
            open_object({"op": {"enum": ["move", "copy"]}, "from": ref("JsonPointer"),
                         "path": ref("JsonPointer")},
                        ["op", "from", "path"]),
        ]
    },
    "StorageOp": open_object(
        {"type": {"type": "integer"}, "opId": string()},
        ["type"],
        description="A storage op of the realtime protocol (PROTOCOL.md); its type says "
        "which other fields it needs.",
    ),
    "SerializedNode": {
        "type": "array",
        "description": "[id, {type, parentId?, parentKey?, data?}]: one storage node, as a "
        "line of request-storage-mutation's ndjson",
        "prefixItems": [
            string(),
            closed_object(
                {
                    "type": {"enum": [0, 1, 2, 3],
                             "description": "0 LiveObject, 1 LiveList, 2 LiveMap, 3 register"},
                    "parentId": string(),
                    "parentKey": string(),
                    "data": {},
                },
                ["type"],
            ),
        ],
        "minItems": 2,
        "maxItems": 2,
    },
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
    "Token": closed_object({"token": string(pattern=JWT, description="A JWT signed with HS256")},
                           ["token"]),
    "UserInfo": {"type": ["object", "null"], "description": "Any JSON object about the user"},
    "IdentifyUser": open_object({"userId": NON_EMPTY, **ID_TOKEN_FIELDS}, ["userId"]),
    "FixtureDocument": closed_object(
        {
            "$schema": string(),
            "schemas": {"type": "array", "items": ref("FixtureSchema")},
            "rooms": {"type": "array", "items": ref("FixtureRoom")},
        },
        description="The format of fixtures/fixture.schema.json: what --fixtures loads, and "
        "what a snapshot is.",
    ),
    "FixtureSchema": closed_object(
        {
            "name": ref("SchemaName"),
            "version": {"type": "integer", "minimum": 1},
            "body": string(),
            "file": string(description="Only in fixture files: a path relative to the file"),
            "createdAt": TIMESTAMP,
            "updatedAt": TIMESTAMP,
        },
        ["name"],
    ),
    "FixtureRoom": closed_object(
        {
            "id": string(1, MAX_ROOM_ID_LENGTH),
            "organizationId": ORGANIZATION_ID,
            "createdAt": TIMESTAMP,
            "lastConnectionAt": TIMESTAMP,
            "metadata": metadata(),
            "defaultAccesses": ref("Permissions"),
            # A snapshot holds the ids an update allowed.
            "usersAccesses": accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE),
            "groupsAccesses": accesses(MAX_ACCESS_ID_LENGTH_ON_UPDATE),
            "storage": ref("LiveObject"),
            "schema": ref("SchemaId"),
        },
        ["id"],
    ),
}


# ------------------------------------------------------------------ responses

ERRORS: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "The body is not JSON (or is empty where JSON is needed)"),
    "401": ("Unauthorized", "No Authorization header"),
    "403": ("Forbidden", "Not the secret key"),
    "404": ("NotFound", "The room does not exist (ROOM_NOT_FOUND)"),
    "409": ("Conflict", "The change conflicts with the current state"),
    "413": ("PayloadTooLarge", "The body is larger than --max-body-bytes"),
    "422": ("Invalid", "A value breaks a rule: the message names the field and the rule"),
}
RESPONSES: Json = {
    name: {"description": text, "content": json_content(ref("Error"))}
    for name, text in ERRORS.values()
}


def error(status: str, description: str | None = None) -> Json:
    """An error response: the shared one of its status, or one described for the operation."""
    if description is None:
        return {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    return {"description": description, "content": json_content(ref("Error"))}


def ok(schema: Json, description: str = "Success") -> Json:
    return {"description": description, "content": json_content(schema)}


NO_CONTENT: Json = {"description": "Done (no body)"}
EMPTY_OK: Json = {"description": "Done (status 200, no body)"}
ROOM_OK = ok(ref("Room"))
INVALID = error("422")


# ------------------------------------------------------------------ operations

ROOM_ID: Json = {
    "name": "roomId",
    "in": "path",
    "required": True,
    "description": "The room id, percent-escaped as one path segment (any characters, '/' "
    "included)",
    "schema": string(1, MAX_ROOM_ID_LENGTH),
}
SCHEMA_ID: Json = {
    "name": "schemaId",
    "in": "path",
    "required": True,
    "description": "name@version; a bare name means its latest version",
    "schema": NON_EMPTY,
}


def operation(
    tag: str,
    summary: str,
    responses: Json,
    *,
    body: Json | None = None,
    body_required: bool = True,
    parameters: list[Json] | None = None,
    secret: bool = True,
    description: str | None = None,
    extensions: Json | None = None,
) -> Json:
    """One operation. With the secret key it may also answer 401 and 403; with a body, 400
    and 413."""
    op: Json = {"tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = parameters
    every = dict(responses)
    if body is not None:
        op["requestBody"] = {"required": body_required, "content": json_content(body)}
        every.setdefault("400", error("400"))
        every.setdefault("413", error("413"))
    if secret:
        every.setdefault("401", error("401"))
        every.setdefault("403", error("403"))
    else:
        op["security"] = []
    op["responses"] = dict(sorted(every.items()))
    op.update(extensions or {})
    return op


def in_room(summary: str, responses: Json, **kwargs: Any) -> Json:
    """An operation on an existing room (``/v2/rooms/{roomId}/…``): 404 when there is none."""
    return operation("rooms", summary, {"404": error("404"), **responses}, **kwargs)


def room_path(**operations: Json) -> Json:
    return {"parameters": [ROOM_ID], **operations}


def room_token(summary: str, forbidden: str, body: Json, *, secret: bool = True) -> Json:
    """The seed's room authorize endpoints: an optional body, a token, 403 when refused."""
    return room_path(
        post=in_room(
            summary,
            {"200": ok(ref("Token")), "403": error("403", forbidden), "422": INVALID},
            body=body,
            body_required=False,
            secret=secret,
        )
    )


def websocket(version: int) -> Json:
    return {
        "get": operation(
            "realtime",
            f"Realtime connection, protocol v{version} (a WebSocket upgrade)",
            {"101": {"description": "Switching to the WebSocket protocol (PROTOCOL.md). A "
                     "refused connection is closed with 4001 (not allowed), 4005 (room full) "
                     "or 4109 (token expired)."}},
            parameters=[
                {"name": "roomId", "in": "query", "required": True, "schema": NON_EMPTY},
                {"name": "pubkey", "in": "query", "description": "The public key (or tok)",
                 "schema": string()},
                {"name": "tok", "in": "query", "description": "A token minted by the emulator",
                 "schema": string()},
                {"name": "version", "in": "query", "description": "The client's version",
                 "schema": string()},
            ],
            secret=False,
            extensions={"x-websocket": True},
        )
    }


ACTIVE_USERS = in_room("Users connected to a room", {"200": ok(ref("ActiveUsers"))})
BROADCAST_EVENT = in_room("Send an event to every connection of a room", {"204": NO_CONTENT},
                          body={"description": "Any JSON value"})

PATHS: Json = {
    "/health": {
        "get": operation("emulator", "Liveness",
                         {"200": ok(closed_object({"status": {"const": "ok"}}, ["status"]))},
                         secret=False),
    },
    "/openapi.json": {
        "get": operation("emulator", "This document",
                         {"200": ok(open_object({}, ["openapi", "info", "paths"]))},
                         secret=False),
    },
    "/v7": websocket(7),
    "/v8": websocket(8),
    "/v2/rooms": {
        "get": operation(
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
        ),
        "post": operation(
            "rooms",
            "Create a room",
            {"200": ROOM_OK, "409": error("409", "ROOM_ALREADY_EXISTS"), "422": INVALID},
            body=ref("CreateRoom"),
            parameters=[{"name": "idempotent", "in": "query",
                         "description": "Return an existing room instead of 409",
                         "schema": {"type": "boolean"}}],
        ),
    },
    "/v2/rooms/{roomId}": room_path(
        get=in_room("Get a room", {"200": ROOM_OK}),
        post=in_room("Update a room", {"200": ROOM_OK, "422": INVALID}, body=ref("UpdateRoom")),
        delete=operation("rooms", "Delete a room (204 also when there is none)",
                         {"204": NO_CONTENT}),
    ),
    "/v2/rooms/{roomId}/upsert": room_path(
        post=operation(
            "rooms",
            "Update a room, or create it",
            {"200": ROOM_OK, "422": INVALID},
            body=open_object({"update": ref("UpdateRoom"),
                              "create": nullable(open_object(ROOM_CREATE_FIELDS))},
                             ["update"]),
        ),
    ),
    "/v2/rooms/{roomId}/update-room-id": room_path(
        post=in_room("Rename a room",
                     {"200": ROOM_OK, "409": error("409", "ROOM_ALREADY_EXISTS"),
                      "422": INVALID},
                     body=open_object({"newRoomId": ROOM_ID_VALUE}, ["newRoomId"])),
    ),
    "/v2/rooms/{roomId}/update-organization-id": room_path(
        post=in_room(
            "Move a room to another organization",
            {"200": ROOM_OK,
             "409": error("409", "The room is not in fromOrganizationId "
                          "(ORGANIZATION_MISMATCH)"),
             "422": INVALID},
            body=open_object(
                {"fromOrganizationId": ORGANIZATION_ID, "toOrganizationId": ORGANIZATION_ID},
                ["fromOrganizationId", "toOrganizationId"],
            ),
        ),
    ),
    "/v2/rooms/{roomId}/prewarm": room_path(
        get=in_room("Prewarm a room (nothing to do here)", {"204": NO_CONTENT}),
    ),
    "/v2/rooms/{roomId}/active_users": room_path(get=ACTIVE_USERS),
    "/v2/rooms/{roomId}/active-users": room_path(get=ACTIVE_USERS),
    "/v2/rooms/{roomId}/broadcast_event": room_path(post=BROADCAST_EVENT),
    "/v2/rooms/{roomId}/broadcast-event": room_path(post=BROADCAST_EVENT),
    "/v2/rooms/{roomId}/presence": room_path(
        post=in_room(
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
        ),
    ),
    "/v2/rooms/{roomId}/storage": room_path(
        get=in_room(
            "Get a room's storage",
            {"200": ok({"anyOf": [ref("LiveObject"), ANY_OBJECT]},
                       "Plain LSON (a LiveObject); with format=json, the plain JSON view"),
             "422": error("422", "An unknown format")},
            parameters=[{"name": "format", "in": "query",
                         "schema": {"enum": ["plain-lson", "json"], "default": "plain-lson"}}],
        ),
        post=in_room(
            "Initialize a room's empty storage; live clients reconnect",
            {"200": ok(ref("LiveObject")),
             "409": error("409", "The storage is not empty (CANNOT_UPDATE_EXISTING_STORAGE)"),
             "422": error("422", "Malformed Plain LSON (naming the path), or storage that "
                          "does not match the attached schema (SCHEMA_VALIDATION_FAILED)")},
            body=ref("LiveObject"),
        ),
        delete=in_room("Empty a room's storage; live clients reconnect", {"200": EMPTY_OK}),
    ),
    "/v2/rooms/{roomId}/storage/json-patch": room_path(
        patch=in_room(
            "Apply an RFC 6902 JSON Patch to the storage's JSON view, all or nothing",
            {"200": EMPTY_OK,
             "422": error("422", "INVALID_STORAGE_MUTATION_REQUEST naming the operation, or "
                          "SCHEMA_VALIDATION_FAILED")},
            body={"type": "array", "items": ref("JsonPatchOperation")},
        ),
    ),
    "/v2/rooms/{roomId}/request-storage-mutation": room_path(
        post=in_room(
            "mutateStorage, step 1: a new actor id and every storage node",
            {"200": {
                "description": 'ndjson: {"actor": n} on the first line, then one '
                "SerializedNode a line",
                "content": {"application/x-ndjson": {"schema": string()}},
            }},
        ),
    ),
    "/v2/rooms/{roomId}/send-message": room_path(
        post=in_room(
            "mutateStorage, step 2: apply storage ops as a writing client would",
            {"200": EMPTY_OK,
             "422": error("422", "A bad message or op, or ops that break the attached schema")},
            body=open_object(
                {"messages": {"type": "array", "items": open_object(
                    {"type": {"const": 201},
                     "ops": {"type": "array", "items": ref("StorageOp")}},
                    ["type", "ops"],
                )}},
                ["messages"],
            ),
        ),
    ),
    "/v2/rooms/{roomId}/schema": room_path(
        get=in_room("The schema attached to a room",
                    {"200": ok(ref("Schema")),
                     "404": error("404", "No such room, or no schema attached "
                                  "(SCHEMA_NOT_FOUND)")}),
        post=in_room(
            "Attach a schema to a room",
            {"200": ok(closed_object({"schema": ref("SchemaId")},
                                     ["schema"])),
             "404": error("404", "No such room (ROOM_NOT_FOUND) or schema (SCHEMA_NOT_FOUND)"),
             "422": error("422", "A schema id that is not a string, or storage that does not "
                          "match the schema (SCHEMA_VALIDATION_FAILED, with violations)")},
            body=open_object({"schema": string(description="name@version",
                                               examples=["todo-list@1"])}, ["schema"]),
        ),
        delete=in_room("Detach a room's schema (fine when none is)", {"204": NO_CONTENT}),
    ),
    "/v2/rooms/{roomId}/authorize": room_token(
        "Seed authorize: an ID token for the room (anonymous without userId)",
        "Not the secret key, or an anonymous user for a private room (USER_ID_REQUIRED)",
        open_object({"userId": nullable(NON_EMPTY), **ID_TOKEN_FIELDS}),
    ),
    "/v2/rooms/{roomId}/public/authorize": room_token(
        "Seed public authorize: an anonymous ID token, for the public key",
        "Not the public key (INVALID_PUBLIC_KEY), or a room whose defaultAccesses do not "
        "allow writing (ROOM_NOT_PUBLIC)",
        open_object({"publicApiKey": string(examples=["pk_localdev"])}, ["publicApiKey"]),
        secret=False,
    ),
    "/v2/authorize-user": {
        "post": operation(
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
        ),
    },
    "/v2/identify-user": {
        "post": operation("tokens", "An ID token (the rooms' accesses decide at the door)",
                          {"200": ok(ref("Token")), "422": INVALID},
                          body=ref("IdentifyUser")),
    },
    "/v2/schemas": {
        "post": operation(
            "schemas",
            "Create a schema (version 1)",
            {"200": ok(ref("Schema")),
             "409": error("409", "SCHEMA_ALREADY_EXISTS"),
             "422": error("422", "A bad name, or a body that does not check (INVALID_SCHEMA, "
                          "with line and column)")},
            body=open_object({"name": ref("SchemaName"), "body": ref("SchemaText")},
                             ["name", "body"]),
        ),
    },
    "/v2/schemas/{schemaId}": {
        "parameters": [SCHEMA_ID],
        "get": operation("schemas", "Get a schema version",
                         {"200": ok(ref("Schema")), "404": error("404", "SCHEMA_NOT_FOUND")}),
        "put": operation(
            "schemas",
            "Make the next version of a schema",
            {"200": ok(ref("Schema")),
             "404": error("404", "SCHEMA_NOT_FOUND"),
             "409": error("409", "A room uses the schema (SCHEMA_IN_USE)"),
             "422": error("422", "A body that does not check (INVALID_SCHEMA, with line and "
                          "column)")},
            body=open_object({"body": ref("SchemaText")}, ["body"]),
        ),
        "delete": operation("schemas", "Delete a schema version",
                            {"204": NO_CONTENT, "404": error("404", "SCHEMA_NOT_FOUND"),
                             "409": error("409", "A room uses the schema (SCHEMA_IN_USE)")}),
    },
    "/_emulator/reset": {
        "post": operation(
            "emulator",
            "Back to the start-up fixtures; live clients are disconnected (1012)",
            {"204": NO_CONTENT},
            parameters=[{"name": "empty", "in": "query",
                         "description": "true: to nothing, not to the fixtures",
                         "schema": {"type": "boolean"}}],
        ),
    },
    "/_emulator/fixtures": {
        "post": operation(
            "emulator",
            "Load a fixture document, all or nothing",
            {"200": ok(closed_object(
                {"rooms": {"type": "integer", "minimum": 0},
                 "schemas": {"type": "integer", "minimum": 0}},
                ["rooms", "schemas"],
                description="How many rooms and schemas the emulator now holds",
            )),
             "422": error("422", "INVALID_FIXTURE, naming the source and the path")},
            body=ref("FixtureDocument"),
        ),
    },
    "/_emulator/snapshot": {
        "get": operation("emulator", "The whole state as a fixture document",
                         {"200": ok(ref("FixtureDocument"))}),
    },
}

DOCUMENT: Json = {
    "openapi": "3.1.0",
    "info": {
        "title": "liveblocks-emulator",
        "version": __version__,
        "description": "A local, in-memory emulator of the Liveblocks REST API v2 and of its "
        "realtime WebSocket endpoint. Every error has the body of the Error schema; an "
        "unknown path is 404 (NOT_FOUND), a method a path does not serve 405 "
        "(METHOD_NOT_ALLOWED).",
    },
    "servers": [{"url": "http://127.0.0.1:1153", "description": "The default address"}],
    "security": [{"secretKey": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "securitySchemes": {
            "secretKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "The secret key (sk_localdev by default); never read from the "
                "query string. Missing: 401; anything else: 403.",
            }
        },
    },
}


async def openapi_json(request: Request) -> Response:
    """``GET /openapi.json`` (no authentication)."""
    return JSONResponse(DOCUMENT)
