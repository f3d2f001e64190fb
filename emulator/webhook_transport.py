"""Sending webhook requests over HTTP with httpx (the domain only sees ``Transport``).

One ``httpx.AsyncClient`` per emulator, made on first use on the serving loop; redirects
are not followed (a 3xx is a failure, as with Svix) and nothing is read beyond a short
excerpt of the answer.
"""

from __future__ import annotations

import time

import httpx

from .domain.webhook_delivery import EXCERPT_CHARS, AttemptResult


class HttpTransport:
    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    async def __call__(
        self, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> AttemptResult:
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        started = time.perf_counter()
        try:
            response = await self._client.post(url, content=body, headers=headers,
                                                timeout=timeout)
        except httpx.TimeoutException:
            return AttemptResult(None, _ms_since(started), error=f"timed out after {timeout:g} s")
        except httpx.HTTPError as error:
            return AttemptResult(None, _ms_since(started),
                                 error=f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
        return AttemptResult(
            response.status_code,
            _ms_since(started),
            excerpt=response.text[:EXCERPT_CHARS],
            abort=response.headers.get("webhook-delivery", "").lower() == "abort-message",
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _ms_since(started: float) -> float:
    # Wall time of the attempt, for the delivery log only (not emulator time).
    return (time.perf_counter() - started) * 1000
