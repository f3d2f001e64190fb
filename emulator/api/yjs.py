"""Yjs REST endpoints: the document as JSON or as a binary update, PUT of an update, and
version history (YJS.md §2). Both spellings the SDKs and Liveblocks' OpenAPI use are served
(``/versions/{versionId}/yjs`` and ``/version/{versionId}``, ``POST /versions`` and
``POST /version``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import BadRequest, InvalidInput
from ..domain.yjs_docs import ROOT_GUID, RoomYDocs, UnknownSubdoc, b64encode
from ..domain.yjs_json import TYPES, document_json
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    TIMESTAMP,
    Json,
    closed_object,
    error,
    in_room,
    nullable,
    ok,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, path_room, query_int, read_body
from .responses import JSONResponse, dump_json, no_content

BINARY = "application/octet-stream"
FALSE_WORDS = ("false", "0")


def _room_docs(request: Request) -> RoomYDocs:
    room = path_room(request)
    return emulator_state(request).yjs.docs(room)


def _guid(request: Request) -> str | None:
    guid = request.query_params.get("guid")
    return None if guid in (None, "", ROOT_GUID) else guid


def _refuse_v2(request: Request) -> None:
    if request.query_params.get("encoder", "v1") != "v1":
        raise InvalidInput(
            "Only v1 Yjs updates are supported by the emulator (encoder=v2 is not)",
            code="UNPROCESSABLE_ENTITY",
        )


async def get_ydoc(request: Request) -> Response:
    docs = _room_docs(request)
    query = request.query_params
    kind = query.get("type") or None
    if kind is not None and kind not in TYPES:
        raise InvalidInput(f"type must be one of {', '.join(TYPES)}, got {kind[:40]!r}")
    key = query.get("key") or None
    doc = docs.doc(_guid(request))
    if doc is None:  # an unknown subdocument reads as an empty one
        return JSONResponse({})
    formatting = "formatting" in query and query["formatting"].lower() not in FALSE_WORDS
    kind = kind if key else None
    # With both key and type, the bare value (as the dev server and the Node SDK docs say).
    body = docs.memoized(doc, ("json", key, kind, formatting), lambda: dump_json(
        document_json(doc, key=key, kind=kind, formatting=formatting)))
    return Response(body, media_type="application/json")


async def get_ydoc_binary(request: Request) -> Response:
    docs = _room_docs(request)
    _refuse_v2(request)
    doc = docs.doc(_guid(request))
    body = b"\x00\x00" if doc is None else docs.memoized(doc, ("binary",),
                                                         lambda: docs.diff(doc, None))
    return Response(body, media_type=BINARY)


async def put_ydoc(request: Request) -> Response:
    state = emulator_state(request)
    room = path_room(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != BINARY:
        raise BadRequest(
            'Expected "Content-Type" header to be "application/octet-stream", and the HTTP '
            "body to be a valid binary Yjs update."
        )
    _refuse_v2(request)
    body = await read_body(request)
    docs = state.yjs.docs(room)
    guid = _guid(request)
    doc = docs.doc(guid)
    if doc is None:
        assert guid is not None
        raise UnknownSubdoc(guid)
    if docs.apply(doc, body):
        state.ydoc_changed(room)
    live = state.live.find(room)
    if live is not None:
        live.broadcast_ydoc_update(docs, guid, b64encode(body))
    return JSONResponse({"success": True})


# ------------------------------------------------------------------ version history


async def list_versions(request: Request) -> Response:
    docs = _room_docs(request)
    limit = query_int(request, "limit", default=20, low=1, high=100)
    page, cursor = docs.history.page(limit, request.query_params.get("cursor") or None)
    return JSONResponse({"data": [version.json() for version in page], "nextCursor": cursor})


async def create_version(request: Request) -> Response:
    state = emulator_state(request)
    docs = _room_docs(request)
    version = docs.history.create(docs.diff(docs.root, None), state.clock())
    return JSONResponse({"data": {"id": version.id}})


async def get_version(request: Request) -> Response:
    docs = _room_docs(request)
    version = docs.history.get(request.path_params["versionId"])
    return Response(version.update, media_type=BINARY)


async def delete_version(request: Request) -> Response:
    docs = _room_docs(request)
    docs.history.delete(request.path_params["versionId"])
    return no_content()


# ------------------------------------------------------------------ OpenAPI

YDOC = "/v2/rooms/{roomId}/ydoc"
GUID: Json = {"name": "guid", "in": "query", "schema": string(),
              "description": "A subdocument's guid (absent or 'root': the root document)"}
ENCODER: Json = {"name": "encoder", "in": "query", "schema": {"enum": ["v1"]},
                 "description": "Only v1 updates are supported"}
BINARY_OK: Json = {"description": "A Yjs v1 update", "content": {BINARY: {"schema": string(
    format="binary")}}}
SCHEMAS: Json = {
    "HistoryVersion": closed_object(
        {"type": {"const": "historyVersion"}, "id": string(1), "kind": {"const": "yjs"},
         "createdAt": TIMESTAMP,
         "authors": {"type": "array", "items": closed_object({"id": string()}, ["id"])}},
        ["type", "id", "kind", "createdAt", "authors"],
    ),
    "YjsVersions": closed_object(
        {"data": {"type": "array", "items": ref("HistoryVersion")},
         "nextCursor": nullable(string())},
        ["data", "nextCursor"],
    ),
    "CreatedYjsVersion": closed_object(
        {"data": closed_object({"id": string(1)}, ["id"])}, ["data"]),
}
VERSION_NOT_FOUND = error("404", "No such room, or no such version (VERSION_NOT_FOUND)")


def _create_version_doc() -> Json:
    return in_room("Take a version history snapshot of the room's Yjs document",
                   {"200": ok(ref("CreatedYjsVersion"))}, tag="yjs")


def _get_version_doc(summary: str) -> Json:
    return in_room(summary, {"200": BINARY_OK, "404": VERSION_NOT_FOUND}, tag="yjs")


FEATURE = Feature(
    "yjs",
    [
        Endpoint("GET", YDOC, get_ydoc, in_room(
            "The room's Yjs document as JSON (each root as Yjs' toJSON renders it)",
            {"200": ok({}, "An object of roots; with key and type, that root's bare value"),
             "422": error("422", "An unknown type")},
            tag="yjs",
            parameters=[
                {"name": "formatting", "in": "query", "schema": string(),
                 "description": "present (and not 'false'): texts as runs and formatting"},
                {"name": "key", "in": "query", "schema": string()},
                {"name": "type", "in": "query", "schema": {"enum": list(TYPES)}},
                GUID,
            ],
        )),
        Endpoint("PUT", YDOC, put_ydoc, in_room(
            "Apply a binary Yjs v1 update; live providers receive it",
            {"200": ok(closed_object({"success": {"const": True}}, ["success"])),
             "400": error("400", "Content-Type is not application/octet-stream"),
             "413": error("413"),
             "422": error("422", "Not a Yjs v1 update, an unknown guid, or encoder=v2")},
            tag="yjs",
            parameters=[GUID, ENCODER],
            extensions={"requestBody": {"required": True, "content": {
                BINARY: {"schema": string(format="binary")}}}},
        )),
        Endpoint("GET", YDOC + "-binary", get_ydoc_binary, in_room(
            "The room's Yjs document as one v1 update (an unknown guid: an empty update)",
            {"200": BINARY_OK, "422": error("422", "encoder=v2")},
            tag="yjs", parameters=[GUID, ENCODER],
        )),
        Endpoint("GET", "/v2/rooms/{roomId}/versions", list_versions, in_room(
            "Version history of the room's Yjs document, newest first",
            {"200": ok(ref("YjsVersions")), "422": error("422", "A bad limit or cursor")},
            tag="yjs",
            parameters=[
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                {"name": "cursor", "in": "query", "schema": string()},
            ],
        )),
        Endpoint("POST", "/v2/rooms/{roomId}/versions", create_version, _create_version_doc()),
        Endpoint("POST", "/v2/rooms/{roomId}/version", create_version, _create_version_doc()),
        Endpoint("GET", "/v2/rooms/{roomId}/versions/{versionId}/yjs", get_version,
                 _get_version_doc("A version of the Yjs document, as a v1 update")),
        Endpoint("GET", "/v2/rooms/{roomId}/version/{versionId}", get_version,
                 _get_version_doc("A version of the Yjs document, as a v1 update "
                                  "(OpenAPI's spelling)")),
        Endpoint("DELETE", "/v2/rooms/{roomId}/versions/{versionId}", delete_version, in_room(
            "Delete a version", {"204": {"description": "Deleted"}, "404": VERSION_NOT_FOUND},
            tag="yjs",
        )),
    ],
    schemas=SCHEMAS,
    parameters={"versionId": path_parameter("versionId", "A version id (vh_…)")},
)

