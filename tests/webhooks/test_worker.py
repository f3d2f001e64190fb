"""The delivery process (emulator/webhook_worker.py): order per endpoint through its window,
and nothing lost when it dies with requests in flight."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from emulator.webhook_worker_client import STOPPED
from tests.webhooks.conftest import WEBHOOK_SECRET, add_endpoint, deliveries


def wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.02)


def test_many_events_arrive_once_each_in_order(
    api: httpx.Client, receiver: WebhookReceiver
) -> None:
    add_endpoint(api, receiver.url, subscribedEvents=["roomCreated"])
    names = [f"room-{index:03}" for index in range(60)]  # more than the window of 16
    for name in names:
        assert api.post("/v2/rooms", json={"id": name, "defaultAccesses": []}).status_code \
            == 200
    events = receiver.wait_for(60)
    assert [event["data"]["roomId"] for event in events] == names
    assert len({r.webhook_id for r in receiver.requests}) == 60


def test_a_dead_delivery_process_loses_nothing(
    wh_server: BackgroundServer, api: httpx.Client
) -> None:
    with WebhookReceiver(WEBHOOK_SECRET, delay_seconds=0.5) as slow:
        add_endpoint(api, slow.url, subscribedEvents=["roomCreated"])
        api.post("/v2/rooms", json={"id": "first", "defaultAccesses": []})
        wait(lambda: len(slow.requests) == 1)  # the process runs and has sent it
        api.post("/v2/rooms", json={"id": "in-flight", "defaultAccesses": []})
        wait(lambda: len(slow.requests) == 1
             and wh_server.call(lambda: wh_server.state.webhooks.transport.in_flight) > 0)
        wh_server.call(lambda: wh_server.state.webhooks.transport.kill_for_tests())
        wait(lambda: all(d["status"] == "delivered" for d in deliveries(api)))
        attempts = {d["body"]: [a["error"] for a in d["attempts"]] for d in deliveries(api)}
        assert STOPPED in [error for errors in attempts.values() for error in errors]
        got = {event["data"]["roomId"] for event in slow.events()}
        assert got == {"first", "in-flight"}
    # The emulator keeps serving, with a new process.
    assert api.get("/v2/rooms/first").status_code == 200
