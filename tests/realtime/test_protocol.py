"""The WebSocket protocol, frame by frame, against a bare client (PROTOCOL.md §3)."""

from __future__ import annotations

import httpx
import pytest

from emulator.server import BackgroundServer
from tests.realtime.wsclient import RawClient, public


def test_room_state_comes_first(server: BackgroundServer) -> None:
    with public(server.base_url, "r1") as client:
        state = client.receive()
        assert state["type"] == 104
        assert isinstance(state["actor"], int)
        assert state["scopes"] == ["room:write"]
        assert state["users"] == {}
        assert state["meta"] == {}
        assert isinstance(state["nonce"], str) and state["nonce"]


def test_public_key_creates_an_open_room(server: BackgroundServer, http: httpx.Client) -> None:
    with public(server.base_url, "auto-made") as client:
        client.receive()
        room = http.get("/v2/rooms/auto-made").json()
        assert room["defaultAccesses"] == ["room:write"]
        assert "lastConnectionAt" in room


def test_join_and_leave_are_announced(server: BackgroundServer) -> None:
    with public(server.base_url, "r") as first:
        first_actor = first.receive()["actor"]
        with public(server.base_url, "r") as second:
            state = second.receive()
            assert list(state["users"]) == [str(first_actor)]
            assert state["users"][str(first_actor)] == {"scopes": ["room:write"]}
            joined = first.receive()
            assert joined == {"type": 101, "actor": state["actor"], "scopes": ["room:write"]}
            second_actor = state["actor"]
        assert first.receive() == {"type": 102, "actor": second_actor}


def test_actor_ids_are_never_reused(server: BackgroundServer) -> None:
    actors = []
    for _ in range(4):
        with public(server.base_url, "reuse") as client:
            actors.append(client.receive()["actor"])
    assert len(set(actors)) == 4
    assert actors == sorted(actors)


def test_presence_relay_full_and_partial(server: BackgroundServer) -> None:
    with public(server.base_url, "p") as a, public(server.base_url, "p") as b:
        actor_a = a.receive()["actor"]
        b.receive()
        a.receive_type(101)
        a.send({"type": 100, "targetActor": -1, "data": {"x": 1}}, {"type": 100, "data": {"y": 2}})
        assert b.receive() == {"type": 100, "actor": actor_a, "data": {"x": 1}, "targetActor": -1}
        assert b.receive() == {"type": 100, "actor": actor_a, "data": {"y": 2}}
        a.expect_nothing()  # the sender does not get its own presence


def test_client_events_reach_others_only(server: BackgroundServer) -> None:
    with public(server.base_url, "e") as a, public(server.base_url, "e") as b:
        actor_a = a.receive()["actor"]
        b.receive()
        a.receive_type(101)
        a.send({"type": 103, "event": {"emoji": "🔥"}})
        assert b.receive() == {"type": 103, "actor": actor_a, "event": {"emoji": "🔥"}}
        a.expect_nothing()


def test_ping_pong(server: BackgroundServer) -> None:
    with public(server.base_url, "ping") as client:
        client.receive()
        client.send_text("ping")
        assert client.receive_frame() == "pong"


@pytest.mark.parametrize(
    "frame",
    ["not json", "[1]", '{"no":"type"}', '[{"type":"100"}]', '[{"type":100,"data":5}]',
     '[{"type":201,"ops":"x"}]', '[{"type":201,"ops":[{"type":3}]}]', '[{"type":103}]'],
)
def test_invalid_frames_close_with_4000(server: BackgroundServer, frame: str) -> None:
    with public(server.base_url, "bad") as client:
        client.receive()
        client.send_text(frame)
        code, reason = client.close_code()
        assert code == 4000
        assert reason


def test_unknown_message_types_are_ignored(server: BackgroundServer) -> None:
    with public(server.base_url, "unknown") as client:
        client.receive()
        client.send({"type": 999}, {"type": 600})  # (300 is Yjs now: FETCH_YDOC)
        client.send_text("ping")
        assert client.receive_frame() == "pong"


def test_wrong_public_key_is_refused_after_upgrade(server: BackgroundServer) -> None:
    with RawClient(server.base_url, "x", pubkey="pk_wrong") as client:
        assert client.close_code()[0] == 4001


def test_missing_credentials_or_room(server: BackgroundServer) -> None:
    with RawClient(server.base_url, "x") as client:
        assert client.close_code()[0] == 4001
    with RawClient(server.base_url, "", pubkey="pk_localdev") as client:
        assert client.close_code()[0] == 4001


def test_private_room_cannot_be_entered_with_the_public_key(
    server: BackgroundServer, http: httpx.Client
) -> None:
    http.post("/v2/rooms", json={"id": "private", "defaultAccesses": []})
    with public(server.base_url, "private") as client:
        code, reason = client.close_code()
        assert code == 4001 and "access" in reason


