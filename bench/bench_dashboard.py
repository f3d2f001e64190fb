"""What an open dashboard costs the REST API, and how fast its views render with big data.

1. ``GET /v2/rooms/{id}`` throughput (16 connections) with no dashboard, then with a
   dashboard page open on a live room where a real @liveblocks/client changes presence and
   storage every 50 ms (so the page's event stream and panel refreshes are busy), several
   rounds alternating, one emulator process. The ratio is the figure to read (goal ≥ 0.9).
2. Time to first render of the rooms view with 10,000 rooms: the server's answer (HTTP),
   and Chromium's load of the page (navigation to the load event).
3. A room with a 10,000-node storage tree: the room page and its storage panel.

Needs what the dashboard's browser tests need (Chromium at /usr/bin/chromium, Node).

    python -m bench.bench_dashboard [--seconds 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import pathlib
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from playwright.sync_api import sync_playwright

from tests.browser.harness import CHROMIUM_ARGS, require_chromium
from tests.dashboard.harness import LiveClient

from .loadgen import RequestSpec, run_load
from .servers import emulator
from .workloads import seed_rooms

AUTH = {"Authorization": "Bearer sk_localdev"}
GET_ROOM = RequestSpec("GET", "/v2/rooms/bench-room", None, AUTH)
T = TypeVar("T")


def big_storage(nodes: int) -> dict[str, object]:
    """A LiveMap of LiveObjects, each with a LiveList of 3 numbers: 5 nodes per entry."""
    entries = {
        f"shape-{i:05d}": {"liveblocksType": "LiveObject", "data": {
            "x": i, "y": i * 2, "points": {"liveblocksType": "LiveList", "data": [1, 2, 3]}}}
        for i in range(nodes // 5)
    }
    return {"liveblocksType": "LiveObject", "data": {
        "shapes": {"liveblocksType": "LiveMap", "data": entries}}}


def in_thread(function: Callable[[], T]) -> T:
    """Playwright's sync API keeps an event loop running in this thread: the load
    generator's asyncio client runs in another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


def rps(base_url: str, seconds: float) -> float:
    return in_thread(lambda: run_load(base_url, GET_ROOM, seconds=seconds)).rps


def median_ms(samples: list[float]) -> str:
    p90 = sorted(samples)[int(len(samples) * 0.9)]
    return f"{statistics.median(samples) * 1000:.1f} ms (p90 {p90 * 1000:.1f})"


CONDITIONS = {
    "no browser": None,
    "Chromium on a blank page": "about:blank",
    "dashboard on the live room": "/dashboard/rooms/live",
}


SETTLE_SECONDS = 1.5


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used; 0 once it is gone."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chromium_cpu() -> float:
    """CPU seconds used by every Chromium process on the machine (the browser's own
    processes: renderer, GPU, network)."""
    total = 0.0
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if b"chrom" in (entry / "cmdline").read_bytes()[:300]:
                    total += process_cpu(int(entry.name))
    return total


