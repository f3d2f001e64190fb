"""CORS for what browsers call, from browser apps served on localhost.

A page calls the public-key authorization endpoint (and, for comments and
notifications, ``/v2/c/…``); it never holds the secret key, so the secret-key
REST API gets no CORS headers at all: a page that tries it fails loudly in the
browser, as it would against Liveblocks. Origins are echoed back (never ``*``)
and credentials (cookies) are not needed for anything.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_ORIGIN = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"
BROWSER_PATHS = re.compile(
    r"^/(health|openapi\.json|v2/rooms/[^/]+/public/authorize|v2/c/.*)$"
)


class BrowserCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origin_regex=LOCAL_ORIGIN,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-LB-Client"],
            allow_credentials=False,
            max_age=600,
        )

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine: the chosen app's awaitable is handed back (no frame of its own).
        if scope["type"] == "http" and BROWSER_PATHS.match(scope["path"]):
            return self.cors(scope, receive, send)
        return self.app(scope, receive, send)
