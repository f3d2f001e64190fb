"""The webhook delivery process: makes the HTTP requests the emulator hands it.

An httpx delivery costs 3-4 ms of CPU (bench/README.md), more than a REST request, so
it does not run on the serving loop, nor on a thread of the emulator's process (the GIL
would make it take the same CPU): the emulator (``webhook_worker_client.WorkerTransport``)
writes one JSON line per attempt to this process's stdin,

    [number, url, headers, body, timeout_seconds]

and reads one line per outcome from its stdout,

    [number, status | null, duration_ms, excerpt, error | null, abort]

in the order the requests finish. Everything else — which delivery goes when, signing,
retries, the log — stays in the emulator: this process only sends, concurrently. It stops
when its stdin closes (the emulator stopped or died).

    python -m emulator.webhook_worker
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from .webhook_transport import HttpTransport

LINE_LIMIT = 64 * 1024 * 1024  # one request per line; bodies are the events' JSON


async def _send(http: HttpTransport, request: list[Any], out: asyncio.WriteTransport) -> None:
    number, url, headers, body, timeout = request
    result = await http(url, headers, body.encode(), timeout)
    out.write(json.dumps([number, result.status, result.duration_ms, result.excerpt,
                          result.error, result.abort]).encode() + b"\n")


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    out, _ = await loop.connect_write_pipe(asyncio.Protocol, sys.stdout.buffer)
    http = HttpTransport()
    running: set[asyncio.Task[None]] = set()
    while line := await reader.readline():
        task = loop.create_task(_send(http, json.loads(line), out))
        running.add(task)
        task.add_done_callback(running.discard)
    if running:
        await asyncio.wait(running)
    await http.aclose()


def main() -> None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - installed with uvicorn[standard]
        asyncio.run(serve())
    else:
        uvloop.run(serve())


if __name__ == "__main__":
    main()
