"""Time per listed page (limit 20) at 1,000 and 100,000 rooms, at the start, middle and end.

Paging must not get slower as the number of rooms grows: a page is a bisect
into the ordered keys plus ``limit`` steps. Rooms are seeded straight into the
state (fast), pages are fetched over HTTP like a client would, and the domain
call alone is timed too.

    python -m bench.bench_rooms_paging
"""

from __future__ import annotations

import statistics
import time

import httpx

from emulator.config import Config
from emulator.domain.room_inputs import RoomCreation
from emulator.server import BackgroundServer

SIZES = (1_000, 100_000)
PAGES = 200
AUTH = {"Authorization": "Bearer sk_localdev"}


def seed(server: BackgroundServer, count: int) -> None:
    def fill() -> None:
        server.state.reset()
        for i in range(count):
            server.state.rooms.create(
                RoomCreation(id=f"room-{i:06d}", default_accesses=["room:write"],
                             metadata={"n": str(i % 10)})
            )

    server.call(fill, timeout=600)


def cursors_at(client: httpx.Client, count: int) -> dict[str, str | None]:
    """Cursors at the newest end, the middle and near the oldest end."""
    first = client.get("/v2/rooms", params={"limit": 20}).json()
    middle = client.get("/v2/rooms", params={"limit": 100}).json()
    position: dict[str, str | None] = {"start": None}
    cursor = middle["nextCursor"]
    walked = 100
    while walked < count // 2:
        cursor = client.get("/v2/rooms", params={"limit": 100, "startingAfter": cursor}).json()[
            "nextCursor"]
        walked += 100
    position["middle"] = cursor
    while walked < count - 40:
        cursor = client.get("/v2/rooms", params={"limit": 100, "startingAfter": cursor}).json()[
            "nextCursor"]
        walked += 100
    position["end"] = cursor
    assert first["data"]
    return position


def time_pages(client: httpx.Client, cursor: str | None) -> float:
    params: dict[str, str | int] = {"limit": 20}
    if cursor:
        params["startingAfter"] = cursor
    samples = []
    for _ in range(PAGES):
        started = time.perf_counter()
        response = client.get("/v2/rooms", params=params)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200 and len(response.json()["data"]) == 20
    return statistics.median(samples) * 1000


def time_domain_pages(server: BackgroundServer) -> float:
    def run() -> float:
        rooms = server.state.rooms
        started = time.perf_counter()
        for _ in range(PAGES):
            rooms.page(limit=20)
        return (time.perf_counter() - started) / PAGES * 1e6

    return server.call(run)


def main() -> None:
    print(f"{'rooms':>8} {'where':>7} {'HTTP ms/page (p50)':>19} {'domain µs/page':>15}")
    with BackgroundServer(Config(port=0, log_level="warning")) as server, httpx.Client(
        base_url=server.base_url, headers=AUTH
    ) as client:
        for count in SIZES:
            seed(server, count)
            domain = time_domain_pages(server)
            for where, cursor in cursors_at(client, count).items():
                print(f"{count:>8} {where:>7} {time_pages(client, cursor):>19.3f} {domain:>15.1f}")


if __name__ == "__main__":
    main()
