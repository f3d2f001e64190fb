"""Where endpoints come from: command line, environment, fixtures, the admin API, the
pytest plugin; and what reset and snapshot do with them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
from liveblocks.models.create_room_request_body import CreateRoomRequestBody

from emulator.config import Config
from emulator.domain.fixtures import FixtureError
from emulator.fixture_files import FixtureSource
from emulator.pytest_plugin import LiveblocksEmulator
from emulator.server import BackgroundServer
from emulator.state import EmulatorState
from emulator.webhook_receiver import WebhookReceiver
from tests.webhooks.conftest import WEBHOOK_SECRET, add_endpoint


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emulator", "--port", "0", *args],
                          capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize(("args", "message"), [
    (["--webhook", "localhost:3000/hook"], "--webhook must be an http:// or https:// URL"),
    (["--webhook", "ftp://x/y"], "--webhook must be an http:// or https:// URL"),
    (["--webhook", "http://x:99999/"], "invalid port"),
    (["--webhook-secret", "whsec_wPbvQ+u3VtN2e2tRPDKchQ1tBZ3svaHLm"], "padding"),
    (["--webhook-secret", "secret"], "must be a string starting with 'whsec_'"),
    (["--webhook-throttle", "-1"], "--webhook-throttle"),
])
def test_bad_webhook_settings_exit_with_status_2(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_webhook_settings_from_the_environment_exit_with_status_2() -> None:
    result = run_cli(env={"LIVEBLOCKS_EMULATOR_WEBHOOK_SECRET": "nope"})
    assert result.returncode == 2 and "whsec_" in result.stderr


def start_cli(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str,
                                                                         list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--log-level", "warning", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})})
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"(http://\S+)", first)
    assert match, first
    lines = []
    expected = 1 + sum(arg == "--webhook" for arg in args) + ("--webhook-secret" not in args)
    expected += len((env or {}).get("LIVEBLOCKS_EMULATOR_WEBHOOK", "").split())
    for _ in range(expected - 1):
        lines.append(process.stdout.readline().strip())
    return process, match.group(1), lines


def test_a_generated_secret_is_printed_and_signs_what_the_cli_endpoint_gets() -> None:
    with WebhookReceiver(WEBHOOK_SECRET) as placeholder:
        process, url, lines = start_cli("--webhook", placeholder.url)
        try:
            [secret_line, sending] = lines
            secret = secret_line.rsplit(" ", 1)[1]
            assert secret.startswith("whsec_") and len(secret) == 38
            assert sending == f"Sending webhooks to {placeholder.url}"
            listed = httpx.get(url + "/_emulator/webhooks",
                               headers={"Authorization": "Bearer sk_localdev"}).json()
            assert listed["secret"] == secret
            assert [(e["url"], e["origin"]) for e in listed["data"]] == [
                (placeholder.url, "cli")]
        finally:
            process.terminate()
            process.wait(10)
    # The placeholder used another secret: a receiver with the printed one verifies.
    with WebhookReceiver(secret) as right:
        process, url, _ = start_cli("--webhook", right.url, "--webhook-secret", secret)
        try:
            httpx.post(url + "/v2/rooms", json={"id": "x", "defaultAccesses": []},
                       headers={"Authorization": "Bearer sk_localdev"})
            assert [e["type"] for e in right.wait_for(1)] == ["roomCreated"]
        finally:
            process.terminate()
            process.wait(10)


def test_environment_variables_give_urls_and_secret() -> None:
    with WebhookReceiver(WEBHOOK_SECRET) as one, WebhookReceiver(WEBHOOK_SECRET) as two:
        env = {"LIVEBLOCKS_EMULATOR_WEBHOOK": f"{one.url},{two.url}",
               "LIVEBLOCKS_EMULATOR_WEBHOOK_SECRET": WEBHOOK_SECRET}
        process, url, _ = start_cli(env=env)
        try:
            httpx.delete(url + "/v2/rooms/x", headers={"Authorization": "Bearer sk_localdev"})
            httpx.post(url + "/v2/rooms", json={"id": "x", "defaultAccesses": []},
                       headers={"Authorization": "Bearer sk_localdev"})
            assert [e["type"] for e in one.wait_for(1)] == ["roomCreated"]
            assert [e["type"] for e in two.wait_for(1)] == ["roomCreated"]
        finally:
            process.terminate()
            process.wait(10)


FIXTURE = {
    "rooms": [{"id": "seeded"}],
    "webhooks": [{"id": "wh_fixture", "url": "http://127.0.0.1:9/hook",
                  "subscribedEvents": ["roomDeleted"], "storageUpdatedThrottleSeconds": 0}],
}


def test_fixture_endpoints_load_come_back_on_reset_and_round_trip() -> None:
    state = EmulatorState(Config(webhook_secret=WEBHOOK_SECRET))
    state.load_startup_fixtures([FixtureSource(FIXTURE, "f.json")])
    # Loading a fixture creates no event (no roomCreated for "seeded").
    assert state.webhooks.dispatcher.deliveries == {}
    endpoint = state.webhooks.dispatcher.endpoints["wh_fixture"]
    assert endpoint.secret == WEBHOOK_SECRET and endpoint.subscribed_events == ("roomDeleted",)
    assert endpoint.storage_throttle_seconds == 0 and endpoint.ydoc_throttle_seconds == 60
    state.webhooks.dispatcher.remove("wh_fixture")
    state.reset()
    assert list(state.webhooks.dispatcher.endpoints) == ["wh_fixture"]
    snapshot = state.snapshot()
    assert snapshot["webhooks"] == [{
        "id": "wh_fixture", "url": "http://127.0.0.1:9/hook", "secret": WEBHOOK_SECRET,
        "subscribedEvents": ["roomDeleted"], "storageUpdatedThrottleSeconds": 0,
        "yDocUpdatedThrottleSeconds": 60, "disabled": False}]
    again = EmulatorState(Config())
    again.load([FixtureSource(snapshot, "snapshot")])
    assert again.snapshot()["webhooks"] == snapshot["webhooks"]
    state.reset(to_fixtures=False)
    assert state.webhooks.dispatcher.endpoints == {}


@pytest.mark.parametrize(("entry", "path", "reason"), [
    ({"url": "nope"}, "$.webhooks[0]", "url must be an http:// or https:// URL"),
    ({"url": "http://h/", "secret": "whsec_x"}, "$.webhooks[0]", "secret"),
    ({"url": "http://h/", "subscribedEvents": ["roomUpdated"]}, "$.webhooks[0]",
     "'roomUpdated' is not a webhook event type"),
    ({"url": "http://h/", "storageUpdatedThrottleSeconds": -1}, "$.webhooks[0]",
     "between 0 and"),
    ({"url": "http://h/", "throttle": 1}, "$.webhooks[0]", "unknown field 'throttle'"),
])
def test_bad_fixture_endpoints_are_named(entry: dict[str, Any], path: str, reason: str) -> None:
    state = EmulatorState(Config())
    with pytest.raises(FixtureError) as raised:
        state.load([FixtureSource({"rooms": [{"id": "r"}], "webhooks": [entry]}, "f.json")])
    assert raised.value.path == path and reason in raised.value.reason
    assert len(state.rooms) == 0  # all or nothing


def test_a_duplicate_fixture_endpoint_id_is_refused_before_loading() -> None:
    state = EmulatorState(Config())
    state.load([FixtureSource(FIXTURE, "a.json")])
    with pytest.raises(FixtureError) as raised:
        state.load([FixtureSource({"rooms": [{"id": "other"}], "webhooks": FIXTURE["webhooks"]},
                                  "b.json")])
    assert raised.value.path == "$.webhooks[0].id"
    assert "other" not in state.rooms


def test_the_admin_api_adds_lists_and_removes(
    wh_server: BackgroundServer, api: httpx.Client
) -> None:
    added = add_endpoint(api, "http://127.0.0.1:9/a", id="mine",
                         subscribedEvents=["userEntered"])
    assert added["id"] == "mine" and added["secret"] == WEBHOOK_SECRET
    assert added["origin"] == "api" and added["storageUpdatedThrottleSeconds"] == 0
    taken = api.post("/_emulator/webhooks", json={"id": "mine", "url": "http://h/"})
    assert taken.status_code == 409
    listing = api.get("/_emulator/webhooks").json()
    assert listing["secret"] == WEBHOOK_SECRET and [e["id"] for e in listing["data"]] == ["mine"]
    assert api.get("/_emulator/webhooks/mine").json() == added
    for bad in ({}, {"url": 3}, {"url": "http://h/", "secret": "s"}, {"url": "http://h/",
                "id": "deliveries"}, [1]):
        response = api.post("/_emulator/webhooks", json=bad)
        assert response.status_code == 422, (bad, response.text)
    assert api.get("/_emulator/webhooks/deliveries", params={"status": "x"}).status_code == 422
    assert api.delete("/_emulator/webhooks/mine").status_code == 204
    assert api.get("/_emulator/webhooks/mine").status_code == 404
    # An admin endpoint is gone after a reset.
    add_endpoint(api, "http://127.0.0.1:9/b")
    wh_server.call(lambda: wh_server.state.reset(to_fixtures=False))
    assert api.get("/_emulator/webhooks").json()["data"] == []


def test_the_pytest_plugin_receiver(wh_server: BackgroundServer) -> None:
    emulator = LiveblocksEmulator(wh_server)
    receiver = emulator.webhook_receiver(subscribedEvents=["roomCreated"])
    try:
        body = CreateRoomRequestBody.from_dict({"id": "p", "defaultAccesses": []})
        emulator.client().create_room(body=body)
        [event] = receiver.wait_for(1)
        assert event["type"] == "roomCreated" and event["data"]["roomId"] == "p"
    finally:
        receiver.stop()


def test_cmd_gets_the_webhook_secret_in_its_environment() -> None:
    result = run_cli("--webhook-secret", WEBHOOK_SECRET, "-c",
                     'echo "secret=$LIVEBLOCKS_WEBHOOK_SECRET"')
    assert result.returncode == 0, result.stderr
    assert f"secret={WEBHOOK_SECRET}" in result.stdout


def test_deliveries_pending_at_a_stop_are_listed() -> None:
    with socket.socket() as closed:  # a port nobody listens on: the delivery keeps retrying
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    process, url, _ = start_cli("--webhook", dead, "--webhook-secret", WEBHOOK_SECRET)
    try:
        httpx.post(url + "/v2/rooms", json={"id": "x", "defaultAccesses": []},
                   headers={"Authorization": "Bearer sk_localdev"})
        wait_for_attempt(url)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "1 webhook deliveries were still pending and are not sent:" in stderr
    assert f"roomCreated -> {dead} (1 attempts)" in stderr


def wait_for_attempt(url: str) -> None:
    for _ in range(500):
        listing = httpx.get(url + "/_emulator/webhooks/deliveries",
                            headers={"Authorization": "Bearer sk_localdev"}).json()["data"]
        if listing and listing[0]["attempts"]:
            return
        time.sleep(0.02)
    raise AssertionError("no attempt was made")


def test_pending_deliveries_are_kept_in_the_state_file_and_sent_after_a_restart(
    tmp_path: Any,
) -> None:
    state_file = str(tmp_path / "state.json")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    process, url, _ = start_cli("--webhook", dead, "--webhook-secret", WEBHOOK_SECRET,
                                "--state", state_file)
    try:
        httpx.post(url + "/v2/rooms", json={"id": "kept", "defaultAccesses": []},
                   headers={"Authorization": "Bearer sk_localdev"})
        wait_for_attempt(url)
        [pending] = httpx.get(url + "/_emulator/webhooks/deliveries",
                              headers={"Authorization": "Bearer sk_localdev"}).json()["data"]
    finally:
        process.terminate()
        process.communicate(timeout=10)
    with WebhookReceiver(WEBHOOK_SECRET) as receiver:
        # The same --webhook position (endpoint wh_cli_1), now reachable.
        process, url, _ = start_cli("--webhook", receiver.url, "--webhook-secret",
                                    WEBHOOK_SECRET, "--state", state_file)
        try:
            [event] = receiver.wait_for(1)
        finally:
            process.terminate()
            process.communicate(timeout=10)
    assert receiver.requests[0].webhook_id == pending["id"]
    assert receiver.requests[0].body == pending["body"]
    assert event["type"] == "roomCreated" and event["data"]["roomId"] == "kept"
