"""A client that hangs up while the emulator reads its body (its timeout ran out during a
latency fault, say) gets no traceback logged and changes nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from emulator.app import create_app
from emulator.config import Config
from tests.isolated_loop import run_isolated

SECRET = Config().secret_key


async def _post_and_hang_up(app: Any) -> list[dict[str, Any]]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v2/rooms", "raw_path": b"/v2/rooms", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 1153),
        "headers": [(b"authorization", f"Bearer {SECRET}".encode()),
                    (b"content-type", b"application/json"), (b"content-length", b"40")],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def test_a_client_that_hangs_up_mid_body_leaves_no_traceback_and_no_room(
        caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Config())
    with caplog.at_level(logging.INFO):
        sent = run_isolated(_post_and_hang_up(app))
    assert sent[0]["status"] == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert len(app.state.emulator.rooms) == 0
