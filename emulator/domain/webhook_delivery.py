"""Delivering webhook events: filter, throttle, sign, send, retry, and keep a log.

Listens to the event bus (``on_event``). Each endpoint gets its own copy of an event
(its own ``webhook-id``, kept across retries and replays) and its own queue, whose
attempts start in order (one at a time, or a window of them when the transport keeps the
order of requests to one URL itself), so first attempts reach an endpoint in the order
events happened.
Sending goes through an injected ``Transport`` (HTTP lives outside the domain); every
delay — throttle windows, retries — goes through ``call_later`` (the emulator's clock).

What the serving loop pays per event is kept small (issue 15: REST with an endpoint ≥
0.9× without): the deliveries of an event are made on a later loop turn, and while an
injected ``LoadGauge`` says the loop is saturated, events wait in a backlog and
attempts go one at a time per endpoint (the transport's ``ordered_window``).

Success is any 2xx. Anything else (3xx, 4xx, 5xx, timeout, refused connection) is retried
on Liveblocks' schedule (WEBHOOKS.md §3.2), unless the answer carries
``webhook-delivery: abort-message``; after the last attempt the delivery is ``failed`` and
can be replayed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, Literal, NamedTuple, Protocol

from .clock import Clock, format_ms, parse_iso
from .errors import InvalidInput
from .webhook_endpoints import WebhookEndpoint
from .webhook_events import EVENT_TYPES, THROTTLED, UnknownEvent, webhook_payload
from .webhook_signing import new_message_id, serialize_event, signature_header

logger = logging.getLogger("emulator.webhooks")

# Delay before each retry, after the first (immediate) attempt: 5 s, 5 min, 30 min, 2 h,
# 5 h, 10 h, 10 h -> 8 attempts in all (Liveblocks' documented schedule).
RETRY_DELAYS_SECONDS = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
DEFAULT_TIMEOUT_SECONDS = 15.0  # what Svix allows an endpoint
DEFAULT_PROJECT_ID = "liveblocks-emulator"
EXCERPT_CHARS = 500
MAX_LOGGED_DELIVERIES = 10_000

Status = Literal["pending", "delivered", "failed"]


class Cancellable(Protocol):
    def cancel(self) -> None: ...


CallLater = Callable[[float, Callable[[], None]], Cancellable]


# AttemptResult and Attempt are named tuples of plain values: the garbage collector stops
# tracking such tuples, and the delivery log holds up to 10,000 deliveries whose tracked
# objects every full collection would walk (issue 15: REST with an endpoint ≥ 0.9×).
class AttemptResult(NamedTuple):
    """What one POST gave: a status (None if no answer), the start of the body, or an error."""

    status: int | None
    duration_ms: float
    excerpt: str = ""
    error: str | None = None
    abort: bool = False  # the answer said `webhook-delivery: abort-message`


# (url, headers, body, timeout in seconds) -> the outcome; never raises.
Transport = Callable[[str, dict[str, str], bytes, float], Awaitable[AttemptResult]]
# A transport may also have ``submit(url, headers, body, timeout, done)``, which hands the
# request over and returns; ``done(outcome)`` is called later on the loop (never from
# within ``submit``). Attempts then run without a task and a coroutine chain each, on the
# serving loop's budget (issue 15: REST with an endpoint ≥ 0.9× without).
Submit = Callable[[str, dict[str, str], str, float, Callable[[AttemptResult], None]], None]
# Told of each attempt once the delivery log holds it (the dashboard follows deliveries).
Attempted = Callable[["Delivery", AttemptResult], None]


class LoadGauge(Protocol):
    """How busy the serving loop is (emulator/loop_load.py): events wait while it is."""

    def saturated(self) -> bool: ...

    def discount(self, seconds: float) -> None:
        """Time the caller spent on deferred work: not counted as the loop's load."""


# Events not yet made into deliveries, while the serving loop is saturated: checked again
# every BACKLOG_RECHECK_SECONDS; made BACKLOG_CHUNK per loop turn once it is not (or once
# BACKLOG_MAX wait, whatever the load).
BACKLOG_RECHECK_SECONDS = 0.025
BACKLOG_CHUNK = 500
BACKLOG_MAX = 100_000


class Attempt(NamedTuple):
    timestamp: int  # the webhook-timestamp sent (seconds)
    started_ms: int
    result: AttemptResult

    def to_json(self) -> dict[str, Any]:
        return {
            "startedAt": format_ms(self.started_ms),
            "webhookTimestamp": self.timestamp,
            "durationMs": round(self.result.duration_ms, 3),
            "statusCode": self.result.status,
            "error": self.result.error,
            "responseExcerpt": self.result.excerpt,
        }


