"""``python -m bench``: the emulator beside the framework ceiling and Liveblocks' dev server.

Each server runs as its own process on loopback and gets the same workloads
from the same load generator (wrk when installed, else bench/loadgen.py's
asyncio client). Absolute figures depend on the machine; the ratios, measured
in one run, are what to compare. See bench/README.md.

    python -m bench [--seconds 5] [--no-dev-server] [--only "GET room"] [--skip-memory]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterator

from websockets.exceptions import WebSocketException

from . import fanout_node
from .bench_realtime import measure as measure_fan_out
from .loadgen import LoadResult, run_load
from .memory import memory_report
from .servers import RunningServer, ceiling, dev_server, emulator
from .workloads import WORKLOADS, SetupFailed, Workload

Results = dict[str, dict[str, LoadResult | str]]


def measure(server: RunningServer, workload: Workload, seconds: float) -> LoadResult | str:
    try:
        workload.setup(server.base_url)
    except SetupFailed as error:
        return f"n/a ({error})"
    if workload.total is None:
        run_load(server.base_url, workload.spec, seconds=min(1.0, seconds))  # warm up
        return run_load(server.base_url, workload.spec, seconds=seconds)
    return run_load(server.base_url, workload.spec, total=workload.total)


FAN_OUT_CLIENTS = (2, 10, 50)


def fan_out_name(clients: int) -> str:
    return f"WebSocket op fan-out ({clients} clients)"


def measure_websocket(server: RunningServer, clients: int, seconds: float) -> LoadResult | str:
    """Storage ops through one room, flat out: deliveries/s (ops received by the other
    clients) and their delay, from the Node driver (bench/fanout.mjs) when it can run,
    else ops applied/s from the Python one."""
    if fanout_node.available() is None:
        try:
            fan = fanout_node.run(server.base_url, server.process.pid, clients, seconds)
        except (RuntimeError, ValueError, OSError) as error:
            return f"n/a ({error})"
        return LoadResult(fan.deliveries, fan.seconds, fan.p50_ms, fan.p99_ms,
                          Counter({200: fan.deliveries}), "node ws")
    try:
        run = asyncio.run(measure_fan_out(server.base_url, server.process.pid, clients,
                                          paced=False, seconds=seconds))
    except (OSError, TimeoutError, SystemExit, WebSocketException) as error:
        return f"n/a ({type(error).__name__}: {error})"
    delays = sorted(d * 1000 for d in run.delays)
    p50 = statistics.median(delays) if delays else 0.0
    p99 = statistics.quantiles(delays, n=100)[98] if len(delays) >= 2 else 0.0
    return LoadResult(run.applied, run.seconds, p50, p99, Counter({200: run.applied}),
                      "websockets")


def run_server(
    name: str, start: Callable[[str], contextlib.AbstractContextManager[RunningServer]],
    workloads: list[Workload], seconds: float, results: Results, websockets: bool,
) -> None:
    """Each workload gets a fresh server process, so one that breaks a server (the dev
    server fails after some thousands of rooms) does not spoil the next."""
    print(f"… {name}", file=sys.stderr, flush=True)
    jobs: list[tuple[str, str, Callable[[RunningServer], LoadResult | str]]] = [
        (w.name, w.log_level, lambda server, w=w: measure(server, w, seconds)) for w in workloads
    ]
    if websockets:
        jobs += [(fan_out_name(c), "warning",
                  lambda server, c=c: measure_websocket(server, c, seconds))
                 for c in FAN_OUT_CLIENTS]
    for job_name, log_level, job in jobs:
        try:
            with start(log_level) as server:
                results[job_name][name] = job(server)
        except RuntimeError as error:
            results[job_name][name] = f"n/a ({error})"


def _ratio(a: LoadResult | str | None, b: LoadResult | str | None) -> str:
    if isinstance(a, LoadResult) and isinstance(b, LoadResult) and b.rps:
        return f"{a.rps / b.rps:.2f}×"
    return "–"


def table(results: Results) -> Iterator[str]:
    yield (f"{'workload':<38} {'server':<11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
           f"{'fails':>6}  ratios")
    for workload, by_server in results.items():
        for index, name in enumerate(("ceiling", "emulator", "dev server")):
            result = by_server.get(name, "not run")
            label = workload if index == 0 else ""
            if isinstance(result, LoadResult):
                row = (f"{label:<38} {name:<11} {result.rps:>9,.0f} {result.p50_ms:>8.2f} "
                       f"{result.p99_ms:>8.2f} {result.failures:>6}")
            else:
                row = f"{label:<38} {name:<11} {result}"
            if name == "emulator":
                row += (f"  emulator/ceiling {_ratio(result, by_server.get('ceiling'))}"
                        f", emulator/dev server {_ratio(result, by_server.get('dev server'))}")
            yield row


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmarks side by side")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per workload")
    parser.add_argument("--no-dev-server", action="store_true", help="skip Liveblocks' dev server")
    parser.add_argument("--only", action="append", help="run only workloads with this text")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    workloads = [w for w in WORKLOADS
                 if not args.only or any(text in w.name for text in args.only)]
    results: Results = {w.name: {} for w in workloads}
    websockets = not args.only or any("WebSocket" in text for text in args.only)
    if websockets:
        for clients in FAN_OUT_CLIENTS:
            results[fan_out_name(clients)] = {"ceiling": "n/a (HTTP only)"}
    run_server("ceiling", ceiling, workloads, args.seconds, results, websockets=False)
    run_server("emulator", emulator, workloads, args.seconds, results, websockets)
    if args.no_dev_server:
        for by_server in results.values():
            by_server["dev server"] = "n/a (--no-dev-server)"
    else:
        run_server("dev server", dev_server, workloads, args.seconds, results, websockets)
    for line in table(results):
        print(line)
    if not args.skip_memory:
        print()
        for line in memory_report():
            print(line)


if __name__ == "__main__":
    main()
