"""Sending webhook requests over HTTP with httpx (the domain only sees ``Transport``).

One ``httpx.AsyncHTTPTransport`` (a keep-alive connection pool) per emulator, made on
first use on the serving loop. Requests go to the transport directly, not through an
``AsyncClient``: no redirects (a 3xx is a failure, as with Svix), cookies or proxies
from the environment to apply, and a quarter less CPU per delivery, which is CPU taken
from the REST and WebSocket handlers sharing the loop (bench/bench_webhooks.py).
"""

from __future__ import annotations

import time

import httpx

from .domain.webhook_delivery import EXCERPT_CHARS, AttemptResult


class HttpTransport:
    def __init__(self) -> None:
        self._pool: httpx.AsyncHTTPTransport | None = None

    async def __call__(
        self, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> AttemptResult:
        if self._pool is None:
            self._pool = httpx.AsyncHTTPTransport()
        started = time.perf_counter()
        request = httpx.Request("POST", url, content=body, headers=headers,
                                extensions={"timeout": httpx.Timeout(timeout).as_dict()})
        try:
            response = await self._pool.handle_async_request(request)
            try:
                excerpt = await _excerpt(response)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            return AttemptResult(None, _ms_since(started), error=f"timed out after {timeout:g} s")
        except httpx.HTTPError as error:
            return AttemptResult(None, _ms_since(started),
                                 error=f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
        return AttemptResult(
            response.status_code,
            _ms_since(started),
            excerpt=excerpt,
            abort=response.headers.get("webhook-delivery", "").lower() == "abort-message",
        )

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


async def _excerpt(response: httpx.Response) -> str:
    """The start of the answer; a huge one is not read to its end (the connection closes)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size >= EXCERPT_CHARS * 4:
            break
    return b"".join(chunks).decode("utf-8", "replace")[:EXCERPT_CHARS]


def _ms_since(started: float) -> float:
    # Wall time of the attempt, for the delivery log only (not emulator time).
    return (time.perf_counter() - started) * 1000
