"""The realtime WebSocket endpoints (``/v7``, ``/v8``; PROTOCOL.md) as a feature: their
routes and their OpenAPI entries (documented as the GET of the upgrade, ``x-websocket``)."""

from __future__ import annotations

from ..realtime.endpoint import websocket_endpoint
from .endpoints import Endpoint, Feature
from .openapi_kit import NON_EMPTY, Json, operation, string


def websocket(version: int) -> Json:
    return operation(
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


FEATURE = Feature(
    "realtime",
    [Endpoint("WEBSOCKET", f"/v{version}", websocket_endpoint, websocket(version), guard=None)
     for version in (7, 8)],
)
