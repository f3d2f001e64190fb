"""ASGI middleware that writes each REST call to ``state.activity`` (the dashboard's log),
and tells ``state.events`` of each REST change that succeeded (``emulator.restChange``).

The dashboard's own requests are left out of the log (it would fill with its refreshes);
its changes through ``/dashboard/api`` are told like any other. The event lets open pages
follow what has no event of its own (an inbox notification read, a webhook endpoint
added); a read (GET, HEAD) is never told, so a busy REST client reading costs nothing more.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

RECORDED_CHANGE = "emulator.restChange"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
PROXY = "/dashboard/api/"


def _tell_change(state: Any, method: str, path: str, status: int | None) -> None:
    if method in READS or status is None or not 200 <= status < 300:
        return
    state.events.emit(RECORDED_CHANGE, {"method": method, "path": path, "status": status})


class ActivityRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"] if scope["type"] == "http" else ""
        proxied = path.startswith(PROXY)
        if not path or (path.startswith("/dashboard") and not proxied):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()  # a duration to show, not the emulator's time
        noted: list[int] = []

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                noted.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            state: Any = scope["app"].state.emulator
            status = noted[0] if noted else None
            if proxied:  # a dashboard change: told, not logged
                path = path[len(PROXY) - 1:]
            else:
                state.activity.record_rest((
                    state.clock(), scope["method"], path, scope["query_string"], status,
                    (time.perf_counter() - started) * 1000))
            _tell_change(state, scope["method"], path, status)
