"""Every feature the emulator serves, in one list: the app's routes and the OpenAPI
document are both made from it. A new feature is a module under ``emulator/api/`` with a
``FEATURE`` (see ``endpoints``), added here."""

from __future__ import annotations

from ..dashboard import feature as dashboard
from . import (
    admin,
    client_yjs,
    clock,
    faults,
    groups,
    inbox_client,
    live,
    notifications,
    openapi,
    realtime,
    rooms,
    schemas,
    storage,
    tokens,
    user_threads_client,
    webhooks_admin,
    yjs,
)
from .comments import client_routes as comments_client
from .comments import routes as comments
from .endpoints import Feature

FEATURES: tuple[Feature, ...] = (
    openapi.FEATURE,
    realtime.FEATURE,
    rooms.FEATURE,
    live.FEATURE,
    storage.FEATURE,
    yjs.FEATURE,
    client_yjs.FEATURE,
    schemas.FEATURE,
    tokens.FEATURE,
    groups.FEATURE,
    notifications.FEATURE,
    admin.FEATURE,
    dashboard.FEATURE,
    clock.FEATURE,
    faults.FEATURE,
    comments.SECRET_FEATURE,
    comments_client.CLIENT_FEATURE,
    inbox_client.FEATURE,
    user_threads_client.FEATURE,
    webhooks_admin.FEATURE,
)
