"""The official Node SDK (@liveblocks/node) acting on a room that real clients are in."""

from __future__ import annotations

import httpx

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


def test_node_sdk_with_live_clients(server: BackgroundServer, http: httpx.Client) -> None:
    out = run_script(server, "e2e_node_sdk.mjs", ROOM="sdk-room")
    alice, bob = out["connections"]

    # getActiveUsers lists the live connections with the token's id and info.
    assert out["activeUsers"] == {"data": [
        {"type": "user", "id": "alice", "info": {"name": "ALICE"}, "connectionId": alice},
        {"type": "user", "id": "bob", "info": {"name": "BOB"}, "connectionId": bob},
    ]}

    # broadcastEvent reaches every client, from the backend (connection -1, no user).
    backend_event = {"event": {"type": "server-ping", "n": 1}, "connectionId": -1, "user": None}
    assert out["eventAtAlice"] == out["eventAtBob"] == backend_event

    # mutateStorage: both live clients got the SDK's changes.
    assert out["jsonAtBob"] == {
        "items": ["first", "from-sdk"],
        "scores": {"alice": 10},
        "meta": {"version": 2, "editedBy": "sdk"},
        "extra": {"nested": [1]},
    }

    # getStorageDocument (both formats) equals what the clients hold.
    assert out["sdkPlainEqualsClient"] is True and out["sdkJsonEqualsClient"] is True
    assert out["sdkPlain"] == out["doc"]
    assert out["sdkJson"] == out["jsonAtBob"]

    # setPresence: a virtual user appears with presence and info, updates, then expires.
    agent = out["agentAtAlice"]
    assert (agent["id"], agent["info"], agent["presence"]) == (
        "agent-1", {"name": "Agent"}, {"status": "thinking"}
    )
    assert agent["connectionId"] not in (alice, bob)
    assert {"type": "user", "id": "agent-1", "info": {"name": "Agent"},
            "connectionId": agent["connectionId"]} in out["activeUsersWithAgent"]["data"]
    assert out["agentUpdatedAtBob"]["presence"] == {"status": "done"}
    assert [o["id"] for o in out["othersAfterTtl"]] == ["bob"]
    assert 1.0 < out["ttlSeconds"] < 4.0

    # A connection that left is no longer an active user.
    assert [u["id"] for u in out["activeUsersAfterLeave"]["data"]] == ["alice"]
    assert out["errors"] == []
    assert http.get("/v2/rooms/sdk-room/storage").json() == out["doc"]
