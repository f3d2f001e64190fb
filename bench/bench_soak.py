"""Soak: create and delete 100,000 rooms in cycles, with storage and live clients; does memory
come back, do file descriptors leak?

The emulator runs as its own process (as ``liveblocks-emulator`` would). Each cycle:

1. creates ``--rooms`` rooms over HTTP (many concurrent keep-alive connections);
2. initializes storage in ``--storage-rooms`` of them (a 13-node document);
3. connects ``--clients`` raw WebSocket clients spread over ``--client-rooms`` of them (public
   key); each fetches storage, sends presence and a few storage ops and waits until they are
   applied; each of those rooms also gets a presence set over REST (``ttl`` 2 s);
4. disconnects the clients and waits until the rooms report no active users;
5. deletes every room (DELETE, concurrently) and checks that none is left.

Then it prints the server's resident memory (RSS, from /proc) with the rooms and after
deleting them, and its number of open file descriptors (/proc/<pid>/fd), with their change
from the baseline taken before cycle 1.

What is compared, and why: CPython does not give back the memory of objects it has freed
as long as one object still lives in the same 1 MiB arena (pymalloc), and 100,000 rooms
fill about a hundred arenas, among which a few long-lived objects (cache entries, the
≤ 1,024 tombstones of the room order) get allocated. So RSS after deleting every room stays
near its high-water mark, leak or not, and the next cycle reuses that memory. A leak shows
as growth from cycle to cycle instead: the verdict compares the RSS after each cycle that
follows ``--warmup`` cycles (default 2: in cycle 2 the rooms still land partly in new
arenas) with the RSS after the warm-up, within 10%. The changes from the baseline and from
cycle 1 are printed too. Descriptors must come back to the baseline.

``--inspect`` runs two cycles against an emulator in this process instead (driven from a
child process) and prints what the state still holds afterwards (rooms, order keys, live
rooms, schemas), CPython's arenas, the objects and the allocation sites that grew
(tracemalloc): use it to find out what a leak is made of.

    python -m bench.bench_soak [--rooms 100000] [--cycles 5] [--warmup 2]
    python -m bench.bench_soak --inspect --rooms 20000
    (or python bench/bench_soak.py …)
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import ctypes.util
import gc
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass

import httpx
from websockets.asyncio.client import ClientConnection, connect

if __package__ in (None, ""):  # run as a script (python bench/bench_soak.py)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bench.bench_realtime import ws_url
from bench.loadgen import RequestSpec, run_load
from bench.servers import AUTH, ROOT
from bench.servers import emulator as emulator_process
from bench.workloads import JSON_AUTH, SMALL_DOCUMENT

OPS_PER_CLIENT = 5
TOLERANCE = 0.10
SETTLE_SECONDS = 10.0


@dataclass
class Sizes:
    rooms: int
    storage_rooms: int
    clients: int
    client_rooms: int


@dataclass
class Reading:
    rss: int
    fds: int


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_of(pid: int) -> int:
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) * 1024 for line in status.splitlines()
                if line.startswith("VmRSS:"))


def settled(pid: int, baseline_fds: int) -> Reading:
    """RSS and fds once the server has closed the sockets of clients that left."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while fd_count(pid) > baseline_fds and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    return Reading(rss_of(pid), fd_count(pid))


# ---------------------------------------------------------------- one cycle


def load(base_url: str, method: str, path: str, total: int, body: str | None = None) -> float:
    """Send ``total`` requests (``{n}`` = 1..total in the path); seconds taken."""
    headers = JSON_AUTH if body is not None else AUTH
    result = run_load(base_url, RequestSpec(method, path, body, headers), total=total,
                      connections=64, prefer_wrk=False)
    if result.failures or result.requests != total:
        raise SystemExit(f"{method} {path}: {result.requests} of {total} sent, "
                         f"statuses {dict(result.statuses)}")
    return result.seconds


async def client(base_url: str, room_id: str, index: int) -> ClientConnection:
    """Join, fetch storage, send presence and storage ops, wait until they are applied."""
    ws = await connect(ws_url(base_url, room_id), max_size=None, compression=None)
    actor = json.loads(await ws.recv())["actor"]  # ROOM_STATE comes first
    ops = [{"opId": f"{actor}:{seq}", "type": 3, "id": "root", "data": {f"k{actor}": seq}}
           for seq in range(OPS_PER_CLIENT)]
    await ws.send(json.dumps([
        {"type": 100, "data": {"cursor": {"x": index, "y": 0}}, "targetActor": -1},
        {"type": 200},
        {"type": 201, "ops": ops},
    ]))
    pending = {op["opId"] for op in ops}
    while pending:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        for message in frame if isinstance(frame, list) else [frame]:
            if message.get("type") == 201:
                pending -= {op.get("opId") for op in message["ops"]}
    return ws


