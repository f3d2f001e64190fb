"""The panels of a room's page that exist today: the room, who is in it, its storage,
its schema. Each is a ``RoomPanel`` (registry) and a template ``panel_*.html``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...domain.rooms import Room
from ...domain.storage_schema import document_violations
from ...state import EmulatorState
from ..registry import RoomPanel
from ..storage_tree import MAX_ROWS, rows


def _overview(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    return {"connections": state.live.connection_count(room)}


def _users(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    live = state.live.find(room)
    users: list[dict[str, Any]] = []
    if live is not None:
        for actor, session in sorted(live.sessions.items()):
            users.append({"connectionId": actor, "id": session.identity.user_id,
                          "info": session.identity.info, "presence": session.presence,
                          "scopes": session.identity.scopes, "backend": False})
        for backend in live.backend_users.values():
            users.append({"connectionId": backend.actor, "id": backend.user_id,
                          "info": backend.info, "presence": backend.data,
                          "scopes": [], "backend": True})
    return {"users": users}


def _storage(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    doc = room.document()
    return {"rows": list(rows(doc)), "node_count": doc.node_count, "max_rows": MAX_ROWS}


def _schema(state: EmulatorState, room: Room, params: Mapping[str, str]) -> dict[str, Any]:
    stored = state.attached_schema(room)
    violations = document_violations(stored.schema, room.document()) if stored else []
    return {"schema": stored, "violations": violations,
            "schema_ids": [s.id for s in state.schemas]}


STORAGE_CHANGES = frozenset({"storageUpdated"})
PRESENCE_CHANGES = frozenset({"userEntered", "userLeft", "emulator.presenceUpdated"})

PANELS = (
    RoomPanel("overview", "Room", "panel_overview.html", _overview,
              frozenset({"userEntered", "userLeft"}), order=10, tools="tools_overview.html"),
    RoomPanel("users", "Connected users", "panel_users.html", _users, PRESENCE_CHANGES,
              order=20),
    RoomPanel("storage", "Storage", "panel_storage.html", _storage, STORAGE_CHANGES,
              order=30, tools="tools_storage.html"),
    RoomPanel("schema", "Schema", "panel_schema.html", _schema, STORAGE_CHANGES, order=40,
              tools="tools_schema.html"),
)
