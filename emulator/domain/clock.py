"""Time as the emulator sees it: injectable, so tests can be deterministic.

Times are kept as integer milliseconds since the epoch (compact, ordered) and
formatted on the way out as ISO-8601 UTC with milliseconds and ``Z``, the
form both SDKs parse.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

# A clock returns the current time in milliseconds since the Unix epoch.
Clock = Callable[[], int]


def system_clock() -> int:
    return time.time_ns() // 1_000_000


def format_ms(ms: int) -> str:
    """1660000988137 -> '2022-08-08T23:23:08.137Z'."""
    seconds, millis = divmod(ms, 1000)
    return _format_seconds(seconds) + f".{millis:03d}Z"


# Rooms made together share their second: formatting it once is most of the cost. One
# entry only: a cache of many small strings, made while rooms are, would pin the memory
# pools those rooms lived in long after they are deleted.
_last_second: tuple[int, str] = (-1, "")


def _format_seconds(seconds: int) -> str:
    global _last_second
    if _last_second[0] == seconds:
        return _last_second[1]
    # strftime's %Y does not pad years before 1000: format the fields ourselves.
    t = time.gmtime(seconds)
    text = (f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
            f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}")
    _last_second = (seconds, text)
    return text


def parse_iso(text: str) -> int:
    """Parse an ISO-8601 timestamp (as found in fixture files) into milliseconds.

    A value without a zone is taken as UTC. Raises ValueError on anything else.
    """
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    # Exact integer arithmetic: float timestamps lose a millisecond now and then.
    return (value - _EPOCH) // timedelta(milliseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
