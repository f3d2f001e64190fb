"""The dashboard's routes, as one ``Feature`` (none of them is in /openapi.json)."""

from __future__ import annotations

import mimetypes
import pathlib

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..api.endpoints import Endpoint, Feature
from ..domain.errors import NotFound
from . import proxy, stream
from .registry import view
from .views import TABS

STATIC = pathlib.Path(__file__).with_name("static")
ASSETS = {path.name: path for path in STATIC.iterdir() if path.is_file()}


async def to_dashboard(request: Request) -> Response:
    return RedirectResponse("/dashboard", status_code=307)


async def asset(request: Request) -> Response:
    path = ASSETS.get(request.path_params["name"])  # only files shipped in static/
    if path is None:
        raise NotFound("No such dashboard asset")
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(path.read_bytes(), media_type=media_type,
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


FEATURE = Feature("dashboard", [
    Endpoint("GET", "/", to_dashboard, {}, guard=None, in_openapi=False),
    view("GET", "/dashboard/static/{name}", asset),
    view("GET", "/dashboard/events", stream.events),
    *(view(method, proxy.PREFIX + "/{rest:path}", proxy.forward, change=True)
      for method in ("GET", "POST", "PUT", "PATCH", "DELETE")),
    *(endpoint for tab in TABS for endpoint in tab.endpoints),
])
