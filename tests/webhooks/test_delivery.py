"""Delivery from REST changes: what arrives, retries, replay, filters, throttling, failures.

Every event is verified by the Python SDK's WebhookHandler in the receiver; the emulator's
retry delays are scaled by 0.00001 (conftest), so a whole retry schedule runs in about a second.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import httpx

from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.webhooks.conftest import WEBHOOK_SECRET, add_endpoint, deliveries


def types(events: list[dict[str, Any]]) -> list[str]:
    return [event["type"] for event in events]


def test_rooms_created_and_deleted_over_rest(api: httpx.Client, receiver: WebhookReceiver) -> None:
    add_endpoint(api, receiver.url)
    assert api.post("/v2/rooms", json={"id": "a", "defaultAccesses": []}).status_code == 200
    # Finding the room is not creating it: no second roomCreated.
    assert api.post("/v2/rooms?idempotent=true", json={"id": "a", "defaultAccesses": []}
                    ).status_code == 200
    assert api.post("/v2/rooms/b/upsert", json={"update": {}}).status_code == 200
    assert api.post("/v2/rooms/b/upsert", json={"update": {}}).status_code == 200
    assert api.delete("/v2/rooms/a").status_code == 204
    assert api.delete("/v2/rooms/a").status_code == 204  # nothing to delete: no event
    events = receiver.wait_for(3)
    assert types(events) == ["roomCreated", "roomCreated", "roomDeleted"]
    assert [e["data"]["roomId"] for e in events] == ["a", "b", "a"]
    assert list(events[0]["data"]) == ["projectId", "roomId", "createdAt"]
    assert api.get("/v2/rooms/b").json()["createdAt"] == events[1]["data"]["createdAt"]


def test_every_rest_storage_write_is_reported(
    api: httpx.Client, receiver: WebhookReceiver
) -> None:
    api.post("/v2/rooms", json={"id": "s", "defaultAccesses": []})
    add_endpoint(api, receiver.url, storageUpdatedThrottleSeconds=0)
    lson = {"liveblocksType": "LiveObject", "data": {"n": 1}}
    assert api.post("/v2/rooms/s/storage", json=lson).status_code == 200
    assert api.patch("/v2/rooms/s/storage/json-patch",
                     json=[{"op": "replace", "path": "/n", "value": 2}]).status_code == 200
    # A patch that only tests changes nothing: no event.
    assert api.patch("/v2/rooms/s/storage/json-patch",
                     json=[{"op": "test", "path": "/n", "value": 2}]).status_code == 200
    op = {"type": 3, "opId": "9:0", "id": "root", "data": {"n": 3}}
    assert api.post("/v2/rooms/s/send-message",
                    json={"messages": [{"type": 201, "ops": [op]}]}).status_code == 200
    assert api.delete("/v2/rooms/s/storage").status_code == 200
    events = receiver.wait_for(4)
    assert types(events) == ["storageUpdated"] * 4
    assert all(list(e["data"]) == ["roomId", "projectId", "updatedAt"] for e in events)
    assert {e["data"]["roomId"] for e in events} == {"s"}


def test_throttling_coalesces_a_burst_into_two_events(
    wh_server: BackgroundServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    api.post("/v2/rooms", json={"id": "t", "defaultAccesses": []})
    add_endpoint(api, receiver.url, storageUpdatedThrottleSeconds=1)
    # 100 storage changes in one request (mutateStorage's send-message).
    messages = [{"type": 201, "ops": [{"type": 3, "opId": f"9:{i}", "id": "root",
                                        "data": {"n": i}}]} for i in range(100)]
    assert api.post("/v2/rooms/t/send-message", json={"messages": messages}).status_code == 200
    # The first change goes at once, the last one when the window closes; nothing after.
    events = receiver.wait_for(2)
    assert types(events) == ["storageUpdated", "storageUpdated"]
    assert events[0]["data"]["updatedAt"] <= events[1]["data"]["updatedAt"]
    # Once the second window has closed too, still two.
    wait(lambda: not wh_server.call(lambda: wh_server.state.webhooks.dispatcher.throttling))
    assert len(deliveries(api, type="storageUpdated")) == 2


def test_an_event_filter_sends_only_what_it_names(
    api: httpx.Client, receiver: WebhookReceiver
) -> None:
    add_endpoint(api, receiver.url, subscribedEvents=["roomDeleted"])
    with WebhookReceiver(WEBHOOK_SECRET) as everything:
        add_endpoint(api, everything.url)
        api.post("/v2/rooms", json={"id": "f", "defaultAccesses": []})
        api.delete("/v2/rooms/f")
        assert types(everything.wait_for(2)) == ["roomCreated", "roomDeleted"]
    assert types(receiver.wait_for(1)) == ["roomDeleted"]
    assert len(deliveries(api)) == 3


def test_failures_are_retried_with_the_same_webhook_id(api: httpx.Client) -> None:
    with WebhookReceiver(WEBHOOK_SECRET, statuses=[500, 500]) as flaky:
        endpoint = add_endpoint(api, flaky.url)
        api.post("/v2/rooms", json={"id": "r", "defaultAccesses": []})
        requests = flaky.wait_until(lambda got: len(got) == 3)
    assert [r.status for r in requests] == [500, 500, 200]
    assert len({r.webhook_id for r in requests}) == 1
    assert all(r.event is not None for r in requests)  # each attempt is signed anew
    stamps = [int(r.headers["webhook-timestamp"]) for r in requests]
    assert stamps == sorted(stamps)
    wait(lambda: deliveries(api)[0]["status"] == "delivered")
    [delivery] = deliveries(api, endpointId=endpoint["id"])
    assert delivery["id"] == requests[0].webhook_id
    assert delivery["status"] == "delivered"
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 200]
    assert delivery["type"] == "roomCreated" and delivery["nextAttemptAt"] is None


def test_a_delivery_can_be_replayed(api: httpx.Client, receiver: WebhookReceiver) -> None:
    add_endpoint(api, receiver.url)
    api.post("/v2/rooms", json={"id": "r", "defaultAccesses": []})
    receiver.wait_for(1)
    [delivery] = deliveries(api)
    replayed = api.post(f"/_emulator/webhooks/deliveries/{delivery['id']}/replay")
    assert replayed.status_code == 200
    requests = receiver.wait_until(lambda got: len(got) == 2)
    assert [r.webhook_id for r in requests] == [delivery["id"]] * 2
    assert requests[0].body == requests[1].body
    # The receiver answers before the emulator records the answer: wait for the record.
    wait(lambda: len(deliveries(api)[0]["attempts"]) == 2)
    after = api.get(f"/_emulator/webhooks/deliveries/{delivery['id']}").json()
    assert [a["statusCode"] for a in after["attempts"]] == [200, 200]
    assert after["status"] == "delivered"
    missing = api.post("/_emulator/webhooks/deliveries/msg_nope/replay")
    assert missing.status_code == 404 and missing.json()["error"] == "DELIVERY_NOT_FOUND"


def test_a_wrong_secret_fails_at_the_receiver_and_is_recorded(
    wh_server: BackgroundServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    add_endpoint(api, receiver.url, secret="whsec_" + "A" * 32)
    api.post("/v2/rooms", json={"id": "w", "defaultAccesses": []})
    # All 8 attempts are refused by the SDK ("Invalid signature"), then the delivery fails.
    requests = receiver.wait_until(lambda got: len(got) == 8)
    assert all(r.event is None and "Invalid signature" in (r.error or "") for r in requests)
    delivery = wait_status(api, "failed")
    assert [a["statusCode"] for a in delivery["attempts"]] == [400] * 8


def wait(condition: Callable[[], Any], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def wait_status(api: httpx.Client, status: str) -> dict[str, Any]:
    """The only delivery, once it has this status."""
    wait(lambda: deliveries(api)[0]["status"] == status)
    return deliveries(api)[0]


def test_an_unreachable_endpoint_is_retried_and_the_emulator_keeps_serving(
    api: httpx.Client,
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    add_endpoint(api, f"http://127.0.0.1:{port}/hook")
    api.post("/v2/rooms", json={"id": "u", "defaultAccesses": []})
    assert api.get("/health").status_code == 200
    delivery = wait_status(api, "failed")
    assert len(delivery["attempts"]) == 8
    assert all(a["statusCode"] is None and a["error"] for a in delivery["attempts"])


def test_a_slow_endpoint_times_out(wh_server: BackgroundServer, api: httpx.Client) -> None:
    settings = wh_server.state.webhooks.dispatcher.settings
    wh_server.call(lambda: setattr(settings, "timeout_seconds", 0.2))
    try:
        with WebhookReceiver(WEBHOOK_SECRET, delay_seconds=1) as slow:
            add_endpoint(api, slow.url, subscribedEvents=["roomCreated"])
            api.post("/v2/rooms", json={"id": "slow", "defaultAccesses": []})
            assert api.get("/v2/rooms/slow").status_code == 200
            delivery = wait_status_of_first_attempt(api)
            assert "timed out" in delivery["attempts"][0]["error"]
            wh_server.call(lambda: wh_server.state.webhooks.dispatcher.reset_to([]))
    finally:
        wh_server.call(lambda: setattr(settings, "timeout_seconds", 15.0))


def wait_status_of_first_attempt(api: httpx.Client) -> dict[str, Any]:
    wait(lambda: deliveries(api)[0]["attempts"])
    return deliveries(api)[0]


def test_a_removed_endpoint_gets_nothing_more(
    api: httpx.Client, receiver: WebhookReceiver
) -> None:
    endpoint = add_endpoint(api, receiver.url)
    assert api.delete(f"/_emulator/webhooks/{endpoint['id']}").status_code == 204
    api.post("/v2/rooms", json={"id": "gone", "defaultAccesses": []})
    assert deliveries(api) == []
    assert api.delete(f"/_emulator/webhooks/{endpoint['id']}").status_code == 404
