"""Entering rooms with tokens over WebSocket: signatures, expiry, permissions, room creation."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from emulator.domain.tokens import AccessTokenRequest, mint_access_token
from emulator.server import BackgroundServer
from tests.realtime.wsclient import RawClient


def access_token(http: httpx.Client, user_id: str, permissions: dict[str, list[str]],
                 info: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"userId": user_id, "permissions": permissions}
    if info is not None:
        body["userInfo"] = info
    response = http.post("/v2/authorize-user", json=body)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def id_token(http: httpx.Client, user_id: str, group_ids: list[str] | None = None) -> str:
    response = http.post("/v2/identify-user", json={"userId": user_id, "groupIds": group_ids or []})
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def connect(server: BackgroundServer, room_id: str, token: str) -> RawClient:
    return RawClient(server.base_url, room_id, tok=token)


def test_access_token_enters_and_creates_a_private_room(
    server: BackgroundServer, http: httpx.Client
) -> None:
    token = access_token(http, "alice", {"team:*": ["room:write"]}, {"name": "Alice"})
    with connect(server, "team:1", token) as client:
        state = client.receive()
        assert state["type"] == 104 and state["scopes"] == ["room:write"]
        room = http.get("/v2/rooms/team:1").json()
        assert room["defaultAccesses"] == []
        users = http.get("/v2/rooms/team:1/active-users").json()["data"]
        assert users == [{"type": "user", "id": "alice", "info": {"name": "Alice"},
                          "connectionId": state["actor"]}]


def test_users_see_each_other_with_id_and_info(server: BackgroundServer, http: httpx.Client) -> None:
    alice = access_token(http, "alice", {"*": ["room:write"]}, {"name": "Alice"})
    bob = access_token(http, "bob", {"*": ["room:write"]})
    with connect(server, "r", alice) as a:
        actor_a = a.receive()["actor"]
        with connect(server, "r", bob) as b:
            state = b.receive()
            assert state["users"][str(actor_a)] == {"id": "alice", "info": {"name": "Alice"},
                                                    "scopes": ["room:write"]}
            joined = a.receive()
            assert joined["id"] == "bob" and "info" not in joined


def test_token_without_the_room_is_refused_and_creates_nothing(
    server: BackgroundServer, http: httpx.Client
) -> None:
    token = access_token(http, "alice", {"team:*": ["room:write"]})
    with connect(server, "other", token) as client:
        code, reason = client.close_code()
        assert code == 4001 and "no access" in reason
    assert http.get("/v2/rooms/other").status_code == 404


def test_read_only_token_cannot_change_storage(server: BackgroundServer, http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "ro", "defaultAccesses": []})
    token = access_token(http, "viewer", {"ro": ["room:read", "room:presence:write"]})
    with connect(server, "ro", token) as client:
        state = client.receive()
        assert sorted(state["scopes"]) == ["room:presence:write", "room:read"]
        client.send({"type": 201, "ops": [{"opId": "1:0", "type": 3, "id": "root",
                                            "data": {"x": 1}}]})
        rejected = client.receive()
        assert rejected["type"] == 299 and rejected["opIds"] == ["1:0"]
        assert rejected["reason"]
    assert http.get("/v2/rooms/ro/storage?format=json").json() == {}


def test_id_token_uses_the_room_accesses(server: BackgroundServer, http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "private", "defaultAccesses": [],
                                  "usersAccesses": {"alice": ["room:write"]},
                                  "groupsAccesses": {"readers": ["room:read"]}})
    # ID-token scopes come out in canonical form ("*:write" is "room:write").
    with connect(server, "private", id_token(http, "alice")) as client:
        assert client.receive()["scopes"] == ["*:write"]
    with connect(server, "private", id_token(http, "carol", ["readers"])) as client:
        state = client.receive()
        assert state["scopes"] == ["*:read"]
        client.send({"type": 201, "ops": [{"opId": "1:0", "type": 3, "id": "root",
                                            "data": {"x": 1}}]})
        assert client.receive()["type"] == 299
    with connect(server, "private", id_token(http, "mallory")) as client:
        assert client.close_code()[0] == 4001
    with connect(server, "missing-room", id_token(http, "alice")) as client:
        assert client.close_code()[0] == 4001


def _forge(token: str, change: dict[str, Any]) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    raw = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{raw}.{signature}"


def _alg_none(token: str) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    return f"{header}.{token.split('.')[1]}."


@pytest.mark.parametrize("forgery", ["tampered", "alg none", "wrong key", "garbage", "secret"])
def test_forged_tokens_are_refused_with_4001(
    server: BackgroundServer, http: httpx.Client, forgery: str
) -> None:
    good = access_token(http, "alice", {"*": ["room:write"]})
    token = {
        "tampered": _forge(good, {"uid": "admin"}),
        "alg none": _alg_none(good),
        "wrong key": mint_access_token(
            AccessTokenRequest("alice", {"*": ["room:write"]}, None, None),
            key="another-emulator", now_seconds=int(time.time()), ttl_seconds=3600),
        "garbage": "not.a.token",
        "secret": "sk_localdev",
    }[forgery]
    with connect(server, "r", token) as client:
        code, reason = client.close_code()
        assert code == 4001 and reason


def _short_lived(server: BackgroundServer, seconds: int, issued: int | None = None) -> str:
    now = int(time.time()) if issued is None else issued
    return mint_access_token(
        AccessTokenRequest("alice", {"*": ["room:write"]}, None, None),
        key=server.state.config.effective_signing_key, now_seconds=now, ttl_seconds=seconds)


def test_expired_token_is_refused_with_4109(server: BackgroundServer) -> None:
    token = _short_lived(server, 60, issued=int(time.time()) - 120)
    with connect(server, "r", token) as client:
        code, reason = client.close_code()
        assert code == 4109 and "expired" in reason


def test_a_connection_is_closed_with_4109_when_its_token_expires(server: BackgroundServer) -> None:
    with connect(server, "r", _short_lived(server, 2)) as client:
        client.receive()
        code, _ = client.close_code(timeout=6)
        assert code == 4109
