"""Reading request bodies and query parameters into plain Python values."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from ..domain.clock import parse_iso
from ..domain.errors import BadRequest, InvalidInput, PayloadTooLarge
from ..domain.rooms import Room
from ..json_text import loads
from ..state import EmulatorState


def emulator_state(request: Request) -> EmulatorState:
    """The state of the emulator serving this request."""
    state: EmulatorState = request.app.state.emulator
    return state


def path_room(request: Request) -> Room:
    """The room named by the ``roomId`` path parameter (RoomNotFound if there is none)."""
    return emulator_state(request).rooms.get(request.path_params["roomId"])


async def read_body(request: Request) -> bytes:
    limit = emulator_state(request).config.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit():
        if int(declared) > limit:
            raise PayloadTooLarge(f"Request body must be at most {limit} bytes (got {declared})")
        # The server reads exactly the declared length: no need to count chunks.
        return await request.body()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Request body must be at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, *, empty: Any = ...) -> Any:
    """The decoded JSON body. An empty body gives ``empty`` when one is given."""
    raw = await read_body(request)
    if not raw.strip():
        if empty is not ...:
            return empty
        raise BadRequest("Request body is empty; expected JSON")
    try:
        return loads(raw)
    except RecursionError:
        raise BadRequest("Request body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"Request body is not valid JSON: {error}") from None


def query_int(request: Request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) < 12):
        raise InvalidInput(f"{name} must be an integer between {low} and {high}, got {raw!r}")
    value = int(text)
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, got {value}")
    return value


def query_since(request: Request) -> int:
    """``?since=`` (required) in ms: the ``requestedAt`` of an earlier delta answer."""
    raw = request.query_params.get("since")
    if not raw:
        raise InvalidInput("since is required: the requestedAt of an earlier answer")
    try:
        return parse_iso(raw)
    except ValueError:
        raise InvalidInput(f"since must be an ISO-8601 date, got {raw[:40]!r}") from None
