"""Secret-key authentication for the REST API (``Authorization: Bearer sk_…``)."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import Forbidden, Unauthorized

Handler = Callable[[Request], Awaitable[Response]]


def _authorization(request: Request) -> bytes | None:
    # Read the raw header list: cheaper than building a Headers object per request.
    for name, value in request.scope["headers"]:
        if name == b"authorization":
            return bytes(value)
    return None


@functools.lru_cache(maxsize=8)
def _expected_header(secret: str) -> bytes:
    return b"Bearer " + secret.encode()


def check_secret(request: Request) -> None:
    """Missing credentials → 401; anything but the configured secret → 403.

    The secret is only ever read from the header, never from the query string,
    and compared in constant time.
    """
    header = _authorization(request)
    expected: str = request.app.state.emulator.config.secret_key
    if header is not None and hmac.compare_digest(header, _expected_header(expected)):
        return  # the form every SDK sends: one comparison, no parsing
    if not header:
        raise Unauthorized(
            "Missing Authorization header; send 'Authorization: Bearer <secret key>'",
            code="MISSING_AUTHORIZATION",
        )
    scheme, _, credential = header.partition(b" ")
    if scheme.lower() != b"bearer" or not hmac.compare_digest(
        credential.strip(), expected.encode()
    ):
        raise Forbidden(
            "Invalid secret key in the Authorization header",
            code="INVALID_SECRET_KEY",
            suggestion="Use the emulator's secret key (printed when it starts; sk_localdev "
            "by default)",
        )


def secret_required(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        check_secret(request)
        return await handler(request)

    return guarded
