"""The official Node SDK (@liveblocks/node 3.24) drives every Comments and attachments method
against the emulator (tests/node/comments_sdk.mjs)."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.nodejs import run_node


def test_node_sdk_comments(server: BackgroundServer) -> None:
    out = run_node("comments_sdk.mjs", BASE_URL=server.base_url, SECRET="sk_localdev")
    thread_id, other_id = out["threadId"], out["otherId"]
    assert out["thread"] == {"id": thread_id, "createdAt": "2026-01-01T00:00:00.000Z",
                             "isDate": True, "metadata": {"status": "open", "x": 3},
                             "resolved": False, "comments": 1}
    assert out["reply"] == {"userId": "bob", "threadId": thread_id}
    assert out["getComment"]["content"][0]["children"] == [{"text": "Reply"}]
    assert out["editedAt"] is True
    assert out["metadata"] == {"status": "done"}
    assert out["commentMetadata"] == {"seen": True}
    assert out["reaction"] == {"emoji": "🎉", "userId": "alice", "createdAt": True}
    assert out["reactions"] == [{"emoji": "🎉", "users": [{"id": "alice"}, {"id": "bob"}]}]
    assert out["again"]["status"] == 409
    assert out["afterRemove"] == [[{"id": "alice"}]]
    assert out["resolved"] is True and out["unresolved"] is False
    assert out["queryResolved"] == [thread_id]
    assert out["queryObject"] == out["queryString"] == [other_id]
    assert out["subscription"] == {"kind": "thread", "subjectId": thread_id, "createdAt": True}
    assert out["subscriptions"] == ["alice", "carol"]
    assert out["participants"] == ["alice", "bob"]
    assert out["attachment"] == {"idPrefix": "at_", "name": "pic.png", "size": 4,
                                 "mimeType": "image/png"}
    assert out["commentAttachments"] == [True]
    assert out["big"] == {"size": 6 * 1024 * 1024, "downloaded": 6 * 1024 * 1024}
    assert out["download"] == [1, 2, 3, 4]
    assert out["deletedComment"] is True
    assert out["missing"]["status"] == 404
    assert out["unknownRoom"]["status"] == 404
    assert out["left"] == [thread_id]
