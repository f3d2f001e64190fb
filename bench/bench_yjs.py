"""Yjs through one room, the emulator beside Liveblocks' dev server: update fan-out with 2, 10
and 50 providers, GET of a 1 MB document as JSON and as a binary update, memory per document.

Fan-out: N raw protocol clients (``websockets``, one uvloop loop) join one room with the
public key; each sends UPDATE_YDOC (301) frames holding one real Yjs v1 update (a text
insert by its own Yjs client, made beforehand with pycrdt) and sends the next once the server
echoed it, so the room is never flooded beyond what it absorbs. Printed: updates/s applied
(echoes), deliveries/s, p50/p99 of the delay from a send to its receipt by each other client,
and the server's share of one core (near 100%: the server is the limit; well below: the
driver is).

    python -m bench.bench_yjs [--seconds 3] [--clients 2,10,50] [--no-dev-server]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import uvloop
from pycrdt import Doc, Map, Text, XmlElement, XmlFragment, XmlText
from websockets.asyncio.client import ClientConnection, connect

from bench.bench_realtime import cpu_seconds, ws_url
from bench.loadgen import RequestSpec, run_load
from bench.servers import AUTH, RunningServer, _process_tree, dev_server
from bench.servers import emulator as emulator_process

ACK_TIMEOUT = 10.0
DRAIN_SECONDS = 2.0
UPDATES_PER_CLIENT = 4000


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a server and its children (the dev server runs under a launcher)."""
    total = 0.0
    for child in _process_tree(pid):
        with contextlib.suppress(OSError):
            total += cpu_seconds(child)
    return total


def client_updates(client_id: int, count: int) -> list[str]:
    """``count`` successive v1 updates of one Yjs client typing into text "t"."""
    doc: Doc = Doc(client_id=client_id)  # type: ignore[type-arg]
    text = doc.get("t", type=Text)
    updates: list[str] = []
    for n in range(count):
        before = doc.get_state()
        text.insert(len(text), f"{n % 10}")
        updates.append(base64.b64encode(doc.get_update(before)).decode())
    return updates


@dataclass
class Run:
    clients: int
    seconds: float = 0.0
    applied: int = 0
    sent_at: dict[str, float] = field(default_factory=dict)
    owner: dict[str, int] = field(default_factory=dict)
    delays: list[float] = field(default_factory=list)
    acks: dict[int, asyncio.Future[None]] = field(default_factory=dict)
    server_cpu: float = 0.0

    def row(self, server: str) -> str:
        delays_ms = sorted(d * 1000 for d in self.delays)
        p50 = statistics.median(delays_ms) if delays_ms else float("nan")
        p99 = statistics.quantiles(delays_ms, n=100)[98] if len(delays_ms) > 1 else float("nan")
        return (f"{server:<11} {self.clients:>7}  {self.applied / self.seconds:>15,.0f}  "
                f"{len(self.delays) / self.seconds:>12,.0f}  {p50:>7.2f}  {p99:>7.2f}  "
                f"{self.server_cpu:>9.0%}")


async def read(ws: ClientConnection, me: int, run: Run) -> None:
    # The driver must not be the limit: a broadcast's update is found by a string search
    # (the server sends one Yjs message per frame), not by parsing the JSON.
    async for text in ws:
        received = time.perf_counter()
        if not isinstance(text, str) or '"isSync":false' not in text:
            continue
        start = text.find('"update":"') + 10
        update = text[start:text.index('"', start)]
        sender = run.owner.get(update)
        if sender == me:
            ack = run.acks.get(me)
            if ack is not None and not ack.done():
                ack.set_result(None)
        elif sender is not None:
            run.delays.append(received - run.sent_at[update])


async def write(ws: ClientConnection, me: int, updates: list[str], run: Run,
                stop_at: float) -> None:
    loop = asyncio.get_running_loop()
    for update in updates:
        if time.perf_counter() >= stop_at:
            return
        run.acks[me] = ack = loop.create_future()
        run.owner[update] = me
        run.sent_at[update] = time.perf_counter()
        await ws.send(json.dumps([{"type": 301, "update": update, "v2": False}]))
        await asyncio.wait_for(ack, ACK_TIMEOUT)
        run.applied += 1