async def live_clients(base_url: str, prefix: str, sizes: Sizes) -> None:
    rooms = [f"{prefix}{n}" for n in range(1, sizes.client_rooms + 1)]
    async with httpx.AsyncClient(base_url=base_url, headers=AUTH, timeout=10) as http:
        for room_id in rooms:
            response = await http.post(f"/v2/rooms/{room_id}/presence",
                                       json={"userId": "backend", "data": {"busy": True},
                                             "ttl": 2})
            response.raise_for_status()
        sockets = await asyncio.gather(*(
            client(base_url, rooms[i % len(rooms)], i) for i in range(sizes.clients)
        ))
        await asyncio.gather(*(ws.close() for ws in sockets))
        # The server has let them go when no room lists them (the REST presence may remain).
        deadline = time.monotonic() + 10
        for room_id in rooms:
            while True:
                users = (await http.get(f"/v2/rooms/{room_id}/active_users")).json()["data"]
                if all(user["connectionId"] < 0 or user["id"] == "backend" for user in users):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"{room_id} still lists {users}")
                await asyncio.sleep(0.05)


def fill(base_url: str, number: int, sizes: Sizes) -> str:
    """Steps 1 to 4: the rooms, their storage, the live clients come and go."""
    prefix = f"soak{number}-"
    body = json.dumps({"id": prefix + "{n}", "defaultAccesses": ["room:write"],
                       "metadata": {"cycle": str(number)}})
    created = load(base_url, "POST", "/v2/rooms", sizes.rooms, body)
    with_storage = load(base_url, "POST", f"/v2/rooms/{prefix}{{n}}/storage",
                        sizes.storage_rooms, SMALL_DOCUMENT)
    started = time.perf_counter()
    asyncio.run(live_clients(base_url, prefix, sizes))
    live = time.perf_counter() - started
    return (f"created {sizes.rooms:,} in {created:.1f} s, storage {sizes.storage_rooms:,} in "
            f"{with_storage:.1f} s, {sizes.clients} clients in {live:.1f} s")


def empty(base_url: str, number: int, sizes: Sizes) -> str:
    """Step 5: delete every room of the cycle; none may be left."""
    deleted = load(base_url, "DELETE", f"/v2/rooms/soak{number}-{{n}}", sizes.rooms)
    left = httpx.get(base_url + "/v2/rooms?limit=1", headers=AUTH).json()["data"]
    if left:
        raise SystemExit(f"rooms left after deleting them all: {left}")
    return f"deleted in {deleted:.1f} s"


def cycle(base_url: str, number: int, sizes: Sizes) -> str:
    return fill(base_url, number, sizes) + ", " + empty(base_url, number, sizes)


# ---------------------------------------------------------------- the soak


def mib(value: int) -> str:
    return f"{value / 2**20:,.1f} MiB"


def change(value: int, reference: int) -> str:
    return f"{(value - reference) / 2**20:+,.1f} MiB, {(value - reference) / reference:+.1%}"


def soak(sizes: Sizes, cycles: int, warmup: int) -> int:
    with emulator_process() as server:
        pid = server.process.pid
        baseline = Reading(rss_of(pid), fd_count(pid))
        print(f"baseline: RSS {mib(baseline.rss)}, {baseline.fds} open fds")
        readings: list[Reading] = []
        for number in range(1, cycles + 1):
            filled = fill(server.base_url, number, sizes)
            full = rss_of(pid)
            emptied = empty(server.base_url, number, sizes)
            reading = settled(pid, baseline.fds)
            readings.append(reading)
            print(f"cycle {number}: RSS with the rooms {mib(full)}; after deleting them "
                  f"{mib(reading.rss)} ({change(reading.rss, baseline.rss)} from baseline), "
                  f"fds {reading.fds} ({reading.fds - baseline.fds:+d})  "
                  f"[{filled}, {emptied}]", flush=True)
    return verdict(baseline, readings, warmup)