def test_other_paths_are_refused(server: BackgroundServer) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus):
        RawClient(server.base_url, "x", version=6, pubkey="pk_localdev")


def test_fetch_storage_v8_streams_chunks(server: BackgroundServer) -> None:
    with public(server.base_url, "s") as client:
        client.receive()
        client.send({"type": 200})
        assert client.receive() == {"type": 210, "nodes": [["root", {}]]}
        assert client.receive() == {"type": 211}


def test_fetch_storage_v7_is_one_message(server: BackgroundServer) -> None:
    with RawClient(server.base_url, "s7", version=7, pubkey="pk_localdev") as client:
        client.receive()
        client.send({"type": 200})
        assert client.receive() == {"type": 200, "items": [["root", {"type": 0, "data": {}}]]}


def test_update_storage_echo_and_fan_out(server: BackgroundServer) -> None:
    with public(server.base_url, "u") as a, public(server.base_url, "u") as b:
        a.receive()
        b.receive()
        a.receive_type(101)
        op = {"opId": "0:1", "id": "root", "type": 3, "data": {"title": "hello"}}
        a.send({"type": 201, "ops": [op]})
        assert b.receive() == {"type": 201, "ops": [{"id": "root", "type": 3, "data": {"title": "hello"}}]}
        assert a.receive() == {"type": 201, "ops": [op]}
        b.send({"type": 200})
        assert b.receive_type(210)["nodes"] == [["root", {"title": "hello"}]]


def test_room_full(server: BackgroundServer) -> None:
    limit = server.state.config.max_connections_per_room
    server.state.config.max_connections_per_room = 2
    try:
        with public(server.base_url, "full") as a, public(server.base_url, "full") as b:
            a.receive()
            b.receive()
            with public(server.base_url, "full") as c:
                assert c.close_code()[0] == 4005
    finally:
        server.state.config.max_connections_per_room = limit


def test_deleting_the_room_stops_clients(server: BackgroundServer, http: httpx.Client) -> None:
    with public(server.base_url, "doomed") as client:
        client.receive()
        assert http.delete("/v2/rooms/doomed").status_code == 204
        assert client.close_code()[0] == 4999


def test_renaming_the_room_closes_with_4006(server: BackgroundServer, http: httpx.Client) -> None:
    with public(server.base_url, "before") as client:
        client.receive()
        http.post("/v2/rooms/before/update-room-id", json={"newRoomId": "after"})
        assert client.close_code()[0] == 4006


def test_active_users_and_broadcast(server: BackgroundServer, http: httpx.Client) -> None:
    assert http.get("/v2/rooms/nobody/active_users").status_code == 404
    with public(server.base_url, "live") as a:
        actor = a.receive()["actor"]
        for path in ("active_users", "active-users"):
            users = http.get(f"/v2/rooms/live/{path}").json()["data"]
            assert users == [{"type": "user", "id": None, "info": {}, "connectionId": actor}]
        for path in ("broadcast_event", "broadcast-event"):
            assert http.post(f"/v2/rooms/live/{path}", json={"n": path}).status_code == 204
            assert a.receive() == {"type": 103, "actor": -1, "event": {"n": path}}


def test_backend_presence_joins_and_expires(server: BackgroundServer, http: httpx.Client) -> None:
    with public(server.base_url, "agents") as a:
        a.receive()
        body = {"userId": "agent", "data": {"status": "thinking"}, "userInfo": {"name": "AI"},
                "ttl": 2}
        assert http.post("/v2/rooms/agents/presence", json=body).status_code == 204
        joined = a.receive()
        assert joined["type"] == 101 and joined["id"] == "agent" and joined["info"] == {"name": "AI"}
        presence = a.receive()
        assert presence["type"] == 100 and presence["data"] == {"status": "thinking"}
        assert "targetActor" in presence
        with public(server.base_url, "agents") as late:
            state = late.receive()
            assert state["users"][str(joined["actor"])]["id"] == "agent"
            assert late.receive()["data"] == {"status": "thinking"}
        users = http.get("/v2/rooms/agents/active-users").json()["data"]
        assert {"type": "user", "id": "agent", "info": {"name": "AI"},
                "connectionId": joined["actor"]} in users
        while a.receive_type(102, timeout=5)["actor"] != joined["actor"]:
            pass  # the late client's departure comes first


@pytest.mark.parametrize(
    "body",
    [{}, {"userId": "", "data": {}}, {"userId": "a", "data": 1}, {"userId": "a", "data": {}, "ttl": 1},
     {"userId": "a", "data": {}, "ttl": 3600}, {"userId": "a", "data": {}, "userInfo": 3}],
)
def test_backend_presence_validation(http: httpx.Client, body: object) -> None:
    http.post("/v2/rooms", json={"id": "v", "defaultAccesses": []})
    response = http.post("/v2/rooms/v/presence", json=body)
    assert response.status_code == 422, response.text
