"""Realtime storage ops through one room: ops/s applied and delivery delay, 2 to 50 clients.

The emulator runs as its own process (as ``liveblocks-emulator`` would); N raw
protocol clients (the ``websockets`` package, one asyncio loop) join one room with
the public key. Each client sends UPDATE_STORAGE frames holding one UPDATE_OBJECT on
the root (``{"k<actor>": <seq>}``) and sends its next frame once the server echoed
the previous one, so the room is never flooded beyond what it absorbs. Two runs
per size:

- paced: at most one frame per 16 ms per client, the busiest a real client gets
  (``throttle: 16``): the delay is what users of a busy room would see;
- flat out: no pause between frames: the ops/s are the room's ceiling.

Printed per run: ops/s the server applied (echoes received), deliveries/s (the
ops other clients received), p50/p99/max of the delay from a frame's send to its
receipt by each other client, and the share of one core the server used (near
100%: the server is the limit; well below: the driver is). The driver shares the
machine with the server, so figures are a floor; compare runs on one machine.

    python -m bench.bench_realtime [--seconds 3] [--clients 2,10,50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pathlib
import statistics
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
import uvloop
from websockets.asyncio.client import ClientConnection, connect

from bench.servers import AUTH
from bench.servers import emulator as emulator_process

PACE_SECONDS = 0.016  # the client's smallest throttle
ACK_TIMEOUT = 10.0
DRAIN_SECONDS = 2.0


@dataclass
class Run:
    clients: int
    paced: bool
    seconds: float = 0.0
    applied: int = 0  # ops echoed to their sender
    sent_at: dict[tuple[int, int], float] = field(default_factory=dict)
    delays: list[float] = field(default_factory=list)  # seconds, one per delivery
    acks: dict[int, asyncio.Future[None]] = field(default_factory=dict)
    server_cpu: float = 0.0  # share of one core the server process used

    def row(self) -> str:
        delays_ms = sorted(d * 1000 for d in self.delays)
        if len(delays_ms) >= 2:
            p50 = statistics.median(delays_ms)
            p99 = statistics.quantiles(delays_ms, n=100)[98]
        else:
            p50 = p99 = float("nan")
        peak = delays_ms[-1] if delays_ms else float("nan")
        missing = self.applied * (self.clients - 1) - len(self.delays)
        lost = f"  ({missing} not delivered)" if missing > 0 else ""
        return (
            f"{self.clients:>7}  {'paced' if self.paced else 'flat out':<8}  "
            f"{self.applied / self.seconds:>13,.0f}  {len(self.delays) / self.seconds:>12,.0f}  "
            f"{p50:>7.2f}  {p99:>7.2f}  {peak:>7.2f}  {self.server_cpu:>9.0%}{lost}"
        )


def ws_url(base_url: str, room_id: str) -> str:
    query = urlencode({"roomId": room_id, "pubkey": "pk_localdev", "version": "3.24.2"})
    return base_url.replace("http://", "ws://") + "/v8?" + query


async def read(ws: ClientConnection, run: Run) -> None:
    """Record the delay of every op from another client; resolve this client's acks."""
    async for text in ws:
        received = time.perf_counter()
        if text == "pong":
            continue
        frame = json.loads(text)
        for message in frame if isinstance(frame, list) else [frame]:
            if message.get("type") != 201:
                continue
            for op in message["ops"]:
                if "opId" in op:  # our own op, echoed: applied
                    actor = int(op["opId"].split(":")[0])
                    ack = run.acks.get(actor)
                    if ack is not None and not ack.done():
                        ack.set_result(None)
                    continue
                for key, seq in op["data"].items():
                    sent = run.sent_at.get((int(key[1:]), seq))
                    if sent is not None:
                        run.delays.append(received - sent)


async def write(ws: ClientConnection, actor: int, run: Run, stop_at: float) -> None:
    loop = asyncio.get_running_loop()
    seq = 0
    while (started := time.perf_counter()) < stop_at:
        seq += 1
        run.acks[actor] = ack = loop.create_future()
        op = {"opId": f"{actor}:{seq}", "type": 3, "id": "root", "data": {f"k{actor}": seq}}
        run.sent_at[(actor, seq)] = time.perf_counter()
        await ws.send(json.dumps([{"type": 201, "ops": [op]}]))
        await asyncio.wait_for(ack, ACK_TIMEOUT)
        run.applied += 1
        if run.paced:
            await asyncio.sleep(max(0.0, started + PACE_SECONDS - time.perf_counter()))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(base_url: str, server_pid: int, clients: int, paced: bool,
                  seconds: float) -> Run:
    run = Run(clients, paced)
    room_id = f"bench-{clients}-{uuid.uuid4().hex[:8]}"
    sockets = [
        await connect(ws_url(base_url, room_id), max_size=None, compression=None)
        for _ in range(clients)
    ]
    actors = [json.loads(await ws.recv())["actor"] for ws in sockets]  # ROOM_STATE comes first
    readers = [asyncio.create_task(read(ws, run)) for ws in sockets]
    await asyncio.sleep(0.2)  # let the USER_JOINED messages settle
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    await asyncio.gather(*(
        write(ws, actor, run, started + seconds) for ws, actor in zip(sockets, actors, strict=True)
    ))
    run.seconds = time.perf_counter() - started
    run.server_cpu = (cpu_seconds(server_pid) - cpu_before) / run.seconds
    deadline = time.perf_counter() + DRAIN_SECONDS
    while len(run.delays) < run.applied * (clients - 1) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    check_storage(base_url, room_id, actors)
    return run


def check_storage(base_url: str, room_id: str, actors: list[int]) -> None:
    """Every client's last op is in the stored document."""
    doc = httpx.get(f"{base_url}/v2/rooms/{room_id}/storage", params={"format": "json"},
                    headers=AUTH, timeout=10).json()
    missing = [actor for actor in actors if f"k{actor}" not in doc]
    if missing:
        raise SystemExit(f"storage of {room_id} lacks the ops of actors {missing}")


async def main_async(base_url: str, server_pid: int, sizes: list[int], seconds: float) -> None:
    print(f"one room, N clients, each sending one storage op per frame; {seconds:g} s per run")
    print(f"{'clients':>7}  {'mode':<8}  {'ops/s applied':>13}  {'deliveries/s':>12}  "
          f"{'p50 ms':>7}  {'p99 ms':>7}  {'max ms':>7}  {'server CPU':>9}")
    for clients in sizes:
        for paced in (True, False):
            run = await measure(base_url, server_pid, clients, paced, seconds)
            print(run.row(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", default="2,10,50",
                        help="comma-separated room sizes (default 2,10,50)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.clients.split(",")]
    with emulator_process() as server:
        # uvloop: the driver's own overhead is what limits the big rooms on a small machine.
        uvloop.run(main_async(server.base_url, server.process.pid, sizes, args.seconds))


if __name__ == "__main__":
    main()
