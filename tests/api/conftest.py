"""Fixtures of the schemathesis tests (ours and Liveblocks' document): an emulator of their
own whose reset goes back to the demo fixtures, and one keep-alive connection."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import pytest
import requests

from emulator.config import Config
from emulator.fixture_files import read_fixture_file
from emulator.server import BackgroundServer

DEMO = read_fixture_file(pathlib.Path(__file__).parents[2] / "fixtures" / "demo.json")


@pytest.fixture(scope="module")
def demo_server() -> Iterator[BackgroundServer]:
    """An emulator of its own whose reset goes back to the demo fixtures (parsed once)."""
    server = BackgroundServer(Config(port=0, log_level="warning"))
    server.state.load_startup_fixtures([DEMO])
    with server:
        yield server


@pytest.fixture(scope="module")
def connection() -> Iterator[requests.Session]:
    """One keep-alive connection for all the examples."""
    with requests.Session() as session:
        yield session
