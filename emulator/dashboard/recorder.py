"""ASGI middleware that writes each REST call to ``state.activity`` (the dashboard's log).

The dashboard's own requests are left out (the log would fill with its refreshes).
"""

from __future__ import annotations

import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.activity import Entry

ROOM_IN_PATH = re.compile(r"^/v2/rooms/([^/]+)")


def _room_id(path: str) -> str | None:
    from urllib.parse import unquote

    match = ROOM_IN_PATH.match(path)
    return unquote(match.group(1)) if match else None


class ActivityRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/dashboard"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()  # a duration to show, not the emulator's time
        status: list[int] = []

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            state: Any = scope["app"].state.emulator
            query = scope.get("query_string", b"").decode("latin-1")
            state.activity.record(Entry(
                at_ms=state.clock(), kind="rest", room_id=_room_id(path),
                what=f"{scope['method']} {path}" + (f"?{query}" if query else ""),
                status=status[0] if status else None,
                duration_ms=(time.perf_counter() - started) * 1000))
