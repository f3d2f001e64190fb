"""Shared fixtures: one emulator per test session (per xdist worker), reset before each test.

Clients are made once per session too (an httpx client costs ~0.1 s to build its
TLS context); each test gets them through a fixture that resets the emulator first.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import settings
from liveblocks import Liveblocks

from emulator.config import Config
from emulator.server import BackgroundServer

SECRET = "sk_localdev"

# No test is timed (speed is measured in bench/): Hypothesis' per-example deadline would make
# a loaded machine fail tests that are right.
settings.register_profile("emulator", deadline=None)
settings.load_profile("emulator")


@pytest.fixture(scope="session")
def _session_server() -> Iterator[BackgroundServer]:
    with BackgroundServer(Config(port=0, log_level="warning")) as server:
        yield server


@pytest.fixture
def server(_session_server: BackgroundServer) -> BackgroundServer:
    """A running emulator with no rooms, schemas or sessions left from other tests."""
    _session_server.call(lambda: _session_server.state.reset(to_fixtures=False))
    return _session_server


@pytest.fixture(scope="session")
def _session_http(_session_server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=_session_server.base_url, headers={"Authorization": f"Bearer {SECRET}"},
        timeout=10,
    ) as client:
        yield client


@pytest.fixture(scope="session")
def _session_anonymous_http(_session_server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=_session_server.base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def _session_sdk(_session_server: BackgroundServer) -> Iterator[Liveblocks]:
    with Liveblocks(secret=SECRET, base_url=_session_server.base_url) as client:
        yield client


@pytest.fixture
def http(server: BackgroundServer, _session_http: httpx.Client) -> httpx.Client:
    """Raw HTTP, authenticated with the secret key."""
    return _session_http


@pytest.fixture
def anonymous_http(server: BackgroundServer, _session_anonymous_http: httpx.Client) -> httpx.Client:
    return _session_anonymous_http


@pytest.fixture
def sdk(server: BackgroundServer, _session_sdk: Liveblocks) -> Liveblocks:
    """The official Python SDK, pointed at the emulator."""
    return _session_sdk
