"""The browser's personal inbox (C29–C31) for a user with 10,000 notifications: 1,000
``thread`` notifications (alice's threads mentioning bob) and 9,000 custom ones, listed
(first page), counted, and as ``since`` deltas, with an access token and an ID token.

Serves an emulator in a background thread (as the tests do); HTTP through one keep-alive
httpx client.

    python -m bench.bench_inbox_client [--threads 1000] [--custom 9000]
"""

from __future__ import annotations

import argparse

import httpx

from emulator.config import Config
from emulator.domain.clock import format_ms
from emulator.domain.room_inputs import RoomCreation
from emulator.server import BackgroundServer

from .bench_comments import BODY, timed

ROOM = "bench-inbox"
BASE = "/v2/c/inbox-notifications"


def seed(server: BackgroundServer, threads: int, custom: int) -> None:
    def make() -> None:
        state = server.state
        room = state.rooms.create(RoomCreation(
            id=ROOM, default_accesses=[], users_accesses={"bob": ["room:write"]}))
        for _ in range(threads):  # BODY mentions bob: each thread notifies him
            state.comments.create_thread(room, user_id="alice", body=BODY)
        for index in range(custom):
            state.inbox.trigger("bob", "$ping", f"s{index}", {"n": index},
                                room_id=ROOM if index % 2 else None,
                                organization_id="default")

    server.call(make)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--custom", type=int, default=9000)
    args = parser.parse_args()
    with BackgroundServer(Config(port=0, log_level="warning")) as server, \
            httpx.Client(base_url=server.base_url) as http:
        http.headers["Authorization"] = "Bearer sk_localdev"
        seed(server, args.threads, args.custom)
        since = format_ms(server.call(lambda: server.state.clock()))
        for page in http.get("/v2/users/bob/inbox-notifications",
                             params={"limit": 10}).json()["data"]:
            http.post(f"/v2/inbox-notifications/{page['id']}/read")  # ten change after since
        access = http.post("/v2/authorize-user", json={
            "userId": "bob", "permissions": {ROOM: ["room:write"]}}).json()["token"]
        id_token = http.post("/v2/identify-user", json={"userId": "bob"}).json()["token"]
        total = args.threads + args.custom
        print(f"{'browser inbox of ' + str(total) + ' notifications':<46}"
              f"{'best ms':>9}{'median':>9}{'body kB':>9}")
        for kind, token in (("access", access), ("ID", id_token)):
            headers = {"Authorization": f"Bearer {token}"}
            rows = [
                ("list, first page (limit 50)", lambda h=headers: http.get(BASE, headers=h)),
                ("unread count", lambda h=headers: http.get(BASE + "/count", headers=h)),
                ("delta, 10 changed since", lambda h=headers: http.get(
                    BASE + "/delta", params={"since": since}, headers=h)),
                (f"delta, all {total} changed", lambda h=headers: http.get(
                    BASE + "/delta", params={"since": "2000-01-01T00:00:00.000Z"},
                    headers=h)),
            ]
            for name, action in rows:
                size = len(action().content) / 1024
                best, median = timed(action)
                print(f"{kind + ' token: ' + name:<46}{best * 1000:>9.1f}"
                      f"{median * 1000:>9.1f}{size:>9.0f}")


if __name__ == "__main__":
    main()
