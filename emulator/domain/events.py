"""What happened in the emulator, told to whoever listens (webhooks, the dashboard).

A feature calls ``events.emit(type, data)`` after a change has been made. For the
18 webhook events (WEBHOOKS.md §2) ``type`` and ``data`` are exactly the webhook's
``type`` and ``data`` minus ``projectId`` (the webhooks feature adds it); other
listeners may also receive emulator-only types, which start with ``emulator.``
(e.g. ``emulator.presenceUpdated``) and never reach a webhook.

Listeners run synchronously, in subscription order, on the event loop; one that
raises is logged and does not stop the others or the change that emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]

logger = logging.getLogger("emulator.events")


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Start telling ``listener``; call the returned function to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, type: str, data: dict[str, Any]) -> None:
        for listener in tuple(self._listeners):
            try:
                listener(type, data)
            except Exception:
                logger.exception("A listener of %s failed", type)
