"""The access log: uvicorn's line format, credentials masked, buffered until flushed."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest

from emulator.access_log import AccessLog
from emulator.config import Config
from emulator.server import BackgroundServer
from tests.isolated_loop import run_isolated


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def test_one_line_per_request_in_uvicorns_format() -> None:
    stream = io.StringIO()
    log = AccessLog(_answer, stream)

    async def requests() -> None:
        transport = httpx.ASGITransport(app=log, client=("127.0.0.1", 50412))
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            await client.get("/v2/rooms/a%20b")
            await client.get("/v7?roomId=r&tok=secret.jwt.value&pubkey=pk_abc")
        assert stream.getvalue() == ""  # buffered: written on the timer or at shutdown

    run_isolated(requests())
    log.flush()
    assert stream.getvalue().splitlines() == [
        'INFO:     127.0.0.1:50412 - "GET /v2/rooms/a%20b HTTP/1.1" 404 Not Found',
        'INFO:     127.0.0.1:50412 - "GET /v7?roomId=r&tok=***&pubkey=*** HTTP/1.1" 404 Not Found',
    ]


def test_the_server_logs_requests_at_info_and_flushes_when_it_stops(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with BackgroundServer(Config(port=0, log_level="info")) as server:
        response = httpx.get(server.base_url + "/v2/rooms",
                             headers={"Authorization": "Bearer sk_localdev"})
        assert response.status_code == 200
    out = capsys.readouterr().out
    assert '"GET /v2/rooms HTTP/1.1" 200 OK' in out


def test_no_access_log_at_warning(capsys: pytest.CaptureFixture[str]) -> None:
    with BackgroundServer(Config(port=0, log_level="warning")) as server:
        httpx.get(server.base_url + "/v2/rooms", headers={"Authorization": "Bearer sk_localdev"})
    assert "GET /v2/rooms" not in capsys.readouterr().out
