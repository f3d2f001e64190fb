"""ASGI middleware that writes each REST call to ``state.activity`` (the dashboard's log).

The dashboard's own requests are left out (the log would fill with its refreshes).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ActivityRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"] if scope["type"] == "http" else ""
        if not path or path.startswith("/dashboard"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()  # a duration to show, not the emulator's time
        status: int | None = None

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            state: Any = scope["app"].state.emulator
            state.activity.record_rest((
                state.clock(), scope["method"], path, scope["query_string"], status,
                (time.perf_counter() - started) * 1000))
