"""Memory: resident size per empty room and per storage node, at 10k and 100k rooms.

Rooms are created over HTTP (so creation failures would show), in a fresh
emulator process whose RSS is read from /proc before and after.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import httpx

from .servers import ROOT, RunningServer, _serve, free_port
from .workloads import AUTH, seed_rooms, storage_document

ROOM_COUNTS = (10_000, 100_000)


def _emulator_with_big_bodies() -> contextlib.AbstractContextManager[RunningServer]:
    port = free_port()
    return _serve("emulator", [sys.executable, "-m", "emulator", "--port", str(port),
                               "--log-level", "warning", "--max-body-bytes", str(256 << 20)],
                  port, cwd=ROOT)


def memory_report() -> Iterator[str]:
    yield f"{'memory':<38} {'value':>12}"
    with _emulator_with_big_bodies() as server:
        baseline = server.rss_bytes()
        created = 0
        for count in ROOM_COUNTS:
            try:
                seed_rooms(server.base_url, count - created, f"mem{count}-")
            except RuntimeError as error:
                yield f"{f'{count:,} empty rooms':<38} creation failed: {error}"
                return
            created = count
            per_room = (server.rss_bytes() - baseline) / count
            yield f"{f'RSS per empty room at {count:,} rooms':<38} {per_room:>10,.0f} B"
        for nodes_per_doc in (10_000, 100_000):
            before = server.rss_bytes()
            room_id = f"memdoc-{nodes_per_doc}"
            httpx.post(server.base_url + "/v2/rooms", headers=AUTH,
                       json={"id": room_id, "defaultAccesses": []})
            response = httpx.post(server.base_url + f"/v2/rooms/{room_id}/storage", headers=AUTH,
                                  json=storage_document(nodes_per_doc // 4), timeout=300)
            response.raise_for_status()
            per_node = (server.rss_bytes() - before) / nodes_per_doc
            yield f"{f'RSS per storage node ({nodes_per_doc:,}-node doc)':<38} {per_node:>10,.0f} B"
    python = sys.version.split()[0]
    yield (f"(emulator RSS; baseline {baseline / 2**20:.1f} MiB; Python {python}; "
           f"{os.cpu_count()} CPUs)")
