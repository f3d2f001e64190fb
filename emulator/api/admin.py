"""The emulator's own admin API under ``/_emulator/`` (secret key): reset, load, snapshot."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..fixture_files import FixtureSource
from .requests import emulator_state, read_json
from .responses import JSONResponse, no_content


async def reset(request: Request) -> Response:
    """Back to the fixtures loaded at start; ``?empty=true`` forgets those too."""
    empty = request.query_params.get("empty", "false").lower() in ("", "1", "true")
    emulator_state(request).reset(to_fixtures=not empty)
    return no_content()


async def load_fixtures(request: Request) -> Response:
    """Add a fixture document (all of it, or nothing and a 422 naming the bad part)."""
    document = await read_json(request)
    state = emulator_state(request)
    state.load([FixtureSource(document, "request body")])
    return JSONResponse({"rooms": len(state.rooms), "schemas": sum(1 for _ in state.schemas)})


async def snapshot(request: Request) -> Response:
    return JSONResponse(emulator_state(request).snapshot())
