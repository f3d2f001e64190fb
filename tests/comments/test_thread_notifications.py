"""Comments fill the inbox (COMMENTS.md §4.6): who gets a ``thread`` notification when a
comment is made through the secret API or the browser, how it is updated in place, what
room settings change, and that a deleted thread takes its notifications along."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_rooms_http import make
from tests.comments.test_client_room_settings import bearer


def text(*parts: str | dict[str, Any]) -> dict[str, Any]:
    children = [{"text": p} if isinstance(p, str) else p for p in parts]
    return {"version": 1, "content": [{"type": "paragraph", "children": children}]}


def user(user_id: str) -> dict[str, Any]:
    return {"type": "mention", "kind": "user", "id": user_id}


def group(group_id: str) -> dict[str, Any]:
    return {"type": "mention", "kind": "group", "id": group_id}


def inbox(http: httpx.Client, user_id: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = http.get(f"/v2/users/{user_id}/inbox-notifications"
                                          ).json()["data"]
    return data


def thread(http: httpx.Client, room: str, author: str, body: dict[str, Any],
           **extra: Any) -> str:
    answer = http.post(f"/v2/rooms/{room}/threads",
                       json={"comment": {"userId": author, "body": body, **extra}})
    assert answer.status_code == 200, answer.text
    thread_id: str = answer.json()["id"]
    return thread_id


def comment(http: httpx.Client, room: str, thread_id: str, author: str,
            body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    answer = http.post(f"/v2/rooms/{room}/threads/{thread_id}/comments",
                       json={"userId": author, "body": body, **extra})
    assert answer.status_code == 200, answer.text
    created: dict[str, Any] = answer.json()
    return created


def test_participants_mentions_and_group_members_get_one_each(http: httpx.Client) -> None:
    make(http, "r")
    assert http.post("/v2/groups", json={"id": "eng", "memberIds": ["gil", "hal", "ann"]}
                     ).status_code == 200
    tid = thread(http, "r", "bob", text("first"))
    assert inbox(http, "bob") == []  # one's own comment notifies nobody yet
    made = comment(http, "r", tid, "ann", text("hey ", user("cat"), " and ", group("eng")))
    for who in ("bob", "cat", "gil", "hal"):
        found = inbox(http, who)
        assert [(n["kind"], n["threadId"], n["roomId"]) for n in found] == [
            ("thread", tid, "r")], who
        assert found[0]["notifiedAt"] == made["createdAt"] and found[0]["readAt"] is None
    assert inbox(http, "ann") == []
    # The mentioned became subscribers: the next comment (from cat) reaches them again.
    subscribers = {s["userId"] for s in http.get(
        f"/v2/rooms/r/threads/{tid}/subscriptions").json()["data"]}
    assert {"bob", "ann", "cat", "gil", "hal"} <= subscribers


def test_a_second_comment_updates_in_place_and_makes_it_unread(http: httpx.Client) -> None:
    make(http, "r")
    tid = thread(http, "r", "bob", text("first"))
    comment(http, "r", tid, "ann", text("one"), createdAt="2030-01-01T00:00:00.000Z")
    [first] = inbox(http, "bob")
    assert http.post(f"/v2/inbox-notifications/{first['id']}/read").status_code == 200
    assert inbox(http, "bob")[0]["readAt"] is not None
    comment(http, "r", tid, "ann", text("two"), createdAt="2030-01-02T00:00:00.000Z")
    [second] = inbox(http, "bob")
    assert second["id"] == first["id"]
    assert second["notifiedAt"] == "2030-01-02T00:00:00.000Z"
    assert second["readAt"] is not None and second["readAt"] < second["notifiedAt"]
    unread = http.get("/v2/users/bob/inbox-notifications", params={"query": "unread:true"})
    assert [n["id"] for n in unread.json()["data"]] == [first["id"]]
    # bob replies: his own notification becomes read up to his comment; ann gets one.
    mine = comment(http, "r", tid, "bob", text("three"), createdAt="2030-01-03T00:00:00.000Z")
    [own] = inbox(http, "bob")
    assert own["notifiedAt"] == own["readAt"] == mine["createdAt"]
    assert [n["notifiedAt"] for n in inbox(http, "ann")] == [mine["createdAt"]]
    listed = http.get(f"/v2/rooms/r/threads/{tid}/inbox-notifications").json()["data"]
    assert sorted(n["userId"] for n in listed) == ["ann", "bob"]
    assert all(n["threadId"] == tid and n["kind"] == "thread" for n in listed)


def test_room_settings_and_unsubscribing_decide(http: httpx.Client) -> None:
    make(http, "r")
    settings = "/v2/rooms/r/users/{}/subscription-settings"
    assert http.post(settings.format("eve"), json={"threads": "all"}).status_code == 200
    assert http.post(settings.format("cat"), json={"threads": "none"}).status_code == 200
    tid = thread(http, "r", "bob", text("first ", user("cat")))
    comment(http, "r", tid, "ann", text("reply ", user("cat")))
    assert [n["threadId"] for n in inbox(http, "eve")] == [tid]  # "all": every thread
    assert inbox(http, "cat") == []  # "none": not even mentions
    assert http.post(f"/v2/rooms/r/threads/{tid}/unsubscribe", json={"userId": "bob"}
                     ).status_code == 200
    before = inbox(http, "bob")
    comment(http, "r", tid, "ann", text("more"))
    assert inbox(http, "bob") == before  # unsubscribed: no longer notified
    # Back to "replies_and_mentions": eve follows only the threads she takes part in.
    assert http.delete(settings.format("eve")).status_code == 204
    subscribers = {s["userId"] for s in http.get(
        f"/v2/rooms/r/threads/{tid}/subscriptions").json()["data"]}
    assert "eve" not in subscribers


def test_browser_comments_notify_and_a_deleted_thread_takes_them(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "r")
    bob = bearer(http, "bob")
    answer = anonymous_http.post("/v2/c/rooms/r/threads", headers=bob, json={
        "id": "th_" + "a" * 21, "comment": {"id": "cm_" + "a" * 21,
                                            "body": text("for ", user("cat"))}})
    assert answer.status_code == 200, answer.text
    assert [n["threadId"] for n in inbox(http, "cat")] == ["th_" + "a" * 21]
    assert inbox(http, "bob") == []
    assert http.delete(f"/v2/rooms/r/threads/{'th_' + 'a' * 21}").status_code == 204
    assert inbox(http, "cat") == []


def test_edits_reactions_and_resolving_notify_nobody(http: httpx.Client) -> None:
    make(http, "r")
    tid = thread(http, "r", "bob", text("first"))
    made = comment(http, "r", tid, "ann", text("one"))
    before = inbox(http, "bob")
    assert http.post(f"/v2/rooms/r/threads/{tid}/comments/{made['id']}",
                     json={"body": text("edited ", user("zed"))}).status_code == 200
    assert http.post(f"/v2/rooms/r/threads/{tid}/comments/{made['id']}/add-reaction",
                     json={"userId": "ann", "emoji": "👍"}).status_code == 200
    assert http.post(f"/v2/rooms/r/threads/{tid}/mark-as-resolved",
                     json={"userId": "ann"}).status_code == 200
    assert inbox(http, "bob") == before and inbox(http, "zed") == []


def test_text_mentions_notify_and_their_removal_removes_them(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "doc")
    assert http.post("/v2/groups", json={"id": "ops", "memberIds": ["gil", "ann"]}
                     ).status_code == 200
    http.post("/v2/rooms/doc/users/hal/subscription-settings", json={"textMentions": "none"})
    ann = bearer(http, "ann")
    base = "/v2/c/rooms/doc/text-mentions"
    assert anonymous_http.post(base, headers=ann, json={"userId": "bob", "mentionId": "m1"}
                               ).status_code < 300
    assert anonymous_http.post(base, headers=ann, json={
        "groupId": "ops", "userIds": ["gil", "hal"], "mentionId": "m2"}).status_code < 300
    [bob] = inbox(http, "bob")
    assert {k: bob[k] for k in ("kind", "roomId", "createdBy", "mentionId", "mention")} == {
        "kind": "textMention", "roomId": "doc", "createdBy": "ann", "mentionId": "m1",
        "mention": {"kind": "user", "id": "bob"}}
    [gil] = inbox(http, "gil")
    assert gil["mention"] == {"kind": "group", "id": "ops", "userIds": ["gil", "hal"]}
    assert inbox(http, "ann") == [] and inbox(http, "hal") == []  # own, and "none"
    refused = anonymous_http.post(base, headers=ann, json={"userId": "bob"})
    assert refused.status_code == 422 and len(inbox(http, "bob")) == 1
    assert anonymous_http.delete(base + "/m1", headers=ann).status_code == 204
    assert inbox(http, "bob") == [] and len(inbox(http, "gil")) == 1


def test_the_rooms_thread_calls_carry_the_callers_notifications(
    http: httpx.Client, anonymous_http: httpx.Client
) -> None:
    make(http, "r")
    tid = thread(http, "r", "bob", text("first"))
    since = http.get("/v2/rooms/r").json()["createdAt"]
    comment(http, "r", tid, "ann", text("reply"))
    bob = bearer(http, "bob")
    [mine] = inbox(http, "bob")
    listed = anonymous_http.get("/v2/c/rooms/r/threads", headers=bob).json()
    assert listed["inboxNotifications"] == [mine]
    one = anonymous_http.get(f"/v2/c/rooms/r/thread-with-notification/{tid}", headers=bob)
    assert one.json()["inboxNotification"] == mine
    delta = anonymous_http.get("/v2/c/rooms/r/threads/delta", headers=bob,
                               params={"since": since}).json()
    assert delta["inboxNotifications"] == [mine] and delta["deletedInboxNotifications"] == []
    assert http.delete(f"/v2/users/bob/inbox-notifications/{mine['id']}").status_code == 204
    delta = anonymous_http.get("/v2/c/rooms/r/threads/delta", headers=bob,
                               params={"since": since}).json()
    assert [d["id"] for d in delta["deletedInboxNotifications"]] == [mine["id"]]
    ann = anonymous_http.get("/v2/c/rooms/r/threads", headers=bearer(http, "ann")).json()
    assert ann["inboxNotifications"] == []


def test_a_refused_comment_notifies_nobody_and_unknown_groups_reach_nobody(
    http: httpx.Client
) -> None:
    make(http, "r")
    tid = thread(http, "r", "bob", text("first"))
    bad = {"version": 1, "content": [{"type": "paragraph", "children": [
        user("cat"), {"type": "link", "url": ""}]}]}
    refused = http.post(f"/v2/rooms/r/threads/{tid}/comments",
                        json={"userId": "ann", "body": bad})
    assert refused.status_code == 422
    assert inbox(http, "bob") == [] and inbox(http, "cat") == []
    refused = http.post(f"/v2/rooms/r/threads/{tid}/comments",
                        json={"userId": "ann", "body": text(user(""))})
    assert refused.status_code == 422 and inbox(http, "bob") == []
    # A group no one created names no members; one that may not be mentioned reaches nobody.
    assert http.post("/v2/groups", json={"id": "quiet", "memberIds": ["zed"],
                                         "scopes": {"mention": False}}).status_code == 200
    comment(http, "r", tid, "ann", text(group("ghosts"), group("quiet")))
    assert [n["threadId"] for n in inbox(http, "bob")] == [tid]
    assert inbox(http, "zed") == []
    assert http.get("/v2/users/nobody-ever/inbox-notifications").json() == {
        "data": [], "nextCursor": None}  # users are not registered: an empty inbox
