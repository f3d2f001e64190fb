"""The token endpoints over HTTP: success shapes, every error case, and no input that breaks them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.domain.tokens import TokenClaims, TokenKind, verify_token
from emulator.server import BackgroundServer

PUBLIC_KEY = "pk_localdev"


def claims(server: BackgroundServer, response: httpx.Response) -> TokenClaims:
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["token"]
    state = server.state
    return verify_token(body["token"], state.config.effective_signing_key, state.clock() // 1000)


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    message: str = body["message"]
    assert message
    return message


def create_room(http: httpx.Client, room_id: str, **fields: Any) -> None:
    response = http.post("/v2/rooms", json={"id": room_id, "defaultAccesses": [], **fields})
    assert response.status_code == 200, response.text


# ------------------------------------------------------------------ authorize-user


def test_authorize_user(server: BackgroundServer, http: httpx.Client) -> None:
    body = {"userId": "alice", "permissions": {"room-1": ["room:write"], "org:*": ["*:read"]},
            "userInfo": {"name": "Alice"}, "organizationId": "acme"}
    before = server.state.clock() // 1000
    token = claims(server, http.post("/v2/authorize-user", json=body))
    assert before <= token.issued_at <= server.state.clock() // 1000
    assert token.kind is TokenKind.ACCESS
    assert token.user_id == "alice"
    assert token.permissions == {"room-1": ["room:write"], "org:*": ["*:read"]}
    assert token.user_info == {"name": "Alice"}
    assert token.organization_id == "acme"
    assert token.expires_at - token.issued_at == server.state.config.token_ttl_seconds


def test_identify_user(server: BackgroundServer, http: httpx.Client) -> None:
    body = {"userId": "bob", "groupIds": ["eng"], "userInfo": {"name": "Bob"}}
    token = claims(server, http.post("/v2/identify-user", json=body))
    assert token.kind is TokenKind.ID
    assert (token.user_id, token.group_ids, token.user_info) == ("bob", ["eng"], {"name": "Bob"})


def test_every_call_mints_a_new_token(http: httpx.Client) -> None:
    body = {"userId": "u", "permissions": {"*": ["*:write"]}}
    tokens = {http.post("/v2/authorize-user", json=body).json()["token"] for _ in range(5)}
    tokens |= {http.post("/v2/identify-user", json={"userId": "u"}).json()["token"] for _ in range(5)}
    assert len(tokens) == 10


# ------------------------------------------------------------------ seed: rooms/{id}/authorize


def test_room_authorize_mints_an_id_token(server: BackgroundServer, http: httpx.Client) -> None:
    create_room(http, "private", usersAccesses={"alice": ["room:write"]})
    body = {"userId": "alice", "groupIds": ["g1"], "userInfo": {"name": "bob", "colors": ["blue"]}}
    token = claims(server, http.post("/v2/rooms/private/authorize", json=body))
    assert token.kind is TokenKind.ID
    assert (token.user_id, token.group_ids) == ("alice", ["g1"])
    assert token.user_info == {"name": "bob", "colors": ["blue"]}
    room = server.state.rooms.get("private")
    assert token.room_access("private", room).may_write_storage


def test_room_authorize_without_user_id_for_a_public_room(server: BackgroundServer, http: httpx.Client) -> None:
    create_room(http, "open", defaultAccesses=["room:write"])
    first = claims(server, http.post("/v2/rooms/open/authorize", json={}))
    second = claims(server, http.post("/v2/rooms/open/authorize"))  # no body at all
    assert first.user_id.startswith("anonymous-") and first.user_id != second.user_id
    assert first.room_access("open", server.state.rooms.get("open")).may_write_storage


def test_room_authorize_needs_a_user_id_for_a_private_room(http: httpx.Client) -> None:
    create_room(http, "private", groupsAccesses={"g": ["room:write"]})
    message = error(http.post("/v2/rooms/private/authorize", json={"groupIds": ["g"]}), 403)
    assert "private" in message and "userId" in message


def test_room_authorize_escaped_room_id(server: BackgroundServer, http: httpx.Client) -> None:
    create_room(http, "a/b", defaultAccesses=["room:read"])
    token = claims(server, http.post("/v2/rooms/" + quote("a/b", safe="") + "/authorize", json={}))
    assert token.room_access("a/b", server.state.rooms.get("a/b")).may_enter


# ------------------------------------------------------------------ seed: public/authorize


def test_public_authorize(server: BackgroundServer, http: httpx.Client, anonymous_http: httpx.Client) -> None:
    create_room(http, "lobby", defaultAccesses=["room:write"])
    token = claims(server, anonymous_http.post("/v2/rooms/lobby/public/authorize",
                                               json={"publicApiKey": PUBLIC_KEY}))
    assert token.kind is TokenKind.ID and token.user_id.startswith("anonymous-")
    assert token.room_access("lobby", server.state.rooms.get("lobby")).may_write_storage


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"publicApiKey": "pk_other"}, 403, "publicApiKey"),
        ({"publicApiKey": "sk_localdev"}, 403, "publicApiKey"),
        ({}, 403, "publicApiKey"),
        ({"publicApiKey": 5}, 403, "publicApiKey"),
        (["pk_localdev"], 422, "Request body"),
    ],
)
def test_public_authorize_key_errors(http: httpx.Client, anonymous_http: httpx.Client, body: Any,
                                     status: int, words: str) -> None:
    create_room(http, "lobby", defaultAccesses=["room:write"])
    assert words in error(anonymous_http.post("/v2/rooms/lobby/public/authorize", json=body), status)


def test_public_authorize_checks_the_key_before_the_room(anonymous_http: httpx.Client) -> None:
    # Without the key nobody learns which rooms exist.
    error(anonymous_http.post("/v2/rooms/nope/public/authorize", json={"publicApiKey": "pk_x"}), 403)
    assert "nope" in error(
        anonymous_http.post("/v2/rooms/nope/public/authorize", json={"publicApiKey": PUBLIC_KEY}), 404
    )


@pytest.mark.parametrize(
    "accesses", [[], ["room:read", "room:presence:write"], ["*:write", "storage:read"], ["storage:write"]]
)
def test_public_authorize_only_for_rooms_everyone_may_write(
    http: httpx.Client, anonymous_http: httpx.Client, accesses: list[str]
) -> None:
    create_room(http, "closed", defaultAccesses=accesses)
    message = error(anonymous_http.post("/v2/rooms/closed/public/authorize",
                                        json={"publicApiKey": PUBLIC_KEY}), 403)
    assert "not public" in message


# ------------------------------------------------------------------ errors common to all


SECRET_ENDPOINTS = ["/v2/authorize-user", "/v2/identify-user", "/v2/rooms/r/authorize"]


@pytest.mark.parametrize("path", SECRET_ENDPOINTS)
def test_secret_is_required(anonymous_http: httpx.Client, path: str) -> None:
    body = {"userId": "u", "permissions": {"*": ["*:read"]}}
    error(anonymous_http.post(path, json=body), 401)
    error(anonymous_http.post(path, json=body, headers={"Authorization": "Bearer sk_wrong"}), 403)
    error(anonymous_http.post(path, json=body, headers={"Authorization": f"Bearer {PUBLIC_KEY}"}), 403)


@pytest.mark.parametrize("path", ["/v2/rooms/missing/authorize", "/v2/rooms/missing/public/authorize"])
def test_missing_room_is_404(http: httpx.Client, path: str) -> None:
    message = error(http.post(path, json={"userId": "u", "publicApiKey": PUBLIC_KEY}), 404)
    assert "missing" in message


@pytest.mark.parametrize("path", [*SECRET_ENDPOINTS, "/v2/rooms/r/public/authorize"])
@pytest.mark.parametrize("content", [b"{nope", b"[1,", b"NaN", b"\xff\xfe"])
def test_bad_json_is_400(http: httpx.Client, path: str, content: bytes) -> None:
    create_room(http, "r", defaultAccesses=["room:write"])
    error(http.post(path, content=content, headers={"Content-Type": "application/json"}), 400)


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/v2/authorize-user", {"permissions": {}}, "userId is required"),
        ("/v2/authorize-user", {"userId": "", "permissions": {}}, "userId"),
        ("/v2/authorize-user", {"userId": ["u"], "permissions": {}}, "userId"),
        ("/v2/authorize-user", {"userId": "u"}, "permissions is required"),
        ("/v2/authorize-user", {"userId": "u", "permissions": ["*"]}, "permissions"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {"*": ["room:admin"]}}, "room:admin"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {"*": []}}, "at least one"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {"a*b": ["*:read"]}}, "a*b"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {"x" * 129: ["*:read"]}}, "pattern"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {f"r{i}": ["*:read"] for i in range(11)}}, "at most 10"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {}, "userInfo": "Alice"}, "userInfo"),
        ("/v2/authorize-user", {"userId": "u", "permissions": {}, "organizationId": ""}, "organizationId"),
        ("/v2/authorize-user", "userId", "Request body"),
        ("/v2/identify-user", {}, "userId is required"),
        ("/v2/identify-user", {"userId": ""}, "userId"),
        ("/v2/identify-user", {"userId": "u", "groupIds": "eng"}, "groupIds"),
        ("/v2/identify-user", {"userId": "u", "groupIds": [1]}, "groupIds"),
        ("/v2/identify-user", {"userId": "u", "userInfo": 3}, "userInfo"),
        ("/v2/identify-user", {"userId": "u", "organizationId": 3}, "organizationId"),
        ("/v2/rooms/r/authorize", {"userId": ""}, "userId"),
        ("/v2/rooms/r/authorize", {"userId": "u", "groupIds": [None]}, "groupIds"),
        ("/v2/rooms/r/authorize", {"userId": "u", "userInfo": []}, "userInfo"),
        ("/v2/rooms/r/authorize", [], "Request body"),
    ],
)
def test_validation_is_422_naming_the_field(http: httpx.Client, path: str, body: Any, words: str) -> None:
    create_room(http, "r", defaultAccesses=["room:write"])
    assert words in error(http.post(path, json=body), 422)


def test_the_python_sdk_error_shape_is_kept(http: httpx.Client) -> None:
    response = http.post("/v2/identify-user", json={})
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) <= {"error", "message", "suggestion"}


# ------------------------------------------------------------------ fuzz

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=15,
)
token_keys = st.sampled_from(["userId", "groupIds", "userInfo", "organizationId", "permissions", "publicApiKey"])
permission = st.sampled_from(["room:write", "*:read", "storage:none", "bogus", ""])
plausible = st.dictionaries(
    token_keys,
    json_values
    | st.just("u")
    | st.just(PUBLIC_KEY)
    | st.lists(st.text(max_size=5), max_size=3)
    | st.dictionaries(st.text(max_size=140), st.lists(permission, max_size=3) | json_values, max_size=12),
    max_size=6,
)
FUZZED = ["/v2/authorize-user", "/v2/identify-user", "/v2/rooms/{id}/authorize", "/v2/rooms/{id}/public/authorize"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(FUZZED), room_id=st.sampled_from(["open", "shut", "none", "a/b"]) | st.text(min_size=1, max_size=20),
       body=plausible | json_values, raw=st.booleans())
def test_no_input_breaks_a_token_endpoint(server: BackgroundServer, http: httpx.Client, path: str, room_id: str,
                                          body: Any, raw: bool) -> None:
    if "open" not in server.state.rooms:
        create_room(http, "open", defaultAccesses=["room:write"])
        create_room(http, "shut", usersAccesses={"u": ["room:read"]})
    url = path.replace("{id}", quote(room_id, safe=""))
    if raw:
        content = (body if isinstance(body, str) else repr(body)).encode("utf-8", "replace")
        response = http.post(url, content=content)
    else:
        response = http.post(url, json=body)
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        claims(server, response)
    else:
        error(response, response.status_code)
