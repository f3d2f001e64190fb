"""``/_emulator/clock`` (secret key): read, freeze, set and advance the emulator's clock.

Timestamps, token expiry, REST presence TTLs and every delayed action follow this
clock (``state.clock``, ``state.call_later``); advancing it fires, in order, every
timer due by the new time before the answer is sent.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import parse_iso
from ..domain.errors import InvalidInput
from ..domain.room_inputs import require_object
from .endpoints import Endpoint, Feature
from .openapi_kit import INVALID, closed_object, ok, operation, ref
from .requests import emulator_state, read_json
from .responses import JSONResponse

# Years 1970 to 9999: what timestamps can be formatted as.
MAX_MS = 253_402_300_799_999
MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600


async def read_clock(request: Request) -> Response:
    return JSONResponse(emulator_state(request).clock.state().to_json())


async def control_clock(request: Request) -> Response:
    """``{frozen?, now?, advanceSeconds?}``: freeze, then set, then advance, then unfreeze."""
    body = require_object(await read_json(request), "Request body")
    unknown = sorted(set(body) - {"frozen", "now", "advanceSeconds"})
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}; expected frozen, now, "
                           "advanceSeconds")
    frozen = body.get("frozen")
    if frozen is not None and not isinstance(frozen, bool):
        raise InvalidInput(f"frozen must be true or false, got {frozen!r}")
    now = _time(body.get("now"))
    advance = body.get("advanceSeconds")
    if advance is not None and (type(advance) not in (int, float)
                                or not 0 <= advance <= MAX_ADVANCE_SECONDS):
        raise InvalidInput(f"advanceSeconds must be a number of seconds from 0 to "
                           f"{MAX_ADVANCE_SECONDS}, got {advance!r}",
                           suggestion="The clock only moves forward; set 'now' to go back")
    clock = emulator_state(request).clock
    if advance is not None and now is not None and now + advance * 1000 > MAX_MS:
        raise InvalidInput("now + advanceSeconds is past the year 9999")
    if frozen:
        clock.freeze()
    if now is not None:
        clock.set(now)
    if advance is not None:
        clock.advance(min(advance, (MAX_MS - clock()) / 1000))
    if frozen is False:
        clock.unfreeze()
    return JSONResponse(clock.state().to_json())


async def real_time(request: Request) -> Response:
    clock = emulator_state(request).clock
    clock.reset()
    return JSONResponse(clock.state().to_json())


def _time(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is int:
        ms = value
    elif isinstance(value, str):
        try:
            ms = parse_iso(value)
        except ValueError:
            raise InvalidInput(f"now must be milliseconds since the epoch or an ISO-8601 "
                               f"date, got {value!r}") from None
    else:
        raise InvalidInput(f"now must be milliseconds since the epoch or an ISO-8601 date, "
                           f"got {value!r}")
    if not 0 <= ms <= MAX_MS:
        raise InvalidInput(f"now must be between 1970 and the year 9999, got {value!r}")
    return ms


# ------------------------------------------------------------------ OpenAPI

CLOCK = ok(ref("EmulatorClock"))

FEATURE = Feature(
    "clock",
    [
        Endpoint("GET", "/_emulator/clock", read_clock, operation(
            "emulator", "The emulator's clock", {"200": CLOCK})),
        Endpoint("POST", "/_emulator/clock", control_clock, operation(
            "emulator", "Freeze, set or advance the clock; timers due by then fire, in order",
            {"200": CLOCK, "422": INVALID},
            body=closed_object({
                "frozen": {"type": "boolean", "description": "true: stop the clock first; "
                           "false: let it run again at the end"},
                "now": {"oneOf": [
                    {"type": "integer", "minimum": 0, "maximum": MAX_MS,
                     "description": "milliseconds since the epoch"},
                    {"type": "string", "format": "date-time"}]},
                "advanceSeconds": {"type": "number", "minimum": 0,
                                   "maximum": MAX_ADVANCE_SECONDS},
            }),
        )),
        Endpoint("DELETE", "/_emulator/clock", real_time, operation(
            "emulator", "Back to real time (running, no offset)", {"200": CLOCK})),
    ],
    schemas={
        "EmulatorClock": closed_object(
            {
                "now": {"type": "integer", "description": "ms since the epoch"},
                "iso": {"type": "string"},
                "frozen": {"type": "boolean"},
                "offsetMs": {"type": "integer", "description": "emulator time − real time"},
                "pendingTimers": {"type": "integer", "minimum": 0},
            },
            ["now", "iso", "frozen", "offsetMs", "pendingTimers"],
        ),
    },
)
