"""Numbered pages of a list the dashboard shows (threads, users, deliveries): a page
number from the query, never out of range, whatever was typed into the address bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # 1-based
    pages: int  # at least 1


def page_of(items: Sequence[T], asked: str | None, size: int) -> Page[T]:
    """The page ``asked`` (text from the query; the first when unreadable, the last
    when past the end) of ``items``, ``size`` at a time."""
    try:
        number = int(asked or "1")
    except ValueError:
        number = 1
    pages = max(-(-len(items) // size), 1)
    number = min(max(number, 1), pages)
    return Page(items[(number - 1) * size: number * size], number, pages)
