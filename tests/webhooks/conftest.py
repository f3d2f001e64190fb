"""An emulator for the webhook tests (retries in milliseconds), and receivers: the Python
SDK's in this process (emulator.webhook_receiver), @liveblocks/node's in a Node process."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from emulator.config import Config
from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.conftest import SECRET
from tests.nodejs import NODE_DIR, require_node

WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
RETRY_SCALE = 0.00001  # 10 h -> 0.36 s: all eight attempts within about a second


class Timer:
    """What a fake ``call_later`` returns: the test fires ``callback`` itself."""

    def __init__(self, delay: float, callback: Callable[[], None]) -> None:
        self.delay, self.callback, self.cancelled = delay, callback, False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture(scope="session")
def _webhook_server() -> Iterator[BackgroundServer]:
    config = Config(port=0, log_level="warning", webhook_secret=WEBHOOK_SECRET,
                    webhook_retry_scale=RETRY_SCALE, webhook_throttle_seconds=0,
                    webhook_notification_delay_seconds=0)
    with BackgroundServer(config) as server:
        yield server


@pytest.fixture
def wh_server(_webhook_server: BackgroundServer) -> BackgroundServer:
    """The webhook emulator, reset: no rooms, no endpoints, no deliveries."""
    _webhook_server.call(lambda: _webhook_server.state.reset(to_fixtures=False))
    return _webhook_server


@pytest.fixture
def api(wh_server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=wh_server.base_url, timeout=10,
                      headers={"Authorization": f"Bearer {SECRET}"}) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(WEBHOOK_SECRET) as started:
        yield started


def add_endpoint(api: httpx.Client, url: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/_emulator/webhooks", json={"url": url, **fields})
    assert response.status_code == 200, response.text
    endpoint: dict[str, Any] = response.json()
    return endpoint


def deliveries(api: httpx.Client, **query: str) -> list[dict[str, Any]]:
    response = api.get("/_emulator/webhooks/deliveries", params=query)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


class NodeReceiver:
    """tests/node/webhook_receiver.mjs: @liveblocks/node's WebhookHandler verifies each request."""

    def __init__(self, secret: str, **env: str) -> None:
        self._process = subprocess.Popen(
            [require_node(), str(NODE_DIR / "webhook_receiver.mjs")], cwd=NODE_DIR,
            env={**os.environ, "LB_WEBHOOK_SECRET": secret, **env},
            stdout=subprocess.PIPE, text=True)
        self._lines: queue.Queue[dict[str, Any]] = queue.Queue()
        assert self._process.stdout is not None
        first = json.loads(self._process.stdout.readline())
        self.url = f"http://127.0.0.1:{first['port']}/hook"
        self.received: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(json.loads(line))

    def wait_until(self, condition: Callable[[list[dict[str, Any]]], bool],
                   timeout: float = 15.0) -> list[dict[str, Any]]:
        """Every request line so far, once ``condition(lines)`` holds."""
        deadline = time.monotonic() + timeout
        while not condition(self.received):
            try:
                self.received.append(self._lines.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise TimeoutError(f"Node receiver got {self.received}") from None
        return list(self.received)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The first ``count`` requests it got (verified or not)."""
        return self.wait_until(lambda lines: len(lines) >= count, timeout)[:count]

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)


@pytest.fixture
def node_receiver() -> Iterator[NodeReceiver]:
    started = NodeReceiver(WEBHOOK_SECRET)
    yield started
    started.stop()
