"""Every view of the dashboard. A new feature's view: a module here and a line below."""

from __future__ import annotations

from ..registry import RoomPanel, Tab
from . import (
    admin,
    log,
    room_panels,
    rooms,
    schemas,
    threads_panel,
    tokens,
    users,
    webhooks,
    yjs_panel,
)

TABS: tuple[Tab, ...] = tuple(
    sorted((rooms.TAB, schemas.TAB, users.TAB, webhooks.TAB, tokens.TAB, log.TAB, admin.TAB),
           key=lambda t: t.order)
)

ROOM_PANELS: tuple[RoomPanel, ...] = tuple(sorted(
    (*room_panels.PANELS, *yjs_panel.PANELS, *threads_panel.PANELS), key=lambda p: p.order))
