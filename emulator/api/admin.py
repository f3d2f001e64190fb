"""The emulator's own admin API under ``/_emulator/`` (secret key): reset, load, snapshot."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.room_inputs import MAX_ACCESS_ID_LENGTH_ON_UPDATE, MAX_ROOM_ID_LENGTH
from ..fixture_files import FixtureSource
from .endpoints import Endpoint, Feature
from .openapi_kit import NO_CONTENT, TIMESTAMP, closed_object, error, ok, operation, ref, string
from .requests import emulator_state, read_json
from .responses import JSONResponse, no_content
from .rooms import ORGANIZATION_ID, accesses, metadata


async def reset(request: Request) -> Response:
    """Back to the fixtures loaded at start; ``?empty=true`` forgets those too."""
    empty = request.query_params.get("empty", "false").lower() in ("", "1", "true")
    emulator_state(request).reset(to_fixtures=not empty)
    return no_content()


async def load_fixtures(request: Request) -> Response:
    """Add a fixture document (all of it, or nothing and a 422 naming the bad part)."""
    document = await read_json(request)
    state = emulator_state(request)
    state.load([FixtureSource(document, "request body")])
    return JSONResponse({"rooms": len(state.rooms), "schemas": sum(1 for _ in state.schemas)})


async def snapshot(request: Request) -> Response:
    return JSONResponse(emulator_state(request).snapshot())


# ------------------------------------------------------------------ OpenAPI

FEATURE = Feature(
    "admin",
    [
        Endpoint("POST", "/_emulator/reset", reset, operation(
            "emulator",
            "Back to the start-up fixtures; live clients are disconnected (1012)",
            {"204": NO_CONTENT},
            parameters=[{"name": "empty", "in": "query",
                         "description": "true: to nothing, not to the fixtures",
                         "schema": {"type": "boolean"}}],
        )),
        Endpoint("POST", "/_emulator/fixtures", load_fixtures, operation(
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
        )),
        Endpoint("GET", "/_emulator/snapshot", snapshot, operation(
            "emulator", "The whole state as a fixture document",
            {"200": ok(ref("FixtureDocument"))})),
    ],
    schemas={
        "FixtureDocument": closed_object(
            {
                "$schema": string(),
                "schemas": {"type": "array", "items": ref("FixtureSchema")},
                "rooms": {"type": "array", "items": ref("FixtureRoom")},
                "webhooks": {"type": "array", "items": ref("WebhookEndpointInput")},
                "webhookDeliveries": {"type": "array", "items": closed_object(
                    {"id": string(pattern="^msg_"), "endpointId": string(), "type": string(),
                     "body": string(), "createdAt": TIMESTAMP},
                    ["id", "endpointId", "type", "body", "createdAt"],
                    description="A webhook delivery pending when the state was saved",
                )},
                "groups": {"type": "array", "items": {
                    "type": "object", "required": ["id"],
                    "description": "A group (fixtures/fixture.schema.json, $defs/group)"}},
                "notificationSettings": {
                    "type": "object", "additionalProperties": {"type": "object"},
                    "description": "User id -> notification settings"},
                "roomSubscriptionSettings": {"type": "array", "items": {
                    "type": "object", "required": ["roomId", "userId"],
                    "description": "A user's subscription settings in a room"}},
                "inboxNotifications": {"type": "array", "items": {
                    "type": "object", "required": ["userId", "kind"],
                    "description": "An inbox notification as the API shows it, plus userId"}},
                "generateNotifications": {
                    "type": "boolean",
                    "description": "Replay the document's thread comments through the "
                    "notification rules when it loads"},
            },
            description="The format of fixtures/fixture.schema.json: what --fixtures loads, "
            "and what a snapshot is (webhooks: the endpoints not given on the command line).",
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
                "yjs": {"type": "object", "description": "The room's Yjs documents: base64 v1 "
                        "updates by guid ('root' for the root document)",
                        "additionalProperties": string()},
                "threads": {"type": "array", "items": {
                    "type": "object", "required": ["id", "comments"],
                    "description": "A thread as the API shows it, plus its subscriptions "
                    "(fixtures/fixture.schema.json, $defs/thread)"}},
                "attachments": {"type": "array", "items": {
                    "type": "object", "required": ["id", "name", "data"],
                    "description": "A comment attachment, its bytes in base64 in data"}},
            },
            ["id"],
        ),
    },
)
