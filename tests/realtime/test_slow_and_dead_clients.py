"""A client that stops reading, or stops talking, never holds up the room."""

from __future__ import annotations

import base64
import os
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from emulator.config import Config
from emulator.server import BackgroundServer
from tests.realtime.wsclient import public


@pytest.fixture
def small_queues() -> Iterator[BackgroundServer]:
    with BackgroundServer(Config(port=0, log_level="warning", outbox_frames=20)) as server:
        yield server


@pytest.fixture
def short_idle() -> Iterator[BackgroundServer]:
    with BackgroundServer(Config(port=0, log_level="warning", idle_timeout_seconds=1.0)) as server:
        yield server


def stalled_connection(base_url: str, room_id: str) -> socket.socket:
    """A WebSocket client that completes the handshake, then never reads again."""
    url = urlsplit(base_url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((url.hostname, url.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /v8?roomId={room_id}&pubkey=pk_localdev&version=3.24.2 HTTP/1.1\r\n"
        f"Host: {url.hostname}:{url.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert sock.recv(4096).startswith(b"HTTP/1.1 101")
    return sock


def test_a_client_that_stops_reading_is_dropped_and_the_room_goes_on(
    small_queues: BackgroundServer,
) -> None:
    server = small_queues
    stalled = stalled_connection(server.base_url, "busy")
    try:
        with public(server.base_url, "busy") as sender, public(server.base_url, "busy") as watcher:
            sender.receive()
            watcher.receive()
            payload = "x" * 50_000
            for index in range(300):
                sender.send({"type": 103, "event": {"n": index, "pad": payload}})
            # The other client gets every event in order; the stalled one is let go.
            events, left = [], []
            while len(events) < 300 or not left:
                message = watcher.receive(timeout=10)
                if message["type"] == 103:
                    events.append(message["event"]["n"])
                elif message["type"] == 102:
                    left.append(message["actor"])
            assert events == list(range(300))
            users = httpx.get(server.base_url + "/v2/rooms/busy/active-users",
                              headers={"Authorization": "Bearer sk_localdev"}).json()["data"]
            assert len(users) == 2 and left[0] not in {u["connectionId"] for u in users}
    finally:
        stalled.close()


def test_a_silent_client_is_dropped_after_the_idle_timeout(short_idle: BackgroundServer) -> None:
    with public(short_idle.base_url, "quiet") as silent:
        silent.receive()
        started = time.monotonic()
        code, _ = silent.close_code(timeout=5)
        assert code == 1001 and time.monotonic() - started < 4


def test_pings_keep_a_client_alive(short_idle: BackgroundServer) -> None:
    with public(short_idle.base_url, "alive") as client:
        client.receive()
        for _ in range(4):  # 2 s of pings, twice the idle timeout
            time.sleep(0.5)
            client.send_text("ping")
            assert client.receive_frame() == "pong"
