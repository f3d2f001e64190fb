"""Clock control and injected faults, as the real clients see them (Node scripts in
tests/node, the official SDKs). Nothing here waits for wall time: the tests advance the
emulator's clock or inject the fault, and the clients react."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.config import Config
from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script
from tests.nodejs import run_node

TOKEN_TTL = 20  # below the client's 30 s cache margin: it asks for a new token every time


@pytest.fixture
def twenty_second_tokens() -> Iterator[BackgroundServer]:
    with BackgroundServer(Config(port=0, log_level="warning", token_ttl_seconds=TOKEN_TTL)) \
            as server:
        yield server


def test_advancing_the_clock_expires_a_live_token(twenty_second_tokens: BackgroundServer) -> None:
    # Frozen: however slow the machine, only the test's advance can expire the token.
    twenty_second_tokens.call(twenty_second_tokens.state.clock.freeze)
    out = run_script(twenty_second_tokens, "e2e_token_expiry.mjs", ROOM="clock-expiry",
                     ADVANCE_SECONDS=str(TOKEN_TTL + 1))
    assert out["clock"]["frozen"] is True
    # Closed with 4109, a new token from the auth endpoint, connected again.
    assert out["statuses"][:3] == ["connected", "reconnecting", "connected"]
    assert out["authCalls"] > out["authCallsBefore"]
    assert out["doc"]["data"]["log"]["data"] == ["before expiry", "after expiry"]
    assert out["rest"] == out["doc"]
    assert out["errors"] == []


def test_a_dropped_client_reconnects_and_its_offline_edits_arrive_once(
    server: BackgroundServer,
) -> None:
    out = run_script(server, "e2e_faults.mjs", ROOM="faults-drop", SCENARIO="drop")
    assert out["dropped"] == {"kind": "ws-drop", "dropped": 1}
    log = out["items"]
    assert sorted(log) == ["a-offline-1", "a-offline-2", "a-online", "b-meanwhile"]
    assert log.index("a-offline-1") < log.index("a-offline-2")
    assert out["rest"] == out["doc"]
    assert out["statusesA"][:3] == ["connected", "reconnecting", "connected"]
    assert "reconnecting" not in out["statusesB"]
    assert out["errors"] == []


def test_a_server_restart_closes_every_socket_and_keeps_the_state(
    server: BackgroundServer,
) -> None:
    out = run_script(server, "e2e_faults.mjs", ROOM="faults-restart", SCENARIO="restart")
    assert out["restarted"] == {"kind": "server-restart", "dropped": 2}
    assert out["doc"]["data"]["log"]["data"] == ["before restart", "after restart"]
    assert out["rest"] == out["doc"]
    for statuses in (out["statusesA"], out["statusesB"]):
        assert statuses[:3] == ["connected", "reconnecting", "connected"]
    assert out["errors"] == []


def test_latency_slows_a_room_without_breaking_it(server: BackgroundServer) -> None:
    out = run_script(server, "e2e_faults.mjs", ROOM="faults-latency", SCENARIO="latency")
    assert out["added"]["kind"] == "ws-latency" and out["added"]["id"].startswith("fault-")
    assert out["othersAtBob"][0]["presence"] == {"name": "alice", "cursor": {"x": 1}}
    assert [other["presence"]["name"] for other in out["othersAtAlice"]] == ["bob"]
    assert sorted(out["doc"]["data"]["log"]["data"]) == ["slow-1", "slow-2"]
    # A slow network, not a broken one: nobody reconnected.
    assert out["statusesA"] == ["connected"] and out["statusesB"] == ["connected"]
    assert out["errors"] == []


def test_a_paused_room_holds_frames_until_resumed(server: BackgroundServer) -> None:
    out = run_script(server, "e2e_faults.mjs", ROOM="faults-pause", SCENARIO="pause")
    assert out["held"]["heldFrames"] >= 1
    assert out["restWhilePaused"]["data"]["log"]["data"] == []
    assert out["doc"]["data"]["log"]["data"] == ["held"]
    assert out["rest"] == out["doc"]
    assert out["statusesA"] == ["connected"] and out["statusesB"] == ["connected"]


def test_the_node_sdk_gets_the_injected_429_then_the_room(server: BackgroundServer) -> None:
    out = run_node("faults_sdk.mjs", BASE_URL=server.base_url, ROOM="sdk-429")
    first, second, third = out["attempts"]
    assert first["status"] == 429 and second["status"] == 429
    assert "Injected fault: 429 Too Many Requests" in first["message"]
    assert third == {"ok": "sdk-429"}
