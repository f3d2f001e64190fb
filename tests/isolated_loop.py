"""``asyncio.run`` for tests, on a thread of its own.

Playwright's sync API (the browser tests' session-wide fixtures) keeps an event loop
running in the main thread, where a plain ``asyncio.run`` then refuses to start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_isolated(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
