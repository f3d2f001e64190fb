"""Serving the app with uvicorn: in the foreground (CLI) or in a background thread (tests).

The socket is bound before uvicorn starts, so ``port=0`` resolves to a real free
port that can be printed and handed to clients straight away.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, TypeVar, cast

import uvicorn

from .access_log import AccessLog
from .app import EmulatorApp, create_app
from .config import Config
from .logs import install_redaction
from .state import EmulatorState

T = TypeVar("T")


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: object, config: Config, *, in_thread: bool = False) -> uvicorn.Config:
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_level=config.log_level,
        access_log=False,  # AccessLog (see with_access_log) writes the lines, for less
        http="httptools",
        ws="websockets-sansio",
        loop="none" if in_thread else "uvloop",
        lifespan="off",
        timeout_graceful_shutdown=2,
        ws_max_size=config.max_message_bytes,
        server_header=False,
    )


def with_access_log(app: object, config: Config) -> tuple[object, AccessLog | None]:
    """Log requests when the level shows them ("info" and below): the emulator's app
    writes the lines from its own front layer (one ``send`` wrapper for the log and the
    dashboard's), any other app (the benchmarks' ceiling) is wrapped in ``AccessLog``."""
    if config.log_level not in ("debug", "trace", "info"):
        return app, None
    if isinstance(app, EmulatorApp):
        access_log = AccessLog(None)
        app.log_requests(access_log)
        return app, access_log
    access_log = AccessLog(app)  # type: ignore[arg-type]
    return access_log, access_log


def base_url(config: Config, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    host = config.host if ":" not in config.host else f"[{config.host}]"
    return f"http://{host}:{port}"


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is installed with uvicorn[standard]
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


class BackgroundServer:
    """An emulator served from a thread of this process, on a free port by default.

    ``call`` runs a function on the server's event loop, the only place the
    state may be touched.
    """

    def __init__(self, config: Config | None = None, state: EmulatorState | None = None) -> None:
        self.config = config or Config(port=0, log_level="warning")
        self.state = state or EmulatorState(self.config)
        self.app = create_app(self.config, self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._socket: socket.socket | None = None
        self._access_log: AccessLog | None = None
        self.served_app: object = self.app  # what uvicorn serves (with the access log)
        self.base_url = ""

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        install_redaction()
        self._socket = bind_socket(self.config.host, self.config.port)
        self.base_url = base_url(self.config, self._socket)
        self.served_app, self._access_log = with_access_log(self.app, self.config)
        self._server = uvicorn.Server(
            uvicorn_config(self.served_app, self.config, in_thread=True))
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._run, name="liveblocks-emulator", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    def _run(self) -> None:
        assert self._loop is not None and self._server is not None and self._socket is not None
        asyncio.set_event_loop(self._loop)
        # Webhook deliveries queued before the loop ran (a state file) go out once it runs.
        self._loop.call_soon(self.state.webhooks.dispatcher.start)
        try:
            self._loop.run_until_complete(self._server.serve(sockets=[self._socket]))
        finally:
            self.state.webhooks.close()
            self._loop.run_until_complete(asyncio.sleep(0))  # the cancelled reader ends
            self._loop.close()
            if self._access_log is not None:
                self._access_log.flush()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        assert self._loop is not None, "the server is not started"
        return self._loop

    @property
    def address(self) -> tuple[str, int]:
        assert self._socket is not None, "the server is not started"
        host, port = self._socket.getsockname()[:2]
        return str(host), int(port)

    def default_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers uvicorn puts in front of every response's own (``date``, updated
        every second by its main loop): an in-process transport adds the same."""
        assert self._server is not None, "the server is not started"
        return self._server.server_state.default_headers

    def call(self, function: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``function()`` on the server's loop and return its result.

        A plain callback and a lock: ~35 µs there and back, where a coroutine through
        ``run_coroutine_threadsafe`` (a task, a concurrent future, a condition) costs
        ~115 µs, and the pytest plugin's reset runs before every test."""
        assert self._loop is not None
        return LoopCall(function).on(self._loop, timeout)

    def run(self, awaitable: Awaitable[T], timeout: float = 10.0) -> T:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(_wrap(awaitable), self._loop)
        return future.result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class LoopCall(Generic[T]):
    """One call of ``function()`` on another thread's loop, waited for on this one."""

    __slots__ = ("_done", "_error", "_function", "_result")

    def __init__(self, function: Callable[[], T]) -> None:
        self._function = function
        self._done = threading.Lock()
        self._done.acquire()
        self._result: T | None = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            self._result = self._function()
        except BaseException as error:  # handed to the caller, raised there
            self._error = error
        finally:
            self._done.release()

    def on(self, loop: asyncio.AbstractEventLoop, timeout: float) -> T:
        loop.call_soon_threadsafe(self._run)  # RuntimeError if the loop is closed
        if not self._done.acquire(timeout=timeout):
            raise TimeoutError(f"the emulator's loop did not answer in {timeout} s")
        if self._error is not None:
            raise self._error
        return cast(T, self._result)


async def _wrap(awaitable: Awaitable[T]) -> T:
    return await awaitable


def serve_forever(config: Config, state: EmulatorState, announce: Callable[[str], None]) -> None:
    """Serve the emulator in the foreground until Ctrl-C / SIGTERM."""
    serve_app_forever(create_app(config, state), config, announce,
                      on_start=state.webhooks.dispatcher.start, on_stop=state.webhooks.close)


def serve_app_forever(
    app: object, config: Config, announce: Callable[[str], None],
    on_start: Callable[[], None] | None = None, on_stop: Callable[[], None] | None = None,
) -> None:
    """Serve any ASGI app with the emulator's uvicorn settings (benchmarks compare with it)."""
    install_redaction()
    sock = bind_socket(config.host, config.port)
    announce(base_url(config, sock))
    served, access_log = with_access_log(app, config)
    server = uvicorn.Server(uvicorn_config(served, config))
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    if on_start is not None:
        loop.call_soon(on_start)
    try:
        loop.run_until_complete(server.serve(sockets=[sock]))
    finally:
        if on_stop is not None:
            on_stop()
            loop.run_until_complete(asyncio.sleep(0))
        loop.close()
        sock.close()
        if access_log is not None:
            access_log.flush()