@dataclass(slots=True)
class Delivery:
    """One event for one endpoint; its id is the ``webhook-id`` of every attempt."""

    id: str
    endpoint_id: str
    url: str
    type: str
    body: str
    created_ms: int
    status: Status = "pending"
    attempts: tuple[Attempt, ...] = ()  # a tuple of untracked tuples: untracked itself
    # Attempts since the event was made or last replayed: the retry schedule counts these.
    round_attempts: int = 0
    next_attempt_ms: int | None = None
    retry_timer: Cancellable | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "endpointId": self.endpoint_id,
            "url": self.url,
            "type": self.type,
            "status": self.status,
            "createdAt": format_ms(self.created_ms),
            "nextAttemptAt": None if self.next_attempt_ms is None
            else format_ms(self.next_attempt_ms),
            "attempts": [attempt.to_json() for attempt in self.attempts],
            "body": self.body,
        }


SAVED_FIELDS = ("id", "endpointId", "type", "body", "createdAt")


def saved_delivery(delivery: Delivery) -> dict[str, Any]:
    """A pending delivery as a state file keeps it (sent again after a restart)."""
    entry = delivery.to_json()
    return {key: entry[key] for key in SAVED_FIELDS}


def parse_saved_delivery(entry: Any, urls: dict[str, str] | None = None) -> Delivery:
    """A delivery from a state file's ``webhookDeliveries`` (InvalidInput naming the field)."""
    if not isinstance(entry, dict) or set(entry) != set(SAVED_FIELDS):
        raise InvalidInput(f"a saved delivery is an object with exactly {', '.join(SAVED_FIELDS)}")
    if not all(isinstance(entry[key], str) for key in SAVED_FIELDS):
        raise InvalidInput("the fields of a saved delivery are strings")
    if not entry["id"].startswith("msg_") or entry["type"] not in EVENT_TYPES:
        raise InvalidInput("a saved delivery needs a msg_ id and a webhook event type")
    try:
        created = parse_iso(entry["createdAt"])
    except ValueError:
        raise InvalidInput("createdAt must be an ISO-8601 date") from None
    url = (urls or {}).get(entry["endpointId"], "")
    return Delivery(entry["id"], entry["endpointId"], url, entry["type"], entry["body"], created)


@dataclass(slots=True)
class DeliverySettings:
    project_id: str = DEFAULT_PROJECT_ID
    # Multiplies every retry delay: 0.001 turns 5 s into 5 ms for tests.
    retry_scale: float = 1.0
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


@dataclass(slots=True)
class _Window:
    """A throttle window of one (endpoint, room, type): the latest event it held back."""

    timer: Cancellable
    held: dict[str, Any] | None = None


