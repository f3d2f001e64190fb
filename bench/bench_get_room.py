"""GET room against the framework ceiling, interleaved over several rounds (issue 18 item 3,
issue 16's dashboard benchmark).

One process each, started once: the ceiling (bench/ceiling.py), the emulator at
``--log-level warning`` and the emulator at its default ``info`` (an access line per
request, to /dev/null). Each round runs wrk (16 connections, one thread) against, in turn:

- the ceiling;
- the emulator at ``warning``;
- the emulator at ``info``;
- the same ``info`` emulator with a dashboard open on a live room: the room's page is
  loaded and its event stream (``/dashboard/events``, SSE) held open and read, while a
  real ``@liveblocks/client`` (Node) is in the room the whole run (with ``--churn MS`` it
  also changes its presence every MS ms, so events flow through the stream).

The machine may be shared: each round's ratios come from measurements taken seconds
apart, and the medians over rounds are the figures to read.

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


def measure(server: RunningServer, seconds: float) -> LoadResult:
    return run_load(server.base_url, GET_ROOM, seconds=seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--churn", type=int, default=0,
                        help="the client in the room changes presence every MS ms (0: idle)")
    args = parser.parse_args()
    rps: dict[str, list[float]] = {name: [] for name in CONDITIONS}
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
                rps["ceiling"].append(measure(bare, args.seconds).rps)
                rps["warning"].append(measure(quiet, args.seconds).rps)
                rps["info"].append(measure(logged, args.seconds).rps)
                with dashboard_open(logged.base_url, "live"):
                    rps["info + dashboard"].append(measure(logged, args.seconds).rps)
                print(f"round {round_number}: load {load:5.2f}  " + "  ".join(
                    f"{name} {values[-1]:,.0f}" for name, values in rps.items()), flush=True)
        finally:
            client.close()
    ratios = {
        "GET room, warning / ceiling": [
            w / c for w, c in zip(rps["warning"], rps["ceiling"], strict=True)],
        "GET room, default logging (info) / ceiling": [
            i / c for i, c in zip(rps["info"], rps["ceiling"], strict=True)],
        "GET room, dashboard open / not (both info)": [
            d / i for d, i in zip(rps["info + dashboard"], rps["info"], strict=True)],
    }
    print(f"\nGET /v2/rooms/{{id}}, wrk 16 connections, {args.rounds} rounds of "
          f"{args.seconds:g} s, load average now {os.getloadavg()[0]:.2f}")
    for name, values in rps.items():
        print(f"  {name:20s} median {statistics.median(values):8,.0f} req/s")
    for name, values in ratios.items():
        print(f"  {name:45s} median {statistics.median(values):.2f}×  (rounds: "
              f"{', '.join(f'{x:.2f}' for x in values)})")


if __name__ == "__main__":
    main()
