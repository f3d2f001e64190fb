"""The browser's room calls C24–C26 share their stores with the secret-key API: settings a
user changes in the browser are the ones a backend reads, and marking read from a thread's
room marks the user's inbox notifications of that room."""

from __future__ import annotations

import httpx

from tests.api.test_rooms_http import make


def bearer(http: httpx.Client, user: str) -> dict[str, str]:
    token = http.post("/v2/authorize-user", json={
        "userId": user, "permissions": {"*": ["room:write"]}}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_settings_set_in_the_browser_are_the_backends(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "shared")
    ann = bearer(http, "ann")
    url = "/v2/c/rooms/shared/subscription-settings"
    assert anonymous_http.get(url, headers=ann).json() == {
        "threads": "replies_and_mentions", "textMentions": "mine"}
    changed = anonymous_http.post(url, headers=ann, json={"threads": "all"})
    assert changed.json() == {"threads": "all", "textMentions": "mine"}
    backend = http.get("/v2/rooms/shared/users/ann/subscription-settings").json()
    assert backend == {"threads": "all", "textMentions": "mine"}
    http.post("/v2/rooms/shared/users/ann/subscription-settings", json={"textMentions": "none"})
    assert anonymous_http.get(url, headers=ann).json() == {"threads": "all",
                                                           "textMentions": "none"}
    refused = anonymous_http.post(url, headers=ann, json={"threads": "some"})
    assert refused.status_code == 422


def test_marking_read_in_a_room_marks_the_users_notifications_there(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    for room in ("one", "two"):
        make(http, room)
        assert http.post("/v2/inbox-notifications/trigger", json={
            "userId": "ann", "kind": "$ping", "subjectId": room, "activityData": {},
            "roomId": room}).status_code == 200
    ids = {n["roomId"]: n["id"] for n in
           http.get("/v2/users/ann/inbox-notifications").json()["data"]}
    answer = anonymous_http.post("/v2/c/rooms/one/inbox-notifications/read",
                                 headers=bearer(http, "ann"),
                                 json={"inboxNotificationIds": list(ids.values())})
    assert answer.status_code < 300
    unread = http.get("/v2/users/ann/inbox-notifications", params={"query": "unread:true"})
    assert [n["roomId"] for n in unread.json()["data"]] == ["two"]
