"""EmulatorClock alone: real time by default; frozen, set and advanced, its timers fire in
order, each at its own due time, and what they schedule fires too when due."""

from __future__ import annotations

import asyncio
import itertools

from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.emulator_clock import EmulatorClock
from emulator.domain.fault_rules import Delays, pattern_covers_route
from tests.isolated_loop import run_isolated

START = 1_800_000_000_000


def ticking_source() -> tuple[EmulatorClock, list[int]]:
    """A clock over a fake source that advances only when told (no wall time involved)."""
    now = [START]
    return EmulatorClock(lambda: now[0]), now


def run(coroutine_function):  # type: ignore[no-untyped-def]
    return run_isolated(coroutine_function())


def test_follows_its_source_until_frozen_then_set_and_advanced() -> None:
    clock, source = ticking_source()
    assert clock() == START
    source[0] += 5
    assert clock() == START + 5
    clock.freeze()
    source[0] += 1000
    assert clock() == START + 5
    clock.set(START + 60_000)
    assert clock() == START + 60_000
    clock.advance(1.5)
    assert clock() == START + 61_500
    clock.unfreeze()  # runs on from where it stands
    source[0] += 10
    assert clock() == START + 61_510
    assert clock.state().offset_ms == 61_510 - 1015
    clock.reset()
    assert clock() == source[0]


def test_advance_fires_due_timers_in_order_at_their_due_times() -> None:
    async def scenario() -> list[tuple[str, int]]:
        clock, _ = ticking_source()
        clock.freeze()
        fired: list[tuple[str, int]] = []

        def at(name: str) -> None:
            fired.append((name, clock() - START))
            if name == "b":  # scheduled while firing: due before the end, so it fires too
                clock.call_later(1, lambda: at("b+1"))

        clock.call_later(30, lambda: at("c"))
        clock.call_later(10, lambda: at("a"))
        clock.call_later(20, lambda: at("b"))
        clock.call_later(20, lambda: at("b-second"))  # same due time: scheduling order
        cancelled = clock.call_later(15, lambda: at("never"))
        cancelled.cancel()
        clock.call_later(100, lambda: at("later"))
        clock.advance(30)
        assert clock() == START + 30_000
        assert clock.state().pending_timers == 1
        return fired

    assert run(scenario) == [("a", 10_000), ("b", 20_000), ("b-second", 20_000),
                             ("b+1", 21_000), ("c", 30_000)]


def test_a_failing_timer_does_not_stop_the_others() -> None:
    async def scenario() -> list[str]:
        clock, _ = ticking_source()
        clock.freeze()
        fired: list[str] = []
        errors: list[object] = []
        asyncio.get_running_loop().set_exception_handler(lambda _, c: errors.append(c))

        def boom() -> None:
            raise RuntimeError("boom")

        clock.call_later(1, boom)
        clock.call_later(2, lambda: fired.append("after"))
        clock.advance(5)
        assert len(errors) == 1
        return fired

    assert run(scenario) == ["after"]


def test_a_running_clock_fires_its_timers_from_the_event_loop() -> None:
    async def scenario() -> bool:
        clock = EmulatorClock()
        done = asyncio.get_running_loop().create_future()
        clock.call_later(0, lambda: done.set_result(True))
        return await asyncio.wait_for(done, 10)

    assert run(scenario)


def test_many_cancelled_timers_do_not_pile_up() -> None:
    async def scenario() -> int:
        clock, _ = ticking_source()
        for _ in range(2000):
            clock.call_later(60, lambda: None).cancel()
        return len(clock._timers)

    assert run(scenario) < 256


def test_seeded_delays_repeat() -> None:
    first = Delays(100, 50, "7:room:1:outgoing")
    second = Delays(100, 50, "7:room:1:outgoing")
    a = [first.next_seconds() for _ in range(20)]
    assert a == [second.next_seconds() for _ in range(20)]
    assert all(0.1 <= delay <= 0.15 for delay in a) and len(set(a)) > 1
    assert [d for d in itertools.islice(iter(Delays(5, 0, 1).next_seconds, None), 3)] == [
        0.005] * 3


def test_path_patterns_against_routes() -> None:
    room = "/v2/rooms/{roomId}"
    assert pattern_covers_route("/v2/rooms/*", room)
    assert pattern_covers_route("/v2/rooms/my-room", room)
    assert pattern_covers_route("/v2/**", room + "/storage")
    assert pattern_covers_route("/v2/rooms/doc-*/storage", room + "/storage")
    assert not pattern_covers_route("/v2/rooms/*", room + "/storage")
    assert not pattern_covers_route("/v2/nothing/*", room)
    assert not pattern_covers_route("/v2/rooms", room)


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=30),
       st.lists(st.integers(0, 3000), min_size=1, max_size=10))
def test_any_schedule_fires_in_due_order_whatever_the_steps(delays_ms: list[int],
                                                            steps_ms: list[int]) -> None:
    async def scenario() -> tuple[list[tuple[int, int]], int]:
        clock, _ = ticking_source()
        clock.freeze()
        fired: list[tuple[int, int]] = []
        for index, delay in enumerate(delays_ms):
            clock.call_later(delay / 1000, lambda i=index: fired.append((i, clock() - START)))
        for step in steps_ms:
            clock.advance(step / 1000)
        return fired, clock() - START

    fired, end = run_isolated(scenario())
    due = sorted((delay, index) for index, delay in enumerate(delays_ms) if delay <= end)
    assert fired == [(index, delay) for delay, index in due]
