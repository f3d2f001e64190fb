"""Runs bench/fanout.mjs (the Node fan-out driver) against a server and reads its figures.

    python -m bench.fanout_node [--clients 2,10,50] [--seconds 5] [--rounds 1] [--no-dev-server]

prints, for the emulator and Liveblocks' dev server side by side: ops applied/s,
deliveries/s (ops received by the other clients of the room: the fan-out), the
delivery delay, the server's share of a core and the driver's. With ``--rounds N``
the servers take turns N times (so both see the same machine, which may be shared)
and the medians follow, with the load average seen during the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass

from .bench_realtime import cpu_seconds
from .servers import ROOT, _process_tree, dev_server, emulator

SCRIPT = ROOT / "bench" / "fanout.mjs"
WS_MODULE = ROOT / "tests" / "node" / "node_modules" / "ws"


@dataclass
class FanOut:
    clients: int
    seconds: float
    applied: int
    deliveries: int
    p50_ms: float
    p99_ms: float
    server_cpu: float
    driver_cpu: float

    @property
    def deliveries_per_second(self) -> float:
        return self.deliveries / self.seconds


def available() -> str | None:
    """Why the Node driver cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not WS_MODULE.exists():
        return "run npm ci --prefix tests/node"
    return None


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the dev server runs under a wrapper)."""
    total = 0.0
    for child in _process_tree(pid):
        with contextlib.suppress(OSError):
            total += cpu_seconds(child)
    return total


def run(base_url: str, server_pid: int, clients: int, seconds: float) -> FanOut:
    cpu_before = tree_cpu_seconds(server_pid)
    started = time.perf_counter()
    result = subprocess.run(
        ["node", str(SCRIPT), base_url, str(clients), str(seconds)],
        capture_output=True, text=True, timeout=seconds + 60, check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"fanout.mjs failed: {result.stderr.strip()[-200:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    # The server's CPU over the whole driver run (connect and drain included) is
    # a slight overestimate of its share during the measured window.
    server_cpu = (tree_cpu_seconds(server_pid) - cpu_before) / max(wall - 0.8, figures["seconds"])
    return FanOut(clients, figures["seconds"], figures["applied"], figures["deliveries"],
                  figures["p50_ms"] or 0.0, figures["p99_ms"] or 0.0, server_cpu,
                  figures["driver_cpu"])


def _row(clients: int, name: str, r: FanOut) -> str:
    return (f"{clients:>7}  {name:<10}  {r.applied / r.seconds:>8,.0f}  "
            f"{r.deliveries_per_second:>12,.0f}  {r.p50_ms:>7.2f}  {r.p99_ms:>7.2f}  "
            f"{r.server_cpu:>10.0%}  {r.driver_cpu:>10.0%}")


def _medians(results: dict[tuple[int, str], list[FanOut]], loads: list[float]) -> None:
    print(f"\nmedians of {max(len(runs) for runs in results.values())} rounds "
          f"(1-minute load average during the runs: {min(loads):.1f}-{max(loads):.1f})")
    print(f"{'clients':>7}  {'server':<10}  {'deliveries/s':>12}  {'p50 ms':>7}  "
          f"{'server CPU':>10}  {'µs CPU/delivery':>15}  ratio")
    for (clients, name), runs in results.items():
        rate = statistics.median(r.deliveries_per_second for r in runs)
        p50 = statistics.median(r.p50_ms for r in runs)
        cpu = statistics.median(r.server_cpu for r in runs)
        per_delivery = statistics.median(
            r.server_cpu / r.deliveries_per_second * 1e6 for r in runs if r.deliveries)
        ratio = ""
        other = results.get((clients, "dev server"))
        if name == "emulator" and other:
            ratio = f"{rate / statistics.median(r.deliveries_per_second for r in other):.2f}×"
        print(f"{clients:>7}  {name:<10}  {rate:>12,.0f}  {p50:>7.2f}  {cpu:>10.0%}  "
              f"{per_delivery:>15.1f}  {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="2,10,50")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-dev-server", action="store_true")
    args = parser.parse_args()
    reason = available()
    if reason:
        raise SystemExit(reason)
    sizes = [int(size) for size in args.clients.split(",")]
    servers = [("emulator", emulator)]
    if not args.no_dev_server:
        servers.append(("dev server", dev_server))
    print(f"{'clients':>7}  {'server':<10}  {'ops/s':>8}  {'deliveries/s':>12}  {'p50 ms':>7}  "
          f"{'p99 ms':>7}  {'server CPU':>10}  {'driver CPU':>10}")
    results: dict[tuple[int, str], list[FanOut]] = {}
    loads: list[float] = []
    for _ in range(args.rounds):
        for clients in sizes:
            for name, start in servers:
                with start() as server:
                    r = run(server.base_url, server.process.pid, clients, args.seconds)
                loads.append(os.getloadavg()[0])
                results.setdefault((clients, name), []).append(r)
                print(_row(clients, name, r), flush=True)
    if args.rounds > 1:
        _medians(results, loads)


if __name__ == "__main__":
    main()
