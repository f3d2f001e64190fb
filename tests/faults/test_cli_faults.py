"""--latency, --latency-jitter, --failure-rate, --fault-seed: always-on faults for offline
development, back (reseeded) after every reset."""

from __future__ import annotations

import httpx
import pytest

from emulator.cli import build_parser, config_from_args
from emulator.config import Config
from emulator.server import BackgroundServer
from emulator.state import EmulatorState
from tests.conftest import SECRET


def test_flags_become_faults() -> None:
    args = build_parser().parse_args(
        ["--latency", "40", "--latency-jitter", "10", "--failure-rate", "0.1",
         "--fault-seed", "9"])
    faults = EmulatorState(config_from_args(args)).faults.describe()
    assert faults == [
        {"id": "fault-1", "kind": "rest", "method": "*", "path": "/v2/**", "status": 503,
         "probability": 0.1, "message": "Injected by --failure-rate", "seed": 9,
         "latencyMs": 40.0, "jitterMs": 10.0},
        {"id": "fault-2", "kind": "ws-latency", "roomId": "*", "direction": "both",
         "latencyMs": 40.0, "jitterMs": 10.0, "seed": 9, "heldFrames": 0},
    ]
    assert EmulatorState(Config()).faults.describe() == []


@pytest.mark.parametrize("flags", [["--failure-rate", "2"], ["--latency", "-1"]])
def test_bad_flag_values_are_refused(flags: list[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(flags)


def test_a_failure_rate_repeats_after_a_reset() -> None:
    config = Config(port=0, log_level="warning", failure_rate=0.5, fault_seed=3)
    with BackgroundServer(config) as server, httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {SECRET}"}
    ) as http:
        first = [http.get("/v2/rooms").status_code for _ in range(16)]
        assert set(first) == {200, 503}
        assert http.get("/health").status_code == 200  # only /v2 fails
        assert http.post("/_emulator/reset").status_code == 204
        assert [http.get("/v2/rooms").status_code for _ in range(16)] == first
