"""Issue 9's limits and security checks, one test (or a pointer to one) per item.

Covered elsewhere, by design next to the feature they guard:
- forged / tampered / alg:none / wrong-key / expired tokens on the WebSocket (the only path that
  takes a token): tests/realtime/test_token_admission.py; `verify_token`: tests/unit/test_tokens.py
- a private room cannot be entered with the public key, room full (4005):
  tests/realtime/test_protocol.py
- a read-only connection cannot change storage: tests/realtime/test_token_admission.py
- admin endpoints need the secret: tests/harness/test_admin_api.py
- ids and metadata limits at their boundaries: tests/api/test_room_limits.py
"""

from __future__ import annotations

import ast
import inspect
import pathlib

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from emulator.api import auth
from emulator.config import Config
from emulator.realtime import admission
from emulator.server import BackgroundServer
from tests.realtime.wsclient import public

ROOT = pathlib.Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ limits


def test_request_body_over_the_limit_is_413(http: httpx.Client) -> None:
    limit = Config().max_body_bytes
    response = http.post("/v2/rooms", content=b" " * (limit + 1),
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "PAYLOAD_TOO_LARGE" and response.json()["message"]
    assert http.get("/v2/rooms").json()["data"] == []


def test_chunked_body_over_the_limit_is_413(http: httpx.Client) -> None:
    limit = Config().max_body_bytes

    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = http.post("/v2/rooms", content=chunks())  # type: ignore[arg-type]
    assert response.status_code == 413


def test_body_limit_is_configurable() -> None:
    with BackgroundServer(Config(port=0, log_level="warning", max_body_bytes=100)) as server:
        response = httpx.post(server.base_url + "/v2/rooms", headers={
            "Authorization": "Bearer sk_localdev"}, json={"id": "x" * 200, "defaultAccesses": []})
        assert response.status_code == 413


def test_websocket_message_over_the_limit_closes_with_1009() -> None:
    config = Config(port=0, log_level="warning", max_message_bytes=10_000)
    with BackgroundServer(config) as server, public(server.base_url, "big") as client:
        client.receive()
        client.send_text('[{"type":103,"event":"' + "x" * 20_000 + '"}]')
        try:
            code, _ = client.close_code()
        except ConnectionClosed as closed:  # pragma: no cover - depends on timing
            code = closed.rcvd.code if closed.rcvd else None
        assert code == 1009


# ------------------------------------------------------------------ secret key


ROUTES_WITH_SECRET = [
    ("GET", "/v2/rooms"), ("POST", "/v2/rooms"), ("GET", "/v2/rooms/r"),
    ("DELETE", "/v2/rooms/r"), ("GET", "/v2/rooms/r/storage"), ("POST", "/v2/authorize-user"),
    ("POST", "/v2/schemas"), ("GET", "/_emulator/snapshot"), ("POST", "/_emulator/reset"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES_WITH_SECRET)
@pytest.mark.parametrize("name", ["secret", "key", "token", "authorization", "Authorization",
                                  "access_token", "apiKey"])
def test_the_secret_is_never_read_from_the_query_string(
    anonymous_http: httpx.Client, method: str, path: str, name: str
) -> None:
    value = "sk_localdev" if name != "authorization" else "Bearer sk_localdev"
    response = anonymous_http.request(method, path, params={name: value})
    assert response.status_code == 401


def _calls(function: object) -> set[str]:
    tree = ast.parse(inspect.getsource(function))  # type: ignore[arg-type]
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


def test_key_comparisons_are_constant_time() -> None:
    # Every comparison of a credential goes through hmac.compare_digest.
    assert "hmac.compare_digest" in _calls(auth.check_secret)
    assert "hmac.compare_digest" in _calls(admission._admit_public_key)
    for path in (ROOT / "emulator").rglob("*.py"):
        source = path.read_text()
        for needle in ("== config.secret_key", "== state.config.public_key",
                       "secret_key ==", "public_key =="):
            assert needle not in source, (path, needle)


# ------------------------------------------------------------------ binding


def test_the_server_binds_to_loopback_unless_told_otherwise() -> None:
    assert Config().host == "127.0.0.1"
    with BackgroundServer() as server:
        assert server.base_url.startswith("http://127.0.0.1:")


# ------------------------------------------------------------------ CORS


LOCAL_ORIGINS = ["http://localhost:3000", "http://127.0.0.1:5173", "http://localhost",
                 "https://localhost:8443", "http://[::1]:3000"]
OTHER_ORIGINS = ["https://evil.example", "http://localhost.evil.example", "null",
                 "http://192.168.1.10:3000"]


@pytest.mark.parametrize("origin", LOCAL_ORIGINS)
def test_local_browser_apps_may_call_the_public_endpoints(
    http: httpx.Client, anonymous_http: httpx.Client, origin: str
) -> None:
    http.post("/v2/rooms", json={"id": "open", "defaultAccesses": ["room:write"]})
    preflight = anonymous_http.options(
        "/v2/rooms/open/public/authorize",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-credentials" not in preflight.headers
    response = anonymous_http.post("/v2/rooms/open/public/authorize",
                                   json={"publicApiKey": "pk_localdev"},
                                   headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize("origin", OTHER_ORIGINS)
def test_other_origins_get_no_cors_headers(anonymous_http: httpx.Client, origin: str) -> None:
    preflight = anonymous_http.options(
        "/v2/rooms/open/public/authorize",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = anonymous_http.get("/health", headers={"Origin": origin})
    assert "access-control-allow-origin" not in response.headers


def test_secret_key_endpoints_get_no_cors_headers(http: httpx.Client) -> None:
    # A page must never hold the secret key: the browser refuses such calls.
    for method, path in ROUTES_WITH_SECRET:
        response = http.request(method, path, headers={"Origin": "http://localhost:3000"})
        assert "access-control-allow-origin" not in response.headers, (method, path)
    preflight = http.options("/v2/rooms", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


def test_no_response_combines_a_wildcard_origin_with_credentials(
    anonymous_http: httpx.Client,
) -> None:
    for path in ("/health", "/v2/rooms/x/public/authorize", "/v2/c/threads", "/v2/rooms"):
        response = anonymous_http.options(path, headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"})
        assert response.headers.get("access-control-allow-origin") != "*"
        assert response.headers.get("access-control-allow-credentials") is None
