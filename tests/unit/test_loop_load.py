"""The serving loop's load gauge (emulator/loop_load.py), which webhook deliveries ask
before taking more of the loop: saturated while its thread is nearly always on the CPU.
(A low threshold here: on a shared CI machine a spinning thread may get half a core.)"""

from __future__ import annotations

import time

from emulator.loop_load import LoopLoad
from emulator.webhook_worker_client import WorkerTransport


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_busy_then_idle() -> None:
    load = LoopLoad(interval=0.02, threshold=0.2)
    assert not load.saturated()  # nothing measured yet
    spin(0.05)
    assert load.saturated()
    assert load.saturated()  # within the interval: the last answer, not measured again
    time.sleep(0.05)
    assert not load.saturated()


def test_the_delivery_window_narrows_to_one_while_saturated() -> None:
    transport = WorkerTransport()
    transport._load = LoopLoad(interval=0.02, threshold=0.2)
    assert transport.ordered_window == WorkerTransport.OPEN_WINDOW
    spin(0.05)
    assert transport.ordered_window == 1
    time.sleep(0.05)
    assert transport.ordered_window == WorkerTransport.OPEN_WINDOW
