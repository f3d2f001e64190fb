"""The emulator's one clock, which a test can freeze, set and advance, and its timers.

``EmulatorClock`` is what ``state.clock`` is: called, it returns milliseconds since the
epoch. By default it follows its source (the system clock) exactly. A test may freeze
it, set it to a date, and advance it; an offset from the source is kept while it runs,
so a clock set to 2030 keeps ticking from there.

Every delayed action of the emulator is a ``Timer`` due at a time of this clock (not of
the event loop): ``advance(seconds)`` fires, in order of due time (then of scheduling),
every timer due by the new time, each one seeing the clock at its own due time, and the
timers those schedule too if they fall due before the end. While the clock runs, one
event-loop timer wakes it for the earliest due timer; frozen, only set/advance do.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from .clock import Clock, format_ms, system_clock


class Timer:
    """A delayed callback; ``cancel()`` before it fires and it never does."""

    __slots__ = ("callback", "cancelled", "due_ms")

    def __init__(self, due_ms: int, callback: Callable[[], None]) -> None:
        self.due_ms = due_ms
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(frozen=True, slots=True)
class ClockState:
    now_ms: int
    frozen: bool
    offset_ms: int  # emulator time minus the source's (0: real time)
    pending_timers: int

    def to_json(self) -> dict[str, object]:
        return {"now": self.now_ms, "iso": format_ms(self.now_ms), "frozen": self.frozen,
                "offsetMs": self.offset_ms, "pendingTimers": self.pending_timers}


class EmulatorClock:
    def __init__(self, source: Clock = system_clock) -> None:
        self._source = source
        self._offset_ms = 0
        self._frozen_at: int | None = None
        self._timers: list[tuple[int, int, Timer]] = []
        self._sequence = itertools.count()
        self._wakeup: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pushes = 0

    # ------------------------------------------------------------ reading

    def __call__(self) -> int:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._source() + self._offset_ms

    def state(self) -> ClockState:
        return ClockState(self(), self._frozen_at is not None, self() - self._source(),
                          sum(1 for _, _, timer in self._timers if not timer.cancelled))

    # ------------------------------------------------------------ control

    def freeze(self, at_ms: int | None = None) -> None:
        """Stop the clock (at ``at_ms`` if given, else where it is)."""
        now = self()
        self._frozen_at = now
        if at_ms is not None:
            self.set(at_ms)
        self._reschedule()

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        if self._frozen_at is not None:
            self._offset_ms = self._frozen_at - self._source()
            self._frozen_at = None
        self._reschedule()

    def set(self, now_ms: int) -> None:
        """Jump to ``now_ms`` (frozen or running): timers due by then fire, in order."""
        self._run_until(now_ms)

    def advance(self, seconds: float) -> None:
        """Move forward: every timer due by then fires, in order, at its own due time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._run_until(self() + round(seconds * 1000))

    def reset(self) -> None:
        """Back to real time, running. Timers stay, due when real time reaches them."""
        self._frozen_at = None
        self._offset_ms = 0
        self._fire_due()

    # ------------------------------------------------------------ timers

    def call_later(self, delay_seconds: float, callback: Callable[[], None]) -> Timer:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        timer = Timer(self() + max(0, round(delay_seconds * 1000)), callback)
        heapq.heappush(self._timers, (timer.due_ms, next(self._sequence), timer))
        self._pushes += 1
        if self._pushes % 256 == 0:
            # Cancelled timers (a presence refreshed every second…) would pile up.
            self._timers = [entry for entry in self._timers if not entry[2].cancelled]
            heapq.heapify(self._timers)
        if self._timers and self._timers[0][2] is timer:
            self._reschedule()
        return timer

    def _move_to(self, now_ms: int) -> None:
        if self._frozen_at is not None:
            self._frozen_at = now_ms
        else:
            self._offset_ms = now_ms - self._source()

    def _run_until(self, target_ms: int) -> None:
        # Each timer runs with the clock at its due time, so what it stamps and schedules
        # is what it would have been had that time passed for real.
        while self._timers and self._timers[0][0] <= target_ms:
            due, _, timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            if due > self():
                self._move_to(due)
            self._run(timer)
        self._move_to(target_ms)
        self._reschedule()

    def _fire_due(self) -> None:
        self._wakeup = None
        now = self()
        while self._timers and self._timers[0][0] <= now:
            _, _, timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                self._run(timer)
        self._reschedule()

    def _run(self, timer: Timer) -> None:
        timer.cancelled = True  # fired: a late cancel() is harmless
        # As the event loop would: one failing callback does not stop the others.
        try:
            timer.callback()
        except Exception as error:
            assert self._loop is not None  # timers exist only once one was scheduled
            self._loop.call_exception_handler(
                {"message": "Exception in an emulator timer", "exception": error})

    def _reschedule(self) -> None:
        while self._timers and self._timers[0][2].cancelled:
            heapq.heappop(self._timers)
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None
        if not self._timers or self._frozen_at is not None or self._loop is None:
            return
        delay = max(0.0, (self._timers[0][0] - self()) / 1000)
        self._wakeup = self._loop.call_later(delay, self._fire_due)
