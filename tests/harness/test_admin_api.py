"""The admin API under /_emulator/: reset, load fixtures, snapshot — and a reset's effect on clients."""

from __future__ import annotations

import httpx
import pytest

from emulator.server import BackgroundServer
from tests.realtime.wsclient import public

DOC = {
    "schemas": [{"name": "s", "body": "type Storage { n: number }"}],
    "rooms": [
        {"id": "one", "metadata": {"k": "v"}, "storage": {"liveblocksType": "LiveObject", "data": {"n": 1}},
         "schema": "s@1", "createdAt": "2025-01-01T00:00:00.000Z"},
        {"id": "two", "defaultAccesses": ["room:read"]},
    ],
}


def test_admin_endpoints_need_the_secret(anonymous_http: httpx.Client) -> None:
    for method, path in (("POST", "/_emulator/reset"), ("POST", "/_emulator/fixtures"),
                         ("GET", "/_emulator/snapshot")):
        assert anonymous_http.request(method, path).status_code == 401
        wrong = anonymous_http.request(method, path, headers={"Authorization": "Bearer sk_nope"})
        assert wrong.status_code == 403


def test_load_then_snapshot_then_reset_then_load(http: httpx.Client) -> None:
    assert http.post("/_emulator/fixtures", json=DOC).json() == {"rooms": 2, "schemas": 1}
    snapshot = http.get("/_emulator/snapshot").json()
    assert [room["id"] for room in snapshot["rooms"]] == ["one", "two"]
    assert snapshot["rooms"][0]["schema"] == "s@1"
    assert http.get("/v2/rooms/one/storage?format=json").json() == {"n": 1}
    assert http.post("/_emulator/reset").status_code == 204
    assert http.get("/v2/rooms").json()["data"] == []
    assert http.post("/_emulator/fixtures", json=snapshot).status_code == 200
    assert http.get("/_emulator/snapshot").json() == snapshot


def test_bad_document_is_422_and_loads_nothing(http: httpx.Client) -> None:
    bad = {"rooms": [{"id": "fine"}, {"id": "x", "storage": {"liveblocksType": "LiveMap", "data": {}}}]}
    response = http.post("/_emulator/fixtures", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "INVALID_FIXTURE" and "$.rooms[1].storage" in body["message"]
    assert body["path"] == "$.rooms[1].storage"
    assert http.get("/v2/rooms").json()["data"] == []
    assert http.post("/_emulator/fixtures", content=b"{").status_code == 400


def test_reset_disconnects_live_sessions(server: BackgroundServer, http: httpx.Client) -> None:
    with public(server.base_url, "live") as client:
        client.receive()
        assert http.post("/_emulator/reset").status_code == 204
        code, _ = client.close_code()
        assert code == 4999  # a new world: the client stops instead of merging old storage


@pytest.mark.parametrize("query", ["", "?empty=false"])
def test_reset_goes_back_to_startup_fixtures(server: BackgroundServer, http: httpx.Client, query: str) -> None:
    from emulator.fixture_files import FixtureSource

    state = server.state
    server.call(lambda: state.load_startup_fixtures([FixtureSource(DOC, "startup")]))
    try:
        http.delete("/v2/rooms/one")
        http.post("/v2/rooms", json={"id": "extra", "defaultAccesses": []})
        assert http.post("/_emulator/reset" + query).status_code == 204
        assert sorted(r["id"] for r in http.get("/v2/rooms").json()["data"]) == ["one", "two"]
        assert http.post("/_emulator/reset?empty=true").status_code == 204
        assert http.get("/v2/rooms").json()["data"] == []
    finally:
        server.call(lambda: state.set_startup_fixtures([]))
