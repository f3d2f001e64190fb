"""The official Node SDK manages groups, custom inbox notifications and notification
settings against the emulator."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.nodejs import run_node

DEFAULT_CHANNEL = {"thread": True, "textMention": True}


def test_node_sdk_groups_and_notifications(server: BackgroundServer) -> None:
    out = run_node("notifications_sdk.mjs", BASE_URL=server.base_url, SECRET="sk_localdev")
    assert out["created"] == {"id": "eng", "members": ["ann", "bob"], "scopes": {"mention": True},
                              "createdAtIsDate": True, "addedAtIsDate": True}
    assert out["duplicate"]["status"] == 409
    assert out["added"] == ["ann", "bob", "cat"]
    assert out["removed"] == ["bob", "cat"]
    assert out["got"] == "org-1"
    assert out["pages"] == [["eng"], ["design"], None]
    assert out["bobsGroups"] == ["eng", "design"]
    assert out["deleted"]["status"] == 404

    assert out["badKind"]["status"] == 422 and "$" in out["badKind"]["message"]
    assert out["badRoom"]["status"] == 404
    assert out["inbox"] == [
        {"kind": "$reminder", "subjectId": "r-1", "roomId": None, "readAt": None,
         "notifiedAtIsDate": True, "activities": [{}]},
        {"kind": "$fileUploaded", "subjectId": "file-1", "roomId": "whiteboard", "readAt": None,
         "notifiedAtIsDate": True,
         "activities": [{"url": "https://example.com/f", "size": 256, "ok": True}]},
    ]
    assert out["one"] == "file-1"
    assert out["unreadBefore"] == 2
    assert out["iterated"] == ["$reminder", "$fileUploaded"]
    assert out["inboxPages"] == [["$reminder"], ["$fileUploaded"], None]
    assert out["afterDelete"] == ["$fileUploaded"]
    assert out["missing"]["status"] == 404
    assert out["afterDeleteAll"] == 0

    assert out["defaultSettings"] == {"email": DEFAULT_CHANNEL, "slack": DEFAULT_CHANNEL}
    assert out["updatedSettings"] == {"thread": False, "textMention": True, "$fileUploaded": True}
    assert out["badSettings"]["status"] == 422
    assert out["resetSettings"] == DEFAULT_CHANNEL

    assert out["roomDefault"] == {"threads": "replies_and_mentions", "textMentions": "mine"}
    assert out["roomUpdated"] == {"threads": "all", "textMentions": "mine"}
    assert out["userRooms"] == {"data": [
        {"roomId": "whiteboard", "threads": "all", "textMentions": "mine"},
        {"roomId": "todos", "threads": "replies_and_mentions", "textMentions": "none"},
    ], "nextCursor": None}
    assert out["roomAfterDelete"] == {"threads": "replies_and_mentions", "textMentions": "mine"}
    assert out["roomMissing"]["status"] == 404


def test_node_sdk_sees_comments_fill_the_inbox(server: BackgroundServer) -> None:
    """Issue #14's first acceptance bullet, through @liveblocks/node 3.24."""
    out = run_node("notifications_flow_sdk.mjs", BASE_URL=server.base_url, SECRET="sk_localdev")
    thread = out["threadId"]
    notified = [{"kind": "thread", "threadId": thread, "roomId": "review", "unread": True,
                 "notifiedAtIsDate": True}]
    assert out["afterFirst"] == {"ann": [], "bob": notified, "cat": notified,
                                 "gil": notified, "hal": notified}
    assert out["firstNotifiedAt"] == out["firstCommentAt"] == "2030-01-01T00:00:00.000Z"
    assert out["subscribers"] == ["ann", "bob", "cat", "gil", "hal"]
    assert out["readStatus"] == 200 and out["unreadAfterRead"] == 0
    assert out["afterSecond"] == {"count": 1, "sameId": True,
                                  "notifiedAt": "2030-01-02T00:00:00.000Z", "unread": 1,
                                  "readAtKept": True}
    assert out["one"] == notified[0]
    assert out["halAfterDelete"] == 0 and out["missing"]["status"] == 404
    assert out["bobKinds"] == ["thread", "$reviewDue"]  # the comment is in 2030
    assert out["badKind"]["status"] == 422 and out["tooMuch"]["status"] == 422
    assert out["bobKindsAfterBad"] == out["bobKinds"]
    assert out["catUnchanged"] is True
    assert out["daveThreads"] == sorted([thread, out["otherThreadId"]])
    assert out["badSetting"]["status"] == 422
    assert out["catSettings"] == {"threads": "none", "textMentions": "mine"}
    assert out["bobAfterThreadDeleted"] == ["$reviewDue"]
