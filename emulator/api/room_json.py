"""The JSON shape of a room, as both SDKs parse it."""

from __future__ import annotations

from typing import Any

from ..domain.rooms import Room, room_record


def room_json(room: Room) -> dict[str, Any]:
    return {"type": "room", **room_record(room)}
