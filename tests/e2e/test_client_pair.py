"""Two real @liveblocks/client instances in one room with the public key (PROTOCOL.md §3, §4)."""

from __future__ import annotations

import httpx

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script

EXPECTED_DOC = {
    "title": "hello",
    "count": 1,
    "plainObject": {"deep": [1, 2]},
    "byB": "yes",
    "tags": {"x": 2, "z": ["from-b"]},
    "meta": {"nested": {"depth": 3, "list": [1, 2, 3]}},
}


def test_two_public_clients(server: BackgroundServer, http: httpx.Client) -> None:
    out = run_script(server, "e2e_public_pair.mjs", ROOM="pair-public")

    presence = out["presence"]
    a, b = presence["selfA"], presence["selfB"]
    assert a != b
    assert presence["bSeesA"] == [{"connectionId": a, "presence": {"name": "a", "cursor": None}}]
    assert presence["aSeesB"] == [{"connectionId": b, "presence": {"name": "b", "cursor": None}}]
    # Partial presence updates merge into what the other side knew.
    assert presence["bSeesPartial"][0]["presence"] == {"name": "a", "cursor": {"x": 1, "y": 2}}
    assert presence["aSeesPartial"][0]["presence"] == {"name": "bee", "cursor": None}

    # Both converged on one document with every operation applied.
    assert out["jsonA"] == out["jsonB"]
    doc = dict(out["jsonA"])
    items = doc.pop("items")
    assert doc == EXPECTED_DOC
    assert items[:3] == ["z", "c", {"k": 1}]
    # Concurrent pushes: all ten survive, each client's in its own order.
    pushed = items[3:]
    assert sorted(pushed) == [f"A{i}" for i in range(5)] + [f"B{i}" for i in range(5)]
    assert [x for x in pushed if x[0] == "A"] == [f"A{i}" for i in range(5)]
    assert [x for x in pushed if x[0] == "B"] == [f"B{i}" for i in range(5)]
    assert out["itemsA"] == out["itemsB"] == items

    # The broadcast reached B (from A's connection) and not A.
    assert [(e["event"], e["connectionId"]) for e in out["broadcast"]["atB"]] == [
        ({"kind": "hello", "n": 1}, a)
    ]
    assert out["broadcast"]["atA"] == []

    # REST storage is what the clients hold, in both formats.
    assert out["restEqualsClient"] is True
    assert out["rest"] == out["doc"]
    assert out["restJson"] == out["jsonA"]
    assert http.get("/v2/rooms/pair-public/storage").json() == out["doc"]

    # A fresh client loads the same storage.
    assert out["third"] == out["doc"]

    # Leaving shrinks the others list.
    assert [o["connectionId"] for o in out["afterBLeft"]] == [out["selfC"]]
    assert out["afterCLeft"] == []
    assert out["errors"] == []
