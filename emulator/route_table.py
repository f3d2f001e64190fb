"""Finding a request's route without trying every route's regex in turn.

Starlette's router tries each route's regex in order (~160 routes, most under
``/v2/rooms/{roomId}/…``). Here routes are bucketed by method, segment count and
their first two path segments, so a lookup is one dict access and a few string
compares. Starlette's rules are kept: the first route in declaration order that
matches fully wins; whatever the table cannot decide (no full match, a route
with a ``{…:path}`` parameter or another convertor, a mount) returns None and
the caller lets Starlette's router answer (404, 405, redirects, mounts).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Match, Route

from .routing import SegmentConvertor

# Parameters matched by comparing segments: one non-empty segment, unescaped on its own.
_SEGMENT_CONVERTORS = (SegmentConvertor,)
_KEY_SEGMENTS = 2  # literal segments that make a bucket's key


@dataclass(frozen=True, slots=True)
class _Candidate:
    route: Route
    literals: tuple[tuple[int, str], ...]  # (segment index, text it must equal)
    params: tuple[tuple[int, str, SegmentConvertor], ...]  # (index, name, convertor)
    by_regex: bool  # cannot be matched by segments: ask the route itself
    direct: bool  # the front may call its endpoint itself (see served_directly)


Key = tuple[str, int, str, str]


def _key(method: str, segments: Sequence[str]) -> Key:
    count = len(segments)
    return (method, count, segments[0] if count > 0 else "", segments[1] if count > 1 else "")


def _segments(path: str) -> list[str]:
    return path.split("/")[1:]


class RouteTable:
    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self._regular: dict[Key, list[tuple[int, _Candidate]]] = {}
        # Routes whose bucket cannot be told from their path (a {…:path} parameter, a
        # parameter among the key segments, mounts, anything not a plain Route): tried
        # after filtering by their literal first segment; None means any first segment.
        self._irregular: list[tuple[int, str | None, _Candidate | None]] = []
        self._buckets: dict[Key, tuple[_Candidate | None, ...]] = {}
        for index, route in enumerate(routes):
            self._add(index, route)

    def _add(self, index: int, route: BaseRoute) -> None:
        if not isinstance(route, Route) or not route.methods:
            # WebSocket routes never match HTTP; other kinds are left to Starlette.
            if not _is_websocket(route):
                self._irregular.append((index, _first_literal(route), None))
            return
        segments = _segments(route.path)
        literals, params, by_regex = [], [], False
        for position, segment in enumerate(segments):
            if "{" not in segment:
                literals.append((position, segment))
                continue
            name, _, _ = segment.strip("{}").partition(":")
            convertor = route.param_convertors.get(name)
            if (not (segment.startswith("{") and segment.endswith("}"))
                    or not isinstance(convertor, _SEGMENT_CONVERTORS)):
                by_regex = True
                continue
            params.append((position, name, convertor))
        candidate = _Candidate(route, tuple(literals), tuple(params), by_regex,
                               served_directly(route))
        key_is_literal = all("{" not in s for s in segments[:_KEY_SEGMENTS])
        spans_segments = any(":path}" in s for s in segments)
        if spans_segments or not key_is_literal:
            self._irregular.append((index, _first_literal(route), candidate))
            return
        for method in route.methods:
            self._regular.setdefault(_key(method, segments), []).append((index, candidate))

    def lookup(self, method: str, path: str) -> tuple[Route, dict[str, Any]] | None:
        """The route Starlette would run for this request and its path parameters, when
        the front may call it itself; None when Starlette has to decide (no full match, a
        route the table leaves to it, or one that is not a plain async function)."""
        segments = _segments(path)
        key = _key(method, segments)
        candidates = self._buckets.get(key)
        if candidates is None:
            candidates = self._bucket(key)
        for candidate in candidates:
            if candidate is None:  # a route only Starlette can match: let it decide
                return None
            params = _match(candidate, segments, method, path)
            if params is not None:
                return (candidate.route, params) if candidate.direct else None
        return None

    def _bucket(self, key: Key) -> tuple[_Candidate | None, ...]:
        """The routes that can match requests of this key, in declaration order."""
        first = key[2]
        merged: list[tuple[int, _Candidate | None]] = list(self._regular.get(key, ()))
        merged += [(index, candidate) for index, literal, candidate in self._irregular
                   if literal is None or literal == first]
        merged.sort(key=lambda item: item[0])
        bucket = tuple(candidate for _, candidate in merged)
        if len(self._buckets) < 10_000:  # keys come from requests: bound what is kept
            self._buckets[key] = bucket
        return bucket


def _match(candidate: _Candidate, segments: list[str], method: str, path: str
           ) -> dict[str, Any] | None:
    route = candidate.route
    if candidate.by_regex or len(segments) != len(candidate.literals) + len(candidate.params):
        match, child = route.matches({"type": "http", "path": path, "root_path": "",
                                      "method": method})
        return dict(child["path_params"]) if match is Match.FULL else None
    for position, text in candidate.literals:
        if segments[position] != text:
            return None
    params: dict[str, Any] = {}
    for position, name, convertor in candidate.params:
        value = segments[position]
        if not value:
            return None
        params[name] = convertor.convert(value)
    return params


def _first_literal(route: BaseRoute) -> str | None:
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    first, slash, _ = path[1:].partition("/")
    return first if slash and "{" not in first else None


def _is_websocket(route: BaseRoute) -> bool:
    from starlette.routing import WebSocketRoute

    return isinstance(route, WebSocketRoute)


def served_directly(route: Route) -> bool:
    """Whether the front may call this route's endpoint itself: a plain async function
    behind Starlette's own request/response wrapper, with no route middleware."""
    endpoint = route.endpoint
    return (inspect.isfunction(endpoint) and inspect.iscoroutinefunction(endpoint)
            and getattr(route.app, "__qualname__", "").startswith("request_response."))
