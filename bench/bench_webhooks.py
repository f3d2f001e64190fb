"""Webhooks: REST throughput of an emulator with 1 endpoint attached beside one without
(issue 15: ≥ 0.9×), and events delivered per second to a local receiver.

Every party is a process of its own: the two emulators (``python -m emulator``, one with
``--webhook`` to the receiver), the receiver (a keep-alive stdlib HTTP server answering
204 and counting, without verifying: the figure is the emulator's sending rate) and the
load generator (wrk when installed, else bench/loadgen.py). The machine is shared, so the
two variants are measured interleaved, round after round (the order swapped every round),
and the median of the per-round ratios is reported.

Workloads: ``POST /v2/rooms`` with a new id (one ``roomCreated`` event per request) and
``GET /v2/rooms/{id}`` (no event). After each round with the endpoint, the bench waits until
the receiver has every event that round made (a backlog left to the next round would take
CPU from the other variant); events per second = events of the round / time from the
round's start to the last one received.

    python -m bench.bench_webhooks [--rounds 5] [--seconds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from .loadgen import RequestSpec, run_load
from .servers import AUTH, ROOT, RunningServer, _serve, free_port

CONNECTIONS = 16
CREATE = RequestSpec("POST", "/v2/rooms", '{"id": "bench-{n}", "defaultAccesses": []}',
                     {**AUTH, "Content-Type": "application/json"})
READ = RequestSpec("GET", "/v2/rooms/read", None, AUTH)


class Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        with Counting.lock:
            Counting.received += 1
        self.send_response(204)
        self.end_headers()

    def do_GET(self) -> None:  # the bench asks how many arrived
        body = str(Counting.received).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def receive() -> None:
    """The receiver process: prints its port, serves until killed."""
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    receiver.daemon_threads = True
    print(receiver.server_address[1], flush=True)
    receiver.serve_forever()


@contextlib.contextmanager
def receiver() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-m", "bench.bench_webhooks", "receive"],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    try:
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.terminate()
        process.wait(10)


def emulator(*extra: str) -> contextlib.AbstractContextManager[RunningServer]:
    port = free_port()
    return _serve("emulator", [sys.executable, "-m", "emulator", "--port", str(port),
                               "--log-level", "warning", *extra], port, cwd=ROOT)


def received(url: str) -> int:
    return int(httpx.get(url, timeout=10).text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with receiver() as url, emulator() as bare, \
            emulator("--webhook", url + "/hook") as hooked:
        for server in (bare, hooked):
            httpx.post(server.base_url + "/v2/rooms", headers=AUTH,
                       json={"id": "read", "defaultAccesses": []}).raise_for_status()
            run_load(server.base_url, READ, seconds=1)  # warm up
        while received(url) < 1:  # the delivery process has started and sent the first
            time.sleep(0.05)
        rates: list[float] = []
        for name, spec in (("GET room (no event)", READ),
                           ("create room (1 event each)", CREATE)):
            ratios: list[float] = []
            for round_ in range(args.rounds):
                rps: dict[str, float] = {}
                order = [("without", bare), ("with", hooked)]
                for label, server in order if round_ % 2 == 0 else order[::-1]:
                    before = received(url)
                    start = time.perf_counter()
                    result = run_load(server.base_url, spec, seconds=args.seconds,
                                      connections=CONNECTIONS)
                    rps[label] = result.rps
                    if server is hooked and spec is CREATE:
                        made = result.statuses[200]
                        while received(url) < before + made:
                            time.sleep(0.02)
                        rates.append(made / (time.perf_counter() - start))
                ratios.append(rps["with"] / rps["without"])
                print(f"  {name} round {round_ + 1}: without {rps['without']:,.0f} req/s, "
                      f"with 1 endpoint {rps['with']:,.0f} req/s -> {ratios[-1]:.2f}x",
                      flush=True)
            print(f"REST {name}: median ratio with/without 1 endpoint "
                  f"{statistics.median(ratios):.2f}x over {args.rounds} interleaved rounds "
                  f"(min {min(ratios):.2f}, max {max(ratios):.2f})", flush=True)
        print(f"events delivered per second to one local receiver: median "
              f"{statistics.median(rates):,.0f} (per round: "
              f"{', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    receive() if sys.argv[1:] == ["receive"] else main()
