"""A bare protocol client for realtime tests: raw frames in, parsed messages out."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect


class RawClient:
    def __init__(self, base_url: str, room_id: str, *, version: int = 8, **params: str) -> None:
        query = urlencode({"roomId": room_id, **params, "version": "3.24.2"})
        url = base_url.replace("http://", "ws://") + f"/v{version}?{query}"
        self.connection: ClientConnection = connect(url, open_timeout=5, max_size=None).__enter__()
        self.inbox: list[Any] = []

    def send(self, *messages: Any) -> None:
        self.connection.send(json.dumps(list(messages)))

    def send_text(self, text: str) -> None:
        self.connection.send(text)

    def receive_frame(self, timeout: float = 5) -> Any:
        text = self.connection.recv(timeout=timeout)
        return text if text == "pong" else json.loads(text)

    def receive(self, timeout: float = 5) -> dict[str, Any]:
        """The next single message (frames holding arrays are split)."""
        while not self.inbox:
            frame = self.receive_frame(timeout)
            self.inbox.extend(frame if isinstance(frame, list) else [frame])
        message: dict[str, Any] = self.inbox.pop(0)
        return message

    def receive_type(self, message_type: int, timeout: float = 5) -> dict[str, Any]:
        """Skip messages until one of the given type arrives."""
        while True:
            message = self.receive(timeout)
            if message.get("type") == message_type:
                return message

    def expect_nothing(self, timeout: float = 0.2) -> None:
        try:
            frame = self.connection.recv(timeout=timeout)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected frame {frame!r}")

    def close_code(self, timeout: float = 5) -> tuple[int | None, str]:
        """Wait for the server to close; return (code, reason)."""
        try:
            while True:
                self.connection.recv(timeout=timeout)
        except ConnectionClosed as closed:
            received = closed.rcvd
            return (received.code, received.reason) if received else (None, "")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def public(base_url: str, room_id: str, **params: str) -> RawClient:
    return RawClient(base_url, room_id, pubkey="pk_localdev", **params)
