"""SDK clients for the pytest plugin: a new one per call, all sharing one transport.

Building the official Python SDK's client (``Liveblocks(secret=…, base_url=…)``)
costs ~20-90 ms: its ``httpx.Client`` makes a default transport, whose TLS
context loads the CA bundle (``load_verify_locations``), though the emulator is
plain HTTP on loopback. Here the SDK client gets an ``httpx.Client`` on a
transport made once per emulator: ~30 µs a client.

That transport is, by default, an in-process one (emulator/loop_transport.py):
requests go straight to the app on the server's loop, no socket, for the same
bytes. ``SdkClients(..., transport=None)`` keeps a real connection pool to the
emulator's port instead (the plugin's ``--liveblocks-transport socket``).

Each client still has its own ``httpx.Client`` (headers, timeout, cookies, event
hooks, auth), so what a test sets on its client stays with that client. The
pool only holds keep-alive connections to the emulator; closing a client (or
leaving its ``with`` block) leaves the pool to the others, and the plugin closes
it at the end of the session. httpx/liveblocks are test dependencies: this
module is imported on first use only.

That ``httpx.Client`` is a ``QuickClient``: per request, plain httpx spends
~150 µs re-parsing the same URLs (and ~80 µs more when the SDK passes query
parameters, as it does on most calls) and ~50 µs asking the cookie jar about
responses that set no cookie (most of httpx's own time); it remembers the
first and skips the second, and sends exactly what plain httpx sends.
"""

from __future__ import annotations

import httpx
from liveblocks import Liveblocks


class SharedTransport(httpx.BaseTransport):
    """A transport that the clients using it cannot close (``shutdown`` does)."""

    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self._pool = transport or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pool.handle_request(request)

    def close(self) -> None:
        """Called by every client that closes: the pool stays open for the others."""

    def shutdown(self) -> None:
        self._pool.close()


# Merged URLs by (base URL, URL as the SDK gives it[, query text, any parameters]):
# a pure function, so shared.
MERGED_URLS: dict[tuple[str, str] | tuple[str, str, str, bool], httpx.URL] = {}
MERGED_URLS_MAX = 4096


class QuickCookies(httpx.Cookies):
    """A cookie jar that only reads responses that set cookies (the jar's own
    ``extract_cookies`` does nothing else for the others, at ~50 µs each)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class QuickClient(httpx.Client):
    """An ``httpx.Client`` that remembers merged URLs. Only pure steps are cached:
    should httpx rename them, the client gets slower, never different."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._cookies = QuickCookies(self._cookies)

    def build_request(self, method: str, url: httpx.URL | str, *,
                      params: object = None, **kwargs: object) -> httpx.Request:
        """The SDK passes query parameters on most calls (``get_rooms``, storage's
        ``format``): httpx then re-parses the whole URL (~80 µs). The URL with its
        query is a pure function of the URL and the parameters' query text: cached."""
        if params is None or self.params or not isinstance(url, str):
            return super().build_request(method, url, params=params, **kwargs)  # type: ignore[arg-type]
        query = str(httpx.QueryParams(params))  # type: ignore[arg-type]
        key = (str(self._base_url), url, query, bool(params))
        merged = MERGED_URLS.get(key)
        if merged is None:
            if len(MERGED_URLS) >= MERGED_URLS_MAX:
                MERGED_URLS.clear()
            # What httpx.Request(url, params=params) makes of it.
            merged = MERGED_URLS[key] = httpx.URL(self._merge_url(url),
                                                  params=params)
        return super().build_request(method, merged, **kwargs)  # type: ignore[arg-type]

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        if not isinstance(url, str):
            return super()._merge_url(url)
        key = (str(self._base_url), url)
        merged = MERGED_URLS.get(key)
        if merged is None:
            if len(MERGED_URLS) >= MERGED_URLS_MAX:
                MERGED_URLS.clear()
            merged = MERGED_URLS[key] = super()._merge_url(url)
        return merged


class SdkClients:
    """Hands out SDK clients for one emulator."""

    def __init__(self, base_url: str, secret_key: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        """``transport``: where requests go (default: a connection pool to ``base_url``)."""
        # Parsed once, not on every client (a bare origin's path is "/" already).
        self._base_url = httpx.URL(base_url)
        self._authorization = f"Bearer {secret_key}"
        self._transport = SharedTransport(transport)

    def new_client(self) -> Liveblocks:
        """The SDK's client as ``Liveblocks(secret=…, base_url=…)`` builds it, minus the
        TLS context: the SDK keeps nothing but its ``httpx.Client`` (a test checks that)."""
        sdk = Liveblocks.__new__(Liveblocks)
        sdk._client = QuickClient(
            base_url=self._base_url,
            headers={"Authorization": self._authorization},
            transport=self._transport,
            # Loopback only: proxy variables from the environment must not apply.
            trust_env=False,
        )
        return sdk

    def close(self) -> None:
        self._transport.shutdown()

