"""/_emulator/clock and /_emulator/faults over HTTP and through the Python SDK, the pytest
plugin's helpers, and what a reset undoes. No test waits for wall time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from liveblocks import Liveblocks
from liveblocks.errors import LiveblocksError

from emulator.domain.clock import parse_iso
from emulator.domain.errors import InvalidInput
from emulator.pytest_plugin import LiveblocksEmulator
from emulator.server import BackgroundServer
from tests.faults.admin import fault

FROZEN_AT = "2030-01-01T00:00:00.000Z"


@pytest.fixture
def emulator(server: BackgroundServer) -> Iterator[LiveblocksEmulator]:
    yield LiveblocksEmulator(server)


def clock(http: httpx.Client, **body: Any) -> dict[str, Any]:
    response = http.post("/_emulator/clock", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


# ------------------------------------------------------------------ clock


def test_freeze_set_advance_and_back_to_real_time(http: httpx.Client) -> None:
    real = http.get("/_emulator/clock").json()
    assert real["frozen"] is False and abs(real["offsetMs"]) < 1000
    frozen = clock(http, frozen=True, now=FROZEN_AT)
    assert frozen["iso"] == FROZEN_AT and frozen["frozen"] is True
    assert clock(http, advanceSeconds=90.5)["iso"] == "2030-01-01T00:01:30.500Z"
    assert http.get("/_emulator/clock").json()["iso"] == "2030-01-01T00:01:30.500Z"
    running = clock(http, frozen=False)
    assert running["frozen"] is False and running["now"] >= parse_iso(FROZEN_AT)
    back = http.delete("/_emulator/clock").json()
    assert back["frozen"] is False and abs(back["offsetMs"]) < 1000


def test_rooms_and_tokens_made_while_frozen_carry_the_emulators_time(
    http: httpx.Client,
) -> None:
    clock(http, frozen=True, now=FROZEN_AT)
    room = http.post("/v2/rooms", json={"id": "frozen-room", "defaultAccesses": []}).json()
    assert room["createdAt"] == FROZEN_AT
    token = http.post("/v2/authorize-user", json={
        "userId": "alice", "permissions": {"*": ["room:write"]}}).json()["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iat"] == parse_iso(FROZEN_AT) // 1000
    assert claims["exp"] == claims["iat"] + 3600


def test_a_rest_presence_expires_when_the_clock_passes_its_ttl(http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "agents", "defaultAccesses": []})
    clock(http, frozen=True)
    response = http.post("/v2/rooms/agents/presence",
                         json={"userId": "agent", "data": {"typing": True}, "ttl": 60})
    assert response.status_code == 204
    users = lambda: http.get("/v2/rooms/agents/active_users").json()["data"]  # noqa: E731
    assert [user["id"] for user in users()] == ["agent"]
    clock(http, advanceSeconds=59)
    assert [user["id"] for user in users()] == ["agent"]
    clock(http, advanceSeconds=2)
    assert users() == []


@pytest.mark.parametrize("body, words", [
    ({"advanceSeconds": -1}, "advanceSeconds"),
    ({"now": "yesterday"}, "ISO-8601"),
    ({"now": -5}, "1970"),
    ({"frozen": "yes"}, "frozen"),
    ({"speed": 2}, "Unknown field"),
])
def test_bad_clock_requests_are_422(http: httpx.Client, body: dict[str, Any], words: str
                                    ) -> None:
    before = http.get("/_emulator/clock").json()
    response = http.post("/_emulator/clock", json=body)
    assert response.status_code == 422
    assert words in response.json()["message"]
    assert http.get("/_emulator/clock").json()["frozen"] == before["frozen"]


# ------------------------------------------------------------------ REST faults


def test_the_python_sdk_gets_429_with_retry_after_then_succeeds(
    http: httpx.Client, sdk: Liveblocks
) -> None:
    http.post("/v2/rooms", json={"id": "limited", "defaultAccesses": []})
    added = fault(http, kind="rest", method="GET", path="/v2/rooms/*", status=429,
                  retryAfter=7, times=2)
    assert added["id"].startswith("fault-") and added["times"] == 2
    raw = http.get("/v2/rooms/limited")
    assert raw.status_code == 429 and raw.headers["retry-after"] == "7"
    assert raw.json()["error"] == "TOO_MANY_REQUESTS"
    with pytest.raises(LiveblocksError) as caught:
        sdk.get_room("limited")
    assert caught.value.status == 429
    assert "Injected fault" in str(caught.value)
    assert sdk.get_room("limited").id == "limited"  # the two failures are spent
    # Other paths and methods were never touched.
    assert http.get("/v2/rooms").status_code == 200


def test_a_seeded_failure_rate_gives_the_same_sequence_every_time(http: httpx.Client) -> None:
    def sequence() -> list[int]:
        added = fault(http, kind="rest", method="GET", path="/v2/rooms", status=503,
                      probability=0.5, seed=42)
        statuses = [http.get("/v2/rooms").status_code for _ in range(24)]
        assert http.delete(f"/_emulator/faults/{added['id']}").status_code == 204
        return statuses

    first = sequence()
    assert set(first) == {200, 503}
    assert sequence() == first


def test_latency_only_faults_let_the_request_through(http: httpx.Client) -> None:
    fault(http, kind="rest", path="/v2/rooms", latencyMs=5, jitterMs=5, seed=1)
    assert http.get("/v2/rooms").status_code == 200
    assert http.get("/_emulator/faults").json()["data"][0]["latencyMs"] == 5


@pytest.mark.parametrize("body, words", [
    ({"kind": "flood"}, "Unknown fault kind"),
    ({"kind": "rest", "path": "/v2/rooms", "latencyMs": -1}, "latencyMs"),
    ({"kind": "rest", "path": "/v2/nothing/*", "status": 500}, "matches none"),
    ({"kind": "rest", "method": "DELETE", "path": "/v2/rooms", "status": 500}, "matches none"),
    ({"kind": "rest", "path": "/_emulator/reset", "status": 500}, "admin API"),
    ({"kind": "rest", "path": "/v2/rooms", "status": 200}, "status"),
    ({"kind": "rest", "path": "/v2/rooms"}, "needs a status"),
    ({"kind": "rest", "path": "/v2/rooms", "status": 500, "probability": 1.5}, "probability"),
    ({"kind": "rest", "path": "/v2/rooms", "status": 500, "times": 0}, "times"),
    ({"kind": "ws-latency", "roomId": "r", "latencyMs": 100, "direction": "up"}, "direction"),
    ({"kind": "ws-latency", "roomId": "r"}, "latencyMs is required"),
    ({"kind": "ws-drop", "roomId": "r", "code": 1006}, "close code"),
    ({"kind": "ws-drop"}, "needs a roomId"),
    ({"kind": "ws-drop", "roomId": "nobody-here"}, "No live connection"),
    ({"kind": "ws-pause", "roomId": "r", "extra": 1}, "Unknown field"),
    ([1, 2], "JSON object"),
])
def test_bad_faults_are_422_and_change_nothing(http: httpx.Client, body: Any, words: str
                                               ) -> None:
    response = http.post("/_emulator/faults", json=body)
    assert response.status_code == 422, response.text
    assert words in response.json()["message"]
    assert http.get("/_emulator/faults").json() == {"data": []}


def test_removing_an_unknown_fault_is_404(http: httpx.Client) -> None:
    response = http.delete("/_emulator/faults/fault-999")
    assert response.status_code == 404 and response.json()["error"] == "FAULT_NOT_FOUND"


def test_reset_undoes_faults_and_the_clock(http: httpx.Client) -> None:
    clock(http, frozen=True, now=FROZEN_AT)
    fault(http, kind="rest", path="/v2/rooms", status=500)
    fault(http, kind="ws-pause", roomId="*")
    assert http.get("/v2/rooms").status_code == 500
    assert http.post("/_emulator/reset").status_code == 204
    assert http.get("/_emulator/faults").json() == {"data": []}
    assert http.get("/v2/rooms").status_code == 200
    assert http.get("/_emulator/clock").json()["frozen"] is False


# ------------------------------------------------------------------ pytest plugin helpers


def test_plugin_clock_and_fault_helpers(emulator: LiveblocksEmulator, http: httpx.Client
                                        ) -> None:
    emulator.clock.freeze(at=FROZEN_AT)
    assert emulator.clock.now() == parse_iso(FROZEN_AT)
    fired: list[int] = []
    emulator.call(lambda state: state.call_later(30, lambda: fired.append(state.clock())))
    emulator.clock.advance(29)
    assert fired == []
    emulator.clock.advance(1)  # the timer has fired by the time advance returns
    assert fired == [parse_iso(FROZEN_AT) + 30_000]
    emulator.clock.set("2031-01-01T00:00:00Z")
    assert emulator.clock.info()["iso"] == "2031-01-01T00:00:00.000Z"

    fault_id = emulator.faults.rest("/v2/rooms", method="GET", status=503, times=1)
    assert http.get("/v2/rooms").status_code == 503
    assert http.get("/v2/rooms").status_code == 200
    pause_id = emulator.faults.pause("doc-*", direction="outgoing")
    assert [f["id"] for f in emulator.faults.list()] == [fault_id, pause_id]
    emulator.faults.resume(pause_id)
    assert emulator.faults.restart_server() == 0
    with pytest.raises(InvalidInput, match="No live connection"):
        emulator.faults.drop_room("nobody")
    with pytest.raises(InvalidInput, match="matches none"):
        emulator.faults.rest("/nowhere", status=500)
    emulator.reset()
    assert emulator.faults.list() == [] and emulator.clock.info()["frozen"] is False


def test_every_store_reads_the_one_clock(server: BackgroundServer) -> None:
    state = server.state
    stores = [state.rooms, state.schemas, state.groups, state.inbox]
    assert all(store._clock is state.clock for store in stores)
