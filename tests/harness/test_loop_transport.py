"""The plugin's in-process transport answers what uvicorn answers over the socket, byte for byte.

Every request is sent twice, once over loopback and once in process, from the same
state (reset between, clock frozen): status, reason, HTTP version, raw headers (date
included: both come from uvicorn's list) and body must be equal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import LiveblocksEmulator
from emulator.server import BackgroundServer

AUTH = {"Authorization": "Bearer sk_localdev"}


@pytest.fixture(scope="module")
def emulator() -> Iterator[LiveblocksEmulator]:
    with BackgroundServer() as server:
        emulator = LiveblocksEmulator(server)
        try:
            yield emulator
        finally:
            emulator.close()


def both(emulator: LiveblocksEmulator, method: str, url: str,
         **kwargs: Any) -> tuple[httpx.Response, httpx.Response]:
    """The same request from the same state over the socket, then in process (again
    if a second ticked in between: the date header would differ)."""
    for _ in range(5):
        answers = []
        for over_socket in (True, False):
            emulator.reset()
            emulator.clock.freeze("2026-01-01T00:00:00Z")
            http = emulator.client(over_socket=over_socket)._client
            answers.append(http.request(method, url, **kwargs))
        if answers[0].headers["date"] == answers[1].headers["date"]:
            break
    return answers[0], answers[1]


def wire(response: httpx.Response) -> tuple[Any, ...]:
    return (response.status_code, response.reason_phrase, response.http_version,
            response.headers.raw, response.content)


REQUESTS = [
    ("GET", "/v2/rooms", {}),
    ("GET", "/v2/rooms?limit=1&metadata.a=b%20c", {}),
    ("GET", "/v2/rooms?limit=x", {}),
    ("POST", "/v2/rooms", {"json": {"id": "r 1", "defaultAccesses": ["room:write"]}}),
    ("POST", "/v2/rooms", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("POST", "/v2/rooms/r%201", {"json": {"metadata": {"a": "b"}}}),
    ("GET", "/v2/rooms/no-such-room", {}),
    ("DELETE", "/v2/rooms/no-such-room", {}),
    ("GET", "/v2/no/such/route", {}),
    ("HEAD", "/health", {}),
    ("GET", "/health", {"headers": {"Connection": "close"}}),
    ("GET", "/v2/rooms", {"headers": {"Authorization": "Bearer sk_wrong"}}),
]


@pytest.mark.parametrize(("method", "url", "kwargs"), REQUESTS,
                         ids=[f"{m} {u}" for m, u, _ in REQUESTS])
def test_same_bytes_as_the_socket(emulator: LiveblocksEmulator, method: str, url: str,
                                  kwargs: dict[str, Any]) -> None:
    over_socket, in_process = both(emulator, method, url, **kwargs)
    assert wire(in_process) == wire(over_socket)


def test_a_room_round_trip_through_the_sdk_is_the_same(emulator: LiveblocksEmulator) -> None:
    """Create, then read storage of, a room: what the SDK parses is equal too."""
    from liveblocks.models.create_room_request_body import CreateRoomRequestBody

    results = []
    for over_socket in (True, False):
        emulator.reset()
        emulator.clock.freeze("2026-01-01T00:00:00Z")
        client = emulator.client(over_socket=over_socket)
        created = client.create_room(body=CreateRoomRequestBody.from_dict(
            {"id": "doc", "defaultAccesses": []}))
        results.append((created.to_dict(), [room.to_dict() for room in client.get_rooms().data]))
    assert results[0] == results[1]


async def app_that_misbehaves(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """No length (chunked), a failure before answering (uvicorn's 500), a body echo."""
    path = scope["path"]
    if path == "/fail":
        raise ValueError("boom")
    if path == "/silent":
        return
    body = (await receive())["body"]
    await send({"type": "http.response.start", "status": 201,
                "headers": [(b"X-Mixed-Case", b"yes"), (b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"echo:", "more_body": True})
    await send({"type": "http.response.body", "body": body + scope["query_string"]})


@pytest.mark.parametrize("path", ["/fail", "/silent", "/echo?q=1", "/echo"])
@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
def test_what_uvicorn_adds_is_added(method: str, path: str) -> None:
    server = BackgroundServer()
    server.app = app_that_misbehaves  # type: ignore[assignment]
    with server:
        emulator = LiveblocksEmulator(server)
        try:
            for _ in range(5):  # again if a second ticked in between (the date header)
                answers = [wire(emulator.client(over_socket=over_socket)._client.request(
                    method, path, content=b"payload")) for over_socket in (True, False)]
                if answers[0][3][0] == answers[1][3][0]:
                    break
            assert answers[0] == answers[1]
        finally:
            emulator.close()


def test_a_client_that_gives_up_is_a_closed_connection(
    emulator: LiveblocksEmulator, caplog: pytest.LogCaptureFixture,
) -> None:
    """A read timeout raises httpx.ReadTimeout; the app runs on and finds the client
    gone when it reads the body, as over a socket: the room is never made."""
    caplog.set_level(logging.INFO)
    for over_socket in (True, False):
        emulator.reset()
        caplog.clear()
        emulator.faults.rest("/v2/rooms", method="POST", latency_ms=2000)
        http = emulator.client(over_socket=over_socket)._client
        with pytest.raises(httpx.ReadTimeout):
            http.post("/v2/rooms", json={"id": "late", "defaultAccesses": []}, timeout=0.05)
        deadline = time.monotonic() + 60
        while not any("Client went away" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "the request never finished"
            time.sleep(0.05)
        assert [room["id"] for room in emulator.snapshot()["rooms"]] == []
        assert not [r for r in caplog.records if r.exc_info]  # no traceback for it


def test_other_origins_go_over_the_network(emulator: LiveblocksEmulator) -> None:
    """A client pointed at another address leaves the emulator's app alone."""
    emulator.reset()
    http = emulator.client()._client
    port = int(emulator.base_url.rsplit(":", 1)[1])
    http.base_url = httpx.URL(f"http://localhost:{port}")  # the same server, by socket
    assert http.get("/v2/rooms").json()["data"] == []
    with pytest.raises(httpx.ConnectError):
        http.get("http://127.0.0.1:9/v2/rooms")  # nothing listens on the discard port


def test_the_quick_client_sends_what_httpx_sends() -> None:
    """The SDK clients' httpx.Client (emulator/sdk_clients.py) caches merged URLs (with
    their query parameters) and
    skips the cookie jar for responses without cookies: the requests it sends, and
    the cookies it keeps, are those of a plain httpx.Client."""
    from emulator.sdk_clients import QuickClient

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cookie"):
            return httpx.Response(200, headers={"set-cookie": "session=abc; Path=/"})
        return httpx.Response(200, json={"ok": True})

    sent: dict[str, list[tuple[Any, ...]]] = {}
    for kind in (httpx.Client, QuickClient):
        seen = sent[kind.__name__] = []

        def record(request: httpx.Request, seen: list[tuple[Any, ...]] = seen) -> httpx.Response:
            seen.append((request.method, str(request.url), request.headers.raw, request.read()))
            return answer(request)

        for _ in range(2):  # the second time from the cache
            http = kind(base_url=httpx.URL("http://127.0.0.1:1234/base"),
                        headers={"Authorization": "Bearer x"},
                        transport=httpx.MockTransport(record), trust_env=False)
            http.get("/v2/rooms/a%20b", params={"limit": 2, "q": "é"})
            # Parameters that leave no query text, and a URL with a query of its own.
            http.get("/v2/rooms?x=1", params={})
            http.get("/v2/rooms?x=1", params={"a": []})
            http.get("/v2/rooms?x=1", params={"a": ["1", "2"]})
            http.get("/v2/rooms", params=[("b", "1"), ("b", "2")])
            http.post("v2/rooms", json={"id": "x"})
            http.get("http://127.0.0.1:1234/absolute?x=1")
            http.get("/cookie")
            http.get("/after-cookie")
            http.base_url = "http://127.0.0.1:1234/other/"
            http.get("/v2/rooms")
            seen.append(("cookies", dict(http.cookies)))
    assert sent["QuickClient"] == sent["Client"]
    assert ("cookies", {"session": "abc"}) in sent["Client"]
