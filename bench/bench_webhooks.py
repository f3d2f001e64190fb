"""Webhooks: events delivered per second to a local receiver, and REST throughput with one
endpoint attached beside the same emulator without (issue: ≥ 0.9×).

The receiver is a keep-alive stdlib HTTP server answering 204 (no verification: the figure
is the emulator's sending rate). Events per second: N ``roomDeleted`` events emitted at
once on the emulator's loop, timed until the last delivery is recorded. REST: rounds of
create + delete room (two events each) alternated between the two emulators, best round
of each; the deliveries run on the same loop as the requests.

    python -m bench.bench_webhooks
"""

from __future__ import annotations

import threading
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


def rest_round(http: httpx.Client) -> float:
    start = time.perf_counter()
    for index in range(PAIRS):
        http.post("/v2/rooms", json={"id": f"b{index}", "defaultAccesses": []}).raise_for_status()
        http.delete(f"/v2/rooms/b{index}").raise_for_status()
    return 2 * PAIRS / (time.perf_counter() - start)


def main() -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    auth = {"Authorization": "Bearer sk_localdev"}
    with (
        BackgroundServer(Config(port=0, log_level="warning")) as bare,
        BackgroundServer(Config(port=0, log_level="warning", webhooks=[url])) as hooked,
        httpx.Client(base_url=bare.base_url, headers=auth) as bare_http,
        httpx.Client(base_url=hooked.base_url, headers=auth) as hooked_http,
    ):
        rate = events_per_second(hooked)
        print(f"events delivered per second to a local receiver: {rate:,.0f} ({EVENTS} events)")
        best = {"without": 0.0, "with": 0.0}
        for _ in range(ROUNDS):
            best["without"] = max(best["without"], rest_round(bare_http))
            best["with"] = max(best["with"], rest_round(hooked_http))
        print(f"REST create+delete, requests/s: without webhooks {best['without']:,.0f}, "
              f"with 1 endpoint {best['with']:,.0f} -> {best['with'] / best['without']:.2f}x")
        print(f"(deliveries made during the REST rounds: {delivered(hooked)})")
    receiver.shutdown()


if __name__ == "__main__":
    main()
