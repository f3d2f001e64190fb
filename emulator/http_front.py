"""The one ASGI layer between uvicorn and the routes.

It does, per HTTP request, what used to be six stacked layers (each an ASGI call
and most with their own ``send`` wrapper; together they cost about as much as a
GET room itself):

- routing on the raw, still-escaped path (see routing.py);
- what the dashboard keeps of each REST call (dashboard/recorder.py: its log entry,
  and an event for a change) and the access log (when the level shows requests);
- CORS for the paths browsers call (cors.py) and injected REST faults
  (rest_faults.py): each a plain call that hands back the next layer's awaitable;
- the route: found in a ``RouteTable`` and its endpoint called here, as
  Starlette's router, exception middleware and request/response wrapper would
  (same handlers, same responses). Whatever the table leaves undecided (404, 405,
  redirects, mounts) and WebSockets go through Starlette's own stack.

The common request (no CORS path, no fault configured, a route the table finds) has
no ``send`` wrapper at all: the status for both logs is read from the response
object. Any other goes through the CORS/fault chain with one wrapper that feeds both.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from starlette._exception_handler import _lookup_exception_handler
from starlette.exceptions import HTTPException
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .cors import BROWSER_PATHS, BrowserCors
from .dashboard.recorder import note_rest_call, noted
from .rest_faults import RestFaults
from .route_table import RouteTable

if TYPE_CHECKING:
    from .access_log import AccessLog
    from .faults import Faults


class HttpFront:
    def __init__(self, app: Any, stack: ASGIApp) -> None:
        """``app``: the Starlette app (its state, routes and exception handlers); ``stack``:
        the middleware stack Starlette built for it (server errors, exceptions, router)."""
        self.app = app
        self.stack = stack
        self.access_log: AccessLog | None = None
        self.table = RouteTable(app.routes)
        self._direct = _direct_parts(stack)
        self._faults: Faults | None = None  # the state's, found on the first request
        self.chain: ASGIApp = BrowserCors(RestFaults(self._route))

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        kind = scope["type"]
        if kind == "http":
            return self._http(scope, receive, send)
        if kind == "websocket":
            raw = scope.get("raw_path")
            if raw:
                scope["path"] = raw.decode("latin-1")
        return self.stack(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        path: str = raw.decode("latin-1") if raw else scope["path"]
        scope["path"] = path
        faults = self._faults
        if faults is None:
            faults = self._faults = self.app.state.emulator.faults
        if not faults.rest and not BROWSER_PATHS.match(path):
            # The common case: no CORS, no fault, so no send wrapper either: the status
            # is read from the response object.
            found = self._lookup(scope, path)
            if found is not None:
                await self._serve(found[0], found[1], scope, receive, send, noted_here=True)
                return
        recorded = noted(path)
        access_log = self.access_log
        if not recorded and access_log is None:
            await self.chain(scope, receive, send)
            return
        started = time.perf_counter()  # a duration to show, not the emulator's time
        status: int | None = None

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if access_log is not None:
                    access_log.log(scope, message["status"])
            await send(message)

        try:
            await self.chain(scope, receive, observed_send)
        finally:
            if recorded:
                self._record(scope, path, status, started)

    def _record(self, scope: Scope, path: str, status: int | None, started: float) -> None:
        note_rest_call(self.app.state.emulator, scope["method"], path, scope["query_string"],
                       status, started)

    def _lookup(self, scope: Scope, path: str) -> tuple[Route, dict[str, Any]] | None:
        if self._direct is None or scope.get("root_path"):
            return None
        return self.table.lookup(scope["method"], path)

    def _route(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        """The end of the chain (after CORS and faults): serve the route or let Starlette."""
        found = self._lookup(scope, scope["path"])
        if found is None:
            return self.stack(scope, receive, send)
        return self._serve(found[0], found[1], scope, receive, send, noted_here=False)

    async def _serve(self, route: Route, params: dict[str, Any], scope: Scope,
                     receive: Receive, send: Send, *, noted_here: bool) -> None:
        """What ServerErrorMiddleware → ExceptionMiddleware → Router → request_response
        do for a matched function endpoint, without their frames and send wrappers.
        ``noted_here``: also write the access line and the dashboard's note here (no
        ``send`` wrapper is watching)."""
        assert self._direct is not None
        handlers, status_handlers, error_handler = self._direct
        scope["router"] = self.app.router
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = params
        scope["starlette.exception_handlers"] = (handlers, status_handlers)
        started = time.perf_counter()
        request = Request(scope, receive, send)
        status: int | None = None
        try:
            try:
                response = await route.endpoint(request)
            except Exception as exc:
                handler: Any = status_handlers.get(exc.status_code) \
                    if isinstance(exc, HTTPException) else None
                handler = handler or _lookup_exception_handler(handlers, exc)
                if handler is None:
                    # ServerErrorMiddleware: the 500 handler answers, the error goes on
                    # to uvicorn, which logs it.
                    response = await error_handler(Request(scope), exc)
                    status = self._starting(scope, response.status_code, noted_here)
                    await response(scope, receive, send)
                    raise
                response = await handler(request, exc)
                exc.__traceback__ = None  # reused exception instances pile up tracebacks
                if response is None:
                    return
            status = self._starting(scope, response.status_code, noted_here)
            await response(scope, receive, send)
        finally:
            if noted_here and noted(scope["path"]):
                self._record(scope, scope["path"], status, started)

    def _starting(self, scope: Scope, status: int, noted_here: bool) -> int:
        if noted_here and self.access_log is not None:
            self.access_log.log(scope, status)
        return status


def _direct_parts(stack: ASGIApp) -> tuple[dict[Any, Any], dict[int, Any], Any] | None:
    """The exception handlers and 500 handler of Starlette's stack when it is exactly
    ServerErrorMiddleware → ExceptionMiddleware → Router with async handlers (else None:
    every request goes through the stack)."""
    if not isinstance(stack, ServerErrorMiddleware) or stack.debug or stack.handler is None:
        return None
    exceptions = stack.app
    if not isinstance(exceptions, ExceptionMiddleware) or not isinstance(exceptions.app, Router):
        return None
    import inspect

    handlers = exceptions._exception_handlers
    status_handlers = exceptions._status_handlers
    every = [stack.handler, *handlers.values(), *status_handlers.values()]
    if not all(inspect.iscoroutinefunction(handler) for handler in every):
        return None
    return handlers, status_handlers, stack.handler
