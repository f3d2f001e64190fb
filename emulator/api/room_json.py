"""The JSON shape of a room, as both SDKs parse it."""

from __future__ import annotations

from typing import Any

from ..domain.clock import format_ms
from ..domain.rooms import Room


def room_json(room: Room) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "room",
        "id": room.id,
        "organizationId": room.organization_id,
        "createdAt": format_ms(room.created_ms),
        "metadata": room.metadata,
        "defaultAccesses": room.default_accesses,
        "usersAccesses": room.users_accesses,
        "groupsAccesses": room.groups_accesses,
    }
    # The Python SDK refuses a null lastConnectionAt: omit the key until a connection.
    if room.last_connection_ms is not None:
        body["lastConnectionAt"] = format_ms(room.last_connection_ms)
    return body
