"""JSON responses, serialized compactly and with UTF-8 kept as is."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ..json_text import dumps


def dump_json(content: Any) -> bytes:
    return dumps(content).encode("utf-8")


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dump_json(content)


def no_content() -> Response:
    return Response(status_code=204)
