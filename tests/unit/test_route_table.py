"""The front's route table picks what Starlette's router would, and the front answers
as Starlette's stack would (errors, the dashboard's log, the access log)."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
from starlette.routing import Match, Route

from emulator.access_log import AccessLog
from emulator.app import create_app
from emulator.config import Config
from emulator.route_table import RouteTable
from tests.isolated_loop import run_isolated

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
PARAM = re.compile(r"\{(\w+)(:\w+)?\}")
AUTH = {"Authorization": "Bearer sk_localdev"}


def starlette_choice(routes: list[Any], method: str, path: str) -> tuple[Any, Any] | None:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return route, child["path_params"]
    return None


def sample_paths(routes: list[Any]) -> set[str]:
    paths = {"/", "/nope", "/v2", "/v2/rooms/", "/v2/rooms//storage", "/v2/rooms/a/b/c/d/e",
             "/dashboard/static/dashboard.css", "/dashboard/api/v2/rooms/x", "/v7"}
    for route in routes:
        template = getattr(route, "path", "/")
        for value in ("room-1", "a%2Fb", "x y"):
            paths.add(PARAM.sub(lambda m, v=value: "p/q" if m.group(2) == ":path" else v,
                                template))
        paths.add(template.rstrip("/") + "/")
    return paths


def test_the_table_chooses_starlettes_route_or_leaves_it_to_starlette() -> None:
    routes = create_app().routes
    table = RouteTable(routes)
    decided = 0
    for path in sample_paths(routes):
        for method in METHODS:
            expected = starlette_choice(routes, method, path)
            found = table.lookup(method, path)
            if found is None:
                # Left to Starlette: only when it has no full match or a route the
                # front does not call itself.
                assert expected is None or not isinstance(expected[0], Route) \
                    or "request_response" not in expected[0].app.__qualname__ \
                    or not _is_async_function(expected[0].endpoint), (method, path)
                continue
            decided += 1
            assert expected is not None, (method, path)
            assert found[0] is expected[0], (method, path)
            assert found[1] == expected[1], (method, path)
    assert decided > 200


def _is_async_function(endpoint: Any) -> bool:
    import inspect

    return inspect.iscoroutinefunction(endpoint)


def test_escaped_slash_stays_in_the_room_id() -> None:
    table = RouteTable(create_app().routes)
    found = table.lookup("GET", "/v2/rooms/a%2Fstorage")
    assert found is not None
    assert found[0].path == "/v2/rooms/{roomId:segment}"
    assert found[1] == {"roomId": "a/storage"}


def test_the_front_answers_as_starlettes_stack() -> None:
    """Unexpected errors: the JSON 500 body; 404 and 405 from Starlette's router; every
    call in the dashboard's log with its status; one access line each."""
    app = create_app(Config(port=0))
    stream = io.StringIO()
    access_log = AccessLog(None, stream)
    app.log_requests(access_log)
    state = app.state.emulator

    def broken(room_id: str) -> Any:
        raise RuntimeError("boom")

    state.rooms.get = broken  # type: ignore[method-assign]

    async def requests() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False,
                                        client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            return [await client.get("/v2/rooms/r", headers=AUTH),
                    await client.get("/v2/nowhere", headers=AUTH),
                    await client.put("/v2/rooms", headers=AUTH),
                    await client.get("/v2/rooms/r", headers={"Authorization": "Bearer no"})]

    error, missing, wrong_method, forbidden = run_isolated(requests())
    assert error.status_code == 500
    assert error.json()["error"] == "INTERNAL_ERROR"
    assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["allow"]
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "INVALID_SECRET_KEY"
    logged = [(entry.what, entry.status) for entry in state.activity.newest()]
    assert logged == [("GET /v2/rooms/r", 403), ("PUT /v2/rooms", 405),
                      ("GET /v2/nowhere", 404), ("GET /v2/rooms/r", 500)]
    access_log.flush()
    assert [line.rsplit('" ', 1)[1] for line in stream.getvalue().splitlines()] == [
        "500 Internal Server Error", "404 Not Found", "405 Method Not Allowed", "403 Forbidden"]
