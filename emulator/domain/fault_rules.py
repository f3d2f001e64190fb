"""Faults a test injects, as checked values (no HTTP, no sockets): what ``POST
/_emulator/faults`` accepts, and the seeded draws that make them deterministic.

Kinds:

- ``rest``: for a method and a path pattern, answer a status (``429`` with
  ``Retry-After``, ``500``, ``503``…) the next ``times`` requests, or each request
  with ``probability`` (seeded), and/or add latency before answering.
- ``ws-latency``: delay a room's outgoing and/or incoming WebSocket frames
  (``latencyMs`` plus up to ``jitterMs``, seeded), order kept.
- ``ws-pause``: hold a room's frames until the fault is removed (then they flow, in order).
- ``ws-drop``: close the connections of a room, a user or one connection, now.
- ``server-restart``: close every connection with 1012, now (the state stays).

Path patterns: ``*`` stands for one path segment or part of one, ``**`` for any number of
segments; anything else is literal. A pattern must match at least one of the
emulator's routes.
"""

from __future__ import annotations

import fnmatch
import random
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidInput

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")
MAX_LATENCY_MS = 60_000
DIRECTIONS = ("outgoing", "incoming", "both")
DEFAULT_DROP_CODE = 1011  # the client reconnects after its usual backoff, as after a lost network
# Codes an endpoint may not send in a close frame (RFC 6455 §7.4.1).
RESERVED_CLOSE_CODES = (1004, 1005, 1006, 1015)
KINDS = ("rest", "ws-latency", "ws-pause", "ws-drop", "server-restart")


class Delays:
    """``latency + uniform(0, jitter)`` milliseconds, from a seeded generator: the same
    seed gives the same sequence on every run."""

    __slots__ = ("_random", "jitter_ms", "latency_ms")

    def __init__(self, latency_ms: float, jitter_ms: float, seed: str | int) -> None:
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self._random = random.Random(seed)

    def next_seconds(self) -> float:
        jitter = self._random.uniform(0, self.jitter_ms) if self.jitter_ms else 0.0
        return (self.latency_ms + jitter) / 1000


@dataclass
class RestFault:
    method: str
    path: str
    status: int | None
    retry_after: int | None
    times: int | None  # requests left to fail; None: no limit
    probability: float | None
    seed: int
    latency_ms: float
    jitter_ms: float
    message: str | None
    _pattern: re.Pattern[str] = field(init=False, repr=False)
    _random: random.Random = field(init=False, repr=False)
    _delays: Delays = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(pattern_regex(self.path))
        self._random = random.Random(self.seed)
        self._delays = Delays(self.latency_ms, self.jitter_ms, f"{self.seed}:latency")

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and self._pattern.fullmatch(path) is not None

    def fails_now(self) -> bool:
        """Whether this request gets the status (and counts against ``times``)."""
        if self.status is None or self.times == 0:
            return False
        if self.probability is not None and self._random.random() >= self.probability:
            return False
        if self.times is not None:
            self.times -= 1
        return True

    @property
    def exhausted(self) -> bool:
        return self.times == 0 and not self.latency_ms

    def delay_seconds(self) -> float:
        return self._delays.next_seconds() if self.latency_ms or self.jitter_ms else 0.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "rest", "method": self.method, "path": self.path}
        for key, value in (("status", self.status), ("retryAfter", self.retry_after),
                           ("times", self.times), ("probability", self.probability),
                           ("message", self.message)):
            if value is not None:
                out[key] = value
        out["seed"] = self.seed
        if self.latency_ms or self.jitter_ms:
            out["latencyMs"] = self.latency_ms
            out["jitterMs"] = self.jitter_ms
        return out


@dataclass(frozen=True)
class WsLatency:
    room: str  # a room id or a pattern (fnmatch: ``*``, ``doc-*``)
    direction: str
    latency_ms: float
    jitter_ms: float
    seed: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": "ws-latency", "roomId": self.room, "direction": self.direction,
                "latencyMs": self.latency_ms, "jitterMs": self.jitter_ms, "seed": self.seed}


