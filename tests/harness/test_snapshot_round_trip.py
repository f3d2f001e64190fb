"""Snapshot → reset → load gives an identical snapshot, for any state."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from emulator.config import Config
from emulator.fixture_files import FixtureSource
from emulator.state import EmulatorState
from tests.strategies import fixture_documents


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=fixture_documents())
def test_snapshot_reset_load_is_identity(document: dict[str, Any]) -> None:
    state = EmulatorState(Config())
    state.load([FixtureSource(document, "generated")])
    # Change the state through the domain too, so the snapshot is not just the input.
    for room in list(state.rooms)[:2]:
        room.document().root.data["touched"] = True if room.schema_id is None else None
        if room.schema_id is not None:
            del room.document().root.data["touched"]
    first = state.snapshot()
    state.reset(to_fixtures=False)
    assert state.snapshot() == {"schemas": [], "rooms": []}
    state.load([FixtureSource(first, "snapshot")])
    assert state.snapshot() == first
