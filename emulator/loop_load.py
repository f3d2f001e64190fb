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
    """Seconds this thread ran or waited to run (its CPU time where the wait is unknown).

    The run time is ``time.thread_time`` (exact: the kernel brings it up to date when
    asked), the wait the schedstat's second field (up to date whenever this thread runs);
    the schedstat's own run time lags by up to a scheduler tick."""
    ran = time.thread_time()
    try:
        with open(SCHEDSTAT, "rb") as stat:
            waited = int(stat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        waited = 0.0
    return ran + waited


SATURATED_SHARE = 0.8
INTERVAL_SECONDS = 0.1
# After a pause in the asking, the time since says nothing of now (a load that began
# 10 ms ago hides in a second of idleness): measure afresh over this much first.
FRESH_SECONDS = 0.02


class LoopLoad:
    def __init__(self, interval: float = INTERVAL_SECONDS,
                 threshold: float = SATURATED_SHARE, fresh: float = FRESH_SECONDS) -> None:
        self._interval = interval
        self._threshold = threshold
        self._fresh = fresh
        self._wall = time.monotonic()  # the start of the measurement under way
        self._due = self._wall + fresh  # when it is read
        self._cpu = wanted_cpu_seconds()
        self._saturated = True  # until measured: work that can wait, waits
        self._discounted = 0.0

    def discount(self, seconds: float) -> None:
        """Time spent (running or waiting to run) on the work that asks (making deferred
        deliveries): that work must not keep itself waiting by counting as the load it
        waits out."""
        self._discounted += seconds

    def saturated(self) -> bool:
        """Whether the asking thread wanted the CPU for more than the threshold's share of
        the last interval. Asked after a pause longer than two intervals, it says yes
        and measures the next ``fresh`` seconds before saying anything else."""
        wall = time.monotonic()
        if wall < self._due:
            return self._saturated
        cpu = wanted_cpu_seconds()
        elapsed = wall - self._wall
        if elapsed > 2 * self._interval + self._fresh:
            self._saturated, self._due = True, wall + self._fresh
        else:
            busy = cpu - self._cpu - self._discounted
            self._saturated = busy > self._threshold * elapsed
            self._due = wall + self._interval
        self._wall, self._cpu, self._discounted = wall, cpu, 0.0
        return self._saturated
