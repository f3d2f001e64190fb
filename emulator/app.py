"""create_app(config, state) -> the ASGI app, its routes made from ``api.features``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from .api.endpoints import routes as feature_routes
from .api.errors import EXCEPTION_HANDLERS
from .api.features import FEATURES
from .config import Config
from .cors import BrowserCors
from .dashboard.recorder import ActivityRecorder
from .rest_faults import RestFaults
from .routing import RawPathRouting
from .state import EmulatorState


def routes() -> list[BaseRoute]:
    return feature_routes(FEATURES)


def create_app(config: Config | None = None, state: EmulatorState | None = None) -> Starlette:
    state = state or EmulatorState(config)
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(RawPathRouting), Middleware(BrowserCors),
                    Middleware(ActivityRecorder), Middleware(RestFaults)],
        exception_handlers=dict(EXCEPTION_HANDLERS),
    )
    app.state.emulator = state
    return app
