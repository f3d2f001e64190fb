"""Every feature the emulator serves, in one list: the app's routes and the OpenAPI
document are both made from it. A new feature is a module under ``emulator/api/`` with a
``FEATURE`` (see ``endpoints``), added here."""

from __future__ import annotations

from . import (
    admin,
    groups,
    live,
    notifications,
    openapi,
    realtime,
    rooms,
    schemas,
    storage,
    tokens,
    webhooks_admin,
)
from .endpoints import Feature

FEATURES: tuple[Feature, ...] = (
    openapi.FEATURE,
    realtime.FEATURE,
    rooms.FEATURE,
    live.FEATURE,
    storage.FEATURE,
    schemas.FEATURE,
    tokens.FEATURE,
    groups.FEATURE,
    notifications.FEATURE,
    admin.FEATURE,
    webhooks_admin.FEATURE,
)