def verdict(baseline: Reading, readings: list[Reading], warmup: int) -> int:
    print()
    last = readings[-1]
    print(f"memory after the last cycle vs baseline: {change(last.rss, baseline.rss)} "
          f"({'within' if last.rss <= baseline.rss * (1 + TOLERANCE) else 'NOT within'} 10%: "
          "CPython keeps the arenas the rooms were in, see the top of this file)")
    first = readings[0]
    print("memory after each cycle vs after cycle 1: "
          + ", ".join(f"{(r.rss - first.rss) / first.rss:+.1%}" for r in readings[1:]))
    leaked_fds = max(r.fds for r in readings) - baseline.fds
    ok = leaked_fds <= 0
    if len(readings) > warmup:
        warm = readings[warmup - 1]
        growth = max((r.rss - warm.rss) / warm.rss for r in readings[warmup:])
        flat = growth <= TOLERANCE
        ok = ok and flat
        print(f"memory after cycles {warmup + 1}-{len(readings)} vs after the warm-up (cycle "
              f"{warmup}), at worst: {growth:+.1%} ({'within' if flat else 'NOT within'} 10%: "
              f"{'no growth from cycle to cycle' if flat else 'it grows'})")
    else:
        print(f"(no cycle after the {warmup} warm-up cycles: run more --cycles for a verdict)")
    print(f"file descriptors: {'none leaked' if leaked_fds <= 0 else f'{leaked_fds} leaked'}")
    return 0 if ok else 1


# ---------------------------------------------------------------- --inspect


def pymalloc_summary() -> str:
    """How much of the process's memory is in CPython's small-object arenas, and how full."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        stats = {name.strip("# ").strip(): value.strip().replace(",", "")
                 for name, _, value in (line.partition("=") for line in out) if value}
    arenas = int(stats["arenas allocated current"])
    size = next(int(value) for name, value in stats.items() if "bytes/arena" in name)
    used = int(stats["bytes in allocated blocks"])
    return f"pymalloc: {arenas} arenas, {mib(size)}, {mib(used)} of it in use"


def object_counts() -> Counter[str]:
    return Counter(type(obj).__qualname__ for obj in gc.get_objects())


def drive(base_url: str, number: int, sizes: Sizes) -> None:
    """One cycle from a child process, so that only the server is in the inspected one."""
    argv = [sys.executable, "-m", "bench.bench_soak", "--drive", base_url, "--cycle-number",
            str(number), "--rooms", str(sizes.rooms), "--storage-rooms", str(sizes.storage_rooms),
            "--clients", str(sizes.clients), "--client-rooms", str(sizes.client_rooms)]
    subprocess.run(argv, check=True, cwd=ROOT)


def inspect(sizes: Sizes) -> int:
    """Cycles against an emulator in this process (driven from a child process); what its
    state and memory hold afterwards."""
    from emulator.config import Config
    from emulator.server import BackgroundServer

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    with BackgroundServer(Config(port=0, log_level="warning")) as server:
        state = server.state

        def internals() -> dict[str, int]:
            rooms, live = state.rooms, state.live
            return {
                "rooms": len(rooms),
                "rooms by order key": len(rooms._by_key),
                "order keys (with tombstones)": len(rooms._keys),
                "live rooms": len(live._rooms),
                "schemas": sum(1 for _ in state.schemas),
            }

        def memory(when: str) -> None:
            time.sleep(2.5)  # the REST presences expire
            gc.collect()
            print(f"{when}: RSS {mib(rss_of(os.getpid()))}, {pymalloc_summary()}")

        memory("at start")
        objects = object_counts()
        drive(server.base_url, 0, sizes)  # also the warm-up: pools and caches get sized
        memory("after one cycle")
        libc.malloc_trim(0)
        memory("after malloc_trim(0), which returns what the C allocator kept")
        tracemalloc.start(1)
        before = tracemalloc.take_snapshot()
        drive(server.base_url, 1, sizes)
        time.sleep(2.5)
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()  # it hides pymalloc's statistics
        memory("after a second cycle (traced: RSS includes tracemalloc's own tables)")
        print("state after the cycles:", server.call(internals))
        grown = object_counts() - objects
        print("objects tracked by the GC, more than at start:",
              ", ".join(f"{name} +{count}" for name, count in grown.most_common(8)) or "none")
        print("biggest growth in the second cycle, by allocation site:")
        for stat in after.compare_to(before, "lineno")[:8]:
            frame = stat.traceback[-1]
            print(f"  {stat.size_diff:+,} B in {stat.count_diff:+,} blocks  "
                  f"{frame.filename}:{frame.lineno}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2,
                        help="cycles after which RSS must stay within 10%% (default 2)")
    parser.add_argument("--storage-rooms", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--client-rooms", type=int, default=10)
    parser.add_argument("--inspect", action="store_true",
                        help="two cycles against a server in this process, then what its "
                        "state and memory still hold")
    parser.add_argument("--drive", metavar="URL", help=argparse.SUPPRESS)  # for --inspect
    parser.add_argument("--cycle-number", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = Sizes(args.rooms, min(args.storage_rooms, args.rooms), args.clients,
                  min(args.client_rooms, args.rooms))
    if args.drive:
        print(cycle(args.drive, args.cycle_number, sizes), flush=True)
        return
    sys.exit(inspect(sizes) if args.inspect else soak(sizes, args.cycles, max(1, args.warmup)))


if __name__ == "__main__":
    main()
