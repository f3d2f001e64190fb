"""An httpx transport that hands each request to the emulator's ASGI app on its own loop.

The pytest plugin's SDK clients use it (emulator/sdk_clients.py): no socket, no HTTP
encoding or parsing, one thread hop there and back. A round trip over loopback costs
~1.3-1.6 ms, most of it httpcore, h11 and httptools on either side; this costs a
fraction of that.

What the app sees and what the client gets back are what uvicorn, as
emulator/server.py runs it (httptools, HTTP/1.1, keep-alive), gives over a socket:
the same scope; the server's default headers (``date``, the very list uvicorn
writes); header names lower-cased; ``transfer-encoding: chunked`` when the app
gives no length; ``connection: close`` when the request asked for it; no body
for HEAD; uvicorn's 500 when the app fails before answering. A client that gives
up (its read timeout) leaves the app running to the end, as a closed connection
would, and gets ``httpx.ReadTimeout``. httpx is a test dependency: this module is
imported by the plugin on first use only.
"""

from __future__ import annotations

import asyncio
import http
import logging
import threading
import urllib.parse
from collections.abc import Callable
from typing import Any, cast

import httpx

Headers = list[tuple[bytes, bytes]]
App = Callable[..., Any]

# uvicorn's own logger and message for an app that fails (uvicorn/protocols/http).
LOGGER = logging.getLogger("uvicorn.error")
ASGI = {"version": "3.0", "spec_version": "2.3"}
ERROR_500: Headers = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", b"21"),
    (b"connection", b"close"),
]
# A made-up peer port: the app only ever checks that the client is on loopback.
CLIENT_PORT = 50000


