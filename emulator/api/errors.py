"""The one place where errors become HTTP responses.

Every error the emulator returns has the body both SDKs read:
``{"error": CODE, "message": sentence, "suggestion"?: …}`` — routing errors
(404/405) and unexpected failures included.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match

from ..domain.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from .responses import JSONResponse

logger = logging.getLogger("emulator")

_STATUS_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (BadRequest, 400),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (PayloadTooLarge, 413),
    (InvalidInput, 422),
)


def status_for(error: DomainError) -> int:
    for kind, status in _STATUS_BY_KIND:
        if isinstance(error, kind):
            return status
    return 400


def error_body(code: str, message: str, suggestion: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": code, "message": message}
    if suggestion is not None:
        body["suggestion"] = suggestion
    return body


def domain_error_response(error: DomainError) -> Response:
    body = error_body(error.code, error.message, error.suggestion)
    body.update(error.extra)
    return JSONResponse(body, status_code=status_for(error))


async def handle_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return domain_error_response(exc)


_HTTP_CODES = {
    400: ("INVALID_REQUEST", "The request could not be read"),
    404: ("NOT_FOUND", "No such endpoint"),
    405: ("METHOD_NOT_ALLOWED", "Method not allowed"),
}


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, text = _HTTP_CODES.get(exc.status_code, ("ERROR", exc.detail))
    if exc.status_code == 404:
        message = f"No endpoint at {request.method} {request.url.path}"
    elif exc.status_code == 405:
        allowed = _allowed_methods(request)
        message = f"Method {request.method} is not allowed on {request.url.path}; allowed: " + (
            ", ".join(allowed)
        )
        return JSONResponse(
            error_body(code, message), status_code=405, headers={"Allow": ", ".join(allowed)}
        )
    else:
        message = text
    return JSONResponse(
        error_body(code, message), status_code=exc.status_code, headers=exc.headers
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET", "type": "http"})
        route_methods = getattr(route, "methods", None)
        if match != Match.NONE and route_methods:
            methods.update(route_methods)
    return sorted(methods)


async def handle_client_gone(request: Request, exc: Exception) -> Response:
    # The client hung up while we read its body (e.g. its timeout ran out during a latency
    # fault): nothing was done and nobody will read the answer, so no traceback either.
    logger.info("Client went away during %s %s", request.method, request.url.path)
    return JSONResponse(
        error_body("CLIENT_DISCONNECTED", "The client closed the connection"), status_code=400
    )


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    # A bug of ours: say so plainly, log the traceback, never leak it to the client.
    logger.exception("Unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        error_body("INTERNAL_ERROR", "The emulator failed to handle this request (a bug)"),
        status_code=500,
    )


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    ClientDisconnect: handle_client_gone,
    Exception: handle_unexpected,
}
