"""Memoized views of a document are never stale: every change and every undo invalidates them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.domain.storage_formats import from_plain_lson, to_json
from emulator.domain.storage_ops import apply_ops

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "reference_storage_ops.json").read_text()
)


@pytest.mark.parametrize("index", range(0, len(REFERENCE["scenarios"]), 7))
def test_views_follow_every_change_and_rollback(index: int) -> None:
    scenario = REFERENCE["scenarios"][index]
    doc = from_plain_lson(REFERENCE["initial"][scenario["initial"]])
    before = to_json(doc)
    assert doc.memoized("json", lambda: to_json(doc)) == before
    with doc.transaction() as transaction:
        for op in scenario["ops"]:
            apply_ops(doc, [op])
            assert doc.memoized("json", lambda: to_json(doc)) == to_json(doc)
        transaction.rollback()
    assert doc.memoized("json", lambda: to_json(doc)) == before


def test_a_view_is_computed_once_per_version() -> None:
    doc = from_plain_lson({"liveblocksType": "LiveObject", "data": {"a": 1}})
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert doc.memoized("n", compute) == doc.memoized("n", compute) == 1
    apply_ops(doc, [{"type": 3, "opId": "1:1", "id": "root", "data": {"a": 2}}])
    assert doc.memoized("n", compute) == 2
