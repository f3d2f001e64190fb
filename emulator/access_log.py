"""One access-log line per HTTP request, for a fraction of what uvicorn's costs.

uvicorn's access logger goes through `logging` (a record, filters, a formatter,
a handler lock and one unbuffered write per line): on GET room it cost as much
as the request itself. This middleware formats the same line with one f-string
when the response starts and appends it to a buffer that is written out in one
call a few times per second, when it grows large, and when the server stops
(server.py calls `flush`).

The line is uvicorn's: `INFO:     127.0.0.1:50412 - "GET /v2/rooms HTTP/1.1" 200 OK`,
with credentials in the query string masked (see logs.py).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any, TextIO

from .logs import mask_credentials

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FLUSH_SECONDS = 0.2
FLUSH_LINES = 512
LINES_KEPT = 1024  # lines made recently, by request: bounded, as requests choose the keys

_PHRASES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


class AccessLog:
    """ASGI middleware: logs every HTTP request; WebSocket scopes pass through untouched.

    With ``app=None`` it is only the line writer (``log``, ``flush``): the emulator's
    own front layer calls ``log`` from the ``send`` wrapper it already has.
    """

    def __init__(self, app: ASGIApp | None, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = stream
        self.lines: list[str] = []
        self._made: dict[tuple[Any, ...], str] = {}
        self.flush_scheduled = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "a line writer only (app=None) is not an ASGI app"
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.log(scope, message["status"])
            await send(message)

        await self.app(scope, receive, logging_send)

    def log(self, scope: Scope, status: int) -> None:
        # A keep-alive connection repeats its requests: the line is looked up, not made.
        # Not with a query string, which may hold a token that is not to be kept.
        if scope.get("query_string"):
            line = self._line(scope, status)
        else:
            key = (scope.get("client"), scope["method"], scope.get("raw_path") or scope["path"],
                   scope["http_version"], status)
            made = self._made.get(key)
            if made is None:
                made = self._line(scope, status)
                if len(self._made) >= LINES_KEPT:
                    self._made.clear()
                self._made[key] = made
            line = made
        self.lines.append(line)
        if len(self.lines) >= FLUSH_LINES:
            self.flush()
        elif not self.flush_scheduled:
            self.flush_scheduled = True
            asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)

    @staticmethod
    def _line(scope: Scope, status: int) -> str:
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else "-"
        path = scope.get("raw_path") or scope["path"].encode()
        target = path.decode("latin-1")
        query: bytes = scope.get("query_string", b"")
        if query:
            target = mask_credentials(f"{target}?{query.decode('latin-1')}")
        phrase = _PHRASES.get(status) or str(status)
        return (f'INFO:     {where} - "{scope["method"]} {target} '
                f'HTTP/{scope["http_version"]}" {phrase}\n')

    def flush(self) -> None:
        self.flush_scheduled = False
        if not self.lines:
            return
        text = "".join(self.lines)
        self.lines.clear()
        stream = self.stream or sys.stdout
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # a closed or broken stdout must not break serving
            pass
