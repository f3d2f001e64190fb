"""Threads, comments, reactions and attachments in fixtures and snapshots; a deleted room
takes its threads along."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.config import Config
from emulator.domain.fixtures import FixtureError
from emulator.fixture_files import FixtureSource
from emulator.server import BackgroundServer
from emulator.state import EmulatorState

BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "x"}]}]}


def fill(http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "snap", "defaultAccesses": ["room:write"]})
    http.put("/v2/rooms/snap/attachments/at_file1/upload/a.txt", content=b"hello")
    thread = http.post("/v2/rooms/snap/threads", json={
        "visibility": "private", "metadata": {"n": 1, "ok": True},
        "comment": {"userId": "alice", "body": BODY, "attachmentIds": ["at_file1"],
                    "metadata": {"m": "v"}}}).json()
    reply = http.post(f"/v2/rooms/snap/threads/{thread['id']}/comments",
                      json={"userId": "bob", "body": BODY}).json()
    http.post(f"/v2/rooms/snap/threads/{thread['id']}/comments/{reply['id']}/add-reaction",
              json={"emoji": "🎉", "userId": "alice"})
    gone = http.post("/v2/rooms/snap/threads/" + thread["id"] + "/comments",
                     json={"userId": "carol", "body": BODY}).json()
    http.delete(f"/v2/rooms/snap/threads/{thread['id']}/comments/{gone['id']}")
    http.post(f"/v2/rooms/snap/threads/{thread['id']}/mark-as-resolved", json={"userId": "b"})
    http.post(f"/v2/rooms/snap/threads/{thread['id']}/subscribe", json={"userId": "dave"})


def test_snapshot_loads_back_unchanged(server: BackgroundServer, http: httpx.Client) -> None:
    fill(http)
    snapshot = http.get("/_emulator/snapshot").json()
    threads_before = http.get("/v2/rooms/snap/threads").json()
    server.call(lambda: server.state.reset(to_fixtures=False))
    assert http.get("/v2/rooms/snap/threads").status_code == 404
    assert http.post("/_emulator/fixtures", json=snapshot).status_code == 200
    assert http.get("/v2/rooms/snap/threads").json() == threads_before
    assert http.get("/_emulator/snapshot").json() == snapshot
    thread_id = threads_before["data"][0]["id"]
    subscribers = http.get(f"/v2/rooms/snap/threads/{thread_id}/subscriptions").json()
    assert {s["userId"] for s in subscribers["data"]} == {"alice", "bob", "carol", "dave"}
    url = http.get("/v2/rooms/snap/attachments/at_file1").json()["url"]
    assert http.get(url).content == b"hello"


def test_deleting_a_room_deletes_its_threads(server: BackgroundServer,
                                             http: httpx.Client) -> None:
    fill(http)
    assert http.delete("/v2/rooms/snap").status_code == 204
    http.post("/v2/rooms", json={"id": "snap", "defaultAccesses": []})
    assert http.get("/v2/rooms/snap/threads").json() == {"data": []}
    assert http.get("/v2/rooms/snap/attachments/at_file1").status_code == 404


def test_renaming_a_room_keeps_its_threads(server: BackgroundServer, http: httpx.Client) -> None:
    fill(http)
    assert http.post("/v2/rooms/snap/update-room-id", json={"newRoomId": "renamed"}
                     ).status_code == 200
    threads = http.get("/v2/rooms/renamed/threads").json()["data"]
    assert [t["roomId"] for t in threads] == ["renamed"]
    assert {c["roomId"] for c in threads[0]["comments"]} == {"renamed"}


@pytest.mark.parametrize(("threads", "where"), [
    ("x", "threads"),
    ([{"id": "bad", "comments": [{"id": "cm_1", "userId": "u", "body": BODY}]}],
     "threads[0].id"),
    ([{"id": "th_1", "comments": []}], "threads[0].comments"),
    ([{"id": "th_1", "comments": [{"id": "cm_1", "userId": "u", "body": {}}]}],
     "threads[0].comments[0].body"),
    ([{"id": "th_1", "metadata": {"k": [1]},
       "comments": [{"id": "cm_1", "userId": "u", "body": BODY}]}], "threads[0].metadata"),
    ([{"id": "th_1", "comments": [{"id": "cm_1", "userId": "u", "body": BODY,
                                   "attachments": [{"id": "at_nope"}]}]}],
     "threads[0].comments[0].attachments[0].id"),
])
def test_bad_thread_entries_name_their_path(threads: Any, where: str) -> None:
    state = EmulatorState(Config())
    document = {"rooms": [{"id": "r", "threads": threads}]}
    with pytest.raises(FixtureError) as error:
        state.load([FixtureSource(document, "inline")])
    assert error.value.path == f"$.rooms[0].{where}"
    assert len(state.rooms) == 0
