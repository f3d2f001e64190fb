"""Real @liveblocks/client sessions make userEntered / userLeft / roomCreated /
storageUpdated, verified by @liveblocks/node's WebhookHandler (Node receiver)."""

from __future__ import annotations

from typing import Any

import httpx

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script
from tests.webhooks.conftest import NodeReceiver, add_endpoint


def test_clients_entering_writing_and_leaving(
    wh_server: BackgroundServer, api: httpx.Client, node_receiver: NodeReceiver
) -> None:
    add_endpoint(api, node_receiver.url, storageUpdatedThrottleSeconds=0.5)
    out = run_script(wh_server, "e2e_webhooks.mjs", ROOM="live")
    alice, bob = out["connections"]["alice"], out["connections"]["bob"]
    # roomCreated, 2 userEntered, 2 userLeft, and at least one storageUpdated.
    def complete(lines: list[dict[str, Any]]) -> bool:
        kinds = [line.get("event", {}).get("type") for line in lines]
        return sum(k in ("userEntered", "userLeft") for k in kinds) == 4 \
            and "storageUpdated" in kinds

    got = node_receiver.wait_until(complete)
    assert all(line["ok"] for line in got), got
    events: list[dict[str, Any]] = [line["event"] for line in got]
    people = [e for e in events if e["type"] in ("userEntered", "userLeft")]
    assert events[0]["type"] == "roomCreated" and events[0]["data"]["roomId"] == "live"
    assert events[1]["type"] == "userEntered"
    assert [(e["type"], e["data"]["connectionId"], e["data"]["numActiveUsers"])
            for e in people] == [
        ("userEntered", alice, 1), ("userEntered", bob, 2),
        ("userLeft", bob, 1), ("userLeft", alice, 0)]
    assert [e["data"]["userId"] for e in people] == ["alice", "bob", "bob", "alice"]
    assert people[0]["data"]["userInfo"] == {"name": "ALICE"}
    assert list(people[0]["data"]) == ["projectId", "roomId", "connectionId", "userId",
                                       "userInfo", "enteredAt", "numActiveUsers"]
    assert list(people[2]["data"])[5] == "leftAt"
    assert "storageUpdated" in [e["type"] for e in events]
    # Throttled to one event per 0.5 s window: far fewer events than writes.
    storage = [d for d in api.get("/_emulator/webhooks/deliveries",
                                  params={"type": "storageUpdated"}).json()["data"]]
    assert 1 <= len(storage) <= 4
