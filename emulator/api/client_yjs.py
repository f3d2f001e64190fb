"""The browser client's Yjs side calls (YJS.md §2.5), with its public key or token:
text-editor metadata, text mentions, and the version history the editors' UI shows."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import format_ms, parse_iso
from ..domain.errors import InvalidInput
from ..domain.room_inputs import require_object
from .client_auth import require_storage
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    TIMESTAMP,
    Json,
    closed_object,
    error,
    ok,
    open_object,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, read_json
from .responses import JSONResponse, no_content

EDITORS = ("tiptap", "lexical", "blocknote")


def _string(body: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > 256:
        raise InvalidInput(f"{key} must be a non-empty string of at most 256 characters")
    return value


async def report_text_editor(request: Request) -> Response:
    room, _ = require_storage(request, write=False)
    body = require_object(await read_json(request), "Request body")
    editor = _string(body, "type")
    if editor not in EDITORS:
        raise InvalidInput(f"type must be one of {', '.join(EDITORS)}")
    root_key = _string(body, "rootKey")
    assert editor is not None and root_key is not None
    docs = emulator_state(request).yjs.docs(room)
    docs.text_editor = {"type": editor, "rootKey": root_key}
    return JSONResponse(docs.text_editor)


async def create_text_mention(request: Request) -> Response:
    room, caller = require_storage(request, write=True)
    body = require_object(await read_json(request), "Request body")
    mention_id = _string(body, "mentionId")
    user_id = _string(body, "userId", required=False)
    group_id = _string(body, "groupId", required=False)
    if (user_id is None) == (group_id is None):
        raise InvalidInput("give exactly one of userId and groupId")
    mention: dict[str, Any] = {"id": mention_id}
    if user_id is not None:
        mention.update(kind="user", userId=user_id)
    else:
        user_ids = body.get("userIds")
        if user_ids is not None and (not isinstance(user_ids, list) or len(user_ids) > 1_000
                                     or not all(isinstance(u, str) for u in user_ids)):
            raise InvalidInput("userIds must be an array of at most 1000 strings")
        mention.update(kind="group", groupId=group_id, userIds=user_ids or [])
    state = emulator_state(request)
    docs = state.yjs.docs(room)
    assert mention_id is not None
    docs.text_mentions[mention_id] = mention
    # The mentioned (a group's members) get a textMention notification from the caller;
    # an anonymous caller (public key, no user) has no one to name as createdBy.
    if caller is not None:
        state.notifier.text_mention_created(
            room, created_by=caller, mention_id=mention_id, user_id=user_id,
            group_id=group_id, user_ids=body.get("userIds") if group_id else None)
    return JSONResponse(mention)


async def delete_text_mention(request: Request) -> Response:
    room, _ = require_storage(request, write=True)
    state = emulator_state(request)
    mention_id = request.path_params["mentionId"]
    state.yjs.docs(room).text_mentions.pop(mention_id, None)
    state.notifier.text_mention_deleted(room, mention_id)
    return no_content()


def _versions_json(request: Request, since_ms: int | None) -> Response:
    room, _ = require_storage(request, write=False)
    state = emulator_state(request)
    history = state.yjs.docs(room).history
    versions = history.since(since_ms) if since_ms is not None else history.versions[::-1]
    return JSONResponse({"versions": [version.json() for version in versions],
                         "meta": {"requestedAt": format_ms(state.clock())}})


async def list_versions(request: Request) -> Response:
    return _versions_json(request, None)


async def list_versions_since(request: Request) -> Response:
    since = request.query_params.get("since", "")
    try:
        since_ms = parse_iso(since)
    except ValueError:
        raise InvalidInput(f"since must be an ISO-8601 date, got {since[:40]!r}") from None
    return _versions_json(request, since_ms)


async def get_version_yjs(request: Request) -> Response:
    room, _ = require_storage(request, write=False)
    history = emulator_state(request).yjs.docs(room).history
    version = history.get(request.path_params["versionId"])
    return Response(version.update, media_type="application/octet-stream")


async def create_version(request: Request) -> Response:
    room, _ = require_storage(request, write=True)
    state = emulator_state(request)
    docs = state.yjs.docs(room)
    version = docs.history.create(docs.diff(docs.root, None), state.clock())
    return JSONResponse({"data": {"id": version.id}})


async def delete_version(request: Request) -> Response:
    room, _ = require_storage(request, write=True)
    emulator_state(request).yjs.docs(room).history.delete(request.path_params["versionId"])
    return no_content()


# ------------------------------------------------------------------ OpenAPI

ROOM = "/v2/c/rooms/{roomId}"
DENIED = {"401": error("401", "No Authorization header"),
          "403": error("403", "Not the public key nor a valid token, or not allowed"),
          "404": error("404")}
VERSIONS = ok(closed_object(
    {"versions": {"type": "array", "items": ref("HistoryVersion")},
     "meta": closed_object({"requestedAt": TIMESTAMP}, ["requestedAt"])},
    ["versions", "meta"]))


def client_op(summary: str, responses: Json, **kwargs: Any) -> Json:
    return operation("yjs", summary, {**DENIED, **responses}, secret=False,
                     description="Authorization: Bearer <public key or token>", **kwargs)


FEATURE = Feature(
    "client-yjs",
    [
        Endpoint("POST", ROOM + "/text-metadata", report_text_editor, client_op(
            "The client reports which text editor edits the room's Yjs document",
            {"200": ok(closed_object({"type": {"enum": list(EDITORS)}, "rootKey": string(1)},
                                     ["type", "rootKey"])),
             "422": error("422")},
            body=open_object({"type": {"enum": list(EDITORS)}, "rootKey": string(1)},
                             ["type", "rootKey"]),
        ), guard=None),
        Endpoint("POST", ROOM + "/text-mentions", create_text_mention, client_op(
            "A mention of a user or group in the room's text editor",
            {"200": ok({"type": "object"}), "422": error("422")},
            body=open_object({"mentionId": string(1), "userId": string(1),
                              "groupId": string(1),
                              "userIds": {"type": "array", "items": string()}},
                             ["mentionId"]),
        ), guard=None),
        Endpoint("DELETE", ROOM + "/text-mentions/{mentionId}", delete_text_mention, client_op(
            "Remove a text mention", {"204": {"description": "Removed"}}), guard=None),
        Endpoint("GET", ROOM + "/versions", list_versions, client_op(
            "The Yjs version history, newest first", {"200": VERSIONS}), guard=None),
        Endpoint("POST", ROOM + "/versions", create_version, client_op(
            "Take a version of the Yjs document",
            {"200": ok(ref("CreatedYjsVersion"))}), guard=None),
        Endpoint("GET", ROOM + "/versions/delta", list_versions_since, client_op(
            "Versions taken since a date", {"200": VERSIONS, "422": error("422")},
            parameters=[{"name": "since", "in": "query", "required": True,
                         "schema": string()}]), guard=None),
        Endpoint("GET", ROOM + "/versions/{versionId}/yjs", get_version_yjs, client_op(
            "A version of the Yjs document, as a v1 update",
            {"200": {"description": "A Yjs v1 update", "content": {
                "application/octet-stream": {"schema": string(format="binary")}}}}),
            guard=None),
        Endpoint("DELETE", ROOM + "/versions/{versionId}", delete_version, client_op(
            "Delete a version", {"204": {"description": "Deleted"}}), guard=None),
    ],
    parameters={"mentionId": path_parameter("mentionId", "A text mention's id")},
)
