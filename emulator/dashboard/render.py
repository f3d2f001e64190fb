"""Rendering the dashboard's templates (Jinja2, autoescaped) inside the frame."""

from __future__ import annotations

import functools
import json
import pathlib
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..domain.clock import format_ms
from .guard import dashboard_token

if TYPE_CHECKING:
    import jinja2

TEMPLATES = pathlib.Path(__file__).with_name("templates")


def _json(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)


def _ms(value: int | None) -> str:
    return "—" if value is None else format_ms(value)


@functools.cache
def environment() -> jinja2.Environment:
    # Imported on the first page, not with the app: tests that never open the dashboard
    # do not pay for Jinja2.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json"] = _json
    env.filters["ms"] = _ms
    return env


def render_text(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


# Pages are never cached nor framed by another site.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src-attr 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'",
    "Referrer-Policy": "no-referrer",
}


def page(request: Request, template: str, *, tab: str, status: int = 200,
         **context: Any) -> HTMLResponse:
    """A whole page: the frame (tabs, token) around ``template``."""
    from .views import TABS

    html = render_text(template, tabs=TABS, active_tab=tab, token=dashboard_token(request),
                       **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def fragment(template: str, **context: Any) -> HTMLResponse:
    """A part of a page, fetched by the script to replace what a change made stale."""
    return HTMLResponse(render_text(template, **context), headers=HEADERS)