def throughput(seconds: float, rounds: int) -> None:
    """Rounds alternate the conditions; the blank page separates what Chromium itself takes
    from the machine (it shares the CPU with the server and the load generator) from what
    the dashboard costs the server. A page is given SETTLE_SECONDS to load before the
    round starts: the figure is REST with a dashboard open, not while a page starts.
    The emulator's CPU per request and the cores Chromium used are printed beside."""
    with emulator() as server, httpx.Client(base_url=server.base_url, headers=AUTH) as http, \
            sync_playwright() as driver:
        http.post("/v2/rooms", json={"id": "bench-room", "defaultAccesses": []})
        http.post("/v2/rooms", json={"id": "live", "defaultAccesses": ["room:write"]})
        client = LiveClient(server.base_url)
        browser = launch(driver)
        results: dict[str, list[float]] = {name: [] for name in CONDITIONS}
        server_us: dict[str, list[float]] = {name: [] for name in CONDITIONS}
        browser_cores: dict[str, list[float]] = {name: [] for name in CONDITIONS}
        try:
            client.send("enter", room="live", presence={"tick": 0})
            client.send("churn", every=50)
            rps(server.base_url, 1)  # warm up
            for _ in range(rounds):
                for name, path in CONDITIONS.items():
                    page = None
                    if path is not None:
                        page = browser.new_page(base_url=server.base_url)
                        page.goto(path)
                        time.sleep(SETTLE_SECONDS)
                    cpu, chromium, started = (process_cpu(server.process.pid), chromium_cpu(),
                                              time.perf_counter())
                    result = in_thread(lambda: run_load(server.base_url, GET_ROOM,
                                                        seconds=seconds))
                    elapsed = time.perf_counter() - started
                    results[name].append(result.rps)
                    served = max(1, sum(result.statuses.values()))
                    server_us[name].append(
                        (process_cpu(server.process.pid) - cpu) / served * 1e6)
                    browser_cores[name].append(max(0.0, chromium_cpu() - chromium) / elapsed)
                    if page is not None:
                        page.close()
        finally:
            browser.close()
            client.close()
    medians = {name: statistics.median(values) for name, values in results.items()}
    print("GET /v2/rooms/{id}, 16 connections, a client writing presence and storage every 50 ms:")
    for name, values in results.items():
        print(f"  {name:28s} {medians[name]:8.0f} req/s  (rounds: "
              f"{', '.join(f'{x:.0f}' for x in values)}); emulator CPU "
              f"{statistics.median(server_us[name]):.0f} us/request, Chromium "
              f"{statistics.median(browser_cores[name]):.2f} cores")
    dashboard = medians["dashboard on the live room"]
    print(f"  ratio dashboard / no browser:   {dashboard / medians['no browser']:.2f}")
    blank = medians["Chromium on a blank page"]
    print(f"  ratio dashboard / blank page:   {dashboard / blank:.2f}")


def first_render(rooms: int, nodes: int, samples: int) -> None:
    with emulator() as server, httpx.Client(base_url=server.base_url, headers=AUTH,
                                            timeout=60) as http, sync_playwright() as driver:
        in_thread(lambda: seed_rooms(server.base_url, rooms - 1, "room-"))
        http.post("/v2/rooms", json={"id": "big", "defaultAccesses": ["room:write"]})
        assert http.post("/v2/rooms/big/storage", json=big_storage(nodes)).status_code == 200
        anonymous = httpx.Client(base_url=server.base_url, timeout=60)
        timings: dict[str, list[float]] = {}
        for name, path in (("rooms view (HTTP)", "/dashboard/rooms"),
                           ("room page, 10,000-node storage (HTTP)", "/dashboard/rooms/big"),
                           ("storage panel, 10,000 nodes (HTTP)",
                            "/dashboard/rooms/big/panels/storage")):
            anonymous.get(path)
            timings[name] = []
            for _ in range(samples):
                started = time.perf_counter()
                assert anonymous.get(path).status_code == 200
                timings[name].append(time.perf_counter() - started)
        browser = launch(driver)
        page = browser.new_page(base_url=server.base_url)
        for name, path in (("rooms view (Chromium, to load event)", "/dashboard/rooms"),
                           ("room page, 10,000 nodes (Chromium, to load event)",
                            "/dashboard/rooms/big")):
            page.goto(path)
            timings[name] = []
            for _ in range(samples):
                started = time.perf_counter()
                page.goto(path, wait_until="load")
                timings[name].append(time.perf_counter() - started)
        browser.close()
        anonymous.close()
    print(f"{rooms:,} rooms; first render:")
    for name, values in timings.items():
        print(f"  {name:50s} {median_ms(values)}")


def launch(driver: Any) -> Any:
    """Chromium as the browser tests launch it."""
    return driver.chromium.launch(executable_path=require_chromium(), args=list(CHROMIUM_ARGS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    throughput(args.seconds, args.rounds)
    first_render(10_000, 10_000, args.samples)


if __name__ == "__main__":
    main()
