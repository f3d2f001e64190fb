"""Comments: listing a room of 1,000 threads (full and ``since`` delta), creating comments,
WebSocket event fan-out to 50 sessions, and memory per thread and per comment.

Serves an emulator in a background thread (as the tests do); HTTP through one keep-alive
httpx client, WebSocket through raw protocol clients (tests/realtime/wsclient.py).

    python -m bench.bench_comments [--threads 1000] [--sessions 50]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable

import httpx

from emulator.config import Config
from emulator.domain.clock import format_ms
from emulator.domain.comments import CommentStore
from emulator.domain.room_inputs import RoomCreation
from emulator.domain.rooms import RoomStore
from emulator.server import BackgroundServer
from tests.realtime.wsclient import RawClient

BODY = {"version": 1, "content": [{"type": "paragraph", "children": [
    {"text": "A comment of ordinary length, with a "}, {"type": "mention", "kind": "user",
                                                       "id": "bob"},
    {"text": " mention and a link: "}, {"type": "link", "url": "https://example.com"}]}]}
ROOM = "bench-comments"


def timed(action: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """(best, median) seconds of ``action`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def seed(server: BackgroundServer, threads: int) -> None:
    def make() -> None:
        state = server.state
        room = state.rooms.create(RoomCreation(id=ROOM, default_accesses=["room:write"]))
        for index in range(threads):
            thread = state.comments.create_thread(room, user_id=f"user{index % 7}", body=BODY,
                                                  metadata={"n": index, "status": "open"})
            state.comments.create_comment(room, thread.id, user_id="bob", body=BODY)

    server.call(make)


def lists(server: BackgroundServer, http: httpx.Client, threads: int) -> None:
    token = http.post("/v2/authorize-user", json={
        "userId": "alice", "permissions": {ROOM: ["room:write"]}}).json()["token"]
    browser = {"Authorization": f"Bearer {token}"}
    secret = f"/v2/rooms/{ROOM}/threads"
    client = f"/v2/c/rooms/{ROOM}/threads"
    since = format_ms(server.call(lambda: server.state.clock()))
    # Ten threads change after `since`: the delta carries them only.
    ids = [t["id"] for t in http.get(secret).json()["data"][:10]]
    for thread_id in ids:
        http.post(f"{secret}/{thread_id}/comments", json={"userId": "carol", "body": BODY})
    rows = [
        (f"secret list, all {threads} threads", lambda: http.get(secret)),
        ("secret list, query metadata['status']:'open'",
         lambda: http.get(secret, params={"query": "metadata['status']:'open'"})),
        ("browser list, first page (limit 50)", lambda: http.get(client, headers=browser)),
        ("browser delta, 10 changed since", lambda: http.get(
            client + "/delta", params={"since": since}, headers=browser)),
        (f"browser delta, all {threads} changed", lambda: http.get(
            client + "/delta", params={"since": "2000-01-01T00:00:00.000Z"},
            headers=browser)),
    ]
    print(f"{'listing (room of ' + str(threads) + ' threads, 2+ comments each)':<52}"
          f"{'best ms':>9}{'median':>9}{'body kB':>9}")
    for name, action in rows:
        size = len(action().content)
        best, median = timed(action)
        print(f"{name:<52}{best * 1000:>9.1f}{median * 1000:>9.1f}{size / 1024:>9.0f}")


def creating(http: httpx.Client, count: int = 500) -> None:
    # The same loop on the cheapest endpoint: what one sequential round trip costs here.
    start = time.perf_counter()
    for _ in range(count):
        http.get(f"/v2/rooms/{ROOM}").raise_for_status()
    elapsed = time.perf_counter() - start
    print(f"reference: GET room (sequential)                      {count / elapsed:>8.0f}/s"
          f"   {elapsed / count * 1000:.2f} ms each")
    thread_id = http.get(f"/v2/rooms/{ROOM}/threads").json()["data"][0]["id"]
    url = f"/v2/rooms/{ROOM}/threads/{thread_id}/comments"
    start = time.perf_counter()
    for _ in range(count):
        http.post(url, json={"userId": "dave", "body": BODY}).raise_for_status()
    elapsed = time.perf_counter() - start
    print(f"create comments (secret API, sequential, one thread)  {count / elapsed:>8.0f}/s"
          f"   {elapsed / count * 1000:.2f} ms each")
    start = time.perf_counter()
    for index in range(count):
        http.post(f"/v2/rooms/{ROOM}/threads", json={
            "comment": {"userId": "dave", "body": BODY}, "metadata": {"i": index}})
    elapsed = time.perf_counter() - start
    print(f"create threads (secret API, sequential)               {count / elapsed:>8.0f}/s"
          f"   {elapsed / count * 1000:.2f} ms each")


def _wait_for_comment(client: RawClient, arrived: list[float], lock: threading.Lock) -> None:
    client.receive_type(402, timeout=30)
    with lock:
        arrived.append(time.perf_counter())


def fan_out(server: BackgroundServer, http: httpx.Client, sessions: int, rounds: int = 20
            ) -> None:
    clients = [RawClient(server.base_url, ROOM, pubkey="pk_localdev") for _ in range(sessions)]
    for client in clients:
        client.receive_type(104)  # ROOM_STATE
    thread_id = http.get(f"/v2/rooms/{ROOM}/threads").json()["data"][0]["id"]
    delays: list[float] = []
    for _ in range(rounds):
        arrived: list[float] = []
        lock = threading.Lock()

        waiters = [threading.Thread(target=_wait_for_comment, args=(c, arrived, lock))
                   for c in clients]
        for waiter in waiters:
            waiter.start()
        start = time.perf_counter()
        http.post(f"/v2/rooms/{ROOM}/threads/{thread_id}/comments",
                  json={"userId": "erin", "body": BODY}).raise_for_status()
        for waiter in waiters:
            waiter.join()
        delays.append(max(arrived) - start)
    for client in clients:
        client.close()
    print(f"WS fan-out: REST comment until all {sessions} sessions have 402 "
          f"(median of {rounds})  {statistics.median(delays) * 1000:.1f} ms "
          f"(best {min(delays) * 1000:.1f}, worst {max(delays) * 1000:.1f})")


def memory(threads: int) -> None:
    rooms = RoomStore(lambda: 0)
    store = CommentStore(lambda: 1_700_000_000_000)
    room = rooms.create(RoomCreation(id="m", default_accesses=[]))
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    made = [store.create_thread(room, user_id="alice", body=BODY, metadata={"n": i})
            for i in range(threads)]
    middle = tracemalloc.take_snapshot()
    for thread in made:
        store.create_comment(room, thread.id, user_id="bob", body=BODY)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()

    def grown(a: tracemalloc.Snapshot, b: tracemalloc.Snapshot) -> int:
        return sum(stat.size_diff for stat in b.compare_to(a, "filename"))

    print(f"memory: a thread with its first comment  {grown(before, middle) / threads:>7.0f} B"
          f"   each further comment {grown(middle, after) / threads:>7.0f} B"
          f"   (bodies are the clients' JSON, kept as sent; {threads} threads)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=50)
    args = parser.parse_args()
    config = Config(port=0, log_level="warning")
    auth = {"Authorization": "Bearer sk_localdev"}
    with (
        BackgroundServer(config) as server,
        httpx.Client(base_url=server.base_url, headers=auth, timeout=120) as http,
    ):
        seed(server, args.threads)
        lists(server, http, args.threads)
        creating(http)
        fan_out(server, http, args.sessions)
    memory(10_000)


if __name__ == "__main__":
    main()
