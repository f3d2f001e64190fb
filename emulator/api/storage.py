"""Storage endpoints: get, initialize, delete, JSON Patch, and the Node SDK's mutateStorage."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Conflict, InvalidInput
from ..domain.json_patch import apply_json_patch
from ..domain.room_inputs import require_object
from ..domain.storage_formats import (
    from_plain_lson,
    serialize_nodes_objects,
    to_json,
    to_plain_lson,
)
from ..domain.storage_schema import document_violations, refuse
from ..realtime.live_room import dump
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    ANY_OBJECT,
    EMPTY_OK,
    Json,
    closed_object,
    error,
    in_room,
    ok,
    open_object,
    ref,
    string,
)
from .requests import emulator_state, path_room, read_json
from .responses import JSONResponse, dump_json

FORMATS = ("plain-lson", "json")




async def get_storage(request: Request) -> Response:
    room = path_room(request)
    storage_format = request.query_params.get("format", "plain-lson")
    if storage_format not in FORMATS:
        raise InvalidInput(
            f"format must be one of {', '.join(FORMATS)}, got {storage_format[:40]!r}"
        )
    doc = room.document()
    convert = to_plain_lson if storage_format == "plain-lson" else to_json
    text = doc.memoized(f"rest:{storage_format}", lambda: dump_json(convert(doc)))
    return Response(text, media_type="application/json")


async def initialize_storage(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    if not room.storage_is_empty():
        raise Conflict(
            f"The storage of room '{room.id}' is not empty: delete it first "
            "(DELETE /v2/rooms/{roomId}/storage)",
            code="CANNOT_UPDATE_EXISTING_STORAGE",
        )
    doc = from_plain_lson(await read_json(request), first_server_id=room.next_server_id())
    stored = state.attached_schema(room)
    if stored is not None:
        violations = document_violations(stored.schema, doc)
        if violations:
            raise refuse(stored.id, violations, "The storage document")
    room.replace_storage(doc)
    state.live.storage_reset(room)
    state.storage_updated(room)
    return JSONResponse(to_plain_lson(doc))


async def delete_storage(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    room.replace_storage(None)
    state.live.storage_reset(room)
    state.storage_updated(room)
    return Response(status_code=200)


async def patch_storage(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    patch = await read_json(request)
    doc = room.document()
    stored = state.attached_schema(room)
    # A patch may not break the schema; storage that was already off (e.g. deleted
    # while attached) can still be patched back into shape.
    before = set(document_violations(stored.schema, doc)) if stored is not None else set()
    with doc.transaction() as transaction:
        ops = apply_json_patch(doc, patch)
        if stored is not None:
            violations = [v for v in document_violations(stored.schema, doc) if v not in before]
            if violations:
                transaction.rollback()
                raise refuse(stored.id, violations, "The patched storage")
    live = state.live.find(room)
    if live is not None:
        live.broadcast_storage_ops(ops)
    if ops:
        state.storage_updated(room)
    return Response(status_code=200)


async def request_storage_mutation(request: Request) -> Response:
    """A fresh actor and every node, as ndjson: what the Node SDK's mutateStorage reads first."""
    room = path_room(request)
    lines = [dump({"actor": room.take_actor()})]
    lines.extend(dump(node) for node in serialize_nodes_objects(room.document()))
    # The SDK compares the content type exactly: no charset parameter.
    return Response("\n".join(lines) + "\n", headers={"content-type": "application/x-ndjson"})


async def send_message(request: Request) -> Response:
    """Apply storage ops sent by the Node SDK (mutateStorage) as a writer connection would."""
    state = emulator_state(request)
    room = path_room(request)
    body = require_object(await read_json(request), "Request body")
    messages: Any = body.get("messages")
    if not isinstance(messages, list):
        raise InvalidInput("messages must be an array of messages")
    live = state.live.live_room(room)
    try:
        for index, message in enumerate(messages):
            live.apply_backend_message(message, f"messages[{index}]")
    finally:
        state.live.forget_if_empty(live)
    return Response(status_code=200)


# ------------------------------------------------------------------ OpenAPI


def live_node(kind: str, data: Json) -> Json:
    # Plain LSON refuses any key beside these two.
    return closed_object({"liveblocksType": {"const": kind}, "data": data},
                         ["liveblocksType", "data"])


NO_LIVE_TYPE: Json = {"not": {"type": "object", "required": ["liveblocksType"]}}
SCHEMAS: Json = {
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
}

STORAGE = "/v2/rooms/{roomId}/storage"
FEATURE = Feature(
    "storage",
    [
        Endpoint("GET", STORAGE, get_storage, in_room(
            "Get a room's storage",
            {"200": ok({"anyOf": [ref("LiveObject"), ANY_OBJECT]},
                       "Plain LSON (a LiveObject); with format=json, the plain JSON view"),
             "422": error("422", "An unknown format")},
            parameters=[{"name": "format", "in": "query",
                         "schema": {"enum": ["plain-lson", "json"], "default": "plain-lson"}}],
        )),
        Endpoint("POST", STORAGE, initialize_storage, in_room(
            "Initialize a room's empty storage; live clients reconnect",
            {"200": ok(ref("LiveObject")),
             "409": error("409", "The storage is not empty (CANNOT_UPDATE_EXISTING_STORAGE)"),
             "422": error("422", "Malformed Plain LSON (naming the path), or storage that "
                          "does not match the attached schema (SCHEMA_VALIDATION_FAILED)")},
            body=ref("LiveObject"),
        )),
        Endpoint("DELETE", STORAGE, delete_storage,
                 in_room("Empty a room's storage; live clients reconnect", {"200": EMPTY_OK})),
        Endpoint("PATCH", STORAGE + "/json-patch", patch_storage, in_room(
            "Apply an RFC 6902 JSON Patch to the storage's JSON view, all or nothing",
            {"200": EMPTY_OK,
             "422": error("422", "INVALID_STORAGE_MUTATION_REQUEST naming the operation, or "
                          "SCHEMA_VALIDATION_FAILED")},
            body={"type": "array", "items": ref("JsonPatchOperation")},
        )),
        Endpoint("POST", "/v2/rooms/{roomId}/request-storage-mutation", request_storage_mutation,
                 in_room(
            "mutateStorage, step 1: a new actor id and every storage node",
            {"200": {
                "description": 'ndjson: {"actor": n} on the first line, then one '
                "SerializedNode a line",
                "content": {"application/x-ndjson": {"schema": string()}},
            }},
        )),
        Endpoint("POST", "/v2/rooms/{roomId}/send-message", send_message, in_room(
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
        )),
    ],
    schemas=SCHEMAS,
)
