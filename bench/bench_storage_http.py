"""Storage over HTTP at 1k, 10k and 100k nodes: POST then GET should grow roughly linearly.

Serves an emulator in a background thread (as the tests do) and times, with
httpx, initializing a room's storage (``POST …/storage``) and reading it back
as Plain LSON and as plain JSON (``GET …/storage``) after a change, and again
unchanged (served from the document's per-version memo). Each figure is the
best of a few runs; the body size and the POST+GET time per node are printed too.

    python -m bench.bench_storage_http
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from bench.bench_storage_document import SIZES, document
from emulator.config import Config
from emulator.json_text import dumps
from emulator.server import BackgroundServer

RUNS = 3


def best_of(runs: int, action: Callable[[], object], prepare: Callable[[], object]) -> float:
    """The best time of ``action`` over a few runs, each after an untimed ``prepare``."""
    best = float("inf")
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def measure(http: httpx.Client, size: int) -> str:
    room_id = f"bench-{size}"
    http.post("/v2/rooms", json={"id": room_id, "defaultAccesses": []}).raise_for_status()
    url = f"/v2/rooms/{room_id}/storage"
    body = dumps(document(size)).encode()

    def post() -> None:
        http.post(url, content=body).raise_for_status()

    def delete() -> None:
        http.delete(url).raise_for_status()

    def change() -> None:
        # GET serves an unchanged document from a memo: change it first.
        tweak = [{"op": "replace", "path": "/title", "value": "changed"}]
        http.patch(url + "/json-patch", json=tweak).raise_for_status()

    def get(storage_format: str = "plain-lson") -> None:
        http.get(url, params={"format": storage_format}).raise_for_status()

    posting = best_of(RUNS, post, delete)
    reading = best_of(RUNS, get, change)
    reading_json = best_of(RUNS, lambda: get("json"), change)
    again = best_of(RUNS, get, lambda: None)
    nodes = len(http.post(f"/v2/rooms/{room_id}/request-storage-mutation").text.splitlines()) - 1
    total = posting + reading
    return (
        f"{nodes:>8} {len(body) / 1024:>7.0f}kB {posting * 1000:>7.1f}ms"
        f" {reading * 1000:>7.1f}ms {reading_json * 1000:>7.1f}ms {again * 1000:>7.1f}ms"
        f" {total * 1000:>7.1f}ms {total / nodes * 1e6:>7.2f}µs"
    )


def main() -> None:
    config = Config(port=0, log_level="warning", max_body_bytes=256 * 1024 * 1024)
    auth = {"Authorization": "Bearer sk_localdev"}
    with (
        BackgroundServer(config) as server,
        httpx.Client(base_url=server.base_url, headers=auth, timeout=120) as http,
    ):
        print(
            f"{'nodes':>8} {'body':>9} {'POST':>9} {'GET lson':>9} {'GET json':>9}"
            f" {'GET again':>9} {'POST+GET':>9} {'per node':>9}"
        )
        for size in SIZES:
            print(measure(http, size))


if __name__ == "__main__":
    main()
