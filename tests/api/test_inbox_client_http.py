"""The browser's personal calls (COMMENTS.md C29–C39) over HTTP: the answers carry every key
@liveblocks/client 3.24 reads, deltas hold what changed at or after ``since`` (deletions
included), each call needs a token of the user, and bad input is a 4xx that changes nothing.
The real client drives the same calls in tests/comments/test_inbox_client_sdk.py."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_rooms_http import assert_error, make

BODY = {"version": 1, "content": [{"type": "paragraph", "children": [
    {"text": "hi "}, {"type": "mention", "kind": "group", "id": "team"}]}]}


def bearer(http: httpx.Client, user: str, permissions: dict[str, list[str]] | None = None
           ) -> dict[str, str]:
    token = http.post("/v2/authorize-user", json={
        "userId": user, "permissions": permissions or {"*": ["room:write"]}}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def trigger(http: httpx.Client, user: str, subject: str, room: str | None = None) -> None:
    body: dict[str, Any] = {"userId": user, "kind": "$ping", "subjectId": subject,
                            "activityData": {"n": 1}}
    if room:
        body["roomId"] = room
    assert http.post("/v2/inbox-notifications/trigger", json=body).status_code == 200


def thread_by_ann(http: httpx.Client) -> str:
    """A thread by ann in room "r" that mentions group "team": its members are notified
    and subscribed."""
    http.post("/v2/groups", json={"id": "team", "memberIds": ["bob"]})
    made = http.post("/v2/rooms/r/threads", json={"comment": {"userId": "ann", "body": BODY}})
    thread_id: str = made.json()["id"]
    return thread_id


def test_list_hands_out_the_threads_and_groups_it_names(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "r")
    thread_id = thread_by_ann(http)
    trigger(http, "bob", "file-1", "r")
    bob = bearer(http, "bob")
    page = anonymous_http.get("/v2/c/inbox-notifications", headers=bob,
                              params={"limit": 50}).json()
    assert [n["kind"] for n in page["inboxNotifications"]] == ["$ping", "thread"]
    assert [t["id"] for t in page["threads"]] == [thread_id]
    assert [g["id"] for g in page["groups"]] == ["team"]
    assert [s["subjectId"] for s in page["subscriptions"]] == [thread_id]
    assert page["meta"]["nextCursor"] is None and page["meta"]["requestedAt"]
    only = anonymous_http.get("/v2/c/inbox-notifications", headers=bob,
                              params={"query": "kind:'thread'"}).json()
    assert [n["threadId"] for n in only["inboxNotifications"]] == [thread_id]
    # Someone else's inbox is not bob's.
    assert anonymous_http.get("/v2/c/inbox-notifications", headers=bearer(http, "cat")
                              ).json()["inboxNotifications"] == []


def test_cursor_pages_through_the_inbox(http: httpx.Client, anonymous_http: httpx.Client
                                        ) -> None:
    for n in range(5):
        trigger(http, "bob", f"s{n}")
    bob = bearer(http, "bob")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = anonymous_http.get("/v2/c/inbox-notifications", headers=bob,
                                  params=params).json()
        seen += [n["subjectId"] for n in page["inboxNotifications"]]
        cursor = page["meta"]["nextCursor"]
        if cursor is None:
            break
    assert seen == ["s4", "s3", "s2", "s1", "s0"]


def test_delta_count_read_and_delete(http: httpx.Client, anonymous_http: httpx.Client) -> None:
    make(http, "r")
    trigger(http, "bob", "a", "r")
    trigger(http, "bob", "b")
    bob = bearer(http, "bob")
    base = "/v2/c/inbox-notifications"
    first = anonymous_http.get(base, headers=bob).json()
    since = first["meta"]["requestedAt"]
    ids = {n["subjectId"]: n["id"] for n in first["inboxNotifications"]}
    assert anonymous_http.get(base + "/count", headers=bob).json() == {"count": 2}
    assert anonymous_http.get(base + "/count", headers=bob,
                              params={"query": "roomId:'r'"}).json() == {"count": 1}
    read = anonymous_http.post(base + "/read", headers=bob,
                               json={"inboxNotificationIds": [ids["a"], "in_unknown"]})
    assert read.status_code == 204
    assert anonymous_http.get(base + "/count", headers=bob).json() == {"count": 1}
    assert anonymous_http.delete(f"{base}/{ids['b']}", headers=bob).status_code == 204
    delta = anonymous_http.get(base + "/delta", headers=bob, params={"since": since}).json()
    assert [n["id"] for n in delta["inboxNotifications"]] == [ids["a"]]
    assert delta["inboxNotifications"][0]["readAt"] is not None
    assert [d["id"] for d in delta["deletedInboxNotifications"]] == [ids["b"]]
    assert set(delta) == {"inboxNotifications", "deletedInboxNotifications", "threads",
                          "deletedThreads", "subscriptions", "deletedSubscriptions", "meta"}
    trigger(http, "bob", "c")
    assert anonymous_http.post(base + "/read", headers=bob,
                               json={"inboxNotificationIds": "all"}).status_code == 204
    assert anonymous_http.get(base + "/count", headers=bob).json() == {"count": 0}
    assert anonymous_http.delete(base, headers=bob).status_code == 204
    assert http.get("/v2/users/bob/inbox-notifications").json()["data"] == []


def test_settings_user_threads_and_groups(http: httpx.Client, anonymous_http: httpx.Client
                                          ) -> None:
    bob = bearer(http, "bob")
    settings = anonymous_http.get("/v2/c/notification-settings", headers=bob).json()
    assert settings["email"] == {"thread": True, "textMention": True}
    changed = anonymous_http.post("/v2/c/notification-settings", headers=bob,
                                  json={"email": {"thread": False, "$ping": True}}).json()
    assert changed["email"] == {"thread": False, "textMention": True, "$ping": True}
    assert http.get("/v2/users/bob/notification-settings").json() == changed
    make(http, "r")
    thread_id = thread_by_ann(http)
    mine = anonymous_http.get("/v2/c/threads", headers=bob).json()
    assert [t["id"] for t in mine["threads"]] == [thread_id]
    assert mine["meta"]["permissionHints"] == {"r": ["room:write"]}
    assert [s["subjectId"] for s in mine["subscriptions"]] == [thread_id]
    delta = anonymous_http.get("/v2/c/threads/delta", headers=bob,
                               params={"since": mine["meta"]["requestedAt"]}).json()
    assert delta["threads"] == [] and delta["deletedThreads"] == []
    found = anonymous_http.post("/v2/c/groups/find", headers=bob,
                                json={"groupIds": ["team", "nobody"]}).json()
    assert [(g["id"], g["tenantId"], g["organizationId"]) for g in found["groups"]] == [
        ("team", "default", "default")]


def test_bad_input_and_missing_rights_are_4xx(http: httpx.Client,
                                              anonymous_http: httpx.Client) -> None:
    trigger(http, "bob", "a")
    bob = bearer(http, "bob")
    base = "/v2/c/inbox-notifications"
    assert_error(anonymous_http.get(base), 401)
    public = {"Authorization": "Bearer pk_localdev"}
    assert anonymous_http.get(base, headers=public).status_code == 403
    assert_error(anonymous_http.get(base, headers=bob, params={"query": "color:'red'"}), 422)
    assert_error(anonymous_http.get(base, headers=bob, params={"cursor": "nope"}), 422)
    assert_error(anonymous_http.get(base, headers=bob, params={"limit": 0}), 422)
    assert_error(anonymous_http.get(base + "/delta", headers=bob), 422)
    assert_error(anonymous_http.get(base + "/delta", headers=bob, params={"since": "x"}), 422)
    assert_error(anonymous_http.post(base + "/read", headers=bob,
                                     json={"inboxNotificationIds": "some"}), 422)
    assert_error(anonymous_http.delete(base + "/in_unknown", headers=bob), 404,
                 "INBOX_NOTIFICATION_NOT_FOUND")
    assert_error(anonymous_http.post("/v2/c/notification-settings", headers=bob,
                                     json={"email": {"thread": "yes"}}), 422)
    assert_error(anonymous_http.post("/v2/c/groups/find", headers=bob, json={}), 422)
    # Nothing changed.
    assert anonymous_http.get(base + "/count", headers=bob).json() == {"count": 1}
    assert http.get("/v2/users/bob/notification-settings").json()["email"]["thread"] is True


def test_an_id_token_sees_only_the_rooms_it_may_enter(http: httpx.Client,
                                                      anonymous_http: httpx.Client) -> None:
    make(http, "open", defaultAccesses=[], usersAccesses={"bob": ["room:write"]})
    make(http, "closed", defaultAccesses=[])
    for subject, room in (("a", "open"), ("b", "closed"), ("c", None)):
        trigger(http, "bob", subject, room)
    base = "/v2/c/inbox-notifications"
    identified = {"Authorization": "Bearer " + http.post(
        "/v2/identify-user", json={"userId": "bob"}).json()["token"]}
    listed = anonymous_http.get(base, headers=identified).json()["inboxNotifications"]
    assert [n["subjectId"] for n in listed] == ["c", "a"]
    assert anonymous_http.get(base + "/count", headers=identified).json() == {"count": 2}
    hidden = next(n["id"] for n in http.get("/v2/users/bob/inbox-notifications").json()["data"]
                  if n["subjectId"] == "b")
    assert_error(anonymous_http.delete(f"{base}/{hidden}", headers=identified), 404)
    # An access token reads all of the user's notifications, whatever its permissions.
    everything = anonymous_http.get(base, headers=bearer(http, "bob", {"open": ["room:read"]}))
    assert [n["subjectId"] for n in everything.json()["inboxNotifications"]] == ["c", "b", "a"]


def test_a_deleted_thread_leaves_the_inbox_through_the_delta(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "r")
    thread_id = thread_by_ann(http)
    bob = bearer(http, "bob")
    base = "/v2/c/inbox-notifications"
    first = anonymous_http.get(base, headers=bob).json()
    [notification] = first["inboxNotifications"]
    assert http.delete(f"/v2/rooms/r/threads/{thread_id}").status_code == 204
    delta = anonymous_http.get(base + "/delta", headers=bob,
                               params={"since": first["meta"]["requestedAt"]}).json()
    assert [d["id"] for d in delta["deletedInboxNotifications"]] == [notification["id"]]
    assert [(d["type"], d["id"], d["roomId"]) for d in delta["deletedThreads"]] == [
        ("deletedThread", thread_id, "r")]
    assert delta["inboxNotifications"] == [] and delta["threads"] == []
    assert anonymous_http.get(base + "/count", headers=bob).json() == {"count": 0}
