"""Webhooks: events delivered per second to a local receiver, and REST throughput with one
endpoint attached beside the same emulator without (issue: ≥ 0.9×).

The receiver is a keep-alive stdlib HTTP server answering 204, in a process of its own (no
verification: the figure is the emulator's sending rate; in this process its threads would
take the GIL from the emulators). Events per second: N ``roomDeleted`` events emitted at
once on the emulator's loop, timed until the last delivery is recorded. REST: rounds of
create + delete room (two events each) alternated between the two emulators, best round
of each; the deliveries run on the same loop as the requests.

    python -m bench.bench_webhooks
"""

from __future__ import annotations

import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from emulator.config import Config
from emulator.server import BackgroundServer

EVENTS = 2000
ROUNDS = 5
PAIRS = 300  # create + delete per round


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def delivered(server: BackgroundServer) -> int:
    return server.call(lambda: sum(
        d.status == "delivered" for d in server.state.webhooks.dispatcher.deliveries.values()))


def events_per_second(server: BackgroundServer) -> float:
    def emit() -> None:
        for index in range(EVENTS):
            server.state.events.emit("roomDeleted", {"roomId": f"r{index}",
                                                     "deletedAt": "2026-01-01T00:00:00.000Z"})

    server.call(lambda: server.state.webhooks.dispatcher.deliveries.clear())
    start = time.perf_counter()
    server.call(emit)
    while delivered(server) < EVENTS:
        time.sleep(0.005)
    return EVENTS / (time.perf_counter() - start)


def read_round(http: httpx.Client) -> float:
    """GET a room: no event, so what an attached endpoint costs when nothing happens."""
    start = time.perf_counter()
    for _ in range(2 * PAIRS):
        http.get("/v2/rooms/read").raise_for_status()
    return 2 * PAIRS / (time.perf_counter() - start)


def rest_round(http: httpx.Client) -> float:
    start = time.perf_counter()
    for index in range(PAIRS):
        http.post("/v2/rooms", json={"id": f"b{index}", "defaultAccesses": []}).raise_for_status()
        http.delete(f"/v2/rooms/b{index}").raise_for_status()
    return 2 * PAIRS / (time.perf_counter() - start)


def receive() -> None:
    """The receiver process: prints its port, serves until killed."""
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    print(receiver.server_address[1], flush=True)
    receiver.serve_forever()


def main() -> None:
    process = subprocess.Popen([sys.executable, "-m", "bench.bench_webhooks", "receive"],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = f"http://127.0.0.1:{int(process.stdout.readline())}/hook"
    try:
        measure(url)
    finally:
        process.terminate()
        process.wait(10)


def measure(url: str) -> None:
    auth = {"Authorization": "Bearer sk_localdev"}
    with (
        BackgroundServer(Config(port=0, log_level="warning")) as bare,
        BackgroundServer(Config(port=0, log_level="warning", webhooks=[url])) as hooked,
        httpx.Client(base_url=bare.base_url, headers=auth) as bare_http,
        httpx.Client(base_url=hooked.base_url, headers=auth) as hooked_http,
    ):
        rate = events_per_second(hooked)
        print(f"events delivered per second to a local receiver: {rate:,.0f} ({EVENTS} events)")
        for http in (bare_http, hooked_http):
            http.post("/v2/rooms", json={"id": "read", "defaultAccesses": []})
        for name, workload in (("GET room (no event)", read_round),
                               ("create+delete room (2 events)", rest_round)):
            best = {"without": 0.0, "with": 0.0}
            for _ in range(ROUNDS):
                best["without"] = max(best["without"], workload(bare_http))
                best["with"] = max(best["with"], workload(hooked_http))
            print(f"REST {name}, requests/s: without webhooks {best['without']:,.0f}, "
                  f"with 1 endpoint {best['with']:,.0f} -> "
                  f"{best['with'] / best['without']:.2f}x")
        print(f"(deliveries made during the REST rounds: {delivered(hooked)})")


if __name__ == "__main__":
    receive() if sys.argv[1:] == ["receive"] else main()
