"""create_app(config, state) -> the ASGI app. The route table lives here, in one place."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from .api import admin, live, openapi, rooms, schemas, storage, tokens
from .api.auth import Handler, secret_required
from .api.errors import EXCEPTION_HANDLERS
from .api.responses import JSONResponse
from .config import Config
from .cors import BrowserCors
from .realtime.endpoint import websocket_endpoint
from .routing import RawPathRouting
from .state import EmulatorState

ROOM = "/v2/rooms/{room_id:segment}"


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def routes() -> list[BaseRoute]:
    def api(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(path, secret_required(handler), methods=methods)

    return [
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", openapi.openapi_json, methods=["GET"]),
        WebSocketRoute("/v7", websocket_endpoint),
        WebSocketRoute("/v8", websocket_endpoint),
        api("/v2/rooms", rooms.list_rooms, ["GET"]),
        api("/v2/rooms", rooms.create_room, ["POST"]),
        api(ROOM, rooms.get_room, ["GET"]),
        api(ROOM, rooms.update_room, ["POST"]),
        api(ROOM, rooms.delete_room, ["DELETE"]),
        api(ROOM + "/upsert", rooms.upsert_room, ["POST"]),
        api(ROOM + "/update-room-id", rooms.update_room_id, ["POST"]),
        api(ROOM + "/update-organization-id", rooms.update_room_organization_id, ["POST"]),
        api(ROOM + "/prewarm", rooms.prewarm_room, ["GET"]),
        api(ROOM + "/active_users", live.active_users, ["GET"]),
        api(ROOM + "/active-users", live.active_users, ["GET"]),
        api(ROOM + "/broadcast_event", live.broadcast_event, ["POST"]),
        api(ROOM + "/broadcast-event", live.broadcast_event, ["POST"]),
        api(ROOM + "/presence", live.set_presence, ["POST"]),
        api(ROOM + "/storage", storage.get_storage, ["GET"]),
        api(ROOM + "/storage", storage.initialize_storage, ["POST"]),
        api(ROOM + "/storage", storage.delete_storage, ["DELETE"]),
        api(ROOM + "/storage/json-patch", storage.patch_storage, ["PATCH"]),
        api(ROOM + "/request-storage-mutation", storage.request_storage_mutation, ["POST"]),
        api(ROOM + "/send-message", storage.send_message, ["POST"]),
        api(ROOM + "/schema", schemas.get_room_schema, ["GET"]),
        api(ROOM + "/schema", schemas.attach_schema, ["POST"]),
        api(ROOM + "/schema", schemas.detach_schema, ["DELETE"]),
        api(ROOM + "/authorize", tokens.authorize_room, ["POST"]),
        # The public key is the credential here: no secret.
        Route(ROOM + "/public/authorize", tokens.authorize_public_room, methods=["POST"]),
        api("/v2/authorize-user", tokens.authorize_user, ["POST"]),
        api("/v2/identify-user", tokens.identify_user, ["POST"]),
        api("/v2/schemas", schemas.create_schema, ["POST"]),
        api("/v2/schemas/{schema_id:segment}", schemas.get_schema, ["GET"]),
        api("/v2/schemas/{schema_id:segment}", schemas.update_schema, ["PUT"]),
        api("/v2/schemas/{schema_id:segment}", schemas.delete_schema, ["DELETE"]),
        api("/_emulator/reset", admin.reset, ["POST"]),
        api("/_emulator/fixtures", admin.load_fixtures, ["POST"]),
        api("/_emulator/snapshot", admin.snapshot, ["GET"]),
    ]


def create_app(config: Config | None = None, state: EmulatorState | None = None) -> Starlette:
    state = state or EmulatorState(config)
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(RawPathRouting), Middleware(BrowserCors)],
        exception_handlers=dict(EXCEPTION_HANDLERS),
    )
    app.state.emulator = state
    return app
