"""WebSocket faults at the protocol level (raw clients): drops by user, room and connection
with the chosen code, a restart, latency that keeps the order, a pause per direction."""

from __future__ import annotations

import asyncio

import httpx

from emulator.domain.fault_rules import Delays
from emulator.realtime.codes import ClientMsg, ServerMsg
from emulator.realtime.faults import DelayLine
from emulator.server import BackgroundServer
from tests.faults.admin import fault
from tests.isolated_loop import run_isolated
from tests.realtime.wsclient import RawClient, public


def token(http: httpx.Client, user_id: str) -> str:
    response = http.post("/v2/authorize-user", json={
        "userId": user_id, "permissions": {"*": ["room:write"]}})
    result: str = response.json()["token"]
    return result


def joined(client: RawClient) -> int:
    actor: int = client.receive_type(ServerMsg.ROOM_STATE)["actor"]
    return actor


def test_drop_a_user_everywhere_with_a_chosen_code(server: BackgroundServer,
                                                   http: httpx.Client) -> None:
    alice = token(http, "alice")
    with RawClient(server.base_url, "one", tok=alice) as a1, \
            RawClient(server.base_url, "two", tok=alice) as a2, \
            RawClient(server.base_url, "one", tok=token(http, "bob")) as bob:
        for client in (a1, a2, bob):
            joined(client)
        result = fault(http, kind="ws-drop", userId="alice", code=4100, reason="kicked")
        assert result == {"kind": "ws-drop", "dropped": 2}
        assert a1.close_code() == (4100, "kicked")
        assert a2.close_code() == (4100, "kicked")
        assert bob.receive_type(ServerMsg.USER_LEFT)["type"] == ServerMsg.USER_LEFT


def test_drop_one_connection_then_a_room_then_restart(server: BackgroundServer,
                                                      http: httpx.Client) -> None:
    with public(server.base_url, "r") as first, public(server.base_url, "r") as second, \
            public(server.base_url, "r") as third, public(server.base_url, "other") as other:
        actor = joined(first)
        for client in (second, third, other):
            joined(client)
        assert fault(http, kind="ws-drop", roomId="r", connectionId=actor)["dropped"] == 1
        assert first.close_code() == (1011, "Connection dropped by a fault")
        assert fault(http, kind="ws-drop", roomId="r", code=1001)["dropped"] == 2
        assert second.close_code()[0] == 1001 and third.close_code()[0] == 1001
        assert fault(http, kind="server-restart") == {"kind": "server-restart", "dropped": 1}
        assert other.close_code() == (1012, "The server restarted")
    # The state stays: the room is still there.
    assert http.get("/v2/rooms/other").status_code == 200


def test_a_paused_direction_holds_frames_and_resume_releases_them_in_order(
    server: BackgroundServer, http: httpx.Client
) -> None:
    with public(server.base_url, "p") as sender, public(server.base_url, "p") as receiver:
        joined(sender)
        joined(receiver)
        sender.receive_type(ServerMsg.USER_JOINED)
        paused = fault(http, kind="ws-pause", roomId="p", direction="outgoing")
        for n in range(5):
            sender.send({"type": ClientMsg.BROADCAST_EVENT, "event": n})
        # The events reached the room (incoming is not paused) and wait in the outbox line.
        listing = http.get("/_emulator/faults").json()["data"]
        assert listing[0]["id"] == paused["id"]
        sender.send_text("ping")  # its pong is held too; the listing waits for it
        held = 0
        for _ in range(1000):  # until the ping has arrived (no clock involved)
            held = http.get("/_emulator/faults").json()["data"][0]["heldFrames"]
            if held == 6:
                break
        assert held == 6
        assert http.delete(f"/_emulator/faults/{paused['id']}").status_code == 204
        events = [receiver.receive_type(ServerMsg.BROADCASTED_EVENT)["event"] for _ in range(5)]
        assert events == [0, 1, 2, 3, 4]
        assert sender.receive_frame() == "pong"


def test_jittered_latency_keeps_the_order_and_repeats_with_its_seed() -> None:
    async def deliveries() -> list[str]:
        delivered: list[str] = []
        done = asyncio.get_running_loop().create_future()

        def deliver(text: str) -> None:
            delivered.append(text)
            if len(delivered) == 40:
                done.set_result(None)

        line = DelayLine(deliver)
        line.set(Delays(1, 5, "3:room:1:outgoing"), "fault-1", paused=False)
        for n in range(40):
            line.push(str(n))
        await asyncio.wait_for(done, 10)
        return delivered

    assert run_isolated(deliveries()) == [str(n) for n in range(40)]
