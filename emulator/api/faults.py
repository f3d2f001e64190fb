"""``/_emulator/faults`` (secret key): inject REST and WebSocket faults, list and remove them.

The kinds and their fields are described in ``domain/fault_rules.py`` and the README.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..domain.errors import NotFound
from ..domain.fault_rules import DIRECTIONS, HTTP_METHODS, MAX_LATENCY_MS, parse_fault
from .endpoints import Endpoint, Feature
from .openapi_kit import (
    INVALID,
    NO_CONTENT,
    NON_EMPTY,
    Json,
    closed_object,
    error,
    ok,
    operation,
    path_parameter,
    ref,
    string,
)
from .requests import emulator_state, read_json
from .responses import JSONResponse, no_content


def route_table(routes: Iterable[BaseRoute]) -> list[tuple[str, str]]:
    """(method, path) of every HTTP route: what a REST fault's pattern must match."""
    return [(method, route.path) for route in routes if isinstance(route, Route)
            for method in route.methods or ()]


async def list_faults(request: Request) -> Response:
    return JSONResponse({"data": emulator_state(request).faults.describe()})


async def add_fault(request: Request) -> Response:
    fault = parse_fault(await read_json(request), route_table(request.app.routes))
    return JSONResponse(emulator_state(request).faults.add(fault))


async def clear_faults(request: Request) -> Response:
    emulator_state(request).faults.clear()
    return no_content()


async def remove_fault(request: Request) -> Response:
    fault_id = request.path_params["faultId"]
    if not emulator_state(request).faults.remove(fault_id):
        raise NotFound(f"There is no fault '{fault_id}'", code="FAULT_NOT_FOUND",
                       suggestion="GET /_emulator/faults lists them")
    return no_content()


# ------------------------------------------------------------------ OpenAPI

MS = {"type": "number", "minimum": 0, "maximum": MAX_LATENCY_MS}
DIRECTION = {"enum": list(DIRECTIONS), "default": "both"}
ROOM_PATTERN = string(1, description="A room id, or a pattern: '*', 'doc-*'")


def _kind(kind: str, properties: Json, required: list[str] | None = None) -> Json:
    return closed_object({"kind": {"const": kind}, **properties}, ["kind", *(required or [])])


FAULT = {"oneOf": [
    _kind("rest", {
        "method": {"enum": list(HTTP_METHODS), "default": "*"},
        "path": string(1, description="'*' one segment, '**' any number", pattern="^/"),
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "retryAfter": {"type": "integer", "minimum": 0},
        "times": {"type": "integer", "minimum": 1},
        "probability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "seed": {"type": "integer"},
        "latencyMs": MS,
        "jitterMs": MS,
        "message": string(),
    }, ["path"]),
    _kind("ws-latency", {"roomId": ROOM_PATTERN, "direction": DIRECTION, "latencyMs": MS,
                         "jitterMs": MS, "seed": {"type": "integer"}},
          ["roomId", "latencyMs"]),
    _kind("ws-pause", {"roomId": ROOM_PATTERN, "direction": DIRECTION}, ["roomId"]),
    _kind("ws-drop", {"roomId": ROOM_PATTERN, "userId": NON_EMPTY,
                      "connectionId": {"type": "integer", "minimum": 0},
                      "code": {"type": "integer", "minimum": 1000, "maximum": 4999},
                      "reason": string()}),
    _kind("server-restart", {}),
]}

FEATURE = Feature(
    "faults",
    [
        Endpoint("GET", "/_emulator/faults", list_faults, operation(
            "emulator", "The faults in place",
            {"200": ok(closed_object({"data": {"type": "array", "items": ref("Fault")}},
                                     ["data"]))})),
        Endpoint("POST", "/_emulator/faults", add_fault, operation(
            "emulator", "Inject a fault (ws-drop and server-restart act at once)",
            {"200": ok(ref("Fault")), "422": INVALID},
            body=FAULT,
        )),
        Endpoint("DELETE", "/_emulator/faults", clear_faults, operation(
            "emulator", "Remove every fault (held frames flow again, in order)",
            {"204": NO_CONTENT})),
        Endpoint("DELETE", "/_emulator/faults/{faultId}", remove_fault, operation(
            "emulator", "Remove one fault", {"204": NO_CONTENT, "404": error("404")})),
    ],
    schemas={
        "Fault": {"type": "object", "description": "A fault as kept (with its id), or what "
                  "a one-shot fault did (kind and dropped)",
                  "properties": {"id": string(), "kind": string(),
                                 "dropped": {"type": "integer", "minimum": 0},
                                 "heldFrames": {"type": "integer", "minimum": 0}},
                  "required": ["kind"]},
    },
    parameters={"faultId": path_parameter("faultId", "A fault's id (fault-1…)")},
)
