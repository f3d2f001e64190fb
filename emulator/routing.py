"""Routing on the raw, still-escaped path.

SDKs escape a room id with ``quote(id, safe="")``, so an id holding ``/`` arrives
as ``%2F``. ASGI servers decode the path before routing, which would split
such an id into two segments (or route ``a/storage`` to the storage endpoint).
So routes match the raw path (http_front.py puts it in ``scope["path"]``) and
each ``{name:segment}`` parameter is unescaped on its own.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from starlette.convertors import Convertor, register_url_convertor


class SegmentConvertor(Convertor[str]):
    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return unquote(value)

    def to_string(self, value: str) -> str:
        return quote(value, safe="")


register_url_convertor("segment", SegmentConvertor())
