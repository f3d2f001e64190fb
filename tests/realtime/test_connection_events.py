"""What a WebSocket connection does is told on ``state.events`` (realtime/telling.py):
userEntered / userLeft / storageUpdated with the fields of WEBHOOKS.md §2.1 (minus
projectId), and emulator.presenceUpdated with the merged presence, for the dashboard."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.server import BackgroundServer
from tests.realtime.wsclient import public

Event = tuple[str, dict[str, Any]]


@pytest.fixture
def events(server: BackgroundServer) -> Iterator[list[Event]]:
    seen: list[Event] = []

    def record(type: str, data: dict[str, Any]) -> None:
        # A public client entering a missing room creates it: roomCreated belongs to the
        # room's life (tests/webhooks), not to the connection's.
        if type != "roomCreated":
            seen.append((type, dict(data)))

    unsubscribe = server.call(lambda: server.state.events.subscribe(record))
    yield seen
    server.call(unsubscribe)


def until(server: BackgroundServer, seen: list[Event], count: int) -> list[Event]:
    """The events once there are ``count`` of them (read on the server's loop)."""
    deadline = time.monotonic() + 10
    while True:
        now = server.call(lambda: list(seen))
        if len(now) >= count or time.monotonic() > deadline:
            return now
        time.sleep(0.01)


def test_enter_presence_storage_and_leave_are_told(
    server: BackgroundServer, events: list[Event]
) -> None:
    with public(server.base_url, "told") as client:
        actor = client.receive()["actor"]
        client.send({"type": 100, "targetActor": -1, "data": {"x": 1}},
                    {"type": 100, "data": {"y": 2}})
        op = {"opId": f"{actor}:1", "id": "root", "type": 3, "data": {"title": "hi"}}
        client.send({"type": 201, "ops": [op]})
        client.receive_type(201)
        client.send({"type": 201, "ops": [op]})  # the same value again: still a write
        client.receive_type(201)
        client.send({"type": 200})  # a fetch changes nothing: no storageUpdated
        client.receive_type(210)
    seen = until(server, events, 5)
    types = [type for type, _ in seen]
    assert types == ["userEntered", "emulator.presenceUpdated", "storageUpdated",
                     "storageUpdated", "userLeft"]
    entered, presence, storage, _, left = (data for _, data in seen)
    assert entered == {"roomId": "told", "connectionId": actor, "userId": None,
                       "userInfo": None, "enteredAt": entered["enteredAt"],
                       "numActiveUsers": 1}
    assert entered["enteredAt"].endswith("Z")
    # One event per frame, with the presence after the whole frame (patches merged).
    assert presence == {"roomId": "told", "connectionId": actor, "presence": {"x": 1, "y": 2}}
    assert storage == {"roomId": "told", "updatedAt": storage["updatedAt"]}
    assert left["numActiveUsers"] == 0 and left["connectionId"] == actor
    assert set(left) == {"roomId", "connectionId", "userId", "userInfo", "leftAt",
                         "numActiveUsers"}


def test_a_frame_that_is_refused_writes_nothing_and_tells_no_update(
    server: BackgroundServer, events: list[Event]
) -> None:
    with public(server.base_url, "bad-ops") as client:
        actor = client.receive()["actor"]
        # A malformed op list closes the connection: nothing was written.
        client.send_text('[{"type":201,"ops":"x"}]')
        client.close_code()
    seen = until(server, events, 2)
    assert [type for type, _ in seen] == ["userEntered", "userLeft"]
    assert seen[1][1]["connectionId"] == actor


def test_reset_is_told(server: BackgroundServer, events: list[Event]) -> None:
    server.call(lambda: server.state.reset(to_fixtures=False))
    assert until(server, events, 1) == [("emulator.reset", {})]
