"""The webhooks feature wired into one emulator: its secret, its endpoints (command line,
fixtures, admin API), and the dispatcher that listens to the event bus.

What is sent and how lives in the domain (``domain/webhook_*.py``); this module only
decides where endpoints come from and what a reset or a snapshot does with them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .config import Config
from .domain.errors import InvalidInput
from .domain.fixtures import Fixture, FixtureError
from .domain.webhook_delivery import (
    DeliverySettings,
    WebhookDispatcher,
    parse_saved_delivery,
    saved_delivery,
)
from .domain.webhook_endpoints import (
    MAX_THROTTLE_SECONDS,
    Origin,
    WebhookEndpoint,
    check_url,
    parse_endpoint,
)
from .domain.webhook_signing import InvalidSecret, check_secret, generate_secret
from .loop_load import LoopLoad
from .webhook_worker_client import WorkerTransport

if TYPE_CHECKING:
    from .state import EmulatorState

logger = logging.getLogger("emulator.webhooks")


ATTEMPTED = "emulator.webhookAttempted"


class Webhooks:
    def __init__(self, state: EmulatorState) -> None:
        config = state.config
        self._clock = state.clock
        # Generated when not given: the CLI prints it, handlers need it (§1.3).
        self.secret_generated = config.webhook_secret is None
        self.secret = config.webhook_secret or generate_secret()
        self.default_throttle = config.webhook_throttle_seconds
        # Requests are made by a process of their own (webhook_worker.py): their CPU is
        # not taken from the loop that serves REST and WebSocket clients.
        # How busy the serving loop is: deliveries are made and sent in its spare time.
        load = LoopLoad()
        self.transport = WorkerTransport(load)
        self.dispatcher = WebhookDispatcher(
            state.clock, state.call_later,
            DeliverySettings(retry_scale=config.webhook_retry_scale,
                             timeout_seconds=config.webhook_timeout_seconds),
            self.transport,
            # Told once the attempt is in the delivery log (the dashboard follows
            # deliveries with it; never a webhook: an ``emulator.`` type).
            lambda delivery, result: state.events.emit(
                ATTEMPTED, {"webhookId": delivery.id, "status": result.status}),
            load,
        )
        self._cli_urls = list(config.webhooks)
        self.dispatcher.reset_to(self._cli_endpoints())
        state.events.subscribe(self.dispatcher.on_event)

    def close(self) -> None:
        """Stop the delivery process (the server stopped; what is pending stays pending)."""
        self.transport.close()

    def endpoint(self, entry: Any, origin: Origin) -> WebhookEndpoint:
        """An endpoint from its JSON form, with this emulator's defaults (InvalidInput)."""
        return parse_endpoint(entry, default_secret=self.secret,
                              default_throttle=self.default_throttle, now_ms=self._clock(),
                              origin=origin)

    def _cli_endpoints(self) -> list[WebhookEndpoint]:
        return [self.endpoint({"url": url, "id": f"wh_cli_{index}"}, "cli")
                for index, url in enumerate(self._cli_urls, 1)]

    def check_fixtures(self, fixtures: list[Fixture]) -> None:
        """FixtureError when a fixture's endpoint id is taken (before anything is loaded)."""
        seen = set(self.dispatcher.endpoints)
        for fixture in fixtures:
            for entry, path in fixture.webhooks:
                endpoint_id = entry.get("id")
                if endpoint_id is None:
                    continue
                if endpoint_id in seen:
                    raise FixtureError(fixture.source, f"{path}.id",
                                       f"webhook endpoint '{endpoint_id}' is defined twice")
                seen.add(endpoint_id)

    def load_fixtures(self, fixtures: list[Fixture]) -> None:
        for endpoint in self._fixture_endpoints(fixtures):
            self.dispatcher.add(endpoint)
        self.restore_deliveries(fixtures)

    def restore_deliveries(self, fixtures: list[Fixture]) -> None:
        """Deliveries a stopped emulator left pending (``--state``), to their endpoints."""
        urls = {e.id: e.url for e in self.dispatcher.endpoints.values()}
        for fixture in fixtures:
            for entry in fixture.webhook_deliveries:
                if entry["endpointId"] in urls:
                    self.dispatcher.restore(parse_saved_delivery(entry, urls))
                else:
                    logger.warning("Saved webhook delivery %s dropped: no endpoint %r",
                                   entry["id"], entry["endpointId"])

    def _fixture_endpoints(self, fixtures: list[Fixture]) -> list[WebhookEndpoint]:
        endpoints: list[WebhookEndpoint] = []
        for fixture in fixtures:
            for entry, path in fixture.webhooks:
                try:
                    endpoints.append(self.endpoint(entry, "fixture"))
                except InvalidInput as error:  # checked at parse time: not expected
                    raise FixtureError(fixture.source, path, error.message) from None
        return endpoints

    def reset(self, fixtures: list[Fixture]) -> None:
        """Command-line endpoints and those of the fixtures; no log, nothing pending."""
        self.dispatcher.reset_to(self._cli_endpoints() + self._fixture_endpoints(fixtures))

    def snapshot(self) -> dict[str, Any]:
        """Endpoints not given on the command line (which brings them back by itself), and
        the deliveries still pending, to send after a restart (``--state``)."""
        document: dict[str, Any] = {}
        endpoints = [endpoint.to_fixture() for endpoint in self.dispatcher.endpoints.values()
                     if endpoint.origin != "cli"]
        if endpoints:
            document["webhooks"] = endpoints
        pending = [saved_delivery(delivery) for delivery in self.dispatcher.pending()]
        if pending:
            document["webhookDeliveries"] = pending
        return document


def config_problem(config: Config) -> str | None:
    """Why the webhook settings cannot work (the CLI exits with 2), or None."""
    for url in config.webhooks:
        try:
            check_url(url, "--webhook")
        except InvalidInput as error:
            return error.message
    if config.webhook_secret is not None:
        try:
            check_secret(config.webhook_secret)
        except InvalidSecret as error:
            return f"--webhook-secret: {error}"
    if not 0 <= config.webhook_throttle_seconds <= MAX_THROTTLE_SECONDS:
        return f"--webhook-throttle must be between 0 and {MAX_THROTTLE_SECONDS:g} seconds"
    if not 0 <= config.webhook_retry_scale <= 1000:
        return "--webhook-retry-scale must be between 0 and 1000"
    if not 0 <= config.webhook_notification_delay_seconds <= MAX_THROTTLE_SECONDS:
        return ("--webhook-notification-delay must be between 0 and "
                f"{MAX_THROTTLE_SECONDS:g} seconds")
    if not 0 < config.webhook_timeout_seconds <= 600:
        return "--webhook-timeout must be more than 0 and at most 600 seconds"
    return None


def pending_report(state: EmulatorState) -> str | None:
    """One line per delivery still pending (said at shutdown: they are not sent)."""
    pending = state.webhooks.dispatcher.pending()
    if not pending:
        return None
    lines = [f"{len(pending)} webhook deliveries were still pending and are not sent:"]
    lines += [f"  {d.id} {d.type} -> {d.url} ({len(d.attempts)} attempts)" for d in pending]
    return "\n".join(lines)
