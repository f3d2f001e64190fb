"""A live connection whose token expires: closed with 4109, and the real client re-authenticates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.config import Config
from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


@pytest.fixture
def short_tokens() -> Iterator[BackgroundServer]:
    """An emulator of its own whose tokens live two seconds."""
    with BackgroundServer(Config(port=0, log_level="warning", token_ttl_seconds=2)) as server:
        yield server


def test_expired_token_makes_the_client_fetch_a_new_one(short_tokens: BackgroundServer) -> None:
    out = run_script(short_tokens, "e2e_token_expiry.mjs", ROOM="expiring")
    # (On a slow machine the second token may expire too before the script ends.)
    assert out["statuses"][:3] == ["connected", "reconnecting", "connected"]
    assert out["authCalls"] >= 2  # a fresh token for the reconnection
    assert out["reconnectedAfter"] < 5
    assert out["doc"]["data"]["log"]["data"] == ["before expiry", "after expiry"]
    assert out["rest"] == out["doc"]
    assert out["errors"] == []
