"""The rooms tab: search (id prefix, metadata), paging, create; and a room's page."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ...api.requests import emulator_state
from ...domain.errors import InvalidInput, NotFound
from ...domain.room_query import RoomFilter
from ...domain.rooms import Room
from ...state import EmulatorState
from ..registry import RoomPanel, Tab, view
from ..render import HEADERS, fragment, page, render_text

PAGE_SIZE = 50


def _query(prefix: str, metadata: str) -> str:
    """The REST query language (room_query) for an id prefix and ``key=value`` pairs."""
    clauses = [f"roomId^{json.dumps(prefix)}"] if prefix else []
    for pair in metadata.split(","):
        if not pair.strip():
            continue
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"metadata filters are key=value pairs, got {pair.strip()!r}")
        clauses.append(f"metadata[{json.dumps(key.strip())}]:{json.dumps(value.strip())}")
    return " AND ".join(clauses)


async def rooms_page(request: Request) -> Response:
    state = emulator_state(request)
    params = request.query_params
    prefix = params.get("prefix", "")
    metadata = params.get("metadata", "")
    cursor = params.get("after") or None
    error = None
    rooms = []
    next_cursor = None
    try:
        query = _query(prefix, metadata)
        found = state.rooms.page(limit=PAGE_SIZE, starting_after=cursor,
                                 predicate=RoomFilter({}, query=query or None).compile())
        rooms, next_cursor = found.rooms, found.next_cursor
    except InvalidInput as invalid:
        error = invalid.message
    return page(request, "rooms.html", tab="rooms", rooms=rooms, next_cursor=next_cursor,
                prefix=prefix, metadata=metadata, error=error, total=len(state.rooms),
                live=state.live, after=cursor)


def _panel(name: str) -> RoomPanel:
    from . import ROOM_PANELS

    for panel in ROOM_PANELS:
        if panel.name == name:
            return panel
    raise NotFound(f"No room panel {name!r}")


def _render_panel(state: EmulatorState, room: Room, panel: RoomPanel,
                  params: Mapping[str, str]) -> str:
    return render_text(panel.template, room=room, state=state,
                       **panel.context(state, room, params))


async def room_page(request: Request) -> Response:
    from markupsafe import Markup

    from . import ROOM_PANELS

    state = emulator_state(request)
    room_id = request.path_params["roomId"]
    room = state.rooms.find(room_id)
    if room is None:
        return page(request, "gone.html", tab="rooms", status=404, room_id=room_id)
    panels = [
        (panel, Markup(_render_panel(state, room, panel, request.query_params)),
         Markup(render_text(panel.tools, room=room, state=state)) if panel.tools else None)
        for panel in ROOM_PANELS
    ]
    return page(request, "room.html", tab="rooms", room=room, panels=panels,
                query=request.url.query)


async def room_panel(request: Request) -> Response:
    panel = _panel(request.path_params["panel"])
    state = emulator_state(request)
    room = state.rooms.find(request.path_params["roomId"])
    if room is None:
        # Not a 404 (a console error in the page): the script sees the marker and reloads.
        return fragment("gone_fragment.html", room_id=request.path_params["roomId"])
    return HTMLResponse(_render_panel(state, room, panel, request.query_params),
                        headers=HEADERS)


TAB = Tab("rooms", "Rooms", [
    view("GET", "/dashboard", rooms_page),
    view("GET", "/dashboard/rooms", rooms_page),
    view("GET", "/dashboard/rooms/{roomId}", room_page),
    view("GET", "/dashboard/rooms/{roomId}/panels/{panel}", room_panel),
], order=10)
