"""The log tab: the last REST calls and client WebSocket messages (``state.activity``),
filterable by room and kind; re-rendered when something happens in the emulator."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state
from ..registry import Tab, view
from ..render import fragment, page

KINDS = ("", "rest", "ws")
SHOWN = 200


def _entries(request: Request) -> dict[str, Any]:
    params = request.query_params
    kind = params.get("kind", "")
    kind = kind if kind in KINDS else ""
    room = params.get("room", "")
    entries = list(emulator_state(request).activity.newest(
        kind=kind or None, room_id=room or None, limit=SHOWN))
    return {"entries": entries, "kind": kind, "room": room, "shown": SHOWN}


async def log_page(request: Request) -> Response:
    return page(request, "log.html", tab="log", **_entries(request))


async def log_rows(request: Request) -> Response:
    return fragment("log_rows.html", **_entries(request))


TAB = Tab("log", "Log", [
    view("GET", "/dashboard/log", log_page),
    view("GET", "/dashboard/log/rows", log_rows),
], order=40)
