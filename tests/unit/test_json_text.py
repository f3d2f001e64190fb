"""JSON text at any depth: same output as the standard encoder, and deep input read back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.json_text import _dumps_iteratively, dumps, loads
from tests.strategies import plain_json


@given(plain_json)
def test_iterative_encoder_writes_what_json_writes(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert _dumps_iteratively(value) == expected
    assert dumps(value) == expected


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 15_000))
def test_deep_values_round_trip(depth: int) -> None:
    value: Any = {"leaf": True}
    for index in range(depth):
        value = {"k": value} if index % 2 else [value]
    text = dumps(value)
    assert dumps(loads(text)) == text  # (== on the values would recurse too deep)


def test_nan_and_infinity_are_not_json() -> None:
    for text in ("NaN", '{"a": Infinity}', "[-Infinity]"):
        with pytest.raises(ValueError):
            loads(text)
    with pytest.raises(ValueError):
        dumps(float("nan"))
