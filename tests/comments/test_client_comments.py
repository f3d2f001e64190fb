"""Comments through the real browser client (@liveblocks/client 3.24 in Node, several users
in one room): tests/node/e2e_comments.mjs."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


def test_two_users_comment_live(server: BackgroundServer) -> None:
    out = run_script(server, "e2e_comments.mjs", ROOM="e2e-comments")
    assert out["created"] == {"idPrefix": "th_", "metadata": {"status": "open"}}
    assert out["bobSeesThread"] == {"text": "Hello", "userId": "alice", "threadCreated": True}
    assert out["aliceSeesReply"] == [["alice", "Hello"], ["bob", "Reply"]]
    assert out["bobSeesReaction"] == [{"emoji": "👍", "users": [{"id": "alice"}]}]
    assert out["aliceSeesEdit"] == {"text": "Reply, edited", "editedAt": True}
    assert out["editOthers"]["status"] == 403
    assert out["bobSeesResolved"] is True
    assert out["bobSeesMetadata"] == {"status": "done"}
    assert out["bobSeesUnreact"] == []
    assert out["list"]["hints"] == {"e2e-comments": ["*:write"]}
    assert out["list"]["nextCursor"] is None
    assert out["aliceSeesDeletedComment"] is True
    assert out["delta"]["updated"] == out["delta"]["expected"]["updated"]
    assert out["delta"]["deleted"] == out["delta"]["expected"]["deleted"]
    assert out["rita"]["ids"] == [out["ids"]["second"]]
    assert out["rita"]["hints"] == {"e2e-comments": ["*:read"]}  # READ_ACCESS of node 3.24
    for refused in ("create", "reply", "react"):
        assert out["rita"][refused] != "no error", refused
    assert out["dave"]["ids"] == [out["ids"]["second"]]
    assert out["dave"]["getPrivate"] is None
    assert out["dave"]["privateEvents"] == 0
    assert set(out["dave"]["bobSees"]) == {out["ids"]["second"], out["ids"]["secret"]}
    assert out["attachments"] == {
        "uploaded": [["small.png", 3], ["big.bin", 6 * 1024 * 1024]],
        "inThread": [["small.png", 3, "image/png"],
                     ["big.bin", 6 * 1024 * 1024, "application/octet-stream"]],
        "download": [7, 8, 9],
        "bigSize": 6 * 1024 * 1024,
    }
    assert out["errors"] == []
