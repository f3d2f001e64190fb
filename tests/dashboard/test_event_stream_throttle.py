"""The dashboard's event stream sends at most one event per (type, room) per window,
the last of a burst when the window ends (emulator/dashboard/stream.py's Throttle)."""

from __future__ import annotations

import asyncio
from typing import Any

from emulator.dashboard.stream import PRUNE_AT, WINDOW_SECONDS, Throttle
from tests.isolated_loop import run_isolated


def test_a_burst_is_the_first_event_now_and_the_last_at_the_window_end() -> None:
    async def scenario() -> list[tuple[str, Any]]:
        sent: list[tuple[str, Any]] = []
        throttle = Throttle(asyncio.get_running_loop(),
                            lambda type, data: sent.append((type, data.get("n"))))
        for n in range(20):
            throttle.listen("storageUpdated", {"roomId": "a", "n": n})
        throttle.listen("storageUpdated", {"roomId": "b", "n": 0})  # another room: its own
        throttle.listen("userEntered", {"roomId": "a", "n": 0})  # another type: its own
        assert sent == [("storageUpdated", 0), ("storageUpdated", 0), ("userEntered", 0)]
        await asyncio.sleep(WINDOW_SECONDS * 1.5)
        assert sent[-1] == ("storageUpdated", 19) and len(sent) == 4
        await asyncio.sleep(WINDOW_SECONDS * 1.5)  # quiet: nothing more, the next goes now
        throttle.listen("storageUpdated", {"roomId": "a", "n": 20})
        assert sent[-1] == ("storageUpdated", 20) and len(sent) == 5
        throttle.close()
        return sent

    run_isolated(scenario())


def test_closing_drops_what_was_held_and_old_keys_are_pruned() -> None:
    async def scenario() -> None:
        sent: list[str] = []
        throttle = Throttle(asyncio.get_running_loop(), lambda type, data: sent.append(type))
        throttle.listen("t", {"roomId": "a"})
        throttle.listen("t", {"roomId": "a"})
        throttle.close()
        await asyncio.sleep(WINDOW_SECONDS * 1.5)
        assert sent == ["t"]
        for n in range(PRUNE_AT * 2):
            throttle.listen("roomCreated", {"roomId": f"r{n}"})
        await asyncio.sleep(WINDOW_SECONDS * 1.2)
        # The keys of the burst are past their window: pruned once the next keys reach
        # the (amortized) threshold, which grows only with keys still in their window.
        late = 0
        while len(throttle._sent_at) > late:
            throttle.listen("roomCreated", {"roomId": f"late-{late}"})
            late += 1
            assert late <= PRUNE_AT * 4
        assert len(throttle._sent_at) == late

    run_isolated(scenario())