class WebhookDispatcher:
    def __init__(
        self, clock: Clock, call_later: CallLater, settings: DeliverySettings,
        transport: Transport | None = None, attempted: Attempted | None = None,
        load: LoadGauge | None = None,
    ) -> None:
        self._clock = clock
        self._call_later = call_later
        self.settings = settings
        self.transport = transport  # (a property: what it offers is looked up once)
        self._attempted = attempted
        self._load = load
        # Events heard and not yet made into deliveries (made on the next loop turn, or
        # later while the loop is saturated): (type, payload data). Plain values only,
        # which the garbage collector stops tracking; the endpoints are those of when the
        # event happened, as a change of endpoints makes the backlog first.
        self._backlog: deque[tuple[str, dict[str, Any]]] = deque()
        self._draining: asyncio.Handle | asyncio.TimerHandle | None = None
        self.endpoints: dict[str, WebhookEndpoint] = {}
        # The endpoints that want each event type (every event asks): cleared whenever
        # the endpoints change (endpoints are replaced, never changed in place).
        self._wanting: dict[str, tuple[WebhookEndpoint, ...]] = {}
        self._deliveries: dict[str, Delivery] = {}
        self._queues: dict[str, deque[Delivery]] = {}
        # Attempts handed to the transport and not answered yet, per endpoint; the tasks.
        self._in_flight: dict[str, int] = {}
        self._trim_at = 0  # the log's length beyond which it is trimmed (0: the default)
        self._attempts: set[asyncio.Task[None]] = set()
        self._windows: dict[tuple[str, str, str], _Window] = {}
        # Bumped by every reset: what happened before it (a client of the old world
        # leaving after the reset) is not reported into the new one.
        self.epoch = 0

    @property
    def deliveries(self) -> dict[str, Delivery]:
        """The delivery log, by webhook id (every event heard so far is in it)."""
        self._drain_all()
        return self._deliveries

    @property
    def transport(self) -> Transport | None:
        return self._transport

    @transport.setter
    def transport(self, transport: Transport | None) -> None:
        self._transport = transport
        self._windowed = hasattr(transport, "ordered_window")  # read on every start: it may vary
        self._submit_to: Submit | None = getattr(transport, "submit", None)

    # ------------------------------------------------------------ endpoints

    def add(self, endpoint: WebhookEndpoint) -> None:
        self._drain_all()  # what happened before it is not for it
        self.endpoints[endpoint.id] = endpoint
        self._wanting.clear()

    def remove(self, endpoint_id: str) -> WebhookEndpoint | None:
        """Forget an endpoint; its pending attempts stop (as Liveblocks does)."""
        self._drain_all()  # its events heard so far are made, then stopped with the rest
        endpoint = self.endpoints.pop(endpoint_id, None)
        if endpoint is None:
            return None
        self._wanting.clear()
        for key in [key for key in self._windows if key[0] == endpoint_id]:
            self._windows.pop(key).timer.cancel()
        self._queues.pop(endpoint_id, None)
        for delivery in self._deliveries.values():
            if delivery.endpoint_id == endpoint_id and delivery.status == "pending":
                self._stop(delivery, "failed")
        return endpoint

    def reset_to(self, endpoints: list[WebhookEndpoint]) -> None:
        """Only these endpoints, no log, nothing pending (the emulator's reset)."""
        for window in self._windows.values():
            window.timer.cancel()
        self._windows.clear()
        for delivery in self._deliveries.values():
            if delivery.retry_timer is not None:
                delivery.retry_timer.cancel()
        self._deliveries.clear()
        self._backlog.clear()
        self._trim_at = 0  # the log's length beyond which it is trimmed (0: the default)
        self._queues.clear()
        self.endpoints = {endpoint.id: endpoint for endpoint in endpoints}
        self._wanting.clear()
        self.epoch += 1

    # ------------------------------------------------------------ events

    def on_event(self, type: str, data: dict[str, Any]) -> None:
        """An event-bus listener: one delivery per endpoint that wants the event.

        The event's payload is taken now; the deliveries are made on the next loop turn
        (reading ``deliveries`` makes them at once), or, while the serving loop is
        saturated, once it is not: making and sending them never takes REST's or
        WebSocket's throughput (issue 15). Nothing is lost: a reset drops the backlog
        as it drops what is pending, a snapshot or a read makes it first."""
        if not self._wanting_of(type):
            return
        try:
            payload = webhook_payload(type, data, self.settings.project_id)
        except UnknownEvent as error:
            logger.warning("Not sent as a webhook: %s", error)
            return
        self._backlog.append((type, payload["data"]))
        if self._draining is None:
            try:
                self._draining = asyncio.get_running_loop().call_soon(self._drain)
            except RuntimeError:  # no loop yet (a state file being loaded): now
                self._drain_all()

    def _wanting_of(self, type: str) -> tuple[WebhookEndpoint, ...]:
        wanting = self._wanting.get(type)
        if wanting is None:
            wanting = self._wanting[type] = () if type.startswith("emulator.") else tuple(
                endpoint for endpoint in self.endpoints.values() if endpoint.wants(type))
        return wanting

    def _drain(self) -> None:
        """Make the backlog's deliveries, a chunk per loop turn, unless the loop is busy."""
        self._draining = None
        if not self._backlog:
            return
        loop = asyncio.get_running_loop()
        load = self._load
        if load is not None and load.saturated() and len(self._backlog) < BACKLOG_MAX:
            self._draining = loop.call_later(BACKLOG_RECHECK_SECONDS, self._drain)
            return
        started = time.monotonic()  # the thread is runnable throughout: ran or waited
        for _ in range(min(BACKLOG_CHUNK, len(self._backlog))):
            self._make(*self._backlog.popleft())
        if load is not None:
            load.discount(time.monotonic() - started)
        if self._backlog:
            self._draining = loop.call_soon(self._drain)

    def _drain_all(self) -> None:
        while self._backlog:
            self._make(*self._backlog.popleft())

    def _make(self, type: str, data: dict[str, Any]) -> None:
        body = serialize_event({"type": type, "data": data})
        for endpoint in self._wanting_of(type):
            if type in THROTTLED:
                self._throttle(endpoint, type, str(data["roomId"]), body)
            else:
                self._create(endpoint, type, body)

    def _throttle(self, endpoint: WebhookEndpoint, type: str, room_id: str, body: str) -> None:
        """First event of a window goes now; the last one held back goes when it ends."""
        key = (endpoint.id, room_id, type)
        window = self._windows.get(key)
        if window is not None:
            window.held = {"body": body}
            return
        self._create(endpoint, type, body)
        seconds = endpoint.throttle_seconds(type)
        if seconds > 0:
            self._windows[key] = _Window(self._call_later(seconds, lambda: self._close(key)))

    def _close(self, key: tuple[str, str, str]) -> None:
        window = self._windows.pop(key, None)
        endpoint = self.endpoints.get(key[0])
        if window is None or window.held is None or endpoint is None:
            return
        if endpoint.wants(key[2]):
            self._throttle(endpoint, key[2], key[1], window.held["body"])

    def _create(self, endpoint: WebhookEndpoint, type: str, body: str) -> Delivery:
        delivery = Delivery(new_message_id(), endpoint.id, endpoint.url, type, body,
                            self._clock())
        self._deliveries[delivery.id] = delivery
        self._trim_log()
        self._enqueue(delivery)
        return delivery

    def _trim_log(self) -> None:
        # In batches of a tenth: trimming walks the log, it must not do so on every event.
        # Pending deliveries stay; when they alone overfill the log, the next trim waits
        # for another tenth (else every event would walk a log it cannot shorten).
        trim_at = max(self._trim_at, MAX_LOGGED_DELIVERIES * 11 // 10)
        if len(self._deliveries) <= trim_at:
            return
        excess = len(self._deliveries) - MAX_LOGGED_DELIVERIES
        finished = (d.id for d in self._deliveries.values() if d.status != "pending")
        for delivery_id in list(islice(finished, excess)):
            del self._deliveries[delivery_id]
        self._trim_at = len(self._deliveries) + MAX_LOGGED_DELIVERIES // 10

    # ------------------------------------------------------------ sending

    def replay(self, delivery: Delivery) -> None:
        """Send it again now, same ``webhook-id``, with a fresh retry schedule."""
        if delivery.retry_timer is not None:
            delivery.retry_timer.cancel()
            delivery.retry_timer = None
        delivery.status = "pending"
        delivery.round_attempts = 0
        delivery.next_attempt_ms = None
        self._enqueue(delivery)

    def _enqueue(self, delivery: Delivery) -> None:
        delivery.retry_timer = None
        if self._deliveries.get(delivery.id) is not delivery or delivery.status != "pending":
            return
        if delivery.endpoint_id not in self.endpoints:
            return
        queue = self._queues.get(delivery.endpoint_id)
        if queue is None:
            queue = self._queues[delivery.endpoint_id] = deque()
        queue.append(delivery)
        self._start_worker(delivery.endpoint_id)

    def _start_worker(self, endpoint_id: str) -> None:
        """Start the endpoint's next attempts, in queue order, while its window has room.

        A transport with an ``ordered_window`` of N makes the requests to one URL one after
        the other itself (the delivery process does): up to N attempts are handed to it
        before the first answer, so the round trip to it does not bound the rate.
        Otherwise one attempt at a time. Each finished attempt starts the next (no task
        waits on a queue).
        """
        queue = self._queues.get(endpoint_id)
        if not queue or self._transport is None:
            return
        window = max(1, self._transport.ordered_window) if self._windowed else 1  # type: ignore[attr-defined]
        if self._in_flight.get(endpoint_id, 0) >= window:
            return  # (under load, the window is full: most events stop here)
        submit = self._submit_to
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not serving yet (a state file being loaded): start() sends it
        while queue and self._in_flight.get(endpoint_id, 0) < window:
            self._in_flight[endpoint_id] = self._in_flight.get(endpoint_id, 0) + 1
            delivery = queue.popleft()
            if submit is not None:
                self._submit(delivery, submit)
                continue
            attempt = loop.create_task(self._attempt_logged(delivery))
            self._attempts.add(attempt)
            attempt.add_done_callback(partial(self._task_done, endpoint_id))

    def _task_done(self, endpoint_id: str, attempt: asyncio.Task[None]) -> None:
        self._attempts.discard(attempt)
        self._attempt_done(endpoint_id)

    def _attempt_done(self, endpoint_id: str) -> None:
        left = self._in_flight.pop(endpoint_id, 1) - 1
        if left:
            self._in_flight[endpoint_id] = left
        self._start_worker(endpoint_id)

    def start(self) -> None:
        """On the serving loop, once it runs: send what was queued before (state files)."""
        for endpoint_id, queue in list(self._queues.items()):
            if queue:
                self._start_worker(endpoint_id)

    def restore(self, delivery: Delivery) -> None:
        """A pending delivery saved by an earlier run: same id, sent from its first attempt."""
        self._deliveries[delivery.id] = delivery
        self._enqueue(delivery)

    async def _attempt_logged(self, delivery: Delivery) -> None:
        try:
            await self._attempt(delivery)
        except Exception:  # a bug of ours: log it, keep the queue moving
            logger.exception("Webhook delivery %s failed unexpectedly", delivery.id)

    async def _attempt(self, delivery: Delivery) -> None:
        request = self._request(delivery)
        if request is None or self.transport is None:
            return
        url, headers, timestamp, started = request
        result = await self.transport(url, headers, delivery.body.encode(),
                                      self.settings.timeout_seconds)
        self._record(delivery, timestamp, started, result)

    def _submit(self, delivery: Delivery, submit: Submit) -> None:
        """One attempt through ``submit``: its outcome is recorded when ``done`` is called."""
        request = self._request(delivery)
        if request is None:
            self._attempt_done(delivery.endpoint_id)
            return
        url, headers, timestamp, started = request

        def done(result: AttemptResult) -> None:
            try:
                self._record(delivery, timestamp, started, result)
            except Exception:  # a bug of ours: log it, keep the queue moving
                logger.exception("Webhook delivery %s failed unexpectedly", delivery.id)
            self._attempt_done(delivery.endpoint_id)

        submit(url, headers, delivery.body, self.settings.timeout_seconds, done)

    def _request(self, delivery: Delivery) -> tuple[str, dict[str, str], int, int] | None:
        """URL, headers, webhook-timestamp and start time of the next attempt (None: its
        endpoint is gone)."""
        # No status check: a replay may be queued while an earlier attempt was in flight.
        endpoint = self.endpoints.get(delivery.endpoint_id)
        if endpoint is None:
            return None
        now = self._clock()
        timestamp = now // 1000
        headers = {
            "content-type": "application/json",
            "user-agent": "liveblocks-emulator",
            "webhook-id": delivery.id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header([endpoint.secret], delivery.id, timestamp,
                                                  delivery.body),
        }
        delivery.next_attempt_ms = None
        return endpoint.url, headers, timestamp, now

    def _record(self, delivery: Delivery, timestamp: int, started: int,
                result: AttemptResult) -> None:
        """The attempt's outcome: logged, then delivered, failed or retried later."""
        delivery.attempts = (*delivery.attempts, Attempt(timestamp, started, result))
        delivery.round_attempts += 1
        try:
            if self._deliveries.get(delivery.id) is delivery:  # not reset or trimmed meanwhile
                self._settle(delivery, result)
        finally:
            if self._attempted is not None:
                self._attempted(delivery, result)

    def _settle(self, delivery: Delivery, result: AttemptResult) -> None:
        if result.status is not None and 200 <= result.status < 300:
            self._stop(delivery, "delivered")
        elif result.abort or delivery.round_attempts > len(RETRY_DELAYS_SECONDS):
            self._stop(delivery, "failed")
            logger.warning("Webhook %s (%s) to %s failed after %d attempts", delivery.id,
                           delivery.type, delivery.url, delivery.round_attempts)
        else:
            delay = RETRY_DELAYS_SECONDS[delivery.round_attempts - 1] * self.settings.retry_scale
            delivery.next_attempt_ms = self._clock() + round(delay * 1000)
            delivery.retry_timer = self._call_later(delay, lambda: self._enqueue(delivery))

    def _stop(self, delivery: Delivery, status: Status) -> None:
        delivery.status = status
        delivery.next_attempt_ms = None
        if delivery.retry_timer is not None:
            delivery.retry_timer.cancel()
            delivery.retry_timer = None

    @property
    def throttling(self) -> bool:
        """Whether a throttle window is open (an event may still come out of it)."""
        self._drain_all()
        return bool(self._windows)

    def pending(self) -> list[Delivery]:
        return [d for d in self.deliveries.values() if d.status == "pending"]