@dataclass(frozen=True)
class WsPause:
    room: str
    direction: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": "ws-pause", "roomId": self.room, "direction": self.direction}


@dataclass(frozen=True)
class WsDrop:
    room: str | None
    user_id: str | None
    connection_id: int | None
    code: int
    reason: str


@dataclass(frozen=True)
class ServerRestart:
    pass


WsRule = WsLatency | WsPause
Fault = RestFault | WsLatency | WsPause | WsDrop | ServerRestart


def room_matches(pattern: str, room_id: str) -> bool:
    return pattern == room_id or fnmatch.fnmatchcase(room_id, pattern)


def pattern_regex(pattern: str) -> str:
    parts = re.split(r"(\*\*|\*)", pattern)
    return "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part) for part in parts
    )


def pattern_covers_route(pattern: str, route: str) -> bool:
    """Whether some path of ``route`` (``/v2/rooms/{roomId}``) matches ``pattern``.

    Segment by segment: a ``{param}`` segment of the route takes any segment without
    ``*`` or ``/``; ``**`` in the pattern takes any run of segments.
    """
    return _segments_match(pattern.split("/"), route.split("/"))


def _segments_match(pattern: list[str], route: list[str]) -> bool:
    if not pattern:
        return not route
    head = pattern[0]
    if head == "**":
        return any(_segments_match(pattern[1:], route[i:]) for i in range(len(route) + 1))
    if "**" in head:
        # Rare ('/v2/rooms/a**'): compare the rest as text, parameters as a sample value.
        rest = "/".join("x" if s.startswith("{") else s for s in route)
        return re.fullmatch(pattern_regex("/".join(pattern)), rest) is not None
    if not route:
        return False
    segment = route[0]
    if segment.startswith("{") and segment.endswith("}"):
        matched = head != ""
    else:
        matched = re.fullmatch(pattern_regex(head), segment) is not None
    return matched and _segments_match(pattern[1:], route[1:])


# ------------------------------------------------------------------ parsing


def parse_fault(body: Any, routes: list[tuple[str, str]]) -> Fault:
    """Check a fault description; ``routes`` are the (method, path) the emulator serves."""
    if not isinstance(body, dict):
        raise InvalidInput("A fault must be a JSON object with a 'kind'")
    kind = body.get("kind")
    if kind not in KINDS:
        raise InvalidInput(f"Unknown fault kind {kind!r}: expected one of {', '.join(KINDS)}")
    fields = _FIELDS[kind]
    unknown = sorted(set(body) - fields - {"kind"})
    if unknown:
        raise InvalidInput(f"Unknown field(s) for a '{kind}' fault: {', '.join(unknown)}; "
                           f"expected {', '.join(sorted(fields))}")
    if kind == "rest":
        return _rest(body, routes)
    if kind == "ws-latency":
        return WsLatency(_room(body), _direction(body), _ms(body, "latencyMs", required=True),
                         _ms(body, "jitterMs"), _int(body, "seed", 0))
    if kind == "ws-pause":
        return WsPause(_room(body), _direction(body))
    if kind == "ws-drop":
        return _drop(body)
    return ServerRestart()


_FIELDS = {
    "rest": {"method", "path", "status", "retryAfter", "times", "probability", "seed",
             "latencyMs", "jitterMs", "message"},
    "ws-latency": {"roomId", "direction", "latencyMs", "jitterMs", "seed"},
    "ws-pause": {"roomId", "direction"},
    "ws-drop": {"roomId", "userId", "connectionId", "code", "reason"},
    "server-restart": set(),
}


