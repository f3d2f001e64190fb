"""The admin tab: reset, load a fixture document, download a snapshot."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...api.requests import emulator_state
from ...domain.clock import format_ms
from ...json_text import dumps
from ..registry import Tab, view
from ..render import HEADERS, page


async def admin_page(request: Request) -> Response:
    state = emulator_state(request)
    return page(request, "admin.html", tab="admin", rooms=len(state.rooms),
                schemas=sum(1 for _ in state.schemas),
                connections=state.live.total_connections(),
                fixtures=[source.source for source in state.startup_fixtures],
                config=state.config)


async def snapshot_download(request: Request) -> Response:
    """The snapshot as a file (``GET /_emulator/snapshot`` needs the key; this is the
    dashboard's read, for the same machine only)."""
    state = emulator_state(request)
    stamp = format_ms(state.clock()).replace(":", "-")
    return Response(dumps(state.snapshot()), media_type="application/json", headers={
        **HEADERS,
        "Content-Disposition": f'attachment; filename="emulator-snapshot-{stamp}.json"'})


TAB = Tab("admin", "Admin", [
    view("GET", "/dashboard/admin", admin_page),
    view("GET", "/dashboard/snapshot", snapshot_download),
], order=90)
