"""create_app(config, state) -> the ASGI app, its routes made from ``api.features``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from .api.endpoints import routes as feature_routes
from .api.errors import EXCEPTION_HANDLERS
from .api.features import FEATURES
from .config import Config
from .http_front import HttpFront
from .state import EmulatorState

if TYPE_CHECKING:
    from .access_log import AccessLog


def routes() -> list[BaseRoute]:
    return feature_routes(FEATURES)


class EmulatorApp(Starlette):
    """Starlette, with ``HttpFront`` in front of the stack Starlette builds (in place of
    user middleware: routing on the raw path, CORS, faults, the dashboard's log and
    the access log are all done there, in one layer)."""

    access_log: AccessLog | None = None  # see log_requests

    def log_requests(self, access_log: AccessLog) -> None:
        """Write one access-log line per HTTP request to ``access_log``."""
        self.access_log = access_log
        if isinstance(self.middleware_stack, HttpFront):
            self.middleware_stack.access_log = access_log

    def build_middleware_stack(self) -> ASGIApp:
        front = HttpFront(self, super().build_middleware_stack())
        front.access_log = self.access_log
        return front


def create_app(config: Config | None = None, state: EmulatorState | None = None) -> EmulatorApp:
    state = state or EmulatorState(config)
    app = EmulatorApp(routes=routes(), exception_handlers=dict(EXCEPTION_HANDLERS))
    app.state.emulator = state
    return app