def _rest(body: dict[str, Any], routes: list[tuple[str, str]]) -> RestFault:
    method = body.get("method", "*")
    if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
        raise InvalidInput(f"method must be one of {', '.join(HTTP_METHODS)}, got {method!r}")
    method = method.upper()
    path = body.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidInput(f"path must be a path pattern starting with '/', got {path!r}")
    if path.startswith("/_emulator"):
        raise InvalidInput("The admin API under /_emulator/ cannot be made to fail")
    if not any(method in ("*", m) and pattern_covers_route(path, p) for m, p in routes):
        raise InvalidInput(
            f"The pattern {method} {path} matches none of the emulator's endpoints",
            suggestion="'*' stands for one path segment, '**' for any number; "
                       "see GET /openapi.json for the paths",
        )
    status = body.get("status")
    if status is not None and (type(status) is not int or not 400 <= status <= 599):
        raise InvalidInput(f"status must be an integer from 400 to 599, got {status!r}")
    latency = _ms(body, "latencyMs")
    jitter = _ms(body, "jitterMs")
    if status is None and not latency and not jitter:
        raise InvalidInput("A rest fault needs a status, a latencyMs or both")
    retry_after = body.get("retryAfter")
    if retry_after is not None:
        if type(retry_after) is not int or retry_after < 0:
            raise InvalidInput(f"retryAfter must be a whole number of seconds ≥ 0, "
                               f"got {retry_after!r}")
        if status is None:
            raise InvalidInput("retryAfter goes with a status")
    times = body.get("times")
    if times is not None and (type(times) is not int or times < 1):
        raise InvalidInput(f"times must be an integer ≥ 1, got {times!r}")
    probability = body.get("probability")
    if probability is not None:
        if type(probability) not in (int, float) or not 0 < probability <= 1:
            raise InvalidInput(f"probability must be a number in (0, 1], got {probability!r}")
        probability = float(probability)
    if (times is not None or probability is not None) and status is None:
        raise InvalidInput("times and probability go with a status")
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        raise InvalidInput("message must be a string")
    return RestFault(method, path, status, retry_after, times, probability,
                     _int(body, "seed", 0), latency, jitter, message)


def _drop(body: dict[str, Any]) -> WsDrop:
    room = body.get("roomId")
    user_id = body.get("userId")
    connection_id = body.get("connectionId")
    if room is not None:
        room = _room(body)
    if user_id is not None and (not isinstance(user_id, str) or not user_id):
        raise InvalidInput(f"userId must be a non-empty string, got {user_id!r}")
    if connection_id is not None:
        if type(connection_id) is not int or connection_id < 0:
            raise InvalidInput(f"connectionId must be an integer ≥ 0, got {connection_id!r}")
        if room is None:
            raise InvalidInput("connectionId goes with the roomId it belongs to")
    if room is None and user_id is None:
        raise InvalidInput("A ws-drop needs a roomId, a userId, or a roomId and a connectionId")
    code = body.get("code", DEFAULT_DROP_CODE)
    if type(code) is not int or not (1000 <= code <= 1014 or 3000 <= code <= 4999) \
            or code in RESERVED_CLOSE_CODES:
        raise InvalidInput(f"code must be a close code a server may send (1000–1014 but "
                           f"1004–1006, or 3000–4999), got {code!r}")
    reason = body.get("reason", "Connection dropped by a fault")
    if not isinstance(reason, str) or len(reason.encode()) > 123:
        raise InvalidInput("reason must be a string of at most 123 bytes")
    return WsDrop(room, user_id, connection_id, code, reason)


def _room(body: dict[str, Any]) -> str:
    room = body.get("roomId")
    if not isinstance(room, str) or not room:
        raise InvalidInput(f"roomId must be a room id or pattern ('*', 'doc-*'), got {room!r}")
    return room


def _direction(body: dict[str, Any]) -> str:
    direction = body.get("direction", "both")
    if direction not in DIRECTIONS:
        raise InvalidInput(f"direction must be one of {', '.join(DIRECTIONS)}, "
                           f"got {direction!r}")
    return str(direction)


def _ms(body: dict[str, Any], key: str, *, required: bool = False) -> float:
    value = body.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{key} is required")
        return 0.0
    if type(value) not in (int, float) or not 0 <= value <= MAX_LATENCY_MS:
        raise InvalidInput(f"{key} must be a number of milliseconds from 0 to "
                           f"{MAX_LATENCY_MS}, got {value!r}")
    return float(value)


def _int(body: dict[str, Any], key: str, default: int) -> int:
    value = body.get(key, default)
    if type(value) is not int:
        raise InvalidInput(f"{key} must be an integer, got {value!r}")
    return value
