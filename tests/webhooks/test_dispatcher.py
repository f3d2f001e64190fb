"""The dispatcher alone, on a fake clock: throttle windows, retry schedule, replay, removal.

Delays go through an injected ``call_later`` (as the emulator's ``state.call_later``); here
it records them and the test fires them, so no test waits for time to pass.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from emulator.domain.webhook_delivery import (
    BACKLOG_CHUNK,
    BACKLOG_MAX,
    BACKLOG_RECHECK_SECONDS,
    RETRY_DELAYS_SECONDS,
    AttemptResult,
    DeliverySettings,
    WebhookDispatcher,
)
from emulator.domain.webhook_endpoints import WebhookEndpoint
from tests.isolated_loop import run_isolated
from tests.webhooks.conftest import WEBHOOK_SECRET, Timer


class Harness:
    def __init__(self, statuses: list[int | None] | None = None, **settings: Any) -> None:
        self.now = 1_700_000_000_000
        self.timers: list[Timer] = []
        self.sent: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.statuses = list(statuses or [])
        self.dispatcher = WebhookDispatcher(lambda: self.now, self.later,
                                            DeliverySettings(**settings), self.transport)

    def later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(delay, callback)
        self.timers.append(timer)
        return timer

    async def transport(self, url: str, headers: dict[str, str], body: bytes,
                        timeout: float) -> AttemptResult:
        self.sent.append((url, headers, json.loads(body)))
        status = self.statuses.pop(0) if self.statuses else 200
        return AttemptResult(status, 1.0, error=None if status else "refused")

    def endpoint(self, **fields: Any) -> WebhookEndpoint:
        endpoint = WebhookEndpoint(id=fields.pop("id", "wh_1"), url="http://h/",
                                   secret=WEBHOOK_SECRET, created_ms=self.now, **fields)
        self.dispatcher.add(endpoint)
        return endpoint

    def fire(self) -> list[float]:
        """Fire the pending timers (not cancelled); their delays."""
        due = [t for t in self.timers if not t.cancelled]
        self.timers = []
        for timer in due:
            timer.callback()
        return [t.delay for t in due]


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def storage(room: str, at: str) -> dict[str, Any]:
    return {"roomId": room, "updatedAt": at}


def test_throttle_windows_per_room_and_type() -> None:
    async def scenario() -> None:
        h = Harness()
        h.endpoint(storage_throttle_seconds=60, ydoc_throttle_seconds=5)
        for n in range(100):
            h.dispatcher.on_event("storageUpdated", storage("a", f"t{n:03}"))
        h.dispatcher.on_event("storageUpdated", storage("b", "b0"))
        h.dispatcher.on_event("ydocUpdated", storage("a", "y0"))
        h.dispatcher.on_event("ydocUpdated", storage("a", "y1"))
        await settle()
        assert [(e["type"], e["data"]["updatedAt"]) for _, _, e in h.sent] == [
            ("storageUpdated", "t000"), ("storageUpdated", "b0"), ("ydocUpdated", "y0")]
        assert sorted(t.delay for t in h.timers) == [5, 60, 60]
        h.fire()  # windows close: the last held event of each goes, a new window opens
        await settle()
        assert [(e["type"], e["data"]["updatedAt"]) for _, _, e in h.sent[3:]] == [
            ("storageUpdated", "t099"), ("ydocUpdated", "y1")]
        h.fire()  # nothing held: the windows just close
        await settle()
        assert len(h.sent) == 5 and h.timers == [] and not h.dispatcher.throttling

    run_isolated(scenario())


def test_a_zero_throttle_sends_every_change() -> None:
    async def scenario() -> None:
        h = Harness()
        h.endpoint(storage_throttle_seconds=0)
        for n in range(5):
            h.dispatcher.on_event("storageUpdated", storage("a", str(n)))
        await settle()
        assert len(h.sent) == 5 and h.timers == []

    run_isolated(scenario())


def test_the_retry_schedule_is_liveblocks_one_scaled() -> None:
    async def scenario() -> None:
        h = Harness(statuses=[500, 302, None, 404, 500, 500, 500, 500], retry_scale=0.5)
        h.endpoint()
        h.dispatcher.on_event("roomCreated", {"roomId": "r", "createdAt": "t"})
        delays = []
        for _ in range(10):
            await settle()
            delays += h.fire()
        [delivery] = h.dispatcher.deliveries.values()
        assert delays == [d * 0.5 for d in RETRY_DELAYS_SECONDS]
        assert len(h.sent) == 8 and delivery.status == "failed"
        assert {headers["webhook-id"] for _, headers, _ in h.sent} == {delivery.id}
        # Replay: a fresh round, same id.
        h.dispatcher.replay(delivery)
        await settle()
        assert delivery.status == "delivered" and len(delivery.attempts) == 9
        assert h.sent[-1][1]["webhook-id"] == delivery.id

    run_isolated(scenario())


def test_abort_message_stops_retries() -> None:
    async def scenario() -> None:
        h = Harness()
        h.endpoint()

        async def aborting(*args: Any) -> AttemptResult:
            return AttemptResult(503, 1.0, abort=True)

        h.dispatcher.transport = aborting
        h.dispatcher.on_event("roomDeleted", {"roomId": "r", "deletedAt": "t"})
        await settle()
        [delivery] = h.dispatcher.deliveries.values()
        assert delivery.status == "failed" and h.timers == []

    run_isolated(scenario())


def test_removing_an_endpoint_stops_its_retries_and_windows() -> None:
    async def scenario() -> None:
        h = Harness(statuses=[500])
        h.endpoint(storage_throttle_seconds=10)
        h.dispatcher.on_event("storageUpdated", storage("a", "0"))
        h.dispatcher.on_event("storageUpdated", storage("a", "1"))
        await settle()
        h.dispatcher.remove("wh_1")
        assert all(t.cancelled for t in h.timers)
        [delivery] = h.dispatcher.deliveries.values()
        assert delivery.status == "failed" and len(h.sent) == 1

    run_isolated(scenario())


def test_disabled_and_filtered_endpoints_get_nothing() -> None:
    async def scenario() -> None:
        h = Harness()
        h.endpoint(id="off", disabled=True)
        h.endpoint(id="some", subscribed_events=("roomDeleted",))
        h.dispatcher.on_event("roomCreated", {"roomId": "r", "createdAt": "t"})
        h.dispatcher.on_event("roomDeleted", {"roomId": "r", "deletedAt": "t"})
        h.dispatcher.on_event("bogus", {"roomId": "r"})  # logged, never sent
        await settle()
        assert [(d.endpoint_id, d.type) for d in h.dispatcher.deliveries.values()] == [
            ("some", "roomDeleted")]

    run_isolated(scenario())


def test_the_log_keeps_the_newest_and_every_pending_delivery(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr("emulator.domain.webhook_delivery.MAX_LOGGED_DELIVERIES", 10)

    async def scenario() -> None:
        h = Harness()
        h.endpoint()
        for n in range(30):
            h.dispatcher.on_event("roomCreated", {"roomId": str(n), "createdAt": "t"})
            await settle()
        kept = list(h.dispatcher.deliveries.values())
        assert 10 <= len(kept) <= 11 and len(h.sent) == 30
        assert json.loads(kept[-1].body)["data"]["roomId"] == "29"

    run_isolated(scenario())


class Gauge:
    """A LoadGauge the test sets: saturated or not, and the discounted CPU time."""

    def __init__(self, saturated: bool) -> None:
        self.busy = saturated
        self.discounted = 0.0

    def saturated(self) -> bool:
        return self.busy

    def discount(self, seconds: float) -> None:
        self.discounted += seconds


def test_events_wait_while_the_loop_is_saturated_and_go_once_it_is_not() -> None:
    async def scenario() -> None:
        h = Harness()
        gauge = Gauge(saturated=True)
        h.dispatcher._load = gauge
        h.endpoint()
        for n in range(3):
            h.dispatcher.on_event("roomCreated", {"roomId": f"r{n}", "createdAt": "t"})
        await asyncio.sleep(BACKLOG_RECHECK_SECONDS * 2.5)
        assert h.sent == []  # held back: making and sending them would take REST's CPU
        gauge.busy = False
        await asyncio.sleep(BACKLOG_RECHECK_SECONDS * 1.5)
        await settle()
        assert [e["data"]["roomId"] for _, _, e in h.sent] == ["r0", "r1", "r2"]  # in order
        assert gauge.discounted > 0  # the work of making them is not counted as load

    run_isolated(scenario())


def test_reading_the_log_makes_the_deliveries_even_while_saturated() -> None:
    async def scenario() -> None:
        h = Harness()
        h.dispatcher._load = Gauge(saturated=True)
        h.endpoint()
        h.dispatcher.on_event("roomCreated", {"roomId": "r", "createdAt": "t"})
        assert [d.type for d in h.dispatcher.deliveries.values()] == ["roomCreated"]
        assert [d.type for d in h.dispatcher.pending()] == ["roomCreated"]

    run_isolated(scenario())


def test_a_backlog_at_its_bound_is_made_whatever_the_load() -> None:
    """Memory stays bounded under a load that never ends: the oldest are made."""
    async def scenario() -> None:
        h = Harness()
        h.dispatcher._load = Gauge(saturated=True)
        h.endpoint()
        for n in range(BACKLOG_MAX + 10):
            h.dispatcher.on_event("roomCreated", {"roomId": f"r{n}", "createdAt": "t"})
        await settle()
        assert len(h.dispatcher._backlog) == BACKLOG_MAX + 10 - BACKLOG_CHUNK
        assert h.sent[0][2]["data"]["roomId"] == "r0"

    run_isolated(scenario())


def test_a_reset_drops_the_backlog_with_what_was_pending() -> None:
    async def scenario() -> None:
        h = Harness()
        h.dispatcher._load = Gauge(saturated=True)
        endpoint = h.endpoint()
        h.dispatcher.on_event("roomCreated", {"roomId": "old world", "createdAt": "t"})
        h.dispatcher.reset_to([endpoint])
        h.dispatcher._load = Gauge(saturated=False)
        await settle()
        assert h.sent == [] and h.dispatcher.deliveries == {}

    run_isolated(scenario())
