"""Calling the fault admin API from tests."""

from __future__ import annotations

from typing import Any

import httpx


def fault(http: httpx.Client, **body: Any) -> dict[str, Any]:
    """POST /_emulator/faults, which must answer 200; returns the body."""
    response = http.post("/_emulator/faults", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
