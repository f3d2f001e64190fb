"""Fractional positions: same strings as the official client, and the order invariants."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain.positions import (
    after,
    as_pos,
    before,
    between,
    is_valid_pos,
    make_position,
)

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "official_positions.json").read_text()
)

# Valid positions: printable ASCII, not ending in ' '.
positions = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=8
).filter(lambda s: s[-1] != " ")


def test_first_positions_are_the_clients() -> None:
    assert make_position() == "!"
    assert after("!") == "!!"
    assert after("!!") == '!"'
    assert between("!", "!!") == "! O"  # PROTOCOL.md §4.3


def test_after_before_between_match_client() -> None:
    assert [p for p, want in RECORDED["after"] if after(p) != want] == []
    assert [p for p, want in RECORDED["after"] if make_position(p) != want] == []
    assert [p for p, want in RECORDED["before"] if before(p) != want] == []
    assert [p for p, want in RECORDED["before"] if make_position(None, p) != want] == []
    wrong = [(lo, hi) for lo, hi, want in RECORDED["between"] if between(lo, hi) != want]
    assert wrong == []
    assert len(RECORDED["between"]) > 500


def test_as_pos_matches_client() -> None:
    assert [raw for raw, want in RECORDED["asPos"] if as_pos(raw) != want] == []


@pytest.mark.parametrize("name", ["after", "before", "squeezeLow", "newLiveList"])
def test_chains_match_client(name: str) -> None:
    chain = RECORDED["chains"][name]
    ours = [make_position()]
    if name in ("after", "newLiveList"):
        while len(ours) < len(chain):
            ours.append(after(ours[-1]))
    elif name == "before":
        while len(ours) < len(chain):
            ours.append(before(ours[-1]))
    else:
        lo, hi = "!", "!!"
        ours = []
        while len(ours) < len(chain):
            hi = between(lo, hi)
            ours.append(hi)
    assert ours == chain


def _replay_list(recording: dict[str, Any]) -> None:
    """Replay a LiveList session the client recorded, computing positions like it does."""
    items: list[tuple[str, str]] = []  # (position, value), sorted

    def pos_for_insert(index: int) -> str:
        lo = items[index - 1][0] if index > 0 else None
        hi = items[index][0] if index < len(items) else None
        return make_position(lo, hi)

    for op in recording["initialOps"][1:]:
        items.append((op["parentKey"], op["data"]))
    for step in recording["steps"]:
        kind, *args, ops = step
        if kind in ("push", "insert"):
            index = len(items) if kind == "push" else args[0]
            expected = pos_for_insert(index)
            assert ops[0]["parentKey"] == expected
            items.append((expected, ops[0]["data"]))
        elif kind == "move":
            src, dst = args
            if src < dst:
                lo = items[dst][0]
                hi = items[dst + 1][0] if dst + 1 < len(items) else None
            else:
                lo = items[dst - 1][0] if dst > 0 else None
                hi = items[dst][0]
            expected = make_position(lo, hi)
            assert ops[0]["parentKey"] == expected
            value = items.pop(src)[1]
            items.append((expected, value))
        else:
            items.pop(args[0])
        items.sort()
    assert [value for _, value in items] == recording["final"]


@pytest.mark.parametrize("index", range(len(RECORDED["lists"])))
def test_recorded_list_sessions(index: int) -> None:
    _replay_list(RECORDED["lists"][index])


@settings(max_examples=200, deadline=None)
@given(positions, positions)
def test_between_is_strictly_between(a: str, b: str) -> None:
    if a == b:
        with pytest.raises(ValueError):
            between(a, b)
        return
    lo, hi = min(a, b), max(a, b)
    mid = between(a, b)
    assert lo < mid < hi
    assert is_valid_pos(mid)


@settings(max_examples=200, deadline=None)
@given(positions)
def test_after_and_before_order(pos: str) -> None:
    later = after(pos)
    earlier = before(pos)
    assert is_valid_pos(later) and is_valid_pos(earlier)
    assert earlier < pos < later


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=120))
def test_random_inserts_keep_order(choices: list[int]) -> None:
    items: list[str] = []
    for n in choices:
        index = n % (len(items) + 1)
        lo = items[index - 1] if index > 0 else None
        hi = items[index] if index < len(items) else None
        new = make_position(lo, hi)
        assert is_valid_pos(new)
        items.insert(index, new)
    assert items == sorted(items)
    assert len(set(items)) == len(items)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=10))
def test_as_pos_always_gives_a_valid_position(raw: str) -> None:
    pos = as_pos(raw)
    assert is_valid_pos(pos)
    if is_valid_pos(raw):
        assert pos == raw


def test_is_valid_pos() -> None:
    assert is_valid_pos("!")
    assert is_valid_pos("a b")
    assert not is_valid_pos("")
    assert not is_valid_pos(" ")
    assert not is_valid_pos("a ")
    assert not is_valid_pos("\x7f")
    assert not is_valid_pos("é")


def test_long_squeeze_stays_ordered() -> None:
    rng = random.Random(7)
    lo, hi = "!", "~"
    for _ in range(500):
        mid = between(lo, hi)
        assert lo < mid < hi
        if rng.random() < 0.5:
            lo = mid
        else:
            hi = mid
