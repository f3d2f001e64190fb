"""Shared fixtures: one emulator per test session (per xdist worker), reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from liveblocks import Liveblocks

from emulator.config import Config
from emulator.server import BackgroundServer

SECRET = "sk_localdev"


@pytest.fixture(scope="session")
def _session_server() -> Iterator[BackgroundServer]:
    with BackgroundServer(Config(port=0, log_level="warning")) as server:
        yield server


@pytest.fixture
def server(_session_server: BackgroundServer) -> BackgroundServer:
    """A running emulator with no rooms, schemas or sessions left from other tests."""
    _session_server.call(_session_server.state.reset)
    return _session_server


@pytest.fixture
def http(server: BackgroundServer) -> Iterator[httpx.Client]:
    """Raw HTTP, authenticated with the secret key."""
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def anonymous_http(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def sdk(server: BackgroundServer) -> Iterator[Liveblocks]:
    """The official Python SDK, pointed at the emulator."""
    with Liveblocks(secret=SECRET, base_url=server.base_url) as client:
        yield client
