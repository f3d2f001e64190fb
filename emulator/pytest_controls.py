"""The clock and fault helpers of the pytest plugin's ``liveblocks_emulator`` handle.

``liveblocks_emulator.clock.advance(61)`` and ``liveblocks_emulator.faults.drop_room("doc")``
run on the emulator's event loop and return once done: after ``advance`` every timer
due by then has fired. Faults take the same fields as ``POST /_emulator/faults`` and are
checked the same way (``InvalidInput`` for bad ones); a reset removes them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .domain.clock import parse_iso
from .domain.fault_rules import DEFAULT_DROP_CODE, parse_fault
from .state import EmulatorState

When = int | str | datetime  # ms since the epoch, an ISO-8601 date, or a datetime


def to_ms(when: When) -> int:
    if isinstance(when, datetime):
        return parse_iso(when.isoformat())
    if isinstance(when, str):
        return parse_iso(when)
    return when


class ClockControl:
    def __init__(self, call: Callable[[Callable[[EmulatorState], Any]], Any]) -> None:
        self._call = call

    def now(self) -> int:
        """The emulator's time, in ms since the epoch."""
        now: int = self._call(lambda state: state.clock())
        return now

    def info(self) -> dict[str, Any]:
        """What ``GET /_emulator/clock`` answers."""
        info: dict[str, Any] = self._call(lambda state: state.clock.state().to_json())
        return info

    def freeze(self, at: When | None = None) -> None:
        """Stop the clock, where it is or at ``at`` (timers due by then fire first)."""
        ms = None if at is None else to_ms(at)
        self._call(lambda state: state.clock.freeze(ms))

    def unfreeze(self) -> None:
        self._call(lambda state: state.clock.unfreeze())

    def set(self, when: When) -> None:
        ms = to_ms(when)
        self._call(lambda state: state.clock.set(ms))

    def advance(self, seconds: float) -> None:
        """Move forward; every timer due by then fires, in order, before this returns."""
        self._call(lambda state: state.clock.advance(seconds))

    def real_time(self) -> None:
        """Back to real time (what a reset does too)."""
        self._call(lambda state: state.clock.reset())


class FaultControl:
    def __init__(self, call: Callable[[Callable[[EmulatorState], Any]], Any],
                 routes: list[tuple[str, str]]) -> None:
        self._call = call
        self._routes = routes

    def add(self, **fields: Any) -> dict[str, Any]:
        """Any fault, with the fields of ``POST /_emulator/faults`` (kind="rest"…)."""
        fault = parse_fault(fields, self._routes)
        result: dict[str, Any] = self._call(lambda state: state.faults.add(fault))
        return result

    def rest(self, path: str, *, method: str = "*", status: int | None = None,
             times: int | None = None, probability: float | None = None, seed: int = 0,
             retry_after: int | None = None, latency_ms: float = 0, jitter_ms: float = 0,
             message: str | None = None) -> str:
        """Make matching requests fail (``status``) and/or wait; returns the fault's id."""
        fields = _present(method=method, path=path, status=status, times=times,
                          probability=probability, seed=seed, retryAfter=retry_after,
                          latencyMs=latency_ms or None, jitterMs=jitter_ms or None,
                          message=message)
        return str(self.add(kind="rest", **fields)["id"])

    def latency(self, room_id: str, latency_ms: float, *, jitter_ms: float = 0, seed: int = 0,
                direction: str = "both") -> str:
        return str(self.add(kind="ws-latency", roomId=room_id, latencyMs=latency_ms,
                            jitterMs=jitter_ms, seed=seed, direction=direction)["id"])

    def pause(self, room_id: str, *, direction: str = "both") -> str:
        """Hold a room's frames until ``resume(id)`` (or ``clear()``)."""
        return str(self.add(kind="ws-pause", roomId=room_id, direction=direction)["id"])

    def resume(self, fault_id: str) -> None:
        self.remove(fault_id)

    def drop_connection(self, room_id: str, connection_id: int, *,
                        code: int = DEFAULT_DROP_CODE, reason: str | None = None) -> int:
        return self._drop(roomId=room_id, connectionId=connection_id, code=code, reason=reason)

    def drop_user(self, user_id: str, *, room_id: str | None = None,
                  code: int = DEFAULT_DROP_CODE, reason: str | None = None) -> int:
        return self._drop(userId=user_id, roomId=room_id, code=code, reason=reason)

    def drop_room(self, room_id: str, *, code: int = DEFAULT_DROP_CODE,
                  reason: str | None = None) -> int:
        return self._drop(roomId=room_id, code=code, reason=reason)

    def restart_server(self) -> int:
        """Close every connection with 1012; the state stays. How many were closed."""
        return int(self.add(kind="server-restart")["dropped"])

    def remove(self, fault_id: str) -> None:
        if not self._call(lambda state: state.faults.remove(fault_id)):
            raise KeyError(fault_id)

    def clear(self) -> None:
        self._call(lambda state: state.faults.clear())

    def list(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._call(lambda state: state.faults.describe())
        return faults

    def _drop(self, **fields: Any) -> int:
        return int(self.add(kind="ws-drop", **_present(**fields))["dropped"])


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}

