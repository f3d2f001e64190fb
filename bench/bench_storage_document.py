"""Storage document timings at 1k, 10k and 100k nodes: should grow roughly linearly.

Prints, per size, the time to build a document from Plain LSON (what
``POST …/storage`` does), to read it back as Plain LSON and as plain JSON
(``GET …/storage``), to serialize its nodes for STORAGE_CHUNK, and the
throughput of ``apply_ops`` on realtime-like messages (pushes, updates, moves,
deletes) inside a transaction, as the realtime layer runs them.

    python -m bench.bench_storage_document
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from emulator.domain.json_patch import apply_json_patch
from emulator.domain.storage import StorageDocument
from emulator.domain.storage_formats import (
    from_plain_lson,
    live_list,
    live_map,
    live_object,
    serialize_nodes_compact,
    to_json,
    to_plain_lson,
)
from emulator.domain.storage_ops import apply_ops

SIZES = (1_000, 10_000, 100_000)
OPS_PER_RUN = 20_000


def document(nodes: int) -> dict[str, Any]:
    """A realistic mix: a list of shapes (LiveObject + nested LiveList) and a LiveMap."""
    # Each shape is 1 object + 1 list + 2 registers = 4 nodes.
    shapes = [
        live_object({"x": i, "fill": "#fff", "points": live_list([i, i + 1])})
        for i in range(nodes // 8)
    ]
    users = {f"user-{i}": {"name": f"U{i}", "i": i} for i in range(nodes - 4 * len(shapes) - 3)}
    return live_object({"title": "bench", "shapes": live_list(shapes), "users": live_map(users)})


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def realtime_messages(doc: StorageDocument, count: int) -> list[list[dict[str, Any]]]:
    """Messages of 4 ops each, like a busy client's: push, update, move, delete."""
    shapes = doc.child_at(doc.root, "shapes")
    assert shapes is not None
    items = doc.list_items(shapes)
    messages = []
    for n in range(count // 4):
        item = items[n % len(items)]
        new_id = f"1:{n}"
        messages.append(
            [
                {
                    "type": 4,
                    "opId": f"1:a{n}",
                    "id": new_id,
                    "parentId": shapes.id,
                    "parentKey": "!",
                    "data": {"x": n},
                    "intent": "push",
                },
                {"type": 3, "opId": f"1:b{n}", "id": item.id, "data": {"x": -n}},
                {"type": 1, "opId": f"1:c{n}", "id": new_id, "parentKey": item.parent_key},
                {"type": 5, "opId": f"1:d{n}", "id": new_id},
            ]
        )
    return messages


def main() -> None:
    print(
        f"{'nodes':>8} {'from_lson':>10} {'to_lson':>9} {'to_json':>9} {'compact':>9}"
        f" {'ops/s':>9} {'patch':>8}"
    )
    for size in SIZES:
        value = document(size)
        build, doc = timed(lambda value=value: from_plain_lson(value))
        read_lson, _ = timed(lambda doc=doc: to_plain_lson(doc))
        read_json, _ = timed(lambda doc=doc: to_json(doc))
        compact, _ = timed(lambda doc=doc: serialize_nodes_compact(doc))
        messages = realtime_messages(doc, OPS_PER_RUN)

        def run(doc: StorageDocument = doc, messages: list[Any] = messages) -> None:
            for ops in messages:
                with doc.transaction():
                    apply_ops(doc, ops)

        applying, _ = timed(run)
        patch = [
            {"op": "add", "path": "/shapes/0", "value": {"x": 1, "points": [1, 2]}},
            {"op": "move", "from": "/shapes/0", "path": "/shapes/-"},
            {"op": "replace", "path": "/users/user-0", "value": {"name": "N"}},
            {"op": "test", "path": "/title", "value": "bench"},
        ]
        patching, _ = timed(lambda doc=doc, patch=patch: apply_json_patch(doc, patch))
        print(
            f"{doc.node_count:>8} {build * 1000:>8.1f}ms {read_lson * 1000:>7.1f}ms"
            f" {read_json * 1000:>7.1f}ms {compact * 1000:>7.1f}ms"
            f" {OPS_PER_RUN / applying:>9.0f} {patching * 1000:>6.2f}ms"
        )


if __name__ == "__main__":
    main()
