"""How busy the serving loop's thread is: the share of wall time it spent on the CPU.

Work that can wait (webhook deliveries) asks ``saturated()`` and yields to REST and
WebSocket handling when the loop is nearly always busy. Sampled lazily, at most once per
``interval`` seconds, on the thread that asks (the loop's: ``time.thread_time`` is that
thread's CPU time); no timer runs.
"""

from __future__ import annotations

import time

SATURATED_SHARE = 0.8
INTERVAL_SECONDS = 0.1


class LoopLoad:
    def __init__(self, interval: float = INTERVAL_SECONDS,
                 threshold: float = SATURATED_SHARE) -> None:
        self._interval = interval
        self._threshold = threshold
        self._wall = time.monotonic()
        self._cpu = time.thread_time()
        self._saturated = False

    def saturated(self) -> bool:
        """Whether the asking thread was on the CPU more than the threshold's share of the
        last interval (or of the time since it last asked, when longer)."""
        wall = time.monotonic()
        elapsed = wall - self._wall
        if elapsed >= self._interval:
            cpu = time.thread_time()
            self._saturated = (cpu - self._cpu) > self._threshold * elapsed
            self._wall, self._cpu = wall, cpu
        return self._saturated
