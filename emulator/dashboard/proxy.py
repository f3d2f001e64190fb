"""``/dashboard/api/{path}``: the REST API, for the dashboard's own pages, without the key.

The browser never holds the secret key: a change made in the dashboard is sent
here (with the dashboard token, see ``guard``), matched against the secret-key
REST routes and run by the same handler, server-side. So the dashboard follows
exactly the REST rules (validation, errors, JSON Patch, schema checks) and any
event a REST handler emits.
"""

from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from ..api.auth import secret_required
from ..domain.errors import NotFound

PREFIX = "/dashboard/api"


@functools.cache
def _rest_routes() -> tuple[Route, ...]:
    from ..api.features import FEATURES

    return tuple(
        Route(endpoint.route_path, endpoint.handler, methods=[endpoint.method])
        for feature in FEATURES
        for endpoint in feature.endpoints
        if endpoint.guard is secret_required and endpoint.in_openapi
    )


async def forward(request: Request) -> Response:
    scope = dict(request.scope)
    scope["path"] = request.scope["path"][len(PREFIX):]
    scope["raw_path"] = scope["path"].encode("latin-1")
    for route in _rest_routes():
        match, child = route.matches(scope)
        if match is Match.FULL:
            scope.update(child)
            response: Response = await route.endpoint(Request(scope, request.receive))
            return response
    raise NotFound(f"No REST endpoint {request.method} {scope['path']}", code="NOT_FOUND")
