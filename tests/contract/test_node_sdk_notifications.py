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
