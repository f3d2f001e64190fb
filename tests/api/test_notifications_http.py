"""Groups, custom notifications and settings over raw HTTP: what they refuse, and that a
refused request changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.domain.inbox import MAX_ACTIVITY_FIELDS, MAX_ACTIVITY_TEXT
from tests.api.test_rooms_http import assert_error, make

TRIGGER = {"userId": "ann", "kind": "$done", "subjectId": "s1", "activityData": {"a": 1}}


def everything(http: httpx.Client) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    return {
        "groups": http.get("/v2/groups").json(),
        "inbox": http.get("/v2/users/ann/inbox-notifications").json(),
        "settings": http.get("/v2/users/ann/notification-settings").json(),
        "rooms": http.get("/v2/users/ann/room-subscription-settings").json(),
    }


@pytest.fixture
def seeded(http: httpx.Client) -> httpx.Client:
    make(http, "room-a")
    assert http.post("/v2/groups", json={"id": "eng", "memberIds": ["ann"]}).status_code == 200
    assert http.post("/v2/inbox-notifications/trigger", json=TRIGGER).status_code == 200
    assert http.post("/v2/rooms/room-a/users/ann/subscription-settings",
                     json={"threads": "all"}).status_code == 200
    return http


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), [
    ("POST", "/v2/groups", {"id": ""}, 422, None),
    ("POST", "/v2/groups", {"id": "x" * 129}, 422, None),
    ("POST", "/v2/groups", {"id": "g", "memberIds": "ann"}, 422, None),
    ("POST", "/v2/groups", {"id": "g", "memberIds": [""]}, 422, None),
    ("POST", "/v2/groups", {"id": "g", "scopes": {"mention": "yes"}}, 422, None),
    ("POST", "/v2/groups", {"id": "eng"}, 409, "GROUP_ALREADY_EXISTS"),
    ("POST", "/v2/groups", [], 422, None),
    ("GET", "/v2/groups/nope", None, 404, "GROUP_NOT_FOUND"),
    ("DELETE", "/v2/groups/nope", None, 404, "GROUP_NOT_FOUND"),
    ("POST", "/v2/groups/nope/add-members", {"memberIds": ["a"]}, 404, "GROUP_NOT_FOUND"),
    ("POST", "/v2/groups/eng/add-members", {"memberIds": [1]}, 422, None),
    ("POST", "/v2/groups/eng/remove-members", {}, 422, None),
    ("GET", "/v2/groups?limit=0", None, 422, None),
    ("GET", "/v2/groups?startingAfter=garbage", None, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "kind": "done"}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "kind": "$"}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "userId": ""}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "subjectId": 3}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "activityData": []}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger",
     {**TRIGGER, "activityData": {"a": {"nested": 1}}}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger",
     {**TRIGGER, "activityData": {"a": None}}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger",
     {**TRIGGER, "activityData": {f"k{i}": i for i in range(MAX_ACTIVITY_FIELDS + 1)}}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger",
     {**TRIGGER, "activityData": {"a": "x" * (MAX_ACTIVITY_TEXT + 1)}}, 422, None),
    ("POST", "/v2/inbox-notifications/trigger", {**TRIGGER, "roomId": "nope"}, 404,
     "ROOM_NOT_FOUND"),
    ("GET", "/v2/users/ann/inbox-notifications/in_nope", None, 404,
     "INBOX_NOTIFICATION_NOT_FOUND"),
    ("DELETE", "/v2/users/ann/inbox-notifications/in_nope", None, 404, None),
    ("POST", "/v2/inbox-notifications/in_nope/read", None, 404, None),
    ("GET", "/v2/users/ann/inbox-notifications?query=unread:maybe", None, 422, "INVALID_QUERY"),
    ("GET", "/v2/users/ann/inbox-notifications?query=color:'red'", None, 422, "INVALID_QUERY"),
    ("GET", "/v2/users/ann/inbox-notifications?limit=51", None, 422, None),
    ("POST", "/v2/users/ann/notification-settings", {"fax": {"thread": True}}, 422, None),
    ("POST", "/v2/users/ann/notification-settings", {"email": {"thread": "on"}}, 422, None),
    ("POST", "/v2/users/ann/notification-settings", {"email": {"reminder": True}}, 422, None),
    ("POST", "/v2/users/ann/notification-settings", {"email": True}, 422, None),
    ("POST", "/v2/rooms/room-a/users/ann/subscription-settings", {"threads": "some"}, 422,
     None),
    ("POST", "/v2/rooms/room-a/users/ann/subscription-settings", {"textMentions": "all"}, 422,
     None),
    ("POST", "/v2/rooms/nope/users/ann/subscription-settings", {"threads": "all"}, 404,
     "ROOM_NOT_FOUND"),
    ("DELETE", "/v2/rooms/nope/users/ann/subscription-settings", None, 404, "ROOM_NOT_FOUND"),
    ("GET", "/v2/users/ann/room-subscription-settings?startingAfter=zz", None, 422, None),
])
def test_refused_and_nothing_changed(
    seeded: httpx.Client, method: str, path: str, body: Any, status: int, code: str | None
) -> None:
    before = everything(seeded)
    assert_error(seeded.request(method, path, json=body), status, code)
    assert everything(seeded) == before


def test_unread_query_and_mark_read(seeded: httpx.Client) -> None:
    [notification] = seeded.get("/v2/users/ann/inbox-notifications").json()["data"]
    unread = seeded.get("/v2/users/ann/inbox-notifications", params={"query": "unread:true"})
    assert [n["id"] for n in unread.json()["data"]] == [notification["id"]]
    assert seeded.post(f"/v2/inbox-notifications/{notification['id']}/read").status_code == 200
    assert seeded.get("/v2/users/ann/inbox-notifications",
                      params={"query": "unread:true"}).json()["data"] == []
    read = seeded.get(f"/v2/users/ann/inbox-notifications/{notification['id']}").json()
    assert read["readAt"] is not None
    by_kind = seeded.get("/v2/users/ann/inbox-notifications",
                         params={"query": "unread:false AND kind:'$done'"}).json()["data"]
    assert [n["id"] for n in by_kind] == [notification["id"]]


def test_a_deleted_room_takes_its_notifications_and_settings(seeded: httpx.Client) -> None:
    trigger = {**TRIGGER, "roomId": "room-a", "subjectId": "s2"}
    assert seeded.post("/v2/inbox-notifications/trigger", json=trigger).status_code == 200
    assert seeded.delete("/v2/rooms/room-a").status_code == 204
    inbox = seeded.get("/v2/users/ann/inbox-notifications").json()["data"]
    assert [n["subjectId"] for n in inbox] == ["s1"]
    assert seeded.get("/v2/users/ann/room-subscription-settings").json()["data"] == []


def test_a_renamed_room_keeps_them(seeded: httpx.Client) -> None:
    trigger = {**TRIGGER, "roomId": "room-a", "subjectId": "s2"}
    assert seeded.post("/v2/inbox-notifications/trigger", json=trigger).status_code == 200
    assert seeded.post("/v2/rooms/room-a/update-room-id",
                       json={"newRoomId": "room-b"}).status_code == 200
    inbox = seeded.get("/v2/users/ann/inbox-notifications").json()["data"]
    assert {n.get("roomId") for n in inbox} == {None, "room-b"}
    rows = seeded.get("/v2/users/ann/room-subscription-settings").json()["data"]
    assert rows == [{"roomId": "room-b", "threads": "all", "textMentions": "mine"}]