async def fan_out(server: RunningServer, clients: int, seconds: float,
                  updates: list[list[str]]) -> Run:
    run = Run(clients)
    room_id = f"yjs-{clients}-{uuid.uuid4().hex[:8]}"
    sockets = [await connect(ws_url(server.base_url, room_id), max_size=None, compression=None)
               for _ in range(clients)]
    for ws in sockets:
        await ws.recv()  # ROOM_STATE
    readers = [asyncio.create_task(read(ws, i, run)) for i, ws in enumerate(sockets)]
    for ws in sockets:
        await ws.send(json.dumps([{"type": 300, "vector": "AA==", "v2": False}]))
    await asyncio.sleep(0.3)
    cpu_before = tree_cpu_seconds(server.process.pid)
    started = time.perf_counter()
    await asyncio.gather(*(write(ws, i, updates[i], run, started + seconds)
                           for i, ws in enumerate(sockets)))
    run.seconds = time.perf_counter() - started
    run.server_cpu = (tree_cpu_seconds(server.process.pid) - cpu_before) / run.seconds
    deadline = time.perf_counter() + DRAIN_SECONDS
    while len(run.delays) < run.applied * (clients - 1) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    return run


def big_document(target_bytes: int) -> bytes:
    """A Tiptap-shaped document (paragraphs of formatted text) of about ``target_bytes``."""
    doc: Doc = Doc()  # type: ignore[type-arg]
    fragment = doc.get("default", type=XmlFragment)
    doc.get("liveblocks_config", type=Map)["hasContentSet"] = True
    sentence = "The quick brown fox jumps over the lazy dog. " * 4
    with doc.transaction():
        while len(doc.get_update()) < target_bytes:
            for _ in range(200 if target_bytes > 100_000 else 5):
                paragraph = XmlElement("paragraph")
                fragment.children.append(paragraph)
                text = XmlText()
                paragraph.children.append(text)
                text.insert(0, sentence)
                text.format(4, 5, {"bold": True})
    return bytes(doc.get_update())


def put_doc(base_url: str, room_id: str, update: bytes) -> None:
    httpx.post(f"{base_url}/v2/rooms", json={"id": room_id, "defaultAccesses": ["room:write"]},
               headers=AUTH, timeout=30)
    httpx.put(f"{base_url}/v2/rooms/{room_id}/ydoc", content=update,
              headers={**AUTH, "Content-Type": "application/octet-stream"},
              timeout=60).raise_for_status()


def reads(server: RunningServer, update: bytes, seconds: float) -> list[str]:
    put_doc(server.base_url, "big", update)
    rows = []
    for path in ("/v2/rooms/big/ydoc", "/v2/rooms/big/ydoc-binary"):
        result = run_load(server.base_url, RequestSpec("GET", path, headers=AUTH),
                          seconds=seconds, connections=4)
        rows.append(f"{server.name:<11} GET {path.rsplit('/', 1)[1]:<12} {result.rps:>8,.1f} "
                    f"req/s  p50 {result.p50_ms:>8.1f} ms  p99 {result.p99_ms:>8.1f} ms  "
                    f"fails {result.failures}")
    return rows


def memory_per_doc(server: RunningServer, docs: int, update: bytes) -> float:
    before = server.rss_bytes()
    for n in range(docs):
        put_doc(server.base_url, f"mem-{n}", update)
    return (server.rss_bytes() - before) / docs


def bench(name: str, start: Callable[[], contextlib.AbstractContextManager[RunningServer]],
          sizes: list[int], seconds: float, updates: list[list[str]], big: bytes,
          small: bytes) -> None:
    try:
        with start() as server:
            for clients in sizes:
                run = uvloop.run(fan_out(server, clients, seconds, updates))
                print(run.row(name), flush=True)
            for row in reads(server, big, seconds):
                print(row, flush=True)
            per_doc = memory_per_doc(server, 200, small)
            print(f"{name:<11} memory per document ({len(small):,} B update, 200 rooms): "
                  f"{per_doc / 1024:,.1f} KiB", flush=True)
    except RuntimeError as error:
        print(f"{name:<11} n/a ({error})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", default="2,10,50")
    parser.add_argument("--no-dev-server", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.clients.split(",")]
    updates = [client_updates(1000 + i, UPDATES_PER_CLIENT) for i in range(max(sizes))]
    big = big_document(1_000_000)
    small = big_document(10_000)
    print(f"fan-out: one room, N providers, one Yjs update per frame; {args.seconds:g} s per run")
    print(f"{'server':<11} {'clients':>7}  {'updates/s applied':>15}  {'deliveries/s':>12}  "
          f"{'p50 ms':>7}  {'p99 ms':>7}  {'server CPU':>9}")
    print(f"GET of a {len(big):,} B document (4 connections)")
    bench("emulator", emulator_process, sizes, args.seconds, updates, big, small)
    if not args.no_dev_server:
        bench("dev server", dev_server, sizes, args.seconds, updates, big, small)


if __name__ == "__main__":
    main()
