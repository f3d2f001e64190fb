"""Who may use the dashboard: a browser on this machine, on a dashboard page.

- Loopback only: the emulator may be bound elsewhere (``--host``), the dashboard is
  still refused to any client that is not on this machine (403).
- The Host header must name this machine too (``localhost``, ``127.0.0.1``, ``[::1]``):
  a DNS-rebinding page on a foreign name gets 403 instead of our data.
- Changes (everything under ``/dashboard/api/``) need the header
  ``X-Dashboard-Token`` with this app's random token, which is written into the
  dashboard's pages. A page of another origin cannot read those pages (no CORS), so
  it cannot learn the token; a custom header also makes the browser ask a preflight,
  which gets no CORS answer. A present ``Origin`` must be the dashboard's own.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from ..api.auth import Handler
from ..domain.errors import Forbidden

TOKEN_HEADER = "x-dashboard-token"
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def dashboard_token(request: Request) -> str:
    """This app's token for dashboard changes, made on first use, never logged."""
    app_state = request.app.state
    token: str | None = getattr(app_state, "dashboard_token", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        app_state.dashboard_token = token
    return token


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rpartition(":")[0] if ":" in host else host


def check_local(request: Request) -> None:
    client = request.client
    if not _is_loopback(client.host if client else None):
        raise Forbidden("The dashboard only answers on this machine (loopback)",
                        code="DASHBOARD_LOOPBACK_ONLY")
    if _host_name(request).lower() not in LOCAL_NAMES:
        raise Forbidden("The dashboard answers only to localhost, 127.0.0.1 or [::1]",
                        code="DASHBOARD_HOST_REFUSED")


def check_change(request: Request) -> None:
    sent = request.headers.get(TOKEN_HEADER, "")
    if not hmac.compare_digest(sent.encode(), dashboard_token(request).encode()):
        raise Forbidden("Dashboard changes need the token of a dashboard page",
                        code="DASHBOARD_TOKEN_REQUIRED")
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host')}":
        raise Forbidden("Dashboard changes are only taken from the dashboard's own origin",
                        code="DASHBOARD_ORIGIN_REFUSED")


def _guard(*checks: Callable[[Request], None]) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request) -> Response:
            for check in checks:
                check(request)
            return await handler(request)

        return guarded

    return wrap


# For pages and reads: loopback and a local Host.
local_only = _guard(check_local)
# For changes: loopback, a local Host, the token and no foreign Origin.
local_change = _guard(check_local, check_change)
