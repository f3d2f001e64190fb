"""ASGI middleware: the REST faults a test injected (``/_emulator/faults``, kind ``rest``).

With none configured it costs one list check per request. A matching fault first
waits its latency (network time: real, not the emulator's clock), then, if it fails
this request, answers its status with the emulator's error body (and ``Retry-After``)
instead of the endpoint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from http import HTTPStatus

from starlette.types import ASGIApp, Receive, Scope, Send

from .domain.fault_rules import RestFault
from .faults import Faults
from .json_text import dumps


class RestFaults:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._faults: Faults | None = None  # the app's, found on the first request

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine: with no fault, the inner app's own awaitable is handed back,
        # so the layer adds no frame to the request.
        faults = self._faults
        if faults is None:
            faults = self._faults = scope["app"].state.emulator.faults
        if not faults.rest or scope["type"] != "http" or scope["path"].startswith("/_emulator/"):
            return self.app(scope, receive, send)
        fault = faults.rest_fault_for(scope["method"], scope["path"])
        if fault is None:
            return self.app(scope, receive, send)
        return self._inject(fault, scope, receive, send)

    async def _inject(self, fault: RestFault, scope: Scope, receive: Receive, send: Send
                      ) -> None:
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
