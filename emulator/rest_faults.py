"""ASGI middleware: the REST faults a test injected (``/_emulator/faults``, kind ``rest``).

With none configured it costs one list check per request. A matching fault first
waits its latency (network time: real, not the emulator's clock), then, if it fails
this request, answers its status with the emulator's error body (and ``Retry-After``)
instead of the endpoint.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from starlette.types import ASGIApp, Receive, Scope, Send

from .faults import Faults
from .json_text import dumps


class RestFaults:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        faults: Faults = scope["app"].state.emulator.faults
        if not faults.rest or scope["path"].startswith("/_emulator/"):
            await self.app(scope, receive, send)
            return
        fault = faults.rest_fault_for(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
            return
        delay = fault.delay_seconds()
        fails = fault.fails_now()
        if delay:
            await asyncio.sleep(delay)
        if not fails or fault.status is None:
            await self.app(scope, receive, send)
            return
        status = HTTPStatus(fault.status) if fault.status in HTTPStatus._value2member_map_ \
            else None
        code = status.name if status is not None else f"HTTP_{fault.status}"
        phrase = status.phrase if status is not None else "Error"
        message = fault.message or (f"Injected fault: {fault.status} {phrase} for "
                                    f"{fault.method} {fault.path}")
        body = dumps({"error": code, "message": message}).encode()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode())]
        if fault.retry_after is not None:
            headers.append((b"retry-after", str(fault.retry_after).encode()))
        await send({"type": "http.response.start", "status": fault.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
