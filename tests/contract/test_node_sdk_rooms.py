"""The official Node SDK (@liveblocks/node) manages rooms against the emulator."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.nodejs import run_node


def test_node_sdk_rooms(server: BackgroundServer) -> None:
    out = run_node("rooms_sdk.mjs", BASE_URL=server.base_url, SECRET="sk_localdev")
    assert out["get"]["id"] == "node-a"
    assert out["get"]["metadata"] == {"color": "blue"}
    assert out["createdAtIsDate"] is True
    assert out["byQueryObject"] == ["node-b"]
    assert out["byQueryString"] == ["node-a"]
    assert out["iterated"] == ["node-b", "node-a"]
    assert out["getOrCreate"] == "node-a"
    assert out["upsert"] == ["room:read"]
    assert out["updated"] == {"size": "L"}
    assert out["renamed"] == "node-b2"
    assert out["missing"]["status"] == 404 and out["missing"]["message"]
