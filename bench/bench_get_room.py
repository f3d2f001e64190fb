"""GET room against the framework ceiling, interleaved over several rounds (issue 18 item 3,
issue 16's dashboard benchmark).

One process each, started once: the ceiling (bench/ceiling.py), the emulator at
``--log-level warning`` and the emulator at its default ``info`` (an access line per
request, to /dev/null). Each round runs wrk (16 connections, one thread) against each of
these, in an order that rotates from round to round:

- the ceiling;
- the emulator at ``warning``;
- the emulator at ``info``;
- the same ``info`` emulator with a dashboard open on a live room: the room's page is
  loaded and its event stream (``/dashboard/events``, SSE) held open and read, while a
  real ``@liveblocks/client`` (Node) is in the room the whole run (with ``--churn MS`` it
  also changes its presence every MS ms, so events flow through the stream).

The machine may be shared: each round's ratios come from measurements taken seconds
apart, and the medians over rounds are the figures to read. Beside requests per second,
each server's CPU time per request is printed (from /proc): it does not count the time a
server waited for a core, so on a busy machine its ratio is the steadier one.

    python -m bench.bench_get_room [--rounds 5] [--seconds 5] [--churn 0]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import threading
from collections.abc import Iterator

import httpx

from tests.dashboard.harness import LiveClient

from .loadgen import LoadResult, RequestSpec, run_load
from .servers import AUTH, RunningServer, ceiling, emulator

GET_ROOM = RequestSpec("GET", "/v2/rooms/bench-room", None, AUTH)
CONDITIONS = ("ceiling", "warning", "info", "info + dashboard")


@contextlib.contextmanager
def dashboard_open(base_url: str, room_id: str) -> Iterator[None]:
    """What an open dashboard page does to the server: its page once, then one SSE stream
    (``/dashboard/events``) read until the page closes."""
    assert httpx.get(f"{base_url}/dashboard/rooms/{room_id}").status_code == 200
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    assert port is not None
    stream = socket.create_connection((host, port))
    stream.sendall(f"GET /dashboard/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   "Accept: text/event-stream\r\n\r\n".encode())
    first = stream.recv(65536)
    assert first.startswith(b"HTTP/1.1 200"), first[:200]

    def read() -> None:
        with contextlib.suppress(OSError):
            while stream.recv(65536):
                pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            stream.shutdown(socket.SHUT_RDWR)
        stream.close()
        reader.join(5)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(server: RunningServer, seconds: float) -> tuple[float, float]:
    """Requests per second, and the server's CPU µs per request: on a shared machine the
    second is the steadier figure (it does not count the time the server waited for a
    core), and its inverse ratio is what the throughput ratio would be on a quiet one."""
    before = cpu_seconds(server.process.pid)
    result: LoadResult = run_load(server.base_url, GET_ROOM, seconds=seconds)
    used = cpu_seconds(server.process.pid) - before
    return result.rps, used * 1e6 / max(1, result.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--churn", type=int, default=0,
                        help="the client in the room changes presence every MS ms (0: idle)")
    args = parser.parse_args()
    rps: dict[str, list[float]] = {name: [] for name in CONDITIONS}
    cpu: dict[str, list[float]] = {name: [] for name in CONDITIONS}

    def run(name: str, server: RunningServer) -> None:
        requests_per_second, cpu_us = measure(server, args.seconds)
        rps[name].append(requests_per_second)
        cpu[name].append(cpu_us)

    with ceiling() as bare, emulator("warning") as quiet, emulator("info") as logged:
        for server in (quiet, logged):
            created = httpx.post(server.base_url + "/v2/rooms", headers=AUTH,
                                 json={"id": "bench-room", "defaultAccesses": []})
            assert created.status_code == 200, created.text
        httpx.post(logged.base_url + "/v2/rooms", headers=AUTH,
                   json={"id": "live", "defaultAccesses": ["room:write"]})
        client = LiveClient(logged.base_url)
        try:
            client.send("enter", room="live", presence={"tick": 0})
            if args.churn:
                client.send("churn", every=args.churn)
            for server in (bare, quiet, logged):
                measure(server, 1)  # warm up
            for round_number in range(1, args.rounds + 1):
                load = os.getloadavg()[0]
                # Each round starts one condition later: none always runs first or last.
                for step in range(len(CONDITIONS)):
                    name = CONDITIONS[(round_number - 1 + step) % len(CONDITIONS)]
                    if name == "info + dashboard":
                        with dashboard_open(logged.base_url, "live"):
                            run(name, logged)
                    else:
                        run(name, {"ceiling": bare, "warning": quiet, "info": logged}[name])
                print(f"round {round_number}: load {load:5.2f}  " + "  ".join(
                    f"{name} {rps[name][-1]:,.0f}/s {cpu[name][-1]:.0f} µs"
                    for name in CONDITIONS), flush=True)
        finally:
            client.close()
    print(f"\nGET /v2/rooms/{{id}}, wrk 16 connections, {args.rounds} rounds of "
          f"{args.seconds:g} s, load average now {os.getloadavg()[0]:.2f}")
    for name in CONDITIONS:
        print(f"  {name:20s} median {statistics.median(rps[name]):8,.0f} req/s  "
              f"{statistics.median(cpu[name]):6.0f} µs CPU per request")
    for label, (a, b) in {
        "warning / ceiling": ("warning", "ceiling"),
        "default logging (info) / ceiling": ("info", "ceiling"),
        "dashboard open / not (both info)": ("info + dashboard", "info"),
    }.items():
        by_rps = [x / y for x, y in zip(rps[a], rps[b], strict=True)]
        by_cpu = [y / x for x, y in zip(cpu[a], cpu[b], strict=True)]
        print(f"  {label:34s} req/s ratio median {statistics.median(by_rps):.2f}× "
              f"({', '.join(f'{x:.2f}' for x in by_rps)}); "
              f"CPU-per-request ratio median {statistics.median(by_cpu):.2f}× "
              f"({', '.join(f'{x:.2f}' for x in by_cpu)})")


if __name__ == "__main__":
    main()
