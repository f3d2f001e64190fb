"""What the dashboard keeps of each REST call: an entry in ``state.activity`` (its log),
and ``emulator.restChange`` on ``state.events`` for each REST change that succeeded.

Called by the front layer (http_front.py) once per HTTP request, with the status sent.
The dashboard's own requests are left out of the log (it would fill with its refreshes);
its changes through ``/dashboard/api`` are told like any other. The event lets open pages
follow what has no event of its own (an inbox notification read, a webhook endpoint
added); a read (GET, HEAD) is never told, so a busy REST client reading costs nothing more.
"""

from __future__ import annotations

import time
from typing import Any

RECORDED_CHANGE = "emulator.restChange"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
PROXY = "/dashboard/api/"
DASHBOARD = "/dashboard"


def noted(path: str) -> bool:
    """Whether a request to this path is noted at all (logged, told, or both)."""
    return not path.startswith(DASHBOARD) or path.startswith(PROXY)


def note_rest_call(state: Any, method: str, path: str, query: bytes, status: int | None,
                   started: float) -> None:
    """``started``: ``time.perf_counter()`` when the request arrived (a duration to show,
    not the emulator's time). The log entry is a raw tuple, formatted when it is read."""
    if path.startswith(PROXY):  # a dashboard change: told, not logged
        path = path[len(PROXY) - 1:]
    elif path.startswith(DASHBOARD):
        return
    else:
        state.activity.record_rest((state.clock(), method, path, query, status,
                                    (time.perf_counter() - started) * 1000))
    if method in READS or status is None or not 200 <= status < 300:
        return
    state.events.emit(RECORDED_CHANGE, {"method": method, "path": path, "status": status})
