"""``/dashboard/events``: ``state.events`` as Server-Sent Events, for open dashboard pages.

Each open page holds one stream. Events are queued per stream (bounded): a page
that cannot keep up gets ``emulator.overflow`` and the stream ends; the browser
reconnects by itself and the page re-renders its live parts. Nothing here runs
unless a page is open, so the REST API costs the same without a dashboard.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..api.requests import emulator_state
from ..json_text import dumps

QUEUE_EVENTS = 1000
OVERFLOW = "emulator.overflow"


def _frame(type: str, data: dict[str, Any]) -> str:
    return f"data: {dumps({'type': type, 'data': data})}\n\n"


async def events(request: Request) -> Response:
    state = emulator_state(request)
    queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_EVENTS)
    overflowed = False

    def listen(type: str, data: dict[str, Any]) -> None:
        nonlocal overflowed
        if overflowed:
            return
        try:
            queue.put_nowait(_frame(type, data))
        except asyncio.QueueFull:
            overflowed = True
            queue.get_nowait()
            queue.put_nowait(_frame(OVERFLOW, {}))

    unsubscribe = state.events.subscribe(listen)

    async def body() -> AsyncIterator[str]:
        try:
            # A first comment line: the browser's EventSource opens at once.
            yield ": connected\n\n"
            while True:
                text = await queue.get()
                yield text
                if overflowed and queue.empty():
                    return
        finally:
            unsubscribe()

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
