"""Clients signed in through an app's auth endpoint (@liveblocks/node tokens)."""

from __future__ import annotations

import httpx

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script
from tests.realtime.wsclient import RawClient

READ_ACCESS = ["room:read", "room:presence:write"]


def test_auth_endpoint_writers_share_a_room_and_a_reader_cannot_write(
    server: BackgroundServer, http: httpx.Client
) -> None:
    out = run_script(server, "e2e_auth_pair.mjs", ROOM="auth-pair")
    alice, bob = out["selves"]
    assert (alice["id"], alice["info"], alice["canWrite"]) == ("alice", {"name": "ALICE"}, True)
    assert (bob["id"], bob["info"], bob["canWrite"]) == ("bob", {"name": "BOB"}, True)
    # The room did not exist: the access token's grant created it, private.
    assert http.get("/v2/rooms/auth-pair").json()["defaultAccesses"] == []

    # Others carry the token's user id and info; presence merges partial updates.
    assert [(o["id"], o["info"]) for o in out["aliceSeesBob"]] == [("bob", {"name": "BOB"})]
    assert [(o["id"], o["info"]) for o in out["bobSeesAlice"]] == [("alice", {"name": "ALICE"})]
    assert out["bobSeesPartial"][0]["presence"] == {"cursor": {"x": 10, "y": 20}, "typing": False}
    assert out["aliceSeesPartial"][0]["presence"] == {"cursor": None, "typing": True}

    # Storage written by both converged, and REST holds the same document.
    assert out["rest"] == out["doc"]
    assert http.get("/v2/rooms/auth-pair/storage", params={"format": "json"}).json() == {
        "todos": [{"text": "write tests", "done": True}, {"text": "review", "done": False}],
        "byUser": {"alice": ["a1", "b-was-here"], "bob": ["b1"]},
        "settings": {"theme": "dark", "fontSize": 14},
    }
    assert out["othersAfterLeaving"] == []
    assert [call["user"] for call in out["authCalls"]] == ["alice", "bob", "carol"]
    assert out["errors"] == []

    carol = out["carol"]
    # The reader loads the storage and shows up with its presence, marked read-only...
    assert carol["self"]["id"] == "carol" and carol["self"]["canWrite"] is False
    assert carol["doc"] == out["doc"]
    assert out["aliceSeesCarol"]["presence"]["cursor"] == {"x": 1, "y": 1}
    assert out["carolReadOnlyAtAlice"] is True
    # ...its local mutation throws, and nothing changed.
    assert "read only" in carol["mutation"]
    assert out["restAfterCarol"] == out["doc"]
    assert out["carolStillEqual"] is True

    # The server refuses a reader's storage ops too (a client that skips the local check).
    token = http.post(
        "/v2/authorize-user", json={"userId": "mallory", "permissions": {"auth-pair": READ_ACCESS}}
    ).json()["token"]
    with RawClient(server.base_url, "auth-pair", tok=token) as raw:
        assert raw.receive()["scopes"] == READ_ACCESS
        op = {"opId": "x:1", "type": 3, "id": "root", "data": {"settings": "hacked"}}
        raw.send({"type": 201, "ops": [op]})
        rejected = raw.receive_type(299)
        assert rejected["opIds"] == ["x:1"]
    assert http.get("/v2/rooms/auth-pair/storage").json() == out["doc"]


def test_id_tokens_get_the_room_accesses_and_others_are_refused(
    server: BackgroundServer,
) -> None:
    out = run_script(server, "e2e_id_tokens.mjs", ROOM="id-room")
    # usersAccesses[dana] = room:write; frank is in a group with read access.
    assert out["dana"] == {"id": "dana", "info": {"name": "DANA"}, "canWrite": True}
    assert out["frank"]["canWrite"] is False
    assert out["frank"]["doc"]["data"]["notes"]["data"] == ["by dana"]
    # No access (ID token) or a token for other rooms: 4001, and the client stops.
    for refused in (out["erin"], out["outsider"]):
        assert [error["code"] for error in refused] == [4001]
    assert out["errors"] == []
