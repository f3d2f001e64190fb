"""Routing on the raw, still-escaped path.

SDKs escape a room id with ``quote(id, safe="")``, so an id holding ``/`` arrives
as ``%2F``. ASGI servers decode the path before routing, which would split
such an id into two segments (or route ``a/storage`` to the storage endpoint).
So routes match the raw path and each ``{name:segment}`` parameter is unescaped
on its own.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Receive, Scope, Send


class SegmentConvertor(Convertor[str]):
    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return unquote(value)

    def to_string(self, value: str) -> str:
        return quote(value, safe="")


register_url_convertor("segment", SegmentConvertor())


class RawPathRouting:
    """ASGI wrapper: route on ``raw_path`` so escaped slashes stay escaped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            raw = scope.get("raw_path")
            if raw:
                scope = dict(scope)
                scope["path"] = raw.decode("latin-1")
        await self.app(scope, receive, send)
