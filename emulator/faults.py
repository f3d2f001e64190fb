"""The faults a test has injected (``/_emulator/faults``, the pytest plugin, CLI flags).

REST faults are read by the ``rest_faults`` middleware, WebSocket ones by the realtime
layer (``realtime/faults.py``). Each lasting fault gets an id a test can remove it by;
one-shot faults (``ws-drop``, ``server-restart``) act at once and are not kept.
"""

from __future__ import annotations

import itertools
from typing import Any

from .config import Config
from .domain.errors import InvalidInput
from .domain.fault_rules import Fault, RestFault, ServerRestart, WsDrop, WsLatency, WsPause
from .realtime.faults import WsFaults


def startup_faults(config: Config) -> list[Fault]:
    """The always-on faults of ``--latency`` and ``--failure-rate``."""
    faults: list[Fault] = []
    latency, jitter, rate = config.latency_ms, config.latency_jitter_ms, config.failure_rate
    if latency or jitter or rate:
        faults.append(RestFault(
            "*", "/v2/**", 503 if rate else None, None, None, rate or None, config.fault_seed,
            latency, jitter, "Injected by --failure-rate" if rate else None))
    if latency or jitter:
        faults.append(WsLatency("*", "both", latency, jitter, config.fault_seed))
    return faults


class Faults:
    def __init__(self, config: Config | None = None) -> None:
        # Read on every request by the middleware: empty most of the time.
        self.rest: list[RestFault] = []
        self.ws = WsFaults()
        self._kept: dict[str, RestFault | WsLatency | WsPause] = {}
        self._ids = itertools.count(1)
        # What the CLI asked for (config): always on, and back, reseeded, after every reset.
        self._config = config
        self._add_startup_faults()

    def _add_startup_faults(self) -> None:
        for fault in startup_faults(self._config) if self._config is not None else []:
            self.add(fault)

    def add(self, fault: Fault) -> dict[str, Any]:
        """Install a fault (or, for a one-shot fault, do it); returns its description."""
        if isinstance(fault, WsDrop):
            dropped = self.ws.drop(fault)
            if not dropped:
                raise InvalidInput("No live connection matches this ws-drop",
                                   suggestion="Check roomId, userId and connectionId "
                                   "(GET /v2/rooms/{roomId}/active_users)")
            return {"kind": "ws-drop", "dropped": dropped}
        if isinstance(fault, ServerRestart):
            return {"kind": "server-restart", "dropped": self.ws.restart()}
        fault_id = f"fault-{next(self._ids)}"
        self._kept[fault_id] = fault
        if isinstance(fault, RestFault):
            self.rest.append(fault)
        else:
            self.ws.add_rule(fault_id, fault)
        return {"id": fault_id, **fault.to_json()}

    def remove(self, fault_id: str) -> bool:
        fault = self._kept.pop(fault_id, None)
        if fault is None:
            return False
        if isinstance(fault, RestFault):
            self.rest.remove(fault)
        else:
            self.ws.remove_rule(fault_id)
        return True

    def describe(self) -> list[dict[str, Any]]:
        described = []
        for fault_id, fault in self._kept.items():
            entry = {"id": fault_id, **fault.to_json()}
            if not isinstance(fault, RestFault):
                entry["heldFrames"] = self.ws.held_frames(fault)
            described.append(entry)
        return described

    def clear(self) -> None:
        """No fault left but the CLI's (held frames flow again, in order)."""
        self.rest.clear()
        self.ws.clear()
        self._kept.clear()
        self._ids = itertools.count(1)  # the same ids in every test
        self._add_startup_faults()

    def rest_fault_for(self, method: str, path: str) -> RestFault | None:
        """The first REST fault that matches and still applies."""
        for fault in self.rest:
            if not fault.exhausted and fault.matches(method, path):
                return fault
        return None
