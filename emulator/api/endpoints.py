"""How a feature module declares what it serves: ``Endpoint`` (a route, its handler, its
guard and its OpenAPI entry, side by side) and ``Feature`` (a module's endpoints and the
component schemas and path parameters its entries refer to).

Paths are written in OpenAPI form (``/v2/rooms/{roomId}``). Every ``{name}`` is one
percent-escaped segment (``routing.SegmentConvertor``), read by the handler as
``request.path_params["name"]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Route, WebSocketRoute

from .auth import Handler, secret_required
from .openapi_kit import Json

Guard = Callable[[Handler], Handler]

PATH_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    method: str  # an HTTP method; "WEBSOCKET" for an upgrade (documented as its GET)
    path: str
    handler: Any  # a request handler, or a WebSocket endpoint
    doc: Json  # the OpenAPI operation (see openapi_kit.operation)
    guard: Guard | None = secret_required  # None: no credential asked at the door

    @property
    def route_path(self) -> str:
        return PATH_PARAMETER.sub(r"{\1:segment}", self.path)

    def route(self) -> BaseRoute:
        if self.method == "WEBSOCKET":
            return WebSocketRoute(self.route_path, self.handler)
        handler = self.guard(self.handler) if self.guard else self.handler
        return Route(self.route_path, handler, methods=[self.method])


@dataclass(frozen=True)
class Feature:
    name: str
    endpoints: Sequence[Endpoint]
    schemas: Json = field(default_factory=dict)  # components/schemas entries
    parameters: Json = field(default_factory=dict)  # {name: path parameter}, see path_parameter


def routes(features: Iterable[Feature]) -> list[BaseRoute]:
    return [endpoint.route() for feature in features for endpoint in feature.endpoints]
