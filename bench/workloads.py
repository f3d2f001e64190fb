"""The HTTP workloads of the side-by-side benchmark: what each sets up and what it sends."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .loadgen import RequestSpec, run_load

AUTH = {"Authorization": "Bearer sk_localdev"}
JSON_AUTH = {**AUTH, "Content-Type": "application/json"}
LIST_ROOMS = 10_000
# Liveblocks' dev server fails after ~6,600 rooms: a smaller list gives it a ratio too.
LIST_ROOMS_SMALL = 5_000
POST_STORAGE_REQUESTS = 2_000


def room_body(room_id: str) -> dict[str, Any]:
    return {"id": room_id, "defaultAccesses": ["room:write"], "metadata": {"color": "blue"}}


def storage_document(items: int) -> dict[str, Any]:
    """A LiveObject root holding a LiveList of ``items`` LiveObjects, each with a 2-item
    LiveList: 4 nodes per item, so ``items=250`` is a 1,000-node document."""
    todos = [
        {"liveblocksType": "LiveObject", "data": {
            "text": f"todo {i}", "done": i % 2 == 0,
            "tags": {"liveblocksType": "LiveList", "data": ["a", "b"]}}}
        for i in range(items)
    ]
    return {"liveblocksType": "LiveObject",
            "data": {"title": "bench", "todos": {"liveblocksType": "LiveList", "data": todos}}}


def seed_rooms(base_url: str, count: int, prefix: str) -> None:
    """Create rooms as fast as the server takes them; raise if any creation fails."""
    spec = RequestSpec("POST", "/v2/rooms", json.dumps(room_body(prefix + "{n}")), JSON_AUTH)
    result = run_load(base_url, spec, total=count, connections=16, prefer_wrk=False)
    if result.failures:
        created = result.statuses.get(200, 0)
        raise RuntimeError(f"failed after {created} rooms ({dict(result.statuses)})")


class SetupFailed(Exception):
    pass


@dataclass(frozen=True)
class Workload:
    name: str
    spec: RequestSpec
    setup: Callable[[str], None]
    total: int | None = None  # a fixed number of requests (each needs a fresh room)
    # The emulator's --log-level: "warning" keeps logging out of the other rows;
    # "info" (the default of the CLI) prints one access-log line per request.
    log_level: str = "warning"


def _create_room(room_id: str) -> Callable[[str], None]:
    def setup(base_url: str) -> None:
        httpx.post(base_url + "/v2/rooms", json=room_body(room_id), headers=AUTH)

    return setup


def _storage_room(base_url: str) -> None:
    _create_room("storage-room")(base_url)
    response = httpx.post(base_url + "/v2/rooms/storage-room/storage",
                          json=storage_document(250), headers=AUTH, timeout=60)
    if response.status_code != 200:
        raise SetupFailed(f"storage init answered {response.status_code}")


def _many_rooms(count: int) -> Callable[[str], None]:
    def setup(base_url: str) -> None:
        try:
            seed_rooms(base_url, count, "list-")
        except RuntimeError as error:
            raise SetupFailed(str(error)) from None

    return setup


def _rooms_for_storage(base_url: str) -> None:
    try:
        seed_rooms(base_url, POST_STORAGE_REQUESTS, "post-storage-")
    except RuntimeError as error:
        raise SetupFailed(str(error)) from None


SMALL_DOCUMENT = json.dumps(storage_document(3))

WORKLOADS = [
    Workload("GET room", RequestSpec("GET", "/v2/rooms/bench-room", None, AUTH),
             _create_room("bench-room")),
    Workload("GET room (default logging)",
             RequestSpec("GET", "/v2/rooms/bench-room", None, AUTH),
             _create_room("bench-room"), log_level="info"),
    Workload("POST room (unique ids)",
             RequestSpec("POST", "/v2/rooms", json.dumps(room_body("new-{n}")), JSON_AUTH),
             lambda base_url: None),
    Workload(f"list rooms (limit 20, {LIST_ROOMS_SMALL:,} rooms)",
             RequestSpec("GET", "/v2/rooms?limit=20", None, AUTH), _many_rooms(LIST_ROOMS_SMALL)),
    Workload(f"list rooms (limit 20, {LIST_ROOMS:,} rooms)",
             RequestSpec("GET", "/v2/rooms?limit=20", None, AUTH), _many_rooms(LIST_ROOMS)),
    Workload("GET storage (1,000 nodes)",
             RequestSpec("GET", "/v2/rooms/storage-room/storage", None, AUTH), _storage_room),
    Workload("POST storage (13 nodes, fresh rooms)",
             RequestSpec("POST", "/v2/rooms/post-storage-{n}/storage", SMALL_DOCUMENT, JSON_AUTH),
             _rooms_for_storage, total=POST_STORAGE_REQUESTS),
]
