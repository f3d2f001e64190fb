"""Running the end-to-end Node scripts (tests/node/e2e_*.mjs) against the test's emulator."""

from __future__ import annotations

from typing import Any

from emulator.server import BackgroundServer
from tests.nodejs import run_node


def run_script(
    server: BackgroundServer, script: str, *, uncaught: int = 0, **env: str
) -> dict[str, Any]:
    """Run a script and return its result.

    The script reports errors thrown by the client outside any promise (the client
    throws from its socket handler on REJECT_STORAGE_OP): exactly ``uncaught`` of
    them are expected, and they are returned under ``uncaught``.
    """
    out: dict[str, Any] = run_node(script, timeout=60, BASE_URL=server.base_url, **env)
    assert len(out["uncaught"]) == uncaught, out["uncaught"]
    return out
