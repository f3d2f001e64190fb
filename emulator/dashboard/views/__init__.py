"""Every view of the dashboard. A new feature's view: a module here and a line below."""

from __future__ import annotations

from ..registry import RoomPanel, Tab
from . import admin, log, room_panels, rooms, schemas, tokens

TABS: tuple[Tab, ...] = tuple(
    sorted((rooms.TAB, schemas.TAB, tokens.TAB, log.TAB, admin.TAB), key=lambda t: t.order)
)

ROOM_PANELS: tuple[RoomPanel, ...] = tuple(sorted(room_panels.PANELS, key=lambda p: p.order))
