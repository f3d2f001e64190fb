"""The framework ceiling: a bare Starlette app that returns a stored dict.

It does what the emulator's GET/POST room and storage endpoints do minus all
of the emulator's work (auth, validation, domain, serialization of real
objects), served with the same uvicorn settings. Any per-request work we add
shows as the distance from this app.

    python -m bench.ceiling --port 8123
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.config import Config
from emulator.server import serve_app_forever

ROOM: dict[str, Any] = {
    "type": "room", "id": "bench-room", "organizationId": "default",
    "createdAt": "2026-01-01T00:00:00.000Z", "metadata": {"color": "blue"},
    "defaultAccesses": ["room:write"], "usersAccesses": {}, "groupsAccesses": {},
}
STORED: dict[str, bytes] = {}


def _json(content: Any) -> Response:
    return Response(json.dumps(content, separators=(",", ":")), media_type="application/json")


async def get_room(request: Request) -> Response:
    return _json({**ROOM, "id": request.path_params["room_id"]})


async def post_room(request: Request) -> Response:
    body = await request.body()
    room_id = json.loads(body)["id"]
    STORED[room_id] = body
    return _json({**ROOM, "id": room_id})


async def list_rooms(request: Request) -> Response:
    return _json({"nextCursor": None, "nextPage": None, "data": [ROOM] * 20})


async def get_storage(request: Request) -> Response:
    return Response(STORED.get("storage:" + request.path_params["room_id"], b"{}"),
                    media_type="application/json")


async def post_storage(request: Request) -> Response:
    body = await request.body()
    STORED["storage:" + request.path_params["room_id"]] = body
    return Response(body, media_type="application/json")


async def delete_storage(request: Request) -> Response:
    STORED.pop("storage:" + request.path_params["room_id"], None)
    return Response(status_code=200)


async def ok(request: Request) -> Response:
    return Response(status_code=204)


def create_ceiling_app() -> Starlette:
    return Starlette(routes=[
        Route("/health", ok),
        Route("/v2/rooms", list_rooms, methods=["GET"]),
        Route("/v2/rooms", post_room, methods=["POST"]),
        Route("/v2/rooms/{room_id}", get_room, methods=["GET"]),
        Route("/v2/rooms/{room_id}/storage", get_storage, methods=["GET"]),
        Route("/v2/rooms/{room_id}/storage", post_storage, methods=["POST"]),
        Route("/v2/rooms/{room_id}/storage", delete_storage, methods=["DELETE"]),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description="The framework ceiling app")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    def announce(url: str) -> None:
        print(f"ceiling ready at {url}", flush=True)

    serve_app_forever(create_ceiling_app(), Config(port=args.port, log_level="warning"), announce)


if __name__ == "__main__":
    main()
