"""What the fault layer costs when no fault is configured (the issue's target: < 2 µs).

- per REST request: the ``RestFaults`` middleware in front of a do-nothing ASGI app,
  against that app called directly;
- per WebSocket frame out: ``Session.send`` (which checks for a fault gate) against the
  ``enqueue`` it calls;
- per WebSocket frame in: the endpoint's gate check and frame handler (a ping) against
  the same handler called directly.

Run: ``.venv/bin/python -m bench.bench_fault_layer`` (prints CPU ns per call, best of 9).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from emulator.faults import Faults
from emulator.realtime.session import Identity, Session
from emulator.rest_faults import RestFaults

N = 200_000


# CPU time of this process, best of several rounds: the machine may be shared and busy.
REPEAT = 9


def best_ns(run: Callable[[], None], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time_ns()
        run()
        times.append((time.process_time_ns() - started) / N)
    return min(times)


async def rest() -> tuple[float, float]:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    middleware = RestFaults(app)
    scope = {"type": "http", "method": "GET", "path": "/v2/rooms/r",
             "app": SimpleNamespace(state=SimpleNamespace(emulator=SimpleNamespace(
                 faults=Faults())))}

    async def direct() -> None:
        for _ in range(N):
            await app(scope, None, None)

    async def through() -> None:
        for _ in range(N):
            await middleware(scope, None, None)

    times: dict[str, list[float]] = {"direct": [], "through": []}
    for _ in range(REPEAT):  # interleaved, so both see the same machine
        for name, run in (("direct", direct), ("through", through)):
            started = time.process_time_ns()
            await run()
            times[name].append((time.process_time_ns() - started) / N)
    return min(times["direct"]), min(times["through"])


async def websocket() -> tuple[float, float, float, float]:
    identity = Identity(None, None, [], True, True, True)
    session = Session(1, identity, protocol_version=8, outbox_frames=N * 2)

    def drain() -> None:
        session._outbox.items.clear()

    def enqueue() -> None:
        for _ in range(N):
            session.enqueue("x")
        drain()

    def send() -> None:
        for _ in range(N):
            session.send("x")
        drain()

    handled = []
    handle = handled.append

    def direct_in() -> None:
        for _ in range(N):
            handle("ping")
        handled.clear()

    def gated_in() -> None:
        for _ in range(N):
            if session.incoming_gate is not None:
                session.incoming_gate("ping")
            else:
                handle("ping")
        handled.clear()

    return best_ns(enqueue), best_ns(send), best_ns(direct_in), best_ns(gated_in)


def main() -> None:
    direct, through = asyncio.run(rest())
    enqueue, send, direct_in, gated_in = asyncio.run(websocket())
    print(f"REST request: app alone {direct:6.0f} ns, through RestFaults {through:6.0f} ns "
          f"-> {through - direct:5.0f} ns per request")
    print(f"WS frame out: enqueue {enqueue:6.0f} ns, send (gate check) {send:6.0f} ns "
          f"-> {send - enqueue:5.0f} ns per frame")
    print(f"WS frame in:  handler {direct_in:6.0f} ns, gate check + handler {gated_in:6.0f} ns "
          f"-> {gated_in - direct_in:5.0f} ns per frame")


if __name__ == "__main__":
    main()
