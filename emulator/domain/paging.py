"""Cursor paging over a sequence kept in a fixed order (groups, notifications, settings).

A cursor names the position of the last item handed out: the item's sequence number,
which only grows, so a cursor stays valid while items before or after it come and go.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .rooms import decode_cursor, encode_cursor

T = TypeVar("T")


def page(
    items: Sequence[T], key: Callable[[T], int], *, limit: int, starting_after: str | None
) -> tuple[list[T], str | None]:
    """Up to ``limit`` items after the cursor (items in ascending ``key``), and the cursor
    of the next page (None on the last one). An unknown cursor is InvalidCursor (422)."""
    start = 0
    if starting_after is not None:
        after = decode_cursor(starting_after)
        start = next((i for i, item in enumerate(items) if key(item) > after), len(items))
    chosen = list(items[start:start + limit])
    more = start + limit < len(items)
    return chosen, encode_cursor(key(chosen[-1])) if more and chosen else None
