""""Did you mean 'X'?": the npm `didyoumean` package with its default settings.

Case-insensitive Levenshtein distance; a candidate qualifies when its distance
is strictly below min(0.4 × len(input), 20), and among those the first one
with the smallest distance wins.
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: float) -> float:
    """Levenshtein distance of `a` and `b`, or something above `limit` once it is exceeded."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current.append(min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def did_you_mean(value: str, candidates: Iterable[str]) -> str | None:
    if not value:
        return None
    needle = value.lower()
    best: float = min(0.4 * len(needle), 20)
    winner: str | None = None
    for candidate in candidates:
        if not candidate:
            continue
        distance = edit_distance(needle, candidate.lower(), best)
        if distance < best:
            best = distance
            winner = candidate
    return winner
