"""The schemas tab: list, view, write a new one or a new version, checked as you type."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state, read_json
from ...api.responses import JSONResponse
from ...domain.room_inputs import require_object
from ...domain.schemas import InvalidSchema, compile_body
from ..registry import Tab, view
from ..render import page


async def schemas_page(request: Request) -> Response:
    state = emulator_state(request)
    selected = None
    schema_id = request.query_params.get("id")
    if schema_id:
        selected = next((s for s in state.schemas if s.id == schema_id), None)
    schemas = sorted(state.schemas, key=lambda s: (s.name, s.version))
    used = {s.id: [room.id for room in state.rooms if room.schema_id == s.id][:20]
            for s in schemas}
    return page(request, "schemas.html", tab="schemas", schemas=schemas, selected=selected,
                used=used)


async def check_schema(request: Request) -> Response:
    """The checker's verdict on a schema text: ``{valid}`` or ``{valid, message, line,
    column}`` (the REST API's INVALID_SCHEMA, without making anything)."""
    body = require_object(await read_json(request), "Request body").get("body")
    try:
        compile_body(body)
    except InvalidSchema as invalid:
        return JSONResponse({"valid": False, "message": invalid.message, **invalid.extra})
    return JSONResponse({"valid": True})


TAB = Tab("schemas", "Schemas", [
    view("GET", "/dashboard/schemas", schemas_page),
    view("POST", "/dashboard/check-schema", check_schema, change=True),
], order=20)
