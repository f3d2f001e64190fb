"""How busy the serving loop's thread is: the share of wall time it wanted the CPU.

On Linux "wanted" is the time it ran plus the time it waited in the run queue
(``/proc/thread-self/schedstat``): on a machine whose cores are all taken (the
emulator, a load generator, a browser), a loop with work every moment still only runs
part of the time, and is as saturated as one that runs all of it. Elsewhere, the
thread's CPU time alone.

Work that can wait (webhook deliveries) asks ``saturated()`` and yields to REST and
WebSocket handling when the loop is nearly always busy. Sampled lazily, at most once per
``interval`` seconds, on the thread that asks (the loop's: the figures are that
thread's); no timer runs.
"""

from __future__ import annotations

import time

SCHEDSTAT = "/proc/thread-self/schedstat"


def wanted_cpu_seconds() -> float:
    """Seconds this thread ran or waited to run (its CPU time where that is unknown)."""
    try:
        with open(SCHEDSTAT, "rb") as stat:
            ran, waited = stat.read().split()[:2]
        return (int(ran) + int(waited)) / 1e9
    except (OSError, ValueError):
        return time.thread_time()

SATURATED_SHARE = 0.8
INTERVAL_SECONDS = 0.1


class LoopLoad:
    def __init__(self, interval: float = INTERVAL_SECONDS,
                 threshold: float = SATURATED_SHARE) -> None:
        self._interval = interval
        self._threshold = threshold
        self._wall = time.monotonic()
        self._cpu = wanted_cpu_seconds()
        self._saturated = False
        self._discounted = 0.0

    def discount(self, seconds: float) -> None:
        """CPU time spent on the work that asks (making deferred deliveries): that work
        must not keep itself waiting by counting as the load it waits out."""
        self._discounted += seconds

    def saturated(self) -> bool:
        """Whether the asking thread was on the CPU more than the threshold's share of the
        last interval (or of the time since it last asked, when longer)."""
        wall = time.monotonic()
        elapsed = wall - self._wall
        if elapsed >= self._interval:
            cpu = wanted_cpu_seconds()
            busy = cpu - self._cpu - self._discounted
            self._saturated = busy > self._threshold * elapsed
            self._wall, self._cpu, self._discounted = wall, cpu, 0.0
        return self._saturated
