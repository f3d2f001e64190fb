"""WebSocket faults: latency and pauses on a room's frames, dropped connections, restarts.

Every connection is registered here by the endpoint (``attach``/``detach``). With no
fault configured nothing stands in any frame's way. A latency or pause rule puts a
``DelayLine`` in front of each matching connection's outbox (outgoing) and/or in front
of its room (incoming): frames go through it one by one, each at its own time, in the
order they came.

Latency is network time: it runs on the event loop's (real) clock, not on the
emulator's clock, which a test may have frozen.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.fault_rules import Delays, WsDrop, WsLatency, WsPause, WsRule, room_matches
from .codes import CloseCode
from .live_room import LiveRoom
from .session import Session

RESTART_REASON = "The server restarted"


class DelayLine:
    """Frames of one direction of one connection, each let through at its time, in order."""

    def __init__(self, deliver: Callable[[str], None]) -> None:
        self._deliver = deliver
        self._loop = asyncio.get_running_loop()
        self._queue: deque[tuple[float, str]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._last_due = 0.0
        self.delays: Delays | None = None
        self.rule_id: str | None = None  # the latency rule the delays come from
        self.paused = False

    def __len__(self) -> int:
        return len(self._queue)

    def push(self, text: str) -> None:
        now = self._loop.time()
        due = now + (self.delays.next_seconds() if self.delays is not None else 0.0)
        # Never overtake an earlier frame: a TCP stream keeps its order.
        due = max(due, self._last_due)
        self._last_due = due
        if not self._queue and not self.paused and due <= now:
            self._deliver(text)
            return
        self._queue.append((due, text))
        self._arm()

    def set(self, delays: Delays | None, rule_id: str | None, paused: bool) -> None:
        self.delays, self.rule_id, self.paused = delays, rule_id, paused
        self._arm()

    def flush(self) -> None:
        """Let everything through now, in order (the fault was removed)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._queue:
            self._deliver(self._queue.popleft()[1])

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._queue and not self.paused:
            self._timer = self._loop.call_at(self._queue[0][0], self._release)

    def _release(self) -> None:
        self._timer = None
        now = self._loop.time()
        while self._queue and not self.paused and self._queue[0][0] <= now:
            self._deliver(self._queue.popleft()[1])
        self._arm()


@dataclass
class _Connection:
    session: Session
    live: LiveRoom
    handle_incoming: Callable[[str], None]
    outgoing: DelayLine | None = None
    incoming: DelayLine | None = None


class WsFaults:
    def __init__(self) -> None:
        self.rules: dict[str, WsRule] = {}
        self._connections: dict[Session, _Connection] = {}

    # ------------------------------------------------------------ connections

    def attach(self, session: Session, live: LiveRoom, handle_incoming: Callable[[str], None]
               ) -> None:
        connection = _Connection(session, live, handle_incoming)
        self._connections[session] = connection
        if self.rules:
            self._apply(connection)

    def detach(self, session: Session) -> None:
        self._connections.pop(session, None)

    # ------------------------------------------------------------ rules

    def add_rule(self, rule_id: str, rule: WsRule) -> None:
        self.rules[rule_id] = rule
        self._apply_all()

    def remove_rule(self, rule_id: str) -> None:
        if self.rules.pop(rule_id, None) is not None:
            self._apply_all()

    def clear(self) -> None:
        if self.rules:
            self.rules.clear()
            self._apply_all()

    def _apply_all(self) -> None:
        for connection in list(self._connections.values()):
            self._apply(connection)

    def _apply(self, connection: _Connection) -> None:
        room_id = connection.live.room.id
        session = connection.session
        for direction in ("outgoing", "incoming"):
            latency: tuple[str, WsLatency] | None = None
            paused = False
            for rule_id, rule in self.rules.items():
                if rule.direction not in (direction, "both") or not room_matches(rule.room,
                                                                                 room_id):
                    continue
                if isinstance(rule, WsPause):
                    paused = True
                else:
                    latency = (rule_id, rule)  # the latest rule wins
            line = connection.outgoing if direction == "outgoing" else connection.incoming
            if latency is None and not paused:
                if line is not None:
                    self._set_line(connection, direction, None)
                    line.flush()
                continue
            if line is None:
                deliver = session.enqueue if direction == "outgoing" \
                    else connection.handle_incoming
                line = DelayLine(deliver)
                self._set_line(connection, direction, line)
            if latency is None:
                line.set(None, None, paused)
            elif line.rule_id != latency[0]:
                rule_id, rule = latency
                seed = f"{rule.seed}:{room_id}:{session.actor}:{direction}"
                line.set(Delays(rule.latency_ms, rule.jitter_ms, seed), rule_id, paused)
            else:
                line.set(line.delays, line.rule_id, paused)

    @staticmethod
    def _set_line(connection: _Connection, direction: str, line: DelayLine | None) -> None:
        gate = None if line is None else line.push
        if direction == "outgoing":
            connection.outgoing = line
            connection.session.outgoing_gate = gate
        else:
            connection.incoming = line
            connection.session.incoming_gate = gate

    def held_frames(self, rule: WsRule) -> int:
        """Frames of the rule's connections waiting in a delay line now (for tests to see)."""
        held = 0
        for connection in self._connections.values():
            if room_matches(rule.room, connection.live.room.id):
                for line in (connection.outgoing, connection.incoming):
                    held += 0 if line is None else len(line)
        return held

    # ------------------------------------------------------------ one-shot faults

    def drop(self, fault: WsDrop) -> int:
        """Close the matching connections with the fault's code; how many there were."""
        dropped = 0
        for connection in list(self._connections.values()):
            session = connection.session
            if session.closed:
                continue
            if fault.room is not None and not room_matches(fault.room, connection.live.room.id):
                continue
            if fault.user_id is not None and session.identity.user_id != fault.user_id:
                continue
            if fault.connection_id is not None and session.actor != fault.connection_id:
                continue
            self._close_now(connection, fault.code, fault.reason)
            dropped += 1
        return dropped

    def restart(self) -> int:
        """Close every connection with 1012 (service restart); the state stays as it is."""
        dropped = 0
        for connection in list(self._connections.values()):
            if not connection.session.closed:
                self._close_now(connection, CloseCode.SERVICE_RESTART, RESTART_REASON)
                dropped += 1
        return dropped

    @staticmethod
    def _close_now(connection: _Connection, code: int, reason: str) -> None:
        # A dropped link loses what was in flight: held frames go nowhere.
        for line in (connection.outgoing, connection.incoming):
            if line is not None:
                line.set(None, None, paused=True)
        connection.session.close(code, reason)
