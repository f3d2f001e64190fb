"""The inbox through the real @liveblocks/client 3.24 in Node as user bob
(tests/node/e2e_inbox.mjs): notifications a backend triggers and those alice's comments
cause, the unread count, mark read, delete and notification settings."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


def test_bob_reads_and_tidies_his_inbox(server: BackgroundServer) -> None:
    out = run_script(server, "e2e_inbox.mjs", ROOM="e2e-inbox")
    thread = out["threadId"]
    assert out["list"] == {
        "notifications": [{"kind": "thread", "unread": True, "threadId": thread},
                          {"kind": "$fileUploaded", "unread": True, "subjectId": "file-1"}],
        "threads": [[thread, 1]],
        "subscriptions": [thread],  # mentioned, hence subscribed
        "nextCursor": None,
        "requestedAtIsDate": True,
        "activity": {"name": "report.pdf", "size": 256},
    }
    assert (out["count"], out["countOfKind"], out["countOfRoom"]) == (2, 1, 0)
    assert out["listOfKind"] == ["$fileUploaded"]
    assert out["countAfterRead"] == 1
    assert out["userThreads"] == {"threads": [thread], "hints": {"e2e-inbox": ["*:write"]},
                                  "nextCursor": None, "notifications": ["thread"]}
    assert out["userThreadsSince"] == 0
    assert out["groups"] == {"id": "reviewers", "members": ["bob", "carol"],
                             "addedAtIsDate": True, "missing": None}
    # alice's reply brings bob's notification forward, unread, with the thread as it is now.
    assert out["delta"] == {"updated": [{"kind": "thread", "unread": True, "threadId": thread}],
                            "threads": [[thread, 2]], "deleted": 0}
    assert out["countAfterAll"] == 0
    assert out["deletedDelta"] == [True]
    assert out["backendAfterDelete"] == ["thread"]
    assert out["textMentions"] == [{"createdBy": "alice", "mentionId": "mention-1",
                                    "mention": {"kind": "group", "id": "reviewers",
                                                "userIds": ["bob"]},
                                    "unread": True}]
    assert out["afterDeleteAll"] == 0 and out["backendAfterDeleteAll"] == 0
    assert out["settings"] == {"email": {"thread": True, "textMention": True},
                               "webPush": {"thread": True, "textMention": True}}
    assert out["updatedEmail"] == {"thread": False, "textMention": True}
    assert out["backendSettings"] == out["updatedEmail"]
    assert out["badSettings"]["status"] == 422
    assert out["publicKey"]["status"] == 403