def reason_phrase(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


class Exchange:
    """One request and its response, as one uvicorn request/response cycle has them."""

    def __init__(self, scope: dict[str, Any], body: bytes, default_headers: Headers,
                 keep_alive: bool) -> None:
        self.scope = scope
        self._body: bytes | None = body
        self._default_headers = default_headers
        self._keep_alive = keep_alive
        self._done = asyncio.Event()
        self.disconnected = False
        self.status = 0
        self.headers: Headers = []
        self.content = bytearray()
        self.complete = False

    async def run(self, app: App) -> None:
        try:
            await app(self.scope, self.receive, self.send)
        except BaseException as exc:  # what uvicorn does with any failure of the app
            LOGGER.error("Exception in ASGI application\n", exc_info=exc)
            if not self.status:
                await self.send({"type": "http.response.start", "status": 500,
                                 "headers": ERROR_500})
                await self.send({"type": "http.response.body",
                                 "body": b"Internal Server Error"})
        else:
            if not self.status and not self.disconnected:
                LOGGER.error("ASGI callable returned without starting response.")
                await self.send({"type": "http.response.start", "status": 500,
                                 "headers": ERROR_500})
                await self.send({"type": "http.response.body",
                                 "body": b"Internal Server Error"})
        finally:
            self._done.set()

    async def receive(self) -> dict[str, Any]:
        body = self._body
        if body is not None and not self.disconnected:
            self._body = None
            return {"type": "http.request", "body": body, "more_body": False}
        await self._done.wait()  # set once the response is complete (or the client gone)
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        if self.disconnected:
            return
        if not self.status:
            if message["type"] != "http.response.start":
                raise RuntimeError(f"Expected ASGI message 'http.response.start', "
                                   f"but got '{message['type']}'.")
            self._start(message)
        elif not self.complete:
            if message["type"] != "http.response.body":
                raise RuntimeError(f"Expected ASGI message 'http.response.body', "
                                   f"but got '{message['type']}'.")
            if self.scope["method"] != "HEAD":
                self.content += message.get("body", b"")
            if not message.get("more_body", False):
                self.complete = True
                self._done.set()
        else:
            raise RuntimeError(f"Unexpected ASGI message '{message['type']}' sent, "
                               "after response already completed.")

    def _start(self, message: dict[str, Any]) -> None:
        status: int = message["status"]
        headers = [(name.lower(), value) for name, value in
                   [*self._default_headers, *message.get("headers", [])]]
        length = chunked = close = False
        for name, value in headers:
            if name == b"content-length":
                length = True
            elif name == b"transfer-encoding" and value.lower() == b"chunked":
                chunked = True
            elif name == b"connection" and b"close" in [
                    token.strip().lower() for token in value.split(b",")]:
                close = True
        if not self._keep_alive and not close:
            headers.append((b"connection", b"close"))
        if not (length or chunked) and self.scope["method"] != "HEAD" and status not in (204, 304):
            headers.append((b"transfer-encoding", b"chunked"))
        self.status, self.headers = status, headers

    def disconnect(self) -> None:
        """The client gave up: the app runs on, its answer goes nowhere."""
        self.disconnected = True
        self._done.set()


class LoopTransport(httpx.BaseTransport):
    """Requests for the server's origin go to ``app`` on ``loop`` (another thread's).

    A request for any other origin (a test pointed its client elsewhere) goes out
    over the network, as it would have without this transport.
    """

    def __init__(self, app: object, loop: asyncio.AbstractEventLoop, server: tuple[str, int],
                 default_headers: Callable[[], Headers]) -> None:
        self._app = cast(App, app)  # an ASGI app (emulator/server.py's served_app)
        self._loop = loop
        self._server = server
        self._origin = ("http", server[0], server[1])
        self._client = (server[0], CLIENT_PORT)
        self._default_headers = default_headers
        self._elsewhere: httpx.HTTPTransport | None = None  # made on first use
        self._tasks: set[asyncio.Task[None]] = set()

    def close(self) -> None:
        if self._elsewhere is not None:
            self._elsewhere.close()

    def scope(self, request: httpx.Request) -> dict[str, Any]:
        raw_path, _, query = request.url.raw_path.partition(b"?")
        path = raw_path.decode("ascii")
        if "%" in path:
            path = urllib.parse.unquote(path)
        return {
            "type": "http", "asgi": ASGI, "http_version": "1.1",
            "server": self._server, "client": self._client, "scheme": "http",
            "root_path": "", "headers": [(name.lower(), value)
                                         for name, value in request.headers.raw],
            "state": {}, "method": request.method, "path": path, "raw_path": raw_path,
            "query_string": query,
        }

    def _start(self, exchange: Exchange, finished: threading.Lock) -> None:
        """On the loop: run the exchange in a task, and release ``finished`` at its end."""
        task = self._loop.create_task(exchange.run(self._app))
        task.add_done_callback(lambda _task: finished.release())
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if (url.scheme, url.host, url.port) != self._origin:
            if self._elsewhere is None:
                self._elsewhere = httpx.HTTPTransport()
            return self._elsewhere.handle_request(request)
        scope = self.scope(request)
        connection = request.headers.get("connection", "").lower()
        keep_alive = "close" not in [token.strip() for token in connection.split(",")]
        exchange = Exchange(scope, request.read(), self._default_headers(), keep_alive)
        # A callback that starts the task and a lock it releases: ~70 µs there and
        # back, where run_coroutine_threadsafe's concurrent future costs ~115 µs.
        finished = threading.Lock()
        finished.acquire()
        try:
            self._loop.call_soon_threadsafe(self._start, exchange, finished)
        except RuntimeError as error:  # the loop is closed: the emulator has stopped
            raise httpx.ConnectError(f"the emulator is not running ({error})",
                                     request=request) from None
        timeout = request.extensions.get("timeout", {}).get("read")
        if not finished.acquire(timeout=-1 if timeout is None else timeout):
            self._loop.call_soon_threadsafe(exchange.disconnect)
            raise httpx.ReadTimeout("timed out", request=request) from None
        if not exchange.complete:  # the app failed half-way: uvicorn closes the connection
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body",
                request=request)
        return httpx.Response(
            exchange.status, headers=exchange.headers,
            stream=httpx.ByteStream(bytes(exchange.content)),
            extensions={"http_version": b"HTTP/1.1",
                        "reason_phrase": reason_phrase(exchange.status)},
        )
