"""Notifications: a user's inbox of 10,000 notifications (first page, a deep page, the
``since`` delta, the unread count), and the fan-out when one comment notifies 1,000
subscribers (time per comment, beside a thread with one subscriber).

Serves an emulator in a background thread (as the tests do); HTTP through one keep-alive
httpx client; the in-process rows call the domain functions the browser API uses.

    python -m bench.bench_notifications [--notifications 10000] [--subscribers 1000]
"""

from __future__ import annotations

import argparse
import time

import httpx

from bench.bench_comments import BODY, timed
from emulator.config import Config
from emulator.domain.room_inputs import RoomCreation
from emulator.server import BackgroundServer

ROOM = "bench-notifications"
USER = "reader"


def _row(name: str, best: float, median: float, extra: str = "") -> None:
    print(f"{name:<58}{best * 1000:>9.2f}{median * 1000:>9.2f}  {extra}")


def inbox(server: BackgroundServer, http: httpx.Client, count: int) -> None:
    def seed() -> int:
        state = server.state
        room = state.rooms.create(RoomCreation(id=ROOM, default_accesses=["room:write"]))
        start = state.clock()
        for index in range(count):
            # One thread notification per thread, notified a millisecond apart.
            state.inbox.notify_thread(USER, room.id, f"th_bench{index:017d}", "default",
                                      at_ms=start - count + index)
        return start

    server.call(seed)
    since_ms = server.call(lambda: server.state.clock()) + 1
    time.sleep(0.01)
    # Ten notifications change after `since`: the delta carries those ten.
    def change_ten() -> None:
        state = server.state
        state.inbox.mark_read(state.inbox.of_user(USER)[100:110])

    server.call(change_ten)
    url = f"/v2/users/{USER}/inbox-notifications"
    first = http.get(url).json()
    cursor = first["nextCursor"]
    for _ in range(99):  # the 101st page: 5,000 notifications in
        cursor = http.get(url, params={"startingAfter": cursor}).json()["nextCursor"]
    print(f"{'inbox of ' + str(count) + ' notifications (one user)':<58}"
          f"{'best ms':>9}{'median':>9}")
    rows = [
        ("REST S26: first page (limit 50)", lambda: http.get(url)),
        ("REST S26: unread:true, first page",
         lambda: http.get(url, params={"query": "unread:true"})),
        ("REST S26: page 101 (startingAfter)",
         lambda: http.get(url, params={"startingAfter": cursor})),
    ]
    for name, action in rows:
        action().raise_for_status()
        _row(name, *timed(action, runs=20))
    inbox_store = server.state.inbox
    domain = [
        ("domain: page(limit=50)  (C29's call)",
         lambda: inbox_store.page(USER, limit=50, starting_after=None)),
        ("domain: changed_since, 10 changed  (C30's call)",
         lambda: inbox_store.changed_since(USER, since_ms)),
        ("domain: unread_count  (C31's call)", lambda: inbox_store.unread_count(USER)),
    ]
    changed, _ = inbox_store.changed_since(USER, since_ms)
    assert len(changed) == 10, len(changed)
    for name, call in domain:
        _row(name, *timed(lambda call=call: server.call(call), runs=20),
             "(incl. a hop to the server's loop)")


def fan_out(server: BackgroundServer, http: httpx.Client, subscribers: int,
            rounds: int = 30) -> None:
    def seed(count: int) -> str:
        state = server.state
        room = state.rooms.get(ROOM)
        thread = state.comments.create_thread(room, user_id="author", body=BODY)
        for index in range(count):
            state.comments.subscribe(room, thread.id, f"sub{index:05d}")
        return thread.id

    print(f"{'fan-out: secret-API comment, sequential':<58}{'best ms':>9}{'median':>9}")
    for count in (1, subscribers):
        thread_id = server.call(lambda count=count: seed(count))
        url = f"/v2/rooms/{ROOM}/threads/{thread_id}/comments"

        def post(url: str = url) -> None:
            http.post(url, json={"userId": "writer", "body": BODY}).raise_for_status()

        post()  # the writer subscribes; every later comment notifies the others
        _row(f"comment in a thread of {count} subscriber(s)", *timed(post, runs=rounds))
    notified = server.call(lambda: len(server.state.inbox.of_thread(thread_id)))
    print(f"  ({notified} thread notifications of the last thread, one per subscriber "
          "and the writer)")

    later = [server.call(lambda: server.state.clock()) + 60_000]

    def in_process() -> None:
        # The store and the rules without HTTP: each comment a minute after the last, so
        # every subscriber's notification moves (the worst case).
        state = server.state
        later[0] += 60_000
        state.comments.create_comment(state.rooms.get(ROOM), thread_id, user_id="writer",
                                      body=BODY, at_ms=later[0])

    _row(f"in process: create_comment, {subscribers} subscribers",
         *timed(lambda: server.call(in_process), runs=rounds),
         "(store + rules + events, a hop to the server's loop)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=1_000)
    args = parser.parse_args()
    config = Config(port=0, log_level="warning")
    auth = {"Authorization": "Bearer sk_localdev"}
    with (
        BackgroundServer(config) as server,
        httpx.Client(base_url=server.base_url, headers=auth, timeout=120) as http,
    ):
        start = time.perf_counter()
        http.get("/v2/rooms").raise_for_status()
        print(f"reference: one round trip {1000 * (time.perf_counter() - start):.2f} ms")
        inbox(server, http, args.notifications)
        fan_out(server, http, args.subscribers)


if __name__ == "__main__":
    main()
