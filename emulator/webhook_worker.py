"""The webhook delivery process: makes the HTTP requests the emulator hands it.

An httpx delivery costs 3-4 ms of CPU (bench/README.md), more than a REST request, so
it does not run on the serving loop, nor on a thread of the emulator's process (the GIL
would make it take the same CPU): the emulator (``webhook_worker_client.WorkerTransport``)
writes one JSON line per attempt to this process's stdin,

    [number, url, headers, body, timeout_seconds]

and reads one line per outcome from its stdout,

    [number, status | null, duration_ms, excerpt, error | null, abort]

in the order the requests finish. Requests to one URL are made one after the other, in
the order they came (per-endpoint order); different URLs concurrently. Everything else —
which delivery goes when, signing, retries, the log — stays in the emulator: this process
only sends. It stops when its stdin closes (the emulator stopped or died).

    python -m emulator.webhook_worker
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections import deque
from typing import Any

from .webhook_transport import HttpTransport

LINE_LIMIT = 64 * 1024 * 1024  # one request per line; bodies are the events' JSON


class Sender:
    """Requests to one URL go one after the other, in the order they came (the emulator
    keeps several in flight per endpoint and relies on this for their order)."""

    def __init__(self, out: asyncio.WriteTransport) -> None:
        self._out = out
        self._http = HttpTransport()
        self._queues: dict[str, deque[list[Any]]] = {}
        self.running: set[asyncio.Task[None]] = set()

    def take(self, request: list[Any]) -> None:
        url = request[1]
        queue = self._queues.get(url)
        if queue is not None:
            queue.append(request)
            return
        self._queues[url] = deque([request])
        task = asyncio.get_running_loop().create_task(self._drain(url))
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def _drain(self, url: str) -> None:
        queue = self._queues[url]
        while queue:
            number, url, headers, body, timeout = queue[0]
            result = await self._http(url, headers, body.encode(), timeout)
            queue.popleft()
            self._out.write(json.dumps([number, result.status, result.duration_ms,
                                        result.excerpt, result.error, result.abort]
                                       ).encode() + b"\n")
        del self._queues[url]

    async def aclose(self) -> None:
        if self.running:
            await asyncio.wait(self.running)
        await self._http.aclose()


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    out, _ = await loop.connect_write_pipe(asyncio.Protocol, sys.stdout.buffer)
    sender = Sender(out)
    while line := await reader.readline():
        sender.take(json.loads(line))
    await sender.aclose()


def yield_cpu() -> None:
    """Run at the lowest CPU priority: deliveries are asynchronous, REST and WebSocket
    handling are not, so on a busy machine sending waits for idle CPU (events queue, none
    is lost) instead of taking it from the emulator (issue 15: REST with an endpoint ≥ 0.9×
    without). The process has a session of its own, which Linux's autogroup scheduling
    weighs as a whole: its group is lowered too."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as group:
        group.write("19")


def main() -> None:
    yield_cpu()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - installed with uvicorn[standard]
        asyncio.run(serve())
    else:
        uvloop.run(serve())


if __name__ == "__main__":
    main()
