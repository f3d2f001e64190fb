"""The serving loop's load gauge (emulator/loop_load.py), which webhook deliveries ask
before taking more of the loop: saturated while its thread nearly always wants the CPU.
(Long spans and a threshold of one half here: on a shared CI machine a spinning thread
may get half a core, a sleeping one may wait a while to run again.)"""

from __future__ import annotations

import time

from emulator.loop_load import LoopLoad
from emulator.webhook_worker_client import WorkerTransport


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def gauge() -> LoopLoad:
    return LoopLoad(interval=0.06, threshold=0.5, fresh=0.03)


def test_busy_then_idle() -> None:
    load = gauge()
    assert load.saturated()  # not measured yet: what can wait, waits
    time.sleep(0.04)
    assert not load.saturated()  # idle over the fresh measurement
    spin(0.07)
    assert load.saturated()
    assert load.saturated()  # within the interval: the last answer, not measured again
    time.sleep(0.07)
    assert not load.saturated()


def test_after_a_pause_it_measures_afresh_before_saying_idle() -> None:
    load = gauge()
    time.sleep(0.04)
    assert not load.saturated()
    time.sleep(0.25)  # a long idle pause, then a load begins
    spin(0.01)
    assert load.saturated()  # the pause says nothing of now
    spin(0.04)
    assert load.saturated()  # measured over the fresh window: busy
    time.sleep(0.07)
    assert not load.saturated()


def test_discounted_work_is_not_load() -> None:
    load = gauge()
    time.sleep(0.04)
    assert not load.saturated()
    started = time.monotonic()
    spin(0.07)
    load.discount(time.monotonic() - started)
    assert not load.saturated()


def test_the_delivery_window_narrows_to_one_while_saturated() -> None:
    transport = WorkerTransport(gauge())
    time.sleep(0.04)
    assert transport.ordered_window == WorkerTransport.OPEN_WINDOW
    spin(0.07)
    assert transport.ordered_window == 1
    time.sleep(0.07)
    assert transport.ordered_window == WorkerTransport.OPEN_WINDOW
