"""Every feature the emulator serves, in one list: the app's routes and the OpenAPI
document are both made from it. A new feature is a module under ``emulator/api/`` with a
``FEATURE`` (see ``endpoints``), added here."""

from __future__ import annotations

from . import admin, live, openapi, realtime, rooms, schemas, storage, tokens
from .comments import client_routes as comments_client
from .comments import routes as comments
from .endpoints import Feature

FEATURES: tuple[Feature, ...] = (
    openapi.FEATURE,
    realtime.FEATURE,
    rooms.FEATURE,
    live.FEATURE,
    storage.FEATURE,
    schemas.FEATURE,
    tokens.FEATURE,
    admin.FEATURE,
    comments.SECRET_FEATURE,
    comments_client.CLIENT_FEATURE,
)
