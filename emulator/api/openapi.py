"""The OpenAPI 3.1 document of everything the emulator serves, and ``GET /openapi.json``.

Each feature module declares its operations next to its handlers (``endpoints.Endpoint``)
with the component schemas and path parameters they use (``endpoints.Feature``); this
module only assembles them, once, on first use. ``tests/api/test_openapi_drift.py`` checks
that the document names exactly the routes the app serves; schemathesis
(``tests/api/test_schemathesis.py``) checks that responses match it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response

from .. import __version__
from .endpoints import PATH_PARAMETER, Endpoint, Feature
from .openapi_kit import ERROR_SCHEMA, RESPONSES, Json, closed_object, ok, open_object, operation
from .responses import JSONResponse


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def openapi_json(request: Request) -> Response:
    """``GET /openapi.json`` (no authentication)."""
    return JSONResponse(document())


FEATURE = Feature(
    "system",
    [
        Endpoint("GET", "/health", health, operation(
            "emulator", "Liveness",
            {"200": ok(closed_object({"status": {"const": "ok"}}, ["status"]))},
            secret=False), guard=None),
        Endpoint("GET", "/openapi.json", openapi_json, operation(
            "emulator", "This document",
            {"200": ok(open_object({}, ["openapi", "info", "paths"]))},
            secret=False), guard=None),
    ],
)


def build_document(features: Iterable[Feature]) -> Json:
    features = list(features)
    parameters: Json = {}
    schemas: Json = {"Error": ERROR_SCHEMA}
    for feature in features:
        for name, value in (*feature.parameters.items(), *feature.schemas.items()):
            target = parameters if name in feature.parameters else schemas
            if name in target and target[name] != value:
                raise ValueError(f"{feature.name} redefines {name!r}")
            target[name] = value
    paths: Json = {}
    for feature in features:
        for endpoint in feature.endpoints:
            item = paths.setdefault(endpoint.path, _path_item(endpoint, parameters))
            method = "get" if endpoint.method == "WEBSOCKET" else endpoint.method.lower()
            if method in item:
                raise ValueError(f"{endpoint.method} {endpoint.path} is declared twice")
            item[method] = endpoint.doc
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "liveblocks-emulator",
            "version": __version__,
            "description": "A local, in-memory emulator of the Liveblocks REST API v2 and of "
            "its realtime WebSocket endpoint. Every error has the body of the Error schema; "
            "an unknown path is 404 (NOT_FOUND), a method a path does not serve 405 "
            "(METHOD_NOT_ALLOWED).",
        },
        "servers": [{"url": "http://127.0.0.1:1153", "description": "The default address"}],
        "security": [{"secretKey": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": RESPONSES,
            "securitySchemes": {
                "secretKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The secret key (sk_localdev by default); never read from "
                    "the query string. Missing: 401; anything else: 403.",
                }
            },
        },
    }


def _path_item(endpoint: Endpoint, parameters: Json) -> Json:
    names = PATH_PARAMETER.findall(endpoint.path)
    missing = [name for name in names if name not in parameters]
    if missing:
        raise ValueError(f"{endpoint.path}: no Feature declares the parameters {missing}")
    return {"parameters": [parameters[name] for name in names]} if names else {}


@functools.cache
def document() -> Json:
    from .features import FEATURES

    return build_document(FEATURES)
