"""Every comment change tells state.events the webhook event of WEBHOOKS.md §2.2 (type and
data without projectId), in causal order, whichever API made it."""

from __future__ import annotations

from typing import Any

import httpx

from emulator.server import BackgroundServer

BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "x"}]}]}


def test_comment_webhook_events(server: BackgroundServer, http: httpx.Client) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    stop = server.call(lambda: server.state.events.subscribe(
        lambda kind, data: seen.append((kind, data)) if not kind.startswith("emulator.")
        and kind not in ("roomCreated", "roomDeleted") else None))
    try:
        http.post("/v2/rooms", json={"id": "events", "defaultAccesses": []})
        thread = http.post("/v2/rooms/events/threads", json={
            "comment": {"userId": "alice", "body": BODY}}).json()
        t = thread["id"]
        first = thread["comments"][0]["id"]
        reply = http.post(f"/v2/rooms/events/threads/{t}/comments",
                          json={"userId": "bob", "body": BODY}).json()["id"]
        base = f"/v2/rooms/events/threads/{t}"
        http.post(f"{base}/comments/{reply}", json={"body": BODY})
        http.post(f"{base}/comments/{reply}/add-reaction", json={"emoji": "👍", "userId": "al"})
        http.post(f"{base}/comments/{reply}/remove-reaction", json={"emoji": "👍", "userId": "al"})
        http.post(f"{base}/metadata", json={"metadata": {"a": 1}, "userId": "al"})
        http.post(f"{base}/comments/{reply}/metadata", json={"metadata": {"a": 1}, "userId": "b"})
        http.post(f"{base}/mark-as-resolved", json={"userId": "al"})
        http.post(f"{base}/mark-as-unresolved", json={"userId": "al"})
        http.delete(f"{base}/comments/{reply}")
        http.delete(f"{base}/comments/{first}")  # the last one: the thread goes too
    finally:
        server.call(stop)
    assert [kind for kind, _ in seen] == [
        "threadCreated", "commentCreated", "commentCreated", "commentEdited",
        "commentReactionAdded", "commentReactionRemoved", "threadMetadataUpdated",
        "commentMetadataUpdated", "threadMarkedAsResolved", "threadMarkedAsUnresolved",
        "commentDeleted", "commentDeleted", "threadDeleted",
    ]
    data = dict(seen)
    assert data["threadCreated"] == {"roomId": "events", "threadId": t,
                                     "createdAt": thread["createdAt"], "createdBy": "alice"}
    assert set(data["commentReactionAdded"]) == {"roomId", "threadId", "commentId", "emoji",
                                                 "addedAt", "addedBy"}
    assert set(data["threadDeleted"]) == {"roomId", "threadId", "deletedAt"}
    assert all("projectId" not in d for _, d in seen)
