"""The dashboard's frame: its tabs, and the panels of a room's page.

A feature that lands later (Yjs, comments, notifications, webhooks) adds its view
with one template and one small module under ``views/`` that declares a ``Tab``
(a page of its own, with its ``Endpoint``s) or a ``RoomPanel`` (a section of a
room's page), and one line in ``views/__init__.py``. The frame does the rest: the
tab bar, the panel's place on the room page, and refreshing it live when one of
its ``refresh_on`` event types is emitted for that room.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..api.endpoints import Endpoint
from ..domain.rooms import Room
from ..state import EmulatorState


@dataclass(frozen=True)
class Tab:
    name: str  # the first path segment after /dashboard/ ("rooms")
    title: str
    endpoints: Sequence[Endpoint] = ()  # its pages and fragments (in_openapi=False)
    order: int = 100


# (state, room, the room page's query: a panel's own paging) -> the template's variables
PanelContext = Callable[[EmulatorState, Room, Mapping[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class RoomPanel:
    name: str  # /dashboard/rooms/{roomId}/panels/{name}
    title: str
    template: str  # rendered with `room`, `state` and what `context` returns
    context: PanelContext
    # Event types (state.events) for this room that re-render the panel in open pages.
    refresh_on: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    # Rendered once under the live part (forms being typed in are never replaced).
    tools: str | None = None


def view(method: str, path: str, handler: Any, *, change: bool = False) -> Endpoint:
    """A dashboard route: no secret key, loopback only, left out of /openapi.json;
    ``change``: also the dashboard token (see ``guard``)."""
    from .guard import local_change, local_only

    return Endpoint(method, path, handler, {}, guard=local_change if change else local_only,
                    in_openapi=False)
