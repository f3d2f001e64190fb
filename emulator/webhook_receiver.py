"""A webhook receiver for tests: an HTTP server on 127.0.0.1 that verifies every request with
the official Python SDK's ``WebhookHandler`` (PyPI ``liveblocks``) and keeps what it got.

    with WebhookReceiver(secret) as receiver:
        ...  # point an endpoint at receiver.url
        events = receiver.wait_for(2)  # the verified events, in arrival order

``statuses`` are answered in order (then 200), to exercise retries; ``reserialize`` verifies
``json.dumps(json.loads(body))`` the way ``JSON.stringify(req.body)`` handlers do (§1.7).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    headers: dict[str, str]
    body: str
    status: int  # what the receiver answered
    event: dict[str, Any] | None  # the verified event, None when verification failed
    error: str | None  # the SDK's message when it refused the request

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")


class WebhookReceiver:
    def __init__(self, secret: str, *, statuses: Iterable[int] = (), reserialize: bool = False,
                 delay_seconds: float = 0.0) -> None:
        from liveblocks import WebhookHandler

        self._handler = WebhookHandler(secret)
        self._statuses = list(statuses)
        self._reserialize = reserialize
        self._delay = delay_seconds
        self._lock = threading.Condition()
        self.requests: list[ReceivedRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="webhook-receiver")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks"

    def _request_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                headers = {key.lower(): value for key, value in self.headers.items()}
                self.send_response(receiver._receive(headers, raw))
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def _receive(self, headers: dict[str, str], raw: str) -> int:
        if self._delay:
            time.sleep(self._delay)  # a slow endpoint, for timeout tests (receiver time)
        body = json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":")) \
            if self._reserialize else raw
        event: dict[str, Any] | None = None
        error: str | None = None
        try:
            # The SDK returns TypedDicts; at run time they are plain dicts.
            event = dict(self._handler.verify_request(headers=headers, raw_body=body))
        except (ValueError, KeyError) as refusal:
            error = str(refusal)
        with self._lock:
            status = 400 if event is None else (self._statuses.pop(0) if self._statuses
                                                else 200)
            self.requests.append(ReceivedRequest(headers, raw, status, event, error))
            self._lock.notify_all()
        return status

    def events(self) -> list[dict[str, Any]]:
        """The verified events answered with a 2xx, in arrival order."""
        with self._lock:
            return [r.event for r in self.requests if r.event is not None and r.status < 300]

    def wait_until(self, condition: Callable[[list[ReceivedRequest]], bool],
                   timeout: float = 10.0) -> list[ReceivedRequest]:
        """Every request so far, once ``condition(requests)`` holds (TimeoutError otherwise)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not condition(self.requests):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"webhook receiver: condition not met in {timeout} s; "
                                       f"got {[r.body for r in self.requests]}")
                self._lock.wait(left)
            return list(self.requests)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The verified, accepted events once there are at least ``count`` of them."""
        self.wait_until(
            lambda requests: sum(r.event is not None and r.status < 300 for r in requests)
            >= count, timeout)
        return self.events()

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
